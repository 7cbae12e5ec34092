"""Status transitions of translations: the only code that assigns `Translation.status`."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Translation

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
    return version


def unpublish_translation(version, *, by=None):
    """Editors: published or scheduled -> draft; readers no longer see it."""
    _require(by, "publish_translation")
    with transaction.atomic():
        fresh = _locked(version)
        if fresh.status not in (Status.PUBLISHED, Status.SCHEDULED):
            raise InvalidTransition(_("“%(title)s” is not published.") % {"title": fresh.title})
        _save(version, fresh, status=Status.DRAFT, published_at=None)
    return version


def archive_translation(version, *, by=None):
    """Editors: any state but archived -> archived; readers no longer see it, nothing is deleted."""
    _require(by, "publish_translation")
    with transaction.atomic():
        fresh = _locked(version)
        if fresh.status == Status.ARCHIVED:
            raise InvalidTransition(_("“%(title)s” is already archived.") % {"title": fresh.title})
        _save(version, fresh, status=Status.ARCHIVED)
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
        return archive_translation(version, by=by)
    if status == Status.DRAFT and version.status in (Status.PUBLISHED, Status.SCHEDULED):
        return unpublish_translation(version, by=by)
    if status == Status.IN_REVIEW and version.status == Status.DRAFT:
        return send_to_review(version, by=by)
    raise InvalidTransition(
        _("Cannot bring “%(title)s” from %(old)s to %(new)s.")
        % {"title": version.title, "old": version.status, "new": status}
    )
