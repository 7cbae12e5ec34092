"""Shared fixtures: people in their roles, and a published article in the seed's shape."""

from pathlib import Path

import pytest
from django.core.management import call_command

from tests import factories

SEED = Path(__file__).resolve().parents[1] / "articles" / "sample_data" / "techflow-altman-reflections-fr.txt"


@pytest.fixture
def seed_path():
    return SEED


@pytest.fixture
def sample(db):
    """The shipped sample content, loaded the way `make run` loads it."""
    call_command("load_sample", stdout=open("/dev/null", "w"))


PASSWORD = "correct horse battery staple"


def make_user(username, group=None, *, languages=(), **fields):
    """A user in a role group, with an Author record when they translate."""
    from django.contrib.auth.models import Group

    user = factories.UserFactory(username=username, **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if languages:
        factories.AuthorFactory(name=username.title(), user=user, languages=list(languages))
    return user


@pytest.fixture
def editor(db):
    return make_user("editor", "Editor", is_staff=True)


@pytest.fixture
def second_editor(db):
    return make_user("chief", "Editor", is_staff=True)


@pytest.fixture
def translator(db):
    return make_user("camille", "Translator", languages=["fr"])


@pytest.fixture
def other_translator(db):
    """A translator into Spanish: outside the French work."""
    return make_user("pablo", "Translator", languages=["es"])


@pytest.fixture
def superuser(db):
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def published_article(db):
    article = factories.ArticleFactory()
    factories.ArticleCreditFactory(article=article, position=0)
    version = factories.TranslationFactory(article=article, published=True)
    factories.TranslationCreditFactory(translation=version, position=0)
    factories.AcknowledgementFactory(article=article, position=0)
    return article


# --- Real browser ---------------------------------------------------------------------------------
# pytest-playwright's fixtures, pointed at Debian's Chromium (no browser download works here).

import os  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """Browser tests skip where Chromium is missing, except under CI, where that is a failure."""
    if os.path.exists(CHROMIUM):
        return
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items:
        return
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"CI=true but no Chromium at {CHROMIUM}: install it (apt-get install -y chromium).")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}; apt-get install -y chromium to run browser tests")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    # Playwright's sync API runs an event loop; Django refuses ORM calls inside one unless told.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def login_in_browser(page, live_server, username, password, language="en"):
    """Sign in through the real admin login form."""
    page.goto(f"{live_server.url}/{language}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
