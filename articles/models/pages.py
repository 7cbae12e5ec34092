"""Article pages kept rendered in the database, as `body_html` keeps the rendered Markdown."""

from django.db import models

from .content import Translation


class RenderedPage(models.Model):
    """A published version's whole page at one address (interface language and site origin).

    Deleted whenever something it shows changes (articles/pages.py), so a row that exists is current.
    """

    translation = models.ForeignKey(Translation, on_delete=models.CASCADE, related_name="rendered_pages")
    # The page's address: a read finds it by these alone, in this table alone.
    origin = models.CharField(max_length=255)
    path = models.CharField(max_length=500)
    # Templates, catalogues, static manifest and code it was rendered with: a deploy retires old rows.
    build = models.CharField(max_length=64)
    html = models.TextField()
    # Headers the inner middleware set (Content-Language, Vary...), sent again with the page.
    headers = models.JSONField(default=list)
    etag = models.CharField(max_length=64)
    rendered_at = models.DateTimeField()
    # When scheduled content it would list goes live; null when nothing is pending.
    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "path"], name="rendered_page_unique"
            ),
        ]

    def __str__(self):
        return f"{self.origin}{self.path}"


class RenderGeneration(models.Model):
    """One row, incremented by every invalidation: a rendering that began before it is not stored."""

    value = models.BigIntegerField(default=0)
