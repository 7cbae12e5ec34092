"""Site-wide template context: the publication's name, its community links and the language switcher."""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from .models import CommunityLink


def _footer_links(language):
    """The links labelled in the reader's language, else the site's, else whichever exist (one query)."""
    rows = list(CommunityLink.objects.order_by("position", "pk"))
    for wanted in (language, settings.LANGUAGE_CODE):
        own = [row for row in rows if row.language == wanted]
        if own:
            return own
    first = rows[0].language if rows else None
    return [row for row in rows if row.language == first]


def _language_links(request):
    # Views that know better (article pages, listings) pass their own `language_links`.
    links = []
    for code, _name in settings.LANGUAGES:
        links.append({"code": code, "url": translate_url(request.path, code)})
    return links


def site(request):
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "publication_name": settings.PUBLICATION_NAME,
        # Lazy: pages that do not show the footer (feeds, the admin) pay no query.
        "community_links": SimpleLazyObject(lambda: _footer_links(language)),
        "language_links": SimpleLazyObject(lambda: _language_links(request)),
    }
