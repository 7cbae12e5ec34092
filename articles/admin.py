"""The editors' desk: admin registrations, organised around the article."""

from django.contrib import admin

from . import admin_integrations, admin_review  # noqa: F401  (they register their own models)
from .models import Acknowledgement, Article, Author, CommunityLink, Section, Tag, Translation

for model in (Acknowledgement, Article, Author, CommunityLink, Section, Tag, Translation):
    admin.site.register(model)
