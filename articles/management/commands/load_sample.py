"""Load the sample content (the seed article and a demonstration article); running it twice changes nothing."""

from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.importer import (
    ArticleImportError, apply_front_matter, parse_file_text, read_path, write_article,
)
from articles.models import Article, Author, CommunityLink, Section

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"


class Command(BaseCommand):
    help = "Load the sample articles, people, sections and community links. Idempotent."

    def handle(self, *args, **options):
        manifest = yaml.safe_load((SAMPLE_DIR / "sample.yaml").read_text(encoding="utf-8"))
        try:
            with transaction.atomic():
                self._load(manifest)
        except ArticleImportError as error:
            raise CommandError(f"sample data: {error}") from None

    def _load(self, manifest):
        for item in manifest["sections"]:
            Section.objects.get_or_create(slug=item["slug"], defaults={"names": item["names"]})
        for person in manifest["people"]:
            if not Author.objects.filter(name=person["name"]).exists():
                Author.objects.create(**person)
        for language, links in manifest["community_links"].items():
            for position, link in enumerate(links):
                CommunityLink.objects.get_or_create(
                    language=language, url=link["url"],
                    defaults={"label": link["label"], "position": position},
                )
        loaded = set(Article.objects.values_list("key", flat=True))
        for entry in manifest["articles"]:
            path = SAMPLE_DIR / entry["file"]
            parsed = parse_file_text(
                read_path(path), language=entry.get("language"), markdown=path.suffix == ".md"
            )
            if entry.get("front_matter"):
                apply_front_matter(parsed, dict(entry["front_matter"]), language=None, section=None)
            key = parsed.meta.get("key")
            version_exists = Article.objects.filter(
                key=key, translations__language=parsed.language
            ).exists()
            if key in loaded and version_exists:
                self.stdout.write(f"Already loaded: {entry['file']}")
                continue
            result = write_article(parsed)
            if entry.get("open_for_translation"):
                type(result.translation).objects.filter(pk=result.translation.pk).update(
                    is_open_for_translation=True
                )
            self.stdout.write(self.style.SUCCESS(f"Loaded {entry['file']}: “{result.translation.title}”"))
