"""Admin for webhooks, their delivery log, and Content API keys (issue 8)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import ApiKey, WebhookDelivery, WebhookEndpoint
from .webhooks import enqueue_delivery


class WebhookEndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=gettext_lazy("events"), choices=WebhookEndpoint.Event.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "is_active", "secret"]
        help_texts = {
            "secret": gettext_lazy(
                "Receivers check the X-TechFlow-Signature header: sha256= followed by the hex "
                "HMAC-SHA256, under this secret, of the X-TechFlow-Timestamp value, a dot, and the raw body."
            ),
        }


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["name", "url", "event_list", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]

    @admin.display(description=gettext_lazy("events"))
    def event_list(self, endpoint):
        labels = dict(WebhookEndpoint.Event.choices)
        return ", ".join(str(labels.get(e, e)) for e in endpoint.events or [])


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read-only, with a retry for deliveries that gave up."""

    list_display = ["event", "endpoint", "status", "attempts", "response_status", "created_at", "delivered_at"]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint"]
    search_fields = ["endpoint__name", "endpoint__url", "error"]
    date_hierarchy = "created_at"
    readonly_fields = ["endpoint", "event", "payload", "status", "attempts", "response_status", "error",
                       "created_at", "updated_at", "delivered_at"]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("articles.change_webhookendpoint")

    @admin.action(description=gettext_lazy("Send the selected failed deliveries again"), permissions=["retry"])
    def retry(self, request, queryset):
        failed = list(queryset.filter(status=WebhookDelivery.Status.FAILED))
        for delivery in failed:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                status=WebhookDelivery.Status.PENDING, attempts=0, error="")
            enqueue_delivery(delivery.pk)
        self.message_user(request, ngettext(
            "%(n)d delivery queued again.", "%(n)d deliveries queued again.", len(failed)) % {"n": len(failed)})


class ApiKeyAddForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["name"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are made here; the key itself is shown once, in the message after saving."""

    list_display = ["name", "prefix", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["name", "is_active", "prefix", "created_at", "last_used_at"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiKeyAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["name"] if obj is None else self.fields

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        record, key = ApiKey.issue(obj.name)
        # The admin goes on with `obj` (log entry, redirect): make it the stored row.
        obj.__dict__.update(record.__dict__)
        messages.warning(request, _(
            "The API key for “%(name)s” is %(key)s. Copy it now: it is not stored and will not be shown again. "
            "Clients send it in the X-API-Key header."
        ) % {"name": record.name, "key": key})
