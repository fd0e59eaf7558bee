"""Chinese labels come from the source: each piece of a statement's `zh` label (split at the
arrows and ellipses that join or cut excerpts) must occur in the text.

Factors, passages, sections, footnotes, keywords and references are exempt: a factor's label
names a quantity (企业活力) that the text may only state in a sentence (企业缺乏活力), and the
others are titles or descriptions of the document itself.
"""

from __future__ import annotations

import re

from errors import Problem
from ingest.anchoring import SourceText, normalise
from ingest.corpus import Corpus
from ingest.models import Factor, Footnote, Keyword, Passage, Reference, Section

_PIECES = re.compile(r"\s*(?:→|…)\s*")
_EXEMPT = (Factor, Passage, Footnote, Section, Keyword, Reference)


def label_problems(corpus: Corpus, source: SourceText, item_iri_prefix: str) -> list[Problem]:
    problems = []
    for item_id, item in corpus.items.items():
        if isinstance(item, _EXEMPT):
            continue
        label = item.label.zh
        missing = [p for p in _PIECES.split(label) if p.strip() and not source.contains(p)]
        if missing:
            problems.append(
                Problem(
                    "label-zh",
                    item_iri_prefix + item_id,
                    f"Chinese label {label!r} is not taken from the source "
                    f"(not found: {', '.join(repr(m) for m in missing)})",
                )
            )
    return problems


__all__ = ["label_problems", "normalise"]
