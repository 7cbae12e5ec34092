"""/healthz for load balancers: 200 when the database and the cache answer, 503 naming what is down."""

import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET


def _database_ok():
    try:
        # Bounded by DB_CONNECT_TIMEOUT (connect) and the pool's timeout (checkout).
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "down" to a load balancer
        return False


def _cache_ok():
    # django-redis swallows errors (IGNORE_EXCEPTIONS): only a read-back proves the cache works.
    key, token = "healthz:probe", uuid.uuid4().hex
    try:
        cache.set(key, token, timeout=30)
        return cache.get(key) == token
    except Exception:  # noqa: BLE001
        return False


@require_GET
def healthz(request):
    state = {
        "database": "ok" if _database_ok() else "down",
        "cache": "ok" if _cache_ok() else "down",
    }
    response = JsonResponse(state, status=200 if all(v == "ok" for v in state.values()) else 503)
    add_never_cache_headers(response)
    return response
