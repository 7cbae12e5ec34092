"""The one Markdown renderer: CommonMark, then an nh3 allow-list. Everything readers see goes through it."""

import re

import nh3
from markdown_it import MarkdownIt

# Raw HTML in Markdown is shown as text, not passed on: editors and translators write Markdown.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])
_markdown.options["maxNesting"] = 20

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "figcaption", "figure",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s", "small",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align", "scope"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def sanitize_html(html):
    """Keep only harmless markup: no scripts, frames, forms, styles, event attributes or odd URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _demote_h1(html):
    # The page title is the only h1; a "# Heading" in a body becomes an h2.
    return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")


def render_markdown(text):
    """Markdown source to sanitised HTML. Also markdownx's preview function."""
    if not text:
        return ""
    return sanitize_html(_demote_h1(_markdown.render(text)))


def word_count(text):
    """Words for reading time; each CJK character counts as a word."""
    if not text:
        return 0
    cjk = len(_CJK.findall(text))
    return len(_WORD.findall(_CJK.sub(" ", text))) + cjk


def reading_minutes(words):
    return max(1, round(words / 230)) if words else 0


def split_paragraphs(text):
    """A Markdown body's blocks, split on blank lines, without empty ones."""
    return [block.strip() for block in re.split(r"\n\s*\n", text or "") if block.strip()]
