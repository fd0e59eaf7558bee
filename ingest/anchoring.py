"""Locate each verbatim quote in the source text, robust to the PDF's artefacts.

The source is a PDF converted to Markdown. Page breaks show as blank lines that cut sentences,
and some cuts have page furniture between the halves (a footnote, the received-date block).
Punctuation mixes full-width and ASCII forms, and citation markers sit inside sentences as
``<sup>...</sup>``. Quotes in the annotations are written as a reader would copy them: without
the break, the furniture or the markers.

Matching is exact on a normalised form of both texts: Unicode NFKC (full-width punctuation to
ASCII), curly quotes folded, whitespace and Markdown emphasis/heading marks dropped, ``<sup>``
markers dropped. Each normalised character keeps its offset in the original, so the anchor is
reported in original code-point offsets. The body is matched twice: once as a stream without the
page furniture (so a sentence that a footnote cuts still matches, with the footnote inside the
span) and once as the full text (so footnotes themselves can be quoted). A quote that matches no
span, or two different spans, is an error: it is never re-anchored somewhere else.

Page furniture is a paragraph that a furniture pattern matches at its start (the paragraph
stripped of surrounding whitespace, so `$` ends it): the generic ones below (a page number alone, a DOI line, a page-foot note opening with
its marker, the received-date, author and editor lines that Chinese journals print), and those a paper declares for its journal in its
paper.yaml (`furniture:`, `SourceText.with_furniture`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

CONTEXT_CHARS = 20
"""How many characters of the source `oa:prefix` and `oa:suffix` carry."""

GENERIC_FURNITURE: tuple[str, ...] = (
    r"[-–—·•.\s]*(第\s*)?\d{1,4}(\s*页)?[-–—·•.\s]*$",  # a page number alone (· 12 ·, - 3 -)
    r"DOI\s*[:：]",  # the DOI line of a masthead
    r"<sup>\s*([①-⑳*†‡]|\d{1,2})\s*</sup>",  # a page-foot note: it opens with its marker
    r"(收稿日期|作者简介|责任编辑)",  # received date, author note, editor (Chinese journals)
)
"""Page furniture of any paper: patterns matched at the start of a paragraph."""

_FURNITURE = re.compile(r"^\s*(" + "|".join(f"(?:{p})" for p in GENERIC_FURNITURE) + ")")
"""The generic patterns as one (ingest/draft uses it for texts not yet annotated)."""
_SUP = re.compile(r"<sup>.*?</sup>", re.S)
_DROP = set("#*")
_FOLD = {"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "}


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote sits in the source: code-point offsets and the Web Annotation selectors."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def normalise_char(ch: str) -> str:
    """The comparison form of one character ('' when it is not compared at all)."""
    ch = _FOLD.get(ch, ch)
    if ch.isspace() or ch in _DROP:
        return ""
    return unicodedata.normalize("NFKC", ch)


def normalise(text: str) -> str:
    """The comparison form of a quote."""
    return "".join(normalise_char(ch) for ch in _SUP.sub("", text))


class _Stream:
    """A normalised text with, for each normalised character, its offset in the original."""

    def __init__(self, source: str, ranges: list[tuple[int, int]]) -> None:
        chars: list[str] = []
        offsets: list[int] = []
        for lo, hi in ranges:
            masked = _mask_sup(source, lo, hi)
            for i in range(lo, hi):
                if masked[i - lo]:
                    continue
                norm = normalise_char(source[i])
                for c in norm:
                    chars.append(c)
                    offsets.append(i)
        self.text = "".join(chars)
        self.offsets = offsets

    def spans(self, needle: str) -> set[tuple[int, int]]:
        found: set[tuple[int, int]] = set()
        pos = self.text.find(needle)
        while pos != -1:
            found.add((self.offsets[pos], self.offsets[pos + len(needle) - 1] + 1))
            pos = self.text.find(needle, pos + 1)
        return found


def _mask_sup(source: str, lo: int, hi: int) -> list[bool]:
    mask = [False] * (hi - lo)
    for m in _SUP.finditer(source, lo, hi):
        for i in range(m.start(), m.end()):
            mask[i - lo] = True
    return mask


def _paragraphs(source: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in re.finditer(r"\n[ \t\u00a0]*\n", source):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(source)))
    return spans


def _is_furniture(para: str, own: list[re.Pattern[str]]) -> bool:
    return bool(_FURNITURE.match(para)) or any(f.match(para) for f in own)


class SourceText:
    """A source document prepared for anchoring; `furniture`: the paper's own furniture
    patterns (paper.yaml), in addition to the generic ones."""

    def __init__(self, text: str, furniture: Sequence[str] = ()) -> None:
        self.text = text
        self.furniture = tuple(furniture)
        self.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
        own = [re.compile(p) for p in self.furniture]
        body = [(a, b) for a, b in _paragraphs(text) if not _is_furniture(text[a:b].strip(), own)]
        self._streams = (_Stream(text, body), _Stream(text, [(0, len(text))]))

    def with_furniture(self, furniture: Sequence[str]) -> SourceText:
        """The same text, with the paper's furniture patterns (itself when they are these)."""
        if tuple(furniture) == self.furniture:
            return self
        return SourceText(self.text, furniture)

    def find(self, quote: str) -> set[tuple[int, int]]:
        """Every distinct span of the source that the quote matches."""
        needle = normalise(quote)
        if not needle:
            return set()
        found: set[tuple[int, int]] = set()
        for stream in self._streams:
            found |= stream.spans(needle)
        return found

    def contains(self, text: str) -> bool:
        """Whether the text occurs in the source (compared as quotes are)."""
        needle = normalise(text)
        return bool(needle) and any(needle in stream.text for stream in self._streams)

    def anchor(self, start: int, end: int) -> Anchor:
        return Anchor(
            start=start,
            end=end,
            exact=self.text[start:end],
            prefix=self.text[max(0, start - CONTEXT_CHARS) : start],
            suffix=self.text[end : end + CONTEXT_CHARS],
        )

    def longest_matching_prefix(self, quote: str) -> str:
        """The longest start of the quote that the source contains: where a mismatch begins."""
        needle = normalise(quote)
        texts = [s.text for s in self._streams]
        lo, hi = 0, len(needle)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if any(needle[:mid] in t for t in texts):
                lo = mid
            else:
                hi = mid - 1
        return needle[:lo]

    def context(self, start: int, end: int, chars: int = 240) -> str:
        """The passage around a span, for readers (not an anchor)."""
        return self.text[max(0, start - chars) : min(len(self.text), end + chars)]
