"""The 500 handler: a database that cannot be reached is a 503 (try again soon), not a crash."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils import translation

from . import views

RETRY_AFTER_SECONDS = 30
FALLBACK = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>%(title)s</title></head><body><h1>%(title)s</h1></body></html>'



def server_error(request):
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        return views.server_error(request)
    # Rendered without a request context: context processors could reach for the database.
    language = translation.get_language_from_request(request, check_path=True)
    with translation.override(language):
        try:
            html = loader.render_to_string("503.html", {
                "publication_name": settings.PUBLICATION_NAME, "LANGUAGE_CODE": language,
            })
        except Exception:  # an error page must not fail in turn (e.g. static files not collected)
            html = FALLBACK % {"title": translation.gettext("Back in a moment")}
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
