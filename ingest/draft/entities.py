"""Entities: provinces (from the package's table of China's provincial divisions), and the
organisations, firms, places and events of the project's entity tables (any YAML file or corpus
folder whose items have `type: entity`), matched by their Chinese labels; events with a year
found by pattern."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ingest.draft.data import load
from ingest.safe_read import InputRefused, read_input_text
from ingest.yaml_loader import parse_yaml

_STEM = re.compile(r"(地区|省|市|自治区)$")
_EVENT = re.compile(
    r"(?P<year>(?:1[89]|20)\d{2})年[^,，。;；]{0,14}?(提出|加入|谈话|召开|实施|发布|成立|爆发|签署|启动)"
)


@dataclass(frozen=True, slots=True)
class Known:
    id: str
    zh: str
    en: str
    kind: str
    iso_code: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    entity: Known
    start: int
    end: int
    """characters of the sentence text"""
    rule: str


def _named_by_suffix(text: str) -> list[tuple[int, int, str]]:
    """Organisations and firms named by their last word (集团, 公司, 办公室...): the name is that
    word and up to three words before it, stopping at a word that cannot be part of a name."""
    from ingest.draft import segment

    data = load("names.yaml")
    suffixes: dict[str, str] = {w: kind for kind, ws in data["suffixes"].items() for w in ws}
    if not any(x in text for x in suffixes):
        return []
    stop = set(data["stop"])
    words = segment.words(text)
    out = []
    for k, (a, b) in enumerate(words):
        word = text[a:b]
        kind = next((suffixes[x] for x in suffixes if word.endswith(x)), None)
        if kind is None:
            continue
        start = a if len(word) > max(len(x) for x in suffixes if word.endswith(x)) else None
        j = k - 1
        while j >= 0 and k - j <= 3:
            prev = text[words[j][0] : words[j][1]]
            if prev in stop or not re.fullmatch(r"[\u4e00-\u9fffA-Za-z]+", prev):
                break
            start = words[j][0]
            j -= 1
        if start is not None and b - start >= 3:
            out.append((start, b, kind))
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def table_entities(paths: list[Path]) -> list[Known]:
    """Entity items of the given YAML files (or of every YAML file of the given folders)."""
    found: list[Known] = []
    for path in paths:
        files = sorted(Path(path).glob("*.yaml")) if Path(path).is_dir() else [Path(path)]
        for f in files:
            try:
                data = parse_yaml(read_input_text(f, what="entity table"))
            except (OSError, yaml.YAMLError, InputRefused):
                continue
            items = data.get("items") if isinstance(data, dict) else None
            for item in items or []:
                known = _known(item)
                if known is not None:
                    found.append(known)
    return found


def _known(item: Any) -> Known | None:
    if not isinstance(item, dict) or item.get("type") != "entity":
        return None
    label = item.get("label") or {}
    zh, en = label.get("zh"), label.get("en")
    if not isinstance(zh, str) or not isinstance(item.get("id"), str):
        return None
    return Known(
        item["id"],
        zh,
        str(en or zh),
        str(item.get("kind", "organisation")),
        item.get("iso_code"),
        str(item["date"]) if item.get("date") else None,
    )


def provinces() -> list[Known]:
    out = []
    for row in load("places.yaml"):
        for zh in row["zh"]:
            out.append(
                Known(_slug(row["en"]), zh, row["en"], row.get("kind", "province"), row["iso"])
            )
    return out


class Gazetteer:
    """Chinese names to entities, longest name first; table entities before the packaged
    provinces (so a corpus's own ids are reused)."""

    def __init__(self, table: list[Known]) -> None:
        names: dict[str, Known] = {}
        for known in table:
            if len(known.zh) >= 2 and not re.search(r"[,，。“”]", known.zh):
                names.setdefault(known.zh, known)
                stem = _STEM.sub("", known.zh)
                if len(stem) >= 2 and known.kind in ("region", "province"):
                    names.setdefault(stem, known)
        by_iso = {k.iso_code: k for k in table if k.iso_code}
        for known in provinces():
            names.setdefault(known.zh, by_iso.get(known.iso_code or "", known))
        self.names = names
        pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        self._re = re.compile(pattern) if pattern else None

    def mentions(self, text: str) -> list[Mention]:
        out: list[Mention] = []
        if self._re is not None:
            for m in self._re.finditer(text):
                out.append(Mention(self.names[m.group(0)], m.start(), m.end(), "entity-table"))
        taken = [(m.start, m.end) for m in out]
        for start, end, kind in _named_by_suffix(text):
            if any(a < end and start < b for a, b in taken):
                continue
            name = text[start:end]
            slug = f"{kind}-{zlib.crc32(name.encode()) % 100_000:05d}"
            out.append(Mention(Known(slug, name, name, kind), start, end, "name-suffix"))
        for m in _EVENT.finditer(text):
            label = text[m.start() : m.end()]
            known = Known(
                f"event-{m.group('year')}-{zlib.crc32(label.encode()) % 10_000:04d}",
                label,
                label,
                "event",
                None,
                m.group("year"),
            )
            out.append(Mention(known, m.start(), m.end(), "event-with-year"))
        return out
