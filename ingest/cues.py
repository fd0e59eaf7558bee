"""The cue-word pass: every causal cue word of the body, and what the encoding made of it.

A paper's `cue-judgements.yaml` lists its cue words (language-specific, so they are data) and
patterns, and judges the occurrences that no causal link's quote covers: either the statement is
encoded by links elsewhere (`links`, e.g. the abstract restating a mechanism) or it states no
cause (`non_causal`, with the reason). The coverage report lists every occurrence with its
verdict; an occurrence neither covered nor judged is reported as not judged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from errors import AnnotationError
from ingest.anchoring import Anchor, SourceText
from ingest.corpus import CUE_FILE, Corpus, _parse
from ingest.models import CausalLink, ItemId, Loop, _Strict
from ingest.yaml_loader import load_yaml


class CueJudgement(_Strict):
    """One occurrence of a causal cue word that no link's quote covers, and what we made of it."""

    quote: str = Field(
        min_length=2, description="a verbatim span, unique in the source, with the cue"
    )
    cue: str = Field(min_length=1, description="the cue word (or pattern name) it judges")
    links: list[ItemId] = Field(
        default_factory=list, description="the links that encode the statement elsewhere"
    )
    non_causal: str | None = Field(
        default=None, description="why the occurrence states no cause (English)"
    )

    @model_validator(mode="after")
    def _one_verdict(self) -> CueJudgement:
        if bool(self.links) == bool(self.non_causal):
            raise ValueError("a cue judgement gives either links or a non_causal reason")
        return self


class CuePattern(_Strict):
    name: str = Field(min_length=1, description="how the coverage report names it, e.g. 以…为")
    regex: str = Field(min_length=1, description="a Python regular expression over the source")


class CueFile(_Strict):
    """cue-judgements.yaml: the paper's causal cue words and the judged occurrences."""

    cues: list[str] = Field(min_length=1, description="cue words, matched literally")
    patterns: list[CuePattern] = Field(default_factory=list)
    judgements: list[CueJudgement] = Field(default_factory=list)


Verdict = Literal["link", "judged-link", "non-causal", "not-judged"]


@dataclass(frozen=True, slots=True)
class CueRecord:
    start: int
    end: int
    cue: str
    section: str
    context: str
    verdict: Verdict
    links: tuple[str, ...] = ()
    reason: str | None = None


def load_cue_file(folder: Path) -> CueFile | None:
    path = Path(folder) / CUE_FILE
    if not path.exists():
        return None
    return _parse(CueFile, load_yaml(path), path)


def _hits(
    text: str, cues: CueFile, body: list[tuple[int, int, str]]
) -> list[tuple[int, int, str, str]]:
    found: set[tuple[int, int, str, str]] = set()
    searches = [(re.escape(c), c) for c in cues.cues] + [(p.regex, p.name) for p in cues.patterns]
    for regex, name in searches:
        for m in re.finditer(regex, text):
            for lo, hi, section in body:
                if lo <= m.start() < hi:
                    found.add((m.start(), m.end(), name, section))
                    break
    return sorted(found)


def _anchor_judgement(j: CueJudgement, source: SourceText, path: Path) -> tuple[int, int]:
    spans = source.find(j.quote)
    if len(spans) != 1:
        why = "not found in the source" if not spans else f"ambiguous ({len(spans)} places)"
        raise AnnotationError(
            f"cue judgement quote {why}: {j.quote!r}", file=path, field="judgements.quote"
        )
    return spans.pop()


def cue_pass(
    corpus: Corpus,
    source: SourceText,
    anchors: dict[str, Anchor],
    body: list[tuple[int, int, str]],
) -> list[CueRecord]:
    """Every cue occurrence inside the body spans `body` (start, end, section), judged."""
    cues = load_cue_file(corpus.folder)
    if cues is None:
        return []
    path = corpus.folder / CUE_FILE
    for j in cues.judgements:
        for link_id in j.links:
            if not isinstance(corpus.items.get(link_id), CausalLink | Loop):
                raise AnnotationError(
                    f"cue judgement names {link_id!r}, which is not a causal link or loop",
                    file=path,
                    field="judgements.links",
                )
    link_spans: list[tuple[int, int, str]] = []
    for key, anchor in anchors.items():
        item_id = key.partition(".quote-")[0]
        if isinstance(corpus.items.get(item_id), CausalLink | Loop):
            link_spans.append((anchor.start, anchor.end, item_id))
    judged = [(*_anchor_judgement(j, source, path), j) for j in cues.judgements]
    text = source.text
    records = []
    for start, end, cue, section in _hits(text, cues, body):
        context = " ".join(text[max(0, start - 12) : end + 12].split())
        covering = tuple(sorted({i for lo, hi, i in link_spans if lo <= start and end <= hi}))
        judgement = next(
            (j for lo, hi, j in judged if lo <= start and end <= hi and j.cue == cue), None
        )
        if covering:
            records.append(CueRecord(start, end, cue, section, context, "link", covering))
        elif judgement is not None and judgement.links:
            records.append(
                CueRecord(start, end, cue, section, context, "judged-link", tuple(judgement.links))
            )
        elif judgement is not None:
            records.append(
                CueRecord(
                    start, end, cue, section, context, "non-causal", reason=judgement.non_causal
                )
            )
        else:
            records.append(CueRecord(start, end, cue, section, context, "not-judged"))
    return records


def cue_text(records: list[CueRecord]) -> list[str]:
    """The cue pass as lines of the coverage report."""
    if not records:
        return []
    counts = {v: sum(r.verdict == v for r in records) for v in ("link", "judged-link")}
    counts["non-causal"] = sum(r.verdict == "non-causal" for r in records)
    counts["not-judged"] = sum(r.verdict == "not-judged" for r in records)
    lines = [
        f"cue words: {len(records)} occurrences in the body; {counts['link']} inside a link's "
        f"quote, {counts['judged-link']} encoded by links elsewhere, {counts['non-causal']} "
        f"judged non-causal, {counts['not-judged']} not judged"
    ]
    for r in records:
        if r.verdict in ("link", "judged-link"):
            what = "link " + ", ".join(r.links)
        elif r.verdict == "non-causal":
            what = f"non-causal: {r.reason}"
        else:
            what = "NOT JUDGED"
        lines.append(f"  - [{r.section}] {r.cue} @{r.start} «{r.context}» -> {what}")
    return lines
