"""In Chromium: the admin, the Markdown editor and the workspace work under the CSP; hostile text opens no dialog."""

import pytest

from articles import workflow
from articles.models import Translation
from tests import factories
from tests.conftest import PASSWORD, login_in_browser, make_user
from tests.xss_payloads import PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def watched(browser):
    context = browser.new_context()
    context.add_init_script(WATCH)
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    return context, page, dialogs, errors


def violations(page):
    return page.evaluate("window.__violations")


def test_admin_markdown_editor_and_workspace_work_under_the_csp(browser, live_server, sample):
    make_user("chief", "Editor", is_staff=True)
    translator = make_user("lea", "Translator", languages=["fr"])
    demo = Translation.objects.get(article__key="demo-translation-workflow", language="fr")
    context, page, dialogs, errors = watched(browser)

    login_in_browser(page, live_server, "chief", PASSWORD, language="en")
    for path in ("/en/admin/", "/en/admin/articles/article/add/", f"/en/admin/articles/translation/{demo.pk}/change/"):
        page.goto(f"{live_server.url}{path}")
        assert violations(page) == [], path
    # The markdownx live preview runs (its script is allowed) and renders through our renderer.
    body = page.locator("textarea[name=body]")
    body.fill("**gras** <script>alert(1)</script>")
    body.dispatch_event("input")
    page.locator(".markdownx-preview strong").wait_for(timeout=10_000)
    assert violations(page) == [] and errors == [] and dialogs == []
    context.close()

    context, page, dialogs, errors = watched(browser)
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.fill("#id_username", translator.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server.url}/fr/workspace/{demo.pk}/")
    page.fill("#para-0", "<img src=x onerror=alert(1)> **texte**")
    # Autosave and the live preview both run from the page's own script under the CSP.
    page.locator("[data-autosave-status]").filter(has_text=":").wait_for(timeout=10_000)
    page.locator("[data-preview] strong").wait_for(timeout=10_000)
    assert violations(page) == [] and errors == [] and dialogs == []
    context.close()


def test_hostile_text_opens_no_dialog_anywhere(browser, live_server):
    editor = make_user("chief", "Editor", is_staff=True)
    translator = make_user("lea", "Translator", languages=["fr"])
    article = factories.ArticleFactory(original_language="en")
    factories.TranslationFactory(article=article, language="en", body="\n\n".join(PAYLOADS), published=True)
    version = factories.TranslationFactory(
        article=article, language="fr", published=True, body="\n\n".join(PAYLOADS),
        title="<script>alert('title')</script>", standfirst="<img src=x onerror=alert('standfirst')>",
    )
    version.assignees.add(translator.author)
    revision = workflow.submit_revision(version, by=translator, title="<svg onload=alert(2)>", standfirst="",
                                        body="\n\n".join(reversed(PAYLOADS)))
    context, page, dialogs, _errors = watched(browser)
    page.goto(f"{live_server.url}{version.get_absolute_url()}")
    page.goto(f"{live_server.url}/fr/")
    login_in_browser(page, live_server, editor.username, PASSWORD, language="fr")
    page.goto(f"{live_server.url}/fr/admin/articles/translationrevision/{revision.pk}/review/")
    page.goto(f"{live_server.url}/fr/admin/articles/translation/{version.pk}/change/")
    assert dialogs == []
    context.close()
