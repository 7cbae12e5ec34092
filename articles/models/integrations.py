"""What the outside world plugs into: webhook endpoints and their deliveries, Content API keys."""

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_webhook_secret():
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """A URL that receives signed POSTs for the events it subscribes to."""

    class Event(models.TextChoices):
        TRANSLATION_PUBLISHED = "translation.published", _("Translation published")
        TRANSLATION_UPDATED = "translation.updated", _("Translation updated")
        TRANSLATION_UNPUBLISHED = "translation.unpublished", _("Translation unpublished")
        REVISION_SUBMITTED = "revision.submitted", _("Revision submitted")
        REVISION_REVIEWED = "revision.reviewed", _("Revision reviewed")

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100, default=new_webhook_secret)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.name


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one endpoint, with what happened."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=50)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self):
        return f"{self.event} → {self.endpoint}"


class ApiKey(models.Model):
    """A Content API key: only its hash is stored; the key is shown once, when made."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key):
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, name):
        """Create a key; returns (record, the key in clear, shown only now)."""
        prefix = secrets.token_hex(4)
        key = f"tf_{prefix}_{secrets.token_urlsafe(24)}"
        return cls.objects.create(name=name, prefix=prefix, key_hash=cls.hash(key)), key

    @classmethod
    def authenticate(cls, key):
        parts = (key or "").split("_")
        if len(parts) < 3 or parts[0] != "tf":
            return None
        record = cls.objects.filter(prefix=parts[1], is_active=True).first()
        if record and secrets.compare_digest(record.key_hash, cls.hash(key)):
            return record
        return None
