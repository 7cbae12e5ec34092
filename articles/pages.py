"""Stored article pages: rendered once after each change, by the first reader to ask, then read with one query.

Rendering a page per request (templates, nine look-ups, JSON-LD) costs tens of milliseconds; an
essay's page changes a handful of times in its life. So, as `body_html` holds the rendered Markdown,
`RenderedPage` holds the rendered page for anonymous readers. There is no expiry to tune: the same
invalidation that refreshes the page cache (articles/cache.py, `bump`) deletes every stored page
that shows what changed, in the same database, so a row that exists is the current page.
"""

import datetime
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

from .cache import article_page_shows, next_go_live
from .models import Article, RenderedPage, RenderGeneration

# Settings that change what a page shows without any file changing.
BUILD_SETTINGS = ("PUBLICATION_NAME", "LANGUAGES", "CONTENT_LANGUAGES", "STATIC_URL", "MEDIA_URL", "SITE_URL")

_build = None


def build():
    """A digest of everything besides content that shapes a page: code, templates, catalogues, static names."""
    global _build
    if _build is None:
        root = Path(settings.BASE_DIR)
        files = [
            *root.glob("articles/**/*.py"), *root.glob("techflow/*.py"), *root.glob("templates/**/*.*"),
            *root.glob("locale/**/*.mo"), *root.glob("articles/locale/**/*.mo"),
            Path(settings.STATIC_ROOT) / "staticfiles.json",
        ]
        digest = hashlib.sha256()
        for path in sorted(set(files)):
            if path.is_file():
                digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode())
                digest.update(path.read_bytes())
        digest.update(repr([getattr(settings, name, None) for name in BUILD_SETTINGS]).encode())
        _build = digest.hexdigest()[:32]
    return _build


def _origin(request):
    return f"{request.scheme}://{request.get_host()}"


def may_serve(request):
    """Anonymous GETs only: a signed-in editor may be looking at a preview."""
    return (
        settings.STORED_PAGES_ENABLED
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


_prefixes = None


def article_prefixes():
    """Where article pages live, in every interface language (from the URL configuration)."""
    global _prefixes
    if _prefixes is None:
        found = set()
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                found.add(reverse("articles:translation_detail", kwargs={"slug": "s"})[: -len("s/")])
                url = reverse("articles:translation_detail_in", kwargs={"language": "de", "slug": "s"})
                found.add(url[: -len("de/s/")])
        _prefixes = tuple(sorted(found))
    return _prefixes


# The hot path, written out once rather than compiled by the ORM on every request. One table only:
# joining the versions' table (thirteen indexes to lock) doubled the cost of the read.
SERVE_SQL = """
    SELECT html, etag, rendered_at, headers FROM articles_renderedpage
    WHERE origin = %s AND path = %s AND build = %s AND (valid_until IS NULL OR valid_until > %s)
"""
# Set per request by the middleware or the server, never stored with the page.
UNSTORED_HEADERS = {"date", "content-length", "set-cookie", "etag", "last-modified", "x-query-count"}


def serve(request):
    """The stored page for this URL, or None when there is none to serve (one query).

    Only visible versions are stored, and unpublishing, rescheduling or deleting one deletes its rows
    like any other change; a bulk SQL update that bypasses the models needs `manage.py refresh_pages`.
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(SERVE_SQL, [_origin(request), request.path, build(), now])
        row = cursor.fetchone()
    if row is None:
        return None
    html, etag, rendered_at, headers = row
    # SQLite may hand back naive UTC times, as text, and JSON as text.
    if isinstance(rendered_at, str):
        rendered_at = parse_datetime(rendered_at)
    if rendered_at.tzinfo is None:
        rendered_at = rendered_at.replace(tzinfo=datetime.UTC)
    if isinstance(headers, str):
        headers = json.loads(headers)
    last_modified = int(rendered_at.timestamp())
    response = HttpResponse(html, headers=dict(headers))
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    response.headers["X-Stored-Page"] = "hit"
    return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)


class StoredPageMiddleware:
    """Serve a stored article page before sessions, language and URL resolution: one query, little else.

    Placed right after the page cache. When there is no stored page, the view renders and marks
    the request (`stored_page_version`); the page is stored here with the headers the inner
    middleware gave it (Content-Language, Vary, X-Frame-Options), so a later answer is the same.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (may_serve(request) and request.path.startswith(article_prefixes())):
            return self.get_response(request)
        response = serve(request)
        if response is not None:
            return response
        request.stored_page_generation = generation()
        response = self.get_response(request)
        version = getattr(request, "stored_page_version", None)
        if version is not None:
            store(request, version, response, request.stored_page_generation)
        return response


def generation():
    """Read before rendering: `store` keeps the page only if no invalidation happened meanwhile."""
    value = RenderGeneration.objects.filter(pk=1).values_list("value", flat=True).first()
    if value is None:
        RenderGeneration.objects.get_or_create(pk=1)
        value = 0
    return value


def _next_go_live(version):
    """When scheduled content this page would show (another language, related reading) goes live."""
    article = version.article
    tag_ids = [tag.pk for tag in article.tags.all()]
    return next_go_live(article_page_shows(article.pk, article.section_id, tag_ids, version.language))


def store(request, version, response, seen):
    """Keep the page a reader was just given, unless something it shows changed while it rendered."""
    if not (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_USED")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and version.is_visible()
    ):
        return
    content = response.content
    etag = '"' + hashlib.md5(content, usedforsecurity=False).hexdigest() + '"'
    valid_until = _next_go_live(version)
    with transaction.atomic():
        # Waits for an invalidation in progress (which holds this row) and then sees its new value.
        current = RenderGeneration.objects.select_for_update().filter(pk=1).values_list("value", flat=True).first()
        if current != seen:
            return
        key = {"origin": _origin(request), "path": request.path}
        values = {
            "translation": version, "build": build(), "html": content.decode(response.charset), "etag": etag,
            "rendered_at": timezone.now(), "valid_until": valid_until,
            "headers": [[k, v] for k, v in response.headers.items() if k.lower() not in UNSTORED_HEADERS],
        }
        # The generation row is locked: no other store of this key can run between the two.
        if not RenderedPage.objects.filter(**key).update(**values):
            RenderedPage.objects.create(**key, **values)


def _shown_by(scopes):
    """The stored pages that show something in these page-cache scopes; None when nothing does."""
    if "site" in scopes:
        return Q()
    articles, sections, tags = set(), {}, {}
    for scope in scopes:
        kind, _sep, rest = scope.partition(":")
        if kind == "article":
            articles.add(int(rest))
        elif kind in ("section", "tag"):
            pk, _sep, language = rest.partition(":")
            (sections if kind == "section" else tags).setdefault(language, set()).add(int(pk))
    match = Q(translation__article_id__in=articles) if articles else None
    # An article page lists related reading: same language, same section or a shared tag.
    for language, ids in sections.items():
        part = Q(translation__language=language, translation__article__section_id__in=ids)
        match = part if match is None else match | part
    for language, ids in tags.items():
        part = Q(
            translation__language=language,
            translation__article__in=Article.tags.through.objects.filter(tag_id__in=ids).values("article_id"),
        )
        match = part if match is None else match | part
    return match


def invalidate(scopes):
    """Delete the stored pages that show what changed; later renderings see the new generation."""
    match = _shown_by(set(scopes))
    if match is None:
        return
    with transaction.atomic():
        if not RenderGeneration.objects.filter(pk=1).update(value=F("value") + 1):
            RenderGeneration.objects.get_or_create(pk=1)
        RenderedPage.objects.filter(match).delete()
