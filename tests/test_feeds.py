"""RSS 2.0 and Atom feeds per language, section and author, read back with feedparser."""

import calendar

import feedparser
import pytest
from django.utils import timezone

from articles.feeds import FEED_SIZE
from tests import factories
from tests.test_views import publish_article

pytestmark = pytest.mark.django_db

KINDS = ["rss", "atom"]


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return response, feed


def feed_urls(section, author, language="fr"):
    return [
        *(f"/{language}/feeds/{kind}/" for kind in KINDS),
        *(f"/{language}/sections/{section.slug}/{kind}/" for kind in KINDS),
        *(f"/{language}/authors/{author.slug}/{kind}/" for kind in KINDS),
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_feed_parses_with_authors_translators_and_full_content(client, language):
    section = factories.SectionFactory()
    article, versions = publish_article(languages=["en", "fr"], section=section)
    version = next(v for v in versions if v.language == language)
    author = article.ordered_authors()[0]
    for url in feed_urls(section, author, language):
        response, feed = parsed(client, url)
        entry = next(e for e in feed.entries if e.title == version.title)
        # Full sanitised body, not an excerpt.
        assert entry.content[0].value.strip() == version.body_html.strip()
        names = {a.get("name") for a in entry.get("authors", [])}
        assert {a.name for a in article.ordered_authors()} <= names | {entry.get("author")}, url
        if version.language != article.original_language:
            contributors = {c.get("name") for c in entry.get("contributors", [])}
            assert {t.name for t in version.ordered_translators()} <= contributors, url
        assert entry.link.endswith(version.get_absolute_url())
        published = entry.published_parsed
        assert calendar.timegm(published) == int(version.published_at.timestamp())


def test_language_feed_only_has_that_language(client):
    _article, (english, french) = publish_article(languages=["en", "fr"])
    _r, fr_feed = parsed(client, "/fr/feeds/rss/")
    _r, en_feed = parsed(client, "/en/feeds/atom/")
    assert [e.title for e in fr_feed.entries] == [french.title]
    assert [e.title for e in en_feed.entries] == [english.title]
    assert fr_feed.feed.language == "fr" and en_feed.feed.language == "en"


def test_atom_feed_has_updated_dates_and_language(client):
    _article, (_english, french) = publish_article(languages=["en", "fr"])
    response, feed = parsed(client, "/fr/feeds/atom/")
    assert b'xml:lang="fr"' in response.content
    assert feed.entries[0].updated_parsed is not None


def test_unpublished_content_is_absent_from_every_feed(client):
    section = factories.SectionFactory()
    author = factories.AuthorFactory()
    for status in ("draft", "in_review", "archived"):
        article = factories.ArticleFactory(section=section)
        factories.ArticleCreditFactory(article=article, author=author, position=0)
        factories.TranslationFactory(article=article, status=status, title=f"Hidden {status}")
    future = factories.ArticleFactory(section=section)
    factories.ArticleCreditFactory(article=future, author=author, position=0)
    factories.TranslationFactory(article=future, status="scheduled", title="Hidden scheduled",
                                 published_at=timezone.now() + timezone.timedelta(hours=2))
    for url in feed_urls(section, author):
        response, feed = parsed(client, url)
        assert b"Hidden" not in response.content, url
        assert feed.entries == []


def test_feed_content_is_the_sanitised_html(client):
    article = factories.ArticleFactory()
    factories.TranslationFactory(article=article, status="published", published_at=timezone.now(),
                                 body="Hello <script>alert(1)</script> [x](javascript:alert(1))")
    response, feed = parsed(client, "/fr/feeds/rss/")
    assert "<script" not in feed.entries[0].content[0].value
    assert 'href="javascript' not in feed.entries[0].content[0].value


def test_unknown_section_or_author_feed_is_404(client):
    assert client.get("/fr/sections/nope/rss/").status_code == 404
    assert client.get("/fr/authors/nope/atom/").status_code == 404


# Query budgets: the same count with one item as with many.
FEED_QUERIES = {"language": 5, "section": 6, "author": 6}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("scope", ["language", "section", "author"])
@pytest.mark.parametrize("many", [False, True])
def test_feed_query_budget(client, django_assert_num_queries, kind, scope, many):
    section = factories.SectionFactory()
    person = factories.AuthorFactory()
    n = 8 if many else 1
    for _ in range(n):
        article, _versions = publish_article(languages=["en", "fr"], section=section,
                                             authors=3 if many else 1, translators=3 if many else 1)
        factories.ArticleCreditFactory(article=article, author=person, position=9)
    url = {
        "language": f"/fr/feeds/{kind}/",
        "section": f"/fr/sections/{section.slug}/{kind}/",
        "author": f"/fr/authors/{person.slug}/{kind}/",
    }[scope]
    with django_assert_num_queries(FEED_QUERIES[scope]):
        response = client.get(url)
    assert response.status_code == 200
    expected = min(n * (2 if scope == "author" else 1), FEED_SIZE)
    assert len(feedparser.parse(response.content).entries) == expected


@pytest.mark.parametrize("kind", KINDS)
def test_standfirst_text_is_escaped_as_html_in_descriptions(client, kind):
    import xml.etree.ElementTree as ET

    factories.TranslationFactory(status="published", published_at=timezone.now(),
                                 standfirst="Moins <img src=x onerror=alert(1)> que prévu")
    root = ET.fromstring(client.get(f"/fr/feeds/{kind}/").content)
    texts = [el.text for el in root.iter() if el.tag.split("}")[-1] in ("description", "summary") and el.text]
    item_texts = [t for t in texts if "Moins" in t]
    assert item_texts == ["Moins &lt;img src=x onerror=alert(1)&gt; que prévu"]
