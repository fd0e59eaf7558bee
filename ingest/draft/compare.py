"""Score a draft against a hand encoding: precision and recall per item kind.

Both sides are placed on the draft's sentences: a hand item by where its quote anchors in the
source, a drafted item by its sentence. An item matches when an item of the same kind shares a
sentence with it (statistics: and the same value; claims: and the same kind). Causal links are
also scored at span level: a hand link is found when a drafted link of its sentence has a cause
span overlapping the hand cause span and an effect span overlapping the hand effect span. The
hand spans are where the two halves of the link's Chinese label (`cause → effect`) occur in the
link's sentence, else the quote of the factor, else the link's own quote.

The hand files are read as plain YAML (items with `type`), so a corpus being restructured, or
with a quote that no longer anchors, is still scored (such items are counted as `unanchored`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ingest.anchoring import SourceText
from ingest.draft.text import Document, Sentence, numeral
from ingest.draft.units import Unit, draft_units, hand_units, raw_items

__all__ = ["Comparison", "Miss", "Score", "compare", "markdown", "raw_items"]

KINDS = ("statistic", "citation", "link", "claim", "policy", "entity", "section", "reference")


class Miss(BaseModel):
    id: str
    sentence: str | None
    text: str
    basis: str | None = None
    """a hand link's basis: stated (the paper's words) or inferred (the encoder's reading)"""


class Score(BaseModel):
    kind: str
    level: str
    hand: int
    draft: int
    hand_found: int
    draft_right: int
    precision: float | None
    recall: float | None
    misses: list[Miss] = []
    false_alarms: list[Miss] = []


class Comparison(BaseModel):
    sections: list[str]
    scores: list[Score]
    unanchored: list[str]

    def get(self, kind: str, level: str = "sentence") -> Score:
        return next(s for s in self.scores if s.kind == kind and s.level == level)


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _agree(h: Unit, d: Unit, level: str) -> bool:
    if not (h.sentences & d.sentences):
        return False
    if (
        h.kind in ("statistic", "claim", "citation", "entity", "section", "reference")
        and h.key != d.key
    ):
        return False
    if level == "span":
        return _overlap(h.cause, d.cause) and _overlap(h.effect, d.effect)
    return True


def _score(kind: str, level: str, hand: list[Unit], draft: list[Unit]) -> Score:
    if kind in ("entity", "section", "reference"):
        hk, dk = {h.key for h in hand}, {d.key for d in draft}
        found = [h for h in hand if h.key in dk]
        right = [d for d in draft if d.key in hk]
    else:
        found = [h for h in hand if any(_agree(h, d, level) for d in draft)]
        right = [d for d in draft if any(_agree(h, d, level) for h in hand)]
    if kind == "citation":  # one marker may be cited by several hand items: count it once
        hmap, dmap = {h.key: h for h in hand}, {d.key: d for d in draft}
        both = set(hmap) & set(dmap)
        return _ratio(
            kind,
            level,
            len(hmap),
            len(dmap),
            len(both),
            len(both),
            [_miss(h) for k, h in hmap.items() if k not in both],
            [_miss(d) for k, d in dmap.items() if k not in both],
        )
    found_ids = {h.id for h in found}
    right_ids = {d.id for d in right}
    misses = [_miss(h) for h in hand if h.id not in found_ids]
    alarms = [_miss(d) for d in draft if d.id not in right_ids]
    return _ratio(
        kind,
        level,
        len({h.id for h in hand}),
        len({d.id for d in draft}),
        len(found_ids),
        len(right_ids),
        misses,
        alarms,
    )


def _entities(
    hand: list[Unit], draft: list[Unit], all_hand: set[Any], all_draft: set[Any]
) -> Score:
    hk, dk = {h.key: h for h in hand}, {d.key: d for d in draft}
    found = [k for k in hk if k in all_draft]
    right = [k for k in dk if k in all_hand]
    return _ratio(
        "entity",
        "sentence",
        len(hk),
        len(dk),
        len(found),
        len(right),
        [_miss(h) for k, h in hk.items() if k not in all_draft],
        [_miss(d) for k, d in dk.items() if k not in all_hand],
    )


def _miss(u: Unit) -> Miss:
    return Miss(
        id=u.id, sentence=min(u.sentences, default=None), text=u.text, basis=u.extra.get("basis")
    )


def _ratio(
    kind: str,
    level: str,
    nh: int,
    nd: int,
    fh: int,
    rd: int,
    misses: list[Miss],
    alarms: list[Miss],
) -> Score:
    return Score(
        kind=kind,
        level=level,
        hand=nh,
        draft=nd,
        hand_found=fh,
        draft_right=rd,
        precision=round(rd / nd, 3) if nd else None,
        recall=round(fh / nh, 3) if nh else None,
        misses=misses,
        false_alarms=alarms,
    )


def _in_sections(units: Iterable[Unit], numbers: set[str] | None, doc: Document) -> list[Unit]:
    if numbers is None:
        return [u for u in units if u.sentences or u.kind in ("entity", "section", "reference")]
    sec = {s.id: s.section for s in doc.sentences}
    return [u for u in units if any(sec.get(x) in numbers for x in u.sentences)]


def compare(
    doc: Document,
    source: SourceText,
    draft_dir: Path,
    hand_dir: Path,
    sections: list[str] | None = None,
) -> Comparison:
    hand, unanchored = hand_units(doc, source, hand_dir)
    draft = draft_units(doc, draft_dir)
    wanted = set(sections) if sections else None
    all_hand = {u.key for u in hand if u.kind == "entity"}
    all_draft = {u.key for u in draft if u.kind == "entity"}
    hand = _in_sections(hand, wanted, doc)
    draft = _in_sections(draft, wanted, doc)
    scores = []
    for kind in KINDS:
        h = [u for u in hand if u.kind == kind]
        d = [u for u in draft if u.kind == kind]
        if kind == "entity":  # named in scope; found (or right) when the other side has it at all
            scores.append(_entities(h, d, all_hand, all_draft))
            continue
        scores.append(_score(kind, "sentence", h, d))
        if kind == "link":
            scores.append(_score(kind, "span", h, d))
        if kind == "claim":
            for ck in ("empirical", "normative", "causal"):
                scores.append(
                    _score(
                        f"claim:{ck}",
                        "sentence",
                        [u for u in h if u.key == ck],
                        [u for u in d if u.key == ck],
                    )
                )
    return Comparison(
        sections=sorted(wanted or [], key=numeral), scores=scores, unanchored=unanchored
    )


def markdown(result: Comparison, title: str, misses: int = 10) -> str:
    lines = [
        f"### {title}",
        "",
        "| kind | level | hand | draft | precision | recall |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for s in result.scores:
        p = "–" if s.precision is None else f"{s.precision:.2f}"
        r = "–" if s.recall is None else f"{s.recall:.2f}"
        lines.append(f"| {s.kind} | {s.level} | {s.hand} | {s.draft} | {p} | {r} |")
    if misses:
        for s in result.scores:
            if s.kind in ("statistic", "citation", "link") and (s.misses or s.false_alarms):
                lines.append("")
                lines.append(
                    f"{s.kind} ({s.level}): {len(s.misses)} missed, {len(s.false_alarms)} false alarms"
                )
                for m in s.misses[:misses]:
                    lines.append(f"- missed `{m.id}` ({m.sentence}) {m.text}")
                for m in s.false_alarms[:misses]:
                    lines.append(f"- false alarm `{m.id}` ({m.sentence}) {m.text}")
    return "\n".join(lines) + "\n"


def sentences_by_id(doc: Document) -> dict[str, Sentence]:
    return {s.id: s for s in doc.sentences}
