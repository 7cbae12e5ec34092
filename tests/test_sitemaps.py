"""sitemap.xml with hreflang alternates between translations, and robots.txt pointing at it."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from tests import factories
from tests.test_views import publish_article

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
BASE = "http://testserver"


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    entries = {}
    for url in root.findall("s:url", NS):
        loc = url.find("s:loc", NS).text
        lastmod = url.find("s:lastmod", NS)
        entries[loc] = {
            "lastmod": lastmod.text if lastmod is not None else None,
            "alternates": {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)},
        }
    return entries


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


def test_unpublished_versions_are_not_in_the_sitemap(client):
    article, (french,) = publish_article(languages=["fr"])
    hidden = [factories.TranslationFactory(article=article, language=language, status=status)
              for language, status in (("en", "draft"), ("de", "in_review"), ("es", "archived"))]
    hidden.append(factories.TranslationFactory(article=article, language="it", status="scheduled",
                                               published_at=timezone.now() + timezone.timedelta(hours=1)))
    body = client.get("/sitemap.xml").content.decode()
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
    # People without published work have no page worth indexing.
    assert f"{BASE}/fr/authors/{idle.slug}/" not in entries


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert f"Sitemap: {BASE}/sitemap.xml" in text
    assert "Disallow: /fr/admin/" in text and "Disallow: /en/admin/" in text
    assert client.get(text.split("Sitemap: ")[1].strip().replace(BASE, "")).status_code == 200


SITEMAP_QUERIES = 5


@pytest.mark.parametrize("many", [False, True])
def test_sitemap_query_budget(client, django_assert_num_queries, many):
    n = 10 if many else 1
    for _ in range(n):
        publish_article(languages=["en", "fr", "de"] if many else ["fr"])
    with django_assert_num_queries(SITEMAP_QUERIES):
        response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.content.count(b"<url>") >= n
