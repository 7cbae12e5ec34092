"""Whole-site backups: export_site, import_site into a fresh database, export again: the same bytes."""

import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from articles.exporter import site_content
from articles.models import (
    Article, Author, ParagraphReview, RevisionDraft, Translation, TranslationRevision,
)
from tests import factories
from tests.test_export import build_multilingual

# A restore needs a fresh database, which `flush` gives only outside a test transaction.
pytestmark = pytest.mark.django_db(transaction=True)

PHOTO = b"\x89PNG\r\n\x1a\nnot really a picture, but bytes to carry"


@pytest.fixture(autouse=True)
def english():
    # Messages are checked in English; the site's default language would give them in French.
    with translation.override("en"):
        yield


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def build_history():
    """Users, a translator's revisions with reviews and a draft, a photo: everything beyond articles."""
    article = build_multilingual()
    editor = factories.UserFactory(username="editor", first_name="Eve", is_staff=True)
    editor.groups.add(Group.objects.get_or_create(name="Editor")[0])
    translator = factories.UserFactory(username="camille")
    camille = Author.objects.get(name="Camille Martin")
    camille.user = translator
    camille.social_links = ["https://x.com/camille"]
    camille.languages = ["fr"]
    camille.photo.save("camille.png", ContentFile(PHOTO))
    french = Translation.objects.get(article=article, language="fr")
    first = TranslationRevision.objects.create(
        translation=french, number=1, author=translator, title="Lettre", body="Bonjour.",
        source_version=1, status=TranslationRevision.Status.CHANGES_REQUESTED, decided_by=editor,
        decision_note="Presque.",
    )
    ParagraphReview.objects.create(revision=first, index=0, decision="rejected", comment="Trop court.",
                                   author=editor)
    second = TranslationRevision.objects.create(
        translation=french, number=2, author=translator, title="Une lettre ouverte", body="Bonjour.\n\nAu revoir.",
        base=first, source_version=1, note="Corrigé.",
    )
    Translation.objects.filter(pk=french.pk).update(current_revision=second)
    french.assignees.add(camille)
    RevisionDraft.objects.create(translation=french, author=translator, title="Brouillon", body="En cours.",
                                 base=second)
    return article


def export_bytes(tmp_path, name, *args):
    path = tmp_path / name
    call_command("export_site", str(path), *args, stdout=io.StringIO())
    return path


def fresh_database():
    call_command("flush", interactive=False, verbosity=0)


def test_site_round_trip_gives_identical_archives(media_root, tmp_path):
    build_history()
    first = export_bytes(tmp_path, "first.zip")
    before = site_content()
    fresh_database()
    (media_root / "authors" / "camille.png").unlink()
    assert not Article.objects.exists()

    out = io.StringIO()
    call_command("import_site", str(first), stdout=out)
    assert "Restored 1 articles" in out.getvalue()
    assert site_content() == before
    second = export_bytes(tmp_path, "second.zip")
    assert second.read_bytes() == first.read_bytes()
    assert (media_root / "authors" / "camille.png").read_bytes() == PHOTO


def test_site_round_trip_keeps_the_seed(sample, media_root, tmp_path):
    first = export_bytes(tmp_path, "first.zip")
    fresh_database()
    call_command("import_site", str(first), stdout=io.StringIO())
    assert Translation.objects.published().filter(article__key="sam-altman-reflections").exists()
    assert export_bytes(tmp_path, "second.zip").read_bytes() == first.read_bytes()


def test_restored_history_is_linked_again(media_root, tmp_path):
    build_history()
    archive = export_bytes(tmp_path, "site.zip")
    fresh_database()
    call_command("import_site", str(archive), stdout=io.StringIO())
    french = Translation.objects.get(language="fr")
    assert french.status == Translation.Status.SCHEDULED
    assert french.current_revision.number == 2
    assert french.current_revision.base.number == 1
    assert [c.author.name for c in french.credits.all()] == ["Camille Martin", "Jean Dupont"]
    camille = Author.objects.get(name="Camille Martin")
    assert camille.user.username == "camille"
    assert camille.photo.name == "authors/camille.png"
    editor = get_user_model().objects.get(username="editor")
    assert list(editor.groups.values_list("name", flat=True)) == ["Editor"]
    # Without --with-passwords nobody can sign in with an old password.
    assert not editor.has_usable_password()


def test_with_passwords_restores_sign_in(media_root, tmp_path, client):
    eve = factories.UserFactory(username="eve", is_staff=True)
    eve.set_password("correct horse battery staple")
    eve.save()
    archive = export_bytes(tmp_path, "site.zip", "--with-passwords")
    fresh_database()
    call_command("import_site", str(archive), stdout=io.StringIO())
    assert client.login(username="eve", password="correct horse battery staple")


def test_archive_has_no_export_time(media_root, tmp_path):
    build_history()
    archive = export_bytes(tmp_path, "site.zip")
    with zipfile.ZipFile(archive) as handle:
        assert {info.date_time for info in handle.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        content = json.loads(handle.read("content.json"))
    assert list(content) == sorted(content)


def test_import_refuses_a_database_with_content(media_root, tmp_path):
    build_history()
    archive = export_bytes(tmp_path, "site.zip")
    before = site_content()
    with pytest.raises(CommandError, match="already holds content"):
        call_command("import_site", str(archive), stdout=io.StringIO())
    assert site_content() == before


@pytest.mark.parametrize("make, message", [
    (lambda path: path.write_bytes(b"plain text, not a zip"), "not a site archive"),
    (lambda path: _zip(path, {"other.json": b"{}"}), "has no content.json"),
    (lambda path: _zip(path, {"content.json": b"{not json"}), "not valid JSON"),
    (lambda path: _zip(path, {"content.json": b'{"format": "wordpress"}'}), "not a TechFlow site archive"),
    (lambda path: _zip(path, {"content.json": b'{"format": "techflow-site", "version": 99}'}), "version 99"),
    (lambda path: _zip(path, {"content.json": b'{"format": "techflow-site", "version": 1, "users": []}'}),
     "incomplete or malformed"),
    (lambda path: _zip(path, {"content.json": json.dumps(_minimal()).encode(), "media/../../evil.txt": b"x"}),
     "unsafe file name"),
])
def test_import_refuses_a_bad_archive_and_writes_nothing(media_root, tmp_path, make, message):
    path = tmp_path / "bad.zip"
    make(path)
    with pytest.raises(CommandError, match=message):
        call_command("import_site", str(path), stdout=io.StringIO())
    assert not Article.objects.exists() and not Author.objects.exists()
    assert not (tmp_path / "evil.txt").exists()


def test_a_half_valid_archive_writes_nothing(media_root, tmp_path):
    content = _minimal()
    content["authors"] = [{"slug": "a", "name": "A", "kind": "person", "bio": "", "website": "",
                           "social_links": [], "photo": "", "languages": [], "user": None,
                           "created_at": None, "updated_at": None}]
    content["articles"] = [{"key": "x"}]
    path = tmp_path / "half.zip"
    _zip(path, {"content.json": json.dumps(content).encode()})
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_site", str(path), stdout=io.StringIO())
    assert not Author.objects.exists()


def _minimal():
    return {"format": "techflow-site", "version": 1, "users": [], "sections": [], "tags": [],
            "authors": [], "community_links": [], "articles": []}


def _zip(path, entries):
    with zipfile.ZipFile(path, "w") as handle:
        for name, data in entries.items():
            handle.writestr(name, data)
