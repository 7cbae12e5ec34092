"""RSS 2.0 and Atom feeds per language, section and author, with full sanitised text and every credit."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.template.loader import render_to_string

from .models import Author, Section, Translation

# Full text for each item (feed readers show it whole): the newest 15, as Ghost serves.
FEED_SIZE = 15
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"


def _describe(kind, name):
    # Worded in a template so that its strings live with the reader site's catalogue.
    return render_to_string("articles/feed_description.txt", {"kind": kind, "name": name}).strip()


class CreditedRssFeed(Rss201rev2Feed):
    """RSS 2.0 with content:encoded for the full text and one dc:creator / dc:contributor per person."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DC, "xmlns:content": CONTENT}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item.get("more_authors", []):
            handler.addQuickElement("dc:creator", name)
        for name in item.get("translators", []):
            handler.addQuickElement("dc:contributor", name)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class CreditedAtomFeed(Atom1Feed):
    """Atom with <content type="html"> for the full text, every author, and translators as contributors."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item.get("more_authors", []):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        for name in item.get("translators", []):
            handler.startElement("contributor", {})
            handler.addQuickElement("name", name)
            handler.endElement("contributor")
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class TranslationFeed(Feed):
    """Latest published versions in the interface language; subclasses narrow the selection."""

    feed_type = CreditedRssFeed

    def get_object(self, request, *args, **kwargs):
        return None

    def visible(self):
        return Translation.objects.published().for_listing().latest_first()

    def select(self, obj):
        return self.visible().in_language(translation.get_language())

    def items(self, obj):
        return self.select(obj)[:FEED_SIZE]

    def title(self, obj):
        return settings.PUBLICATION_NAME

    def link(self, obj):
        return reverse("articles:home")

    def description(self, obj):
        return _describe("latest", settings.PUBLICATION_NAME)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Readers treat a description as HTML: the standfirst is text, so it goes in escaped.
        return escape(item.standfirst or item.title)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"{settings.SITE_URL}/translations/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_author_name(self, item):
        authors = item.article.ordered_authors()
        return authors[0].name if authors else None

    def item_categories(self, item):
        section = item.article.section
        return [section.name] if section else []

    def item_extra_kwargs(self, item):
        return {
            "more_authors": [a.name for a in item.article.ordered_authors()[1:]],
            "translators": [t.name for t in item.ordered_translators()],
            "content_html": item.body_html,
        }


class TranslationAtomFeed(TranslationFeed):
    feed_type = CreditedAtomFeed
    subtitle = TranslationFeed.description


class SectionFeed(TranslationFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def select(self, obj):
        return super().select(obj).filter(article__section=obj)

    def title(self, obj):
        return f"{obj.name} · {settings.PUBLICATION_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return _describe("section", obj.name)


class SectionAtomFeed(SectionFeed):
    feed_type = CreditedAtomFeed
    subtitle = SectionFeed.description


class AuthorFeed(TranslationFeed):
    """What a person wrote or translated, in any language."""

    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def select(self, obj):
        return self.visible().filter(Q(article__credits__author=obj) | Q(credits__author=obj)).distinct()

    def title(self, obj):
        return f"{obj.name} · {settings.PUBLICATION_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return _describe("author", obj.name)


class AuthorAtomFeed(AuthorFeed):
    feed_type = CreditedAtomFeed
    subtitle = AuthorFeed.description
