"""Full-page cache: what is stored, precise invalidation, HTTP caching headers and the CDN purge hook."""

import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from articles import workflow
from articles.models import Translation
from tests import factories

SWITCHER_FORM = re.compile(r"<form action=\"\{% url 'set_language' %\}\".*?</form>", re.S)
SWITCHER_LINK = '<a href="{{ link.url }}" lang="{{ link.code }}" hreflang="{{ link.code }}">{{ link.code|language_name }}</a>'


@pytest.fixture
def page_cache(settings, tmp_path):
    """The cache on, and the language switcher as plain links (the change asked of templates/base.html)."""
    settings.PAGE_CACHE_ENABLED = True
    base = (settings.BASE_DIR / "templates" / "base.html").read_text()
    (tmp_path / "base.html").write_text(SWITCHER_FORM.sub(SWITCHER_LINK, base))
    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    cache.clear()
    yield
    cache.clear()


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code in (200, 304, 404), (url, response.status_code)
    return response


def is_hit(client, url):
    return get(client, url).get("X-Page-Cache") == "hit"


@pytest.fixture
def site(db):
    return factories.two_section_site("Essai cache", "Cached essay")


def test_second_anonymous_visit_is_a_hit_without_queries(page_cache, site, client, django_assert_num_queries):
    url = site["fr"].get_absolute_url()
    first = get(client, url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = get(client, url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Essai cache" in second.content.decode()


def test_cached_pages_carry_public_cache_control_etag_and_last_modified(page_cache, site, client):
    get(client, "/fr/")
    response = get(client, "/fr/")
    control = response["Cache-Control"]
    assert "public" in control and "s-maxage=" in control and "max-age=" in control
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
    assert "Cookie" not in response.get("Vary", "")


def test_conditional_requests_get_304(page_cache, site, client):
    first = get(client, "/fr/")
    by_etag = client.get("/fr/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304 and by_etag.content == b""
    by_date = client.get("/fr/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304
    assert client.get("/fr/", HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_head_is_answered_from_the_cache_without_a_body(page_cache, site, client):
    get(client, "/fr/")
    response = client.head("/fr/")
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit" and response.content == b""


def test_signed_in_readers_are_never_served_or_stored(page_cache, site, client, editor):
    url = site["fr"].get_absolute_url()
    get(client, url)
    client.force_login(editor)
    for _ in range(2):
        response = get(client, url)
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_previews_of_unpublished_versions_are_never_cached(page_cache, client, editor):
    draft = factories.TranslationFactory(language="fr", title="Brouillon secret")
    client.force_login(editor)
    response = get(client, draft.get_absolute_url())
    assert "Brouillon secret" in response.content.decode()
    client.logout()
    assert get(client, draft.get_absolute_url()).status_code == 404


def test_admin_and_accounts_pages_are_never_stored(page_cache, client, db):
    for url in ("/fr/admin/login/", "/fr/accounts/login/"):
        client.get(url)
        assert "X-Page-Cache" not in client.get(url)


def test_no_stored_page_carries_a_csrf_token(settings, site, client):
    """With the real templates: a page holding a CSRF token (or setting its cookie) is never stored."""
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    for url in ("/fr/", site["fr"].get_absolute_url(), "/fr/sections/news/", "/fr/search/?q=cache"):
        first = client.get(url)
        second = client.get(url)
        if "csrfmiddlewaretoken" in first.content.decode() or first.cookies:
            assert "X-Page-Cache" not in second, url
            assert "public" not in second.get("Cache-Control", ""), url
        else:
            assert second["X-Page-Cache"] == "hit", url


def test_publishing_refreshes_every_page_that_lists_it(
    page_cache, site, client, editor, django_capture_on_commit_callbacks
):
    tag = factories.TagFactory(name="robots")
    site["article"].tags.add(tag)
    section_url, tag_url = site["news"].get_absolute_url(), tag.get_absolute_url()
    author_url = site["writer"].get_absolute_url()
    urls = ["/fr/", "/fr/feeds/rss/", "/fr/feeds/atom/", section_url, tag_url, author_url, "/sitemap.xml",
            "/sitemap-translations.xml", site["fr"].get_absolute_url()]
    for url in urls:
        get(client, url)
    assert all(is_hit(client, url) for url in urls)
    new = factories.TranslationFactory(
        article=factories.ArticleFactory(section=site["news"]), language="fr", title="Tout nouveau"
    )
    new.article.tags.add(tag)
    factories.ArticleCreditFactory(article=new.article, author=site["writer"], position=0)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish_translation(new, by=editor)
    for url in urls:
        response = get(client, url)
        assert response["X-Page-Cache"] == "miss", url
    for url in urls[:-3]:
        assert "Tout nouveau" in get(client, url).content.decode(), url
    new.refresh_from_db()
    assert new.get_absolute_url() in get(client, "/sitemap-translations.xml").content.decode()


def test_pages_that_do_not_show_the_change_stay_cached(
    page_cache, site, client, editor, django_capture_on_commit_callbacks
):
    untouched = ["/en/", "/en/feeds/rss/", site["essays"].get_absolute_url(), site["other"].get_absolute_url()]
    for url in untouched:
        get(client, url)
    new = factories.TranslationFactory(
        article=factories.ArticleFactory(section=site["news"]), language="fr", title="Nouvelle brève"
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish_translation(new, by=editor)
    for url in untouched:
        assert is_hit(client, url), url


def test_unpublishing_removes_it_from_cached_pages(
    page_cache, site, client, editor, django_capture_on_commit_callbacks
):
    url = site["fr"].get_absolute_url()
    for page in (url, "/fr/", "/en/"):
        get(client, page)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish_translation(site["fr"], by=editor)
    assert client.get(url).status_code == 404
    assert "Essai cache" not in get(client, "/fr/").content.decode()
    # The English version links to the French one, so its page is refreshed too.
    en = get(client, site["en"].get_absolute_url())
    assert en["X-Page-Cache"] == "miss"


def test_editing_a_published_text_refreshes_its_pages(
    page_cache, site, client, django_capture_on_commit_callbacks
):
    url = site["fr"].get_absolute_url()
    get(client, url)
    site["fr"].body = "Un texte corrigé après publication."
    with django_capture_on_commit_callbacks(execute=True):
        site["fr"].save()
    assert "corrigé après publication" in get(client, url).content.decode()


def test_renaming_an_author_refreshes_the_pages_that_name_them(
    page_cache, site, client, django_capture_on_commit_callbacks
):
    url = site["fr"].get_absolute_url()
    get(client, url)
    get(client, site["other"].get_absolute_url())
    site["writer"].name = "Ada Renamed"
    with django_capture_on_commit_callbacks(execute=True):
        site["writer"].save()
    assert "Ada Renamed" in get(client, url).content.decode()
    assert is_hit(client, site["other"].get_absolute_url())


def test_draft_edits_leave_the_cache_alone(page_cache, site, client, django_capture_on_commit_callbacks):
    get(client, "/fr/")
    draft = factories.TranslationFactory(language="fr", title="Encore en chantier")
    with django_capture_on_commit_callbacks(execute=True):
        draft.body = "Changé."
        draft.save()
    assert is_hit(client, "/fr/")


def test_community_links_refresh_every_footer(page_cache, site, client, django_capture_on_commit_callbacks):
    get(client, "/fr/")
    with django_capture_on_commit_callbacks(execute=True):
        factories.CommunityLinkFactory(language="fr", label="Notre forum", url="https://forum.example.org")
    assert "Notre forum" in get(client, "/fr/").content.decode()


def test_scheduled_content_bounds_the_cache_lifetime_and_rescheduling_invalidates(
    page_cache, site, client, editor, django_capture_on_commit_callbacks
):
    soon = factories.TranslationFactory(
        article=factories.ArticleFactory(section=site["news"]), language="fr", title="Bientôt"
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule_translation(soon, timezone.now() + timedelta(seconds=600), by=editor)
    response = get(client, "/fr/")
    assert "Bientôt" not in response.content.decode()
    shared = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))
    assert 0 < shared <= 601
    assert int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1)) <= 60
    # A page whose listing has nothing scheduled keeps the full lifetime.
    english = get(client, "/en/")
    assert int(re.search(r"s-maxage=(\d+)", english["Cache-Control"]).group(1)) == settings.PAGE_CACHE_SHARED_MAX_AGE
    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule_translation(soon, timezone.now() + timedelta(seconds=120), by=editor)
    response = get(client, "/fr/")
    assert response["X-Page-Cache"] == "miss"
    assert int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1)) <= 121


def test_cache_off_serves_every_request_through_the_views(settings, site, client):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/fr/feeds/rss/")
    assert "X-Page-Cache" not in client.get("/fr/feeds/rss/")


class _Receiver(BaseHTTPRequestHandler):
    seen = []
    arrived = threading.Event()

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        type(self).seen.append((self.command, self.path, self.headers.get("Host")))
        type(self).arrived.set()
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_receiver(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.seen, _Receiver.arrived = [], threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CACHE_PURGE_URL = f"http://127.0.0.1:{server.server_port}"
    settings.CACHE_PURGE_HOST = "www.example.org"
    yield _Receiver
    server.shutdown()
    server.server_close()


def _wait_for(receiver, expected):
    for _ in range(100):
        if expected <= {path for _m, path, _h in receiver.seen}:
            return
        receiver.arrived.wait(0.1)
        receiver.arrived.clear()


def test_publishing_purges_the_affected_urls_at_the_proxy(
    purge_receiver, site, editor, django_capture_on_commit_callbacks
):
    new = factories.TranslationFactory(
        article=factories.ArticleFactory(section=site["news"]), language="fr", title="À purger"
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish_translation(new, by=editor)
    new.refresh_from_db()
    expected = {new.get_absolute_url(), "/fr/", "/fr/feeds/rss/", site["news"].get_absolute_url(), "/sitemap.xml",
                "/sitemap-translations.xml"}
    _wait_for(purge_receiver, expected)
    paths = {path for _m, path, _h in purge_receiver.seen}
    assert expected <= paths
    assert "/en/" not in paths  # nothing English changed
    assert {(m, h) for m, _p, h in purge_receiver.seen} == {("PURGE", "www.example.org")}


def test_no_purge_without_a_configured_endpoint(site, editor, django_capture_on_commit_callbacks):
    assert not settings.CACHE_PURGE_URL
    new = factories.TranslationFactory(language="fr", title="Sans proxy")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.publish_translation(new, by=editor)
    assert callbacks  # the invalidation still ran
    assert Translation.objects.get(pk=new.pk).is_visible()
