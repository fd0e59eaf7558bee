"""Quotes for drafted items, each anchored by the project's own anchoring and verified.

A drafted item quotes a span of one sentence. The quote must occur exactly once in the source
(as `argraph validate` requires): a span that occurs more than once is widened within its
sentence, then to the whole sentence, until it is unique. The anchor is the one
`SourceText.find` returns, so the offsets written in a draft are the ones the build will find.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.anchoring import SourceText, normalise
from ingest.draft.text import Sentence

MIN_CHARS = 4
MAX_WIDENINGS = 16
"""A span is widened at most this often (4 characters each side) before the whole sentence."""
MAX_QUOTE = 1000
"""A sentence longer than this is not quoted whole (it is a run of text, not a sentence)."""


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    start: int
    end: int


def _trim(s: Sentence, i: int, j: int) -> tuple[int, int]:
    while i < j and (s.text[i].isspace() or s.text[i] in ",，、;；:："):
        i += 1
    while j > i and s.text[j - 1].isspace():
        j -= 1
    return i, j


def quote(source: SourceText, s: Sentence, i: int, j: int) -> Quote | None:
    """A verified, unique quote covering characters i..j of the sentence (widened if needed);
    None when even the whole sentence is not unique in the source."""
    i, j = _trim(s, i, j)
    candidates = []
    lo, hi = i, j
    for _ in range(MAX_WIDENINGS):
        candidates.append((lo, hi))
        if lo == 0 and hi == len(s.text):
            break
        lo, hi = max(0, lo - 4), min(len(s.text), hi + 4)
    if len(s.text) <= MAX_QUOTE and candidates[-1] != (0, len(s.text)):
        candidates.append((0, len(s.text)))
    for lo, hi in candidates:
        if hi - lo < MIN_CHARS and (lo, hi) != (0, len(s.text)):
            continue
        text = s.text[lo:hi].strip()
        if not normalise(text):
            continue
        found = unique_span(source, text)
        if found is not None:
            start, end = found
            if start < s.end and end > s.start:
                return Quote(text, start, end)
    return None


def unique_span(source: SourceText, text: str) -> tuple[int, int] | None:
    """The one span of the source the quote matches, as `SourceText.find` would give it, or None
    when it matches none or several. Stops at the second match, so a text that repeats itself
    costs no more than one that does not."""
    needle = normalise(text)
    if not needle:
        return None
    found: set[tuple[int, int]] = set()
    for stream in source._streams:  # the anchoring's own streams: the same spans as find()
        pos = stream.text.find(needle)
        while pos != -1 and len(found) < 2:
            found.add((stream.offsets[pos], stream.offsets[pos + len(needle) - 1] + 1))
            pos = stream.text.find(needle, pos + 1) if len(found) < 2 else -1
        if len(found) > 1:
            return None
    return next(iter(found)) if len(found) == 1 else None


def verify(source: SourceText, text: str, start: int, end: int) -> bool:
    """The quote occurs exactly once in the source, at these offsets."""
    return source.find(text) == {(start, end)}
