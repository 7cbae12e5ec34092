"""Import an article from a plain-text file of the seed's shape or front-matter Markdown."""

import json

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles.importer import ArticleImportError, parse_file_text, read_path, write_article
from articles.workflow import InvalidTransition


class Command(BaseCommand):
    help = (
        "Import an article (plain text or Markdown with YAML front matter). Re-importing the same "
        "file updates the same records. Nothing is written if anything is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="+", help="One or more files to import.")
        parser.add_argument("--language", help="ISO 639-1 code of the text; detected if omitted.")
        parser.add_argument("--section", help="Section name, e.g. 'TechFlow Sélection'.")
        parser.add_argument("--publish", action="store_true", help="Publish the imported version now.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what was recognised as JSON; write nothing."
        )

    def handle(self, *args, **options):
        for path in options["path"]:
            self._import(path, options)

    def _import(self, path, options):
        try:
            parsed = parse_file_text(
                read_path(path),
                language=options["language"],
                section=options["section"],
                markdown=str(path).endswith((".md", ".markdown")),
            )
            if options["dry_run"]:
                self.stdout.write(json.dumps(parsed.report(), ensure_ascii=False, indent=2))
                return
            result = write_article(parsed, publish=options["publish"])
        except ArticleImportError as error:
            where = _("%(path)s, line %(n)s") % {"path": path, "n": error.line} if error.line else str(path)
            raise CommandError(f"{where}: {error.message}") from None
        except (InvalidTransition, PermissionDenied) as error:
            raise CommandError(f"{path}: {error}") from None
        verb = "Created" if result.created else "Updated"
        version = result.translation
        self.stdout.write(self.style.SUCCESS(
            f"{verb} “{version.title}” [{version.language}, {version.get_status_display()}]: "
            f"{len(parsed.paragraphs)} paragraphs, {len(parsed.acknowledgements)} acknowledgements, "
            f"{len(parsed.community_links)} community links."
        ))
        for warning in parsed.warnings:
            self.stdout.write(self.style.WARNING(f"  warning: {warning}"))
