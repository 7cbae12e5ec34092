"""factory_boy factories, one per model."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Author

    name = factory.Sequence(lambda n: f"Writer Number{n}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Section

    slug = factory.Sequence(lambda n: f"section-{n}")
    names = factory.LazyAttribute(lambda s: {"fr": f"Rubrique {s.slug}", "en": f"Section {s.slug}"})


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Tag

    name = factory.Sequence(lambda n: f"tag{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Article

    key = factory.Sequence(lambda n: f"article-{n}")
    original_language = "en"
    original_title = factory.Sequence(lambda n: f"Original essay {n}")
    source_url = factory.Sequence(lambda n: f"https://example.org/essays/{n}")
    source_outlet = "Example Blog"
    section = factory.SubFactory(SectionFactory)


class ArticleCreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ArticleCredit

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(AuthorFactory)
    position = factory.Sequence(lambda n: n)


class TranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Translation

    article = factory.SubFactory(ArticleFactory)
    language = "fr"
    title = factory.Sequence(lambda n: f"Essai traduit numéro {n}")
    standfirst = "Un chapeau qui résume l'essai."
    body = "Premier paragraphe.\n\nSecond paragraphe, avec un [lien](https://example.org)."
    status = models.Translation.Status.DRAFT

    class Params:
        published = factory.Trait(
            status=models.Translation.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1)),
        )


class TranslationCreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.TranslationCredit

    translation = factory.SubFactory(TranslationFactory)
    author = factory.SubFactory(AuthorFactory)
    position = factory.Sequence(lambda n: n)


class AcknowledgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Acknowledgement

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Helpful Person{n}")
    position = factory.Sequence(lambda n: n)
    reasons = {"fr": "pour son aide", "en": "for the help"}


class CommunityLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CommunityLink

    language = "fr"
    label = factory.Sequence(lambda n: f"Canal {n}")
    url = factory.Sequence(lambda n: f"https://t.me/channel{n}")
    position = factory.Sequence(lambda n: n)


def two_section_site(fr_title, en_title, other_title="Autre texte"):
    """Sections news and essays; an article in news with a French and an English version and a credited
    writer; an unrelated French article in essays. What the page-cache and stored-page tests change."""
    news, essays = SectionFactory(slug="news"), SectionFactory(slug="essays")
    article = ArticleFactory(section=news)
    writer = AuthorFactory(name="Ada Writer")
    ArticleCreditFactory(article=article, author=writer, position=0)
    fr = TranslationFactory(article=article, language="fr", title=fr_title, published=True)
    en = TranslationFactory(article=article, language="en", title=en_title, published=True)
    other = TranslationFactory(article=ArticleFactory(section=essays), language="fr", title=other_title, published=True)
    return {"news": news, "essays": essays, "article": article, "writer": writer, "fr": fr, "en": en, "other": other}
