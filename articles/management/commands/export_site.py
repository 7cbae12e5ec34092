"""Write the whole site (content, credits, users, media) to one portable archive."""

from django.core.management.base import BaseCommand

from articles.exporter import export_site


class Command(BaseCommand):
    help = (
        "Write all content, people, users and media files to a zip archive that `import_site` restores. "
        "The same content always gives the same bytes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Archive file to write, e.g. techflow-backup.zip.")
        parser.add_argument(
            "--with-passwords", action="store_true",
            help="Include password hashes (otherwise restored users must reset their password).",
        )

    def handle(self, *args, **options):
        counts = export_site(options["path"], with_passwords=options["with_passwords"])
        self.stdout.write(self.style.SUCCESS(
            f"Wrote {options['path']}: {counts['articles']} articles, {counts['authors']} people, "
            f"{counts['users']} users, {counts['media']} media files."
        ))
