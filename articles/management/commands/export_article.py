"""Export articles' language versions as Markdown files with YAML front matter."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.exporter import article_for_export, export_article_files
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Write each language version of the given articles as <key>.<language>.md with every field in "
        "its front matter; `import_article` reads the files back (original language first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("key", nargs="*", help="Article keys; all articles with --all.")
        parser.add_argument("--all", action="store_true", help="Export every article.")
        parser.add_argument("--language", action="append", help="Only this language (repeatable).")
        parser.add_argument("--output", "-o", default=".", help="Directory to write into (default: here).")
        parser.add_argument("--print", dest="print_only", action="store_true", help="Print the files instead of writing them.")

    def handle(self, *args, **options):
        keys = options["key"]
        if options["all"]:
            keys = list(Article.objects.order_by("key").values_list("key", flat=True))
        if not keys:
            raise CommandError("Name at least one article key, or use --all.")
        output = Path(options["output"])
        if not options["print_only"]:
            output.mkdir(parents=True, exist_ok=True)
        for key in keys:
            try:
                article = article_for_export(key)
            except Article.DoesNotExist:
                raise CommandError(f"No article has the key {key!r}.") from None
            files = export_article_files(article, options["language"])
            if not files:
                raise CommandError(f"{key}: no version in {', '.join(options['language'] or [])}.")
            for name, text in files:
                if options["print_only"]:
                    self.stdout.write(text, ending="")
                    continue
                (output / name).write_text(text, encoding="utf-8")
                self.stdout.write(self.style.SUCCESS(f"Wrote {output / name}"))
