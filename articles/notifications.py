"""Emails about revisions, queued through django.tasks only once the change has committed."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation as i18n


@task
def send_notification(recipients, template, context, language):
    """Render and send one email; runs in the worker (or at once under the immediate backend)."""
    with i18n.override(language):
        subject = render_to_string(f"notifications/{template}_subject.txt", context).strip()
        body = render_to_string(f"notifications/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def _after_commit(recipients, template, context):
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    language = i18n.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: send_notification.enqueue(recipients, template, context, language)
    )


def _reviewers():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(
        Q(is_superuser=True)
        | Q(groups__permissions__codename="review_translation")
        | Q(user_permissions__codename="review_translation")
    ).distinct()


def revision_submitted(revision):
    """Tell every reviewer that a revision waits for them (not its own author)."""
    version = revision.translation
    _after_commit(
        [u.email for u in _reviewers().exclude(pk=revision.author_id)],
        "revision_submitted",
        {
            "title": version.title, "language": version.language, "number": revision.number,
            "author": revision.author.get_full_name() or revision.author.get_username(),
            "note": revision.note, "has_conflict": revision.has_conflict,
            "url": f"{settings.SITE_URL}/{version.language if version.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE}/admin/articles/translationrevision/{revision.pk}/review/",
        },
    )


def revision_reviewed(revision, comments):
    """Tell the translator what the editor decided, with the per-paragraph comments."""
    _after_commit(
        [revision.author.email],
        "revision_reviewed",
        {
            "title": revision.translation.title, "number": revision.number,
            "decision": revision.get_status_display(), "status": revision.status,
            "comment": revision.decision_note,
            "comments": [{"paragraph": index + 1, "text": text} for index, text in comments],
            "url": f"{settings.SITE_URL}/{settings.LANGUAGE_CODE}/workspace/{revision.translation_id}/",
        },
    )
