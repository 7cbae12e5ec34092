"""In a real Chromium: an editor edits a translation's Markdown, sees the live preview, saves, reads it on the site."""

import pytest
from django.contrib.auth.models import Group

from tests import factories
from tests.conftest import login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def test_editor_types_markdown_sees_the_preview_saves_and_finds_it_on_the_site(page, live_server):
    editor = factories.UserFactory(username="edith", is_staff=True)
    editor.save()
    editor.groups.add(Group.objects.get(name="Editor"))
    version = factories.TranslationFactory(title="Essai en ligne", published=True)

    login_in_browser(page, live_server, "edith", PASSWORD, language="en")
    page.goto(f"{live_server.url}/en/admin/articles/translation/{version.pk}/change/")
    body = page.locator("textarea#id_body")
    body.fill("Un paragraphe avec un **mot fort** et un [lien](https://example.org/).\n\n<script>alert(1)</script>")

    # markdownx posts the text to /markdownx/markdownify/; the project's renderer answers.
    preview = page.locator(".markdownx-preview")
    preview.locator("strong", has_text="mot fort").wait_for(timeout=15_000)
    assert preview.locator("script").count() == 0
    assert preview.locator('a[href="https://example.org/"]').count() == 1

    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/en/admin/articles/translation/")
    assert "was changed successfully" in page.locator("ul.messagelist").inner_text()

    page.goto(f"{live_server.url}{version.get_absolute_url()}")
    essay = page.locator("article")
    assert essay.locator("strong", has_text="mot fort").count() == 1
    assert "<script>" in essay.first.inner_text()  # shown as text, never run


def test_status_matrix_is_styled_under_the_sites_content_security_policy(page, live_server):
    editor = factories.UserFactory(username="mira", is_staff=True)
    editor.save()
    editor.groups.add(Group.objects.get(name="Editor"))
    article = factories.ArticleFactory(original_title="Styled essay", source_version=2)
    factories.TranslationFactory(article=article, language="fr", source_version=1, published=True)

    login_in_browser(page, live_server, "mira", PASSWORD, language="fr")
    page.goto(f"{live_server.url}/fr/admin/articles/article/matrix/")
    link = page.locator('td[data-language="fr"][data-state="outdated"] a')
    # The stylesheet is a static file, so the CSP (no inline styles) lets it apply.
    assert link.evaluate("a => getComputedStyle(a).backgroundColor") == "rgb(255, 217, 208)"


def test_editor_drops_an_image_into_the_body_and_gets_its_markdown(page, live_server, settings, tmp_path):
    import base64
    from io import BytesIO

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    editor = factories.UserFactory(username="ines", is_staff=True)
    editor.save()
    editor.groups.add(Group.objects.get(name="Editor"))
    version = factories.TranslationFactory(title="Avec image", body="Texte.")
    picture = BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 200)).save(picture, "PNG")

    login_in_browser(page, live_server, "ines", PASSWORD, language="en")
    page.goto(f"{live_server.url}/en/admin/articles/translation/{version.pk}/change/")
    # What a drag and drop from the desktop does: markdownx uploads the file and inserts its Markdown.
    page.evaluate("""(b64) => {
        const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], "holiday.png", {type: "image/png"}));
        document.querySelector("textarea#id_body").dispatchEvent(
            new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }""", base64.b64encode(picture.getvalue()).decode())
    page.wait_for_function(
        "() => /!\\[\\]\\(\\/media\\/uploads\\/.+\\.png\\)/.test(document.querySelector('textarea#id_body').value)",
        timeout=15_000,
    )
    stored = [p for p in tmp_path.rglob("*.png")]
    assert len(stored) == 1 and stored[0].name != "holiday.png"
    assert stored[0].name in page.locator("textarea#id_body").input_value()
