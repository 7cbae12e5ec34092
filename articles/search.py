"""Reader search over published translations: PostgreSQL full-text search per language, a plain match elsewhere."""

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline, SearchQuery, SearchQueryField, SearchRank, SearchVectorField,
)
from django.db import connection
from django.db.models import BooleanField, Case, F, Func, Q, TextField, Value, When
from django.db.models.expressions import Col, Expression
from django.db.models.functions import Concat, Left
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from .models import Translation

# PostgreSQL text-search configurations per content language; 'simple' where it has no stemmer.
TEXT_SEARCH_CONFIGS = {
    "fr": "french", "en": "english", "es": "spanish", "de": "german",
    "it": "italian", "pt": "portuguese", "zh-hans": "simple", "ja": "simple",
}
# Control characters never shown to readers: they mark matches until the text is escaped.
START, STOP = "\x02", "\x03"
MAX_RESULTS = 20
# Ranking reads every matching vector back from storage; a common word can match most of the
# archive, so only the newest matches are ranked (a news site's reader wants recent first).
RANK_CANDIDATES = 200
# How many of the newest visible versions are searched before the older ones (see _newest_matches).
SCAN_WINDOW = 1000
# Snippets are cut from the start of long essays: ts_headline's cost grows with the text.
SNIPPET_SOURCE_CHARS = 3000
MAX_QUERY_CHARS = 200


@dataclass
class SearchResult:
    translation: Translation
    snippet: str
    rank: float


def text_search_config(language):
    """The PostgreSQL configuration for a content language ('simple' when there is no better one)."""
    return TEXT_SEARCH_CONFIGS.get(language) or TEXT_SEARCH_CONFIGS.get(language.split("-")[0], "simple")


def searchable_languages():
    return [code for code, _name in settings.CONTENT_LANGUAGES]


def related_to(version, limit=4):
    """Published versions in the same language sharing the article's section or a tag (two queries)."""
    article = version.article
    tag_ids = [tag.pk for tag in article.tags.all()]
    match = Q(article__tags__in=tag_ids) if tag_ids else Q(pk__in=[])
    if article.section_id:
        match |= Q(article__section_id=article.section_id)
    ids = list(
        Translation.objects.published().in_language(version.language).filter(match)
        .exclude(article_id=article.pk).values_list("pk", flat=True).distinct()[:200]
    )
    return list(
        Translation.objects.filter(pk__in=ids).select_related("article").latest_first()[:limit]
    )


def marked(text):
    """Escape `text` and turn the START/STOP markers into <mark> elements: the only markup added."""
    out, is_open = [], False
    for part in re.split(f"([{START}{STOP}])", text):
        if part == START:
            if not is_open:
                out.append("<mark>")
                is_open = True
        elif part == STOP:
            if is_open:
                out.append("</mark>")
                is_open = False
        elif part:
            out.append(escape(html.unescape(part)))
    if is_open:
        out.append("</mark>")
    return mark_safe("".join(out))


def search(query, language=None):
    """Published translations matching `query`, best first, each with a highlighted snippet."""
    query = " ".join(query.split())[:MAX_QUERY_CHARS]
    if not query:
        return []
    if language and language not in searchable_languages():
        language = None
    visible = Translation.objects.published()
    if language:
        visible = visible.in_language(language)
    if connection.vendor == "postgresql":
        return _search_postgres(visible, query, language)
    return _search_plain(visible, query)


def _config(language):
    if language:
        return Value(text_search_config(language))
    return Case(
        *[When(language=code, then=Value(config)) for code, config in TEXT_SEARCH_CONFIGS.items()],
        default=Value("simple"),
    )


def _query(text, language):
    """One language's query; across languages, the OR of every configuration's query.

    A constant query (not a per-row configuration) is what lets the GIN index answer it.
    """
    configs = [text_search_config(language)] if language else sorted(set(TEXT_SEARCH_CONFIGS.values()))
    queries = [SearchQuery(text, config=Value(config), search_type="websearch") for config in configs]
    combined = queries[0]
    for other in queries[1:]:
        combined |= other
    return combined


def _plain_body():
    # The stored, sanitised HTML without its tags: what the reader actually reads.
    return Func(F("body_html"), Value("<[^>]+>"), Value(" "), Value("g"),
                function="regexp_replace", output_field=TextField())


class _StoredVector(Expression):
    """The stored, GIN-indexed search_vector column (migration 0002, PostgreSQL only; not a model field).

    A column of the query's own table, so it stays right inside a sub-query (raw SQL naming
    the table would point at the outer row there).
    """

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, *args, **kwargs):
        column = SearchVectorField()
        column.set_attributes_from_name("search_vector")
        column.model = Translation
        return Col(query.get_initial_alias(), column)


class _Matches(Func):
    """`vector @@ query` as a condition."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _unread(search_query):
    # A sub-select's value is unknown when planning: PostgreSQL then expects few matches and
    # takes the GIN index, where the real query could lead it to test every row.
    return Func(search_query, template="(SELECT %(expressions)s)", output_field=SearchQueryField())


def _newest_matches(visible, search_query):
    """pk and publish time of the newest RANK_CANDIDATES matches, newest first (two or three queries).

    Testing a row means reading its long vector back from storage, a cost the planner does not
    count: for a word it thinks common it walks or scans every version (0.3 s and more on
    30,000 essays) when few of them match. So the newest SCAN_WINDOW versions are searched
    first, bounded whatever the plan and enough for common words; only when they hold too few
    matches are the older ones found through the GIN index alone.
    """
    boundary = (
        visible.order_by("-published_at", "-pk").values_list("published_at", flat=True)
        [SCAN_WINDOW - 1:SCAN_WINDOW].first()
    )
    recent = visible.filter(_Matches(_StoredVector(), search_query))
    if boundary is not None:
        recent = recent.filter(published_at__gte=boundary)
    found = list(recent.order_by("-published_at", "-pk").values_list("pk", "published_at")[:RANK_CANDIDATES])
    if len(found) == RANK_CANDIDATES or boundary is None:
        return found
    older = (
        visible.filter(_Matches(_StoredVector(), _unread(search_query)), published_at__lt=boundary)
        .order_by().values_list("pk", "published_at")
    )
    sql, params = older.query.sql_with_params()
    with connection.cursor() as cursor:
        # Sorted outside the GIN lookup: an ORDER BY ... LIMIT inside would tempt the planner
        # into walking the publish-time index instead.
        cursor.execute(
            f"WITH older AS MATERIALIZED ({sql}) SELECT * FROM older ORDER BY 2 DESC, 1 DESC LIMIT %s",
            (*params, RANK_CANDIDATES - len(found)),
        )
        return found + cursor.fetchall()


def matching_versions(text):
    """Versions whose words match `text` in any language, found through the GIN index alone (PostgreSQL)."""
    return Translation.objects.filter(_Matches(_StoredVector(), _unread(_query(text, None)))).order_by().values("pk")


def _search_postgres(visible, query, language):
    search_query = _query(query, language)
    candidates = _newest_matches(visible, search_query)
    if not candidates:
        return []
    ranked = Translation.objects.filter(pk__in=[pk for pk, _at in candidates]).annotate(
        rank=SearchRank(_StoredVector(), search_query),
    ).order_by().values_list("pk", "rank", "published_at")
    best = sorted(ranked, key=lambda row: (-row[1], -row[2].timestamp(), -row[0]))[:MAX_RESULTS]
    # Snippets only for the results shown: ts_headline is the costly part.
    config = _config(language)
    by_pk = Translation.objects.filter(pk__in=[pk for pk, _rank, _at in best]).annotate(
        headline=SearchHeadline(
            Concat("standfirst", Value(" … "), Left(_plain_body(), SNIPPET_SOURCE_CHARS),
                   output_field=TextField()),
            search_query, config=config, start_sel=START, stop_sel=STOP,
            max_words=40, min_words=15, max_fragments=2, fragment_delimiter=" … ",
        ),
        title_headline=SearchHeadline(
            "title", search_query, config=config, start_sel=START, stop_sel=STOP, highlight_all=True,
        ),
    ).select_related("article").defer("body", "body_html").in_bulk()
    results = []
    for pk, rank, _at in best:
        row = by_pk.get(pk)
        if row is None:  # deleted since it was ranked
            continue
        row.rank = rank
        row.title_marked = marked(row.title_headline)
        results.append(SearchResult(row, marked(row.headline), float(rank)))
    return results


def _terms(query):
    words = re.findall(r"\w+", query.lower())
    return list(dict.fromkeys(w for w in words if len(w) > 1 or not w.isascii()))[:8]


def _highlight(text, terms):
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    return pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", text)


def _snippet(text, terms, width=220):
    lowered = text.lower()
    first = min((i for i in (lowered.find(t) for t in terms) if i >= 0), default=0)
    start = max(0, first - width // 3)
    piece = text[start:start + width]
    prefix = "… " if start else ""
    suffix = " …" if start + width < len(text) else ""
    return prefix + _highlight(piece, terms) + suffix


def _search_plain(visible, query):
    terms = _terms(query)
    if not terms:
        return []
    match = Q()
    for term in terms:
        match &= Q(title__icontains=term) | Q(standfirst__icontains=term) | Q(body__icontains=term)
    results = []
    for row in visible.filter(match).select_related("article")[:500]:
        title, standfirst = row.title.lower(), row.standfirst.lower()
        text = " ".join(html.unescape(strip_tags(row.body_html)).split())
        lowered = text.lower()
        rank = sum(3 * title.count(t) + 2 * standfirst.count(t) + min(lowered.count(t), 10) for t in terms)
        source = f"{row.standfirst} … {text}" if row.standfirst else text
        row.title_marked = marked(_highlight(row.title, terms))
        results.append(SearchResult(row, marked(_snippet(source, terms)), float(rank)))
    results.sort(key=lambda r: (-r.rank, -r.translation.published_at.timestamp(), -r.translation.pk))
    return results[:MAX_RESULTS]
