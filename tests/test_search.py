"""Reader search: ranked, highlighted with escaped text, filtered by language, published only."""

import pytest
from django.db import connection
from django.utils import timezone

from articles import search
from tests import factories

pytestmark = pytest.mark.django_db


def publish(language="fr", **fields):
    return factories.TranslationFactory(language=language, status="published",
                                        published_at=timezone.now() - timezone.timedelta(hours=1), **fields)


def result_titles(client, query, language="", interface="fr"):
    response = client.get(f"/{interface}/search/", {"q": query, "language": language})
    assert response.status_code == 200
    return response, [r.translation.title for r in response.context["results"]]


@pytest.mark.parametrize("interface", ["fr", "en"])
def test_search_finds_the_seed_article(client, sample, interface):
    response, titles = result_titles(client, "Altman", interface=interface)
    assert any(t.startswith("Sam Altman : aveux") for t in titles)
    html = response.content.decode()
    assert "<mark>Altman</mark>" in html
    count = len(titles)
    assert (f"{count} résultat" if interface == "fr" else f"{count} result") in html


def test_title_matches_rank_above_body_matches(client):
    publish(title="Un essai sur la gouvernance", body="Rien de plus.")
    publish(title="Autre chose", body="On parle de gouvernance une fois ici.")
    _response, titles = result_titles(client, "gouvernance")
    assert titles == ["Un essai sur la gouvernance", "Autre chose"]


def test_results_are_filtered_by_language(client):
    publish("fr", title="Modèles de langage", body="modèles")
    publish("en", title="Language models", body="models and modèles")
    _r, french_only = result_titles(client, "modèles", language="fr")
    assert french_only == ["Modèles de langage"]
    _r, everything = result_titles(client, "modèles")
    assert set(everything) == {"Modèles de langage", "Language models"}


def test_unpublished_versions_are_never_found(client):
    for status in ("draft", "in_review", "archived"):
        factories.TranslationFactory(status=status, title=f"Secret {status}", body="secretword")
    factories.TranslationFactory(status="scheduled", title="Secret scheduled", body="secretword",
                                 published_at=timezone.now() + timezone.timedelta(hours=1))
    response, titles = result_titles(client, "secretword")
    assert titles == [] and "Secret" not in response.content.decode()


def test_highlighted_snippets_escape_the_text_and_only_add_mark(client):
    publish(title="Balises <b>grasses</b>", body="Le code `<script>alert('piège')</script>` contient piège & ruse.")
    response, _titles = result_titles(client, "piège")
    html = response.content.decode()
    results = html[html.index('class="results"'):html.index("</ol>")]
    assert "<script" not in results and "<b>" not in results
    assert "&lt;script&gt;" in results and "&lt;b&gt;grasses&lt;/b&gt;" in results
    assert "<mark>piège</mark>" in results
    # Only <mark>, <li>, <h3>, <a>, <p>, <span>, <time> (the template's own) appear.
    import re
    tags = set(re.findall(r"<([a-z0-9]+)", results))
    assert tags <= {"mark", "li", "h3", "a", "p", "span", "time"}


def test_marked_escapes_and_balances():
    text = f"a <i>{search.START}x{search.STOP} & {search.STOP}y{search.START}z"
    assert search.marked(text) == "a &lt;i&gt;<mark>x</mark> &amp; y<mark>z</mark>"


def test_empty_or_blank_query_shows_the_form_only(client):
    response = client.get("/en/search/", {"q": "   "})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="search-q"' in html and 'class="results"' not in html
    assert '<label for="search-q">' in html and '<label for="search-language">' in html


def test_unknown_language_filter_is_ignored(client):
    publish(title="Un titre", body="mot")
    _r, titles = result_titles(client, "mot", language="xx")
    assert titles == ["Un titre"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="text-search configurations are PostgreSQL's")
def test_postgres_stems_with_each_languages_configuration(client):
    publish("fr", title="Les traductions", body="Nous traduisons des essais.")
    publish("en", title="Translations", body="We are translating essays.")
    _r, french = result_titles(client, "traduction", language="fr")
    assert french == ["Les traductions"]
    _r, english = result_titles(client, "translated", language="en")
    assert english == ["Translations"]
    assert search.text_search_config("de") == "german" and search.text_search_config("zh-hans") == "simple"
