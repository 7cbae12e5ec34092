"""The Content API at /api/v1/: published content only, filters, pages, ETags, rate limits, a true schema."""

import datetime
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles import workflow
from articles.models import ApiKey, Translation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    settings.CONTENT_API_ANON_RATE = "1000/m"
    settings.CONTENT_API_KEY_RATE = "5000/m"
    cache.clear()
    yield
    cache.clear()


def make_version(language="fr", *, status="published", article=None, days_ago=1, **extra):
    version = factories.TranslationFactory(language=language, article=article or factories.ArticleFactory(), **extra)
    if status == "published":
        workflow.publish_translation(version, at=timezone.now() - datetime.timedelta(days=days_ago))
    elif status == "scheduled":
        workflow.schedule_translation(version, timezone.now() + datetime.timedelta(days=days_ago))
    elif status == "archived":
        workflow.archive_translation(version)
    elif status == "in_review":
        workflow.send_to_review(version)
    return version


@pytest.fixture
def mixed(db):
    """One published version, and one of each state readers must never see."""
    visible = make_version(title="Visible")
    factories.ArticleCreditFactory(article=visible.article, position=0,
                                   author=factories.AuthorFactory(name="Public Writer"))
    hidden = {status: make_version(status=status, title=f"Hidden {status}")
              for status in ("draft", "in_review", "scheduled", "archived")}
    for position, version in enumerate(hidden.values()):
        factories.ArticleCreditFactory(article=version.article, position=0,
                                       author=factories.AuthorFactory(name=f"Secret Writer {position}"))
        version.article.tags.add(factories.TagFactory(name=f"secret{position}"))
    return visible, hidden


def get(client, url, **headers):
    return client.get(url, headers=headers)


def test_lists_only_published_translations(client, mixed):
    visible, hidden = mixed
    data = get(client, "/api/v1/translations").json()
    assert [row["title"] for row in data["results"]] == ["Visible"]
    assert data["count"] == 1


def test_unpublished_versions_are_not_found(client, mixed):
    visible, hidden = mixed
    assert get(client, f"/api/v1/translations/fr/{visible.slug}").status_code == 200
    for version in hidden.values():
        assert get(client, f"/api/v1/translations/fr/{version.slug}").status_code == 404
        assert get(client, f"/api/v1/articles/{version.article.key}").status_code == 404


def test_nothing_unpublished_leaks_through_lists(client, mixed):
    visible, hidden = mixed
    text = "".join(get(client, url).content.decode() for url in (
        "/api/v1/translations", "/api/v1/articles", "/api/v1/authors?page_size=100", "/api/v1/tags"))
    assert "Visible" in text and "Public Writer" in text
    assert "Hidden" not in text and "Secret Writer" not in text and "secret" not in text


def test_scheduled_version_appears_once_its_time_has_come(client, db):
    version = make_version(status="scheduled", title="Later")
    assert get(client, "/api/v1/translations").json()["count"] == 0
    Translation.objects.filter(pk=version.pk).update(published_at=timezone.now() - datetime.timedelta(minutes=1))
    assert [r["title"] for r in get(client, "/api/v1/translations").json()["results"]] == ["Later"]


def test_translation_detail_carries_text_credits_and_thanks(client, published_article):
    version = published_article.translations.get()
    data = get(client, f"/api/v1/translations/fr/{version.slug}").json()
    assert data["body"] == version.body
    assert data["body_html"] == version.body_html
    assert data["article"] == published_article.key
    assert [p["name"] for p in data["authors"]] == [c.author.name for c in published_article.credits.all()]
    assert [p["name"] for p in data["translators"]] == [c.author.name for c in version.credits.all()]
    ack = published_article.acknowledgements.get()
    assert data["acknowledgements"] == [{"name": ack.name, "reason": "pour son aide", "note": "",
                                         "reasons": ack.reasons, "notes": {}}]
    assert data["url"].endswith(version.get_absolute_url())


def test_article_lists_only_its_published_versions(client, db):
    article = factories.ArticleFactory()
    make_version("en", article=article, title="English")
    make_version("fr", article=article, status="draft", title="Français")
    data = get(client, f"/api/v1/articles/{article.key}").json()
    assert [v["title"] for v in data["translations"]] == ["English"]


def test_filters_by_language_section_author_tag_and_date(client, db):
    section = factories.SectionFactory(slug="essais")
    french = make_version("fr", days_ago=10, article=factories.ArticleFactory(section=section))
    english = make_version("en", days_ago=1)
    writer = factories.AuthorFactory(name="Ada")
    factories.ArticleCreditFactory(article=english.article, author=writer, position=0)
    translator = factories.AuthorFactory(name="Camille")
    factories.TranslationCreditFactory(translation=french, author=translator, position=0)
    french.article.tags.add(factories.TagFactory(name="ia", slug="ia"))

    def slugs(query):
        return [r["slug"] for r in get(client, f"/api/v1/translations?{query}").json()["results"]]

    assert slugs("language=fr") == [french.slug]
    assert slugs("section=essais") == [french.slug]
    assert slugs(f"author={writer.slug}") == [english.slug]
    assert slugs(f"author={translator.slug}") == [french.slug]
    assert slugs("tag=ia") == [french.slug]
    cutoff = (timezone.now() - datetime.timedelta(days=5)).date().isoformat()
    assert slugs(f"published_after={cutoff}") == [english.slug]
    assert slugs(f"published_before={cutoff}") == [french.slug]
    assert [a["key"] for a in get(client, "/api/v1/articles?language=en").json()["results"]] == [english.article.key]
    assert [a["key"] for a in get(client, f"/api/v1/articles?author={translator.slug}").json()["results"]] == [
        french.article.key]


def test_pages(client, db):
    for days in range(5):
        make_version(days_ago=days + 1)
    first = get(client, "/api/v1/translations?page_size=2").json()
    last = get(client, "/api/v1/translations?page_size=2&page=3").json()
    beyond = get(client, "/api/v1/translations?page_size=2&page=9").json()
    assert (first["count"], first["pages"], len(first["results"])) == (5, 3, 2)
    assert len(last["results"]) == 1 and beyond["results"] == []
    assert get(client, "/api/v1/translations?page=0").status_code == 422


def test_etag_and_conditional_get(client, published_article):
    first = get(client, "/api/v1/translations")
    etag = first.headers["ETag"]
    again = get(client, "/api/v1/translations", If_None_Match=etag)
    assert again.status_code == 304 and again.content == b""
    version = published_article.translations.get()
    version.title = "Nouveau titre"
    version.save()
    changed = get(client, "/api/v1/translations", If_None_Match=etag)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_anonymous_clients_are_rate_limited_and_keys_raise_the_limit(client, settings, db):
    settings.CONTENT_API_ANON_RATE = "3/m"
    settings.CONTENT_API_KEY_RATE = "6/m"
    codes = [get(client, "/api/v1/sections").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    record, key = ApiKey.issue("newsletter")
    keyed = [get(client, "/api/v1/sections", X_API_Key=key).status_code for _ in range(7)]
    assert keyed == [200] * 6 + [429]
    record.refresh_from_db()
    assert record.last_used_at is not None


def test_a_forged_forwarded_for_header_does_not_reset_the_limit(client, settings, db):
    settings.CONTENT_API_ANON_RATE = "2/m"
    codes = [get(client, "/api/v1/sections", X_Forwarded_For=f"10.0.0.{n}").status_code for n in range(3)]
    assert codes == [200, 200, 429]


def test_a_wrong_or_revoked_key_is_refused(client, db):
    assert get(client, "/api/v1/sections", X_API_Key="tf_nope_nothing").status_code == 401
    record, key = ApiKey.issue("old")
    record.is_active = False
    record.save()
    assert get(client, "/api/v1/sections", X_API_Key=key).status_code == 401


def test_openapi_schema_is_served(client, db):
    schema = get(client, "/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/translations", "/api/v1/translations/{language}/{slug}", "/api/v1/articles",
            "/api/v1/articles/{key}", "/api/v1/authors", "/api/v1/sections", "/api/v1/tags",
            "/api/v1/community-links"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"]["name"] == "X-API-Key"
    # No docs page pulling scripts from a CDN past the CSP.
    assert get(client, "/api/v1/docs").status_code == 404


def test_api_is_outside_the_language_prefix(client, db):
    assert get(client, "/fr/api/v1/sections").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_failures(live_server, sample, tmp_path):
    published = Translation.objects.published().select_related("article").first()
    factories.TagFactory(name="unused")
    assert published is not None
    cli = shutil.which("st", path=str(Path(sys.executable).parent))
    result = subprocess.run(
        [cli, "run", f"{live_server.url}/api/v1/openapi.json", "--checks", "all",
         "--max-examples", "25", "--seed", "1", "--phases", "examples,coverage,fuzzing",
         "--report-dir", str(tmp_path), "--warnings", "off", "--no-color"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


@pytest.mark.parametrize("url", ["/api/v1/translations", "/api/v1/articles", "/api/v1/authors"])
def test_list_queries_do_not_grow_with_rows(client, db, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fill(n):
        for _ in range(n):
            version = make_version(article=factories.ArticleFactory())
            factories.ArticleCreditFactory(article=version.article, position=0)
            factories.TranslationCreditFactory(translation=version, position=0)
            factories.AcknowledgementFactory(article=version.article, position=0)
            version.article.tags.add(factories.TagFactory())

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    fill(1)
    one = count()
    fill(4)
    assert count() == one
