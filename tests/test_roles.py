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


# --- Through the admin: editors do all editorial work, translators never reach the desk ---------------

from tests import factories  # noqa: E402


def _member(group, **fields):
    user = factories.UserFactory(**fields)
    user.save()
    user.groups.add(Group.objects.get(name=group))
    return user


EDITORIAL_PAGES = [
    "/fr/admin/", "/fr/admin/articles/article/", "/fr/admin/articles/article/add/",
    "/fr/admin/articles/translation/", "/fr/admin/articles/translation/add/",
    "/fr/admin/articles/article/matrix/", "/fr/admin/articles/article/import/",
    "/fr/admin/articles/author/add/", "/fr/admin/articles/section/add/", "/fr/admin/articles/tag/add/",
    "/fr/admin/articles/acknowledgement/add/", "/fr/admin/articles/communitylink/add/",
    "/en/admin/articles/article/",
]


def test_an_editor_who_is_not_a_superuser_reaches_every_editorial_page(client):
    editor = _member("Editor", is_staff=True)
    assert not editor.is_superuser
    client.force_login(editor)
    for url in EDITORIAL_PAGES:
        assert client.get(url).status_code == 200, url


def test_an_editor_cannot_manage_user_accounts(client):
    client.force_login(_member("Editor", is_staff=True))
    assert client.get("/fr/admin/auth/user/").status_code == 403
    assert client.get("/fr/admin/auth/group/").status_code == 403


@pytest.mark.parametrize("url", EDITORIAL_PAGES)
def test_translators_do_not_reach_the_editors_desk(client, url):
    client.force_login(_member("Translator"))
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_translator_marked_staff_still_sees_no_content_model(client):
    client.force_login(_member("Translator", is_staff=True))
    assert client.get("/fr/admin/articles/article/").status_code == 403
    assert client.get("/fr/admin/articles/article/matrix/").status_code == 403
    assert client.get("/fr/admin/articles/article/import/").status_code == 403
