"""Transitions of translations and their revisions: the only code that assigns a `status`."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notifications, webhooks
from .diffing import paragraph_diff
from .models import (
    Author, ParagraphReview, RevisionDraft, SourceVersion, Translation, TranslationCredit,
    TranslationRevision,
)
from .rendering import split_paragraphs

Status = Translation.Status


class InvalidTransition(Exception):
    """The translation's state does not allow what was asked; the message says why."""


def _require(user, permission):
    # `by=None` is the system itself (management commands, data migrations).
    if user is not None and not user.has_perm(f"articles.{permission}"):
        raise PermissionDenied(_("You are not allowed to do this."))


def _require_content(version):
    if not version.title.strip() or not version.body.strip():
        raise InvalidTransition(
            _("“%(title)s” cannot be published: it has no title or no body.")
            % {"title": version.title or version.language}
        )


def _locked(version):
    """Re-read the row under a lock so two transitions cannot interleave."""
    return Translation.objects.select_for_update().get(pk=version.pk)


def _save(version, fresh, **changes):
    for field, value in changes.items():
        setattr(fresh, field, value)
        setattr(version, field, value)
    fresh.save(update_fields=[*changes, "updated_at"])
    version.updated_at = fresh.updated_at


def publish_translation(version, *, by=None, at=None):
    """Editors: any state but published -> published, now (or at `at` if already past)."""
    _require(by, "publish_translation")
    with transaction.atomic():
        fresh = _locked(version)
        if fresh.status == Status.PUBLISHED:
            raise InvalidTransition(_("“%(title)s” is already published.") % {"title": fresh.title})
        _require_content(fresh)
        _save(version, fresh, status=Status.PUBLISHED, published_at=at or timezone.now())
        webhooks.notify(webhooks.Event.TRANSLATION_PUBLISHED, fresh)
    return version


def schedule_translation(version, at, *, by=None):
    """Editors: draft, in review, scheduled or archived -> scheduled for a future time."""
    _require(by, "publish_translation")
    if at is None or at <= timezone.now():
        raise InvalidTransition(_("A publication time must be in the future."))
    with transaction.atomic():
        fresh = _locked(version)
        if fresh.status == Status.PUBLISHED:
            raise InvalidTransition(
                _("“%(title)s” is already published; unpublish it first.") % {"title": fresh.title}
            )
        _require_content(fresh)
        _save(version, fresh, status=Status.SCHEDULED, published_at=at)
        webhooks.notify(webhooks.Event.TRANSLATION_UPDATED, fresh)
    return version


def unpublish_translation(version, *, by=None):
    """Editors: published or scheduled -> draft; readers no longer see it."""
    _require(by, "publish_translation")
    with transaction.atomic():
        fresh = _locked(version)
        if fresh.status not in (Status.PUBLISHED, Status.SCHEDULED):
            raise InvalidTransition(_("“%(title)s” is not published.") % {"title": fresh.title})
        _save(version, fresh, status=Status.DRAFT, published_at=None)
        webhooks.notify(webhooks.Event.TRANSLATION_UNPUBLISHED, fresh)
    return version


def archive_translation(version, *, by=None):
    """Editors: any state but archived -> archived; readers no longer see it, nothing is deleted."""
    _require(by, "publish_translation")
    with transaction.atomic():
        fresh = _locked(version)
        if fresh.status == Status.ARCHIVED:
            raise InvalidTransition(_("“%(title)s” is already archived.") % {"title": fresh.title})
        _save(version, fresh, status=Status.ARCHIVED)
        webhooks.notify(webhooks.Event.TRANSLATION_UNPUBLISHED, fresh)
    return version


def send_to_review(version, *, by=None):
    """Editors and translators: draft -> in review."""
    _require(by, "change_translation")
    with transaction.atomic():
        fresh = _locked(version)
        if fresh.status != Status.DRAFT:
            raise InvalidTransition(_("Only a draft can be sent to review."))
        _save(version, fresh, status=Status.IN_REVIEW)
    return version


def set_imported_status(version, status, *, at=None, by=None):
    """Importer: bring a translation to the status its file states (publish, schedule, or keep)."""
    if status == version.status and status not in (Status.PUBLISHED, Status.SCHEDULED):
        return version
    if status == Status.PUBLISHED:
        if version.status == Status.PUBLISHED:
            if at and at != version.published_at:
                _require(by, "publish_translation")
                with transaction.atomic():
                    _save(version, _locked(version), published_at=at)
            return version
        return publish_translation(version, by=by, at=at)
    if status == Status.SCHEDULED:
        if version.status == Status.SCHEDULED and version.published_at == at:
            return version
        if at and at <= timezone.now():
            return publish_translation(version, by=by, at=at) if version.status != Status.PUBLISHED else version
        return schedule_translation(version, at, by=by)
    if status == Status.ARCHIVED:
        if version.status != Status.ARCHIVED:
            archive_translation(version, by=by)
        if at and at != version.published_at:
            # An archived version keeps the time it was once published at.
            with transaction.atomic():
                _save(version, _locked(version), published_at=at)
        return version
    if status == Status.DRAFT and version.status in (Status.PUBLISHED, Status.SCHEDULED):
        return unpublish_translation(version, by=by)
    if status == Status.IN_REVIEW and version.status == Status.DRAFT:
        return send_to_review(version, by=by)
    raise InvalidTransition(
        _("Cannot bring “%(title)s” from %(old)s to %(new)s.")
        % {"title": version.title, "old": version.status, "new": status}
    )


# --- Revisions: translators propose, editors review ------------------------------------------------

RevisionStatus = TranslationRevision.Status


def can_translate(user, version):
    """Editors may work on any version; translators only in their languages, when assigned or open."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_perm("articles.review_translation"):
        return True
    if not user.has_perm("articles.translate_translation"):
        return False
    author = getattr(user, "author", None)
    if author is None or version.language not in (author.languages or []):
        return False
    return version.is_open_for_translation or version.assignees.filter(pk=author.pk).exists()


def _require_translator(user, version):
    if not can_translate(user, version):
        raise PermissionDenied(_("You cannot work on this translation."))


def _check_text(title, body):
    if not (title or "").strip():
        raise InvalidTransition(_("A revision needs a title."))
    if len(body or "") > settings.MAX_BODY_CHARS:
        raise InvalidTransition(
            _("The body is too long (%(n)s characters; the limit is %(max)s).")
            % {"n": len(body), "max": settings.MAX_BODY_CHARS}
        )


def save_draft(version, *, by, title, standfirst, body, base=None, source_version=None):
    """Translators and editors: keep their work in progress on the server (one draft each)."""
    _require_translator(by, version)
    if len(body or "") > settings.MAX_BODY_CHARS:
        raise InvalidTransition(_("The body is too long."))
    draft, _created = RevisionDraft.objects.update_or_create(
        translation=version, author=by,
        defaults={
            "title": title or "", "standfirst": standfirst or "", "body": body or "", "base": base,
            "source_version": source_version or version.article.source_version,
        },
    )
    return draft


def submit_revision(version, *, by, title, standfirst, body, base=None, source_version=None, note=""):
    """Translators (their own work) and editors: store a full text as a new, frozen revision.

    Never overwrites anything. A revision whose base is not the current text, or that shares its
    base with a revision still waiting, is kept and flagged as conflicting.
    """
    _require_translator(by, version)
    _check_text(title, body)
    with transaction.atomic():
        # The row lock serialises concurrent submissions on one translation (numbers, conflicts).
        fresh = _locked(version)
        number = (fresh.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        stale = (base.pk if base else None) != fresh.current_revision_id
        rival = fresh.revisions.filter(status=RevisionStatus.SUBMITTED, base=base).exists()
        revision = TranslationRevision.objects.create(
            translation=fresh, number=number, author=by, title=title.strip(),
            standfirst=(standfirst or "").strip(), body=(body or "").strip("\n"), base=base,
            source_version=source_version or fresh.article.source_version, note=note or "",
            has_conflict=stale or rival,
        )
        RevisionDraft.objects.filter(translation=fresh, author=by).delete()
        if fresh.status == Status.DRAFT:
            _save(version, fresh, status=Status.IN_REVIEW)
        notifications.revision_submitted(revision)
    return revision


def _credit(version, user):
    """Credit the revision's author as a translator, once, after the existing credits."""
    author = getattr(user, "author", None)
    if author is None:
        author = Author.objects.create(name=user.get_full_name() or user.get_username(), user=user)
    if not version.credits.filter(author=author).exists():
        last = version.credits.aggregate(p=Max("position"))["p"]
        TranslationCredit.objects.create(
            translation=version, author=author, position=0 if last is None else last + 1
        )


def _apply(version, fresh, revision):
    """Make `revision` the version's current text; the public page shows it at once if published."""
    for field in ("title", "standfirst", "body"):
        setattr(fresh, field, getattr(revision, field))
        setattr(version, field, getattr(revision, field))
    changes = {"current_revision": revision}
    if not fresh.is_original:
        changes["source_version"] = revision.source_version
    if fresh.status == Status.IN_REVIEW:
        changes["status"] = Status.DRAFT
    for field, value in changes.items():
        setattr(fresh, field, value)
        setattr(version, field, value)
    fresh.save(update_fields=["title", "standfirst", "body", *changes, "updated_at"])
    version.body_html = fresh.body_html


def merged_text(revision, current_paragraphs, decisions):
    """The body after paragraph decisions: rejected paragraphs fall back to the current text."""
    rows = paragraph_diff(current_paragraphs, revision.paragraphs())
    kept = []
    for row in rows:
        if row.new_index is None:
            # A paragraph the revision removed: removing it is a change to accept or reject too.
            if decisions.get(("deleted", row.old_index)) == ParagraphReview.Decision.REJECTED:
                kept.append(row.old)
            continue
        if decisions.get(row.new_index) == ParagraphReview.Decision.REJECTED:
            if row.old_index is not None:
                kept.append(row.old)
            continue
        kept.append(row.new)
    return "\n\n".join(kept)


def review_revision(revision, *, by, decision, note="", paragraphs=None):
    """Editors, never on their own revision: a submitted revision -> accepted, changes requested or rejected.

    `paragraphs` maps a paragraph index of the revision to (decision, comment). On acceptance the
    text (less any rejected paragraphs) becomes the version's current text, as a new revision when
    paragraphs were rejected; the translator is credited on their first accepted revision.
    """
    _require(by, "review_translation")
    if revision.author_id == by.pk:
        raise PermissionDenied(_("You cannot review a revision you wrote yourself."))
    if decision not in (RevisionStatus.ACCEPTED, RevisionStatus.CHANGES_REQUESTED, RevisionStatus.REJECTED):
        raise InvalidTransition(_("Unknown decision."))
    paragraphs = paragraphs or {}
    with transaction.atomic():
        version = revision.translation
        fresh = _locked(version)
        revision = TranslationRevision.objects.select_for_update().get(pk=revision.pk)
        if revision.status != RevisionStatus.SUBMITTED:
            raise InvalidTransition(_("This revision has already been reviewed."))
        comments = []
        for index, (choice, comment) in sorted(paragraphs.items()):
            if not choice and not (comment or "").strip():
                continue
            ParagraphReview.objects.create(
                revision=revision, index=index, decision=choice or "", comment=(comment or "").strip(),
                author=by,
            )
            if (comment or "").strip():
                comments.append((index, comment.strip()))
        revision.status, revision.decided_by = decision, by
        revision.decided_at, revision.decision_note = timezone.now(), note or ""
        revision.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if decision == RevisionStatus.ACCEPTED:
            rejected = {i: ParagraphReview.Decision.REJECTED for i, (c, _x) in paragraphs.items()
                        if c == ParagraphReview.Decision.REJECTED}
            accepted = revision
            if rejected:
                body = merged_text(revision, split_paragraphs(fresh.body), rejected)
                accepted = TranslationRevision.objects.create(
                    translation=fresh, author=by, base=revision, source_version=revision.source_version,
                    number=(fresh.revisions.aggregate(n=Max("number"))["n"] or 0) + 1,
                    title=revision.title, standfirst=revision.standfirst, body=body,
                    note=_("Revision %(n)s accepted without the rejected paragraphs.") % {"n": revision.number},
                    status=RevisionStatus.ACCEPTED, decided_by=by, decided_at=timezone.now(),
                )
            _apply(version, fresh, accepted)
            _credit(fresh, revision.author)
        notifications.revision_reviewed(revision, comments)
    return revision


def restore_revision(revision, *, by):
    """Editors: make an earlier revision's text current again, as a new revision; nothing is rewritten."""
    _require(by, "review_translation")
    with transaction.atomic():
        version = revision.translation
        fresh = _locked(version)
        restored = TranslationRevision.objects.create(
            translation=fresh, author=by, base=fresh.current_revision, restored_from=revision,
            number=(fresh.revisions.aggregate(n=Max("number"))["n"] or 0) + 1,
            title=revision.title, standfirst=revision.standfirst, body=revision.body,
            source_version=revision.source_version,
            note=_("Restored from revision %(n)s.") % {"n": revision.number},
            status=RevisionStatus.ACCEPTED, decided_by=by, decided_at=timezone.now(),
        )
        _apply(version, fresh, restored)
    return restored


def record_editor_revision(version, *, by):
    """Editors' direct edits (admin, import): keep the saved text as an accepted revision."""
    current = version.current_revision
    if current and (current.title, current.standfirst, current.body) == (
        version.title, version.standfirst, version.body
    ):
        return current
    with transaction.atomic():
        fresh = _locked(version)
        revision = TranslationRevision.objects.create(
            translation=fresh, author=by, base=fresh.current_revision,
            number=(fresh.revisions.aggregate(n=Max("number"))["n"] or 0) + 1,
            title=fresh.title, standfirst=fresh.standfirst, body=fresh.body,
            source_version=fresh.source_version if not fresh.is_original else fresh.article.source_version,
            note=_("Edited by an editor."), status=RevisionStatus.ACCEPTED, decided_by=by,
            decided_at=timezone.now(),
        )
        _save(version, fresh, current_revision=revision)
    return revision


def sync_source_version(original):
    """When the original's text changes, number a new source version; translations then show as outdated."""
    article = original.article
    latest = article.source_versions.order_by("-number").first()
    text = (original.title, original.standfirst, original.body)
    if latest and (latest.title, latest.standfirst, latest.body) == text:
        return latest
    number = latest.number + 1 if latest else article.source_version
    if latest and number <= article.source_version:
        number = article.source_version + 1
    snapshot = SourceVersion.objects.create(
        article=article, number=number, title=original.title, standfirst=original.standfirst,
        body=original.body,
    )
    type(article).objects.filter(pk=article.pk).update(source_version=number)
    article.source_version = number
    type(original).objects.filter(pk=original.pk).update(source_version=number)
    original.source_version = number
    return snapshot


def source_changes(version):
    """The source paragraphs changed since `version` was made: (old SourceVersion, new, diff rows)."""
    article = version.article
    if version.is_original or version.source_version >= article.source_version:
        return None
    versions = {v.number: v for v in article.source_versions.filter(
        number__in=[version.source_version, article.source_version])}
    old, new = versions.get(version.source_version), versions.get(article.source_version)
    if new is None:
        return None
    rows = paragraph_diff(old.paragraphs() if old else [], new.paragraphs())
    return old, new, [row for row in rows if row.is_change]
