"""Reads an article from plain text or front-matter Markdown, then writes it in one transaction."""

import dataclasses
import datetime
import re
import unicodedata

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Acknowledgement, Article, ArticleCredit, Author, CommunityLink, Section, Tag, Translation,
    TranslationCredit, unique_slug,
)
from .rendering import split_paragraphs


class ArticleImportError(Exception):
    """A file the importer cannot use; `line` is 1-based where one can be named."""

    def __init__(self, message, line=None):
        self.message, self.line = message, line
        super().__init__(_("line %(n)s: %(message)s") % {"n": line, "message": message} if line else message)


@dataclasses.dataclass
class ParsedAcknowledgement:
    name: str
    reason: str = ""
    note: str = ""
    # The linked person's name when front matter states it ("" = stated: nobody); None = unstated.
    author: str | None = None
    # Other languages' wording, from front matter: {"en": "for the inspiration"}.
    reasons: dict = dataclasses.field(default_factory=dict)
    notes: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class ParsedLink:
    label: str
    url: str


@dataclasses.dataclass
class ParsedArticle:
    """What was recognised in a file; front matter may fill the article-level fields too."""

    title: str = ""
    language: str = ""
    section: str = ""
    standfirst: str = ""
    authors: list = dataclasses.field(default_factory=list)
    translators: list = dataclasses.field(default_factory=list)
    acknowledgements: list = dataclasses.field(default_factory=list)
    community_links: list = dataclasses.field(default_factory=list)
    welcome: str = ""
    paragraphs: list = dataclasses.field(default_factory=list)
    warnings: list = dataclasses.field(default_factory=list)
    # Stated only by front matter (or options); None means "leave as it is".
    meta: dict = dataclasses.field(default_factory=dict)
    # A front-matter file's Markdown, kept byte for byte (paragraphs are only counted from it).
    verbatim_body: str | None = None

    @property
    def body(self):
        if self.verbatim_body is not None:
            return self.verbatim_body
        return "\n\n".join(self.paragraphs)

    def report(self):
        """The dry-run report: one JSON-ready dict."""
        return {
            "title": self.title,
            "language": self.language,
            "section": self.section,
            "standfirst": self.standfirst,
            "authors": list(self.authors),
            "translators": list(self.translators),
            "acknowledgements": [{"name": a.name, "reason": a.reason} for a in self.acknowledgements],
            "community_links": [{"label": link.label, "url": link.url} for link in self.community_links],
            "paragraphs": len(self.paragraphs),
            "warnings": list(self.warnings),
        }


# --- Recognisers -------------------------------------------------------------------------------

# Label -> (role, language hint). Labels may be followed by an ASCII or full-width colon.
CREDIT_LABELS = {
    "auteur": ("author", "fr"), "auteurs": ("author", "fr"), "autrice": ("author", "fr"),
    "par": ("author", "fr"), "écrit par": ("author", "fr"),
    "traduction": ("translator", "fr"), "traduit par": ("translator", "fr"),
    "traducteur": ("translator", "fr"), "traductrice": ("translator", "fr"),
    "author": ("author", "en"), "authors": ("author", "en"), "by": ("author", "en"),
    "written by": ("author", "en"), "original author": ("author", "en"),
    "translated by": ("translator", "en"), "translation": ("translator", "en"),
    "translator": ("translator", "en"), "translators": ("translator", "en"),
    "compiled by": ("translator", "en"),
    "autor": ("author", "es"), "autora": ("author", "es"), "escrito por": ("author", "es"),
    "traducción": ("translator", "es"), "traducido por": ("translator", "es"),
    "traductor": ("translator", "es"), "traductora": ("translator", "es"),
    "verfasser": ("author", "de"), "von": ("author", "de"),
    "übersetzung": ("translator", "de"), "übersetzt von": ("translator", "de"),
    "übersetzer": ("translator", "de"), "übersetzerin": ("translator", "de"),
    "作者": ("author", "zh-hans"), "原文作者": ("author", "zh-hans"), "撰文": ("author", "zh-hans"),
    "文": ("author", "zh-hans"),
    "编译": ("translator", "zh-hans"), "翻译": ("translator", "zh-hans"),
    "译者": ("translator", "zh-hans"), "编译者": ("translator", "zh-hans"),
}
# "By Jane Doe" needs no colon; the other labels do, so that "Par ailleurs" is not a credit.
_NO_COLON_LABELS = {"by", "written by", "translated by", "traduit par", "écrit par",
                    "traducido por", "übersetzt von", "compiled by"}
_label_alt = "|".join(sorted((re.escape(k) for k in CREDIT_LABELS), key=len, reverse=True))
_CREDIT = re.compile(rf"^\s*(?P<label>{_label_alt})\s*(?P<colon>[:：])?\s*(?P<names>\S.*)$", re.I)
_NAME_SPLIT = re.compile(r"\s*(?:,|，|、|;|；|&|\bet\b|\band\b|\by\b|\bund\b|和|与)\s*")
_OUTLET = re.compile(r"^(?P<name>.+?)\s*(?:\((?P<p>[^)]+)\)|（(?P<fp>[^）]+)）|\s[|@–—-]\s*(?P<s>.+))$")

_LINK_LINE = re.compile(r"^(?P<label>[^:：]{1,80}?)\s*[:：]\s*(?P<url>https?://\S+)\s*$")
_WELCOME = re.compile(r"^(bienvenue|welcome|join|rejoignez|欢迎|bienvenid|willkommen)", re.I)
_CHROME = re.compile(
    r"^(©|\(c\)|copyright\b|all rights reserved|tous droits réservés|share( this)?$|partager$|"
    r"menu$|accueil\s*[>»›]|home\s*[>»›]|subscribe$|s['’]abonner$|back to top$|retour en haut$|"
    r"read more$|lire la suite$)",
    re.I,
)

# Names start with a capital (or are CJK); the phrase around them is matched case-blind.
_THANKS_NAME = r"[A-ZÀ-ÖØ-Þ][^\s,.;:()]*(?:[ \-][A-ZÀ-ÖØ-Þ][^\s,.;:()]*)*"
_THANKS_NAMES = rf"(?P<names>{_THANKS_NAME}(?:\s*(?:,|(?i:et|and|y|und)|&)\s*{_THANKS_NAME})*)"
_THANKS_TAIL = r"[^.!?]*)?(?=[.!?]|$)[.!?]?\s*(?P<note>.*)$"


def _thanks(lead, reason_words):
    return re.compile(
        rf"^(?i:{lead})\s+{_THANKS_NAMES}(?P<reason>\s+(?i:{reason_words})\s*{_THANKS_TAIL}"
    )


_THANKS = [
    _thanks(r"(?:un )?(?:grand |immense )?merci (?:à|a|aux?)", r"pour|de|d['’]"),
    _thanks(r"(?:many |special |big )?thanks(?: to)?", r"for"),
    _thanks(r"(?:muchas )?gracias a", r"por"),
    _thanks(r"(?:vielen )?dank an", r"für"),
    re.compile(r"^(?:特别)?感谢\s*(?P<names>[^，,。！的对为和与及、]+?(?:\s*[、和与及]\s*[^，,。！的对为和与及、]+?)*)"
               r"\s*(?P<reason>(?:的|对|为|给予)[^。！]*)?(?:[。！]|$)\s*(?P<note>.*)$"),
]

_SENTENCE_END = (".", "!", "?", "。", "！", "？", "…", ":", "：")


def _normal(text):
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _split_names(raw):
    names, outlet = [], ""
    for part in _NAME_SPLIT.split(raw.strip().rstrip(".。")):
        part = part.strip()
        if not part:
            continue
        match = _OUTLET.match(part)
        if match:
            part = match["name"].strip()
            outlet = outlet or (match["p"] or match["fp"] or match["s"] or "").strip()
        names.append(part)
    return names, outlet


def parse_credit(line):
    """("author"|"translator", [names], outlet, language hint) for a credit line, else None."""
    match = _CREDIT.match(line)
    if not match:
        return None
    label = match["label"].casefold()
    if not match["colon"] and label not in _NO_COLON_LABELS:
        return None
    names, outlet = _split_names(match["names"])
    if not names or any(len(name) > 80 for name in names):
        return None
    role, hint = CREDIT_LABELS[label]
    return role, names, outlet, hint


def parse_acknowledgement(paragraph):
    """Parsed thanks for a paragraph that is a thanks line (maybe in parentheses), else None."""
    text = paragraph.strip()
    wrapped = text.startswith(("(", "（")) and text.endswith((")", "）"))
    if wrapped:
        text = text[1:-1].strip()
    if len(text) > 400:
        return None
    for pattern in _THANKS:
        match = pattern.match(text)
        if match:
            names, _outlet = _split_names(match["names"])
            reason = (match["reason"] or "").strip()
            note = (match["note"] or "").strip()
            return [ParsedAcknowledgement(name, reason, note) for name in names], wrapped
    return None


def _is_doubled(line):
    half = len(line) // 2
    return len(line) % 2 == 0 and half > 2 and line[:half] == line[half:]


# --- Parsing ------------------------------------------------------------------------------------

def parse_text(text, *, language=None, section=None, markdown=False, first_line=1):
    """Recognise title, credits, standfirst, thanks, footer links and body in the seed's shape."""
    result = ParsedArticle()
    lines = text.split("\n")
    numbered = [(first_line + i, line.rstrip()) for i, line in enumerate(lines)]
    content = [(n, line.strip()) for n, line in numbered if line.strip()]
    if not content:
        raise ArticleImportError(_("the file has no text"), first_line)
    hints = []

    # Footer: labelled links at the end, with the welcome line before them.
    while content and _LINK_LINE.match(content[-1][1]):
        match = _LINK_LINE.match(content.pop()[1])
        result.community_links.insert(0, ParsedLink(match["label"].strip(), match["url"]))
    if result.community_links and content and _WELCOME.match(content[-1][1]):
        result.welcome = content.pop()[1]

    # Site chrome (copyright lines, breadcrumbs, share buttons) anywhere at the edges.
    for edge in (0, -1):
        while content and _CHROME.match(content[edge][1]):
            n, line = content.pop(edge)
            result.warnings.append(_("line %(n)s: dropped site text %(text)r") % {"n": n, "text": line})

    if not content:
        raise ArticleImportError(_("the file holds no article, only links or site text"), first_line)

    # Header: everything up to the last credit line among the first lines.
    credit_at = [i for i, (_, line) in enumerate(content[:15]) if parse_credit(line)]
    header_end = credit_at[-1] + 1 if credit_at else 1
    header, body = content[:header_end], content[header_end:]
    leftovers = []
    for n, line in header:
        credit = parse_credit(line)
        if credit:
            role, names, outlet, hint = credit
            (result.authors if role == "author" else result.translators).extend(
                name for name in names
                if name not in (result.authors if role == "author" else result.translators)
            )
            hints.append(hint)
            if outlet and role == "author":
                result.meta.setdefault("source_outlet", outlet)
        elif _is_doubled(line):
            result.section = result.section or line[: len(line) // 2].strip()
        elif result.title and _normal(line) == _normal(result.title):
            continue  # the title repeated by the page layout
        elif not result.title:
            result.title = line
        else:
            leftovers.append((n, line))

    if not result.title:
        # Credits came first: the title is the first line after them.
        if not body:
            raise ArticleImportError(_("no title found: the file holds only credit lines"), header[-1][0])
        result.title = body.pop(0)[1]
        if body and _normal(body[0][1]) == _normal(result.title):
            body.pop(0)
    for n, line in leftovers:
        if not result.standfirst and not result.section and section and _normal(line) == _normal(section):
            result.section = line
        elif not result.standfirst:
            result.standfirst = line
        else:
            result.warnings.append(
                _("line %(n)s: kept in the body, unsure what it is: %(text)r") % {"n": n, "text": line[:60]}
            )
            body.insert(0, (n, line))
    if len(result.title) > 300:
        raise ArticleImportError(_("the first line is too long to be a title"), content[0][0])
    if not result.authors:
        result.warnings.append(_("no author credit line found"))

    paragraphs = _paragraphs(body, lines, first_line, markdown)
    # Thanks: parenthesised anywhere, bare only near the end, so narrative is never taken.
    kept = []
    for index, paragraph in enumerate(paragraphs):
        found = parse_acknowledgement(paragraph)
        if found and (found[1] or index >= len(paragraphs) - 3):
            result.acknowledgements.extend(found[0])
        else:
            kept.append(paragraph)
    result.paragraphs = kept
    if not kept:
        result.warnings.append(_("the body is empty"))

    result.language = language or _detect_language(result, hints)
    if section:
        result.section = section
    return result


def _paragraphs(body, lines, first_line, markdown):
    """Body paragraphs: blank-line blocks for Markdown; for text, hard-wrapped blocks are joined
    and long lines (one paragraph per line, as in the seed) stand alone."""
    if not body:
        return []
    start, end = body[0][0] - first_line, body[-1][0] - first_line + 1
    blocks = split_paragraphs("\n".join(lines[start:end]))
    if markdown:
        return blocks
    paragraphs = []
    for block in blocks:
        rows = [row.strip() for row in block.split("\n") if row.strip()]
        inner = rows[:-1]
        wrapped = inner and all(len(row) <= WRAP_WIDTH for row in inner) and (
            sum(not row.endswith(_SENTENCE_END) for row in inner) * 2 >= len(inner)
        )
        if wrapped:
            paragraphs.append(" ".join(rows))
        else:
            paragraphs.extend(rows)
    return paragraphs


WRAP_WIDTH = 100


def _detect_language(result, hints):
    import py3langid

    sample = " ".join([result.title, result.standfirst, *result.paragraphs[:20]])
    code = py3langid.classify(sample)[0] if sample.strip() else ""
    code = {"zh": "zh-hans"}.get(code, code)
    if code not in dict(settings.CONTENT_LANGUAGES):
        code = hints[0] if hints else ""
    if not code:
        raise ArticleImportError(_("could not tell the language; give it with --language"))
    return code


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
_META_FIELDS = {
    "key", "slug", "original_language", "original_title", "source_url", "source_outlet",
    "source_published_on", "rights_note", "status", "published_at", "tags", "source_version",
    "welcome", "section_names", "translation_source_version",
}


def parse_file_text(text, *, language=None, section=None, markdown=None):
    """Parse a whole file: front-matter Markdown or plain text. Front matter wins over the text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if "\x00" in text:
        raise ArticleImportError(_("this is not a text file (it holds NUL bytes)"))
    match = _FRONT_MATTER.match(text)
    if not match:
        return parse_text(text, language=language, section=section, markdown=bool(markdown))
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as error:
        # Where the broken construct starts says more than where the parser gave up.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        raise ArticleImportError(
            _("the front matter is not valid YAML (%(problem)s)") % {"problem": getattr(error, "problem", error)},
            mark.line + 2 if mark else 1,
        ) from None
    if not isinstance(meta, dict):
        raise ArticleImportError(_("the front matter must be a set of 'key: value' lines"), 2)
    body_start = match.group(0).count("\n") + 1
    rest = text[match.end():]
    if meta.get("title"):
        # The file states its title: its text is the body as written, with no guessing.
        result = ParsedArticle(language=language or "")
        result.verbatim_body = rest.strip("\n")
        result.paragraphs = split_paragraphs(rest)
    elif rest.strip():
        result = parse_text(rest, language=language or meta.get("language"),
                            section=section, markdown=True, first_line=body_start)
    else:
        result = ParsedArticle(language=language or "")
        if not meta.get("title"):
            raise ArticleImportError(_("the file has no title and no text"), body_start)
    apply_front_matter(result, meta, language=language, section=section)
    return result


def _text_list(meta, key):
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise ArticleImportError(_("front matter '%(key)s' must be a list") % {"key": key})
    return value


def apply_front_matter(result, meta, *, language, section):
    for key in ("title", "standfirst", "section"):
        if meta.get(key) is not None:
            setattr(result, key, str(meta[key]).strip())
    if meta.get("language") and not language:
        result.language = str(meta["language"]).strip()
    if section:
        result.section = section
    for key in ("authors", "translators"):
        names = _text_list(meta, key)
        if names is not None:
            setattr(result, key, [n["name"] if isinstance(n, dict) else str(n) for n in names])
            result.meta[f"{key}_detail"] = [n for n in names if isinstance(n, dict)]
    acks = _text_list(meta, "acknowledgements")
    if acks is not None:
        result.acknowledgements = []
        for item in acks:
            if isinstance(item, str):
                item = {"name": item}
            if not isinstance(item, dict) or not item.get("name"):
                raise ArticleImportError(_("each acknowledgement needs a 'name'"))
            extra = {key: item.get(key) or {} for key in ("reasons", "notes")}
            if not all(isinstance(value, dict) for value in extra.values()):
                raise ArticleImportError(_("acknowledgement 'reasons' and 'notes' map languages to text"))
            result.acknowledgements.append(ParsedAcknowledgement(
                str(item["name"]), str(item.get("reason") or ""), str(item.get("note") or ""),
                (str(item["author"] or "") if "author" in item else None),
                **{key: {str(k): str(v) for k, v in value.items()} for key, value in extra.items()},
            ))
    links = _text_list(meta, "community_links")
    if links is not None:
        result.community_links = []
        for item in links:
            if not isinstance(item, dict) or not item.get("label") or not item.get("url"):
                raise ArticleImportError(_("each community link needs a 'label' and a 'url'"))
            result.community_links.append(ParsedLink(str(item["label"]), str(item["url"])))
    if meta.get("body") is not None:
        result.verbatim_body = str(meta["body"]).strip("\n")
        result.paragraphs = split_paragraphs(result.verbatim_body)
    unknown = set(meta) - _META_FIELDS - {"title", "standfirst", "section", "language", "authors",
                                          "translators", "acknowledgements", "community_links", "body"}
    if unknown:
        result.warnings.append(_("front matter keys ignored: %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    for key in _META_FIELDS & set(meta):
        result.meta[key] = meta[key]


# --- Writing ------------------------------------------------------------------------------------

_url = URLValidator(schemes=["http", "https"])


def _check(parsed):
    """Everything that can be refused is refused before the first write."""
    languages = dict(settings.CONTENT_LANGUAGES)
    if parsed.language not in languages:
        raise ArticleImportError(
            _("language %(code)r is not one of %(choices)s") % {"code": parsed.language, "choices": ", ".join(languages)}
        )
    if not parsed.title:
        raise ArticleImportError(_("the article has no title"))
    if len(parsed.body) > settings.MAX_BODY_CHARS:
        raise ArticleImportError(
            _("the body has %(n)s characters; the limit is %(max)s") % {"n": len(parsed.body), "max": settings.MAX_BODY_CHARS}
        )
    meta = parsed.meta
    urls = [link.url for link in parsed.community_links]
    if meta.get("source_url"):
        urls.append(str(meta["source_url"]))
    for url in urls:
        try:
            _url(url)
        except ValidationError:
            raise ArticleImportError(_("%(url)r is not a valid web address") % {"url": url}) from None
    if meta.get("original_language") and meta["original_language"] not in languages:
        raise ArticleImportError(
            _("original_language %(code)r is not supported") % {"code": meta["original_language"]}
        )
    for key, kind in (("source_published_on", datetime.date), ("published_at", datetime.datetime)):
        value = meta.get(key)
        if value is not None and not isinstance(value, (datetime.date, str)):
            raise ArticleImportError(_("front matter '%(key)s' must be a date") % {"key": key})
        if isinstance(value, str):
            try:
                meta[key] = (datetime.date.fromisoformat(value) if kind is datetime.date
                             else datetime.datetime.fromisoformat(value))
            except ValueError:
                raise ArticleImportError(
                    _("front matter '%(key)s' is not a date: %(value)r") % {"key": key, "value": value}
                ) from None
    published_at = meta.get("published_at")
    if isinstance(published_at, datetime.datetime) and timezone.is_naive(published_at):
        meta["published_at"] = timezone.make_aware(published_at, datetime.UTC)
    elif type(published_at) is datetime.date:
        meta["published_at"] = datetime.datetime.combine(published_at, datetime.time(), datetime.UTC)
    status = meta.get("status")
    if status is not None and status not in Translation.Status.values:
        raise ArticleImportError(
            _("status %(status)r is not one of %(choices)s")
            % {"status": status, "choices": ", ".join(Translation.Status.values)}
        )
    if status == "scheduled" and not meta.get("published_at"):
        raise ArticleImportError(_("a scheduled translation needs 'published_at'"))


def article_key_text(parsed):
    return str(parsed.meta.get("original_title") or parsed.title)


def _author(name, detail=None):
    author = Author.objects.filter(name__iexact=name).first()
    if author is None:
        kind = Author.Kind.ORGANISATION if name == settings.PUBLICATION_NAME else Author.Kind.PERSON
        author = Author(name=name, kind=kind)
    for key in ("kind", "bio", "website", "slug", "social_links", "languages"):
        if detail and detail.get(key):
            setattr(author, key, detail[key])
    author.save()
    return author


def _section(name, language):
    target = _normal(name)
    for section in Section.objects.all():
        if target in {_normal(n) for n in section.names.values()} or target == _normal(section.slug):
            if language not in section.names:
                section.names[language] = name
                section.save(update_fields=["names"])
            return section
    return Section.objects.create(
        slug=unique_slug(Section, name, max_length=100), names={language: name}
    )


def _find_article(parsed):
    meta = parsed.meta
    if meta.get("key"):
        return Article.objects.filter(key=meta["key"]).first()
    lookup = {"slug": meta["slug"]} if meta.get("slug") else {"title": parsed.title}
    existing = Translation.objects.filter(language=parsed.language, **lookup).select_related("article").first()
    if existing:
        return existing.article
    if meta.get("source_url"):
        return Article.objects.filter(source_url=meta["source_url"]).first()
    return None


@dataclasses.dataclass
class ImportResult:
    article: Article
    translation: Translation
    created: bool


def write_article(parsed, *, publish=False, by=None):
    """Create or update the article and its records from `parsed`, all or nothing."""
    from . import workflow

    _check(parsed)
    meta = parsed.meta
    with transaction.atomic():
        article = _find_article(parsed)
        created = article is None
        if created:
            original_language = meta.get("original_language")
            if not original_language:
                if parsed.translators:
                    original_language = "en"
                    parsed.warnings.append(_("original language not stated; assumed English"))
                else:
                    original_language = parsed.language
            article = Article(
                key=meta.get("key") or unique_slug(
                    Article, article_key_text(parsed), field="key", max_length=200
                ),
                original_language=original_language,
            )
        article_fields = ("original_language", "original_title", "source_url", "source_outlet",
                          "source_published_on", "rights_note", "source_version")
        for field in article_fields:
            if meta.get(field) is not None:
                setattr(article, field, meta[field])
        if parsed.language == article.original_language and not article.original_title:
            article.original_title = parsed.title
        if parsed.section:
            article.section = _section(parsed.section, parsed.language)
            if isinstance(meta.get("section_names"), dict):
                # Stated names are the section's names, exactly (front matter wins).
                names = {str(k): str(v) for k, v in meta["section_names"].items()}
                if names != article.section.names:
                    article.section.names = names
                    article.section.save(update_fields=["names"])
        article.save()

        if parsed.authors:
            details = {d["name"]: d for d in meta.get("authors_detail", [])}
            authors = [_author(name, details.get(name)) for name in parsed.authors]
            article.credits.all().delete()
            ArticleCredit.objects.bulk_create(
                ArticleCredit(article=article, author=a, position=i) for i, a in enumerate(authors)
            )
        if meta.get("tags") is not None:
            article.tags.set([Tag.objects.get_or_create(name=str(t))[0] for t in meta["tags"]])

        version = article.translations.filter(language=parsed.language).first()
        if version is None:
            version = Translation(article=article, language=parsed.language,
                                  source_version=article.source_version)
        version.title = parsed.title
        version.standfirst = parsed.standfirst
        version.body = parsed.body
        if meta.get("slug"):
            version.slug = meta["slug"]
        if isinstance(meta.get("translation_source_version"), int) and not version.is_original:
            version.source_version = meta["translation_source_version"]
        version.full_clean(exclude=["article", "slug", "status"], validate_unique=False)
        version.save()

        if parsed.translators:
            details = {d["name"]: d for d in meta.get("translators_detail", [])}
            translators = [_author(name, details.get(name)) for name in parsed.translators]
            version.credits.all().delete()
            TranslationCredit.objects.bulk_create(
                TranslationCredit(translation=version, author=a, position=i)
                for i, a in enumerate(translators)
            )

        _write_acknowledgements(article, parsed)
        _write_links(parsed)

        if by is not None:
            # An editor's import is a change of text like any other: keep it in the history.
            workflow.record_editor_revision(version, by=by)
        status = meta.get("status") or ("published" if publish else None)
        if status:
            workflow.set_imported_status(version, status, at=meta.get("published_at"), by=by)
    return ImportResult(article=article, translation=version, created=created)


def _write_acknowledgements(article, parsed):
    existing = {_normal(a.name): a for a in article.acknowledgements.all()}
    position = max((a.position for a in existing.values()), default=-1) + 1
    for item in parsed.acknowledgements:
        ack = existing.get(_normal(item.name))
        if ack is None:
            ack = Acknowledgement(article=article, name=item.name, position=position)
            existing[_normal(item.name)] = ack
            position += 1
        ack.reasons.update(item.reasons)
        ack.notes.update(item.notes)
        if item.reason:
            ack.reasons[parsed.language] = item.reason
        if item.note:
            ack.notes[parsed.language] = item.note
        if item.author is not None:
            ack.author = _author(item.author) if item.author else None
        else:
            ack.author = ack.author or Author.objects.filter(name__iexact=item.name).first()
        ack.save()


def _write_links(parsed):
    for position, link in enumerate(parsed.community_links):
        CommunityLink.objects.update_or_create(
            language=parsed.language, url=link.url,
            defaults={"label": link.label, "position": position},
        )


def _max_file_bytes():
    # Up to four bytes a character, plus room for front matter and footer.
    return settings.MAX_BODY_CHARS * 4 + 65_536


def read_path(path):
    """The text of a file, with a clear error for what cannot be read."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(_max_file_bytes() + 1)
    except OSError as error:
        raise ArticleImportError(
            _("cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
        ) from None
    if len(raw) > _max_file_bytes():
        raise ArticleImportError(_("the file is too large to be an article"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ArticleImportError(_("the file is not UTF-8 text"), line) from None
