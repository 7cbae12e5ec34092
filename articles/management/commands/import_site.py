"""Restore a site archive written by export_site into an empty database."""

from django.core.management.base import BaseCommand, CommandError

from articles.exporter import ArchiveError, import_site


class Command(BaseCommand):
    help = "Restore an export_site archive. Refuses a database that already holds content; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Archive file written by export_site.")

    def handle(self, *args, **options):
        try:
            with open(options["path"], "rb") as source:
                counts = import_site(source)
        except OSError as error:
            raise CommandError(f"cannot read {options['path']}: {error.strerror}") from None
        except ArchiveError as error:
            raise CommandError(f"{options['path']}: {error}") from None
        self.stdout.write(self.style.SUCCESS(
            f"Restored {counts['articles']} articles, {counts['authors']} people, {counts['users']} users, "
            f"{counts['media']} media files."
        ))
