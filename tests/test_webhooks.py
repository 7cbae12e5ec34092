"""Webhooks: signed POSTs to a real local receiver, after commit only, retried with backoff; their admin."""

import datetime
import http.server
import json
import re
import threading

import pytest
from django.db import transaction
from django.tasks import task_backends
from django.tasks.backends.dummy import DummyBackend
from django.utils import timezone

from articles import webhooks, workflow
from articles.models import ApiKey, WebhookDelivery, WebhookEndpoint
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = "a-shared-secret"


class Receiver:
    """A real HTTP server on 127.0.0.1 that checks each signature and fails the first `failures` calls."""

    def __init__(self, failures=0, status=500):
        self.calls, self.failures, self.status = [], failures, status
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append({
                    "event": self.headers["X-TechFlow-Event"],
                    "valid": webhooks.verify(SECRET, self.headers["X-TechFlow-Timestamp"], body,
                                             self.headers["X-TechFlow-Signature"]),
                    "payload": json.loads(body),
                })
                failing = len(receiver.calls) <= receiver.failures
                self.send_response(receiver.status if failing else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def quick_retries(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.01
    settings.WEBHOOK_MAX_ATTEMPTS = 3


def endpoint(url, events=("translation.published",), **extra):
    return WebhookEndpoint.objects.create(name="Newsletter", url=url, secret=SECRET, events=list(events), **extra)


def draft():
    return factories.TranslationFactory()


def test_publish_sends_a_signed_post_and_retries_after_a_failure(django_capture_on_commit_callbacks):
    version = draft()
    with Receiver(failures=1) as receiver:
        endpoint(receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.publish_translation(version)
    assert len(receiver.calls) == 2
    assert all(call["valid"] for call in receiver.calls)
    payload = receiver.calls[1]["payload"]
    assert payload["event"] == "translation.published"
    assert payload["translation"]["slug"] == version.slug
    assert payload["translation"]["status"] == "published"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 2, 204)
    assert delivery.delivered_at is not None


def test_nothing_is_sent_for_a_rolled_back_change(django_capture_on_commit_callbacks):
    version = draft()
    with Receiver() as receiver:
        endpoint(receiver.url)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError), transaction.atomic():
                workflow.publish_translation(version)
                raise RuntimeError("the surrounding change failed")
    assert callbacks == [] and receiver.calls == []
    assert not WebhookDelivery.objects.exists()


def test_nothing_is_sent_before_commit(django_capture_on_commit_callbacks):
    version = draft()
    with Receiver() as receiver:
        endpoint(receiver.url)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            workflow.publish_translation(version)
        assert receiver.calls == [] and callbacks
        for callback in callbacks:
            callback()
        assert len(receiver.calls) == 1


def test_a_wrong_secret_does_not_verify():
    body = b'{"event": "x"}'
    stamp = str(int(timezone.now().timestamp()))
    signature = webhooks.sign(SECRET, stamp, body)
    assert webhooks.verify(SECRET, stamp, body, signature)
    assert not webhooks.verify("another", stamp, body, signature)
    assert not webhooks.verify(SECRET, stamp, body + b" ", signature)
    assert not webhooks.verify(SECRET, str(int(stamp) - 3600), body, webhooks.sign(SECRET, str(int(stamp) - 3600), body))


def test_only_active_subscribed_endpoints_receive(django_capture_on_commit_callbacks):
    version = draft()
    with Receiver() as wanted, Receiver() as other, Receiver() as paused:
        endpoint(wanted.url, events=["translation.published", "translation.unpublished"])
        endpoint(other.url, events=["revision.submitted"])
        endpoint(paused.url, is_active=False)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.publish_translation(version)
            workflow.unpublish_translation(version)
    assert [c["event"] for c in wanted.calls] == ["translation.published", "translation.unpublished"]
    assert other.calls == [] and paused.calls == []


def test_delivery_gives_up_after_the_last_attempt(django_capture_on_commit_callbacks):
    with Receiver(failures=99) as receiver:
        endpoint(receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.publish_translation(draft())
    delivery = WebhookDelivery.objects.get()
    assert len(receiver.calls) == 3
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 3, 500)
    assert "500" in delivery.error


def test_unreachable_endpoint_is_recorded(django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        url = receiver.url
    endpoint(url)  # The server is closed: connections are refused.
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish_translation(draft())
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.response_status is None and delivery.error


@pytest.fixture
def deferring_backend():
    """A backend that queues instead of running, and honours run_after (as the database backend does)."""
    original = task_backends["default"]
    backend = DummyBackend("default", {})
    task_backends["default"] = backend
    yield backend
    task_backends["default"] = original


def test_retries_are_deferred_with_backoff_where_the_backend_can(deferring_backend, django_capture_on_commit_callbacks):
    with Receiver(failures=1) as receiver:
        endpoint(receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.publish_translation(draft())
        assert receiver.calls == [] and len(deferring_backend.results) == 1
        first = deferring_backend.results[0]
        before = timezone.now()
        first.task.call(*first.args)
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts) == ("pending", 1)
        retry = deferring_backend.results[1]
        assert retry.task.run_after >= before + datetime.timedelta(seconds=0.01)
        retry.task.call(*retry.args)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.calls)) == ("delivered", 2, 2)


def test_schedule_and_archive_send_their_events(django_capture_on_commit_callbacks):
    version = draft()
    with Receiver() as receiver:
        endpoint(receiver.url, events=[e.value for e in WebhookEndpoint.Event])
        with django_capture_on_commit_callbacks(execute=True):
            workflow.schedule_translation(version, timezone.now() + datetime.timedelta(days=1))
            workflow.archive_translation(version)
    assert [c["event"] for c in receiver.calls] == ["translation.updated", "translation.unpublished"]


def test_editing_published_text_sends_updated(django_capture_on_commit_callbacks):
    version = factories.TranslationFactory(published=True)
    with Receiver() as receiver:
        endpoint(receiver.url, events=["translation.updated"])
        with django_capture_on_commit_callbacks(execute=True):
            version.body = "Un texte corrigé."
            version.save()
    assert [c["payload"]["translation"]["slug"] for c in receiver.calls] == [version.slug]


def test_revision_submitted_and_reviewed_are_sent(django_capture_on_commit_callbacks, translator, editor):
    version = factories.TranslationFactory()
    version.assignees.add(translator.author)
    with Receiver() as receiver:
        endpoint(receiver.url, events=["revision.submitted", "revision.reviewed"])
        with django_capture_on_commit_callbacks(execute=True):
            revision = workflow.submit_revision(version, by=translator, title="Titre", standfirst="",
                                                body="Un paragraphe.")
            workflow.review_revision(revision, by=editor, decision="accepted")
    assert [c["event"] for c in receiver.calls] == ["revision.submitted", "revision.reviewed"]
    assert receiver.calls[1]["payload"]["revision"]["status"] == "accepted"


# --- Admin ------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw-for-tests-only")
    client.force_login(user)
    return client


def test_admin_creates_an_endpoint_with_chosen_events(admin_client):
    response = admin_client.post("/en/admin/articles/webhookendpoint/add/", {
        "name": "App", "url": "https://example.org/hook", "events": ["translation.published", "revision.submitted"],
        "is_active": "on", "secret": "s3cret",
    })
    assert response.status_code == 302
    assert WebhookEndpoint.objects.get().events == ["translation.published", "revision.submitted"]


def test_delivery_log_is_read_only_and_failed_ones_can_be_retried(admin_client, django_capture_on_commit_callbacks):
    with Receiver(failures=3) as receiver:
        endpoint(receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.publish_translation(draft())
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "failed"
        page = admin_client.get(f"/en/admin/articles/webhookdelivery/{delivery.pk}/change/")
        assert page.status_code == 200 and b'name="_save"' not in page.content
        assert admin_client.get("/en/admin/articles/webhookdelivery/add/").status_code == 403
        admin_client.post("/en/admin/articles/webhookdelivery/", {
            "action": "retry", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.calls)) == ("delivered", 1, 4)


def test_api_key_is_shown_once_on_creation(admin_client):
    response = admin_client.post("/en/admin/articles/apikey/add/", {"name": "Mobile app"}, follow=True)
    text = response.content.decode()
    key = re.search(r"tf_[0-9a-f]{8}_[\w-]+", text).group(0)
    record = ApiKey.objects.get()
    assert ApiKey.authenticate(key) == record
    assert key not in admin_client.get(f"/en/admin/articles/apikey/{record.pk}/change/").content.decode()
    assert record.key_hash != key and key not in str(ApiKey.objects.values().get())


@pytest.mark.parametrize("model", ["webhookendpoint", "webhookdelivery", "apikey"])
def test_admin_lists_open(admin_client, model):
    WebhookDelivery.objects.create(endpoint=endpoint("https://example.org/hook"), event="translation.published",
                                   payload={"event": "translation.published"})
    ApiKey.issue("Reader app")
    response = admin_client.get(f"/en/admin/articles/{model}/")
    assert response.status_code == 200


def test_admin_refuses_an_endpoint_without_events(admin_client):
    response = admin_client.post("/en/admin/articles/webhookendpoint/add/", {
        "name": "App", "url": "https://example.org/hook", "is_active": "on", "secret": "s3cret"})
    assert response.status_code == 200 and not WebhookEndpoint.objects.exists()


def test_admin_can_revoke_a_key(admin_client, client):
    record, key = ApiKey.issue("Old app")
    response = admin_client.post(f"/en/admin/articles/apikey/{record.pk}/change/", {"name": "Old app"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert not record.is_active and ApiKey.authenticate(key) is None


def test_with_the_database_backend_a_failed_delivery_is_queued_again_for_later(django_capture_on_commit_callbacks):
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    original = task_backends["default"]
    task_backends["default"] = DatabaseBackend("default", {})
    try:
        with Receiver(failures=1) as receiver:
            endpoint(receiver.url)
            with django_capture_on_commit_callbacks(execute=True):
                workflow.publish_translation(draft())
            queued = DBTaskResult.objects.get()
            assert queued.task_path == "articles.tasks.deliver_webhook"
            before = timezone.now()
            queued.task.call(*queued.args_kwargs["args"])
            retry = DBTaskResult.objects.exclude(pk=queued.pk).get()
            assert retry.run_after >= before
            assert WebhookDelivery.objects.get().attempts == 1
            retry.task.call(*retry.args_kwargs["args"])
        assert WebhookDelivery.objects.get().status == "delivered" and len(receiver.calls) == 2
    finally:
        task_backends["default"] = original
