"""End to end in Chromium: a translator revises, an editor reviews, a reader sees it, the translator reads the comment."""

import pytest

from articles.models import Translation
from tests.conftest import PASSWORD, login_in_browser, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_FIRST = "Quand une publication vit de traductions, le traducteur devient son second auteur, revu."
COMMENT = "Gardez « second auteur » : c'est le mot de l'original."


def sign_in_workspace(page, live_server, username):
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_revision_goes_from_translator_to_reader(browser, live_server, sample):
    translator = make_user("lea", "Translator", languages=["fr"])
    make_user("chief", "Editor", is_staff=True)
    demo = Translation.objects.get(article__key="demo-translation-workflow", language="fr")

    # The translator edits the first paragraph beside the English source, and submits.
    desk = browser.new_context()
    page = desk.new_page()
    sign_in_workspace(page, live_server, translator.username)
    page.get_by_role("link", name=demo.title).click()
    assert "When a publication lives on translations" in page.locator("td.source").first.inner_text()
    page.fill("#para-0", NEW_FIRST)
    page.fill("#id_note", "Première phrase resserrée.")
    page.locator("button[formaction$='/submit/']").click()
    page.wait_for_url("**/workspace/revisions/*/")
    assert NEW_FIRST in page.content()

    # An editor sees the word-level diff, comments on paragraph 2 and accepts the rest.
    office = browser.new_context()
    review = office.new_page()
    login_in_browser(review, live_server, "chief", PASSWORD, language="fr")
    review.goto(f"{live_server.url}/fr/admin/articles/translationrevision/")
    review.locator("td.field-review_link a").first.click()
    assert review.locator("td.diff ins").first.inner_text().strip() != ""
    review.fill("#comment-1", COMMENT)
    review.locator("button[name=decision][value=accepted]").click()
    review.wait_for_url("**/translationrevision/?status__exact=submitted")

    # A reader gets the accepted text on the public page.
    audience = browser.new_context()
    reader = audience.new_page()
    reader.goto(f"{live_server.url}{Translation.objects.get(pk=demo.pk).get_absolute_url()}")
    assert NEW_FIRST in reader.locator("article").inner_text()

    # The translator sees the editor's comment on that paragraph.
    page.goto(f"{live_server.url}/fr/workspace/")
    page.get_by_role("link", name=demo.title).click()
    page.get_by_role("link", name="commentaires", exact=False).click()
    assert COMMENT in page.locator("li.reviewed .comment").first.inner_text()
    for context in (desk, office, audience):
        context.close()
