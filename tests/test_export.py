"""Markdown export: export_article writes every field; import_article reads the files back unchanged."""

import datetime
import io

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from articles import workflow
from articles.models import Article, Author, CommunityLink, Section, Tag, Translation
from tests import factories

pytestmark = pytest.mark.django_db


def article_state(article):
    """Every content field of an article and its versions, credits and thanks, without row ids."""
    section = article.section
    return {
        "article": {field: getattr(article, field) for field in (
            "key", "original_language", "original_title", "source_url", "source_outlet",
            "source_published_on", "rights_note", "source_version")},
        "section": (section.slug, section.names) if section else None,
        "tags": sorted(article.tags.values_list("name", flat=True)),
        "authors": [(c.author.name, c.author.kind, c.author.slug, c.author.bio, c.author.website,
                     c.author.social_links, c.author.languages)
                    for c in article.credits.order_by("position")],
        "acknowledgements": [(a.name, a.reasons, a.notes, a.author.name if a.author else None)
                             for a in article.acknowledgements.order_by("position")],
        "translations": [
            {
                **{field: getattr(v, field) for field in (
                    "language", "title", "slug", "standfirst", "body", "body_html", "word_count",
                    "status", "published_at", "source_version")},
                "translators": [(c.author.name, c.author.kind, c.author.slug, c.author.bio, c.author.website,
                                 c.author.social_links, c.author.languages)
                                for c in v.credits.order_by("position")],
            }
            for v in article.translations.order_by("language")
        ],
    }


def site_state():
    return {
        "articles": [article_state(a) for a in Article.objects.order_by("key")],
        "links": sorted(CommunityLink.objects.values_list("language", "label", "url", "position")),
    }


def wipe_content():
    """An empty content database, as a fresh site has."""
    Article.objects.all().delete()
    Author.objects.all().delete()
    Section.objects.all().delete()
    Tag.objects.all().delete()
    CommunityLink.objects.all().delete()


def export_all(tmp_path):
    call_command("export_article", "--all", "--output", str(tmp_path), stdout=io.StringIO())
    return sorted(tmp_path.glob("*.md"))


def import_files(paths):
    call_command("import_article", *map(str, paths), stdout=io.StringIO())


def round_trip(tmp_path):
    before = site_state()
    articles = list(Article.objects.order_by("key"))
    paths = []
    for article in articles:
        out = tmp_path / article.key
        call_command("export_article", article.key, "--output", str(out), stdout=io.StringIO())
        # Original first, as export_article_files orders them.
        original = out / f"{article.key}.{article.original_language}.md"
        paths += ([original] if original.exists() else []) + sorted(
            p for p in out.glob("*.md") if p != original)
    wipe_content()
    import_files(paths)
    return before, site_state()


@pytest.fixture
def multilingual(db):
    return build_multilingual()


def build_multilingual():
    """An English original with French, German and Spanish versions in four different states."""
    section = factories.SectionFactory(slug="essais", names={"en": "Essais"})
    article = factories.ArticleFactory(
        key="open-letter", original_language="en", original_title="An open letter",
        source_published_on=datetime.date(2025, 3, 2), rights_note="Translated with permission.",
        section=section,
    )
    article.tags.set([factories.TagFactory(name="IA"), factories.TagFactory(name="Éthique")])
    for position, (name, kind, bio) in enumerate([
        ("Ada Lovelace", Author.Kind.PERSON, "Mathematician."),
        ("TechFlow", Author.Kind.ORGANISATION, "Publication."),
    ]):
        factories.ArticleCreditFactory(
            article=article, position=position,
            author=factories.AuthorFactory(name=name, kind=kind, bio=bio, website="https://example.org/" + str(position)),
        )
    factories.AcknowledgementFactory(article=article, position=0, name="Grace Hopper",
                                     reasons={"fr": "pour la relecture", "en": "for proofreading"},
                                     notes={"en": "She found every bug."})
    factories.AcknowledgementFactory(article=article, position=1, name="Alan Turing",
                                     reasons={"en": "for the idea"}, notes={})
    body = ("First paragraph with *emphasis* and a [link](https://example.org/a).\n\n"
            "> A quotation: «guillemets» and “quotes”.\n\n- one\n- two\n\n```\ncode: yes\n```")
    original = factories.TranslationFactory(article=article, language="en", title="An open letter",
                                            standfirst="Why: a colon, # and 'quotes'.", body=body)
    workflow.publish_translation(original, at=timezone.now() - datetime.timedelta(days=3, microseconds=17))
    french = factories.TranslationFactory(article=article, language="fr", title="Une lettre ouverte : « oui »",
                                          standfirst="Chapeau\nsur deux lignes.", body="Bonjour.\n\nAu revoir.")
    factories.TranslationCreditFactory(translation=french, position=0,
                                       author=factories.AuthorFactory(name="Camille Martin", bio="Traductrice."))
    factories.TranslationCreditFactory(translation=french, position=1,
                                       author=factories.AuthorFactory(name="Jean Dupont"))
    workflow.schedule_translation(french, timezone.now() + datetime.timedelta(days=2))
    german = factories.TranslationFactory(article=article, language="de", title="Ein offener Brief",
                                          standfirst="", body="Hallo.")
    workflow.send_to_review(german)
    spanish = factories.TranslationFactory(article=article, language="es", title="Una carta abierta",
                                           body="Hola.")
    workflow.archive_translation(spanish)
    factories.CommunityLinkFactory(language="fr", label="Canal Telegram", url="https://t.me/techflow", position=0)
    factories.CommunityLinkFactory(language="en", label="Twitter", url="https://x.com/techflow", position=0)
    return article


def test_export_writes_every_field_in_front_matter(multilingual, tmp_path):
    out = io.StringIO()
    call_command("export_article", "open-letter", "--language", "fr", "--print", stdout=out)
    text = out.getvalue()
    assert text.startswith("---\n")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["key"] == "open-letter"
    assert meta["title"] == "Une lettre ouverte : « oui »"
    assert meta["status"] == "scheduled"
    assert meta["translators"][0]["name"] == "Camille Martin"
    assert [a["name"] for a in meta["authors"]] == ["Ada Lovelace", "TechFlow"]
    assert meta["acknowledgements"][0]["reasons"] == {"en": "for proofreading", "fr": "pour la relecture"}
    assert meta["community_links"] == [{"label": "Canal Telegram", "url": "https://t.me/techflow"}]
    assert meta["source_published_on"] == datetime.date(2025, 3, 2)
    assert text.endswith("Bonjour.\n\nAu revoir.\n")


def test_export_names_files_by_key_and_language(multilingual, tmp_path):
    paths = export_all(tmp_path)
    assert [p.name for p in paths] == [f"open-letter.{code}.md" for code in ("de", "en", "es", "fr")]


def test_markdown_round_trip_reproduces_generated_content(multilingual, tmp_path):
    before, after = round_trip(tmp_path)
    assert after == before
    assert Translation.objects.get(language="fr").status == Translation.Status.SCHEDULED


def test_markdown_round_trip_reproduces_the_seed_and_sample(sample, tmp_path):
    before, after = round_trip(tmp_path)
    assert len(before["articles"]) == 2
    assert after == before


def test_export_twice_gives_the_same_files(multilingual, tmp_path):
    first = {p.name: p.read_text() for p in export_all(tmp_path / "a")}
    second = {p.name: p.read_text() for p in export_all(tmp_path / "b")}
    assert first == second


def test_export_refuses_an_unknown_key(db):
    with pytest.raises(CommandError, match="No article has the key"):
        call_command("export_article", "nope", "--print", stdout=io.StringIO())


def test_staff_download_the_markdown_files_as_a_zip(client, multilingual, django_user_model, tmp_path):
    import zipfile

    url = "/exchange/articles/open-letter/markdown.zip"
    assert client.get(url).status_code == 302
    staff = django_user_model.objects.create_user("staff", password="pw-for-tests-only", is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw-for-tests-only"))
    response = client.get(url)
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    exported = {p.name: p.read_text() for p in export_all(tmp_path)}
    assert {name: archive.read(name).decode() for name in archive.namelist()} == exported
    assert client.get("/exchange/articles/nope/markdown.zip").status_code == 404


# Any text a writer may type, without control characters; fields are stored stripped.
_TEXT = st.text(st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1, max_size=60).map(
    str.strip).filter(bool)
_PARAGRAPH = st.lists(_TEXT, min_size=1, max_size=3).map("\n".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_TEXT, standfirst=st.one_of(st.just(""), _TEXT), paragraphs=st.lists(_PARAGRAPH, min_size=1, max_size=4),
       ack_name=_TEXT, reason=_TEXT, author=_TEXT)
def test_markdown_round_trip_of_generated_text(db, tmp_path, title, standfirst, paragraphs, ack_name, reason, author):
    wipe_content()
    article = factories.ArticleFactory(key="generated", original_language="fr", original_title=title, section=None)
    factories.ArticleCreditFactory(article=article, author=factories.AuthorFactory(name=author), position=0)
    factories.AcknowledgementFactory(article=article, name=ack_name, position=0, reasons={"fr": reason})
    factories.TranslationFactory(article=article, language="fr", title=title, standfirst=standfirst,
                                 body="\n\n".join(paragraphs))
    before, after = round_trip(tmp_path / "generated")
    assert after == before


def test_round_trip_keeps_what_only_the_database_knew(tmp_path, db):
    """Section names in every language, a version's own source version, thanks linked to someone
    not credited, people's links and languages, an archived version's publish time."""
    from django.utils import timezone

    from articles import workflow

    section = factories.SectionFactory(slug="essais", names={"fr": "Essais", "en": "Essays", "de": "Aufsätze"})
    article = factories.ArticleFactory(key="kept", section=section, original_language="en", source_version=3)
    writer = factories.AuthorFactory(name="Grace Hopper", social_links=["https://x.com/grace"], languages=[])
    factories.ArticleCreditFactory(article=article, author=writer, position=0)
    factories.TranslationFactory(article=article, language="en", title="Kept", body="One.", published=True,
                                 source_version=3)
    french = factories.TranslationFactory(article=article, language="fr", title="Gardé", body="Un.",
                                          published=True, source_version=2)
    translator = factories.AuthorFactory(name="Camille Martin", languages=["fr", "de"])
    factories.TranslationCreditFactory(translation=french, author=translator, position=0)
    german = factories.TranslationFactory(article=article, language="de", title="Bewahrt", body="Eins.",
                                          published=True, source_version=1)
    workflow.archive_translation(german)
    factories.AcknowledgementFactory(article=article, name="Ollie", position=0,
                                     author=factories.AuthorFactory(name="Oliver M."))
    before, after = round_trip(tmp_path)
    assert before["articles"][0]["translations"][0]["published_at"] is not None  # de, archived
    assert after == before
