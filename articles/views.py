"""Public pages: each fetches what its template shows in a fixed number of queries."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from .models import Acknowledgement, Author, Section, Tag, Translation

PAGE_SIZE = 12


def _language():
    return translation.get_language() or settings.LANGUAGE_CODE


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def home(request):
    language = _language()
    translations = Translation.objects.published().in_language(language).for_listing().latest_first()
    return render(request, "articles/home.html", {
        "page_obj": _page(request, translations),
        "sections": Section.objects.all(),
    })


def get_translation_for_reader(request, language, slug):
    """Readers get published versions only; editors may preview any version (never cached)."""
    queryset = Translation.objects.select_related("article__section").prefetch_related(
        "credits__author",
        "article__credits__author",
        "article__tags",
        Prefetch("article__acknowledgements", queryset=Acknowledgement.objects.select_related("author")),
        Prefetch(
            "article__translations",
            queryset=Translation.objects.published().only(
                "id", "article_id", "language", "slug", "title", "status", "published_at"
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


def translation_detail(request, slug, language=None):
    version, is_preview = get_translation_for_reader(request, language or _language(), slug)
    article = version.article
    context = {
        "translation": version,
        "article": article,
        "authors": article.ordered_authors(),
        "translators": version.ordered_translators(),
        "acknowledgements": list(article.acknowledgements.all()),
        "other_versions": [v for v in article.published_versions if v.pk != version.pk],
        "original": next(
            (v for v in article.published_versions if v.language == article.original_language), None
        ),
        "is_preview": is_preview,
    }
    response = render(request, "articles/translation_detail.html", context)
    if is_preview:
        add_never_cache_headers(response)
    return response


def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug)
    language = _language()
    visible = Translation.objects.published().for_listing().latest_first()
    return render(request, "articles/author_detail.html", {
        "author": author,
        "written": _one_per_article(visible.filter(article__credits__author=author), language),
        "translated": list(visible.filter(credits__author=author)),
        "thanked": _one_per_article(visible.filter(article__acknowledgements__author=author), language),
    })


def _one_per_article(queryset, language):
    """One version per article: the reader's language where it exists, else the latest."""
    chosen = {}
    for version in queryset:
        current = chosen.get(version.article_id)
        if current is None or (version.language == language and current.language != language):
            chosen[version.article_id] = version
    return list(chosen.values())


def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    translations = (
        Translation.objects.published().in_language(_language()).filter(article__section=section)
        .for_listing().latest_first()
    )
    return render(request, "articles/section_detail.html", {
        "section": section, "page_obj": _page(request, translations),
    })


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    translations = (
        Translation.objects.published().in_language(_language()).filter(article__tags=tag)
        .for_listing().latest_first()
    )
    return render(request, "articles/tag_detail.html", {
        "tag": tag, "page_obj": _page(request, translations),
    })
