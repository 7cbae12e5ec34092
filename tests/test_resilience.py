"""Failing services: an unreachable database gives readers a quick 503; a dead cache costs only speed."""

import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import override_settings

from articles.models import Translation
from tests.test_security import production_env

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SilentServer:
    """A TCP server that accepts connections and never answers: a database host that hangs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


def fetch(url, timeout=60):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    return status, body, time.monotonic() - started


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """Production serves hashed static files: collect them once, as a deployment does."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT,
                   env=production_env(STATIC_ROOT=str(root)), check=True, timeout=300)
    return root


@pytest.mark.parametrize("pool", ["true", "false"])
def test_unreachable_database_gives_a_quick_503(pool, collected_static):
    """The connect timeout (DB_CONNECT_TIMEOUT=2 s here) bounds the wait, instead of a long hang."""
    silent = SilentServer()
    port = free_port()
    env = production_env(
        DATABASE_URL=f"postgresql://postgres@127.0.0.1:{silent.port}/techflow",
        DB_CONNECT_TIMEOUT="2", DB_POOL=pool, DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false", STATIC_ROOT=str(collected_static),
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "techflow.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", "1", "--timeout", "60", "--graceful-timeout", "3"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        status, body, elapsed = fetch(f"http://127.0.0.1:{port}/fr/")
        assert status == 503, body[:500]
        assert "Back in a moment" in body or "Revenons" in body or "instant" in body
        # Two seconds of connect timeout (plus the pool's wait), far from a 30-second hang.
        assert elapsed < 15, elapsed
        status, body, _ = fetch(f"http://127.0.0.1:{port}/en/")
        assert status == 503 and "Back in a moment" in body
    finally:
        silent.close()
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            # A worker may still be waiting on the silent "database"; nothing to keep.
            server.kill()
            server.wait(timeout=15)


DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True},
    }
}


@pytest.mark.django_db
@override_settings(CACHES=DEAD_REDIS)
def test_site_keeps_serving_with_redis_down(client, sample, editor):
    from django.core.cache import cache

    cache.set("probe", 1)
    assert cache.get("probe") is None  # the cache really is unreachable
    version = Translation.objects.published().first()
    for url in ("/fr/", "/en/", version.get_absolute_url(), "/fr/feeds/rss/", "/sitemap.xml",
                "/sitemap-translations.xml", "/fr/search/?q=IA"):
        assert client.get(url).status_code == 200, url
    client.force_login(editor)
    assert client.get("/fr/admin/").status_code == 200
