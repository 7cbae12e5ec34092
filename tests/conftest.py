"""Shared fixtures: people in their roles, and a published article in the seed's shape."""

from pathlib import Path

import pytest
from django.core.management import call_command

from tests import factories

SEED = Path(__file__).resolve().parents[1] / "articles" / "sample_data" / "techflow-altman-reflections-fr.txt"


@pytest.fixture
def seed_path():
    return SEED


@pytest.fixture
def sample(db):
    """The shipped sample content, loaded the way `make run` loads it."""
    call_command("load_sample", stdout=open("/dev/null", "w"))


@pytest.fixture
def published_article(db):
    article = factories.ArticleFactory()
    factories.ArticleCreditFactory(article=article, position=0)
    version = factories.TranslationFactory(article=article, published=True)
    factories.TranslationCreditFactory(translation=version, position=0)
    factories.AcknowledgementFactory(article=article, position=0)
    return article
