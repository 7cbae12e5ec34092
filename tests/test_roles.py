"""The Editor and Translator groups exist after migrate with the permissions their work needs."""

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def codes(name):
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


def test_editor_group_can_run_the_publication():
    editor = codes("Editor")
    assert {"add_article", "change_translation", "publish_translation", "review_translation",
            "add_acknowledgement", "add_author", "view_logentry"} <= editor
    assert not {"add_user", "change_user", "change_group", "translate_translation"} & editor


def test_translator_group_only_translates():
    assert codes("Translator") == {"translate_translation"}
