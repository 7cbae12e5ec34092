"""The "Editor" and "Translator" groups with exactly the permissions their work needs, made after migrate."""

from django.contrib.auth.models import Group, Permission

EDITOR = "Editor"
TRANSLATOR = "Translator"

# Editors run the publication: everything on content, reviewing and publishing, but not users.
EDITOR_MODELS = {
    "article": "add change delete view",
    "articlecredit": "add change delete view",
    "author": "add change delete view",
    "section": "add change delete view",
    "tag": "add change delete view",
    "translation": "add change delete view publish review",
    "translationcredit": "add change delete view",
    "acknowledgement": "add change delete view",
    "communitylink": "add change delete view",
    "translationrevision": "view",
    "paragraphreview": "add change view",
    "sourceversion": "view",
    "webhookendpoint": "add change delete view",
    "webhookdelivery": "view",
    "apikey": "add change delete view",
}
# Translators work in their workspace only; the server checks each object on top of this.
TRANSLATOR_PERMISSIONS = ["translate_translation"]


def _codename(action, model):
    return f"{action}_{model}" if action not in ("publish", "review") else f"{action}_translation"


def ensure_groups(**kwargs):
    """post_migrate: create or correct both groups (idempotent)."""
    permissions = {p.codename: p for p in Permission.objects.filter(content_type__app_label="articles")}
    editor_codes = [_codename(a, m) for m, actions in EDITOR_MODELS.items() for a in actions.split()]
    editor_codes += ["view_logentry"]
    permissions.update({p.codename: p for p in Permission.objects.filter(codename="view_logentry")})
    for name, codes in ((EDITOR, editor_codes), (TRANSLATOR, TRANSLATOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([permissions[code] for code in codes if code in permissions])
