"""Full-page cache for anonymous readers: scope generations, precise invalidation, HTTP caching and CDN purge."""

import hashlib
import logging
import threading
import time
import urllib.request
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from .sitemaps import sitemap_paths

logger = logging.getLogger(__name__)

PAGE_KEY = "page:v1:"
GEN_KEY = "gen:"
# Bumped with every invalidation: an entry stored under the current epoch is valid without more look-ups.
EPOCH = "gen:epoch"
VISIBLE = ("published", "scheduled")

# The only pages ever stored: the public reader pages (language-prefixed) and two root files.
CACHEABLE_VIEWS = {
    "articles:home", "articles:search", "articles:feed_rss", "articles:feed_atom",
    "articles:translation_detail", "articles:translation_detail_in",
    "articles:author_detail", "articles:author_feed_rss", "articles:author_feed_atom",
    "articles:section_detail", "articles:section_feed_rss", "articles:section_feed_atom",
    "articles:tag_detail", "sitemap", "sitemap_section", "robots_txt",
}
LANGUAGE_NEUTRAL = {"sitemap", "sitemap_section", "robots_txt"}
# Never looked up, whatever the language prefix: they are personal, or not pages.
PRIVATE_SEGMENTS = {"admin", "workspace", "accounts", "api", "markdownx", "exchange", "i18n", "healthz"}


def _gen(scope):
    return GEN_KEY + scope


# --- Invalidation -------------------------------------------------------------------------------


def bump(scopes, paths=()):
    """Make every page depending on `scopes` stale, now (in every process sharing the cache)."""
    from . import pages

    scopes = set(scopes)
    if not scopes:
        return
    pages.invalidate(scopes)
    token = uuid.uuid4().hex[:16]
    values = {_gen(scope): token for scope in scopes}
    values[EPOCH] = token
    cache.set_many(values, timeout=None)
    if paths:
        purge(paths)


def bump_on_commit(scopes, paths=()):
    """Invalidate once the change is visible to other connections (after commit)."""
    scopes, paths = set(scopes), set(paths)
    transaction.on_commit(lambda: bump(scopes, paths))


def invalidate_everything():
    """Bulk loads bypass signals: they call this once at the end."""
    bump({"site"}, sitemap_paths())


def article_scopes(article_ids, extra_languages=(), extra_sections=(), extra_tags=(), extra_authors=()):
    """The scopes, and the public paths, of everything that shows one of these articles."""
    from .models import (
        Acknowledgement, Article, ArticleCredit, Author, Section, Tag, Translation, TranslationCredit,
    )

    article_ids = set(article_ids)
    scopes, paths = {"all"}, set(sitemap_paths())
    if not article_ids:
        return scopes, paths
    rows = list(Translation.objects.filter(article_id__in=article_ids).values_list("language", "slug", "status"))
    languages = {lang for lang, _slug, _status in rows} | set(extra_languages)
    section_ids = set(
        Article.objects.filter(pk__in=article_ids, section__isnull=False).values_list("section_id", flat=True)
    ) | set(extra_sections)
    tag_ids = set(Tag.objects.filter(articles__in=article_ids).values_list("pk", flat=True)) | set(extra_tags)
    author_ids = set(extra_authors)
    author_ids |= set(ArticleCredit.objects.filter(article_id__in=article_ids).values_list("author_id", flat=True))
    author_ids |= set(
        TranslationCredit.objects.filter(translation__article_id__in=article_ids).values_list("author_id", flat=True)
    )
    author_ids |= set(
        Acknowledgement.objects.filter(article_id__in=article_ids, author__isnull=False)
        .values_list("author_id", flat=True)
    )
    scopes |= {f"article:{pk}" for pk in article_ids}
    scopes |= {f"lang:{lang}" for lang in languages}
    scopes |= {f"section:{pk}:{lang}" for pk in section_ids for lang in languages}
    scopes |= {f"tag:{pk}:{lang}" for pk in tag_ids for lang in languages}
    scopes |= {f"author:{pk}" for pk in author_ids}
    if _purge_configured():
        paths |= _public_paths(
            [(lang, slug) for lang, slug, status in rows if status in VISIBLE],
            languages,
            Section.objects.filter(pk__in=section_ids).values_list("slug", flat=True),
            Tag.objects.filter(pk__in=tag_ids).values_list("slug", flat=True),
            Author.objects.filter(pk__in=author_ids).values_list("slug", flat=True),
        )
    return scopes, paths


def _public_paths(versions, languages, section_slugs, tag_slugs, author_slugs):
    """Every reader URL, in every interface language, that can show one of these things."""
    from .models import translation_url

    interface = [code for code, _name in settings.LANGUAGES]
    paths = set()
    for lang, slug in versions:
        if lang in interface:
            paths.add(translation_url(lang, slug))
        else:
            for code in interface:
                with translation.override(code):
                    paths.add(reverse("articles:translation_detail_in", kwargs={"language": lang, "slug": slug}))
    section_slugs, tag_slugs, author_slugs = list(section_slugs), list(tag_slugs), list(author_slugs)
    for code in interface:
        with translation.override(code):
            if code in languages:
                paths |= {reverse(name) for name in ("articles:home", "articles:feed_rss", "articles:feed_atom")}
                for slug in section_slugs:
                    paths |= {reverse(name, kwargs={"slug": slug}) for name in (
                        "articles:section_detail", "articles:section_feed_rss", "articles:section_feed_atom")}
                paths |= {reverse("articles:tag_detail", kwargs={"slug": slug}) for slug in tag_slugs}
            for slug in author_slugs:
                paths |= {reverse(name, kwargs={"slug": slug}) for name in (
                    "articles:author_detail", "articles:author_feed_rss", "articles:author_feed_atom")}
    return paths


# --- Purging a CDN or reverse proxy ------------------------------------------------------------------


def _purge_configured():
    return bool(getattr(settings, "CACHE_PURGE_URL", ""))


def purge(paths):
    """Ask the configured proxy or CDN to drop these paths; in a thread, so no editor waits for it."""
    if not _purge_configured() or not paths:
        return
    thread = threading.Thread(target=send_purges, args=(sorted(paths),), daemon=True)
    thread.start()


def send_purges(paths):
    """One request per path: `METHOD <purge URL><path>` with the public site's Host header."""
    base = settings.CACHE_PURGE_URL.rstrip("/")
    host = settings.CACHE_PURGE_HOST or urlsplit(settings.SITE_URL).netloc
    for path in paths:
        request = urllib.request.Request(base + path, method=settings.CACHE_PURGE_METHOD, headers={"Host": host})
        try:
            with urllib.request.urlopen(request, timeout=settings.CACHE_PURGE_TIMEOUT) as answer:
                answer.read()
        except Exception as error:  # noqa: BLE001 - a proxy that is down must not break publishing
            logger.warning("Cache purge of %s failed: %s", path, error)


# --- What a page depends on ------------------------------------------------------------------------


def _dependencies(match, language):
    """(scopes, Q of the translations the page draws on) for a resolved public URL, or None if not storable."""
    from .models import Author, Section, Tag, Translation

    name, kwargs = match.view_name, match.kwargs
    if name in ("articles:home", "articles:feed_rss", "articles:feed_atom"):
        return {f"lang:{language}"}, Q(language=language)
    if name in ("articles:search", "sitemap", "sitemap_section"):
        return {"all"}, Q()
    if name == "robots_txt":
        return set(), None
    if name.startswith("articles:section_"):
        pk = Section.objects.filter(slug=kwargs["slug"]).values_list("pk", flat=True).first()
        if pk is None:
            return None
        return {f"section:{pk}:{language}"}, Q(language=language, article__section_id=pk)
    if name == "articles:tag_detail":
        pk = Tag.objects.filter(slug=kwargs["slug"]).values_list("pk", flat=True).first()
        if pk is None:
            return None
        return {f"tag:{pk}:{language}"}, Q(language=language, article__tags=pk)
    if name.startswith("articles:author_"):
        pk = Author.objects.filter(slug=kwargs["slug"]).values_list("pk", flat=True).first()
        if pk is None:
            return None
        return {f"author:{pk}"}, (
            Q(article__credits__author=pk) | Q(credits__author=pk) | Q(article__acknowledgements__author=pk)
        )
    if name.startswith("articles:translation_detail"):
        lang = kwargs.get("language") or language
        row = (
            Translation.objects.filter(language=lang, slug=kwargs["slug"])
            .values_list("article_id", "article__section_id").first()
        )
        if row is None:
            return None
        article_id, section_id = row
        tag_ids = list(Tag.objects.filter(articles=article_id).values_list("pk", flat=True))
        scopes = {f"article:{article_id}", *(f"tag:{pk}:{lang}" for pk in tag_ids)}
        if section_id:
            scopes.add(f"section:{section_id}:{lang}")
        return scopes, article_page_shows(article_id, section_id, tag_ids, lang)
    return None


def article_page_shows(article_id, section_id, tag_ids, language):
    """The versions an article page draws on: its article's, and related reading (same language,
    same section or a shared tag)."""
    related = Q(article__tags__in=tag_ids) if tag_ids else Q(pk__in=[])
    if section_id:
        related |= Q(article__section_id=section_id)
    return Q(article_id=article_id) | (Q(language=language) & related)


def next_go_live(condition):
    """When the next scheduled version matching `condition` becomes visible; None if none is pending."""
    from .models import Translation

    return (
        Translation.objects.filter(condition, status__in=VISIBLE, published_at__gt=timezone.now())
        .aggregate(at=Min("published_at"))["at"]
    )


def _seconds_to_next_go_live(condition):
    """A page listing scheduled content expires exactly when the next of it becomes visible."""
    if condition is None:
        return None
    upcoming = next_go_live(condition)
    if upcoming is None:
        return None
    return max(1, int((upcoming - timezone.now()).total_seconds()) + 1)


# --- The middleware --------------------------------------------------------------------------------


def _is_private_path(path):
    parts = path.lstrip("/").split("/", 2)
    first = parts[0]
    second = parts[1] if len(parts) > 1 else ""
    return first in PRIVATE_SEGMENTS or second in PRIVATE_SEGMENTS


def _sets_cookies(response):
    return bool(response.cookies) or response.has_header("Set-Cookie")


def _cache_control_forbids(response):
    value = response.get("Cache-Control", "").lower()
    return any(word in value for word in ("private", "no-cache", "no-store", "max-age=0"))


def _cookie_vary_matters(request, response):
    # Vary: Cookie only means "a session or CSRF token may have shaped this"; both are checked separately.
    varies = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    others = varies - {"cookie", "accept-encoding", "accept-language"}
    if others:
        return True
    # Unprefixed pages chose their language from Accept-Language: one key cannot hold them all,
    # unless the page reads no language (the sitemap, robots.txt).
    return (
        "accept-language" in varies
        and request.resolver_match.view_name not in LANGUAGE_NEUTRAL
        and translation.get_language_from_path(request.path_info) is None
    )


def _cache_control(ttl):
    browser = min(settings.PAGE_CACHE_BROWSER_MAX_AGE, ttl)
    shared = min(settings.PAGE_CACHE_SHARED_MAX_AGE, ttl)
    return f"public, max-age={browser}, s-maxage={shared}"


def _strip_cookie_vary(response):
    varies = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    kept = [v for v in varies if v.lower() != "cookie"]
    if kept:
        response.headers["Vary"] = ", ".join(kept)
    elif "Vary" in response.headers:
        del response.headers["Vary"]


class PageCacheMiddleware:
    """Serve anonymous readers' public pages from the cache; everyone else goes through the views.

    A stored page records the generation of each scope it depends on ("lang:fr", "article:12",
    "section:3:fr", ...). Signal handlers bump those scopes after commit, so a hit is valid only while
    every generation still matches. Place it right after WhiteNoise, before sessions.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED:
            return self.get_response(request)
        if not self._may_look_up(request):
            response = self.get_response(request)
            self._mark_private(request, response)
            return response
        from .pages import build

        # The release is part of the key: a deploy with new templates or styles never serves old pages.
        key = PAGE_KEY + hashlib.sha256(
            f"{build()}|{request.scheme}://{request.get_host()}{request.get_full_path()}".encode()
        ).hexdigest()
        found = cache.get_many([key, EPOCH])
        entry, epoch = found.get(key), found.get(EPOCH)
        if entry is not None and self._is_fresh(entry, epoch):
            return self._from_entry(request, entry)
        if epoch is None:
            # A new cache: start the epoch so that later hits need only this one look-up.
            cache.add(EPOCH, uuid.uuid4().hex[:16], timeout=None)
            epoch = cache.get(EPOCH)
        response = self.get_response(request)
        if self._may_store(request, response) and self._store(request, response, key, epoch):
            return get_conditional_response(
                request, etag=response["ETag"], last_modified=int(time.time()), response=response
            )
        else:
            self._mark_private(request, response)
        return response

    @staticmethod
    def _may_look_up(request):
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            and not _is_private_path(request.path_info)
        )

    @staticmethod
    def _is_fresh(entry, epoch):
        if entry["expires_at"] <= time.time():
            return False
        if epoch is not None and entry["epoch"] == epoch:
            return True
        if not entry["gens"]:
            return True
        current = cache.get_many(list(entry["gens"]))
        return all(current.get(k) == v for k, v in entry["gens"].items())

    @staticmethod
    def _mark_private(request, response):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)

    @staticmethod
    def _may_store(request, response):
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        return (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and match is not None
            and match.view_name in CACHEABLE_VIEWS
            and not (user is not None and user.is_authenticated)
            and not _sets_cookies(response)
            and not _cache_control_forbids(response)
            # A page that carries a CSRF token is personal: never store it.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not request.META.get("CSRF_COOKIE_USED")
            and not _cookie_vary_matters(request, response)
        )

    def _store(self, request, response, key, epoch):
        language = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
        found = _dependencies(request.resolver_match, language)
        if found is None:
            return False
        scopes, condition = found
        scopes.add("site")
        ttl = settings.PAGE_CACHE_SECONDS
        upcoming = _seconds_to_next_go_live(condition)
        if upcoming is not None:
            ttl = min(ttl, upcoming)
        keys = [_gen(s) for s in scopes]
        gens = cache.get_many(keys + [EPOCH])
        missing = [k for k in keys if k not in gens]
        if missing:
            token = uuid.uuid4().hex[:16]
            for k in missing:
                cache.add(k, token, timeout=None)
            gens = cache.get_many(keys + [EPOCH])
        # Something was invalidated while the page rendered: it may show the old state; don't keep it.
        if gens.get(EPOCH) != epoch or any(k not in gens for k in keys):
            return False
        content = response.content
        stored_at = time.time()
        etag = '"' + hashlib.md5(content, usedforsecurity=False).hexdigest() + '"'
        _strip_cookie_vary(response)
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(stored_at)
        response.headers["Cache-Control"] = _cache_control(ttl)
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("cache-control", "date")]
        entry = {
            "content": content, "status": response.status_code, "headers": headers,
            "gens": {k: gens[k] for k in keys}, "epoch": epoch,
            "stored_at": stored_at, "expires_at": stored_at + ttl, "etag": etag,
        }
        cache.set(key, entry, timeout=ttl)
        response.headers["X-Page-Cache"] = "miss"
        return True

    @staticmethod
    def _from_entry(request, entry):
        ttl = max(1, int(entry["expires_at"] - time.time()))
        response = HttpResponse(b"" if request.method == "HEAD" else entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response.headers[name] = value
        response.headers["Content-Length"] = str(len(entry["content"]))
        response.headers["Cache-Control"] = _cache_control(ttl)
        response.headers["X-Page-Cache"] = "hit"
        conditional = get_conditional_response(
            request, etag=entry["etag"], last_modified=int(entry["stored_at"]), response=response
        )
        return conditional


# --- Signal handlers: what changed, and which scopes show it ----------------------------------------


def _remember(sender, instance, raw=False, **kwargs):
    """Before a save or delete: the stored values that decide which pages showed the row."""
    fields = _WATCHED.get(sender)
    if raw or fields is None or instance.pk is None:
        instance._page_cache_old = None
        return
    instance._page_cache_old = sender._default_manager.filter(pk=instance.pk).values(*fields).first()


def _old(instance, field):
    old = getattr(instance, "_page_cache_old", None)
    return old.get(field) if old else None


def _touch_articles(article_ids, **extra):
    scopes, paths = article_scopes(article_ids, **extra)
    bump_on_commit(scopes, paths)


def _translation_changed(sender, instance, raw=False, **kwargs):
    # Drafts and reviews change nothing readers see; publishing, edits while public and unpublishing do.
    if _old(instance, "status") in VISIBLE or instance.status in VISIBLE:
        _touch_articles([instance.article_id], extra_languages=[instance.language])


def _translation_deleted(sender, instance, **kwargs):
    if _old(instance, "status") in VISIBLE:
        _touch_articles([instance.article_id], extra_languages=[instance.language])


def _article_changed(sender, instance, raw=False, **kwargs):
    old_section = _old(instance, "section_id")
    _touch_articles([instance.pk], extra_sections=[old_section] if old_section else [])


def _article_deleting(sender, instance, **kwargs):
    # Before the cascade: afterwards nothing says which languages, sections and people showed it.
    _touch_articles([instance.pk])


def _article_tags_changed(sender, instance, action, pk_set, model, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    from .models import Article

    if isinstance(instance, Article):
        if action == "pre_clear":
            instance._page_cache_cleared = list(instance.tags.values_list("pk", flat=True))
            return
        tags = set(pk_set or ()) | set(getattr(instance, "_page_cache_cleared", ()))
        _touch_articles([instance.pk], extra_tags=tags)
    elif action != "pre_clear":
        # From the tag's side: pk_set holds articles.
        article_ids = set(pk_set or ()) or set(instance.articles.values_list("pk", flat=True))
        _touch_articles(article_ids, extra_tags=[instance.pk])


def _credit_changed(sender, instance, raw=False, **kwargs):
    from .models import TranslationCredit

    old_author = _old(instance, "author_id")
    authors = [old_author] if old_author else []
    if isinstance(instance, TranslationCredit):
        article_id = _old(instance, "translation__article_id")
        if article_id is None:
            from .models import Translation

            article_id = Translation.objects.filter(pk=instance.translation_id).values_list(
                "article_id", flat=True).first()
    else:
        article_id = instance.article_id
    if article_id is not None:
        _touch_articles([article_id], extra_authors=authors + ([instance.author_id] if instance.author_id else []))


def _person_changed(sender, instance, raw=False, **kwargs):
    """An author's name shows on their page and on every page listing their work."""
    from .models import Article

    article_ids = set(
        Article.objects.filter(
            Q(credits__author=instance) | Q(translations__credits__author=instance)
            | Q(acknowledgements__author=instance)
        ).values_list("pk", flat=True)
    )
    _touch_articles(article_ids, extra_authors=[instance.pk])


def _tag_changed(sender, instance, raw=False, **kwargs):
    from .models import Article

    article_ids = set(Article.objects.filter(tags=instance).values_list("pk", flat=True))
    _touch_articles(article_ids, extra_tags=[instance.pk])


def _site_changed(sender, instance, raw=False, **kwargs):
    # Sections are listed on every home page; community links sit in every footer.
    bump_on_commit({"site"}, sitemap_paths())


_WATCHED = {}


def connect_signals():
    """Called from ArticlesConfig.ready()."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

    from .models import (
        Acknowledgement, Article, ArticleCredit, Author, CommunityLink, Section, Tag, Translation,
        TranslationCredit,
    )

    _WATCHED.update({
        Translation: ("status", "published_at"),
        Article: ("section_id",),
        ArticleCredit: ("author_id",),
        Acknowledgement: ("author_id",),
        TranslationCredit: ("author_id", "translation__article_id"),
    })
    uid = "articles.page_cache."
    for model in _WATCHED:
        pre_save.connect(_remember, sender=model, dispatch_uid=uid + "pre_save." + model.__name__)
        pre_delete.connect(_remember, sender=model, dispatch_uid=uid + "pre_delete." + model.__name__)
    post_save.connect(_translation_changed, sender=Translation, dispatch_uid=uid + "translation")
    post_delete.connect(_translation_deleted, sender=Translation, dispatch_uid=uid + "translation_del")
    post_save.connect(_article_changed, sender=Article, dispatch_uid=uid + "article")
    pre_delete.connect(_article_deleting, sender=Article, dispatch_uid=uid + "article_del")
    m2m_changed.connect(_article_tags_changed, sender=Article.tags.through, dispatch_uid=uid + "tags")
    for model in (ArticleCredit, TranslationCredit, Acknowledgement):
        post_save.connect(_credit_changed, sender=model, dispatch_uid=uid + "credit." + model.__name__)
        post_delete.connect(_credit_changed, sender=model, dispatch_uid=uid + "credit_del." + model.__name__)
    post_save.connect(_person_changed, sender=Author, dispatch_uid=uid + "author")
    pre_delete.connect(_person_changed, sender=Author, dispatch_uid=uid + "author_del")
    post_save.connect(_tag_changed, sender=Tag, dispatch_uid=uid + "tag")
    pre_delete.connect(_tag_changed, sender=Tag, dispatch_uid=uid + "tag_del")
    for model in (Section, CommunityLink):
        post_save.connect(_site_changed, sender=model, dispatch_uid=uid + "site." + model.__name__)
        post_delete.connect(_site_changed, sender=model, dispatch_uid=uid + "site_del." + model.__name__)
