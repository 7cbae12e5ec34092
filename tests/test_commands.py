"""The management commands: import_article (every shape it reads), load_sample, create_local_editor."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import translation

from articles.models import (
    Acknowledgement, Article, ArticleCredit, Author, CommunityLink, Section, Translation,
    TranslationCredit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # The messages asserted here are the English msgids; the commands speak the active language.
    with translation.override("en"):
        yield

MODELS = (Article, Translation, Author, ArticleCredit, TranslationCredit, Acknowledgement, CommunityLink, Section)


def snapshot():
    """Every row of every content table, to prove that nothing changed."""
    return {model.__name__: sorted(map(str, model.objects.values())) for model in MODELS}


def dry_run(path, *args):
    out = io.StringIO()
    call_command("import_article", str(path), "--dry-run", *args, stdout=out)
    return json.loads(out.getvalue())


def write(tmp_path, text, name="article.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(path, *args):
    out = io.StringIO()
    call_command("import_article", str(path), *args, stdout=out)
    return out.getvalue()


# --- The seed -------------------------------------------------------------------------------------

def test_dry_run_recognises_the_seed(seed_path):
    report = dry_run(seed_path)
    assert set(report) == {"title", "language", "section", "standfirst", "authors", "translators",
                           "acknowledgements", "community_links", "paragraphs", "warnings"}
    assert report["title"].startswith("Sam Altman : aveux et perspectives pour la nouvelle année")
    assert report["language"] == "fr"
    assert report["section"] == "TechFlow Sélection"
    assert report["standfirst"].startswith("Mettre progressivement entre les mains des gens")
    assert report["authors"] == ["Sam Altman"]
    assert report["translators"] == ["TechFlow"]
    assert report["acknowledgements"] == [{"name": "Josh Tyrangiel", "reason": "pour l’inspiration"}]
    assert report["community_links"] == [
        {"label": "Groupe Telegram", "url": "https://t.me/TechFlowDaily"},
        {"label": "Compte Twitter officiel", "url": "https://x.com/TechFlowPost"},
        {"label": "Compte Twitter anglais", "url": "https://x.com/BlockFlow_News"},
    ]
    # 45 non-blank lines: 6 of header, 4 of footer, 1 thanks line.
    assert report["paragraphs"] == 34
    assert report["warnings"] == []


def test_dry_run_writes_nothing(seed_path):
    before = snapshot()
    dry_run(seed_path)
    assert snapshot() == before


def test_import_writes_the_seed(seed_path):
    run(seed_path, "--publish")
    version = Translation.objects.get(language="fr")
    assert version.status == Translation.Status.PUBLISHED and version.published_at
    assert version.article.section.names == {"fr": "TechFlow Sélection"}
    assert [a.name for a in version.article.ordered_authors()] == ["Sam Altman"]
    assert [a.name for a in version.ordered_translators()] == ["TechFlow"]
    assert Author.objects.get(name="TechFlow").kind == Author.Kind.ORGANISATION
    ack = Acknowledgement.objects.get()
    assert ack.name == "Josh Tyrangiel"
    assert ack.reasons == {"fr": "pour l’inspiration"}
    assert ack.notes == {"fr": "J’aurais aimé que nous ayons plus de temps pour échanger."}
    assert "Josh Tyrangiel" not in version.body  # the thanks moved out of the body, not lost
    assert version.body.count("\n\n") == 33
    assert CommunityLink.objects.filter(language="fr").count() == 3


def test_reimport_updates_the_same_records(seed_path):
    run(seed_path, "--publish")
    first = snapshot()
    ids = (Article.objects.get().pk, Translation.objects.get().pk)
    run(seed_path, "--publish")
    run(seed_path)
    assert (Article.objects.get().pk, Translation.objects.get().pk) == ids
    second = snapshot()
    for name in first:
        # Only timestamps may move; no row is added or duplicated.
        assert len(second[name]) == len(first[name]), name


# --- Other languages and shapes --------------------------------------------------------------------

ENGLISH = """The Long Road to Agents
A standfirst that sets the scene for the essay.
By Jane Doe and John Roe (The Atlantic)
Translated by TechFlow

First paragraph of a fairly ordinary essay about software and people, long enough to read.

Second paragraph, which continues the argument with more words about machines and society.

Thanks to Ada Lovelace for the early comments.
"""


def test_english_shape(tmp_path):
    report = dry_run(write(tmp_path, ENGLISH))
    assert report["language"] == "en"
    assert report["title"] == "The Long Road to Agents"
    assert report["standfirst"] == "A standfirst that sets the scene for the essay."
    assert report["authors"] == ["Jane Doe", "John Roe"]
    assert report["translators"] == ["TechFlow"]
    assert report["acknowledgements"] == [{"name": "Ada Lovelace", "reason": "for the early comments"}]
    assert report["paragraphs"] == 2


def test_name_followed_by_outlet_records_the_outlet(tmp_path):
    run(write(tmp_path, ENGLISH))
    assert Article.objects.get().source_outlet == "The Atlantic"
    assert not Author.objects.filter(name__contains="Atlantic").exists()


SPANISH = """Autor: María García
Traducción: Pedro López, Ana Ruiz

El futuro de la traducción
Primer párrafo del ensayo, que habla de la tecnología y de las personas que la usan cada día.
Segundo párrafo del ensayo, con más palabras sobre la sociedad y las máquinas del futuro.
Gracias a Lucía Torres por la revisión.
"""


def test_spanish_with_credits_before_the_title(tmp_path):
    report = dry_run(write(tmp_path, SPANISH))
    assert report["language"] == "es"
    assert report["title"] == "El futuro de la traducción"
    assert report["standfirst"] == ""  # unsure, so it stays in the body
    assert report["authors"] == ["María García"]
    assert report["translators"] == ["Pedro López", "Ana Ruiz"]
    assert report["acknowledgements"] == [{"name": "Lucía Torres", "reason": "por la revisión"}]
    assert report["paragraphs"] == 2


GERMAN = """Die Zukunft der Arbeit
Autor: Max Mustermann
Übersetzung: Erika Musterfrau

Der erste Absatz dieses Aufsatzes handelt von Arbeit, Technik und den Menschen, die sie gestalten.
Der zweite Absatz setzt den Gedanken fort und spricht über Maschinen und die Gesellschaft von morgen.
"""


def test_german_without_standfirst(tmp_path):
    report = dry_run(write(tmp_path, GERMAN))
    assert report["language"] == "de"
    assert report["title"] == "Die Zukunft der Arbeit"
    assert report["standfirst"] == ""
    assert report["authors"] == ["Max Mustermann"]
    assert report["translators"] == ["Erika Musterfrau"]
    assert report["paragraphs"] == 2


CHINESE = """萨姆·奥尔特曼：新年的反思
原文作者：Sam Altman
编译：深潮 TechFlow

距离 ChatGPT 两周年已经过去一个多月，我们已经进入了模型能够进行复杂推理的新时代。
新年让人反思，我想借此机会分享一些个人想法，以及一路上学到的一些经验。
感谢 Josh Tyrangiel 的启发。
欢迎加入深潮 TechFlow 官方社区
Telegram 订阅群：https://t.me/TechFlowDaily
Twitter 官方账号：https://x.com/TechFlowPost
"""


def test_chinese_with_full_width_colons(tmp_path):
    report = dry_run(write(tmp_path, CHINESE))
    assert report["language"] == "zh-hans"
    assert report["title"] == "萨姆·奥尔特曼：新年的反思"
    assert report["authors"] == ["Sam Altman"]
    assert report["translators"] == ["深潮 TechFlow"]
    assert report["acknowledgements"] == [{"name": "Josh Tyrangiel", "reason": "的启发"}]
    assert len(report["community_links"]) == 2
    assert report["paragraphs"] == 2


CHROME = """Accueil > Traductions
Un titre entouré de bruit
Auteur : Jeanne Dupont
Traduction : TechFlow

Un premier paragraphe écrit en français, assez long pour que la langue se reconnaisse sans peine.
Un second paragraphe, également en français, qui poursuit la réflexion sur les outils et les gens.
Partager
© 2025 TechFlow. Tous droits réservés.
"""


def test_site_chrome_is_dropped_and_reported(tmp_path):
    report = dry_run(write(tmp_path, CHROME))
    assert report["title"] == "Un titre entouré de bruit"
    assert report["paragraphs"] == 2
    assert len(report["warnings"]) == 3
    assert any("Partager" in w for w in report["warnings"])


WRAPPED = """A Hard-Wrapped Essay
Author: Grace Hopper

This first paragraph was written in an editor
that wraps its lines at a fixed width, so one
paragraph spans several lines of the file

And this second paragraph does the same, with
a few more words about compilers and people
"""


def test_hard_wrapped_paragraphs_are_joined(tmp_path):
    report = dry_run(write(tmp_path, WRAPPED))
    assert report["paragraphs"] == 2


def test_narrative_thanks_is_not_taken_for_an_acknowledgement(tmp_path):
    text = ENGLISH.replace(
        "Thanks to Ada Lovelace for the early comments.",
        "Thanks to our translators for their patience, the essay now reads well in French.",
    )
    report = dry_run(write(tmp_path, text))
    assert report["acknowledgements"] == []
    assert report["paragraphs"] == 3


def test_language_option_overrides_detection(tmp_path):
    assert dry_run(write(tmp_path, ENGLISH), "--language", "fr")["language"] == "fr"


def test_section_option(tmp_path):
    assert dry_run(write(tmp_path, ENGLISH), "--section", "Essais")["section"] == "Essais"


# --- Front matter ---------------------------------------------------------------------------------

FRONT_MATTER = """---
key: demo-key
language: en
title: "The Stated Title"
section: Essays
authors:
  - {name: Jane Doe, kind: person, website: "https://jane.example.org"}
translators: []
original_language: en
source_url: "https://example.org/original"
source_outlet: Example Blog
source_published_on: 2025-01-05
tags: [AI, Work]
status: published
published_at: 2025-01-06T10:00:00+00:00
acknowledgements:
  - {name: Ada Lovelace, reason: "for the idea", reasons: {fr: "pour l'idée"}}
---
# A heading the text would suggest as a title

Body paragraph one, in **Markdown**.

Body paragraph two.
"""


def test_front_matter_wins_over_the_text(tmp_path):
    run(write(tmp_path, FRONT_MATTER, "a.md"))
    version = Translation.objects.get()
    article = version.article
    assert version.title == "The Stated Title"
    assert article.key == "demo-key" and article.source_outlet == "Example Blog"
    assert str(article.source_published_on) == "2025-01-05"
    assert sorted(t.name for t in article.tags.all()) == ["AI", "Work"]
    assert version.status == "published" and version.published_at.year == 2025
    assert Author.objects.get(name="Jane Doe").website == "https://jane.example.org"
    assert Acknowledgement.objects.get().reasons == {"en": "for the idea", "fr": "pour l'idée"}
    assert "<strong>Markdown</strong>" in version.body_html
    # A stated title means the text is all body, kept exactly as written.
    assert version.body.startswith("# A heading the text would suggest as a title\n\nBody paragraph one")


def test_front_matter_without_title_lets_the_text_speak(tmp_path):
    text = "---\nlanguage: en\nsection: Essays\n---\n" + ENGLISH
    report = dry_run(write(tmp_path, text, "b.md"))
    assert report["title"] == "The Long Road to Agents" and report["section"] == "Essays"
    assert report["authors"] == ["Jane Doe", "John Roe"]


# --- Bad files change nothing ---------------------------------------------------------------------

BAD_FILES = {
    "empty.txt": ("", "no text"),
    "binary.txt": ("\x00\x01\x02 binary", "not a text file"),
    "yaml.md": ("---\ntitle: [unclosed\n---\nBody", "line 2"),
    "list.md": ("---\n- just\n- a list\n---\nBody", "key: value"),
    "url.md": ("---\nkey: k\nlanguage: en\ntitle: T\nsource_url: 'not a url'\n---\nBody text.", "not a valid web address"),
    "lang.md": ("---\nlanguage: xx\ntitle: T\n---\nBody text.", "language 'xx'"),
    "status.md": ("---\nlanguage: en\ntitle: T\nstatus: live\n---\nBody text.", "status 'live'"),
    "date.md": ("---\nlanguage: en\ntitle: T\nsource_published_on: yesterday\n---\nBody.", "not a date"),
    "credits.txt": ("Auteur : Quelqu'un\nTraduction : TechFlow\n", "only credit lines"),
    "chrome.txt": ("© 2025\nPartager\n", "only links or site text"),
    "footer.txt": ("Groupe Telegram :https://t.me/x\n", "only links or site text"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_refused_with_a_message_and_changes_nothing(tmp_path, seed_path, name):
    run(seed_path, "--publish")
    before = snapshot()
    text, message = BAD_FILES[name]
    with pytest.raises(CommandError, match=message):
        run(write(tmp_path, text, name))
    assert snapshot() == before


def test_undecodable_file_names_its_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Titre\nAuteur : Zoé\n".encode("utf-8") + "Caf\xe9".encode("latin-1"))
    with pytest.raises(CommandError, match="line 3: the file is not UTF-8"):
        run(path)


def test_failure_after_the_first_write_rolls_everything_back(tmp_path, seed_path):
    """Publishing an empty body fails after the article was written: all of it is undone."""
    before = snapshot()
    text = "---\nkey: empty-one\nlanguage: en\ntitle: An empty essay\nauthors: [New Person]\nstatus: published\n---\n"
    with pytest.raises(CommandError, match="no title or no body"):
        run(write(tmp_path, text, "empty.md"))
    assert snapshot() == before


@override_settings(MAX_BODY_CHARS=100)
def test_body_over_the_limit_is_refused(tmp_path):
    with pytest.raises(CommandError, match="limit is 100"):
        run(write(tmp_path, ENGLISH + "word " * 100))
    assert not Article.objects.exists()


def test_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="cannot read"):
        run("/nonexistent/article.txt")


# --- Sample content and local editor --------------------------------------------------------------

def test_load_sample_is_idempotent(sample):
    before = snapshot()
    call_command("load_sample", stdout=io.StringIO())
    assert snapshot() == before


def test_sample_credits_all_four_people_thanked(sample):
    article = Article.objects.get(key="sam-altman-reflections")
    assert [a.name for a in article.acknowledgements.all()] == [
        "Josh Tyrangiel", "Ron Conway", "Brian Chesky", "Ollie",
    ]
    assert all(a.author_id for a in article.acknowledgements.all())
    assert article.source_url == "https://blog.samaltman.com/reflections"
    assert article.original_title == "Reflections" and str(article.source_published_on) == "2025-01-05"
    assert not article.translations.filter(language="en").exists()  # the original is a record only


def test_sample_demo_article_hosts_its_original(sample):
    article = Article.objects.get(key="demo-translation-workflow")
    assert set(article.translations.values_list("language", flat=True)) == {"en", "fr"}
    assert article.original().language == "en"
    assert article.original().body.startswith("When a publication lives on translations")
    assert article.translations.get(language="fr").is_open_for_translation


@override_settings(DEBUG=True)
def test_create_local_editor_prints_credentials(django_user_model):
    out = io.StringIO()
    call_command("create_local_editor", stdout=out)
    user = django_user_model.objects.get(username="editor")
    assert user.is_staff and not user.is_superuser
    assert "techflow-local-editor" in out.getvalue() and user.check_password("techflow-local-editor")
    assert user.groups.filter(name="Editor").exists()
    camille = django_user_model.objects.get(username="camille")
    assert not camille.is_staff and camille.groups.filter(name="Translator").exists()
    assert camille.author.name == "Camille Martin" and camille.author.languages == ["fr"]


def test_create_local_editor_refuses_without_debug():
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("create_local_editor", stdout=io.StringIO())
