"""Root URLs: language-neutral endpoints first, then everything under a language prefix."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from articles import editor_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # markdownx's endpoints, mounted by hand so that they ask for a login and a permission.
    path("markdownx/markdownify/", editor_views.markdownify, name="markdownx_markdownify"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
