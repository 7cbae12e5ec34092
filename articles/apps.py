"""App configuration for articles."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Publication")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import cache, roles, signals, webhooks

        post_migrate.connect(roles.ensure_groups, sender=self)
        signals.connect()
        cache.connect_signals()
        webhooks.connect()
