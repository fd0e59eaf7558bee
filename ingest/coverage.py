"""How much of the paper's body the annotations anchor, sentence by sentence.

The body is the text from the abstract to the end, without the title block, the publication
metadata (received date, author notes, editor), the reference list and the English title block
(the English abstract and key words are body). A sentence counts as covered when at least
`threshold` of its characters (compared as in anchoring: no spaces, no markers) fall inside some
item's anchor. Sentences covered only by `passage` items are reported as judged
non-argumentative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.anchoring import Anchor, SourceText, normalise_char
from ingest.corpus import Corpus
from ingest.cues import CueRecord, cue_pass, cue_text
from ingest.models import Entity, EntityKind, Passage, Reference, Section

_SENTENCE_END = re.compile(r"[。！？!?]|(?<=[a-z)])\.(?=\s)|\.$")
_METADATA = re.compile(r"^\s*(收稿日期|作者简介|责任编辑|参考文献|\*\*中图分类号)")
# Citation and footnote markers are not text: <sup>...</sup>, and page ranges printed beside them.
_MARKERS = re.compile(r"<sup>.*?</sup>|\(PP\d+-\d+\)|\[ ?PP\d+-\d+\]", re.S)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    section: str
    covered: float
    """share of the sentence's characters inside an anchor of an argumentative item"""
    covered_by_passage: float


@dataclass
class SectionCoverage:
    section: str
    sentences: int = 0
    covered: int = 0


@dataclass
class CoverageReport:
    threshold: float
    sentences: list[Sentence] = field(default_factory=list)
    cues: list[CueRecord] = field(default_factory=list)
    """every causal cue word of the body, with how the encoding took it"""
    events: list[tuple[str, str | None]] = field(default_factory=list)
    """every event entity with its date, None where the text states none (never looked up)"""

    def unjudged_cues(self) -> list[CueRecord]:
        return [c for c in self.cues if c.verdict == "not-judged"]

    def is_covered(self, s: Sentence) -> bool:
        return max(s.covered, s.covered_by_passage) >= self.threshold

    @property
    def share(self) -> float:
        if not self.sentences:
            return 1.0
        return sum(self.is_covered(s) for s in self.sentences) / len(self.sentences)

    def by_section(self) -> list[SectionCoverage]:
        out: dict[str, SectionCoverage] = {}
        for s in self.sentences:
            sc = out.setdefault(s.section, SectionCoverage(s.section))
            sc.sentences += 1
            sc.covered += self.is_covered(s)
        return list(out.values())

    def uncovered(self) -> list[Sentence]:
        return [s for s in self.sentences if not self.is_covered(s)]

    def non_argumentative(self) -> list[Sentence]:
        return [s for s in self.sentences if s.covered < self.threshold <= s.covered_by_passage]

    def text(self) -> str:
        lines = [
            f"coverage: {self.share:.1%} of {len(self.sentences)} body sentences "
            f"(a sentence counts when {self.threshold:.0%} of it is anchored)"
        ]
        for sc in self.by_section():
            lines.append(f"  {sc.section}: {sc.covered}/{sc.sentences}")
        judged = self.non_argumentative()
        lines.append(f"judged non-argumentative (anchored by passages only): {len(judged)}")
        lines += [f"  - [{s.section}] {_short(s.text)}" for s in judged]
        missing = self.uncovered()
        lines.append(f"not covered: {len(missing)}")
        lines += [f"  - [{s.section}] {s.covered:.0%} {_short(s.text)}" for s in missing]
        lines += cue_text(self.cues)
        lines += event_text(self.events)
        return "\n".join(lines)


def event_text(events: list[tuple[str, str | None]]) -> list[str]:
    """The events as lines of the report: dated by their own quote, or undated."""
    if not events:
        return []
    undated = [e for e, d in events if d is None]
    lines = [
        f"events: {len(events) - len(undated)} dated by their own quote, {len(undated)} "
        "undated (the text states no date; none is looked up)"
    ]
    lines += [f"  - {e}: {d or 'no date in the text'}" for e, d in events]
    return lines


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _excluded_ranges(
    corpus: Corpus, source: SourceText, anchors: dict[str, Anchor]
) -> list[tuple[int, int]]:
    text = source.text
    ranges = [(0, anchors["document.abstract-zh"].start)]
    for m in re.finditer(r"(?m)^.*$", text):
        if _METADATA.match(m.group()):
            ranges.append((m.start(), m.end()))
    refs = [anchors[item.id] for item in corpus.items.values() if isinstance(item, Reference)]
    if refs:
        heading = text.rfind("参考文献", 0, min(a.start for a in refs))
        first = heading if heading != -1 else min(a.start for a in refs)
        ranges.append((first, max(a.end for a in refs)))
        english = anchors["document.abstract-en"].start
        last_ref = max(a.end for a in refs)
        if english > last_ref:
            ranges.append((last_ref, english))
    return ranges


def _mask(length: int, spans: list[tuple[int, int]]) -> bytearray:
    mask = bytearray(length)
    for lo, hi in spans:
        mask[lo:hi] = b"\x01" * (hi - lo)
    return mask


def measure_coverage(
    corpus: Corpus, source: SourceText, anchors: dict[str, Anchor], threshold: float = 0.8
) -> CoverageReport:
    text = source.text
    passage_keys = {k for k, item in corpus.items.items() if isinstance(item, Passage)}
    argumentative = _mask(
        len(text), [(a.start, a.end) for k, a in anchors.items() if k not in passage_keys]
    )
    passages = _mask(len(text), [(anchors[k].start, anchors[k].end) for k in passage_keys])
    excluded = _mask(len(text), _excluded_ranges(corpus, source, anchors))
    markers = _mask(len(text), [(m.start(), m.end()) for m in _MARKERS.finditer(text)])
    section_starts = sorted(
        (anchors[item.id].start, item.id)
        for item in corpus.items.values()
        if isinstance(item, Section)
    )
    refs = [anchors[item.id].end for item in corpus.items.values() if isinstance(item, Reference)]
    back_matter = max(refs) if refs else len(text)
    report = CoverageReport(threshold)
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        for piece in _split(para.group()):
            lo, hi = start + piece[0], start + piece[1]
            start_here = lo
            chars = [
                i
                for i in range(lo, hi)
                if not excluded[i] and not markers[i] and normalise_char(text[i])
            ]
            if len(chars) < 2 or not any(ch.isalnum() for ch in (text[i] for i in chars)):
                continue
            section = "front"
            for pos, sid in section_starts:
                if start_here >= pos:
                    section = sid
            if start_here >= back_matter:
                section = "english"
            report.sentences.append(
                Sentence(
                    start=lo,
                    end=hi,
                    text=text[lo:hi],
                    section=section,
                    covered=sum(argumentative[i] for i in chars) / len(chars),
                    covered_by_passage=sum(passages[i] for i in chars) / len(chars),
                )
            )
    body = [(s.start, s.end, s.section) for s in report.sentences if s.section != "english"]
    report.cues = cue_pass(corpus, source, anchors, body)
    report.events = [
        (item.id, item.date)
        for item in corpus.items.values()
        if isinstance(item, Entity) and item.kind is EntityKind.event
    ]
    return report


def _split(paragraph: str) -> list[tuple[int, int]]:
    pieces = []
    start = 0
    for m in _SENTENCE_END.finditer(paragraph):
        pieces.append((start, m.end()))
        start = m.end()
    if start < len(paragraph):
        pieces.append((start, len(paragraph)))
    return pieces
