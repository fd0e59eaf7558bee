"""Write a draft as YAML files in DIR/draft/, a folder the build never reads.

Files: `paper.draft.yaml` (sections and footnotes), `references.draft.yaml`,
`entities.draft.yaml`, one `NN-sec-N.draft.yaml` per section (claims, statistics, factors,
links, policies), and two records that are not items: `sentences.draft.yaml` (the sentences
the draft was scored on) and `citations.draft.yaml` (every in-text marker and what it points
at). Every item carries a `draft:` block; see `ingest.draft.items`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ingest.draft.items import TODO, DraftItem
from ingest.draft.pipeline import Draft
from ingest.draft.text import numeral

DRAFT_FOLDER = "draft"
SUFFIX = ".draft.yaml"
HEADER = (
    "# DRAFT written by `argraph draft`: proposals for a person to review, never read by the\n"
    "# build. Edit an item (replace every TODO, fix spans and ids), then promote it with\n"
    "# `argraph draft --accept ID --out DIR --into corpus/NAME`; see docs/guides/drafting.md.\n"
)


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096)


def _write(path: Path, data: Any) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(HEADER + dump(data), encoding="utf-8")
    tmp.replace(path)


def section_file(number: str) -> str:
    return f"{numeral(number):02d}-sec-{numeral(number)}{SUFFIX}"


def write_draft(draft: Draft, out: Path) -> list[Path]:
    """Write the draft's files into OUT/draft/ (created; earlier draft files replaced)."""
    folder = Path(out) / DRAFT_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"*{SUFFIX}"):
        old.unlink()
    by_type: dict[str, list[DraftItem]] = {}
    for item in draft.items:
        by_type.setdefault(item.type, []).append(item)
    written: list[Path] = []

    def put(name: str, data: Any) -> None:
        path = folder / name
        _write(path, data)
        written.append(path)

    put(
        f"paper{SUFFIX}",
        {
            "document": _document(draft),
            "sections": [_section(i) for i in by_type.get("section", [])],
            "footnotes": [_section(i) for i in by_type.get("footnote", [])],
        },
    )
    put(f"references{SUFFIX}", {"references": [i.as_yaml() for i in by_type.get("reference", [])]})
    put(
        f"entities{SUFFIX}",
        {"section": None, "items": [i.as_yaml() for i in by_type.get("entity", [])]},
    )
    for sec in draft.document.sections:
        items = [
            i.as_yaml()
            for i in draft.items
            if i.section == sec.number
            and i.type not in ("section", "footnote", "reference", "entity")
        ]
        put(section_file(sec.number), {"section": f"sec-{numeral(sec.number)}", "items": items})
    put(
        f"sentences{SUFFIX}",
        {
            "source": draft.source_path,
            "source_sha256": draft.source_sha256,
            "sections": [
                {"number": s.number, "title": s.title, "start": s.start, "end": s.end}
                for s in draft.document.sections
            ],
            "sentences": [
                {"id": s.id, "section": s.section, "start": s.start, "end": s.end}
                for s in draft.document.sentences
            ],
            "unquoted": draft.unquoted,
        },
    )
    put(f"citations{SUFFIX}", {"citations": _citations(draft, by_type.get("reference", []))})
    return written


def _document(draft: Draft) -> dict[str, Any]:
    """A start for the document record of paper.yaml: what the front matter prints, and TODO
    for what a person must write (the record is not accepted: copy it into paper.yaml)."""
    front = draft.document.front
    doc: dict[str, Any] = {"id": draft.name, "source": draft.source_path}
    if "title" in front:
        doc["title"] = {"zh": front["title"], "en": TODO}
        doc["title_quote"] = front["title"]
    if "subtitle" in front:
        doc["subtitle"] = {"zh": front["subtitle"], "en": TODO}
    doc["authors"] = [{"zh": TODO, "en": TODO}]
    doc["affiliation"] = {"zh": TODO, "en": TODO}
    doc["year"] = TODO
    doc["issue"] = TODO
    doc["pages"] = TODO
    for key in ("abstract_zh", "abstract_en"):
        doc[key] = front.get(key, TODO)
    if "keywords" in front:
        doc["keywords"] = [k.strip() for k in re.split(r"[;；]", front["keywords"]) if k.strip()]
    return doc


def _citations(draft: Draft, references: list[DraftItem]) -> list[dict[str, Any]]:
    """Every in-text marker with what it points at: `reference: ref-N` or `footnote: fn-N`, or
    `unresolved: true` when the reference list or the footnotes have no such entry."""
    numbers = {r.fields.get("number"): r.id for r in references}
    notes = draft.document.footnotes
    out = []
    for c in draft.citations:
        record = {k: v for k, v in vars_of(c).items() if v is not None}
        if c.ref is not None:
            target = numbers.get(c.ref)
            record["reference"] = target
        else:
            after = [
                k
                for k, n in enumerate(notes, start=1)
                if n.marker == c.footnote and n.start > c.start
            ]
            target = f"fn-{after[0]}" if after else None
            record["footnote_id"] = target
        if target is None:
            record["unresolved"] = True
        out.append(record)
    return out


def vars_of(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


def _section(item: DraftItem) -> dict[str, Any]:
    data = item.as_yaml()
    data.pop("type", None)
    return data
