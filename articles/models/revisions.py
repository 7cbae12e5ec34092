"""The translation workflow's records: source versions, submitted revisions, drafts, paragraph reviews."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..rendering import split_paragraphs


class SourceVersion(models.Model):
    """The original's text as it stood at one version number, so translations can diff against it."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="source_versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    standfirst = models.TextField(blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="sourceversion_once"),
        ]
        verbose_name = _("source version")
        verbose_name_plural = _("source versions")

    def __str__(self):
        return f"{self.article} v{self.number}"

    def paragraphs(self):
        return split_paragraphs(self.body)


class TranslationRevision(models.Model):
    """A proposed full text of a language version. Once stored its text never changes."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    translation = models.ForeignKey(
        "articles.Translation", verbose_name=_("translation"), on_delete=models.CASCADE,
        related_name="revisions",
    )
    number = models.PositiveIntegerField(_("number"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
        related_name="translation_revisions",
    )
    title = models.CharField(_("title"), max_length=300)
    standfirst = models.TextField(_("standfirst"), blank=True)
    body = models.TextField(_("body"), blank=True)
    base = models.ForeignKey(
        "self", verbose_name=_("edited from"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    restored_from = models.ForeignKey(
        "self", verbose_name=_("restored from"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    source_version = models.PositiveIntegerField(_("made from source version"))
    note = models.TextField(_("note for the editor"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.SUBMITTED, db_index=True
    )
    has_conflict = models.BooleanField(
        _("conflicting"), default=False,
        help_text=_("Made from a text that was no longer current, or alongside another revision."),
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="reviewed_revisions",
    )
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    decision_note = models.TextField(_("review comment"), blank=True)

    # The text is frozen; only the review may be written after the first save.
    REVIEW_FIELDS = frozenset({"status", "decided_by", "decided_at", "decision_note", "has_conflict"})

    class Meta:
        ordering = ["translation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["translation", "number"], name="revision_number_once"),
        ]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self):
        return f"{self.translation} r{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self.REVIEW_FIELDS:
                raise ValidationError("A stored revision's text never changes; make a new revision.")
        super().save(*args, **kwargs)

    def paragraphs(self):
        return split_paragraphs(self.body)


class ParagraphReview(models.Model):
    """An editor's decision and comment on one paragraph of a revision."""

    class Decision(models.TextChoices):
        PENDING = "", _("No decision")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    revision = models.ForeignKey(TranslationRevision, on_delete=models.CASCADE, related_name="paragraph_reviews")
    index = models.PositiveIntegerField(_("paragraph"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision, blank=True, default="")
    comment = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["revision", "index"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "index"], name="paragraphreview_once"),
        ]
        verbose_name = _("paragraph review")
        verbose_name_plural = _("paragraph reviews")

    def __str__(self):
        return f"{self.revision} ¶{self.index + 1}"


class RevisionDraft(models.Model):
    """A translator's work in progress, saved as they type; becomes a revision when submitted."""

    translation = models.ForeignKey("articles.Translation", on_delete=models.CASCADE, related_name="drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="revision_drafts")
    title = models.CharField(max_length=300, blank=True)
    standfirst = models.TextField(blank=True)
    body = models.TextField(blank=True)
    base = models.ForeignKey(TranslationRevision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["translation", "author"], name="revisiondraft_once"),
        ]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self):
        return f"{self.translation} ({self.author})"
