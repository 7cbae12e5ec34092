"""The paste-and-import page: what was recognised is shown and correctable; only confirming writes."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Acknowledgement, Article, Author, CommunityLink, Section, Translation
from tests import factories
from tests.test_admin import editor, editor_client  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

IMPORT = "/en/admin/articles/article/import/"
MODELS = (Article, Translation, Author, Acknowledgement, CommunityLink, Section, LogEntry)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seed_text(seed_path):
    return seed_path.read_text(encoding="utf-8")


def review_data(response, **changes):
    """The review form's values as the page shows them, with the editor's corrections."""
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    data.update(changes)
    return data


def test_pasting_shows_what_was_recognised_and_writes_nothing(editor_client, seed_text):
    before = counts()
    response = editor_client.post(IMPORT, {"step": "parse", "text": seed_text})
    assert response.status_code == 200
    assert counts() == before
    form = response.context["form"]
    assert form["title"].value().startswith("Sam Altman : aveux et perspectives")
    assert form["language"].value() == "fr"
    assert form["authors"].value() == "Sam Altman" and form["translators"].value() == "TechFlow"
    assert form["acknowledgements"].value().startswith("Josh Tyrangiel | pour l’inspiration | J’aurais aimé")
    assert "Groupe Telegram | https://t.me/TechFlowDaily" in form["community_links"].value()
    html = response.content.decode()
    assert response.context["report"]["paragraphs"] == 34
    assert 'id="import-preview"' in html and "<p>Plus d’un mois" in html


def test_checking_corrections_writes_nothing(editor_client, seed_text):
    parsed = editor_client.post(IMPORT, {"step": "parse", "text": seed_text})
    before = counts()
    response = editor_client.post(IMPORT, review_data(
        parsed, step="preview", title="Titre corrigé", body="Un **seul** paragraphe.",
    ))
    assert response.status_code == 200 and counts() == before
    assert response.context["form"]["title"].value() == "Titre corrigé"
    assert "<strong>seul</strong>" in response.context["preview_html"]


def test_confirm_writes_everything_with_the_corrections(editor_client, editor, seed_text):
    parsed = editor_client.post(IMPORT, {"step": "parse", "text": seed_text})
    response = editor_client.post(IMPORT, review_data(
        parsed, step="confirm", title="Sam Altman : réflexions",
        authors="Sam Altman\nJane Coauthor",
        acknowledgements="Josh Tyrangiel | pour l’inspiration\nOllie Friend | pour son soutien | merci",
    ))
    assert response.status_code == 302
    version = Translation.objects.get(language="fr")
    article = version.article
    assert response["Location"] == f"/en/admin/articles/article/{article.pk}/change/"
    assert version.title == "Sam Altman : réflexions" and version.status == Translation.Status.DRAFT
    assert version.standfirst.startswith("Mettre progressivement")
    assert version.body.startswith("Plus d’un mois") and len(version.body.split("\n\n")) == 34
    assert [a.name for a in article.ordered_authors()] == ["Sam Altman", "Jane Coauthor"]
    assert [a.name for a in version.ordered_translators()] == ["TechFlow"]
    acks = list(article.acknowledgements.all())
    assert [a.name for a in acks] == ["Josh Tyrangiel", "Ollie Friend"]
    assert acks[1].reasons == {"fr": "pour son soutien"} and acks[1].notes == {"fr": "merci"}
    assert article.section.name == "TechFlow Sélection"
    assert CommunityLink.objects.filter(language="fr").count() == 3
    entries = LogEntry.objects.filter(user=editor)
    assert {e.content_type.model for e in entries} == {"article", "translation"}
    assert all(e.is_addition() for e in entries)


def test_confirm_can_publish_at_once(editor_client, seed_text):
    parsed = editor_client.post(IMPORT, {"step": "parse", "text": seed_text})
    editor_client.post(IMPORT, review_data(parsed, step="confirm", publish="on"))
    version = Translation.objects.get(language="fr")
    assert version.status == Translation.Status.PUBLISHED and version.is_visible()


def test_a_rejected_correction_keeps_what_was_typed_and_writes_nothing(editor_client, seed_text):
    parsed = editor_client.post(IMPORT, {"step": "parse", "text": seed_text})
    before = counts()
    response = editor_client.post(IMPORT, review_data(
        parsed, step="confirm", title="Mon titre tapé", community_links="Telegram | not-a-url",
    ))
    assert response.status_code == 200 and counts() == before
    html = response.content.decode()
    assert "Mon titre tapé" in html and "Telegram | not-a-url" in html
    assert "is not a web address" in html


def test_an_importer_refusal_is_shown_and_nothing_is_written(editor_client):
    # The front matter asks for a schedule without a time: write_article refuses it as a whole.
    text = "---\ntitle: Plus tard\nlanguage: fr\nauthors: [Sam Writer]\nstatus: scheduled\n---\nUn paragraphe.\n"
    parsed = editor_client.post(IMPORT, {"step": "parse", "text": text})
    before = counts()
    response = editor_client.post(IMPORT, review_data(parsed, step="confirm", title="Titre gardé"))
    assert response.status_code == 200 and counts() == before
    html = response.content.decode()
    assert "Nothing was written: a scheduled translation needs" in html
    assert "Titre gardé" in html


def test_an_uploaded_file_is_read_like_pasted_text(editor_client, seed_path):
    upload = SimpleUploadedFile("article.txt", seed_path.read_bytes(), content_type="text/plain")
    response = editor_client.post(IMPORT, {"step": "parse", "file": upload})
    assert response.status_code == 200
    assert response.context["form"]["authors"].value() == "Sam Altman"
    assert not Article.objects.exists()


def test_front_matter_data_survives_the_round_trip(editor_client):
    text = (
        "---\ntitle: On Tools\nlanguage: en\nsource_url: https://example.org/tools\n"
        "original_language: en\nauthors: [Sam Writer]\n---\nFirst paragraph.\n\nSecond one.\n"
    )
    parsed = editor_client.post(IMPORT, {"step": "parse", "text": text})
    assert parsed.context["form"]["title"].value() == "On Tools"
    editor_client.post(IMPORT, review_data(parsed, step="confirm"))
    article = Article.objects.get()
    assert article.source_url == "https://example.org/tools"
    assert article.translations.get().body == "First paragraph.\n\nSecond one."


def test_unreadable_input_is_refused_on_the_first_page(editor_client):
    response = editor_client.post(IMPORT, {"step": "parse", "text": "---\ntitle: [oops\n---\nBody.\n"})
    assert response.status_code == 200
    assert "This text cannot be imported: line" in response.content.decode()
    response = editor_client.post(IMPORT, {"step": "parse", "text": "bad\x00text"})
    assert response.status_code == 200 and "Null characters are not allowed" in response.content.decode()
    response = editor_client.post(IMPORT, {"step": "parse", "text": "  "})
    assert "Paste the article’s text or choose a file." in response.content.decode()
    upload = SimpleUploadedFile("a.txt", "é".encode("latin-1"), content_type="text/plain")
    response = editor_client.post(IMPORT, {"step": "parse", "file": upload})
    assert "not UTF-8" in response.content.decode()
    assert not Article.objects.exists()


def test_import_page_needs_the_right_to_add_articles(client):
    viewer = factories.UserFactory(is_staff=True)
    viewer.save()
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["view_article", "view_translation"]))
    client.force_login(viewer)
    assert client.get(IMPORT).status_code == 403
    client.logout()
    assert client.get(IMPORT).status_code == 302
