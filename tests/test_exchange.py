"""XLIFF 2.0, XLIFF 1.2 and PO: translate-toolkit reads the exports; translated files return as revisions."""

import pytest
from django.utils import translation
from django.core.files.uploadedfile import SimpleUploadedFile
from translate.storage.po import pofile
from translate.storage.xliff import xlifffile
from translate.storage.xliff2 import Xliff2File

from articles.models import TranslationRevision
from tests import factories
from tests.test_export import article_state

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    # The exchange URLs carry no language prefix: the messages asserted are the English ones.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield

READERS = {"xliff2": Xliff2File, "xliff12": xlifffile, "po": pofile}
PARAGRAPHS = ["The first paragraph, with *Markdown*.", "A second one: <b>not HTML</b> & an ampersand.",
              "- a list\n- on two lines"]


@pytest.fixture
def job(db, translator):
    """An English original of three paragraphs and its French draft, assigned to the translator."""
    section = factories.SectionFactory(names={"en": "Essays", "fr": "Essais"})
    article = factories.ArticleFactory(original_language="en", section=section,
                                       source_url="https://example.org/letter", original_title="A letter")
    factories.TranslationFactory(article=article, language="en", title="A letter",
                                 standfirst="Why we write.", body="\n\n".join(PARAGRAPHS))
    french = factories.TranslationFactory(article=article, language="fr", title="Une lettre", standfirst="",
                                          body="Un seul paragraphe.")
    french.assignees.add(translator.author)
    return french


def download(client, version, fmt):
    response = client.get(f"/exchange/translations/{version.pk}/{fmt}/")
    assert response.status_code == 200, response.content
    return response.content


def upload(client, version, data, name="job.xlf"):
    return client.post(f"/exchange/translations/{version.pk}/",
                       {"file": SimpleUploadedFile(name, data)}, follow=True)


def units(fmt, data):
    store = READERS[fmt].parsestring(data)
    return store, [u for u in store.units if not u.isheader()]


def file_notes(fmt, store, data):
    """The file-level context notes, as the toolkit exposes them."""
    if fmt == "po":
        return store.units[0].getnotes()
    root = store.document.getroot()
    return " ".join("".join(note.itertext()) for note in root.iter("{*}note"))


def unit_id(fmt, unit):
    # XLIFF 1.2 ids come back as "<file original>\x04<unit id>".
    return unit.getcontext() if fmt == "po" else unit.getid().split("\x04")[-1]


def unit_notes(fmt, unit):
    if fmt == "xliff2":
        # XLIFF 2.0 puts notes on <unit>; the toolkit's getnotes() looks inside <segment>.
        return " ".join("".join(n.itertext()) for n in unit.getunitelement().iter("{*}note"))
    return unit.getnotes()


@pytest.mark.parametrize("fmt", READERS)
def test_translate_toolkit_reads_one_unit_per_paragraph(client, translator, job, fmt):
    client.force_login(translator)
    data = download(client, job, fmt)
    store, found = units(fmt, data)
    assert [unit_id(fmt, u) for u in found] == ["title", "standfirst", "p1", "p2", "p3"]
    assert [u.source for u in found] == ["A letter", "Why we write.", *PARAGRAPHS]
    assert "Paragraph 2 of 3" in unit_notes(fmt, found[3])
    context = file_notes(fmt, store, data)
    assert "A letter" in context and "https://example.org/letter" in context and "Essais" in context
    # The draft has one paragraph for three: no target is guessed for them.
    assert found[0].target == "Une lettre" and not found[2].target


@pytest.mark.parametrize("fmt", READERS)
def test_a_file_translated_in_translate_toolkit_comes_back_as_a_revision(client, translator, job, fmt):
    client.force_login(translator)
    store, found = units(fmt, download(client, job, fmt))
    for unit in found:
        unit.target = f"FR {unit.source}"
    response = upload(client, job, bytes(store), name=f"job.{fmt}")
    assert response.status_code == 200
    assert "Revision 1 was created" in response.content.decode()
    revision = TranslationRevision.objects.get(translation=job)
    assert revision.title == "FR A letter"
    assert revision.standfirst == "FR Why we write."
    assert revision.paragraphs() == [f"FR {p}" for p in PARAGRAPHS]
    assert (revision.author, revision.status, revision.source_version) == (translator, "submitted", 1)
    job.refresh_from_db()
    assert job.body == "Un seul paragraphe."  # Never a silent overwrite: the text waits for review.


def test_existing_text_is_offered_when_paragraphs_line_up(client, translator, job):
    job.body = "Un.\n\nDeux.\n\nTrois."
    job.save()
    client.force_login(translator)
    _store, found = units("xliff2", download(client, job, "xliff2"))
    assert [u.target for u in found[2:]] == ["Un.", "Deux.", "Trois."]


def test_changed_source_is_reported_not_dropped(client, translator, job):
    client.force_login(translator)
    store, found = units("po", download(client, job, "po"))
    for unit in found:
        unit.target = f"FR {unit.source}"
    original = job.article.translations.get(language="en")
    original.body = "\n\n".join([PARAGRAPHS[0], "A rewritten second paragraph.", PARAGRAPHS[2]])
    original.save()
    job.article.refresh_from_db()
    assert job.article.source_version == 2
    response = upload(client, job, bytes(store), name="job.po")
    assert "The source has changed since this file was exported, in: p2" in response.content.decode()
    revision = TranslationRevision.objects.get(translation=job)
    assert revision.source_version == 1 and len(revision.paragraphs()) == 3
    assert "p2" in revision.note


def _translated(client, job, fmt="xliff12"):
    store, found = units(fmt, download(client, job, fmt))
    for unit in found:
        unit.target = f"FR {unit.source}"
    return store, found


def _refused(client, job, data, message, name="job.xlf"):
    before = article_state(job.article)
    response = upload(client, job, data, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TranslationRevision.objects.filter(translation=job).exists()
    assert article_state(job.article) == before


def test_malformed_files_are_refused(client, translator, job):
    client.force_login(translator)
    _refused(client, job, b"<xliff version='2.0'><file>", "not well-formed XML")
    _refused(client, job, b"", "The file is empty")
    _refused(client, job, b"msgid \"unterminated\nmsgstr", "not a readable PO file", name="job.po")
    _refused(client, job, b"/etc/passwd", "not a readable PO file", name="job.po")
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0">&b;</xliff>')
    _refused(client, job, bomb, "not accepted")


def test_foreign_files_are_refused(client, translator, job):
    client.force_login(translator)
    foreign = (b'<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'
               b'<file original="menu.html" source-language="en" target-language="fr" datatype="html"><body>'
               b'<trans-unit id="1"><source>Home</source><target>Accueil</target></trans-unit></body></file></xliff>')
    _refused(client, job, foreign, "not exported by this site")
    _refused(client, job, b"<html><body>hello</body></html>", "not XLIFF 2.0 or 1.2")
    _refused(client, job, b'msgid "Home"\nmsgstr "Accueil"\n', "no context", name="job.po")


def test_a_file_for_another_translation_is_refused(client, translator, job):
    other = factories.TranslationFactory(article=job.article, language="de", title="Ein Brief")
    editor_client = client
    client.force_login(translator)
    store, _found = _translated(client, job)
    other_job = bytes(store).replace(f":{job.language}:".encode(), b":de:")
    _refused(editor_client, job, other_job, "not to this translation")
    assert other.revisions.count() == 0


def test_an_edited_source_or_missing_unit_is_refused(client, translator, job):
    client.force_login(translator)
    store, found = _translated(client, job)
    data = bytes(store)
    _refused(client, job, data.replace(b"<source>A letter</source>", b"<source>Another letter</source>"),
             "The source text of title differs")
    store.removeunit(found[-1])
    _refused(client, job, bytes(store), "missing units: p3")


def test_untranslated_units_are_refused(client, translator, job):
    client.force_login(translator)
    store, found = units("po", download(client, job, "po"))
    found[0].target = "Titre"
    _refused(client, job, bytes(store), "Some units have no translation: standfirst, p1, p2, p3", name="job.po")


def test_only_people_on_the_job_get_its_files(client, job, other_translator, translator):
    assert client.get(f"/exchange/translations/{job.pk}/po/").status_code == 302
    client.force_login(other_translator)
    assert client.get(f"/exchange/translations/{job.pk}/po/").status_code == 403
    assert upload(client, job, b"x").status_code == 403
    client.force_login(translator)
    assert client.get(f"/exchange/translations/{job.pk}/").status_code == 200


def test_the_original_has_no_translation_job(client, editor, job):
    client.force_login(editor)
    original = job.article.translations.get(language="en")
    response = client.get(f"/exchange/translations/{original.pk}/xliff2/")
    assert response.status_code == 409 and b"original text" in response.content


def test_editor_upload_goes_through_the_workflow(client, editor, job):
    client.force_login(editor)
    store, _found = _translated(client, job, "xliff2")
    upload(client, job, bytes(store))
    revision = TranslationRevision.objects.get(translation=job)
    assert (revision.author, revision.status) == (editor, "submitted")
