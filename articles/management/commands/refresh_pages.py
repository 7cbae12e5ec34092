"""refresh_pages: drop every cached and stored page, e.g. after restoring a backup or a bulk SQL change."""

from django.core.management.base import BaseCommand

from articles.cache import invalidate_everything
from articles.models import RenderedPage


class Command(BaseCommand):
    help = (
        "Drop every page kept for readers (the page cache and the stored article pages); each is rendered "
        "again on its next request."
    )

    def handle(self, *args, **options):
        stored = RenderedPage.objects.count()
        invalidate_everything()
        self.stdout.write(f"Dropped the page cache and {stored} stored article pages.")
