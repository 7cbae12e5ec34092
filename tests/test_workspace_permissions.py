"""Who may do what in the workspace and the review screens: exact status codes, and nothing changed when refused."""

import pytest
from django.urls import reverse

from articles import workflow
from articles.models import ParagraphReview, RevisionDraft, Translation, TranslationRevision
from tests import factories
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "other_translator", "translator", "editor", "superuser"]


@pytest.fixture
def world(translator, editor):
    article = factories.ArticleFactory(original_language="en")
    factories.TranslationFactory(article=article, language="en", title="Original", body="One.\n\nTwo.", published=True)
    version = factories.TranslationFactory(article=article, language="fr", title="Trad", body="Un.\n\nDeux.", published=True)
    version.assignees.add(translator.author)
    revision = workflow.submit_revision(version, by=translator, title="Trad", standfirst="", body="Un.\n\nDeux, revu.")
    workflow.save_draft(version, by=translator, title="Secret", standfirst="", body="brouillon de camille")
    users = {
        "anonymous": None,
        "other_translator": make_user("pablo", "Translator", languages=["es"]),
        "translator": translator,
        "editor": make_user("second", "Editor", is_staff=True),
        "superuser": make_user("root", is_staff=True, is_superuser=True),
    }
    return {"version": Translation.objects.get(pk=version.pk), "revision": revision, "users": users}


def as_role(client, world, role):
    user = world["users"][role]
    if user:
        assert client.login(username=user.username, password=PASSWORD)
    return client


def state():
    return (
        sorted(TranslationRevision.objects.values_list("number", "status", "body")),
        sorted(RevisionDraft.objects.values_list("author__username", "body")),
        sorted(ParagraphReview.objects.values_list("index", "comment")),
        sorted(Translation.objects.values_list("pk", "body", "status")),
    )


def urls(world):
    version, revision = world["version"], world["revision"]
    return {
        "home": ("get", reverse("workspace:home"), {}),
        "edit": ("get", reverse("workspace:edit", args=[version.pk]), {}),
        "draft": ("post", reverse("workspace:save_draft", args=[version.pk]),
                  {"title": "T", "standfirst": "", "para-0": "changé"}),
        "submit": ("post", reverse("workspace:submit", args=[version.pk]),
                   {"title": "T", "standfirst": "", "para-0": "soumis"}),
        "preview": ("post", reverse("workspace:preview"), {"body": "*x*"}),
        "revision": ("get", reverse("workspace:revision", args=[revision.pk]), {}),
        "queue": ("get", reverse("admin:articles_translationrevision_changelist") + "?status__exact=submitted", {}),
        "review": ("get", reverse("admin:articles_translationrevision_review", args=[revision.pk]), {}),
        "accept": ("post", reverse("admin:articles_translationrevision_review", args=[revision.pk]),
                   {"decision": "accepted"}),
        "restore": ("post", reverse("admin:articles_translationrevision_restore", args=[revision.pk]), {}),
    }


# Expected status per (URL, role). Anonymous users are sent to a login page (302); signed-in users
# outside their remit get 403 or 404; writes that succeed redirect (302) to the next page.
EXPECTED = {
    "home":     {"anonymous": 302, "other_translator": 200, "translator": 200, "editor": 200, "superuser": 200},
    "edit":     {"anonymous": 302, "other_translator": 404, "translator": 200, "editor": 200, "superuser": 200},
    "draft":    {"anonymous": 302, "other_translator": 404, "translator": 302, "editor": 302, "superuser": 302},
    "submit":   {"anonymous": 302, "other_translator": 404, "translator": 302, "editor": 302, "superuser": 302},
    "preview":  {"anonymous": 302, "other_translator": 200, "translator": 200, "editor": 200, "superuser": 200},
    "revision": {"anonymous": 302, "other_translator": 404, "translator": 200, "editor": 200, "superuser": 200},
    "queue":    {"anonymous": 302, "other_translator": 302, "translator": 302, "editor": 200, "superuser": 200},
    "review":   {"anonymous": 302, "other_translator": 403, "translator": 403, "editor": 200, "superuser": 200},
    "accept":   {"anonymous": 302, "other_translator": 403, "translator": 403, "editor": 302, "superuser": 302},
    "restore":  {"anonymous": 302, "other_translator": 403, "translator": 403, "editor": 302, "superuser": 302},
}
WRITES = {"draft", "submit", "accept", "restore"}
EDITORS_ONLY = {"queue", "review", "accept", "restore"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(client, world, role, name):
    method, url, data = urls(world)[name]
    before = state()
    response = getattr(as_role(client, world, role), method)(url, data)
    assert response.status_code == EXPECTED[name][role], (name, role)
    allowed = role in (("editor", "superuser") if name in EDITORS_ONLY else ("translator", "editor", "superuser"))
    if response.status_code == 302 and not allowed:
        # The queue is Django's own admin list: non-staff are shown its login page.
        assert "login" in response["Location"]
    if name in WRITES:
        assert (state() == before) != allowed, (name, role)


def test_translator_never_sees_another_translators_draft(client, world, translator):
    make_user("lea", "Translator", languages=["fr"])
    world["version"].assignees.add(*[u.author for u in [translator]])
    Translation.objects.filter(pk=world["version"].pk).update(is_open_for_translation=True)
    client.login(username="lea", password=PASSWORD)
    html = client.get(reverse("workspace:edit", args=[world["version"].pk])).content.decode()
    assert "brouillon de camille" not in html and "Secret" not in html
    revision_url = reverse("workspace:revision", args=[world["revision"].pk])
    assert client.get(revision_url).status_code == 404


def test_editor_cannot_accept_their_own_revision(client, world, editor):
    own = workflow.submit_revision(world["version"], by=editor, title="T", standfirst="", body="à moi")
    client.login(username=editor.username, password=PASSWORD)
    before = state()
    url = reverse("admin:articles_translationrevision_review", args=[own.pk])
    assert client.post(url, {"decision": "accepted"}).status_code == 403
    assert state() == before


def test_posts_without_csrf_token_are_refused(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.login(username="camille", password=PASSWORD)
    before = state()
    for name in ("draft", "submit", "preview"):
        method, url, data = urls(world)[name]
        assert client.post(url, data).status_code == 403, name
    assert state() == before
