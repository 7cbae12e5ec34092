"""Stored article pages: rendered on write, read with one query, deleted whenever what they show changes."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from articles import pages, workflow
from articles.models import RenderedPage
from tests import factories


@pytest.fixture
def stored(settings):
    settings.STORED_PAGES_ENABLED = True


@pytest.fixture
def site(db):
    """The page-cache tests' site, and a neighbour in the news section."""
    site = factories.two_section_site("Essai stocké", "Stored essay")
    site["neighbour"] = factories.TranslationFactory(
        article=factories.ArticleFactory(section=site["news"]), language="fr", title="Voisin de rubrique",
        published=True, published_at=timezone.now() - timedelta(days=3),
    )
    return site


def visit(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code in (200, 304), (url, response.status_code)
    return response


def is_stored_hit(client, url):
    return visit(client, url).get("X-Stored-Page") == "hit"


def add_articles(section, count):
    """Many neighbours, each with credits, thanks and tags, so that query counts can be compared."""
    for i in range(count):
        article = factories.ArticleFactory(section=section)
        factories.ArticleCreditFactory(article=article, author=factories.AuthorFactory(), position=0)
        factories.AcknowledgementFactory(article=article, position=0)
        article.tags.add(factories.TagFactory())
        factories.TranslationFactory(article=article, language="fr", title=f"Voisin {i}", published=True)
        factories.TranslationFactory(article=article, language="en", title=f"Neighbour {i}", published=True)


@pytest.mark.parametrize("neighbours", [0, 25])
def test_a_stored_page_costs_one_query_with_few_or_many_rows(
    stored, site, client, neighbours, django_assert_num_queries, django_assert_max_num_queries
):
    add_articles(site["news"], neighbours)
    factories.AcknowledgementFactory(article=site["article"], position=1)
    url = site["fr"].get_absolute_url()
    # A first visit looks up, renders (eleven reads) and stores (lock, update, insert, in a savepoint here).
    with django_assert_max_num_queries(17):
        first = visit(client, url)
    assert "X-Stored-Page" not in first
    with django_assert_num_queries(1):
        second = visit(client, url)
    assert second["X-Stored-Page"] == "hit"
    assert second.content == first.content
    assert "Essai stocké" in second.content.decode()
    # Served before the language, session and framing middleware ran: their headers come with it.
    for header in ("Content-Type", "Content-Language", "Vary", "X-Frame-Options", "Content-Security-Policy"):
        assert second.get(header) == first.get(header), header


def test_stored_pages_answer_conditional_requests_with_304(stored, site, client):
    url = site["fr"].get_absolute_url()
    visit(client, url)
    stored_page = visit(client, url)
    assert stored_page["ETag"] and stored_page["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=stored_page["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_signed_in_readers_and_previews_never_use_or_fill_the_store(stored, site, client, editor):
    client.force_login(editor)
    url = site["fr"].get_absolute_url()
    visit(client, url)
    assert "X-Stored-Page" not in visit(client, url)
    draft = factories.TranslationFactory(language="fr", title="Brouillon privé")
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert not RenderedPage.objects.exists()


def test_store_off_renders_every_request(settings, site, client):
    settings.STORED_PAGES_ENABLED = False
    url = site["fr"].get_absolute_url()
    visit(client, url)
    assert "X-Stored-Page" not in visit(client, url)
    assert not RenderedPage.objects.exists()


def test_each_interface_language_and_host_has_its_own_page(stored, site, client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.org"]
    url = site["fr"].get_absolute_url()
    in_english = f"/en/articles/fr/{site['fr'].slug}/"
    for page in (url, in_english):
        visit(client, page)
    assert is_stored_hit(client, url) and is_stored_hit(client, in_english)
    assert visit(client, in_english).headers["Content-Language"] == "en"
    assert "X-Stored-Page" not in visit(client, url, HTTP_HOST="mirror.example.org")
    assert "http://mirror.example.org" in visit(client, url, HTTP_HOST="mirror.example.org").content.decode()
    assert RenderedPage.objects.count() == 3


def test_publishing_a_neighbour_refreshes_the_pages_that_list_it(
    stored, site, client, editor, django_capture_on_commit_callbacks
):
    url, unrelated = site["fr"].get_absolute_url(), site["other"].get_absolute_url()
    for page in (url, unrelated):
        visit(client, page)
    new = factories.TranslationFactory(
        article=factories.ArticleFactory(section=site["news"]), language="fr", title="Tout nouveau voisin"
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish_translation(new, by=editor)
    fresh = visit(client, url)
    assert "X-Stored-Page" not in fresh
    assert "Tout nouveau voisin" in fresh.content.decode()
    assert is_stored_hit(client, url)
    # A page in another section does not list it: it stays stored.
    assert is_stored_hit(client, unrelated)


def test_a_shared_tag_links_pages_across_sections(stored, site, client, editor, django_capture_on_commit_callbacks):
    tag = factories.TagFactory(name="robots")
    site["other"].article.tags.add(tag)
    url = site["other"].get_absolute_url()
    visit(client, url)
    tagged = factories.TranslationFactory(
        article=factories.ArticleFactory(section=site["news"]), language="fr", title="Robots partout"
    )
    tagged.article.tags.add(tag)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish_translation(tagged, by=editor)
    assert "Robots partout" in visit(client, url).content.decode()


def test_unpublishing_is_immediate_and_refreshes_the_other_languages(
    stored, site, client, editor, django_capture_on_commit_callbacks
):
    url, english = site["fr"].get_absolute_url(), site["en"].get_absolute_url()
    for page in (url, english):
        visit(client, page)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish_translation(site["fr"], by=editor)
    assert client.get(url).status_code == 404
    page = visit(client, english)
    assert "X-Stored-Page" not in page
    assert url not in page.content.decode()


def test_rescheduling_into_the_future_hides_the_page_at_once(
    stored, site, client, editor, django_capture_on_commit_callbacks
):
    # Scheduled, and its time has come: readers see it, so its page is stored.
    due = factories.TranslationFactory(
        article=factories.ArticleFactory(section=site["news"]), language="fr", title="Parue à l'heure",
        status="scheduled", published_at=timezone.now() - timedelta(minutes=1),
    )
    url = due.get_absolute_url()
    visit(client, url)
    assert is_stored_hit(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule_translation(due, timezone.now() + timedelta(days=1), by=editor)
    assert client.get(url).status_code == 404
    assert not RenderedPage.objects.filter(translation=due).exists()


@pytest.mark.parametrize("change", ["body", "author", "section name", "community link", "acknowledgement"])
def test_editing_what_a_page_shows_refreshes_it(stored, site, client, change, django_capture_on_commit_callbacks):
    url = site["fr"].get_absolute_url()
    visit(client, url)
    assert is_stored_hit(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        if change == "body":
            site["fr"].body = "Un texte corrigé après publication."
            site["fr"].save()
            expected = "corrigé après publication"
        elif change == "author":
            site["writer"].name = "Ada Renamed"
            site["writer"].save()
            expected = "Ada Renamed"
        elif change == "section name":
            site["news"].names = {"fr": "Dépêches", "en": "Dispatches"}
            site["news"].save()
            expected = "Dépêches"
        elif change == "community link":
            factories.CommunityLinkFactory(language="fr", label="Notre forum", url="https://forum.example.org")
            expected = "Notre forum"
        else:
            factories.AcknowledgementFactory(article=site["article"], name="Josh Tyrangiel", position=3)
            expected = "Josh Tyrangiel"
    page = visit(client, url)
    assert "X-Stored-Page" not in page
    assert expected in page.content.decode()


def test_a_page_is_not_kept_if_content_changed_while_it_rendered(stored, site, client, monkeypatch):
    read = pages.generation

    def read_then_someone_publishes():
        seen = read()
        pages.invalidate({"site"})
        return seen

    monkeypatch.setattr(pages, "generation", read_then_someone_publishes)
    visit(client, site["fr"].get_absolute_url())
    assert not RenderedPage.objects.exists()


def test_a_new_build_renders_afresh(stored, site, client, monkeypatch):
    url = site["fr"].get_absolute_url()
    visit(client, url)
    monkeypatch.setattr(pages, "_build", "after-a-deploy")
    assert "X-Stored-Page" not in visit(client, url)
    assert is_stored_hit(client, url)
    assert RenderedPage.objects.get().build == "after-a-deploy"


def test_scheduled_content_ends_a_stored_page_when_it_goes_live(
    stored, site, client, editor, monkeypatch, django_capture_on_commit_callbacks
):
    soon = factories.TranslationFactory(
        article=factories.ArticleFactory(section=site["news"]), language="fr", title="Bientôt en ligne"
    )
    at = timezone.now() + timedelta(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule_translation(soon, at, by=editor)
    url = site["fr"].get_absolute_url()
    assert "Bientôt en ligne" not in visit(client, url).content.decode()
    assert RenderedPage.objects.get().valid_until == at
    assert is_stored_hit(client, url)
    # Eleven minutes later, with no write in between: the stored page has ended, the new one lists it.
    later = timezone.now() + timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = visit(client, url)
    assert "X-Stored-Page" not in page
    assert "Bientôt en ligne" in page.content.decode()


def test_refresh_pages_drops_stored_and_cached_pages(stored, site, client, settings, capsys):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    url, home = site["fr"].get_absolute_url(), "/fr/"
    for page in (url, home, url, home):
        visit(client, page)
    assert visit(client, home)["X-Page-Cache"] == "hit"
    call_command("refresh_pages")
    assert "1 stored article pages" in capsys.readouterr().out
    assert not RenderedPage.objects.exists()
    assert visit(client, home)["X-Page-Cache"] == "miss"
    assert visit(client, url)["X-Page-Cache"] == "miss"


def test_a_release_is_part_of_the_page_cache_key(stored, site, client, settings, monkeypatch):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    visit(client, "/fr/")
    assert visit(client, "/fr/")["X-Page-Cache"] == "hit"
    monkeypatch.setattr(pages, "_build", "after-a-deploy")
    assert visit(client, "/fr/")["X-Page-Cache"] == "miss"
