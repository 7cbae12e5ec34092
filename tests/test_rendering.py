"""The sanitising renderer: Markdown in, harmless HTML out."""

import pytest

from articles.rendering import render_markdown, word_count
from tests.html_checks import dangerous_parts

DANGEROUS = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "<iframe src='https://evil.example'></iframe>",
    "[a](&#106;avascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<svg onload=alert(1)>",
    "<style>body{display:none}</style>",
    "<form action=https://evil.example><input></form>",
]


@pytest.mark.parametrize("source", DANGEROUS)
def test_dangerous_markup_never_reaches_html(source):
    assert dangerous_parts(render_markdown(source)) == []


def test_the_checker_itself_finds_danger():
    assert dangerous_parts('<a href="javascript:x" onclick="y">a</a><script></script>') == [
        "a[href='javascript:x']", "a[onclick]", "<script>",
    ]


def test_links_keep_safe_schemes_and_gain_rel():
    html = render_markdown("[site](https://example.org) and [mail](mailto:a@example.org)")
    assert 'href="https://example.org"' in html
    assert 'href="mailto:a@example.org"' in html
    assert 'rel="noopener noreferrer"' in html


def test_markdown_structure_survives():
    html = render_markdown("# Title\n\n## Part\n\n- one\n- two\n\n> quote\n\n`code`")
    assert "<h2>Title</h2>" in html  # the page keeps its single h1
    assert "<li>one</li>" in html and "<blockquote>" in html and "<code>code</code>" in html


def test_word_count_counts_cjk_characters():
    assert word_count("deux mots") == 2
    assert word_count("反思一下") == 4
