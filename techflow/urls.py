"""Root URLs: language-neutral endpoints first, then everything under a language prefix."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index, sitemap
from django.urls import include, path

from articles import editor_views, views as reader_views
from articles import exchange, exporter
from articles.health import healthz
from articles.api import api as content_api
from articles.sitemaps import SITEMAPS

urlpatterns = [
    path("i18n/switch/", reader_views.switch_language, name="switch_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The Content API is language-neutral: one URL per resource, outside the language prefixes.
    path("api/v1/", content_api.urls),
    # Translators' files (XLIFF 2.0, XLIFF 1.2, PO) for a translation job, and their upload.
    path("exchange/translations/<int:pk>/", exchange.exchange_page, name="translation_exchange"),
    path("exchange/translations/<int:pk>/<str:fmt>/", exchange.exchange_download,
         name="translation_exchange_download"),
    path("exchange/articles/<str:key>/markdown.zip", exporter.article_markdown_download,
         name="article_markdown_download"),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", reader_views.robots_txt, name="robots_txt"),
    # robots.txt names the index; each section is split into pages of Sitemap.limit URLs (?p=2, ...).
    path("sitemap.xml", sitemap_index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
         name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    # markdownx's endpoints, mounted by hand so that they ask for a login and a permission.
    path("markdownx/markdownify/", editor_views.markdownify, name="markdownx_markdownify"),
    path("markdownx/upload/", editor_views.upload_image, name="markdownx_upload"),
]
if settings.BENCH:
    urlpatterns.append(path("bench/", include("bench.urls")))
handler404 = "articles.views.page_not_found"
handler500 = "articles.errors.server_error"

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("workspace/", include("articles.workspace_urls")),
    path("", include("articles.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
