"""A reader's path through the site in real Chromium, and axe-core's accessibility audit of each page kind."""

import json
import os
from pathlib import Path

import pytest

from articles.models import Translation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


def require_axe():
    if AXE.exists():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {AXE} is missing: run `npm ci`.")
    pytest.skip(f"{AXE} is missing: run `npm ci` to audit accessibility with axe-core")


@pytest.fixture
def browser_context_args(browser_context_args):
    # A French-speaking reader: `/` must send them to /fr/.
    return {**browser_context_args, "locale": "fr-FR", "extra_http_headers": {"Accept-Language": "fr-FR,fr;q=0.9"}}


def test_reader_journey_from_home_to_search(page, live_server, sample):
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/fr/"
    assert page.locator("html").get_attribute("lang") == "fr"

    page.get_by_role("link", name="Sam Altman : aveux et perspectives", exact=False).first.click()
    assert page.locator("h1").inner_text().startswith("Sam Altman : aveux")
    assert page.locator("article.essay").get_attribute("lang") == "fr"
    assert "Auteur : Sam Altman · Traduction : TechFlow" in page.locator(".byline").inner_text()

    # Switch the interface to English: the article stays French, the interface speaks English.
    page.get_by_role("navigation", name="Langue de l’interface").get_by_role("link", name="English").click()
    assert page.url.startswith(f"{live_server.url}/en/articles/fr/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("article.essay").get_attribute("lang") == "fr"
    assert page.locator(".byline").inner_text() == "By Sam Altman · Translated by TechFlow"

    # The translator's page lists the translation.
    page.locator(".byline-translators").get_by_role("link", name="TechFlow").click()
    assert page.url == f"{live_server.url}/en/authors/techflow/"
    assert page.locator("h1").inner_text() == "TechFlow"
    assert page.locator(".kicker", has_text="Translated").first.is_visible()
    assert page.get_by_role("link", name="Sam Altman : aveux", exact=False).count() >= 1

    # The choice is remembered: `/` now sends this reader to English.
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/en/"

    # Search from the header and find the article.
    page.get_by_role("searchbox", name="Search the articles").fill("Altman réflexion")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    assert "/en/search/?q=" in page.url
    result = page.locator("ol.results li").first
    assert result.locator("mark").count() >= 1
    result.get_by_role("link").click()
    assert page.locator("h1").inner_text().startswith("Sam Altman : aveux")


def _audit_urls(live_server):
    seed = Translation.objects.get(article__key="sam-altman-reflections", language="fr")
    urls = []
    for language in ("fr", "en"):
        urls += [
            f"/{language}/",
            f"/{language}/articles/fr/{seed.slug}/" if language != "fr" else seed.get_absolute_url(),
            f"/{language}/authors/techflow/",
            f"/{language}/sections/techflow-selection/",
            f"/{language}/search/?q=Altman",
        ]
    return [live_server.url + url for url in urls]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(browser, live_server, sample, scheme):
    require_axe()
    # axe is injected as a script; only this audit context may bypass the site's CSP.
    context = browser.new_context(bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    failures = {}
    for url in _audit_urls(live_server):
        response = page.goto(url)
        assert response.status == 200, url
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        )
        if result["violations"]:
            failures[url] = [
                {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]
            ]
    context.close()
    assert failures == {}, json.dumps(failures, indent=1)


def test_keyboard_reader_can_skip_to_content_and_sees_focus(page, live_server, sample):
    page.goto(f"{live_server.url}/fr/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0  # moved on screen when focused
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_pages_work_without_javascript(browser, live_server, sample):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/search/?q=Altman")
    assert page.locator("ol.results li").count() >= 1
    page.get_by_role("link", name="English").click()
    assert page.url.startswith(f"{live_server.url}/en/search/")
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()
