"""The browser set-up works: a reader opens the seed article in Chromium."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_opens_the_seed_article(page, live_server, sample):
    page.goto(f"{live_server.url}/fr/")
    page.get_by_role("link", name="Sam Altman : aveux et perspectives", exact=False).first.click()
    assert page.locator("h1").inner_text().startswith("Sam Altman : aveux")
    assert page.locator("article.essay").get_attribute("lang") == "fr"
