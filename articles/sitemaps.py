"""Sitemaps: every published translation with hreflang alternates to its siblings, plus listing pages."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Prefetch
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
    """Adds `alternates_for(item)` as xhtml:link entries to each URL."""

    def alternates_for(self, item, absolute):
        return []

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)

        def absolute(path):
            return f"{protocol}://{domain}{path}"

        for info in urls:
            info["alternates"] = [
                {"lang_code": code, "location": url} for code, url in self.alternates_for(info["item"], absolute)
            ]
        return urls


class TranslationSitemap(AlternatesSitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Translation.objects.published().select_related("article")
            .prefetch_related(Prefetch(
                "article__translations",
                queryset=Translation.objects.published().only(
                    "id", "article_id", "language", "slug", "published_at"
                ),
                to_attr="published_versions",
            ))
            .order_by("language", "-published_at", "pk")
        )

    def location(self, item):
        return canonical_path(item)

    def lastmod(self, item):
        return item.updated_at

    def alternates_for(self, item, absolute):
        return hreflang_alternates(item.article.published_versions, item.article, absolute)


class PerInterfaceLanguageSitemap(AlternatesSitemap):
    """One URL per object and interface language, each listing the others as alternates."""

    url_name = None

    def objects(self):
        raise NotImplementedError

    def items(self):
        return [(obj, code) for obj in self.objects() for code, _name in settings.LANGUAGES]

    def location(self, item):
        obj, code = item
        with translation.override(code):
            return reverse(self.url_name, kwargs={"slug": obj.slug})

    def alternates_for(self, item, absolute):
        return interface_alternates(self.url_name, {"slug": item[0].slug}, absolute)


class SectionSitemap(PerInterfaceLanguageSitemap):
    changefreq = "weekly"
    url_name = "articles:section_detail"

    def objects(self):
        return Section.objects.order_by("position", "slug")


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
        ).order_by("slug")

    def lastmod(self, item):
        return item[0].updated_at


class HomeSitemap(AlternatesSitemap):
    changefreq = "daily"

    def items(self):
        return [code for code, _name in settings.LANGUAGES]

    def location(self, item):
        with translation.override(item):
            return reverse("articles:home")

    def alternates_for(self, item, absolute):
        return interface_alternates("articles:home", {}, absolute)


SITEMAPS = {
    "home": HomeSitemap,
    "translations": TranslationSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
}
