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

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from argraph.ingest.anchoring import SourceText
from argraph.ingest.draft import citations
from argraph.ingest.draft.text import Document, Sentence, numeral

KINDS = ("statistic", "citation", "link", "claim", "policy", "entity", "section", "reference")


class Miss(BaseModel):
    id: str
    sentence: str | None
    text: str


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


@dataclass
class Unit:
    """An item placed on sentences, with what it must agree on."""

    id: str
    kind: str
    sentences: set[str]
    key: Any = None
    text: str = ""
    cause: tuple[int, int] | None = None
    effect: tuple[int, int] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _yaml_files(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in Path(folder).glob(pattern) if p.name != "anchors.lock.yaml")


def _load(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None


def raw_items(folder: Path, pattern: str = "*.yaml") -> list[dict[str, Any]]:
    """Every item (a mapping with an id) of the YAML files of a folder, with its `type`
    (sections, footnotes and references get theirs from the list they are in)."""
    out: list[dict[str, Any]] = []
    for path in _yaml_files(folder, pattern):
        data = _load(path)
        if not isinstance(data, dict):
            continue
        for key, kind in (
            ("items", None),
            ("sections", "section"),
            ("footnotes", "footnote"),
            ("references", "reference"),
        ):
            for item in data.get(key) or []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    out.append({"type": kind, **item} if kind else item)
    return out


def _entity_key(item: dict[str, Any]) -> str:
    """Entities are the same when their Chinese names are (a drafted firm has an id of its own)."""
    return str((item.get("label") or {}).get("zh", item.get("id")))


def _sentences_of(doc: Document, start: int, end: int) -> set[str]:
    return {s.id for s in doc.sentences if s.start < end and start < s.end}


def _number(value: Any) -> float | None:
    try:
        return round(abs(float(value)), 4)
    except (TypeError, ValueError):
        return None


def hand_units(doc: Document, source: SourceText, folder: Path) -> tuple[list[Unit], list[str]]:
    items = raw_items(folder)
    by_id = {i["id"]: i for i in items}
    units: list[Unit] = []
    unanchored: list[str] = []
    anchors: dict[str, tuple[int, int]] = {}
    marks = _markers(doc)
    unmarked: list[str] = []
    for item in items:
        q = item.get("quote")
        spans = source.find(q) if isinstance(q, str) else set()
        if len(spans) != 1:
            if item.get("type") in ("claim", "link", "statistic", "policy"):
                unanchored.append(str(item["id"]))
            continue
        anchors[item["id"]] = next(iter(spans))
    for item in items:
        iid, kind = str(item["id"]), item.get("type")
        if iid not in anchors:
            continue
        a, b = anchors[iid]
        sents = _sentences_of(doc, a, b)
        text = str(item.get("quote", ""))[:60]
        if kind == "statistic":
            units.append(Unit(iid, "statistic", sents, _number(item.get("value")), text))
        elif kind == "claim":
            units.append(Unit(iid, "claim", sents, item.get("kind"), text))
        elif kind == "policy":
            units.append(Unit(iid, "policy", sents, None, text))
        elif kind == "entity":
            units.append(Unit(iid, "entity", sents, _entity_key(item), text))
        elif kind == "section":
            units.append(Unit(iid, "section", sents, str(item.get("number")), text))
        elif kind == "reference":
            units.append(Unit(iid, "reference", sents, item.get("number"), text))
        elif kind == "link":
            cause, effect = _hand_spans(item, by_id, anchors, source, (a, b), doc, sents)
            units.append(Unit(iid, "link", sents, None, text, cause, effect))
        wanted = [c["ref"] for c in item.get("cites") or [] if isinstance(c, dict) and "ref" in c]
        wanted += ["footnote"] * len(item.get("footnotes") or [])
        for ref in wanted:
            at = _marker_for(marks, ref, a, b)
            if at is None:
                unmarked.append(f"{iid} [{ref}]")
                continue
            sid = {max((s for s in doc.sentences if s.start <= at), key=lambda s: s.start).id}
            units.append(Unit(f"{iid}#{ref}", "citation", sid or sents, (at, ref), text))
    return units, unanchored + [f"{u} (no marker)" for u in unmarked]


MARKER_REACH = 400
"""How far after its quote a hand citation's marker may sit (a marker closes a passage)."""


def _markers(doc: Document) -> list[tuple[int, int | str]]:
    out: list[tuple[int, int | str]] = []
    for s in doc.sentences:
        for c in citations.markers(s):
            out.append((c.start, c.ref if c.ref is not None else "footnote"))
    return sorted(out, key=lambda m: m[0])


def _marker_for(marks: list[tuple[int, int | str]], ref: Any, a: int, b: int) -> int | None:
    """The in-text marker a hand citation rests on: the first marker of that reference from
    the start of the quote to a little after its end; None for a citation the text gives no
    marker for (a footnote's '下同' covering later sentences)."""
    for at, r in marks:
        if r == ref and a <= at <= b + MARKER_REACH:
            return at
    return None


def _hand_spans(
    item: dict[str, Any],
    by_id: dict[str, Any],
    anchors: dict[str, tuple[int, int]],
    source: SourceText,
    quote_span: tuple[int, int],
    doc: Document,
    sents: set[str],
) -> tuple[tuple[int, int], tuple[int, int]]:
    rng = [(s.start, s.end) for s in doc.sentences if s.id in sents] or [quote_span]
    lo, hi = min(r[0] for r in rng), max(r[1] for r in rng)
    label = str((item.get("label") or {}).get("zh", ""))
    halves = [re.sub(r"[（(][^)）]*[)）]$", "", h).strip(" “”\"'") for h in label.split("→")]
    out = []
    for half, ref in zip([*halves, "", ""], ("cause", "effect"), strict=False):
        span = None
        if half and "…" not in half:
            near = [sp for sp in source.find(half) if lo <= sp[0] and sp[1] <= hi]
            span = min(near, key=lambda sp: _distance(sp, quote_span)) if near else None
        factor = item.get(ref)
        if span is None and isinstance(factor, str) and factor in anchors:
            fa, fb = anchors[factor]
            span = (fa, fb) if lo <= fa and fb <= hi else None
        out.append(span or quote_span)
    return out[0], out[1]


def _distance(span: tuple[int, int], quote: tuple[int, int]) -> int:
    """How far a span lies from the link's quote (0 when they overlap)."""
    if span[0] < quote[1] and quote[0] < span[1]:
        return 0
    return min(abs(span[0] - quote[1]), abs(quote[0] - span[1]))


def draft_units(doc: Document, folder: Path) -> list[Unit]:
    units: list[Unit] = []
    sentence_ids = {s.id for s in doc.sentences}
    for item in raw_items(Path(folder) / "draft", "*.draft.yaml"):
        d = item.get("draft") or {}
        iid, kind = str(item["id"]), item.get("type")
        sents = {d["sentence"]} & sentence_ids if d.get("sentence") else set()
        if not sents and isinstance(d.get("start"), int):
            sents = _sentences_of(doc, d["start"], d["end"])
        text = str(item.get("quote", ""))[:60]
        if kind == "statistic":
            units.append(Unit(iid, "statistic", sents, _number(item.get("value")), text))
        elif kind == "claim":
            units.append(Unit(iid, "claim", sents, item.get("kind"), text))
        elif kind == "policy":
            units.append(Unit(iid, "policy", sents, None, text))
        elif kind == "entity":
            mentioned = set(d.get("mentions") or []) & sentence_ids
            units.append(Unit(iid, "entity", sents | mentioned, _entity_key(item), text))
        elif kind == "section":
            units.append(Unit(iid, "section", sents, str(item.get("number")), text))
        elif kind == "reference":
            units.append(Unit(iid, "reference", sents, item.get("number"), text))
        elif kind == "link":
            cs, es = d.get("cause_span"), d.get("effect_span")
            units.append(
                Unit(
                    iid,
                    "link",
                    sents,
                    None,
                    str(item.get("label", {}).get("zh", ""))[:60],
                    (int(cs[0]), int(cs[1])) if cs else None,
                    (int(es[0]), int(es[1])) if es else None,
                )
            )
    cites = _load(Path(folder) / "draft" / "citations.draft.yaml") or {}
    for k, c in enumerate(cites.get("citations") or []):
        key = (c.get("start"), c.get("ref", "footnote" if c.get("footnote") else None))
        units.append(
            Unit(
                f"cite-{k + 1}",
                "citation",
                {c.get("sentence")} & sentence_ids,
                key,
                str(c.get("marker")),
            )
        )
    return units


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
    misses = [
        Miss(id=h.id, sentence=min(h.sentences, default=None), text=h.text)
        for h in hand
        if h.id not in found_ids
    ]
    alarms = [
        Miss(id=d.id, sentence=min(d.sentences, default=None), text=d.text)
        for d in draft
        if d.id not in right_ids
    ]
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
    return Miss(id=u.id, sentence=min(u.sentences, default=None), text=u.text)


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
