"""The translators' workspace URLs, mounted under the language prefix at /<lang>/workspace/."""

from django.urls import path

from . import workspace_views as views

app_name = "workspace"
urlpatterns = [
    path("", views.workspace_home, name="home"),
    path("preview/", views.workspace_preview, name="preview"),
    path("<int:pk>/", views.workspace_edit, name="edit"),
    path("<int:pk>/draft/", views.workspace_save_draft, name="save_draft"),
    path("<int:pk>/submit/", views.workspace_submit, name="submit"),
    path("revisions/<int:pk>/", views.workspace_revision, name="revision"),
]
