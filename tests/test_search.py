"""Reader search: ranked, highlighted with escaped text, filtered by language, published only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search
from articles.models import Translation
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


# --- PostgreSQL: only the newest matches are ranked, found in bounded work -------------------------

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL path only")


def publish_days_ago(days, title, body="Un mot courant.", language="fr"):
    return factories.TranslationFactory(
        language=language, status="published", title=title, body=body,
        published_at=timezone.now() - timezone.timedelta(days=days),
    )


@pytest.fixture
def small_caps(monkeypatch):
    """Caps small enough to cross with a few rows: 3 ranked, a window of the 5 newest versions."""
    monkeypatch.setattr(search, "RANK_CANDIDATES", 3)
    monkeypatch.setattr(search, "SCAN_WINDOW", 5)


@postgres_only
def test_only_the_newest_matches_are_ranked(client, small_caps):
    # The oldest has the word in its title (the best rank) but four newer versions match too.
    publish_days_ago(10, "Le courant ancien")
    for day in range(1, 5):
        publish_days_ago(day, f"Essai {day}")
    _r, titles = result_titles(client, "courant")
    assert sorted(titles) == ["Essai 1", "Essai 2", "Essai 3"]


@postgres_only
def test_matches_older_than_the_window_are_still_found_newest_first(small_caps):
    for day in range(1, 8):
        publish_days_ago(day, f"Sans rapport {day}", body="Rien ici.")
    for day in (8, 9, 12, 20):
        publish_days_ago(day, f"Ancien {day}", body="Un mot rare : palimpseste.")
    newest = search._newest_matches(Translation.objects.published(), search._query("palimpseste", "fr"))
    titles = list(Translation.objects.filter(pk__in=[pk for pk, _at in newest]).values_list("title", flat=True))
    assert [at for _pk, at in newest] == sorted((at for _pk, at in newest), reverse=True)
    assert sorted(titles) == ["Ancien 12", "Ancien 8", "Ancien 9"]


@postgres_only
def test_window_and_older_matches_join_in_date_order(small_caps):
    publish_days_ago(1, "Récent", body="palimpseste")
    for day in range(2, 7):
        publish_days_ago(day, f"Sans rapport {day}", body="Rien ici.")
    publish_days_ago(7, "Ancien 7", body="palimpseste")
    publish_days_ago(8, "Ancien 8", body="palimpseste")
    publish_days_ago(9, "Ancien 9", body="palimpseste")
    newest = search._newest_matches(Translation.objects.published(), search._query("palimpseste", None))
    by_pk = dict(Translation.objects.values_list("pk", "title"))
    assert [by_pk[pk] for pk, _at in newest] == ["Récent", "Ancien 7", "Ancien 8"]


def _search_queries(query, language=None):
    with CaptureQueriesContext(connection) as queries:
        results = search.search(query, language)
    return len(queries), results


@postgres_only
@pytest.mark.parametrize("language", ["fr", None])
def test_search_query_count_does_not_grow_with_matches(small_caps, language):
    publish_days_ago(1, "Seul", body="Un mot courant.")
    few, results = _search_queries("courant", language)
    assert [r.translation.title for r in results] == ["Seul"]
    for day in range(2, 30):
        publish_days_ago(day, f"Essai {day}")
    many, results = _search_queries("courant", language)
    assert len(results) == 3
    assert many == few == 4  # window boundary, newest matches, ranks, snippets


@postgres_only
def test_search_query_count_when_older_versions_are_looked_up(small_caps):
    for day in range(1, 6):
        publish_days_ago(day, f"Sans rapport {day}", body="Rien ici.")
    publish_days_ago(6, "Ancien 6", body="palimpseste")
    few, results = _search_queries("palimpseste", "fr")
    assert [r.translation.title for r in results] == ["Ancien 6"]
    for day in range(7, 30):
        publish_days_ago(day, f"Ancien {day}", body="palimpseste")
    many, results = _search_queries("palimpseste", "fr")
    assert len(results) == 3
    assert many == few == 5  # and the older versions, through the GIN index


@postgres_only
def test_snippets_highlight_in_each_rows_language_without_a_filter(client):
    publish("fr", title="Réseaux", body="Les réseaux de neurones.")
    publish("de", title="Netze", body="Neuronale Netze lernen.")
    response, titles = result_titles(client, "réseaux")
    assert titles == ["Réseaux"] and "<mark>réseaux</mark>" in response.content.decode()
