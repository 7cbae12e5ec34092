"""The read-only Content API (django-ninja, mounted at /api/v1/): published content only."""

import datetime
import math
import re

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import conditional_page
from ninja import NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader
from ninja.throttling import AnonRateThrottle, SimpleRateThrottle
from pydantic import Field, field_validator

from .models import (
    Acknowledgement, ApiKey, Article, ArticleCredit, Author, CommunityLink, Section, Tag, Translation,
    TranslationCredit, localized,
)

# --- Access: anyone may read; a key raises the rate limit ----------------------------------------


class ApiKeyAuth(APIKeyHeader):
    """An X-API-Key header holding a key from the admin; a wrong key is refused, none is anonymous."""

    param_name = "X-API-Key"

    def authenticate(self, request, key):
        if not key:
            return None
        record = ApiKey.authenticate(key)
        if record is None:
            raise AuthenticationError()
        # At most one write a minute per key, so busy clients do not write on every call.
        if not record.last_used_at or record.last_used_at < timezone.now() - datetime.timedelta(minutes=1):
            ApiKey.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
        return record


class Anonymous:
    """The reader without a key; truthy so that ninja lets the request through."""

    def __str__(self):
        return "anonymous"


def anonymous(request):
    return Anonymous()


class _SettingsRate:
    """Read the rate from settings on every request, so deployments and tests can change it."""

    setting = ""

    def __init__(self):
        self.cache = cache
        super().__init__(rate=getattr(settings, self.setting))

    def allow_request(self, request):
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class AnonymousThrottle(_SettingsRate, AnonRateThrottle):
    setting = "CONTENT_API_ANON_RATE"

    def get_cache_key(self, request):
        if isinstance(getattr(request, "auth", None), ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class KeyThrottle(_SettingsRate, SimpleRateThrottle):
    setting = "CONTENT_API_KEY_RATE"
    scope = "apikey"

    def get_cache_key(self, request):
        record = getattr(request, "auth", None)
        if not isinstance(record, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": record.prefix}


class ContentAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        # A key is optional: `{}` in an operation's security says "or no credentials at all".
        for path in schema["paths"].values():
            for operation in path.values():
                if isinstance(operation, dict) and operation.get("security"):
                    operation["security"] = [*operation["security"], {}]
        return schema


api = ContentAPI(
    title="TechFlow Content API",
    version="1",
    description="Read-only access to published articles, their translations and credits. "
                "Send an X-API-Key header for a higher rate limit.",
    urls_namespace="api-v1",
    auth=[ApiKeyAuth(), anonymous],
    throttle=[AnonymousThrottle(), KeyThrottle()],
    # ninja's docs page loads Swagger UI from a CDN, which the site's CSP blocks: serve the schema only.
    docs_url=None,
)


# --- Schemas -----------------------------------------------------------------------------------------


class Error(Schema):
    detail: str


class InvalidRequest(Schema):
    detail: list[dict] = Field(description="What is wrong with each parameter, as pydantic reports it.")


class PersonOut(Schema):
    name: str
    slug: str
    kind: str
    bio: str
    website: str
    url: str


class SectionOut(Schema):
    slug: str
    name: str
    names: dict[str, str]


class TagOut(Schema):
    name: str
    slug: str


class AcknowledgementOut(Schema):
    name: str
    reason: str = Field(description="In the translation's language when there is one.")
    note: str
    reasons: dict[str, str]
    notes: dict[str, str]


class LinkOut(Schema):
    language: str
    label: str
    url: str


class VersionLink(Schema):
    language: str
    title: str
    slug: str
    url: str
    published_at: datetime.datetime


class TranslationSummary(VersionLink):
    standfirst: str
    article: str = Field(description="The article's key.")
    is_original: bool
    section: SectionOut | None
    authors: list[PersonOut]
    translators: list[PersonOut]
    word_count: int
    reading_minutes: int


class ArticleOut(Schema):
    key: str
    original_language: str
    original_title: str
    source_url: str
    source_outlet: str
    source_published_on: datetime.date | None
    rights_note: str
    section: SectionOut | None
    tags: list[TagOut]
    authors: list[PersonOut]
    acknowledgements: list[AcknowledgementOut]
    translations: list[VersionLink]


class TranslationOut(TranslationSummary):
    body: str = Field(description="Markdown, as written.")
    body_html: str = Field(description="Sanitised HTML, as the site shows it.")
    source_version: int
    is_outdated: bool
    tags: list[TagOut]
    acknowledgements: list[AcknowledgementOut]
    source_url: str
    source_outlet: str
    original_title: str
    rights_note: str
    other_versions: list[VersionLink]


class Page(Schema):
    count: int
    page: int
    pages: int
    page_size: int


class TranslationPage(Page):
    results: list[TranslationSummary]


class ArticlePage(Page):
    results: list[ArticleOut]


class AuthorPage(Page):
    results: list[PersonOut]


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class Paging(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


class ContentFilters(Paging):
    language: str | None = Field(None, max_length=10, description="Language code, e.g. fr.")
    section: str | None = Field(None, max_length=100, description="Section slug.")
    author: str | None = Field(None, max_length=200, description="Slug of a writer or translator.")
    tag: str | None = Field(None, max_length=100, description="Tag slug.")
    published_after: datetime.date | None = Field(None, description="On or after this day (UTC).")
    published_before: datetime.date | None = Field(None, description="Before this day (UTC).")

    @field_validator("published_after", "published_before", mode="before")
    @classmethod
    def iso_day_only(cls, value):
        # pydantic would also read "0" as a Unix time; the schema promises an ISO date.
        if value is not None and not (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
            raise ValueError("expected a date as YYYY-MM-DD")
        return value


def responses(schema, *, missing=False):
    codes = {200: schema, 401: Error, 422: InvalidRequest, 429: Error}
    if missing:
        codes[404] = Error
    return codes


# --- Building the output -----------------------------------------------------------------------------


def _url(path):
    return settings.SITE_URL + path


def person(author):
    return {"name": author.name, "slug": author.slug, "kind": author.kind, "bio": author.bio,
            "website": author.website, "url": _url(author.get_absolute_url())}


def section_out(section):
    if section is None:
        return None
    return {"slug": section.slug, "name": section.name, "names": section.names}


def acknowledgements_out(article, language):
    return [
        {"name": a.name, "reason": a.reasons.get(language, "") or localized(a.reasons, language),
         "note": a.notes.get(language, ""), "reasons": a.reasons, "notes": a.notes}
        for a in article.acknowledgements.all()
    ]


def version_link(version):
    return {"language": version.language, "title": version.title, "slug": version.slug,
            "url": _url(version.get_absolute_url()), "published_at": version.published_at}


def summary(version):
    article = version.article
    return {
        **version_link(version),
        "standfirst": version.standfirst, "article": article.key,
        "is_original": version.language == article.original_language,
        "section": section_out(article.section),
        "authors": [person(c.author) for c in article.credits.all()],
        "translators": [person(c.author) for c in version.credits.all()],
        "word_count": version.word_count, "reading_minutes": version.reading_minutes,
    }


def published_versions():
    return Translation.objects.published().order_by("language")


def translations_for_api():
    return Translation.objects.published().select_related("article__section").prefetch_related(
        Prefetch("article__credits", ArticleCredit.objects.select_related("author")),
        Prefetch("credits", TranslationCredit.objects.select_related("author")),
        "article__tags", "article__acknowledgements",
        Prefetch("article__translations", published_versions(), to_attr="visible_versions"),
    )


def articles_for_api():
    visible = Translation.objects.published().filter(article=OuterRef("pk"))
    return Article.objects.filter(Exists(visible)).select_related("section").prefetch_related(
        Prefetch("credits", ArticleCredit.objects.select_related("author")),
        "tags", Prefetch("acknowledgements", Acknowledgement.objects.order_by("position")),
        Prefetch("translations", published_versions(), to_attr="visible_versions"),
    )


def article_out(article):
    language = article.original_language
    return {
        "key": article.key, "original_language": language, "original_title": article.original_title,
        "source_url": article.source_url, "source_outlet": article.source_outlet,
        "source_published_on": article.source_published_on, "rights_note": article.rights_note,
        "section": section_out(article.section),
        "tags": [{"name": t.name, "slug": t.slug} for t in article.tags.all()],
        "authors": [person(c.author) for c in article.credits.all()],
        "acknowledgements": acknowledgements_out(article, language),
        "translations": [version_link(v) for v in article.visible_versions],
    }


def _day_start(day):
    return datetime.datetime.combine(day, datetime.time(), datetime.UTC)


def _filter(queryset, filters, prefix=""):
    """The shared filters; `prefix` leads from an article to its published translations."""
    if filters.language:
        queryset = queryset.filter(**{f"{prefix}language": filters.language})
    if filters.published_after:
        queryset = queryset.filter(**{f"{prefix}published_at__gte": _day_start(filters.published_after)})
    if filters.published_before:
        queryset = queryset.filter(**{f"{prefix}published_at__lt": _day_start(filters.published_before)})
    return queryset


def paginate(queryset, paging, build):
    count = queryset.count()
    start = (paging.page - 1) * paging.page_size
    rows = queryset[start:start + paging.page_size] if start < count else []
    return {"count": count, "page": paging.page, "pages": max(1, math.ceil(count / paging.page_size)),
            "page_size": paging.page_size, "results": [build(row) for row in rows]}


# --- Endpoints: every GET answers with an ETag and honours If-None-Match ------------------------------


@api.get("/translations", response=responses(TranslationPage), tags=["translations"])
@decorate_view(conditional_page)
def list_translations(request, filters: Query[ContentFilters]):
    """Published language versions, newest first."""
    versions = _filter(translations_for_api(), filters)
    if filters.section:
        versions = versions.filter(article__section__slug=filters.section)
    if filters.tag:
        versions = versions.filter(article__tags__slug=filters.tag)
    if filters.author:
        versions = versions.filter(
            Q(article__credits__author__slug=filters.author) | Q(credits__author__slug=filters.author)
        )
    return paginate(versions.distinct().order_by("-published_at", "-pk"), filters, summary)


@api.get("/translations/{language}/{slug}", response=responses(TranslationOut, missing=True),
         tags=["translations"])
@decorate_view(conditional_page)
def get_translation(request, language: str, slug: str):
    """One published language version with its full text, credits and thanks."""
    version = get_object_or_404(translations_for_api(), language=language, slug=slug)
    article = version.article
    return {
        **summary(version),
        "body": version.body, "body_html": version.body_html, "source_version": version.source_version,
        "is_outdated": version.language != article.original_language
        and version.source_version < article.source_version,
        "tags": [{"name": t.name, "slug": t.slug} for t in article.tags.all()],
        "acknowledgements": acknowledgements_out(article, version.language),
        "source_url": article.source_url, "source_outlet": article.source_outlet,
        "original_title": article.original_title, "rights_note": article.rights_note,
        "other_versions": [version_link(v) for v in article.visible_versions if v.pk != version.pk],
    }


@api.get("/articles", response=responses(ArticlePage), tags=["articles"])
@decorate_view(conditional_page)
def list_articles(request, filters: Query[ContentFilters]):
    """Articles with at least one published version, most recently created first."""
    articles = articles_for_api()
    if filters.language or filters.published_after or filters.published_before:
        visible = _filter(Translation.objects.published().filter(article=OuterRef("pk")), filters)
        articles = articles.filter(Exists(visible))
    if filters.section:
        articles = articles.filter(section__slug=filters.section)
    if filters.tag:
        articles = articles.filter(tags__slug=filters.tag)
    if filters.author:
        translated = Translation.objects.published().filter(
            article=OuterRef("pk"), credits__author__slug=filters.author)
        articles = articles.filter(Q(credits__author__slug=filters.author) | Exists(translated))
    return paginate(articles.distinct().order_by("-created_at", "-pk"), filters, article_out)


@api.get("/articles/{key}", response=responses(ArticleOut, missing=True), tags=["articles"])
@decorate_view(conditional_page)
def get_article(request, key: str):
    """One article with its published versions."""
    return article_out(get_object_or_404(articles_for_api(), key=key))


def credited_authors():
    visible = Translation.objects.published()
    return Author.objects.filter(
        Q(article_credits__article__translations__in=visible) | Q(translation_credits__translation__in=visible)
    ).distinct()


@api.get("/authors", response=responses(AuthorPage), tags=["people"])
@decorate_view(conditional_page)
def list_authors(request, paging: Query[Paging]):
    """People and organisations credited on published content, by name."""
    return paginate(credited_authors().order_by("name", "pk"), paging, person)


@api.get("/authors/{slug}", response=responses(PersonOut, missing=True), tags=["people"])
@decorate_view(conditional_page)
def get_author(request, slug: str):
    return person(get_object_or_404(credited_authors(), slug=slug))


@api.get("/sections", response=responses(list[SectionOut]), tags=["taxonomy"])
@decorate_view(conditional_page)
def list_sections(request):
    return [section_out(s) for s in Section.objects.order_by("position", "slug")]


@api.get("/tags", response=responses(list[TagOut]), tags=["taxonomy"])
@decorate_view(conditional_page)
def list_tags(request):
    """Tags of published articles."""
    tags = Tag.objects.filter(articles__translations__in=Translation.objects.published()).distinct()
    tags = tags.order_by("name")
    return [{"name": t.name, "slug": t.slug} for t in tags]


class LinkFilters(Schema):
    language: str | None = Field(None, max_length=10)


@api.get("/community-links", response=responses(list[LinkOut]), tags=["taxonomy"])
@decorate_view(conditional_page)
def list_community_links(request, filters: Query[LinkFilters]):
    """The outlet's channels, in footer order."""
    links = CommunityLink.objects.order_by("language", "position", "pk")
    if filters.language:
        links = links.filter(language=filters.language)
    return [{"language": c.language, "label": c.label, "url": c.url} for c in links]
