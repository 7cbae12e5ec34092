"""Search-engine and social metadata: canonical, hreflang, OpenGraph, Twitter cards and schema.org JSON-LD."""

import json
from html.parser import HTMLParser

import pytest

from tests import factories
from tests.test_views import publish_article

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


class Head(HTMLParser):
    """Collects <link>, <meta> and script blocks, plus any inline style or script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.meta, self.scripts, self.problems = [], [], [], []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs or any(name.startswith("on") for name in attrs):
            self.problems.append((tag, attrs))
        if tag == "link":
            self.links.append(attrs)
        elif tag == "meta":
            self.meta.append(attrs)
        elif tag == "script":
            self._script = {"type": attrs.get("type"), "src": attrs.get("src"), "text": ""}
        elif tag == "style":
            self.problems.append(("style", attrs))

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(self._script)
            self._script = None


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = Head()
    parser.feed(response.content.decode())
    return parser


def hreflangs(parser):
    return {link["hreflang"]: link["href"] for link in parser.links if link.get("rel") == "alternate" and "hreflang" in link}


def canonical(parser):
    return [link["href"] for link in parser.links if link.get("rel") == "canonical"]


def meta(parser, key):
    return [m.get("content") for m in parser.meta if m.get("property") == key or m.get("name") == key]


def json_ld(parser):
    blocks = [s for s in parser.scripts if s["type"] == "application/ld+json"]
    assert len(blocks) == 1
    return json.loads(blocks[0]["text"])


def test_hreflang_set_is_complete_and_reciprocal(client):
    _article, versions = publish_article(languages=["en", "fr", "es", "de"], original="en")
    sets = []
    for version in versions:
        parser = head(client, version.get_absolute_url())
        links = hreflangs(parser)
        assert set(links) == {"en", "fr", "es", "de", "x-default"}
        # Each page names itself among the alternates.
        assert canonical(parser) == [links[version.language]]
        sets.append(links)
    assert all(links == sets[0] for links in sets)
    assert sets[0]["x-default"] == BASE + versions[0].get_absolute_url()
    assert sets[0]["es"] == f"{BASE}/fr/articles/es/{versions[2].slug}/"


def test_page_under_another_interface_points_to_the_canonical_address(client):
    _article, (french,) = publish_article(languages=["fr"])
    parser = head(client, f"/en/articles/fr/{french.slug}/")
    assert canonical(parser) == [BASE + french.get_absolute_url()]


def test_opengraph_and_twitter_tags(client):
    _article, (english, french) = publish_article(languages=["en", "fr"])
    parser = head(client, french.get_absolute_url())
    assert meta(parser, "og:title") == [french.title]
    assert meta(parser, "og:description") == [french.standfirst]
    assert meta(parser, "og:url") == [BASE + french.get_absolute_url()]
    assert meta(parser, "og:locale") == ["fr_FR"]
    assert meta(parser, "og:locale:alternate") == ["en_US"]
    assert meta(parser, "og:type") == ["article"]
    image = meta(parser, "og:image")[0]
    assert image.startswith(BASE) and client.get(image.replace(BASE, "")).status_code == 200
    assert meta(parser, "twitter:card") == ["summary_large_image"]
    assert meta(parser, "twitter:title") == [french.title]
    assert meta(parser, "article:published_time")


def test_json_ld_names_translator_and_original(client, sample):
    from articles.models import Translation

    version = Translation.objects.get(article__key="sam-altman-reflections", language="fr")
    data = json_ld(head(client, version.get_absolute_url()))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Article"
    assert data["inLanguage"] == "fr"
    assert [a["name"] for a in data["author"]] == ["Sam Altman"]
    assert [t["name"] for t in data["translator"]] == ["TechFlow"]
    assert data["translator"][0]["@type"] == "Organization"
    assert data["datePublished"].startswith("2025-01-07")
    assert data["dateModified"]
    assert data["publisher"]["name"] == "TechFlow"
    original = data["translationOfWork"]
    assert original["url"] == "https://blog.samaltman.com/reflections"
    assert original["inLanguage"] == "en" and original["headline"] == "Reflections"


def test_hosted_original_lists_its_translations(client):
    _article, (english, french, german) = publish_article(languages=["en", "fr", "de"], original="en")
    data = json_ld(head(client, english.get_absolute_url()))
    assert "translationOfWork" not in data and "translator" not in data
    assert {(w["inLanguage"], w["url"]) for w in data["workTranslation"]} == {
        ("fr", BASE + french.get_absolute_url()), ("de", f"{BASE}/fr/articles/de/{german.slug}/"),
    }
    translated = json_ld(head(client, french.get_absolute_url()))
    assert translated["translationOfWork"]["url"] == BASE + english.get_absolute_url()


def test_json_ld_cannot_be_closed_by_content(client):
    article, (version,) = publish_article(languages=["fr"], original="en")
    article.original_title = "</script><script>alert(1)</script>"
    article.save()
    version.title = "Titre </script><img src=x onerror=alert(1)>"
    version.save()
    parser = head(client, version.get_absolute_url())
    assert [s["type"] for s in parser.scripts] == ["application/ld+json"]
    data = json_ld(parser)
    assert data["headline"] == version.title
    assert data["translationOfWork"]["headline"] == article.original_title


@pytest.mark.parametrize("url", ["/fr/", "/en/", "/fr/search/?q=essai", "/en/sections/{section}/",
                                 "/fr/authors/{author}/", "/en/tags/{tag}/", "{article}"])
def test_no_inline_script_or_style_anywhere(client, url):
    section = factories.SectionFactory()
    article, (english, french) = publish_article(languages=["en", "fr"], section=section)
    url = url.format(section=section.slug, author=article.ordered_authors()[0].slug,
                     tag=article.tags.first().slug, article=french.get_absolute_url())
    parser = head(client, url)
    assert parser.problems == []
    assert all(s["type"] == "application/ld+json" for s in parser.scripts)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_listing_pages_have_canonical_and_interface_alternates(client, language):
    section = factories.SectionFactory()
    parser = head(client, f"/{language}/sections/{section.slug}/")
    assert canonical(parser) == [f"{BASE}/{language}/sections/{section.slug}/"]
    assert hreflangs(parser) == {
        "fr": f"{BASE}/fr/sections/{section.slug}/", "en": f"{BASE}/en/sections/{section.slug}/",
        "x-default": f"{BASE}/fr/sections/{section.slug}/",
    }
