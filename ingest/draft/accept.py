"""Promote reviewed draft items into a corpus, and keep drafts out of the build.

`accept(ids, draft_dir, corpus)` takes items from DIR/draft/*.draft.yaml, with the draft items
they point at (a link's factors and claim, a statistic's area, the section of its file...),
drops their `draft:` block, refuses any that still holds a TODO or does not fit the annotation
models, and writes them into the corpus: section items into `accepted-sec-N.yaml`, entities and
shared items into `accepted-shared.yaml`, references into `references.yaml`, sections and
footnotes into `paper.yaml` (which must exist: the document record is the person's). The whole
corpus is loaded from a copy first; nothing is written unless it loads.

`refuse_draft_items(folder)` raises on any item of a corpus that still carries a `draft:` block.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from errors import AnnotationError
from ingest.draft.items import TODO
from ingest.draft.writer import DRAFT_FOLDER, SUFFIX, dump
from ingest.models import Footnote, Item, Reference, Section
from ingest.safe_read import read_input_text
from ingest.yaml_loader import load_yaml

RELATIONS = (
    "cause",
    "effect",
    "asserted_by",
    "area",
    "actors",
    "about",
    "supports",
    "challenges",
    "qualifies",
    "targets",
    "members",
    "located_in",
    "footnotes",
    "part_of",
    "rationale",
    "statistics",
    "source",
    "region",
    "broader",
)
_ITEM = TypeAdapter(Item)
_MODELS: dict[str, Any] = {"section": Section, "footnote": Footnote, "reference": Reference}


@dataclass
class Drafted:
    item: dict[str, Any]
    file: Path
    container: str
    """items / sections / footnotes / references"""
    section: str | None


@dataclass
class Accepted:
    id: str
    file: Path


def load_drafts(out: Path) -> dict[str, Drafted]:
    folder = Path(out) / DRAFT_FOLDER
    if not folder.is_dir():
        raise AnnotationError(
            f"no draft here: {folder} does not exist (run `argraph draft` first)", file=folder
        )
    found: dict[str, Drafted] = {}
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        data = load_yaml(path) or {}
        if not isinstance(data, dict):
            continue
        for container in ("items", "sections", "footnotes", "references"):
            for item in data.get(container) or []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    found[item["id"]] = Drafted(item, path, container, data.get("section"))
    return found


def _corpus_ids(corpus: Path) -> set[str]:
    ids: set[str] = set()
    for path in Path(corpus).glob("*.yaml"):
        data = load_yaml(path) or {}
        if not isinstance(data, dict):
            continue
        for container in ("items", "sections", "footnotes", "references"):
            for item in data.get(container) or []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    ids.add(item["id"])
    return ids


def refuse_draft_items(folder: Path) -> None:
    """A corpus never holds draft items: any item with a `draft:` block is an AnnotationError
    naming its file, line and id (call before the models parse the files)."""
    for path in sorted(Path(folder).glob("*.yaml")):
        data = load_yaml(path)
        if not isinstance(data, dict):
            continue
        for container in ("items", "sections", "footnotes", "references"):
            seq = data.get(container) or []
            for k, item in enumerate(seq):
                if isinstance(item, dict) and "draft" in item:
                    lines = getattr(seq, "item_lines", [])
                    raise AnnotationError(
                        "a draft item in a corpus: review it and promote it with "
                        "`argraph draft --accept` (which removes its draft block)",
                        file=path,
                        line=lines[k] if k < len(lines) else None,
                        item=str(item.get("id")),
                        field="draft",
                    )


def _todo_field(value: Any, path: str = "") -> str | None:
    if isinstance(value, str):
        return path or "value" if TODO in value else None
    if isinstance(value, dict):
        for k, v in value.items():
            hit = _todo_field(v, f"{path}.{k}" if path else str(k))
            if hit:
                return hit
    if isinstance(value, list):
        if path in ("targets", "area") and not value:
            return path
        for i, v in enumerate(value):
            hit = _todo_field(v, f"{path}[{i}]")
            if hit:
                return hit
    return None


def _plain(value: Any) -> Any:
    """Plain dicts and lists (the line-aware loader's subclasses cannot be dumped)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _clean(d: Drafted) -> dict[str, Any]:
    item = {k: _plain(v) for k, v in d.item.items() if k != "draft"}
    todo = _todo_field(item)
    if todo is None and item.get("type") == "policy" and not item.get("targets"):
        todo = "targets"
    if todo is None and item.get("type") == "statistic" and not item.get("area"):
        todo = "area"
    if todo is not None:
        raise AnnotationError(
            f"still a draft: replace the {TODO} (or fill the empty list) in field {todo!r} before accepting",
            file=d.file,
            item=item["id"],
            field=todo,
        )
    kind = (
        "section"
        if d.container == "sections"
        else "footnote"
        if d.container == "footnotes"
        else item.get("type")
    )
    try:
        if kind in _MODELS:
            _MODELS[kind].model_validate(item)
        else:
            _ITEM.validate_python(item)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(
            str(p)
            for p in first["loc"]
            if str(p)
            not in {
                "claim",
                "factor",
                "link",
                "statistic",
                "policy",
                "entity",
                "evidence",
                "loop",
                "explanation",
                "keyword",
                "passage",
            }
        )
        raise AnnotationError(
            first["msg"], file=d.file, item=item["id"], field=field or None
        ) from None
    return item


def closure(ids: list[str], drafts: dict[str, Drafted], existing: set[str]) -> list[str]:
    """The ids to accept: those asked for, and the draft items they point at that the corpus
    does not have yet (a link's factors and claim, a claim's references, its file's section)."""
    order: list[str] = []
    todo = list(ids)
    while todo:
        iid = todo.pop(0)
        if iid in order or iid in existing:
            continue
        if iid not in drafts:
            raise AnnotationError(f"no draft item with id {iid!r}", item=iid)
        order.append(iid)
        d = drafts[iid]
        for name in RELATIONS:
            value = d.item.get(name)
            for target in [value] if isinstance(value, str) else value or []:
                if isinstance(target, str) and target in drafts:
                    todo.append(target)
        for cite in d.item.get("cites") or []:
            ref = f"ref-{cite.get('ref')}"
            if ref in drafts:
                todo.append(ref)
        if d.section and d.section in drafts:
            todo.append(d.section)
    return order


def _target(corpus: Path, d: Drafted, item: dict[str, Any]) -> tuple[Path, str]:
    if d.container in ("sections", "footnotes"):
        return corpus / "paper.yaml", d.container
    if d.container == "references" or item.get("type") == "reference":
        return corpus / "references.yaml", "references"
    if d.section:
        return corpus / f"accepted-{d.section}.yaml", "items"
    return corpus / "accepted-shared.yaml", "items"


def accept(ids: list[str], draft_dir: Path, corpus: Path) -> list[Accepted]:
    """Promote the items (and what they need) into the corpus; nothing is written unless the
    whole corpus then loads."""
    from ingest.corpus import load_corpus

    corpus = Path(corpus)
    if not (corpus / "paper.yaml").exists():
        raise AnnotationError(
            "paper.yaml not found: write the document record first (docs/guides/drafting.md)",
            file=corpus / "paper.yaml",
        )
    drafts = load_drafts(draft_dir)
    order = closure(ids, drafts, _corpus_ids(corpus))
    cleaned = [(drafts[i], _clean(drafts[i])) for i in order]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / corpus.name
        shutil.copytree(corpus, work)
        changed: dict[Path, Any] = {}
        done: list[Accepted] = []
        for d, item in cleaned:
            path, container = _target(work, d, item)
            if path not in changed:
                changed[path] = _read(path, d)
            if d.container in ("sections", "footnotes"):
                item = {k: v for k, v in item.items() if k != "type"}
            changed[path].setdefault(container, [])
            if changed[path][container] is None:
                changed[path][container] = []
            changed[path][container].append(item)
            done.append(Accepted(item["id"], corpus / path.name))
        for path, data in changed.items():
            if data.get("references"):
                data["references"].sort(key=lambda r: r.get("number", 0))
            path.write_text(dump(data), encoding="utf-8")
        try:
            load_corpus(work)
        except AnnotationError as exc:
            if exc.file:
                exc.file = exc.file.replace(str(work), str(corpus))
            exc.message = f"not accepted, the corpus would not load: {exc.message}"
            exc.args = (exc.message,)
            raise
        for path in changed:
            shutil.copyfile(path, corpus / path.name)
    return done


def _read(path: Path, d: Drafted) -> dict[str, Any]:
    if path.exists():
        data = yaml.safe_load(read_input_text(path, what="corpus file")) or {}
        return data if isinstance(data, dict) else {}
    if path.name == "references.yaml":
        return {"references": []}
    section = d.section if path.name.startswith("accepted-sec") else None
    return {"section": section, "items": []}
