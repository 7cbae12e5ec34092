"""The editorial domain: who is credited, what was written, and each language version of it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from ..rendering import reading_minutes, render_markdown, word_count


def content_language_choices():
    return settings.CONTENT_LANGUAGES


def localized(values, language=None):
    """Pick a value from a {language: text} dict: the asked language, the site's, then any."""
    if not values:
        return ""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    for code in (language, language.split("-")[0], settings.LANGUAGE_CODE):
        if values.get(code):
            return values[code]
    return next((v for v in values.values() if v), "")


def _shorten(slug, limit):
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut).strip("-")


def unique_slug(model, text, *, field="slug", exclude_pk=None, max_length=200, **scope):
    """A slug for `text` not yet used in `model.field` within `scope` (e.g. the same language)."""
    # ASCII where the text allows it (cleaner URLs), Unicode for scripts that have no ASCII form.
    base = slugify(text)
    if len(base) < 3:
        base = slugify(text, allow_unicode=True)
    base = _shorten(base, min(max_length - 8, 80)) or "article"
    slug, n = base, 2
    others = model.objects.filter(**scope).exclude(pk=exclude_pk)
    while others.filter(**{field: slug}).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class Author(models.Model):
    """Every person or organisation the product credits: writers, translators, people thanked."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PERSON)
    bio = models.TextField(_("short bio"), blank=True)
    website = models.URLField(_("website"), blank=True)
    social_links = models.JSONField(
        _("social links"), default=list, blank=True,
        help_text=_("A list of profile URLs, e.g. [\"https://x.com/sama\"]."),
    )
    photo = models.ImageField(_("photo"), upload_to="authors/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="author",
    )
    languages = models.JSONField(
        _("translates into"), default=list, blank=True,
        help_text=_("Language codes this person translates into, e.g. [\"fr\"]."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Author, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author_detail", kwargs={"slug": self.slug})


class Section(models.Model):
    """A column, such as "TechFlow Sélection", named in each site language."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    names = models.JSONField(_("names"), default=dict, help_text=_("Name per language code."))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self.names) or self.slug

    def get_absolute_url(self):
        return reverse("articles:section_detail", kwargs={"slug": self.slug})


class Tag(models.Model):
    """A free keyword shared by articles."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Tag, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:tag_detail", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("section").prefetch_related(
            "translations", "credits__author"
        )


class Article(models.Model):
    """One work, in whatever language it was first written; its versions are Translations."""

    key = models.SlugField(
        _("key"), max_length=200, unique=True, allow_unicode=True,
        help_text=_("Stable identifier used by imports and exports."),
    )
    original_language = models.CharField(
        _("original language"), max_length=10, choices=content_language_choices
    )
    original_title = models.CharField(_("original title"), max_length=300, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    source_outlet = models.CharField(_("first published by"), max_length=200, blank=True)
    source_published_on = models.DateField(_("first published on"), null=True, blank=True)
    rights_note = models.TextField(
        _("rights note"), blank=True, help_text=_("Under what licence or permission it is translated.")
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="articles",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    authors = models.ManyToManyField(
        Author, through="ArticleCredit", related_name="written_articles", verbose_name=_("authors")
    )
    # Bumped each time the original's text changes; translations record the one they followed.
    source_version = models.PositiveIntegerField(_("source version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self):
        return self.original_title or self.key

    def ordered_authors(self):
        """Authors in credit order; uses prefetched credits when present."""
        return [credit.author for credit in self.credits.all()]

    def original(self):
        """The hosted original text, if the original is hosted here."""
        return next(
            (t for t in self.translations.all() if t.language == self.original_language), None
        )


class ArticleCredit(models.Model):
    """An author of an article, in byline order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="credits")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="article_credits")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="articlecredit_once"),
            models.UniqueConstraint(fields=["article", "position"], name="articlecredit_order"),
        ]
        verbose_name = _("author credit")
        verbose_name_plural = _("author credits")

    def __str__(self):
        return f"{self.author} ({self.position})"


class TranslationQuerySet(models.QuerySet):
    def published(self, at=None):
        """Visible to readers now: published, or scheduled and its time has come."""
        at = at or timezone.now()
        return self.filter(
            status__in=[Translation.Status.PUBLISHED, Translation.Status.SCHEDULED],
            published_at__lte=at,
        )

    def in_language(self, language):
        return self.filter(language=language)

    def for_listing(self):
        """What listing pages, feeds and sitemaps show of each translation, in fixed queries."""
        # The Markdown source is never shown in a list; essays are long.
        return self.select_related("article__section").prefetch_related(
            "article__credits__author", "credits__author"
        ).defer("body")

    def for_cards(self):
        """Listings that show titles and standfirsts only: the rendered body stays in the database too."""
        return self.for_listing().defer("body", "body_html")

    def latest_first(self):
        return self.order_by("-published_at", "-pk")

    def credited_to(self, author, language):
        """A person's work, each version flagged `is_written`, `is_translated`, `is_thanked`.

        Every version they translated, and one version of each article they wrote or are thanked in:
        the reader's language where it exists, else the latest.
        """
        chosen = models.Subquery(
            self.filter(article=models.OuterRef("article_id"))
            .order_by(models.Case(models.When(language=language, then=0), default=1), "-published_at", "-pk")
            .values("pk")[:1]
        )
        written = self.filter(article__in=author.article_credits.values("article_id"), pk=chosen).values("pk")
        translated = author.translation_credits.values("translation_id")
        thanked = self.filter(article__in=author.acknowledgements.values("article_id"), pk=chosen).values("pk")
        roles = {"is_written": written, "is_translated": translated, "is_thanked": thanked}
        # One IN over a UNION: PostgreSQL then starts from the person's few credits, not every version.
        return self.filter(pk__in=written.union(translated, thanked)).annotate(**{
            name: models.ExpressionWrapper(Q(pk__in=ids), output_field=models.BooleanField())
            for name, ids in roles.items()
        })


class Translation(models.Model):
    """One language version of an article; the original text is a version like any other."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=10, choices=content_language_choices)
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True, blank=True)
    standfirst = models.TextField(_("standfirst"), blank=True)
    body = MarkdownxField(_("body"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    word_count = models.PositiveIntegerField(editable=False, default=0)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=0)
    translators = models.ManyToManyField(
        Author, through="TranslationCredit", related_name="translated", verbose_name=_("translators")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("publish time"), null=True, blank=True, db_index=True)
    source_version = models.PositiveIntegerField(
        _("made from source version"), default=1,
        help_text=_("The version of the original text this translation follows."),
    )
    current_revision = models.ForeignKey(
        "articles.TranslationRevision", verbose_name=_("current revision"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    assignees = models.ManyToManyField(
        Author, verbose_name=_("assigned translators"), blank=True, related_name="assignments",
    )
    is_open_for_translation = models.BooleanField(
        _("open to all translators of its language"), default=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TranslationQuerySet.as_manager()

    class Meta:
        ordering = ["language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="translation_one_per_language"),
            models.UniqueConstraint(fields=["language", "slug"], name="translation_slug_per_language"),
            models.CheckConstraint(
                condition=~Q(status__in=["scheduled", "published"]) | Q(published_at__isnull=False),
                name="translation_visible_has_time",
            ),
        ]
        indexes = [models.Index(fields=["language", "status", "published_at"])]
        permissions = [
            ("publish_translation", _("Can publish, schedule, unpublish and archive translations")),
            ("review_translation", _("Can review translators' revisions")),
            ("translate_translation", _("Can submit revisions as a translator")),
        ]

    def __str__(self):
        return f"{self.title} [{self.language}]"

    def clean(self):
        if self.body and len(self.body) > settings.MAX_BODY_CHARS:
            raise ValidationError(
                {"body": _("The body is too long (%(n)s characters; the limit is %(max)s).")
                 % {"n": len(self.body), "max": settings.MAX_BODY_CHARS}}
            )

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Translation, self.title, exclude_pk=self.pk, language=self.language
            )
        # Rendered once here so that no page view ever renders Markdown.
        self.body_html = render_markdown(self.body)
        self.word_count = word_count(self.body)
        self.reading_minutes = reading_minutes(self.word_count)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "word_count", "reading_minutes"}
        super().save(*args, **kwargs)

    @property
    def is_original(self):
        return self.language == self.article.original_language

    @property
    def is_outdated(self):
        return not self.is_original and self.source_version < self.article.source_version

    def is_visible(self, at=None):
        at = at or timezone.now()
        return (
            self.status in (self.Status.PUBLISHED, self.Status.SCHEDULED)
            and self.published_at is not None
            and self.published_at <= at
        )

    def ordered_translators(self):
        return [credit.author for credit in self.credits.all()]

    def get_absolute_url(self):
        return translation_url(self.language, self.slug)


def translation_url(language, slug):
    """Content in an interface language lives under that prefix; any other under the current one."""
    interface = dict(settings.LANGUAGES)
    if language in interface:
        with translation.override(language):
            return reverse("articles:translation_detail", kwargs={"slug": slug})
    return reverse("articles:translation_detail_in", kwargs={"language": language, "slug": slug})


class TranslationCredit(models.Model):
    """A translator of a language version, in byline order."""

    translation = models.ForeignKey(Translation, on_delete=models.CASCADE, related_name="credits")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="translation_credits")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["translation", "author"], name="translationcredit_once"),
            models.UniqueConstraint(fields=["translation", "position"], name="translationcredit_order"),
        ]
        verbose_name = _("translator credit")
        verbose_name_plural = _("translator credits")

    def __str__(self):
        return f"{self.author} ({self.position})"


class Acknowledgement(models.Model):
    """Someone the article thanks, with the reason in each language where one is given."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="acknowledgements")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=200)
    author = models.ForeignKey(
        Author, verbose_name=_("credited person"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="acknowledgements",
    )
    reasons = models.JSONField(
        _("reasons"), default=dict, blank=True,
        help_text=_("Per language, what they are thanked for, e.g. {\"fr\": \"pour l'inspiration\"}."),
    )
    notes = models.JSONField(
        _("notes"), default=dict, blank=True,
        help_text=_("Per language, anything the author added to the thanks."),
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="acknowledgement_order"),
        ]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")

    def __str__(self):
        return self.name

    def reason(self, language=None):
        return localized(self.reasons, language)

    def note(self, language=None):
        return localized(self.notes, language)


class CommunityLinkQuerySet(models.QuerySet):
    def for_footer(self, language):
        """The links labelled in `language`, or the site language's when it has none (one query)."""
        rows = list(self.filter(language__in=[language, settings.LANGUAGE_CODE]).order_by("position", "pk"))
        own = [row for row in rows if row.language == language]
        return own or [row for row in rows if row.language == settings.LANGUAGE_CODE]


class CommunityLink(models.Model):
    """One of the outlet's channels, labelled in one language, shown in the site footer."""

    language = models.CharField(_("language"), max_length=10, choices=content_language_choices)
    label = models.CharField(_("label"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = CommunityLinkQuerySet.as_manager()

    class Meta:
        ordering = ["language", "position"]
        constraints = [
            models.UniqueConstraint(fields=["language", "url"], name="communitylink_once"),
        ]
        verbose_name = _("community link")
        verbose_name_plural = _("community links")

    def __str__(self):
        return f"{self.label} ({self.language})"
