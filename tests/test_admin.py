"""The editors' desk through its real URLs and forms, as an editor who is not a superuser."""

import datetime
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from articles.models import Acknowledgement, Article, ArticleCredit, Author, Translation
from tests import factories

pytestmark = pytest.mark.django_db

Status = Translation.Status
ARTICLES = "/en/admin/articles/article/"
TRANSLATIONS = "/en/admin/articles/translation/"


@pytest.fixture
def editor(db):
    user = factories.UserFactory(is_staff=True, username="edith")
    user.save()  # the factory sets the password after its save
    user.groups.add(Group.objects.get(name="Editor"))
    assert not user.is_superuser
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def article_form(**overrides):
    data = {
        "original_title": "On Building Tools", "key": "on-building-tools", "original_language": "en",
        "section": "", "source_url": "https://example.org/tools", "source_outlet": "Example Blog",
        "source_published_on": "2025-01-05", "rights_note": "Translated with permission.",
        "source_version": "1",
        **management("credits", 0), **management("acknowledgements", 0), **management("translations", 0),
    }
    data.update(overrides)
    return data


# --- One save of the article page ------------------------------------------------------------------

def test_add_page_offers_inlines_and_the_add_another_author_popup(editor_client):
    response = editor_client.get(f"{ARTICLES}add/")
    assert response.status_code == 200
    html = response.content.decode()
    for prefix in ("credits", "acknowledgements", "translations"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html
    # The "+" next to an author opens the author form in a popup window.
    assert re.search(r'id="add_id_credits-0-author"[^>]*href="/en/admin/articles/author/add/\?[^"]*_popup=1', html)


def test_editor_creates_article_with_two_authors_a_translation_and_two_acknowledgements_in_one_save(
    editor_client, editor
):
    sam, ada = factories.AuthorFactory(name="Sam Writer"), factories.AuthorFactory(name="Ada Coauthor")
    section = factories.SectionFactory()
    data = article_form(section=str(section.pk), **{
        **management("credits", 2),
        "credits-0-order": "1", "credits-0-author": str(sam.pk),
        "credits-1-order": "2", "credits-1-author": str(ada.pk),
        **management("acknowledgements", 2),
        "acknowledgements-0-order": "1", "acknowledgements-0-name": "Josh Helper",
        "acknowledgements-0-author": "", "acknowledgements-0-reasons": '{"fr": "pour l’inspiration"}',
        "acknowledgements-0-notes": "{}",
        "acknowledgements-1-order": "2", "acknowledgements-1-name": "Ollie Friend",
        "acknowledgements-1-author": "", "acknowledgements-1-reasons": '{"en": "for the support"}',
        "acknowledgements-1-notes": "{}",
        **management("translations", 1),
        "translations-0-language": "fr", "translations-0-title": "Construire des outils",
    })
    response = editor_client.post(f"{ARTICLES}add/", data)
    assert response.status_code == 302, response.context and response.context["errors"]

    article = Article.objects.get(key="on-building-tools")
    assert article.section == section and article.source_outlet == "Example Blog"
    assert article.rights_note == "Translated with permission."
    assert [c.author.name for c in article.credits.all()] == ["Sam Writer", "Ada Coauthor"]
    assert [c.position for c in article.credits.all()] == [0, 1]
    acks = list(article.acknowledgements.all())
    assert [(a.name, a.position) for a in acks] == [("Josh Helper", 0), ("Ollie Friend", 1)]
    assert acks[0].reasons == {"fr": "pour l’inspiration"}
    version = article.translations.get()
    assert (version.language, version.title, version.status) == ("fr", "Construire des outils", Status.DRAFT)
    assert version.source_version == article.source_version
    entry = LogEntry.objects.get(object_id=str(article.pk), content_type__model="article")
    assert entry.user == editor and entry.is_addition()


def test_credit_order_numbers_reorder_and_swap_authors(editor_client):
    article = factories.ArticleFactory(key="swap")
    first = factories.ArticleCreditFactory(article=article, position=0, author__name="First")
    second = factories.ArticleCreditFactory(article=article, position=1, author__name="Second")
    data = article_form(key="swap", original_title=article.original_title, **{
        **management("credits", 2, initial=2),
        "credits-0-id": str(first.pk), "credits-0-article": str(article.pk), "credits-0-order": "2",
        "credits-0-author": str(first.author_id),
        "credits-1-id": str(second.pk), "credits-1-article": str(article.pk), "credits-1-order": "1",
        "credits-1-author": str(second.author_id),
    })
    response = editor_client.post(f"{ARTICLES}{article.pk}/change/", data)
    assert response.status_code == 302
    assert [a.name for a in Article.objects.get(pk=article.pk).ordered_authors()] == ["Second", "First"]


def test_duplicate_author_in_one_byline_is_refused_and_typed_values_kept(editor_client):
    sam = factories.AuthorFactory(name="Sam Twice")
    data = article_form(original_title="Typed title", **{
        **management("credits", 2),
        "credits-0-order": "1", "credits-0-author": str(sam.pk),
        "credits-1-order": "2", "credits-1-author": str(sam.pk),
    })
    response = editor_client.post(f"{ARTICLES}add/", data)
    assert response.status_code == 200
    assert "Typed title" in response.content.decode()
    assert not Article.objects.exists()


def test_author_is_created_from_the_popup_without_leaving_the_article(editor_client):
    response = editor_client.post(
        "/en/admin/articles/author/add/?_to_field=id&_popup=1",
        {"name": "New Person", "slug": "new-person", "kind": "person", "bio": "", "website": "",
         "social_links": "[]", "languages": "[]", "_popup": "1", "_to_field": "id"},
    )
    assert response.status_code == 200
    author = Author.objects.get(name="New Person")
    # The popup answers with the new id for the opener's select box, then closes.
    assert "popup_response" in response.content.decode()
    assert f"&quot;value&quot;: &quot;{author.pk}&quot;" in response.content.decode()


# --- Change lists: filters, search, columns, query counts ------------------------------------------

@pytest.fixture
def library(db):
    """Three articles with distinct sections, people, languages and states."""
    science, culture = factories.SectionFactory(slug="science"), factories.SectionFactory(slug="culture")
    a = factories.ArticleFactory(key="alpha", original_title="Alpha essay", section=science, source_version=2)
    factories.ArticleCreditFactory(article=a, author=factories.AuthorFactory(name="Alice Author"))
    fr = factories.TranslationFactory(article=a, language="fr", title="Essai alpha", published=True,
                                      source_version=1, body="Le mot zeugma est ici.")
    factories.TranslationCreditFactory(translation=fr, author=factories.AuthorFactory(name="Tom Translator"))
    factories.AcknowledgementFactory(article=a, name="Gus Thanked")
    b = factories.ArticleFactory(key="beta", original_title="Beta essay", section=culture)
    factories.ArticleCreditFactory(article=b, author=factories.AuthorFactory(name="Bob Author"))
    factories.TranslationFactory(article=b, language="de", title="Beta Aufsatz", standfirst="Ein Vorspann.")
    c = factories.ArticleFactory(key="gamma", original_title="Gamma essay", section=culture)
    factories.TranslationFactory(article=c, language="en", title="Gamma essay", status=Status.IN_REVIEW)
    return {"alpha": a, "beta": b, "gamma": c, "science": science, "fr": fr}


def listed(response):
    return {obj.pk for obj in response.context["cl"].result_list}


@pytest.mark.parametrize("query, expected", [
    ("section__id__exact={science}", {"alpha"}),
    ("language=de", {"beta"}),
    ("status=published", {"alpha"}),
    ("status=in_review", {"gamma"}),
    ("author={alice}", {"alpha"}),
    ("translator={tom}", {"alpha"}),
    ("outdated=yes", {"alpha"}),
    ("outdated=no", {"beta", "gamma"}),
    ("q=zeugma", {"alpha"}),
    ("q=Vorspann", {"beta"}),
    ("q=Tom+Translator", {"alpha"}),
    ("q=Gus+Thanked", {"alpha"}),
    ("q=Bob", {"beta"}),
    ("q=amm", {"gamma"}),
    ("q=alpha+Alice", {"alpha"}),
    ("q=alpha+Bob", set()),
])
def test_article_change_list_filters_and_search(editor_client, library, query, expected):
    query = query.format(
        science=library["science"].pk, alice=Author.objects.get(name="Alice Author").pk,
        tom=Author.objects.get(name="Tom Translator").pk,
    )
    response = editor_client.get(f"{ARTICLES}?{query}")
    assert response.status_code == 200
    assert listed(response) == {library[key].pk for key in expected}


@pytest.mark.parametrize("query, expected", [
    ("status__exact=published", {"Essai alpha"}),
    ("language__exact=de", {"Beta Aufsatz"}),
    ("outdated=yes", {"Essai alpha"}),
    ("translator={tom}", {"Essai alpha"}),
    ("author={bob}", {"Beta Aufsatz"}),
    ("article__section__id__exact={science}", {"Essai alpha"}),
    ("q=Vorspann", {"Beta Aufsatz"}),
    ("q=zeugma", {"Essai alpha"}),
    ("q=Tom+Translator", {"Essai alpha"}),
])
def test_translation_change_list_filters_and_search(editor_client, library, query, expected):
    query = query.format(
        science=library["science"].pk, bob=Author.objects.get(name="Bob Author").pk,
        tom=Author.objects.get(name="Tom Translator").pk,
    )
    response = editor_client.get(f"{TRANSLATIONS}?{query}")
    assert response.status_code == 200
    assert {t.title for t in response.context["cl"].result_list} == expected


def test_change_lists_show_languages_people_last_change_and_who(editor_client, library, editor):
    alpha = library["alpha"]
    saved = editor_client.post(f"{ARTICLES}{alpha.pk}/change/", article_form(
        key="alpha", original_title="Alpha essay", section=str(library["science"].pk), source_version="2",
    ))
    assert saved.status_code == 302
    html = editor_client.get(ARTICLES).content.decode()
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Alpha essay(?:(?!</tr>).)*</tr>", html, re.S).group(0)
    assert "<strong>fr</strong>" in row and "Alice Author" in row and "edith" in row
    year = timezone.localtime().year
    assert f"?created_at__year={year}" in html  # the date hierarchy
    html = editor_client.get(TRANSLATIONS).content.decode()
    assert "Tom Translator" in html and f"?published_at__year={year}" in html


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def _add_articles(count, offset):
    for n in range(count):
        article = factories.ArticleFactory(key=f"bulk-{offset}-{n}")
        factories.ArticleCreditFactory(article=article)
        for language in ("fr", "de"):
            version = factories.TranslationFactory(article=article, language=language)
            factories.TranslationCreditFactory(translation=version)
        factories.AcknowledgementFactory(article=article)


@pytest.mark.parametrize("url", [ARTICLES, TRANSLATIONS, f"{ARTICLES}?q=Essai", f"{TRANSLATIONS}?outdated=no"])
def test_change_list_query_count_does_not_grow_with_rows(editor_client, url):
    _add_articles(1, 0)
    editor_client.get(url)  # warm per-process caches (content types)
    few, response = _count_queries(editor_client, url)
    assert response.context["cl"].result_count >= 1
    _add_articles(30, 1)
    many, response = _count_queries(editor_client, url)
    assert response.context["cl"].result_count >= 31
    assert many == few


# The translation change list answers in a fixed number of queries: session, user, the editor's
# permissions (2), sections, authors, translators, count, page, translators' credits and
# names, then the date hierarchy's bounds and months (one fewer when nothing matches).
@pytest.mark.parametrize("query, expected", [
    ("", 13),
    ("?status__exact=draft&language__exact=fr", 13),
    ("?q=Essai", 13),
    ("?translator=0", 11),
])
def test_translation_change_list_makes_a_fixed_number_of_queries(editor_client, query, expected):
    _add_articles(1, 0)
    editor_client.get(TRANSLATIONS + query)
    few, _response = _count_queries(editor_client, TRANSLATIONS + query)
    _add_articles(60, 1)
    many, response = _count_queries(editor_client, TRANSLATIONS + query)
    assert few == many == expected
    if query != "?translator=0":
        assert len(response.context["cl"].result_list) == 25  # a page: the rest is on the next ones


def test_translation_change_list_search_needs_every_word_somewhere(editor_client, library):
    def found(q):
        return {t.title for t in editor_client.get(TRANSLATIONS, {"q": q}).context["cl"].result_list}

    assert found("Aufs") == {"Beta Aufsatz"}  # part of a title
    assert found("Alpha Tom") == {"Essai alpha"}  # original title and translator, in two words
    assert found("Alice") == {"Essai alpha"}  # the article's author
    assert found("zeugma Bob") == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL matches the body by its words")
def test_translation_change_list_finds_body_words_in_any_form_on_postgres(editor_client, library):
    found = {t.title for t in editor_client.get(TRANSLATIONS, {"q": "mots"}).context["cl"].result_list}
    assert found == {"Essai alpha"}  # "Le mot zeugma est ici.": French stemming
    assert not editor_client.get(TRANSLATIONS, {"q": "zeug"}).context["cl"].result_list


# --- Actions -----------------------------------------------------------------------------------------

def act(client, action, versions, **extra):
    return client.post(TRANSLATIONS, {
        "action": action, "_selected_action": [str(v.pk) for v in versions], "index": "0", **extra,
    }, follow=True)


def test_publish_now_publishes_and_says_so(editor_client, editor):
    version = factories.TranslationFactory(title="Prêt")
    response = act(editor_client, "publish_now", [version])
    version.refresh_from_db()
    assert version.status == Status.PUBLISHED and version.published_at <= timezone.now()
    assert any("Published “Prêt” (fr)" in m for m in messages_of(response))
    entry = LogEntry.objects.get(object_id=str(version.pk), content_type__model="translation")
    assert entry.user == editor and entry.get_change_message() == "Published."


def test_publish_refuses_an_empty_translation_with_a_message(editor_client):
    empty = factories.TranslationFactory(title="Vide", body="")
    ready = factories.TranslationFactory(title="Plein")
    response = act(editor_client, "publish_now", [empty, ready])
    empty.refresh_from_db(), ready.refresh_from_db()
    assert empty.status == Status.DRAFT and ready.status == Status.PUBLISHED
    texts = messages_of(response)
    assert any("“Vide” cannot be published" in m for m in texts)
    assert any("Published “Plein”" in m for m in texts)


def test_publish_refuses_what_is_already_published(editor_client):
    version = factories.TranslationFactory(title="Déjà", published=True)
    before = version.published_at
    response = act(editor_client, "publish_now", [version])
    version.refresh_from_db()
    assert version.published_at == before
    assert any("already published" in m for m in messages_of(response))


def test_schedule_asks_for_a_time_then_schedules(editor_client):
    version = factories.TranslationFactory(title="Plus tard")
    page = editor_client.post(TRANSLATIONS, {"action": "schedule", "_selected_action": [str(version.pk)], "index": "0"})
    assert page.status_code == 200 and 'name="publish_at"' in page.content.decode()
    version.refresh_from_db()
    assert version.status == Status.DRAFT
    when = timezone.localtime() + datetime.timedelta(days=2)
    response = act(editor_client, "schedule", [version], apply="1", publish_at=when.strftime("%Y-%m-%dT%H:%M"))
    version.refresh_from_db()
    assert version.status == Status.SCHEDULED
    assert version.published_at == when.replace(second=0, microsecond=0)
    assert any("Scheduled “Plus tard”" in m for m in messages_of(response))
    # Readers do not see it yet; the site shows it from that time on with no job to run.
    assert editor_client.get(version.get_absolute_url()).status_code == 200  # editors get the preview
    assert not version.is_visible() and version.is_visible(at=when + datetime.timedelta(minutes=1))


def test_schedule_refuses_a_past_time_and_keeps_the_page(editor_client):
    version = factories.TranslationFactory()
    past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = act(editor_client, "schedule", [version], apply="1", publish_at=past)
    assert "Choose a time in the future." in response.content.decode()
    assert past in response.content.decode()
    version.refresh_from_db()
    assert version.status == Status.DRAFT


def test_schedule_refuses_a_published_translation(editor_client):
    version = factories.TranslationFactory(title="En ligne", published=True)
    when = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = act(editor_client, "schedule", [version], apply="1", publish_at=when)
    version.refresh_from_db()
    assert version.status == Status.PUBLISHED
    assert any("unpublish it first" in m for m in messages_of(response))


def test_unpublish_returns_to_draft_and_refuses_a_draft(editor_client):
    live = factories.TranslationFactory(title="Live", published=True)
    draft = factories.TranslationFactory(title="Brouillon")
    response = act(editor_client, "unpublish", [live, draft])
    live.refresh_from_db()
    assert live.status == Status.DRAFT and live.published_at is None
    texts = messages_of(response)
    assert any("Unpublished “Live”" in m for m in texts)
    assert any("“Brouillon” is not published" in m for m in texts)
    assert editor_client.get("/en/").status_code == 200


def test_archive_archives_and_refuses_twice(editor_client):
    version = factories.TranslationFactory(title="Vieux", published=True)
    act(editor_client, "archive", [version])
    version.refresh_from_db()
    assert version.status == Status.ARCHIVED
    response = act(editor_client, "archive", [version])
    assert any("already archived" in m for m in messages_of(response))


def test_duplicate_makes_a_draft_in_the_chosen_language(editor_client):
    source = factories.TranslationFactory(title="Source FR", published=True, source_version=1)
    page = editor_client.post(TRANSLATIONS, {"action": "duplicate", "_selected_action": [str(source.pk)], "index": "0"})
    assert 'name="language"' in page.content.decode()
    response = act(editor_client, "duplicate", [source], apply="1", language="de")
    copy = Translation.objects.get(article=source.article, language="de")
    assert copy.status == Status.DRAFT and copy.body == source.body and copy.title == source.title
    assert copy.slug and copy.pk != source.pk
    assert any("Made a de draft" in m for m in messages_of(response))
    assert LogEntry.objects.get(object_id=str(copy.pk), content_type__model="translation").is_addition()


def test_duplicate_refuses_a_language_the_article_has(editor_client):
    source = factories.TranslationFactory(title="Source")
    factories.TranslationFactory(article=source.article, language="de")
    response = act(editor_client, "duplicate", [source], apply="1", language="de")
    assert Translation.objects.filter(article=source.article, language="de").count() == 1
    assert any("already has a version in de" in m for m in messages_of(response))


def test_actions_work_from_the_translation_page_too(editor_client):
    version = factories.TranslationFactory(title="Depuis la page")
    url = f"{TRANSLATIONS}{version.pk}/change/"
    response = editor_client.post(url, {
        "CHANGE_FORM-action": "publish_now", "_selected_action": str(version.pk),
    }, follow=True)
    version.refresh_from_db()
    assert version.status == Status.PUBLISHED
    assert any("Published “Depuis la page”" in m for m in messages_of(response))


def test_staff_without_the_publish_right_cannot_publish(client):
    writer = factories.UserFactory(is_staff=True)
    writer.save()
    writer.user_permissions.add(*Permission.objects.filter(
        codename__in=["view_translation", "change_translation"]
    ))
    client.force_login(writer)
    version = factories.TranslationFactory()
    listing = client.get(TRANSLATIONS).content.decode()
    assert 'value="publish_now"' not in listing
    act(client, "publish_now", [version])
    version.refresh_from_db()
    assert version.status == Status.DRAFT


# --- The translation page: editor, preview, history ---------------------------------------------------

def test_translation_page_uses_the_markdownx_editor_with_the_project_preview(editor_client):
    version = factories.TranslationFactory()
    html = editor_client.get(f"{TRANSLATIONS}{version.pk}/change/").content.decode()
    assert 'class="markdownx"' in html and "markdownx-preview" in html
    assert 'data-markdownx-urls-path="/markdownx/markdownify/"' in html
    assert 'data-markdownx-upload-urls-path="/markdownx/upload/"' in html
    assert "markdownx/js/markdownx" in html
    preview = editor_client.post("/markdownx/markdownify/", {
        "content": "**bold** <script>alert(1)</script> [x](javascript:alert(1))",
    })
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "<strong>bold</strong>" in body and "<script>" not in body and 'href="javascript' not in body


def test_markdownify_refuses_anonymous_and_translators(client):
    assert client.post("/markdownx/markdownify/", {"content": "x"}).status_code == 302
    translator = factories.UserFactory()
    translator.save()
    translator.groups.add(Group.objects.get(name="Translator"))
    client.force_login(translator)
    assert client.post("/markdownx/markdownify/", {"content": "x"}).status_code == 403


def test_draft_offers_a_preview_through_the_public_templates(editor_client):
    version = factories.TranslationFactory(title="Brouillon visible")
    html = editor_client.get(f"{TRANSLATIONS}{version.pk}/change/").content.decode()
    link = re.search(r'<a href="([^"]+)" class="viewsitelink"[^>]*>Preview<', html).group(1)
    page = editor_client.get(link, follow=True)
    assert page.redirect_chain[-1][0].endswith(version.get_absolute_url())
    assert page.status_code == 200 and page.context["is_preview"]
    assert "Brouillon visible" in page.content.decode()


def test_published_translation_offers_view_on_site(editor_client):
    version = factories.TranslationFactory(published=True)
    html = editor_client.get(f"{TRANSLATIONS}{version.pk}/change/").content.decode()
    link = re.search(r'<a href="([^"]+)" class="viewsitelink"[^>]*>View on site<', html).group(1)
    assert editor_client.get(link, follow=True).redirect_chain[-1][0].endswith(version.get_absolute_url())
    listing = editor_client.get(TRANSLATIONS).content.decode()
    assert ">View on site<" in listing


def translation_form(version, **overrides):
    data = {
        "article": str(version.article_id), "language": version.language, "title": version.title,
        "slug": version.slug, "standfirst": version.standfirst, "body": version.body,
        "source_version": str(version.source_version), "is_open_for_translation": "",
        **management("credits", 0),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_editing_a_translation_records_who_and_what_in_history(editor_client, editor):
    version = factories.TranslationFactory(title="Avant")
    translator = factories.AuthorFactory(name="Tina Translator")
    response = editor_client.post(f"{TRANSLATIONS}{version.pk}/change/", translation_form(
        version, title="Après", **management("credits", 1), **{"credits-0-order": "1", "credits-0-author": str(translator.pk)},
    ))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.title == "Après" and version.ordered_translators() == [translator]
    history = editor_client.get(f"{TRANSLATIONS}{version.pk}/history/").content.decode()
    assert "edith" in history
    assert "Changed Title." in history or "Changed title." in history
    assert "Added translator credit" in history


def test_translation_page_lists_its_revisions(editor_client, editor):
    from articles.models import TranslationRevision

    version = factories.TranslationFactory()
    TranslationRevision.objects.create(
        translation=version, number=1, author=editor, title="t", body="b", source_version=1,
    )
    html = editor_client.get(f"{TRANSLATIONS}{version.pk}/change/").content.decode()
    assert "r1 · Submitted · edith" in html


def test_add_translation_is_prefilled_from_the_matrix_link(editor_client):
    article = factories.ArticleFactory(source_version=3)
    response = editor_client.get(f"{TRANSLATIONS}add/?article={article.pk}&language=de")
    form = response.context["adminform"].form
    assert str(form.initial["article"]) == str(article.pk) and form.initial["language"] == "de"
    assert form.initial["source_version"] == 3


def test_article_page_shows_translations_with_status_and_read_only_translators(editor_client, library):
    html = editor_client.get(f"{ARTICLES}{library['alpha'].pk}/change/").content.decode()
    assert "Tom Translator" in html and "edit translators" in html
    assert f"/en/admin/articles/translation/{library['fr'].pk}/change/#credits-group" in html
    assert "Published · <strong>outdated</strong>" in html


# --- Languages --------------------------------------------------------------------------------------

def test_admin_speaks_french_and_english(editor_client):
    french = editor_client.get("/fr/admin/articles/article/").content.decode()
    english = editor_client.get("/en/admin/articles/article/").content.decode()
    with translation.override("fr"):
        matrix, paste = gettext("Status matrix"), gettext("Paste and import")
    assert matrix != "Status matrix" and paste != "Paste and import"
    assert 'lang="fr"' in french and matrix in french and paste in french and "Ajouter" in french
    assert 'lang="en"' in english and "Status matrix" in english and "Paste and import" in english
    assert matrix not in english


def test_remaining_models_have_admin_pages(editor_client):
    for model in ("author", "section", "tag", "acknowledgement", "communitylink"):
        assert editor_client.get(f"/en/admin/articles/{model}/").status_code == 200
        assert editor_client.get(f"/en/admin/articles/{model}/add/").status_code == 200


def test_acknowledgements_keep_their_order(editor_client):
    article = factories.ArticleFactory()
    for position, name in enumerate(["Zed", "Amy"]):
        factories.AcknowledgementFactory(article=article, name=name, position=position)
    assert [a.name for a in Acknowledgement.objects.filter(article=article)] == ["Zed", "Amy"]
    html = editor_client.get(f"{ARTICLES}{article.pk}/change/").content.decode()
    assert html.index('value="Zed"') < html.index('value="Amy"')
    assert ArticleCredit.objects.count() == 0


def test_admin_home_leads_to_the_matrix_and_the_import_page(editor_client):
    html = editor_client.get("/en/admin/").content.decode()
    desk = re.search(r'<div class="module" id="editors-desk">.*?</div>', html, re.S).group(0)
    assert 'href="/en/admin/articles/article/matrix/"' in desk
    assert 'href="/en/admin/articles/article/import/"' in desk


@pytest.mark.parametrize("accept, prefix", [("en-GB,en;q=0.9", "/en/"), ("fr-FR,fr;q=0.9", "/fr/")])
def test_admin_follows_the_users_language(editor_client, accept, prefix):
    response = editor_client.get("/admin/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302 and response["Location"] == f"{prefix}admin/"
