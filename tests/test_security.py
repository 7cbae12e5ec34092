"""Hostile input through every sink, and the web layer's defences: CSP, CSRF, lockout, sessions, deploy checks."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.contrib.auth.models import Group
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Translation
from tests import factories
from tests.conftest import PASSWORD, make_user
from tests.html_checks import dangerous_parts
from tests.xss_payloads import PAYLOADS

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


def test_corpus_is_large_enough():
    assert len(PAYLOADS) >= 100


# --- The sinks ----------------------------------------------------------------------------------------

@pytest.fixture
def hostile(editor, translator):
    """A published French version whose text carries every payload, plus a revision that does too."""
    body = "\n\n".join(PAYLOADS)
    article = factories.ArticleFactory(original_language="en", source_outlet="<script>alert(1)</script>")
    factories.TranslationFactory(article=article, language="en", title="Source", body="Source.", published=True)
    version = factories.TranslationFactory(
        article=article, language="fr", published=True, body=body,
        title="Titre <script>alert(1)</script>", standfirst="<img src=x onerror=alert(1)>",
    )
    factories.TranslationCreditFactory(translation=version, author__name="<svg onload=alert(1)>")
    factories.AcknowledgementFactory(article=article, name="<b onclick=alert(1)>Bob</b>",
                                     reasons={"fr": "<iframe src=javascript:alert(1)>"})
    version.assignees.add(translator.author)
    revision = workflow.submit_revision(version, by=translator, title=version.title, standfirst="",
                                        body=body + "\n\n<script>alert('diff')</script>")
    return version, revision


def test_stored_body_is_clean(hostile):
    version, _ = hostile
    assert dangerous_parts(Translation.objects.get(pk=version.pk).body_html) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_payload_alone_renders_clean(payload):
    version = factories.TranslationFactory(body=payload, title=payload[:200])
    assert dangerous_parts(version.body_html) == [], payload


def _page_parts(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return sorted(dangerous_parts(response.content.decode(), allow_tags=()))


def test_public_page_adds_nothing_dangerous(client, hostile):
    """Compared with the same page for a harmless text: the payloads add no dangerous part."""
    version, _ = hostile
    twin = factories.ArticleFactory(original_language="en")
    factories.TranslationFactory(article=twin, language="en", title="Source", body="Source.", published=True)
    benign = factories.TranslationFactory(article=twin, language="fr", published=True, body="Texte sans danger.")
    factories.TranslationCreditFactory(translation=benign)
    factories.AcknowledgementFactory(article=twin)
    baseline = _page_parts(client, benign.get_absolute_url())
    assert _page_parts(client, version.get_absolute_url()) == baseline
    html = client.get(version.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # titles and credits are shown as text


def _feed_bodies(xml):
    root = ElementTree.fromstring(xml)
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("description", "content", "summary", "encoded") and element.text:
            yield element.text


@pytest.mark.parametrize("feed", ["articles:feed_rss", "articles:feed_atom"])
def test_feeds_carry_no_dangerous_html(client, hostile, feed):
    response = client.get(reverse(feed))
    assert response.status_code == 200
    bodies = list(_feed_bodies(response.content))
    assert any("Source" in b or "alert" in b or "click" in b for b in bodies)
    for body in bodies:
        assert dangerous_parts(body) == []


def test_markdownx_preview_is_sanitised(client, editor):
    client.login(username=editor.username, password=PASSWORD)
    for payload in PAYLOADS:
        response = client.post("/markdownx/markdownify/", {"content": payload})
        assert response.status_code == 200
        assert dangerous_parts(response.content.decode()) == [], payload


def test_workspace_preview_is_sanitised(client, translator):
    client.login(username=translator.username, password=PASSWORD)
    response = client.post(reverse("workspace:preview"), {"body": "\n\n".join(PAYLOADS)})
    assert dangerous_parts(response.json()["html"]) == []


def test_review_diff_escapes_the_translators_text(client, hostile, editor):
    version, revision = hostile
    client.login(username=editor.username, password=PASSWORD)
    benign_version = factories.TranslationFactory(language="fr", body=version.body)
    benign_version.assignees.add(*version.assignees.all())
    translator = revision.author
    # Same shape as the hostile revision (one more paragraph), harmless words.
    harmless = "\n\n".join(f"Paragraphe {n}." for n in range(len(revision.paragraphs())))
    benign = workflow.submit_revision(benign_version, by=translator, title="T", standfirst="", body=harmless)
    baseline = _page_parts(client, reverse("admin:articles_translationrevision_review", args=[benign.pk]))
    hostile_parts = _page_parts(client, reverse("admin:articles_translationrevision_review", args=[revision.pk]))
    assert hostile_parts == baseline


def test_workspace_pages_escape_the_text(client, hostile, translator):
    version, revision = hostile
    client.login(username=translator.username, password=PASSWORD)
    harmless = "\n\n".join(f"Paragraphe {n}." for n in range(len(revision.paragraphs())))
    benign_version = factories.TranslationFactory(article=version.article, language="de", body=harmless)
    translator.author.languages = ["fr", "de"]
    translator.author.save()
    benign_version.assignees.add(translator.author)
    # The translator's draft of the hostile version is the hostile revision itself.
    workflow.save_draft(version, by=translator, title=version.title, standfirst="", body=revision.body)
    workflow.save_draft(benign_version, by=translator, title="T", standfirst="", body=harmless)
    baseline = _page_parts(client, reverse("workspace:edit", args=[benign_version.pk]))
    assert _page_parts(client, reverse("workspace:edit", args=[version.pk])) == baseline
    benign = workflow.submit_revision(benign_version, by=translator, title="T", standfirst="", body=harmless)
    assert _page_parts(client, reverse("workspace:revision", args=[revision.pk])) == _page_parts(
        client, reverse("workspace:revision", args=[benign.pk]))


# --- Content-Security-Policy ---------------------------------------------------------------------------

def _policy(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_csp_on_public_pages_without_nonce(client, sample):
    for url in ("/fr/", "/en/", Translation.objects.published().first().get_absolute_url()):
        policy = _policy(client.get(url))
        assert policy["script-src"] == ["'self'"], url  # no nonce: the page can be cached
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in " ".join(sum(policy.values(), []))


def test_csp_on_admin_and_workspace(client, editor, translator):
    client.login(username=editor.username, password=PASSWORD)
    assert _policy(client.get("/fr/admin/"))["script-src"][0] == "'self'"
    client.logout()
    client.login(username=translator.username, password=PASSWORD)
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 200 and _policy(response)["object-src"] == ["'none'"]


def test_public_pages_have_no_inline_script_or_style(client, sample):
    html = client.get(Translation.objects.published().first().get_absolute_url()).content.decode()
    for match in re.finditer(r"<script(?P<attrs>[^>]*)>", html):
        assert "src=" in match["attrs"] or "application/ld+json" in match["attrs"], match.group(0)
    assert " style=" not in html and "<style" not in html


# --- CSRF ------------------------------------------------------------------------------------------------

def test_every_state_changing_endpoint_refuses_a_post_without_csrf(superuser, hostile):
    version, revision = hostile
    client = Client(enforce_csrf_checks=True)
    client.login(username=superuser.username, password=PASSWORD)
    before = sorted(Translation.objects.values_list("pk", "status", "body"))
    endpoints = [
        reverse("workspace:save_draft", args=[version.pk]), reverse("workspace:submit", args=[version.pk]),
        reverse("workspace:preview"), "/markdownx/markdownify/", "/markdownx/upload/",
        reverse("admin:articles_translationrevision_review", args=[revision.pk]),
        reverse("admin:articles_translationrevision_restore", args=[revision.pk]),
        reverse("admin:articles_translation_change", args=[version.pk]),
        reverse("admin:articles_translation_changelist"), reverse("admin:articles_article_add"),
        "/i18n/setlang/", reverse("logout"),
    ]
    for url in endpoints:
        assert client.post(url, {"title": "x", "decision": "accepted", "content": "x"}).status_code == 403, url
    assert sorted(Translation.objects.values_list("pk", "status", "body")) == before


# --- Brute-force protection ---------------------------------------------------------------------------------

def _attempt(client, password, url="/en/accounts/login/", username="camille", **headers):
    return client.post(url, {"username": username, "password": password}, **headers)


@override_settings(AXES_ENABLED=True)
@pytest.mark.parametrize("url,username", [("/en/accounts/login/", "camille"), ("/en/admin/login/", "editor")])
def test_lockout_after_repeated_failures_then_expiry(client, translator, editor, url, username):
    from axes.models import AccessAttempt

    for _ in range(4):
        assert _attempt(client, "wrong", url, username).status_code == 200
    assert _attempt(client, "wrong", url, username).status_code == 429  # the fifth failure locks
    locked = _attempt(client, PASSWORD, url, username)  # even the right password, for a while
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    # After the cool-off period the lock lifts by itself.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1))
    assert _attempt(client, PASSWORD, url, username).status_code == 302


@override_settings(AXES_ENABLED=True)
def test_lockout_message_in_french(client, translator):
    for _ in range(5):
        _attempt(client, "wrong", "/fr/accounts/login/")
    assert "Trop de tentatives" in _attempt(client, PASSWORD, "/fr/accounts/login/").content.decode()


@override_settings(AXES_ENABLED=True, AXES_IPWARE_PROXY_COUNT=1,
                   AXES_IPWARE_META_PRECEDENCE_ORDER=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"])
def test_behind_a_proxy_the_client_address_is_locked_not_the_proxy(client, translator):
    for _ in range(5):
        _attempt(client, "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1")
    assert _attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1").status_code == 429
    # Another reader behind the same proxy is not locked out.
    assert _attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9, 10.0.0.1").status_code == 302


# --- Sessions -------------------------------------------------------------------------------------------------

def test_deactivated_user_loses_access_on_the_next_request(client, translator, settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    client.login(username=translator.username, password=PASSWORD)
    assert client.get(reverse("workspace:home")).status_code == 200
    type(translator).objects.filter(pk=translator.pk).update(is_active=False)
    assert client.get(reverse("workspace:home")).status_code == 302


def test_user_removed_from_group_loses_access_on_the_next_request(client, editor):
    client.login(username=editor.username, password=PASSWORD)
    assert client.get(reverse("admin:articles_translationrevision_changelist") + "?status__exact=submitted").status_code == 200
    editor.groups.remove(Group.objects.get(name="Editor"))
    assert client.get(reverse("admin:articles_translationrevision_changelist") + "?status__exact=submitted").status_code == 403


# --- Production settings ----------------------------------------------------------------------------------------

def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TECHFLOW_"))}
    env.update({
        "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-deploy-check-0123456789",
        "DJANGO_ALLOWED_HOSTS": "techflow.example", "TECHFLOW_TESTING": "false", **extra,
    })
    return env


def test_check_deploy_is_clean():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY is required" in result.stderr


# --- The Markdown editor's endpoints -----------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", ["/markdownx/markdownify/", "/markdownx/upload/"])
def test_markdownx_endpoints_refuse_anonymous_and_unprivileged_users(client, translator, endpoint):
    response = client.post(endpoint, {"content": "*x*"})
    assert response.status_code == 302 and "login" in response["Location"]
    client.login(username=translator.username, password=PASSWORD)
    assert client.post(endpoint, {"content": "*x*"}).status_code == 403
    assert client.get(endpoint).status_code == 405


def test_markdownx_preview_answers_editors(client, editor):
    client.login(username=editor.username, password=PASSWORD)
    response = client.post("/markdownx/markdownify/", {"content": "*x* <script>1</script>"})
    assert response.status_code == 200 and "<em>x</em>" in response.content.decode()
    assert "<script" not in response.content.decode()
