"""/healthz: 200 with both services up, 503 naming the one that is down, never cached."""

import json
import uuid

import pytest
import requests

from tests.test_two_servers import app_server, server_env


def test_healthz_reports_both_services_up(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_names_a_cache_that_is_down(client, db, settings):
    settings.CACHES = {"default": {
        "BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True},
    }}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "cache": "down"}


def test_healthz_names_a_database_that_is_down():
    """A real server whose PostgreSQL does not answer: a bounded, quick 503, not a hang or a 500."""
    env = server_env(
        DATABASE_URL="postgresql://postgres@127.0.0.1:1/nowhere", DB_CONNECT_TIMEOUT="1",
        TECHFLOW_CACHE_PREFIX=f"health-{uuid.uuid4().hex[:8]}",
    )
    with app_server(env) as base:
        response = requests.get(base + "/healthz", timeout=15)
    assert response.status_code == 503
    assert response.json() == {"database": "down", "cache": "ok"}


@pytest.mark.parametrize("method", ["post", "put"])
def test_healthz_answers_only_get(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405
