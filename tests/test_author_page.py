"""An author's page: one chronological list of what they wrote, translated or are thanked in, paginated."""

import html as html_lib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.views import PAGE_SIZE
from tests import factories
from tests.test_views import publish_article

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
ITEM = re.compile(
    r'<p class="kicker">(?P<roles>.*?)</p>\s*<article class="card" lang="(?P<lang>[^"]+)">\s*'
    r'<h2 class="card-title"><a href="[^"]*">(?P<title>[^<]*)</a>'
)
LABELS = {"fr": {"A écrit": "written", "A traduit": "translated", "Remercié dans": "thanked"},
          "en": {"Written": "written", "Translated": "translated", "Thanked in": "thanked"}}


def page(client, person, language="fr", number=None):
    url = f"/{language}/authors/{person.slug}/" + (f"?page={number}" if number is not None else "")
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def items(html, language="fr"):
    """[(title, {roles})] in page order."""
    found = []
    for match in ITEM.finditer(html):
        roles = {LABELS[language][label.strip()] for label in html_lib.unescape(match["roles"]).split("·")}
        found.append((html_lib.unescape(match["title"]), roles))
    return found


def credit(person, role, article, version=None):
    if role == "written":
        factories.ArticleCreditFactory(article=article, author=person, position=9)
    elif role == "translated":
        factories.TranslationCreditFactory(translation=version, author=person, position=9)
    else:
        factories.AcknowledgementFactory(article=article, author=person, position=9)


@pytest.fixture
def person(db):
    return factories.AuthorFactory(name="Camille Martin")


# --- What is listed, and with which role ------------------------------------------------------------

@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_item_says_what_the_person_did(client, person, language):
    wrote, (wrote_en, wrote_fr) = publish_article(languages=["en", "fr"], ago_hours=3)
    credit(person, "written", wrote)
    _t, (_original, translated_fr) = publish_article(languages=["en", "fr"], ago_hours=2)
    credit(person, "translated", None, translated_fr)
    thanked, (thanked_en, thanked_fr) = publish_article(languages=["en", "fr"], ago_hours=1)
    credit(person, "thanked", thanked)
    here = {"fr": (wrote_fr, thanked_fr), "en": (wrote_en, thanked_en)}[language]
    assert items(page(client, person, language), language) == [
        (here[1].title, {"thanked"}), (translated_fr.title, {"translated"}), (here[0].title, {"written"}),
    ]


def test_written_and_thanked_articles_show_one_version_the_readers_else_the_latest(client, person):
    both, (_en, both_fr) = publish_article(languages=["en", "fr"])
    credit(person, "written", both)
    english_only, (only_en,) = publish_article(languages=["en"])
    credit(person, "thanked", english_only)
    older, (older_de, newer_es) = publish_article(languages=["de", "es"])
    older_de.published_at = timezone.now() - timezone.timedelta(days=2)
    older_de.save()
    credit(person, "written", older)
    titles = {title for title, _roles in items(page(client, person))}
    assert titles == {both_fr.title, only_en.title, newer_es.title}


def test_every_version_they_translated_is_listed(client, person):
    _article, (_original, french, spanish) = publish_article(languages=["en", "fr", "es"])
    for version in (french, spanish):
        credit(person, "translated", None, version)
    assert {title for title, _roles in items(page(client, person))} == {french.title, spanish.title}


def test_a_version_with_two_roles_is_listed_once_with_both(client, person):
    article, (english, french) = publish_article(languages=["en", "fr"])
    credit(person, "written", article)
    credit(person, "translated", None, french)
    credit(person, "thanked", article)
    assert items(page(client, person, "fr")) == [(french.title, {"written", "translated", "thanked"})]
    # In English the article shows its English version; the French one is theirs as translator.
    assert sorted(items(page(client, person, "en"), "en")) == sorted(
        [(english.title, {"written", "thanked"}), (french.title, {"translated"})]
    )


def test_hidden_versions_never_appear_nor_stand_in_for_a_visible_one(client, person):
    article, (english,) = publish_article(languages=["en"])
    credit(person, "written", article)
    credit(person, "thanked", article)
    future = timezone.now() + timezone.timedelta(hours=1)
    hidden = [
        factories.TranslationFactory(article=article, language="fr", status="draft", title="Hidden draft"),
        factories.TranslationFactory(article=article, language="de", status="in_review", title="Hidden review"),
        factories.TranslationFactory(article=article, language="es", status="archived", title="Hidden archive"),
        factories.TranslationFactory(article=article, language="it", status="scheduled", published_at=future,
                                     title="Hidden schedule"),
    ]
    for version in hidden:
        credit(person, "translated", None, version)
    html = page(client, person, "fr")
    assert "Hidden" not in html
    assert items(html) == [(english.title, {"written", "thanked"})]


def test_nothing_published_says_so_without_pagination(client, person):
    article = factories.ArticleFactory()
    credit(person, "written", article)
    factories.TranslationFactory(article=article, status="draft")
    html = page(client, person)
    assert "<p>Rien de publié pour l’instant.</p>" in html
    assert items(html) == [] and 'class="pagination"' not in html


# --- Pagination ------------------------------------------------------------------------------------

def _prolific(person, n):
    """n articles written, one French version each, the first the newest."""
    versions = []
    for hours in range(n):
        article, (french,) = publish_article(languages=["fr"], ago_hours=hours + 1)
        credit(person, "written", article)
        versions.append(french)
    return versions


def test_pages_hold_twelve_newest_first(client, person):
    versions = _prolific(person, PAGE_SIZE + 3)
    first, second = page(client, person), page(client, person, number=2)
    assert [title for title, _r in items(first)] == [v.title for v in versions[:PAGE_SIZE]]
    assert [title for title, _r in items(second)] == [v.title for v in versions[PAGE_SIZE:]]
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first
    assert 'href="?page=1" rel="prev"' in second and 'rel="next"' not in second


def test_canonical_url_names_the_page(client, person):
    _prolific(person, PAGE_SIZE + 1)
    canonical = f'<link rel="canonical" href="{BASE}/fr/authors/{person.slug}/'
    assert canonical + '">' in page(client, person)
    assert canonical + '?page=2">' in page(client, person, number=2)
    # hreflang links name the page itself, not one of its pages.
    assert f'hreflang="en" href="{BASE}/en/authors/{person.slug}/"' in page(client, person, number=2)


def test_a_page_past_the_end_shows_the_last_as_other_listings_do(client, person):
    versions = _prolific(person, PAGE_SIZE + 1)
    html = page(client, person, number=99)
    assert [title for title, _r in items(html)] == [versions[-1].title]
    assert f"/fr/authors/{person.slug}/?page=2" in html
    assert [title for title, _r in items(page(client, person, number="x"))][0] == versions[0].title


# --- Cost ------------------------------------------------------------------------------------------

AUTHOR_QUERIES = 8  # person, count, page, credits + their people, translators + theirs, footer links
TEXT_COLUMNS = ('"body"', '"body_html"')


@pytest.mark.parametrize("many", [False, True])
@pytest.mark.parametrize("number", [1, 2])
def test_same_queries_with_one_row_and_with_many(client, person, many, number):
    n = 6 if many else 1
    for _ in range(n):
        wrote, _v = publish_article(languages=["en", "fr", "de"])
        credit(person, "written", wrote)
        _t, (_o, translated, _d) = publish_article(languages=["en", "fr", "de"])
        credit(person, "translated", None, translated)
        thanked, _v = publish_article(languages=["en", "fr"])
        credit(person, "thanked", thanked)
    factories.CommunityLinkFactory.create_batch(n)
    with CaptureQueriesContext(connection) as queries:
        html = page(client, person, number=number)
    assert len(queries.captured_queries) == AUTHOR_QUERIES
    for query in queries.captured_queries:
        columns = query["sql"].split(" FROM ")[0]
        assert not any(text in columns for text in TEXT_COLUMNS), query["sql"]
    expected = (PAGE_SIZE if number == 1 else 3 * n - PAGE_SIZE) if many else 3
    assert len(items(html)) == expected
