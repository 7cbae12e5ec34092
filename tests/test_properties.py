"""Property-based tests: no input makes the importer, the forms or the renderer crash or write half a change."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import workflow
from articles.importer import ArticleImportError, parse_file_text, write_article
from articles.models import Article, RevisionDraft, Translation, TranslationRevision
from articles.rendering import render_markdown
from tests import factories
from tests.conftest import PASSWORD
from tests.html_checks import dangerous_parts
from tests.test_commands import snapshot

pytestmark = pytest.mark.django_db
SETTINGS = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Lines shaped like the articles the importer reads, mixed with junk.
LINES = st.one_of(
    st.sampled_from([
        "Auteur : Sam Altman", "Traduction : TechFlow", "By Jane Doe and John Roe", "Translated by X",
        "作者：某人", "编译：深潮", "Autor: A", "Übersetzung: B", "(Merci à Josh Tyrangiel pour l’inspiration.)",
        "Thanks to Ada Lovelace for the idea.", "感谢 某人 的帮助。", "Groupe Telegram :https://t.me/x",
        "Compte Twitter :https://x.com/y", "Bienvenue dans la communauté", "---", "title: [", "key: k",
        "language: xx", "status: published", "source_url: nope", "TechFlow SélectionTechFlow Sélection",
        "© 2025", "Partager", "", "   ", "# Heading", "- item", "> quote", "<script>alert(1)</script>",
    ]),
    st.text(min_size=0, max_size=120),
)
DOCUMENTS = st.lists(LINES, min_size=0, max_size=30).map("\n".join)


@SETTINGS
@given(text=DOCUMENTS, publish=st.booleans(), language=st.sampled_from([None, "fr", "en", "xx"]))
def test_importer_either_writes_everything_or_nothing(text, publish, language):
    sid = transaction.savepoint_create()
    try:
        before = snapshot()
        try:
            parsed = parse_file_text(text, language=language)
        except ArticleImportError:
            assert snapshot() == before
            return
        try:
            write_article(parsed, publish=publish)
        except (ArticleImportError, workflow.InvalidTransition):
            assert snapshot() == before
            return
        assert Article.objects.exists() and Translation.objects.exists()
        assert dangerous_parts(Translation.objects.order_by("-pk").first().body_html) == []
    finally:
        transaction.savepoint_rollback(sid)


@SETTINGS
@given(body=st.text(max_size=3000))
def test_renderer_never_emits_danger(body):
    assert dangerous_parts(render_markdown(body)) == []


@pytest.fixture
def assigned(translator):
    article = factories.ArticleFactory(original_language="en")
    factories.TranslationFactory(article=article, language="en", body="One.\n\nTwo.", published=True)
    version = factories.TranslationFactory(article=article, language="fr", body="Un.\n\nDeux.")
    version.assignees.add(translator.author)
    return version


FIELD = st.one_of(st.text(max_size=200), st.sampled_from(["", " ", "0", "-1", "99999999999", "abc", "1e9", "\x00"]))


@SETTINGS
@given(title=FIELD, standfirst=FIELD, base=FIELD, source_version=FIELD,
       paragraphs=st.dictionaries(st.text(max_size=8), FIELD, max_size=5), action=st.sampled_from(["draft", "submit"]))
def test_workspace_forms_never_fail_and_never_half_write(assigned, translator, title, standfirst, base,
                                                          source_version, paragraphs, action):
    client = Client()
    client.login(username=translator.username, password=PASSWORD)
    data = {"title": title, "standfirst": standfirst, "base": base, "source_version": source_version,
            **{f"para-{key}": value for key, value in paragraphs.items()}}
    data = {k.replace("\x00", ""): v.replace("\x00", "") for k, v in data.items()}
    sid = transaction.savepoint_create()
    try:
        revisions, drafts = TranslationRevision.objects.count(), RevisionDraft.objects.count()
        url = reverse("workspace:save_draft" if action == "draft" else "workspace:submit", args=[assigned.pk])
        response = client.post(url, data)
        assert response.status_code in (302, 404), response.status_code
        if response.status_code == 404:  # a base that is not a revision of this translation
            assert (TranslationRevision.objects.count(), RevisionDraft.objects.count()) == (revisions, drafts)
        elif action == "submit" and data["title"].strip():
            assert TranslationRevision.objects.count() == revisions + 1
        else:
            # A refused submission keeps what was typed as a draft; a draft save keeps it too.
            assert TranslationRevision.objects.count() == revisions
            assert RevisionDraft.objects.filter(author=translator).exists()
    finally:
        transaction.savepoint_rollback(sid)


def test_paragraph_fields_with_unicode_digits_are_ignored(client, assigned, translator):
    client.login(username=translator.username, password=PASSWORD)
    response = client.post(reverse("workspace:save_draft", args=[assigned.pk]),
                           {"title": "T", "para-²": "exposant", "para-0": "zéro"})
    assert response.status_code == 302
    assert RevisionDraft.objects.get(author=translator).body == "zéro"
