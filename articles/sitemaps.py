"""Sitemaps: every published translation with hreflang alternates to its siblings, plus listing pages."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Prefetch
from django.urls import reverse
from django.utils import translation

from .models import Author, Section, Translation


def x_default_version(versions, article):
    """The version search engines show when none matches: the original, else the site language's, else the first."""
    versions = sorted(versions, key=lambda v: (v.published_at, v.pk))
    for wanted in (article.original_language, settings.LANGUAGE_CODE):
        for version in versions:
            if version.language == wanted:
                return version
    return versions[0] if versions else None


def canonical_path(version):
    """One address per version: content outside the interface languages lives under the site language."""
    with translation.override(settings.LANGUAGE_CODE):
        return version.get_absolute_url()


def hreflang_alternates(versions, article, absolute):
    """[(hreflang, absolute URL)] for every published version plus x-default: the same set on each page."""
    versions = sorted(versions, key=lambda v: v.language)
    links = [(v.language, absolute(canonical_path(v))) for v in versions]
    default = x_default_version(versions, article)
    if default is not None:
        links.append(("x-default", absolute(canonical_path(default))))
    return links


def interface_alternates(url_name, kwargs, absolute):
    """[(hreflang, absolute URL)] for a page that exists under every interface language."""
    links = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            links.append((code, absolute(reverse(url_name, kwargs=kwargs))))
    with translation.override(settings.LANGUAGE_CODE):
        links.append(("x-default", absolute(reverse(url_name, kwargs=kwargs))))
    return links


class AlternatesSitemap(Sitemap):
    """Each URL lists its group's language versions as xhtml:link entries; the URLs are reversed once per group."""

    # Per page: about 300 KB and 0.1-0.2 s at 10,000 articles, where one document was 18 MB and 16 s.
    limit = 500

    def __init__(self):
        self._paths = {}

    def group(self, item):
        """(key shared by the item and its language versions, the item's own hreflang)."""
        raise NotImplementedError

    def alternate_paths(self, item):
        """[(hreflang, path)] for every version in the item's group, x-default last."""
        raise NotImplementedError

    def location(self, item):
        return dict(self._group_paths(item))[self.group(item)[1]]

    def _group_paths(self, item):
        key = self.group(item)[0]
        if key not in self._paths:
            self._paths[key] = self.alternate_paths(item)
        return self._paths[key]

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for info in urls:
            info["alternates"] = [
                {"lang_code": code, "location": f"{protocol}://{domain}{path}"}
                for code, path in self._group_paths(info["item"])
            ]
        return urls


class TranslationSitemap(AlternatesSitemap):
    changefreq = "monthly"

    def items(self):
        # By id, so that new versions land on the last page and earlier pages stay put.
        return (
            Translation.objects.published().select_related("article")
            .only("id", "article_id", "language", "slug", "updated_at", "article__id", "article__original_language")
            .prefetch_related(Prefetch(
                "article__translations",
                queryset=Translation.objects.published().only(
                    "id", "article_id", "language", "slug", "published_at"
                ),
                to_attr="published_versions",
            ))
            .order_by("pk")
        )

    def get_latest_lastmod(self):
        # The base class would load every item for this; the index needs one aggregate.
        return Translation.objects.published().aggregate(latest=Max("updated_at"))["latest"]

    def location(self, item):
        # Unpublished between the page query and its siblings' query: still its own address.
        return dict(self._group_paths(item)).get(item.language) or canonical_path(item)

    def lastmod(self, item):
        return item.updated_at

    def group(self, item):
        return item.article_id, item.language

    def alternate_paths(self, item):
        return hreflang_alternates(item.article.published_versions, item.article, str)


class PerInterfaceLanguageSitemap(AlternatesSitemap):
    """One URL per object and interface language, each listing the others as alternates."""

    url_name = None

    def objects(self):
        raise NotImplementedError

    def items(self):
        return [(obj, code) for obj in self.objects() for code, _name in settings.LANGUAGES]

    def group(self, item):
        obj, code = item
        return obj.slug, code

    def alternate_paths(self, item):
        return interface_alternates(self.url_name, {"slug": item[0].slug}, str)


class SectionSitemap(PerInterfaceLanguageSitemap):
    changefreq = "weekly"
    url_name = "articles:section_detail"

    def objects(self):
        return Section.objects.only("slug").order_by("position", "slug")


class AuthorSitemap(PerInterfaceLanguageSitemap):
    """Only people with published work or thanks; others have no page worth indexing."""

    changefreq = "weekly"
    url_name = "articles:author_detail"

    def objects(self):
        visible = Translation.objects.published()
        return Author.objects.filter(
            Exists(visible.filter(article__credits__author=OuterRef("pk")))
            | Exists(visible.filter(credits__author=OuterRef("pk")))
            | Exists(visible.filter(article__acknowledgements__author=OuterRef("pk")))
        ).only("slug", "updated_at").order_by("slug")

    def lastmod(self, item):
        return item[0].updated_at


class HomeSitemap(AlternatesSitemap):
    changefreq = "daily"

    def items(self):
        return [code for code, _name in settings.LANGUAGES]

    def group(self, item):
        return "home", item

    def alternate_paths(self, item):
        return interface_alternates("articles:home", {}, str)


SITEMAPS = {
    "home": HomeSitemap,
    "translations": TranslationSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
}


def sitemap_paths():
    """The index and each section's first page: the sitemap addresses a proxy can purge by exact path."""
    return [reverse("sitemap")] + [reverse("sitemap_section", kwargs={"section": name}) for name in SITEMAPS]
