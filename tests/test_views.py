"""Public pages through the test client on their real URLs, in both interface languages."""

import re

import pytest
from articles.search import MAX_RESULTS
from django.db import connection
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from articles import workflow
from articles.models import Translation
from tests import factories

pytestmark = pytest.mark.django_db

INTERFACE_LANGUAGES = ["fr", "en"]


def seed_version():
    return Translation.objects.get(article__key="sam-altman-reflections", language="fr")


def visible_text(html):
    """The text a reader sees: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def publish_article(*, languages=("en", "fr"), authors=2, translators=2, thanks=2, tags=2, section=None,
                    original="en", ago_hours=1):
    """An article with every kind of credit, published in `languages` (the original among them or not)."""
    article = factories.ArticleFactory(original_language=original, **({"section": section} if section else {}))
    for position in range(authors):
        factories.ArticleCreditFactory(article=article, position=position)
    for position in range(thanks):
        factories.AcknowledgementFactory(article=article, position=position, author=factories.AuthorFactory())
    for _ in range(tags):
        article.tags.add(factories.TagFactory())
    versions = []
    for language in languages:
        version = factories.TranslationFactory(
            article=article, language=language, title=f"{language} {article.key} title",
            status=Translation.Status.PUBLISHED,
            published_at=timezone.now() - timezone.timedelta(hours=ago_hours),
        )
        if language != original:
            for position in range(translators):
                factories.TranslationCreditFactory(translation=version, position=position)
        versions.append(version)
    return article, versions


# --- Home, root and language choice ----------------------------------------------------------------

def test_root_sends_visitors_to_their_language(client):
    assert client.get("/", headers={"accept-language": "en"})["Location"] == "/en/"
    assert client.get("/", headers={"accept-language": "fr-FR,fr"})["Location"] == "/fr/"


def test_root_follows_the_language_switcher_cookie(client, sample):
    response = client.get("/i18n/switch/", {"language": "en", "next": "/en/"})
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert client.cookies["django_language"].value == "en"
    assert client.get("/", headers={"accept-language": "fr"})["Location"] == "/en/"


def test_language_switch_refuses_foreign_targets_and_unknown_languages(client):
    response = client.get("/i18n/switch/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/en/"
    response = client.get("/i18n/switch/", {"language": "xx", "next": "/fr/"})
    assert response["Location"] == "/fr/" and client.cookies["django_language"].value == "fr"


def test_reader_pages_carry_no_csrf_token(client, sample):
    # The switcher is a link: pages stay identical for every anonymous reader, hence cacheable.
    for url in ("/fr/", seed_version().get_absolute_url(), "/en/search/?q=Altman", "/en/authors/techflow/"):
        assert "csrfmiddlewaretoken" not in client.get(url).content.decode(), url


def test_home_lists_published_versions_in_its_language(client, sample):
    html = client.get("/fr/").content.decode()
    assert "Sam Altman : aveux" in html
    assert "Pourquoi chaque traduction" in html
    assert "Why every translation" not in html
    english = client.get("/en/").content.decode()
    assert "Why every translation" in english and "Sam Altman : aveux" not in english


@pytest.mark.parametrize("language", INTERFACE_LANGUAGES)
def test_home_shows_sections_and_paginates(client, language):
    section = factories.SectionFactory()
    for _ in range(13):
        publish_article(languages=[language], section=section)
    first = client.get(f"/{language}/").content.decode()
    assert section.names[language] in first and f'href="/{language}/sections/{section.slug}/"' in first
    assert 'rel="next"' in first and first.count('class="card"') == 12
    second = client.get(f"/{language}/?page=2").content.decode()
    assert second.count('class="card"') == 1 and 'rel="prev"' in second


@pytest.mark.parametrize("language,heading", [("fr", "Dernières traductions"), ("en", "Latest translations")])
def test_interface_strings_follow_the_url_language(client, language, heading):
    html = client.get(f"/{language}/").content.decode()
    assert f'<html lang="{language}"' in html
    assert heading in html
    assert html.count("<h1") == 1


# --- Article page ----------------------------------------------------------------------------------

def test_seed_article_page_shows_title_byline_and_acknowledgements(client, sample):
    response = client.get(seed_version().get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sam Altman : aveux et perspectives pour la nouvelle année" in html
    assert "Sam Altman</a>" in html and "TechFlow</a>" in html
    for name in ("Josh Tyrangiel", "Ron Conway", "Brian Chesky", "Ollie"):
        assert name in html
    assert "pour l’inspiration" in html
    assert 'href="https://blog.samaltman.com/reflections"' in html


def test_seed_byline_reads_naturally_in_each_interface_language(client, sample):
    version = seed_version()
    french = visible_text(client.get(version.get_absolute_url()).content.decode())
    assert "Auteur : Sam Altman · Traduction : TechFlow" in french
    english_url = f"/en/articles/fr/{version.slug}/"
    english = visible_text(client.get(english_url).content.decode())
    assert "By Sam Altman · Translated by TechFlow" in english


def test_article_text_keeps_its_language_under_another_interface(client, sample):
    version = seed_version()
    html = client.get(f"/en/articles/fr/{version.slug}/").content.decode()
    assert '<html lang="en"' in html
    assert '<article class="essay" lang="fr">' in html
    assert '<div class="essay-meta" lang="en">' in html


@pytest.mark.parametrize("language,words", [
    ("fr", ["Mots-clés", "min de lecture", "Remerciements", "Merci à Josh Tyrangiel", "7 janvier 2025",
            "TechFlow Sélection", "Sam Altman&#x27;s blog", "5 janvier 2025"]),
    ("en", ["Tags", "min read", "Acknowledgements", "Merci à Josh Tyrangiel", "Jan. 7, 2025",
            "TechFlow Selection", "Sam Altman&#x27;s blog", "Jan. 5, 2025"]),
])
def test_article_page_shows_section_date_reading_time_tags_and_original(client, sample, language, words):
    version = seed_version()
    url = version.get_absolute_url() if language == "fr" else f"/en/articles/fr/{version.slug}/"
    html = client.get(url).content.decode()
    text = visible_text(html)
    for word in words:
        assert word in html or word in text, word
    assert 'href="https://blog.samaltman.com/reflections" hreflang="en"' in html
    for tag in ("openai", "ia", "gouvernance"):
        assert f'href="/{language}/tags/{tag}/"' in html
    # Acknowledgements are in the article's language, whatever the interface.
    assert re.search(r'<ul lang="fr">\s*<li>Merci à', html)


def test_community_links_in_the_footer(client, sample):
    html = client.get(seed_version().get_absolute_url()).content.decode()
    assert 'href="https://t.me/TechFlowDaily"' in html
    assert "Bienvenue dans la communauté officielle de TechFlow" in html


def test_other_languages_are_linked_in_their_own_language(client):
    article, (english, french, spanish) = publish_article(languages=["en", "fr", "es"])
    html = client.get(french.get_absolute_url()).content.decode()
    assert f'<a href="{english.get_absolute_url()}" lang="en" hreflang="en">English</a>' in html
    assert f'<a href="/fr/articles/es/{spanish.slug}/" lang="es" hreflang="es">Español</a>' in html
    # The hosted original is linked as such.
    assert f'href="{english.get_absolute_url()}" hreflang="en" lang="en">{english.title}</a>' in html


def test_unpublished_siblings_are_not_linked(client):
    article, (english, french) = publish_article(languages=["en", "fr"])
    draft = factories.TranslationFactory(article=article, language="de", title="Entwurf")
    html = client.get(french.get_absolute_url()).content.decode()
    assert draft.slug not in html and "Deutsch" not in html


def test_related_articles_share_a_section_or_tag(client):
    section = factories.SectionFactory()
    _a, (first,) = publish_article(languages=["fr"], section=section)
    _b, (neighbour,) = publish_article(languages=["fr"], section=section)
    _c, (stranger,) = publish_article(languages=["fr"])
    html = client.get(first.get_absolute_url()).content.decode()
    related = html[html.index('id="related-title"'):]
    assert neighbour.title in related and stranger.title not in related


def test_translation_in_another_content_language_lives_under_the_interface(client):
    _article, (spanish,) = publish_article(languages=["es"], original="en")
    for language in INTERFACE_LANGUAGES:
        response = client.get(f"/{language}/articles/es/{spanish.slug}/")
        assert response.status_code == 200
        assert '<article class="essay" lang="es">' in response.content.decode()


# --- Visibility ------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["draft", "in_review", "archived"])
def test_unpublished_versions_answer_404(client, status):
    version = factories.TranslationFactory(status=status)
    assert client.get(version.get_absolute_url()).status_code == 404


def test_archived_version_with_a_past_time_answers_404(client):
    version = factories.TranslationFactory(status="archived", published_at=timezone.now() - timezone.timedelta(days=3))
    assert client.get(version.get_absolute_url()).status_code == 404


def test_scheduled_version_appears_at_its_time(client):
    version = factories.TranslationFactory()
    workflow.schedule_translation(version, timezone.now() + timezone.timedelta(hours=1))
    assert client.get(version.get_absolute_url()).status_code == 404
    assert version.title not in client.get("/fr/").content.decode()
    Translation.objects.filter(pk=version.pk).update(published_at=timezone.now() - timezone.timedelta(seconds=1))
    assert client.get(version.get_absolute_url()).status_code == 200
    assert version.title in client.get("/fr/").content.decode()


def test_unpublished_versions_are_missing_from_listings(client):
    section = factories.SectionFactory()
    tag = factories.TagFactory()
    author = factories.AuthorFactory()
    for status in ("draft", "in_review", "archived"):
        article = factories.ArticleFactory(section=section)
        article.tags.add(tag)
        factories.ArticleCreditFactory(article=article, author=author, position=0)
        factories.TranslationFactory(article=article, status=status, title=f"Hidden {status}")
    for url in ("/fr/", f"/fr/sections/{section.slug}/", f"/fr/tags/{tag.slug}/", f"/fr/authors/{author.slug}/"):
        assert "Hidden" not in client.get(url).content.decode(), url


def _editor():
    user = factories.UserFactory(is_staff=True)
    user.save()  # the factory sets the password without saving it; the session checks its hash
    user.user_permissions.add(Permission.objects.get(codename="view_translation"))
    return user


def test_editors_preview_drafts_with_a_banner_and_no_caching(client):
    version = factories.TranslationFactory(status="draft")
    client.force_login(_editor())
    response = client.get(version.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="preview-banner"' in html and "Aperçu : les lecteurs ne voient pas cette version." in html
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in html


def test_published_page_has_no_preview_banner_even_for_editors(client):
    _article, (version,) = publish_article(languages=["fr"])
    client.force_login(_editor())
    html = client.get(version.get_absolute_url()).content.decode()
    assert "preview-banner" not in html


def test_signed_in_non_staff_cannot_preview(client):
    version = factories.TranslationFactory(status="draft")
    user = factories.UserFactory()
    user.save()
    client.force_login(user)
    assert client.get(version.get_absolute_url()).status_code == 404


# --- Section, tag, author --------------------------------------------------------------------------

@pytest.mark.parametrize("language", INTERFACE_LANGUAGES)
def test_section_and_tag_pages_list_their_articles(client, language):
    section = factories.SectionFactory()
    article, versions = publish_article(languages=["en", "fr"], section=section)
    tag = article.tags.first()
    mine = next(v for v in versions if v.language == language)
    other = next(v for v in versions if v.language != language)
    for url in (f"/{language}/sections/{section.slug}/", f"/{language}/tags/{tag.slug}/"):
        html = client.get(url).content.decode()
        assert mine.title in html and other.title not in html, url
    assert section.names[language] in client.get(f"/{language}/sections/{section.slug}/").content.decode()


def test_author_page_shows_written_translated_and_thanked(client):
    person = factories.AuthorFactory(name="Camille Martin")
    wrote, (wrote_en, wrote_fr) = publish_article(languages=["en", "fr"])
    factories.ArticleCreditFactory(article=wrote, author=person, position=9)
    _t, (_o, translated_fr) = publish_article(languages=["en", "fr"])
    factories.TranslationCreditFactory(translation=translated_fr, author=person, position=9)
    thanked, (thanked_en, thanked_fr) = publish_article(languages=["en", "fr"])
    factories.AcknowledgementFactory(article=thanked, author=person, position=9)
    for language, heading in (("fr", "A écrit"), ("en", "Written")):
        html = client.get(f"/{language}/authors/{person.slug}/").content.decode()
        assert heading in html
        # Each in the reader's language where it exists.
        wrote_here = wrote_fr if language == "fr" else wrote_en
        thanked_here = thanked_fr if language == "fr" else thanked_en
        assert wrote_here.title in html and thanked_here.title in html and translated_fr.title in html


def test_unknown_section_tag_author_answer_404(client):
    for url in ("/fr/sections/nope/", "/en/tags/nope/", "/fr/authors/nope/"):
        assert client.get(url).status_code == 404


# --- Error pages -----------------------------------------------------------------------------------

@pytest.mark.parametrize("language,text", [("fr", "Page introuvable"), ("en", "Page not found")])
def test_404_page_speaks_the_readers_language(client, language, text):
    response = client.get(f"/{language}/articles/no-such-article/")
    assert response.status_code == 404
    html = response.content.decode()
    assert text in html and f'<html lang="{language}"' in html and 'href="#main"' in html


@pytest.mark.parametrize("language,text", [("fr", "Une erreur est survenue"), ("en", "Something went wrong")])
def test_500_page_speaks_the_readers_language(language, text, settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    import techflow.urls as root
    from django.conf.urls.i18n import i18n_patterns

    class Urls:
        urlpatterns = [*root.urlpatterns, *i18n_patterns(path("broken/", broken))]
        handler500 = root.handler500

    settings.ROOT_URLCONF = Urls
    client = Client(raise_request_exception=False)
    response = client.get(f"/{language}/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert text in html and f'<html lang="{language}"' in html


# --- Query budgets ---------------------------------------------------------------------------------
# Each page runs the same number of queries with one row as with many.

def _budget(client, django_assert_num_queries, url, expected):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


# Rendering an article page; once stored (articles/pages.py), a reader's request costs one.
ARTICLE_QUERIES = 9
STORED_ARTICLE_QUERIES = 1
HOME_QUERIES = 8
SECTION_QUERIES = 8
AUTHOR_QUERIES = 8


@pytest.mark.parametrize("many", [False, True])
def test_article_page_query_budget(client, django_assert_num_queries, settings, many):
    section = factories.SectionFactory()
    n = 6 if many else 1
    article, versions = publish_article(languages=["en", "fr", "es", "de"][: 4 if many else 2], authors=n,
                                        translators=n, thanks=n, tags=n, section=section)
    for _ in range(n):
        publish_article(languages=["fr"], section=section)
    french = next(v for v in versions if v.language == "fr")
    factories.CommunityLinkFactory.create_batch(n)
    _budget(client, django_assert_num_queries, french.get_absolute_url(), ARTICLE_QUERIES)
    settings.STORED_PAGES_ENABLED = True
    client.get(french.get_absolute_url())
    _budget(client, django_assert_num_queries, french.get_absolute_url(), STORED_ARTICLE_QUERIES)


@pytest.mark.parametrize("many", [False, True])
def test_home_query_budget(client, django_assert_num_queries, many):
    n = 14 if many else 1
    for _ in range(n):
        publish_article(languages=["fr"], authors=3 if many else 1, translators=3 if many else 1)
    factories.CommunityLinkFactory.create_batch(n)
    _budget(client, django_assert_num_queries, "/fr/", HOME_QUERIES)


@pytest.mark.parametrize("many", [False, True])
def test_section_page_query_budget(client, django_assert_num_queries, many):
    section = factories.SectionFactory()
    n = 14 if many else 1
    for _ in range(n):
        publish_article(languages=["fr", "en"], section=section, authors=3 if many else 1)
    _budget(client, django_assert_num_queries, f"/fr/sections/{section.slug}/", SECTION_QUERIES)


@pytest.mark.parametrize("many", [False, True])
def test_author_page_query_budget(client, django_assert_num_queries, many):
    person = factories.AuthorFactory()
    n = 8 if many else 1
    for _ in range(n):
        wrote, _v = publish_article(languages=["en", "fr"])
        factories.ArticleCreditFactory(article=wrote, author=person, position=9)
        _t, (_o, translated) = publish_article(languages=["en", "fr"])
        factories.TranslationCreditFactory(translation=translated, author=person, position=9)
        thanked, _v = publish_article(languages=["en", "fr"])
        factories.AcknowledgementFactory(article=thanked, author=person, position=9)
    _budget(client, django_assert_num_queries, f"/en/authors/{person.slug}/", AUTHOR_QUERIES)


TAG_QUERIES = 8
# PostgreSQL: rank the matches, then make snippets for the page's results only.
# PostgreSQL: the newest-1,000 boundary, the recent matches, their ranks, the snippets, the footer.
SEARCH_QUERIES = 5 if connection.vendor == "postgresql" else 2


@pytest.mark.parametrize("many", [False, True])
def test_tag_page_query_budget(client, django_assert_num_queries, many):
    tag = factories.TagFactory()
    n = 14 if many else 1
    for _ in range(n):
        article, _versions = publish_article(languages=["fr"], authors=3 if many else 1, tags=0)
        article.tags.add(tag)
    _budget(client, django_assert_num_queries, f"/fr/tags/{tag.slug}/", TAG_QUERIES)


@pytest.mark.parametrize("many", [False, True])
def test_search_page_query_budget(client, django_assert_num_queries, many):
    n = 12 if many else 1
    for _ in range(n):
        publish_article(languages=["fr", "en"], authors=3 if many else 1)
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get("/fr/search/", {"q": "paragraphe"})
    # Both versions carry the factory's French body; the page shows the best MAX_RESULTS.
    assert len(response.context["results"]) == min(2 * n, MAX_RESULTS)


def test_language_switcher_leads_to_the_same_article(client):
    _article, (english, french) = publish_article(languages=["en", "fr"])
    html = client.get(french.get_absolute_url()).content.decode()
    link = re.search(r'<a href="(/i18n/switch/\?[^"]+)" lang="en"', html).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response["Location"] == english.get_absolute_url()
    # Without an English version, the English interface shows the French text.
    _other, (lonely,) = publish_article(languages=["fr"])
    html = client.get(lonely.get_absolute_url()).content.decode()
    link = re.search(r'<a href="(/i18n/switch/\?[^"]+)" lang="en"', html).group(1).replace("&amp;", "&")
    assert client.get(link)["Location"] == f"/en/articles/fr/{lonely.slug}/"
