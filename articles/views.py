"""Public pages: each fetches what its template shows in a fixed number of queries."""

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseNotFound, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from . import search as site_search
from .models import Acknowledgement, ArticleCredit, Author, Section, Tag, Translation, TranslationCredit
from .sitemaps import canonical_path, hreflang_alternates, interface_alternates

PAGE_SIZE = 12
# OpenGraph wants territory-qualified locales.
OG_LOCALES = {
    "fr": "fr_FR", "en": "en_US", "es": "es_ES", "de": "de_DE", "it": "it_IT",
    "pt": "pt_PT", "zh-hans": "zh_CN", "ja": "ja_JP",
}


def _language():
    return translation.get_language() or settings.LANGUAGE_CODE


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _listing_meta(request, url_name, kwargs=None, page_obj=None):
    """Canonical URL, hreflang links and language-switch targets for a page shown in every interface language."""
    kwargs = kwargs or {}
    suffix = f"?page={page_obj.number}" if page_obj is not None and page_obj.number > 1 else ""
    alternates = interface_alternates(url_name, kwargs, request.build_absolute_uri)
    links = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            links.append({"code": code, "url": reverse(url_name, kwargs=kwargs)})
    return {
        "canonical_url": request.build_absolute_uri(reverse(url_name, kwargs=kwargs)) + suffix,
        "hreflang_links": alternates,
        "language_links": links,
    }


def home(request):
    language = _language()
    translations = Translation.objects.published().in_language(language).for_cards().latest_first()
    page_obj = _page(request, translations)
    return render(request, "articles/home.html", {
        "page_obj": page_obj,
        "sections": Section.objects.all(),
        **_listing_meta(request, "articles:home", page_obj=page_obj),
    })


def get_translation_for_reader(request, language, slug):
    """Readers get published versions only; editors may preview any version (never cached)."""
    queryset = Translation.objects.select_related("article__section").prefetch_related(
        Prefetch("credits", queryset=TranslationCredit.objects.select_related("author")),
        Prefetch("article__credits", queryset=ArticleCredit.objects.select_related("author")),
        "article__tags",
        Prefetch("article__acknowledgements", queryset=Acknowledgement.objects.select_related("author")),
        Prefetch(
            "article__translations",
            queryset=Translation.objects.published().only(
                "id", "article_id", "language", "slug", "title", "status", "published_at", "updated_at"
            ),
            to_attr="published_versions",
        ),
    )
    version = get_object_or_404(queryset, language=language, slug=slug)
    if version.is_visible():
        return version, False
    user = request.user
    if user.is_authenticated and user.is_staff and user.has_perm("articles.view_translation"):
        return version, True
    raise Http404


def _person_ld(person, request):
    kind = "Organization" if person.kind == Author.Kind.ORGANISATION else "Person"
    data = {"@type": kind, "name": person.name, "url": request.build_absolute_uri(person.get_absolute_url())}
    same_as = [url for url in [person.website, *person.social_links] if isinstance(url, str) and url]
    if same_as:
        data["sameAs"] = same_as
    return data


def _article_ld(request, version, article, authors, translators, versions):
    """schema.org data: the version as an Article, linked to its original and, for the original, its translations."""
    absolute = request.build_absolute_uri
    publisher = {"@type": "Organization", "name": settings.PUBLICATION_NAME, "url": absolute("/")}
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": version.title,
        "inLanguage": version.language,
        "url": absolute(canonical_path(version)),
        "mainEntityOfPage": absolute(canonical_path(version)),
        "author": [_person_ld(p, request) for p in authors],
        "publisher": publisher,
        "wordCount": version.word_count,
    }
    if version.standfirst:
        data["description"] = version.standfirst
    if version.published_at:
        data["datePublished"] = version.published_at.isoformat()
    data["dateModified"] = max(filter(None, [version.updated_at, version.published_at])).isoformat()
    if article.section:
        data["articleSection"] = article.section.name
    tags = [tag.name for tag in article.tags.all()]
    if tags:
        data["keywords"] = tags
    if version.is_original:
        others = [v for v in versions if v.pk != version.pk]
        if others:
            data["workTranslation"] = [
                {"@type": "Article", "headline": v.title, "inLanguage": v.language, "url": absolute(canonical_path(v))}
                for v in others
            ]
    else:
        data["translator"] = [_person_ld(p, request) for p in translators]
        hosted = next((v for v in versions if v.language == article.original_language), None)
        original = {"@type": "Article", "inLanguage": article.original_language,
                    "author": [_person_ld(p, request) for p in authors]}
        if article.original_title:
            original["headline"] = article.original_title
        if hosted is not None:
            original["url"] = absolute(canonical_path(hosted))
            if article.source_url:
                original["sameAs"] = article.source_url
        elif article.source_url:
            original["url"] = article.source_url
        if article.source_published_on:
            original["datePublished"] = article.source_published_on.isoformat()
        if article.source_outlet:
            original["publisher"] = {"@type": "Organization", "name": article.source_outlet}
        data["translationOfWork"] = original
    # Escaped so that no text can close the <script> data block.
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _version_language_links(request, version, versions):
    """Where each interface language takes the reader: its own version if published, else this one."""
    links = []
    for code, _name in settings.LANGUAGES:
        own = next((v for v in versions if v.language == code), None)
        with translation.override(code):
            if own is not None:
                url = own.get_absolute_url()
            else:
                url = reverse("articles:translation_detail_in", kwargs={"language": version.language, "slug": version.slug})
        links.append({"code": code, "url": url})
    return links


def translation_detail(request, slug, language=None):
    version, is_preview = get_translation_for_reader(request, language or _language(), slug)
    article = version.article
    versions = article.published_versions
    authors = article.ordered_authors()
    translators = version.ordered_translators()
    absolute = request.build_absolute_uri
    context = {
        "translation": version,
        "article": article,
        "authors": authors,
        "translators": translators,
        "acknowledgements": list(article.acknowledgements.all()),
        # "Merci à" is said in the article's language when it has a catalogue.
        "interface_language_codes": [code for code, _name in settings.LANGUAGES],
        "tags": list(article.tags.all()),
        "other_versions": sorted((v for v in versions if v.pk != version.pk), key=lambda v: v.language),
        "original": next((v for v in versions if v.language == article.original_language), None),
        "related": site_search.related_to(version),
        "is_preview": is_preview,
        "canonical_url": absolute(canonical_path(version)),
        "hreflang_links": hreflang_alternates(versions, article, absolute) if not is_preview else [],
        "language_links": _version_language_links(request, version, versions),
        "og_locale": OG_LOCALES.get(version.language, version.language.replace("-", "_")),
        "og_alternate_locales": [OG_LOCALES.get(v.language, v.language) for v in versions if v.pk != version.pk],
        "json_ld": _article_ld(request, version, article, authors, translators, versions),
    }
    response = render(request, "articles/translation_detail.html", context)
    if is_preview:
        add_never_cache_headers(response)
    elif hasattr(request, "stored_page_generation"):
        # articles.pages.StoredPageMiddleware keeps it for the next reader.
        request.stored_page_version = version
    return response


def author_detail(request, slug):
    """Everything a person wrote, translated or is thanked in: one chronological list, a role label on each."""
    author = get_object_or_404(Author, slug=slug)
    work = Translation.objects.published().credited_to(author, _language()).for_cards().latest_first()
    page_obj = _page(request, work)
    return render(request, "articles/author_detail.html", {
        "author": author, "page_obj": page_obj,
        **_listing_meta(request, "articles:author_detail", {"slug": author.slug}, page_obj),
    })


def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    translations = (
        Translation.objects.published().in_language(_language()).filter(article__section=section)
        .for_cards().latest_first()
    )
    page_obj = _page(request, translations)
    return render(request, "articles/section_detail.html", {
        "section": section, "page_obj": page_obj,
        **_listing_meta(request, "articles:section_detail", {"slug": section.slug}, page_obj),
    })


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    translations = (
        Translation.objects.published().in_language(_language()).filter(article__tags=tag)
        .for_cards().latest_first()
    )
    page_obj = _page(request, translations)
    return render(request, "articles/tag_detail.html", {
        "tag": tag, "page_obj": page_obj,
        **_listing_meta(request, "articles:tag_detail", {"slug": tag.slug}, page_obj),
    })


def search_results(request):
    """Published translations matching ?q=, optionally only those in ?language=."""
    query = request.GET.get("q", "").strip()[: site_search.MAX_QUERY_CHARS]
    language = request.GET.get("language", "")
    if language not in site_search.searchable_languages():
        language = ""
    results = site_search.search(query, language or None) if query else []
    meta = _listing_meta(request, "articles:search")
    # Results pages are not for indexing; the switcher keeps the query.
    suffix = "?" + request.GET.urlencode() if request.GET else ""
    for link in meta["language_links"]:
        link["url"] += suffix
    return render(request, "articles/search_results.html", {
        "query": query,
        "language_filter": language,
        "content_languages": settings.CONTENT_LANGUAGES,
        "results": results,
        "canonical_url": meta["canonical_url"],
        "language_links": meta["language_links"],
        "noindex": bool(query),
    })


@require_GET
def switch_language(request):
    """Remember the reader's interface language in a cookie and go to `next`.

    A link rather than a CSRF-protected form, so reader pages carry no token and stay cacheable;
    a preference cookie changes nothing on the server."""
    language = request.GET.get("language", "")
    next_url = request.GET.get("next", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        with translation.override(language):
            next_url = reverse("articles:home")
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
    )
    add_never_cache_headers(response)
    return response


@require_GET
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{code}/admin/" for code, _name in settings.LANGUAGES]
    lines += [f"Disallow: /{code}/search/" for code, _name in settings.LANGUAGES]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def page_not_found(request, exception=None):
    """The 404 page in the reader's language (the URL's prefix, else their preference)."""
    html = loader.render_to_string("404.html", {"language_links": _home_links()}, request)
    return HttpResponseNotFound(html)


def server_error(request):
    """The 500 page: rendered without the database, which may be what failed."""
    language = translation.get_language_from_request(request, check_path=True)
    with translation.override(language):
        html = loader.render_to_string("500.html", {
            "publication_name": settings.PUBLICATION_NAME, "LANGUAGE_CODE": language,
        })
    return HttpResponseServerError(html)


def _home_links():
    links = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            links.append({"code": code, "url": reverse("articles:home")})
    return links
