"""Public URLs, mounted under i18n_patterns: the interface language is the first path segment."""

from django.urls import path, register_converter

from . import feeds, views


class UnicodeSlugConverter:
    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class LanguageConverter:
    regex = r"[a-z]{2}(?:-[a-z]{2,4})?"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")
register_converter(LanguageConverter, "lang")

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_results, name="search"),
    path("feeds/rss/", feeds.TranslationFeed(), name="feed_rss"),
    path("feeds/atom/", feeds.TranslationAtomFeed(), name="feed_atom"),
    path("articles/<uslug:slug>/", views.translation_detail, name="translation_detail"),
    path("articles/<lang:language>/<uslug:slug>/", views.translation_detail, name="translation_detail_in"),
    path("authors/<uslug:slug>/", views.author_detail, name="author_detail"),
    path("authors/<uslug:slug>/rss/", feeds.AuthorFeed(), name="author_feed_rss"),
    path("authors/<uslug:slug>/atom/", feeds.AuthorAtomFeed(), name="author_feed_atom"),
    path("sections/<uslug:slug>/", views.section_detail, name="section_detail"),
    path("sections/<uslug:slug>/rss/", feeds.SectionFeed(), name="section_feed_rss"),
    path("sections/<uslug:slug>/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path("tags/<uslug:slug>/", views.tag_detail, name="tag_detail"),
]
