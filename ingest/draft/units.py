"""Hand and drafted items placed on the draft's sentences, for `compare`.

A hand item is placed by where its quote anchors in the source; a drafted item by its sentence
(and, for an entity, every sentence that mentions it). A hand citation rests on the in-text
marker it points at; a hand link's cause and effect spans are where the halves of its Chinese
label (`cause → effect`) occur nearest its quote in its sentence, else its factor's quote, else
its own quote. The hand files are read as plain YAML, so a corpus being restructured is still
scored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ingest.anchoring import SourceText
from ingest.draft import citations
from ingest.draft.text import Document
from ingest.yaml_loader import parse_yaml


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
        return parse_yaml(path.read_text(encoding="utf-8"))
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
            basis = {"basis": str(item.get("basis", "stated"))}
            units.append(Unit(iid, "link", sents, None, text, cause, effect, basis))
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
