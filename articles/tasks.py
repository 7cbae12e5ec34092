"""Background tasks (django.tasks): webhook deliveries, retried with backoff."""

import time

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from .models import WebhookDelivery


@task
def deliver_webhook(delivery_pk):
    """Send one delivery; on failure retry later (backends that defer) or after a short sleep (others)."""
    from .webhooks import attempt, enqueue_delivery, retry_delay

    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_pk).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return None
    deferring = deliver_webhook.get_backend().supports_defer
    while True:
        if attempt(delivery):
            return delivery.status
        if delivery.status == WebhookDelivery.Status.FAILED:
            return delivery.status
        delay = retry_delay(delivery.attempts)
        if deferring:
            enqueue_delivery(delivery.pk, run_after=timezone.now() + timezone.timedelta(seconds=delay))
            return delivery.status
        # The in-process backend cannot wait without blocking; keep its waits short and bounded.
        time.sleep(min(delay, settings.WEBHOOK_INLINE_RETRY_MAX_SECONDS))
