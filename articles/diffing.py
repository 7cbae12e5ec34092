"""Paragraph alignment and word-level diffs. Output is escaped HTML: a translator's text is never trusted."""

import dataclasses
import difflib
import re

from django.utils.html import escape

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def _tokens(text):
    return _TOKEN.findall(text or "")


def word_diff(old, new):
    """One escaped HTML string showing `old` turned into `new`, with <del> and <ins> word by word."""
    a, b = _tokens(old), _tokens(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out)


@dataclasses.dataclass
class ParagraphChange:
    """One row of a paragraph diff: 'equal', 'changed', 'inserted' or 'deleted'."""

    kind: str
    old: str
    new: str
    old_index: int | None
    new_index: int | None

    @property
    def html(self):
        if self.kind == "equal":
            return escape(self.new)
        return word_diff(self.old, self.new)

    @property
    def is_change(self):
        return self.kind != "equal"


def paragraph_diff(old_paragraphs, new_paragraphs):
    """Pair the paragraphs of two texts and say, for each pair, what changed."""
    rows = []
    matcher = difflib.SequenceMatcher(None, old_paragraphs, new_paragraphs, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [ParagraphChange("equal", old_paragraphs[i], new_paragraphs[j], i, j)
                     for i, j in zip(range(i1, i2), range(j1, j2))]
            continue
        # Inside a replaced run, pair paragraphs in order; the surplus on either side stands alone.
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        for k in range(max(len(olds), len(news))):
            i = olds[k] if k < len(olds) else None
            j = news[k] if k < len(news) else None
            kind = "changed" if i is not None and j is not None else ("deleted" if j is None else "inserted")
            rows.append(ParagraphChange(
                kind,
                old_paragraphs[i] if i is not None else "",
                new_paragraphs[j] if j is not None else "",
                i, j,
            ))
    return rows


# --- Alignment of a source with its translation -----------------------------------------------------

def block_kind(paragraph):
    stripped = paragraph.lstrip()
    if stripped.startswith("#"):
        return "heading"
    if re.match(r"([-*+]|\d+[.)])\s", stripped):
        return "list"
    if stripped.startswith(">"):
        return "quote"
    if stripped.startswith(("```", "~~~", "    ")):
        return "code"
    return "paragraph"


@dataclasses.dataclass
class AlignedRow:
    """Source paragraphs and the translated paragraphs that render them (either side may be empty)."""

    source: list
    target: list
    source_indices: list
    target_indices: list


# Cost of each way of pairing: 1-1 is the norm; merges, splits and gaps must earn their place.
_MOVES = {(1, 1): 0.0, (1, 2): 1.2, (2, 1): 1.2, (1, 0): 2.5, (0, 1): 2.5}


def align(source, target):
    """Pair source and translated paragraphs by length and block kind, allowing 1-2 and 2-1 pairs.

    A simplified Gale-Church alignment: a translation's paragraphs keep roughly the length ratio of
    the whole text, headings face headings, and a paragraph may cover two or be split in two.
    """
    n, m = len(source), len(target)
    total_s = sum(len(p) for p in source) or 1
    total_t = sum(len(p) for p in target) or 1
    ratio = total_t / total_s

    def cost(ss, tt):
        ls = sum(len(p) for p in ss) * ratio
        lt = sum(len(p) for p in tt)
        mismatch = abs(ls - lt) / max(ls, lt, 1)
        kinds = {block_kind(p) for p in ss} ^ {block_kind(p) for p in tt}
        return mismatch * 2 + (1.5 if kinds and ss and tt else 0)

    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if best[i][j] == inf:
                continue
            for (di, dj), penalty in _MOVES.items():
                ni, nj = i + di, j + dj
                if ni > n or nj > m:
                    continue
                value = best[i][j] + penalty + (cost(source[i:ni], target[j:nj]) if di and dj else 0)
                if value < best[ni][nj]:
                    best[ni][nj], back[ni][nj] = value, (i, j)
    rows, i, j = [], n, m
    while (i, j) != (0, 0):
        pi, pj = back[i][j]
        rows.append(AlignedRow(source[pi:i], target[pj:j], list(range(pi, i)), list(range(pj, j))))
        i, j = pi, pj
    rows.reverse()
    return rows
