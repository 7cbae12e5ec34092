"""Every transition of translations and revisions, allowed and refused, for each role."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation

from articles import workflow
from articles.models import ParagraphReview, RevisionDraft, SourceVersion, Translation, TranslationRevision
from articles.workflow import InvalidTransition
from tests import factories

pytestmark = pytest.mark.django_db

Status = Translation.Status
RStatus = TranslationRevision.Status
ORIGINAL = "One.\n\nTwo.\n\nThree."
FRENCH = "Un.\n\nDeux.\n\nTrois."


@pytest.fixture
def version(translator):
    """A published French translation of a hosted English original, assigned to the translator."""
    article = factories.ArticleFactory(original_language="en")
    factories.TranslationFactory(article=article, language="en", title="Original", body=ORIGINAL, published=True)
    french = factories.TranslationFactory(article=article, language="fr", title="Traduction", body=FRENCH, published=True)
    french.assignees.add(translator.author)
    return french


@pytest.fixture(autouse=True)
def english():
    # The messages asserted below are the English msgids.
    with translation.override("en"):
        yield


def submit(version, user, body="Un.\n\nDeux, revu.\n\nTrois.", **kwargs):
    kwargs.setdefault("base", version.current_revision)
    return workflow.submit_revision(version, by=user, title=kwargs.pop("title", "Traduction"),
                                    standfirst="", body=body, **kwargs)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- Publishing transitions ---------------------------------------------------------------------------

def test_publish_allowed_from_draft(editor):
    draft = factories.TranslationFactory()
    workflow.publish_translation(draft, by=editor)
    assert fresh(draft).status == Status.PUBLISHED and fresh(draft).published_at


def test_publish_refuses_what_is_published(editor):
    version = factories.TranslationFactory(published=True)
    with pytest.raises(InvalidTransition, match="already published"):
        workflow.publish_translation(version, by=editor)


def test_publish_refuses_an_empty_translation(editor):
    empty = factories.TranslationFactory(body="")
    with pytest.raises(InvalidTransition, match="no title or no body"):
        workflow.publish_translation(empty, by=editor)
    assert fresh(empty).status == Status.DRAFT


def test_publish_refuses_translators(translator):
    draft = factories.TranslationFactory()
    with pytest.raises(PermissionDenied):
        workflow.publish_translation(draft, by=translator)
    assert fresh(draft).status == Status.DRAFT


def test_schedule_needs_a_future_time(editor):
    draft = factories.TranslationFactory()
    with pytest.raises(InvalidTransition, match="future"):
        workflow.schedule_translation(draft, timezone.now() - timezone.timedelta(minutes=1), by=editor)
    at = timezone.now() + timezone.timedelta(days=1)
    workflow.schedule_translation(draft, at, by=editor)
    assert fresh(draft).status == Status.SCHEDULED and fresh(draft).published_at == at


def test_schedule_refuses_a_published_version(editor):
    version = factories.TranslationFactory(published=True)
    with pytest.raises(InvalidTransition, match="unpublish it first"):
        workflow.schedule_translation(version, timezone.now() + timezone.timedelta(days=1), by=editor)


def test_unpublish_allowed_from_published_and_scheduled(editor):
    version = factories.TranslationFactory(published=True)
    workflow.unpublish_translation(version, by=editor)
    assert fresh(version).status == Status.DRAFT and fresh(version).published_at is None
    workflow.schedule_translation(version, timezone.now() + timezone.timedelta(days=1), by=editor)
    workflow.unpublish_translation(version, by=editor)
    assert fresh(version).status == Status.DRAFT


def test_unpublish_refuses_a_draft(editor):
    with pytest.raises(InvalidTransition, match="not published"):
        workflow.unpublish_translation(factories.TranslationFactory(), by=editor)


def test_archive_and_refuse_archiving_twice(editor):
    version = factories.TranslationFactory(published=True)
    workflow.archive_translation(version, by=editor)
    assert fresh(version).status == Status.ARCHIVED
    with pytest.raises(InvalidTransition, match="already archived"):
        workflow.archive_translation(version, by=editor)


def test_send_to_review_only_from_draft(editor):
    draft = factories.TranslationFactory()
    workflow.send_to_review(draft, by=editor)
    assert fresh(draft).status == Status.IN_REVIEW
    with pytest.raises(InvalidTransition):
        workflow.send_to_review(draft, by=editor)


# --- Submitting -------------------------------------------------------------------------------------

def test_assigned_translator_submits_a_frozen_revision(version, translator):
    revision = submit(version, translator, note="Relu.")
    assert (revision.number, revision.status, revision.has_conflict) == (1, RStatus.SUBMITTED, False)
    assert revision.source_version == version.article.source_version
    assert revision.author == translator and revision.note == "Relu."
    assert fresh(version).body == FRENCH  # a proposal, not a change
    revision.body = "rewritten"
    with pytest.raises(ValidationError):
        revision.save()
    assert fresh(revision).body == "Un.\n\nDeux, revu.\n\nTrois."


def test_translator_of_another_language_is_refused(version, other_translator):
    with pytest.raises(PermissionDenied):
        submit(version, other_translator)
    assert not TranslationRevision.objects.exists()


def test_unassigned_translator_needs_an_open_translation(version, translator):
    version.assignees.clear()
    with pytest.raises(PermissionDenied):
        submit(version, translator)
    Translation.objects.filter(pk=version.pk).update(is_open_for_translation=True)
    assert submit(fresh(version), translator).number == 1


def test_user_without_a_role_is_refused(version):
    with pytest.raises(PermissionDenied):
        submit(version, factories.UserFactory())


def test_revision_needs_a_title(version, translator):
    with pytest.raises(InvalidTransition, match="title"):
        submit(version, translator, title=" ")


def test_draft_is_kept_per_translator_and_cleared_on_submit(version, translator, editor):
    workflow.save_draft(version, by=translator, title="T", standfirst="", body="brouillon")
    workflow.save_draft(version, by=translator, title="T", standfirst="", body="brouillon 2")
    workflow.save_draft(version, by=editor, title="T", standfirst="", body="autre")
    assert RevisionDraft.objects.get(author=translator).body == "brouillon 2"
    submit(version, translator)
    assert list(RevisionDraft.objects.values_list("author__username", flat=True)) == ["editor"]


def test_submitting_a_draft_translation_puts_it_in_review(translator):
    article = factories.ArticleFactory(original_language="en")
    draft = factories.TranslationFactory(article=article, language="fr")
    draft.assignees.add(translator.author)
    submit(draft, translator)
    assert fresh(draft).status == Status.IN_REVIEW


# --- Conflicts --------------------------------------------------------------------------------------

def test_two_revisions_from_the_same_base_are_both_kept_the_later_flagged(version, translator, editor):
    first = submit(version, translator, body="Un, premier.\n\nDeux.\n\nTrois.")
    second = submit(version, editor, body="Un, second.\n\nDeux.\n\nTrois.")
    assert (first.has_conflict, second.has_conflict) == (False, True)
    assert TranslationRevision.objects.count() == 2


def test_revision_from_a_base_no_longer_current_is_flagged(version, translator, editor, second_editor):
    first = submit(version, translator)
    workflow.review_revision(first, by=editor, decision=RStatus.ACCEPTED)
    stale = submit(version, second_editor, base=None)
    assert stale.has_conflict
    current = submit(fresh(version), translator, base=fresh(version).current_revision)
    assert not current.has_conflict


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite serialises writers")
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_each_stored_once(translator):
    article = factories.ArticleFactory(original_language="en")
    target = factories.TranslationFactory(article=article, language="fr", title="T", body="x")
    target.assignees.add(translator.author)
    errors, barrier = [], threading.Barrier(8)

    def worker(n):
        try:
            barrier.wait()
            workflow.submit_revision(Translation.objects.get(pk=target.pk), by=translator, title="T",
                                     standfirst="", body=f"version {n}", base=None)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    revisions = list(TranslationRevision.objects.filter(translation=target).order_by("number"))
    assert [r.number for r in revisions] == list(range(1, 9))
    assert sorted(r.body for r in revisions) == sorted(f"version {n}" for n in range(8))
    assert [r.has_conflict for r in revisions] == [False] + [True] * 7


# --- Reviewing --------------------------------------------------------------------------------------

def test_accepting_makes_the_text_current_and_credits_the_translator(client, version, translator, editor):
    revision = submit(version, translator)
    workflow.review_revision(revision, by=editor, decision=RStatus.ACCEPTED, note="Parfait.")
    version = fresh(version)
    assert version.body == revision.body and version.current_revision == revision
    assert "Deux, revu." in version.body_html
    assert [a.user for a in version.ordered_translators()][-1] == translator
    assert "Deux, revu." in client.get(version.get_absolute_url()).content.decode()
    assert fresh(revision).decided_by == editor and fresh(revision).decision_note == "Parfait."


def test_credit_comes_after_existing_translators(version, translator, editor):
    first = factories.TranslationCreditFactory(translation=version, position=0)
    workflow.review_revision(submit(version, translator), by=editor, decision=RStatus.ACCEPTED)
    assert [a.pk for a in fresh(version).ordered_translators()] == [first.author.pk, translator.author.pk]


def test_credit_is_given_once(version, translator, editor):
    workflow.review_revision(submit(version, translator), by=editor, decision=RStatus.ACCEPTED)
    workflow.review_revision(submit(fresh(version), translator, body="Un."), by=editor, decision=RStatus.ACCEPTED)
    assert fresh(version).credits.filter(author__user=translator).count() == 1


def test_paragraph_rejected_keeps_the_current_paragraph(version, translator, editor):
    revision = submit(version, translator, body="Un, revu.\n\nDeux, revu.\n\nTrois.")
    workflow.review_revision(revision, by=editor, decision=RStatus.ACCEPTED, paragraphs={
        0: (ParagraphReview.Decision.REJECTED, "Garder l'original."),
        1: (ParagraphReview.Decision.ACCEPTED, ""),
    })
    version = fresh(version)
    assert version.body == "Un.\n\nDeux, revu.\n\nTrois."
    merged = version.current_revision
    assert merged.base == revision and merged.author == editor and merged.status == RStatus.ACCEPTED
    assert fresh(revision).body == "Un, revu.\n\nDeux, revu.\n\nTrois."  # the proposal is kept as sent
    review = ParagraphReview.objects.get(revision=revision, index=0)
    assert (review.decision, review.comment) == ("rejected", "Garder l'original.")


@pytest.mark.parametrize("decision", [RStatus.CHANGES_REQUESTED, RStatus.REJECTED])
def test_requesting_changes_or_rejecting_leaves_the_text(version, translator, editor, decision):
    revision = submit(version, translator)
    workflow.review_revision(revision, by=editor, decision=decision,
                             paragraphs={1: ("", "Trop littéral.")})
    assert fresh(revision).status == decision
    assert fresh(version).body == FRENCH
    assert ParagraphReview.objects.get().comment == "Trop littéral."


def test_editor_cannot_review_their_own_revision(version, editor):
    revision = submit(version, editor)
    with pytest.raises(PermissionDenied):
        workflow.review_revision(revision, by=editor, decision=RStatus.ACCEPTED)
    assert fresh(revision).status == RStatus.SUBMITTED


def test_translator_cannot_review(version, translator):
    revision = submit(version, translator)
    with pytest.raises(PermissionDenied):
        workflow.review_revision(revision, by=translator, decision=RStatus.ACCEPTED)


def test_a_revision_is_reviewed_once(version, translator, editor, second_editor):
    revision = submit(version, translator)
    workflow.review_revision(revision, by=editor, decision=RStatus.REJECTED)
    with pytest.raises(InvalidTransition, match="already been reviewed"):
        workflow.review_revision(revision, by=second_editor, decision=RStatus.ACCEPTED)


# --- Restore and history -------------------------------------------------------------------------------

def test_restore_makes_a_new_revision_and_rewrites_nothing(version, translator, editor):
    first = submit(version, translator, body="Premier texte.")
    workflow.review_revision(first, by=editor, decision=RStatus.ACCEPTED)
    second = submit(fresh(version), translator, body="Second texte.")
    workflow.review_revision(second, by=editor, decision=RStatus.ACCEPTED)
    restored = workflow.restore_revision(first, by=editor)
    assert restored.number == 3 and restored.restored_from == first and restored.body == "Premier texte."
    assert fresh(version).body == "Premier texte." and fresh(version).current_revision == restored
    assert [r.body for r in TranslationRevision.objects.order_by("number")] == [
        "Premier texte.", "Second texte.", "Premier texte."]


def test_translator_cannot_restore(version, translator, editor):
    revision = submit(version, translator)
    with pytest.raises(PermissionDenied):
        workflow.restore_revision(revision, by=translator)


# --- Outdated translations -----------------------------------------------------------------------------

def test_source_change_marks_translations_outdated_with_the_paragraphs_that_moved(version, translator, editor):
    article = version.article
    original = article.translations.get(language="en")
    assert SourceVersion.objects.filter(article=article).count() == 1
    original.body = "One.\n\nTwo, corrected.\n\nThree.\n\nFour."
    original.save()
    article.refresh_from_db()
    version = fresh(version)
    assert article.source_version == 2 and version.is_outdated
    _old, _new, changes = workflow.source_changes(version)
    assert [(c.kind, c.old, c.new) for c in changes] == [
        ("changed", "Two.", "Two, corrected."), ("inserted", "", "Four.")]
    assert "<ins>" in changes[0].html and "corrected" in changes[0].html
    # Answering the new source clears the flag.
    revision = submit(version, translator, source_version=2, body=FRENCH + "\n\nQuatre.")
    workflow.review_revision(revision, by=editor, decision=RStatus.ACCEPTED)
    assert not fresh(version).is_outdated


def test_saving_the_original_unchanged_does_not_bump_the_version(version):
    original = version.article.translations.get(language="en")
    original.save()
    assert fresh(version.article).source_version == 1


# --- Notifications ----------------------------------------------------------------------------------

def test_editors_are_emailed_after_commit(version, translator, editor, mailoutbox, django_capture_on_commit_callbacks):
    editor.email = "editor@example.org"
    editor.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(version, translator, note="Merci de relire.")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["editor@example.org"]
    assert "Merci de relire." in mailoutbox[0].body


def test_no_email_for_a_rolled_back_submission(version, translator, editor, mailoutbox, django_capture_on_commit_callbacks):
    editor.email = "editor@example.org"
    editor.save()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                submit(version, translator)
                raise RuntimeError("the request failed after the submission")
    assert mailoutbox == []
    assert not TranslationRevision.objects.exists()


def test_translator_is_emailed_the_decision_and_comments(version, translator, editor, mailoutbox, django_capture_on_commit_callbacks):
    revision = submit(version, translator)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.review_revision(revision, by=editor, decision=RStatus.CHANGES_REQUESTED,
                                 note="Presque.", paragraphs={1: ("", "Plus simple ici.")})
    assert [m.to for m in mailoutbox] == [[translator.email]]
    assert "Presque." in mailoutbox[0].body and "Plus simple ici." in mailoutbox[0].body


# --- The review queue ------------------------------------------------------------------------------------

def test_review_queue_lists_submitted_revisions_oldest_first_with_counts(client, version, translator, editor, second_editor):
    from tests.conftest import PASSWORD

    first = submit(version, translator, body="Premier.")
    second = submit(version, second_editor, body="Second.")
    decided = submit(version, translator, body="Tranché.")
    workflow.review_revision(decided, by=editor, decision=RStatus.REJECTED)
    client.login(username=editor.username, password=PASSWORD)
    response = client.get("/en/admin/articles/translationrevision/")
    assert response.status_code == 302 and response["Location"].endswith("?status__exact=submitted")
    page = client.get(response["Location"] + "&language=fr")
    shown = list(page.context["cl"].result_list)
    assert shown == [first, second]
    assert "2 revisions waiting for review" in page.content.decode()
    assert "Français (2)" in page.content.decode()
    by_translator = client.get(f"/en/admin/articles/translationrevision/?status__exact=submitted&author__id__exact={translator.pk}")
    assert list(by_translator.context["cl"].result_list) == [first]


# --- Editors' edits join the history -------------------------------------------------------------------------

def test_editor_edit_in_the_admin_is_recorded_as_a_revision(client, version, editor):
    from tests.conftest import PASSWORD

    client.login(username=editor.username, password=PASSWORD)
    url = f"/en/admin/articles/translation/{version.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: field.value() if field.value() is not None else "" for name, field in
            ((n, form[n]) for n in form.fields)}
    data.update({"body": "Un, corrigé par l'éditeur.\n\nDeux.", "assignees": [a.pk for a in version.assignees.all()]})
    for key in list(data):
        if data[key] is False:
            del data[key]
    data.update({"credits-TOTAL_FORMS": 0, "credits-INITIAL_FORMS": 0, "_save": "Save"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    revision = fresh(version).current_revision
    assert revision.author == editor and revision.status == RStatus.ACCEPTED
    assert revision.body == "Un, corrigé par l'éditeur.\n\nDeux."


def test_unchanged_text_adds_no_revision(version, editor):
    first = workflow.record_editor_revision(version, by=editor)
    assert workflow.record_editor_revision(fresh(version), by=editor) == first


def test_admin_and_workspace_link_to_the_translation_files(client, version, editor, translator):
    from tests.conftest import PASSWORD

    exchange = f"/exchange/translations/{version.pk}/"
    client.login(username=editor.username, password=PASSWORD)
    assert exchange in client.get(f"/en/admin/articles/translation/{version.pk}/change/").content.decode()
    article_page = client.get(f"/en/admin/articles/article/{version.article.pk}/change/").content.decode()
    assert f"/exchange/articles/{version.article.key}/markdown.zip" in article_page
    client.logout()
    client.login(username=translator.username, password=PASSWORD)
    assert exchange in client.get(f"/en/workspace/{version.pk}/").content.decode()
    assert client.get(exchange).status_code == 200
