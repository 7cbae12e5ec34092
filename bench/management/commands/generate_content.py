"""generate_content: many published articles in several languages, with credits, for the benchmark."""

import random
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.cache import invalidate_everything
from articles.models import (
    Acknowledgement, Article, ArticleCredit, Author, Section, Tag, Translation, TranslationCredit,
)
from articles.rendering import reading_minutes, render_markdown, word_count

WORDS = {
    "fr": ("le la les un une des réseau modèle données calcul machine langage apprentissage société "
           "travail avenir progrès outil recherche puissance énergie ville école science histoire idée "
           "monde pouvoir risque confiance liberté marché produit équipe question réponse"),
    "en": ("the a an of network model data compute machine language learning society work future "
           "progress tool research power energy city school science history idea world risk trust "
           "freedom market product team question answer growth scale"),
    "es": ("el la los una unos red modelo datos cálculo máquina lenguaje aprendizaje sociedad trabajo "
           "futuro progreso herramienta investigación poder energía ciudad escuela ciencia historia idea"),
    "de": ("der die das ein eine Netz Modell Daten Rechnen Maschine Sprache Lernen Gesellschaft Arbeit "
           "Zukunft Fortschritt Werkzeug Forschung Macht Energie Stadt Schule Wissenschaft Geschichte"),
}
LANGUAGES = list(WORDS)
FIRST = "Ada Alan Grace Linus Margaret Ken Barbara Donald Frances Edsger Radia Tim Hedy Claude Sophie Yann".split()
LAST = "Martin Bernard Dubois Moreau Laurent Simon Michel Garcia Lefebvre Roux Fournier Girard Bonnet Dupont".split()


def sentence(rng, words, n):
    text = " ".join(rng.choice(words) for _ in range(n))
    return text[0].upper() + text[1:] + "."


def essay(rng, language, paragraphs=14):
    """About 1,500 words of Markdown: headings, emphasis, a list, a quote and links."""
    words = WORDS[language].split()
    parts = []
    for i in range(paragraphs):
        if i and i % 4 == 0:
            parts.append("## " + sentence(rng, words, 5)[:-1])
        body = " ".join(sentence(rng, words, rng.randint(12, 24)) for _ in range(6))
        body = body.replace(" ", " **", 1).replace(" ", "** ", 1)
        parts.append(body + f" [{rng.choice(words)}](https://example.org/{i})")
        if i == 6:
            parts.append("\n".join(f"- {sentence(rng, words, 8)}" for _ in range(4)))
        if i == 9:
            parts.append("> " + sentence(rng, words, 20))
    return "\n\n".join(parts)


class Command(BaseCommand):
    help = "Create published articles at scale (several languages, translators, acknowledgements) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--bodies", type=int, default=12, help="Distinct bodies per language.")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, articles, bodies, seed, **options):
        rng = random.Random(seed)
        start = Article.objects.count()
        # Each distinct body is rendered once, then shared: rendering is the slow part.
        pool = {}
        for language in LANGUAGES:
            pool[language] = []
            for _ in range(bodies):
                text = essay(rng, language)
                count = word_count(text)
                pool[language].append((text, render_markdown(text), count, reading_minutes(count)))
        with transaction.atomic():
            sections = self._sections(rng)
            tags = self._tags()
            people = self._people(start)
            self._articles(rng, start, articles, pool, sections, tags, people)
        invalidate_everything()
        if connection.vendor == "postgresql":
            # Fresh statistics: without them the planner guesses one row and picks nested loops over 10,000.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"Created {articles} articles ({Translation.objects.count()} translations in all).")

    def _sections(self, rng):
        names = [("analyses", "Analyses", "Analysis"), ("selection", "Sélection", "Selection"),
                 ("entretiens", "Entretiens", "Interviews"), ("essais", "Essais", "Essays"),
                 ("recherche", "Recherche", "Research"), ("societe", "Société", "Society")]
        return [
            Section.objects.get_or_create(slug=slug, defaults={"names": {"fr": fr, "en": en}, "position": i})[0]
            for i, (slug, fr, en) in enumerate(names)
        ]

    def _tags(self):
        words = WORDS["en"].split()[4:34]
        return [Tag.objects.get_or_create(slug=f"bench-{w}", defaults={"name": f"bench {w}"})[0] for w in words]

    def _people(self, start):
        people = [
            Author(name=f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST) % len(LAST)]} {start}-{i}",
                   slug=f"bench-{start}-{i}", languages=[LANGUAGES[i % len(LANGUAGES)]])
            for i in range(240)
        ]
        return Author.objects.bulk_create(people, batch_size=500)

    def _articles(self, rng, start, count, pool, sections, tags, people):
        now = timezone.now()
        new_articles = []
        for i in range(count):
            original = rng.choice(["fr", "en", "en", "es", "de"])
            new_articles.append(Article(
                key=f"bench-{start + i}", original_language=original,
                original_title=f"Essay {start + i}", section=rng.choice(sections),
                source_url=f"https://example.org/essays/{start + i}", source_outlet="Example Review",
            ))
        new_articles = Article.objects.bulk_create(new_articles, batch_size=1000)
        versions, article_credits, acks, tag_links = [], [], [], []
        Through = Article.tags.through
        for n, article in enumerate(new_articles):
            languages = [article.original_language] + [
                lang for lang in ("fr", "en") if lang != article.original_language
            ]
            extra = rng.choice([lang for lang in LANGUAGES if lang not in languages] + [None])
            if extra:
                languages.append(extra)
            published_at = now - timedelta(minutes=10 + (count - n) * 7)
            for lang in languages:
                text, html, words, minutes = rng.choice(pool[lang])
                title = f"{rng.choice(WORDS[lang].split()).capitalize()} {rng.choice(WORDS[lang].split())} {article.key}"
                versions.append(Translation(
                    article=article, language=lang, title=title, slug=slugify(title),
                    standfirst=sentence(rng, WORDS[lang].split(), 20), body=text, body_html=html,
                    word_count=words, reading_minutes=minutes, status=Translation.Status.PUBLISHED,
                    published_at=published_at,
                ))
            for position, person in enumerate(rng.sample(people, rng.randint(1, 2))):
                article_credits.append(ArticleCredit(article=article, author=person, position=position))
            for position in range(rng.randint(2, 3)):
                person = rng.choice(people)
                acks.append(Acknowledgement(
                    article=article, position=position, name=person.name, author=person,
                    reasons={"fr": "pour la relecture", "en": "for proofreading"},
                ))
            for tag in rng.sample(tags, rng.randint(2, 3)):
                tag_links.append(Through(article_id=article.pk, tag_id=tag.pk))
        versions = Translation.objects.bulk_create(versions, batch_size=1000)
        credits = []
        for version in versions:
            if version.language != version.article.original_language:
                for position, person in enumerate(rng.sample(people, rng.randint(2, 3))):
                    credits.append(TranslationCredit(translation=version, author=person, position=position))
        ArticleCredit.objects.bulk_create(article_credits, batch_size=2000)
        Acknowledgement.objects.bulk_create(acks, batch_size=2000)
        Through.objects.bulk_create(tag_links, batch_size=2000)
        TranslationCredit.objects.bulk_create(credits, batch_size=2000)
