"""Admin registrations (the editors' desk is built out by its own issue)."""

from django.contrib import admin

from .models import Acknowledgement, Article, Author, CommunityLink, Section, Tag, Translation

for model in (Acknowledgement, Article, Author, CommunityLink, Section, Tag, Translation):
    admin.site.register(model)
