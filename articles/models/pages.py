"""Article pages kept rendered in the database, as `body_html` keeps the rendered Markdown."""

from django.db import models

from .content import Translation


class RenderedPage(models.Model):
    """A published version's whole page, as one interface language and one site origin show it.

    Deleted whenever something it shows changes (articles/pages.py), so a row that exists is current.
    """

    translation = models.ForeignKey(Translation, on_delete=models.CASCADE, related_name="rendered_pages")
    # The URL's parts, copied from the version so that a read touches this table alone.
    language = models.CharField(max_length=10)
    slug = models.SlugField(max_length=200, allow_unicode=True)
    interface_language = models.CharField(max_length=10)
    origin = models.CharField(max_length=255)
    # Templates, catalogues, static manifest and code it was rendered with: a deploy retires old rows.
    build = models.CharField(max_length=64)
    html = models.TextField()
    etag = models.CharField(max_length=64)
    rendered_at = models.DateTimeField()
    # When scheduled content it would list goes live; null when nothing is pending.
    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "interface_language", "language", "slug"], name="rendered_page_unique"
            ),
        ]

    def __str__(self):
        return f"{self.origin} {self.interface_language} {self.translation_id}"


class RenderGeneration(models.Model):
    """One row, incremented by every invalidation: a rendering that began before it is not stored."""

    value = models.BigIntegerField(default=0)
