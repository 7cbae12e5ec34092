"""Signed webhooks: record one delivery per subscribed endpoint and send it through django.tasks after commit."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from .models import Translation, TranslationRevision, WebhookDelivery, WebhookEndpoint

Event = WebhookEndpoint.Event
SIGNATURE_HEADER = "X-TechFlow-Signature"
TIMESTAMP_HEADER = "X-TechFlow-Timestamp"
EVENT_HEADER = "X-TechFlow-Event"
DELIVERY_HEADER = "X-TechFlow-Delivery"


def sign(secret, timestamp, body):
    """sha256=<hex> of HMAC-SHA256(secret, "<timestamp>." + raw body); receivers recompute it."""
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret, timestamp, body, signature, *, tolerance=300, now=None):
    """What a receiver does: the signature matches and the timestamp is recent (no replays)."""
    try:
        age = abs((now or time.time()) - int(timestamp))
    except (TypeError, ValueError):
        return False
    return age <= tolerance and hmac.compare_digest(sign(secret, timestamp, body), signature or "")


def translation_payload(version):
    article = version.article
    return {
        "article": article.key,
        "language": version.language,
        "title": version.title,
        "slug": version.slug,
        "status": version.status,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "url": settings.SITE_URL + version.get_absolute_url(),
        "api_url": f"{settings.SITE_URL}/api/v1/translations/{version.language}/{version.slug}",
    }


def revision_payload(revision):
    return {
        "number": revision.number,
        "status": revision.status,
        "author": revision.author.get_username(),
        "has_conflict": revision.has_conflict,
        "translation": translation_payload(revision.translation),
    }


def notify(event, translation=None, *, revision=None):
    """Queue `event` for every active endpoint that wants it; sent only if the transaction commits."""
    event = Event(event)
    endpoints = [e for e in WebhookEndpoint.objects.filter(is_active=True) if event.value in (e.events or [])]
    if not endpoints:
        return []
    data = revision_payload(revision) if revision is not None else translation_payload(translation)
    payload = {"event": event.value, "occurred_at": timezone.now().isoformat(),
               ("revision" if revision is not None else "translation"): data}
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, event=event.value, payload=payload) for endpoint in endpoints
    )
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: enqueue_delivery(pk))
    return deliveries


def enqueue_delivery(pk, *, run_after=None):
    from .tasks import deliver_webhook

    task = deliver_webhook.using(run_after=run_after) if run_after else deliver_webhook
    return task.enqueue(pk)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would re-send (or drop) the signed body somewhere else: treat it as a failure.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def attempt(delivery):
    """POST the delivery once; records the outcome and returns True when the endpoint took it (2xx)."""
    body = json.dumps(delivery.payload, sort_keys=True, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        delivery.endpoint.url, data=body, method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "TechFlow-Webhooks/1",
            SIGNATURE_HEADER: sign(delivery.endpoint.secret, timestamp, body),
            TIMESTAMP_HEADER: timestamp,
            EVENT_HEADER: delivery.event,
            DELIVERY_HEADER: str(delivery.pk),
        },
    )
    delivery.attempts += 1
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            delivery.response_status = response.status
            ok = 200 <= response.status < 300
            delivery.error = "" if ok else f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        delivery.response_status, ok = error.code, False
        delivery.error = f"HTTP {error.code} {error.reason}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        delivery.response_status, ok = None, False
        delivery.error = str(getattr(error, "reason", error))[:1000]
    if ok:
        delivery.status, delivery.delivered_at = WebhookDelivery.Status.DELIVERED, timezone.now()
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
    delivery.save(update_fields=["attempts", "response_status", "error", "status", "delivered_at", "updated_at"])
    return ok


def retry_delay(attempts):
    """Seconds to wait after the `attempts`-th failure: base, 4×base, 16×base..."""
    return settings.WEBHOOK_RETRY_BASE_SECONDS * 4 ** (attempts - 1)


# --- Events that are not status transitions: revisions, and edits to what readers see -------------


def _revision_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if created and instance.status == TranslationRevision.Status.SUBMITTED:
        notify(Event.REVISION_SUBMITTED, revision=instance)
    elif not created and update_fields and "status" in update_fields and instance.decided_at:
        notify(Event.REVISION_REVIEWED, revision=instance)


def _translation_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or created or not instance.is_visible():
        return
    if update_fields is None or {"title", "standfirst", "body"} & set(update_fields):
        notify(Event.TRANSLATION_UPDATED, instance)


def connect():
    post_save.connect(_revision_saved, sender=TranslationRevision, dispatch_uid="webhooks.revision_saved")
    post_save.connect(_translation_saved, sender=Translation, dispatch_uid="webhooks.translation_saved")

