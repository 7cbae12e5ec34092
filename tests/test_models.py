"""The database enforces what must hold about articles, versions and credits."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from articles.models import ArticleCredit, Translation, TranslationCredit
from tests import factories

pytestmark = pytest.mark.django_db


def _violates(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_one_translation_per_language_per_article():
    version = factories.TranslationFactory(language="fr")
    _violates(lambda: factories.TranslationFactory(article=version.article, language="fr"))


def test_slug_unique_per_language_but_shared_across_languages():
    factories.TranslationFactory(language="fr", slug="reflexions")
    factories.TranslationFactory(language="en", slug="reflexions")
    _violates(lambda: factories.TranslationFactory(language="fr", slug="reflexions"))


def test_slug_made_from_title_is_unique_within_language():
    first = factories.TranslationFactory(language="fr", title="Même titre")
    second = factories.TranslationFactory(language="fr", title="Même titre")
    assert first.slug == "meme-titre"
    assert second.slug == "meme-titre-2"


def test_cjk_title_keeps_a_unicode_slug():
    version = factories.TranslationFactory(language="zh-hans", title="反思")
    assert version.slug == "反思"


def test_author_credits_are_ordered_and_unique():
    credit = factories.ArticleCreditFactory(position=0)
    _violates(lambda: ArticleCredit.objects.create(article=credit.article, author=factories.AuthorFactory(), position=0))
    _violates(lambda: ArticleCredit.objects.create(article=credit.article, author=credit.author, position=1))


def test_translator_credits_are_ordered_and_unique():
    credit = factories.TranslationCreditFactory(position=0)
    _violates(lambda: TranslationCredit.objects.create(translation=credit.translation, author=factories.AuthorFactory(), position=0))


def test_acknowledgements_are_ordered():
    ack = factories.AcknowledgementFactory(position=0)
    _violates(lambda: factories.AcknowledgementFactory(article=ack.article, position=0))


def test_credited_author_cannot_be_deleted_leaving_an_orphan_credit():
    credit = factories.ArticleCreditFactory()
    with pytest.raises(ProtectedError):
        credit.author.delete()


def test_deleting_an_article_removes_its_credits_and_versions():
    credit = factories.ArticleCreditFactory()
    factories.TranslationCreditFactory(translation__article=credit.article)
    credit.article.delete()
    assert not ArticleCredit.objects.exists()
    assert not TranslationCredit.objects.exists()
    assert not Translation.objects.exists()


def test_a_published_version_must_have_a_publish_time():
    version = factories.TranslationFactory()
    _violates(lambda: Translation.objects.filter(pk=version.pk).update(status="published", published_at=None))


def test_body_html_is_rendered_and_sanitised_on_save():
    version = factories.TranslationFactory(body="Hello **world** <script>alert(1)</script>")
    assert "<strong>world</strong>" in version.body_html
    assert "<script" not in version.body_html
    assert version.word_count > 0 and version.reading_minutes == 1


def test_body_html_follows_body_on_partial_save():
    version = factories.TranslationFactory(body="before")
    version.body = "*after*"
    version.save(update_fields=["body"])
    version.refresh_from_db()
    assert version.body_html == "<p><em>after</em></p>\n"


def test_outdated_when_source_moved_on():
    version = factories.TranslationFactory(language="fr", article__original_language="en", source_version=1)
    assert not version.is_outdated
    version.article.source_version = 2
    assert version.is_outdated
