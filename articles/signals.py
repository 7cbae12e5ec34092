"""Model signal handlers, connected in ArticlesConfig.ready()."""

from django.db.models.signals import post_save


def _original_saved(sender, instance, raw=False, **kwargs):
    # Whatever path changed the original's text (admin, import, review), number the new source.
    if raw or not instance.is_original:
        return
    from .workflow import sync_source_version

    sync_source_version(instance)


def connect():
    from .models import Translation

    post_save.connect(_original_saved, sender=Translation, dispatch_uid="articles.original_saved")
