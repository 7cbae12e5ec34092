"""Two app servers on one PostgreSQL and one Redis: what one publishes, the other serves fresh at once."""

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from django.db import connection

from tests import factories

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(**extra):
    """Production-like settings for a subprocess, with the test suite's relaxations (no TLS, test hosts)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL"))}
    env.update({
        "DJANGO_DEBUG": "false", "TECHFLOW_TESTING": "true", "DB_POOL": "false",
        "DJANGO_SECRET_KEY": "two-servers-test-key", "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


@contextmanager
def app_server(env):
    """gunicorn (one sync worker) on a free port; yields its base URL once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "techflow.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
         "--timeout", "30"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()[-2000:])
            try:
                requests.get(base + "/robots.txt", timeout=20)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def redis_available():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def csrf_from(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_what_one_server_publishes_the_other_serves_fresh_at_once(editor):
    if connection.vendor != "postgresql":
        pytest.skip("Two app servers need a database both can reach: run with DATABASE_URL=postgresql://...")
    if not redis_available():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but Redis at 127.0.0.1:6379 is not running (.ci/run starts it).")
        pytest.skip("Two app servers share their cache through Redis at 127.0.0.1:6379, which is not running.")
    section = factories.SectionFactory(slug="shared")
    old = factories.TranslationFactory(
        article=factories.ArticleFactory(section=section), language="fr", title="Premier texte", published=True
    )
    elsewhere = factories.TranslationFactory(
        article=factories.ArticleFactory(section=factories.SectionFactory(slug="ailleurs")),
        language="fr", title="Texte ailleurs", published=True,
    )
    new = factories.TranslationFactory(
        article=factories.ArticleFactory(section=section), language="fr", title="Texte tout frais"
    )
    settings_dict = connection.settings_dict
    database_url = (
        f"postgresql://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
    )
    # A fresh key prefix: pages cached by an earlier run (another database) must not be found.
    env = server_env(
        DATABASE_URL=database_url, REDIS_URL=REDIS_URL, TECHFLOW_PAGE_CACHE="true", TECHFLOW_STORED_PAGES="true",
        TECHFLOW_CACHE_PREFIX=f"test-{uuid.uuid4().hex[:8]}",
    )
    with app_server(env) as one, app_server(env) as other:
        home, unrelated = other + "/fr/feeds/rss/", other + elsewhere.get_absolute_url()
        article = other + old.get_absolute_url()
        for url in (home, unrelated, article):
            assert requests.get(url, timeout=10).status_code == 200
        assert requests.get(home, timeout=10).headers["X-Page-Cache"] == "hit"
        assert "Texte tout frais" not in requests.get(home, timeout=10).text

        # An editor publishes through the first server's admin.
        browser = requests.Session()
        login = browser.get(one + "/fr/admin/login/", timeout=10)
        answer = browser.post(one + "/fr/admin/login/", timeout=10, data={
            "username": editor.username, "password": "correct horse battery staple",
            "csrfmiddlewaretoken": csrf_from(login.text), "next": "/fr/admin/",
        }, headers={"Referer": one + "/fr/admin/login/"})
        assert answer.status_code == 200 and "/fr/admin/logout/" in answer.text
        changelist = one + "/fr/admin/articles/translation/"
        page = browser.get(changelist, timeout=10)
        done = browser.post(changelist, timeout=10, data={
            "action": "publish_now", "_selected_action": str(new.pk), "index": "0",
            "csrfmiddlewaretoken": csrf_from(page.text),
        }, headers={"Referer": changelist})
        assert done.status_code == 200
        new.refresh_from_db()
        assert new.status == "published"

        # The other server's cached listing is invalidated and shows it at once.
        fresh = requests.get(home, timeout=10)
        assert fresh.headers["X-Page-Cache"] == "miss"
        assert "Texte tout frais" in fresh.text
        # The article in the same section lists it among related reading: refreshed too.
        related = requests.get(article, timeout=10)
        assert related.headers.get("X-Page-Cache") != "hit"
        assert "Texte tout frais" in related.text
        assert requests.get(other + new.get_absolute_url(), timeout=10).status_code == 200
        # A page that does not show it keeps its cached copy.
        assert requests.get(unrelated, timeout=10).headers.get("X-Page-Cache") in ("hit", None)
