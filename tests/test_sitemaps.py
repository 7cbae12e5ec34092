"""sitemap.xml: an index of paged sections, hreflang alternates between versions, robots.txt pointing at it."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.sitemaps import TranslationSitemap
from tests import factories
from tests.test_views import publish_article

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
BASE = "http://testserver"
SECTIONS = ["home", "translations", "sections", "authors"]


def get_xml(client, url):
    response = client.get(url.removeprefix(BASE))
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def index(client):
    """The page addresses /sitemap.xml lists, in order."""
    root = get_xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    return [entry.find("s:loc", NS).text for entry in root.findall("s:sitemap", NS)]


def page_entries(client, url):
    entries = {}
    for node in get_xml(client, url).findall("s:url", NS):
        loc = node.find("s:loc", NS).text
        lastmod = node.find("s:lastmod", NS)
        assert loc not in entries, loc
        entries[loc] = {
            "lastmod": lastmod.text if lastmod is not None else None,
            "alternates": {link.get("hreflang"): link.get("href") for link in node.findall("x:link", NS)},
        }
    return entries


def sitemap(client):
    """Every URL of every page the index lists, as a crawler would gather them; none listed twice."""
    entries = {}
    for url in index(client):
        page = page_entries(client, url)
        assert not page.keys() & entries.keys(), url
        entries |= page
    return entries


@pytest.fixture
def small_pages(monkeypatch):
    """Two versions a page, so that a few rows make several pages."""
    monkeypatch.setattr(TranslationSitemap, "limit", 2)


# --- The index and its pages -----------------------------------------------------------------------

def test_index_lists_one_page_per_section(client):
    publish_article(languages=["fr"])
    assert index(client) == [f"{BASE}/sitemap-{name}.xml" for name in SECTIONS]


def test_index_lists_every_page_and_the_pages_share_the_versions_out(client, small_pages):
    versions = [v for _ in range(3) for v in publish_article(languages=["en", "fr"])[1]]
    versions.append(publish_article(languages=["de"])[1][0])
    pages = [f"{BASE}/sitemap-translations.xml"] + [f"{BASE}/sitemap-translations.xml?p={n}" for n in (2, 3, 4)]
    assert [url for url in index(client) if "translations" in url] == pages
    seen = []
    for url in pages:
        entries = page_entries(client, url)
        assert len(entries) == (2 if url != pages[-1] else 1), url
        seen += entries
    assert sorted(seen) == sorted(BASE + v.get_absolute_url() for v in versions)


def test_versions_of_one_article_keep_their_alternates_across_pages(client, small_pages):
    _article, versions = publish_article(languages=["en", "fr", "es"], original="en")
    first = page_entries(client, "/sitemap-translations.xml")
    second = page_entries(client, "/sitemap-translations.xml?p=2")
    assert len(first) == 2 and len(second) == 1
    expected = {"en", "fr", "es", "x-default"}
    assert all(entry["alternates"].keys() == expected for entry in (first | second).values())


@pytest.mark.parametrize("query", ["?p=3", "?p=0", "?p=-1", "?p=two"])
def test_a_page_out_of_range_is_a_404(client, small_pages, query):
    publish_article(languages=["en", "fr", "de"])
    assert client.get("/sitemap-translations.xml?p=2").status_code == 200
    assert client.get(f"/sitemap-translations.xml{query}").status_code == 404


def test_an_unknown_section_is_a_404(client):
    assert client.get("/sitemap-nope.xml").status_code == 404


def test_index_gives_each_page_its_sections_last_change(client):
    _article, (french,) = publish_article(languages=["fr"])
    root = get_xml(client, "/sitemap.xml")
    lastmods = {
        entry.find("s:loc", NS).text: entry.find("s:lastmod", NS) for entry in root.findall("s:sitemap", NS)
    }
    french.refresh_from_db()
    assert lastmods[f"{BASE}/sitemap-translations.xml"].text.startswith(
        timezone.localtime(french.updated_at).strftime("%Y-%m-%dT%H:%M:%S")
    )


# --- What the pages hold ---------------------------------------------------------------------------

def test_translations_list_each_other_reciprocally_with_x_default(client):
    article, versions = publish_article(languages=["en", "fr", "es"], original="en")
    entries = sitemap(client)
    expected = {
        "en": BASE + versions[0].get_absolute_url(),
        "fr": BASE + versions[1].get_absolute_url(),
        "es": BASE + f"/fr/articles/es/{versions[2].slug}/",
        "x-default": BASE + versions[0].get_absolute_url(),
    }
    for language, url in expected.items():
        if language == "x-default":
            continue
        assert url in entries, url
        # Every version lists the full set, itself included: reciprocal by construction.
        assert entries[url]["alternates"] == expected


def test_x_default_is_the_site_language_when_the_original_is_not_hosted(client):
    _article, (german, french) = publish_article(languages=["de", "fr"], original="en")
    entry = sitemap(client)[BASE + french.get_absolute_url()]
    assert entry["alternates"]["x-default"] == BASE + french.get_absolute_url()


def test_lastmod_is_the_versions_last_change(client):
    _article, (french,) = publish_article(languages=["fr"])
    entry = sitemap(client)[BASE + french.get_absolute_url()]
    assert entry["lastmod"] == timezone.localtime(french.updated_at).strftime("%Y-%m-%d")


def test_unpublished_versions_are_not_in_the_sitemap(client, small_pages):
    article, (french,) = publish_article(languages=["fr"])
    for _ in range(2):
        publish_article(languages=["en", "fr"])
    hidden = [factories.TranslationFactory(article=article, language=language, status=status)
              for language, status in (("en", "draft"), ("de", "in_review"), ("es", "archived"))]
    hidden.append(factories.TranslationFactory(article=article, language="it", status="scheduled",
                                               published_at=timezone.now() + timezone.timedelta(hours=1)))
    pages = index(client)
    assert len([url for url in pages if "translations" in url]) == 3  # 5 visible versions, 2 a page
    body = "".join(client.get(url.removeprefix(BASE)).content.decode() for url in ["/sitemap.xml", *pages])
    for version in hidden:
        assert f"/{version.slug}/" not in body
    assert sitemap(client)[BASE + french.get_absolute_url()]["alternates"].keys() == {"fr", "x-default"}


def test_listing_pages_are_listed_in_both_interface_languages(client, sample):
    idle = factories.AuthorFactory(name="Nobody Credited")
    entries = sitemap(client)
    for language in ("fr", "en"):
        assert f"{BASE}/{language}/" in entries
        assert f"{BASE}/{language}/sections/techflow-selection/" in entries
        assert f"{BASE}/{language}/authors/techflow/" in entries
    assert entries[f"{BASE}/en/authors/techflow/"]["alternates"] == {
        "fr": f"{BASE}/fr/authors/techflow/", "en": f"{BASE}/en/authors/techflow/",
        "x-default": f"{BASE}/fr/authors/techflow/",
    }
    assert entries[f"{BASE}/en/"]["alternates"] == {
        "fr": f"{BASE}/fr/", "en": f"{BASE}/en/", "x-default": f"{BASE}/fr/",
    }
    # People without published work have no page worth indexing.
    assert f"{BASE}/fr/authors/{idle.slug}/" not in entries


def test_robots_txt_points_at_the_sitemap_index(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert f"Sitemap: {BASE}/sitemap.xml" in text
    assert "Disallow: /fr/admin/" in text and "Disallow: /en/admin/" in text
    assert get_xml(client, text.split("Sitemap: ")[1].strip()).tag == f"{{{NS['s']}}}sitemapindex"


# --- Cost: the same few queries whatever the amount of content, and never the texts -----------------

INDEX_QUERIES = 5  # translations: last change, count; sections: list; authors: last change, list
PAGE_QUERIES = {"home": 0, "translations": 3, "sections": 1, "authors": 1}  # translations: count, page, siblings


TEXT_COLUMNS = ('"title"', '"standfirst"', '"body"', '"body_html"')


def _run(client, url):
    """(queries, response); no query reads a text column: essays are long and a page lists hundreds."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    for query in queries.captured_queries:
        columns = query["sql"].split(" FROM ")[0]
        assert not any(text in columns for text in TEXT_COLUMNS), query["sql"]
    return len(queries.captured_queries), response


@pytest.mark.parametrize("many", [False, True])
def test_index_query_budget(client, small_pages, many):
    n = 10 if many else 1
    for _ in range(n):
        publish_article(languages=["en", "fr", "de"] if many else ["fr"])
    count, response = _run(client, "/sitemap.xml")
    assert count == INDEX_QUERIES
    assert response.content.count(b"<sitemap>") == len(SECTIONS) - 1 + (15 if many else 1)


@pytest.mark.parametrize("many", [False, True])
@pytest.mark.parametrize("section", SECTIONS)
def test_page_query_budget(client, monkeypatch, many, section):
    n = 10 if many else 1
    for _ in range(n):
        publish_article(languages=["en", "fr", "de"] if many else ["fr"])
    # With many rows, a full page in the middle of several.
    monkeypatch.setattr(TranslationSitemap, "limit", 4)
    url = f"/sitemap-{section}.xml" + ("?p=2" if many and section == "translations" else "")
    count, response = _run(client, url)
    assert count == PAGE_QUERIES[section]
    assert response.content.count(b"<url>") >= (4 if many and section == "translations" else 1)
