"""The reader site's reads: related articles, the x-default choice and search, at the QuerySet level."""

import pytest
from django.utils import timezone

from articles import search
from articles.models import Translation
from articles.sitemaps import x_default_version
from tests import factories
from tests.test_views import publish_article

pytestmark = pytest.mark.django_db


def test_related_to_keeps_same_language_published_neighbours(django_assert_num_queries):
    section = factories.SectionFactory()
    article, (french,) = publish_article(languages=["fr"], section=section, tags=0)
    tag = factories.TagFactory()
    article.tags.add(tag)
    _s, (by_section,) = publish_article(languages=["fr"], section=section, tags=0)
    by_tag_article, (by_tag,) = publish_article(languages=["fr"], tags=0)
    by_tag_article.tags.add(tag)
    _e, (english,) = publish_article(languages=["en"], section=section)
    draft = factories.TranslationFactory(article=factories.ArticleFactory(section=section), language="fr")
    version = Translation.objects.select_related("article").prefetch_related("article__tags").get(pk=french.pk)
    list(version.article.tags.all())
    with django_assert_num_queries(2):
        related = search.related_to(version)
    assert {r.pk for r in related} == {by_section.pk, by_tag.pk}
    assert draft.pk not in {r.pk for r in related} and english.pk not in {r.pk for r in related}


def test_related_to_is_capped_and_latest_first():
    section = factories.SectionFactory()
    _a, (french,) = publish_article(languages=["fr"], section=section)
    others = [publish_article(languages=["fr"], section=section, ago_hours=hours)[1][0] for hours in range(2, 9)]
    related = search.related_to(Translation.objects.get(pk=french.pk), limit=4)
    assert [r.pk for r in related] == [o.pk for o in others[:4]]


def test_x_default_prefers_the_original_then_the_site_language():
    article, (english, french, german) = publish_article(languages=["en", "fr", "de"], original="en")
    assert x_default_version([german, french, english], article) == english
    assert x_default_version([german, french], article) == french
    assert x_default_version([german], article) == german
    assert x_default_version([], article) is None


def test_search_returns_published_versions_only_best_first():
    factories.TranslationFactory(status="published", published_at=timezone.now(), title="Robots partout",
                                 body="robots robots robots")
    factories.TranslationFactory(status="published", published_at=timezone.now(), title="Autre", body="un robots")
    factories.TranslationFactory(status="draft", title="Robots cachés", body="robots")
    results = search.search("robots")
    assert [r.translation.title for r in results] == ["Robots partout", "Autre"]
    assert all("<mark>" in r.snippet for r in results)
    assert search.search("   ") == []
    assert search.search("robots", language="en") == []
