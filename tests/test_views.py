"""Public pages through the test client on their real URLs."""

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Translation
from tests import factories

pytestmark = pytest.mark.django_db


def seed_version():
    return Translation.objects.get(article__key="sam-altman-reflections", language="fr")


def test_root_sends_visitors_to_their_language(client):
    assert client.get("/", headers={"accept-language": "en"})["Location"] == "/en/"
    assert client.get("/", headers={"accept-language": "fr-FR,fr"})["Location"] == "/fr/"


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


def test_home_lists_published_versions_in_its_language(client, sample):
    html = client.get("/fr/").content.decode()
    assert "Sam Altman : aveux" in html
    assert "Pourquoi chaque traduction" in html
    assert "Why every translation" not in html


@pytest.mark.parametrize("status", ["draft", "in_review", "archived"])
def test_unpublished_versions_answer_404(client, status):
    version = factories.TranslationFactory(status=status)
    assert client.get(version.get_absolute_url()).status_code == 404


def test_scheduled_version_appears_at_its_time(client):
    version = factories.TranslationFactory()
    workflow.schedule_translation(version, timezone.now() + timezone.timedelta(hours=1))
    assert client.get(version.get_absolute_url()).status_code == 404
    Translation.objects.filter(pk=version.pk).update(published_at=timezone.now() - timezone.timedelta(seconds=1))
    assert client.get(version.get_absolute_url()).status_code == 200
