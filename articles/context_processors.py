"""Site-wide template context: the publication's name and its community links."""

from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from .models import CommunityLink


def site(request):
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "publication_name": settings.PUBLICATION_NAME,
        # Lazy: pages that do not show the footer (feeds, the admin) pay no query.
        "community_links": SimpleLazyObject(lambda: CommunityLink.objects.for_footer(language)),
    }
