"""The translation status matrix: the right state in each cell, filters, links, flat query counts."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Translation
from tests import factories
from tests.test_admin import editor, editor_client  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

Status = Translation.Status
MATRIX = "/en/admin/articles/article/matrix/"
LANGUAGES = ["fr", "en", "es", "de", "it", "pt", "zh-hans", "ja"]


@pytest.fixture
def article():
    """Original in English at source version 2, with one version in each state."""
    article = factories.ArticleFactory(key="matrix", original_title="Matrix essay", original_language="en",
                                       source_version=2)
    now = timezone.now()
    make = factories.TranslationFactory
    make(article=article, language="en", title="Original", published=True, source_version=1)
    make(article=article, language="fr", title="Périmée", published=True, source_version=1)
    make(article=article, language="de", title="Entwurf", source_version=2)
    make(article=article, language="es", title="Revisión", status=Status.IN_REVIEW, source_version=2)
    make(article=article, language="it", title="Programmato", status=Status.SCHEDULED, source_version=2,
         published_at=now + datetime.timedelta(days=1))
    make(article=article, language="pt", title="Chegou", status=Status.SCHEDULED, source_version=2,
         published_at=now - datetime.timedelta(minutes=5))
    make(article=article, language="ja", title="保管", status=Status.ARCHIVED, source_version=1)
    return article


def cells(html, article_title):
    row = re.search(rf"<tr>\s*<th scope=\"row\"><a [^>]*>{re.escape(article_title)}</a>.*?</tr>", html, re.S).group(0)
    return dict(re.findall(r'data-language="([^"]+)" data-state="([^"]+)"', row))


def test_each_cell_shows_the_state_of_its_version(editor_client, article):
    response = editor_client.get(MATRIX)
    assert response.status_code == 200
    assert cells(response.content.decode(), "Matrix essay") == {
        "en": "published",      # the original is never outdated
        "fr": "outdated",       # made from source version 1; the article is at 2
        "de": "draft",
        "es": "in_review",
        "it": "scheduled",
        "pt": "published",      # scheduled, and its time has come: readers see it
        "ja": "archived",
        "zh-hans": "missing",
    }
    assert ">outdated<" in response.content.decode() and ">missing<" in response.content.decode()


def test_cells_link_to_the_place_to_act(editor_client, article):
    html = editor_client.get(MATRIX).content.decode()
    draft = Translation.objects.get(article=article, language="de")
    assert f'href="/en/admin/articles/translation/{draft.pk}/change/"' in html
    add = f'href="/en/admin/articles/translation/add/?article={article.pk}&amp;language=zh-hans"'
    assert add in html
    prefilled = editor_client.get(f"/en/admin/articles/translation/add/?article={article.pk}&language=zh-hans")
    assert prefilled.context["adminform"].form.initial["language"] == "zh-hans"


@pytest.fixture
def two_sections(article):
    other = factories.ArticleFactory(key="other", original_title="Other essay", original_language="fr")
    factories.TranslationFactory(article=other, language="fr", title="Autre", published=True)
    return article, other


@pytest.mark.parametrize("query, expected", [
    ("", {"Matrix essay", "Other essay"}),
    ("state=outdated", {"Matrix essay"}),
    ("state=published&language=fr", {"Other essay"}),
    ("state=missing&language=de", {"Other essay"}),
    ("state=missing&language=zh-hans", {"Matrix essay", "Other essay"}),
    ("state=draft", {"Matrix essay"}),
    ("state=in_review&language=fr", set()),
    ("state=scheduled", {"Matrix essay"}),
    ("state=archived&language=ja", {"Matrix essay"}),
])
def test_filter_by_state_and_language(editor_client, two_sections, query, expected):
    response = editor_client.get(f"{MATRIX}?{query}")
    assert {str(row["article"]) for row in response.context["rows"]} == expected


def test_language_filter_narrows_the_columns(editor_client, article):
    response = editor_client.get(f"{MATRIX}?language=fr")
    assert [code for code, _name in response.context["columns"]] == ["fr"]
    assert cells(response.content.decode(), "Matrix essay") == {"fr": "outdated"}


def test_filter_by_section(editor_client, two_sections):
    article, other = two_sections
    response = editor_client.get(f"{MATRIX}?section={other.section.slug}")
    assert [row["article"].pk for row in response.context["rows"]] == [other.pk]


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["rows"])


@pytest.mark.parametrize("query", ["", "?state=outdated", "?state=missing&language=zh-hans", "?language=fr"])
def test_query_count_does_not_grow_with_articles(editor_client, article, query):
    editor_client.get(MATRIX + query)
    few, rows = _queries(editor_client, MATRIX + query)
    assert rows == 1
    for n in range(25):
        extra = factories.ArticleFactory(key=f"extra-{n}", source_version=2)
        factories.TranslationFactory(article=extra, language="fr", source_version=1, published=True)
        factories.TranslationFactory(article=extra, language="en", source_version=2)
    many, more_rows = _queries(editor_client, MATRIX + query)
    assert more_rows > rows
    assert many == few


def test_matrix_is_for_editors_only(client, article):
    assert client.get(MATRIX).status_code == 302
    translator = factories.UserFactory()
    translator.save()
    translator.groups.add(Group.objects.get(name="Translator"))
    client.force_login(translator)
    response = client.get(MATRIX)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    bare_staff = factories.UserFactory(is_staff=True)
    bare_staff.save()
    client.force_login(bare_staff)
    assert client.get(MATRIX).status_code == 403


@pytest.mark.parametrize("query", ["", "?state=published&language=fr", "?state=missing&language=de"])
def test_matrix_makes_a_fixed_number_of_queries_and_shows_one_page(editor_client, article, query):
    # Session, user, the editor's permissions (2), sections for the filter form, count, page, versions.
    factories.TranslationFactory(article=factories.ArticleFactory(key="first"), language="fr", published=True)
    editor_client.get(MATRIX + query)
    few, rows = _queries(editor_client, MATRIX + query)
    assert rows >= 1
    for n in range(60):
        extra = factories.ArticleFactory(key=f"page-{n}")
        factories.TranslationFactory(article=extra, language="fr", published=True)
    many, rows = _queries(editor_client, MATRIX + query)
    assert few == many == 8
    assert rows == 50
