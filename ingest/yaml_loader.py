"""YAML loading that remembers where every value came from, within limits.

Annotation errors must name the file, line and field. PyYAML's loaders forget positions, so this
module builds mappings and sequences that carry the line of each key and item; `line_of` walks a
pydantic error location back to the line it points at.

It also refuses, while parsing, what no annotation needs and what could hurt the build: nesting
deeper than `YamlLimits.max_depth`, a string longer than `max_string_chars`, more than `max_nodes`
values in a file (aliases count every time they are used), tags other than the plain ones (no
`!!binary`, `!!set`, `!!python/...`), and control characters in strings (C0 except tab and line
breaks, DEL, C1, lone surrogates, U+FFFE/U+FFFF: they break XML output). The document is built
from the parser's events by a loop, not by PyYAML's recursive composer, so a 20,000-deep `[[[...`
is refused at its 33rd level instead of exhausting the stack. Each refusal is an AnnotationError
naming the file, the line, the item (when its id has been read) and the field path.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode

from errors import AnnotationError
from ingest.safe_read import read_input

M = TypeVar("M", bound=BaseModel)


class LineDict(dict[str, Any]):
    """A mapping that knows its own line and the line of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


@dataclass(frozen=True, slots=True)
class YamlLimits:
    """What one YAML file may hold. The paper's files stay far below: depth 5, strings of 1,600
    characters, 7,000 values."""

    max_depth: int = 32
    max_string_chars: int = 100_000
    max_nodes: int = 200_000


DEFAULT_LIMITS = YamlLimits()

# The libyaml parser when PyYAML has it (fast, and it scans a long string in C), else PyYAML's own.
_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CORE = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (f"{_CORE}{t}" for t in ("str", "int", "float", "bool", "null"))
MAP, SEQ = f"{_CORE}map", f"{_CORE}seq"
_SCALAR_TAGS = {STR, INT, FLOAT, BOOL, NULL}
_AS_STRING = {f"{_CORE}merge", f"{_CORE}value"}
"""Implicit tags PyYAML gives `<<` and `=`: read as the plain strings they are."""

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters no text field may hold (tab, LF and CR are allowed)."""


def control_character(text: str) -> str | None:
    """A description of the first forbidden control character of `text`, or None."""
    found = CONTROL.search(text)
    if found is None:
        return None
    return f"U+{ord(found.group()):04X} at character {found.start() + 1}"


class _Refused(Exception):
    def __init__(self, message: str, line: int | None, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.key = key
        """the key being read when refused (not yet in the field path)"""


@dataclass
class _Frame:
    value: LineDict | LineList
    anchor: str | None
    nodes_at_start: int
    key: str | None = None
    key_line: int = 0


@dataclass
class _Composer:
    """Builds one document from parser events, iteratively, checking the limits as it goes."""

    parser: Any
    limits: YamlLimits
    control_characters: bool = False
    """whether strings may hold control characters (a draft quotes its source as it is)"""
    frames: list[_Frame] = field(default_factory=list)
    anchors: dict[str, tuple[Any, int]] = field(default_factory=dict)
    nodes: int = 0

    def field_path(self, key: str | None = None) -> str | None:
        parts: list[str] = []
        for frame in self.frames:
            if isinstance(frame.value, LineDict):
                if frame.key is None:
                    break
                parts.append(frame.key)
            else:
                parts.append(str(len(frame.value)))
        if key is not None:
            parts.append(key)
        if len(parts) > 8:  # deep nesting: the start and the end of the path
            parts = [*parts[:4], "…", *parts[-2:]]
        return ".".join(parts) or None

    def item_id(self) -> str | None:
        for frame in reversed(self.frames):
            found = frame.value.get("id") if isinstance(frame.value, LineDict) else None
            if isinstance(found, str):
                return found
        return None

    def count(self, n: int, line: int) -> None:
        self.nodes += n
        if self.nodes > self.limits.max_nodes:
            raise _Refused(
                f"more than {self.limits.max_nodes:,} values in one file (aliases count each time "
                "they are used): refused",
                line,
            )

    def compose(self) -> Any:
        get = self.parser.get_event
        event = get()
        assert isinstance(event, StreamStartEvent)
        event = get()
        if isinstance(event, StreamEndEvent):
            return None
        assert isinstance(event, DocumentStartEvent)
        root = self.node()
        event = get()
        assert isinstance(event, DocumentEndEvent)
        event = get()
        if not isinstance(event, StreamEndEvent):
            raise _Refused("a second document in the file (only one is read)", _line(event))
        return root

    def node(self) -> Any:
        """Read events until one whole value (the document's root) is built."""
        get = self.parser.get_event
        while True:
            event = get()
            line = _line(event)
            if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                self.start(event, line)
                continue
            if isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                frame = self.frames.pop()
                value: Any = frame.value
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (value, self.nodes - frame.nodes_at_start)
                line = frame.value.line
            elif isinstance(event, AliasEvent):
                value = self.alias(event, line)
            elif isinstance(event, ScalarEvent):
                value = self.scalar(event, line)
            else:
                raise _Refused(f"unexpected YAML event {type(event).__name__}", line)
            if not self.frames:
                return value
            self.attach(value, line)

    def start(self, event: MappingStartEvent | SequenceStartEvent, line: int) -> None:
        if len(self.frames) >= self.limits.max_depth:
            raise _Refused(f"nested deeper than {self.limits.max_depth} levels: refused", line)
        self.expect_value(line, "a mapping or a list")
        is_map = isinstance(event, MappingStartEvent)
        tag = event.tag
        if tag not in (None, "!", MAP if is_map else SEQ):
            raise _Refused(f"tag {_short(tag)} is not allowed (plain YAML only)", line)
        self.count(1, line)
        container: LineDict | LineList
        if is_map:
            container = LineDict()
            container.key_lines = {}
        else:
            container = LineList()
            container.item_lines = []
        container.line = line
        if event.anchor is not None:
            self.check_new_anchor(event.anchor, line)
        self.frames.append(_Frame(container, event.anchor, self.nodes))

    def expect_value(self, line: int, what: str) -> None:
        if self.frames:
            top = self.frames[-1]
            if isinstance(top.value, LineDict) and top.key is None:
                raise _Refused(f"keys must be strings, found {what}", line)

    def check_new_anchor(self, anchor: str, line: int) -> None:
        if anchor in self.anchors or any(f.anchor == anchor for f in self.frames):
            raise _Refused(f"duplicate anchor &{anchor}", line)

    def alias(self, event: AliasEvent, line: int) -> Any:
        anchor = event.anchor
        if anchor is None or anchor not in self.anchors:
            inside = any(f.anchor == anchor for f in self.frames)
            raise _Refused(
                f"alias *{anchor} refers to the value that contains it (a recursive structure)"
                if inside
                else f"undefined alias *{anchor}",
                line,
            )
        value, size = self.anchors[anchor]
        self.count(size, line)
        return value

    def scalar(self, event: ScalarEvent, line: int) -> Any:
        text = event.value
        if len(text) > self.limits.max_string_chars:
            raise _Refused(
                f"a string of {len(text):,} characters, longer than the limit of "
                f"{self.limits.max_string_chars:,}: refused",
                line,
            )
        bad = None if self.control_characters else control_character(text)
        if bad is not None:
            raise _Refused(f"control character {bad} in the text: refused", line)
        self.count(1, line)
        tag = event.tag
        if tag in (None, "!"):
            tag = self.parser.resolve(ScalarNode, text, event.implicit)
            if tag in _AS_STRING:
                tag = STR
        elif tag not in _SCALAR_TAGS:
            raise _Refused(
                f"tag {_short(tag)} is not allowed (plain strings, numbers, booleans, null)", line
            )
        node = ScalarNode(tag, text, None, None, style=event.style)
        try:
            value = self.parser.yaml_constructors[tag](self.parser, node)
        except (ValueError, OverflowError, yaml.YAMLError):
            raise _Refused(f"not a valid {_short(tag)}: {text[:40]!r}", line) from None
        if event.anchor is not None:
            self.check_new_anchor(event.anchor, line)
            self.anchors[event.anchor] = (value, 1)
        return value

    def attach(self, value: Any, line: int) -> None:
        top = self.frames[-1]
        if isinstance(top.value, LineList):
            top.value.append(value)
            top.value.item_lines.append(line)
            return
        if top.key is None:
            if not isinstance(value, str):
                raise _Refused(f"keys must be strings, found {value!r}", line)
            if value in top.value:
                raise _Refused(f"duplicate key {value!r}", line, key=value)
            top.key, top.key_line = value, line
            return
        top.value[top.key] = value
        top.value.key_lines[top.key] = top.key_line
        top.key = None


def _line(event: Any) -> int:
    mark = getattr(event, "start_mark", None)
    return int(mark.line) + 1 if mark is not None else 0


def _short(tag: str | None) -> str:
    return f"!!{tag.removeprefix(_CORE)}" if tag and tag.startswith(_CORE) else repr(tag)


def load_yaml(path: Path, limits: YamlLimits = DEFAULT_LIMITS) -> Any:
    """Parse one YAML file; any failure becomes an AnnotationError naming file and line.

    The file is read by `safe_read.read_input`: a regular file inside its own folder, under the
    build's size caps."""
    path = Path(path)
    try:
        raw = read_input(path, within=path.parent, what="annotation file")
    except FileNotFoundError:
        raise AnnotationError(f"file not found: {path}", file=path) from None
    except OSError as exc:
        raise AnnotationError(f"cannot read file: {exc.strerror}", file=path) from None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise AnnotationError(
            f"not valid UTF-8 (byte {exc.start})", file=path, line=bad_line
        ) from None
    parser = _Parser(raw)
    composer = _Composer(parser, limits)
    try:
        return composer.compose()
    except _Refused as exc:
        raise AnnotationError(
            exc.message,
            file=path,
            line=exc.line,
            field=composer.field_path(exc.key),
            item=composer.item_id(),
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        yaml_line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise AnnotationError(
            f"malformed YAML: {problem}",
            file=path,
            line=yaml_line,
            field=composer.field_path(),
            item=composer.item_id(),
        ) from None
    except yaml.reader.ReaderError as exc:
        at = raw[: max(exc.position, 0)].count(b"\n") + 1 if exc.position is not None else None
        raise AnnotationError(
            f"malformed YAML: {exc.reason} (character {exc.character!r})", file=path, line=at
        ) from None
    except yaml.YAMLError as exc:
        raise AnnotationError(f"malformed YAML: {exc}", file=path) from None
    finally:
        parser.dispose()


def line_of(data: Any, loc: tuple[int | str, ...]) -> int | None:
    """The line of the deepest element of `loc` that exists in `data` (a pydantic error loc)."""
    line: int | None = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and isinstance(part, str):
            if part in node.key_lines:
                line = node.key_lines[part]
            if part not in node:
                break
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int):
            if not 0 <= part < len(node):
                break
            line = node.item_lines[part]
            node = node[part]
        else:
            # pydantic inserts the union tag (e.g. 'claim') into the location: skip it.
            continue
        inner = getattr(node, "line", None)
        if isinstance(inner, int) and not isinstance(node, LineList):
            line = line or inner
    return line


def validate_as(model: type[M], data: Any, path: Path, tags: Collection[str] = frozenset()) -> M:
    """`model.model_validate(data)`; a validation error becomes one AnnotationError naming the
    file, the line, the item (the nearest `id` on the way) and the field. `tags` are the
    discriminators of the model's unions, which pydantic inserts into the error's location."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and p in tags))
        value = first["input"]
        shown = isinstance(value, str | int | float) and len(str(value)) <= 80
        raise AnnotationError(
            first["msg"] + (f" (got {value!r})" if shown else ""),
            file=path,
            line=line_of(data, loc),
            field=".".join(str(p) for p in loc) or None,
            item=_id_at(data, loc),
        ) from None


def _id_at(data: Any, loc: Iterable[int | str]) -> str | None:
    """The `id` of the innermost mapping on the path `loc` that has one."""
    node, found = data, None
    for part in loc:
        if isinstance(node, LineDict) and isinstance(part, str) and part in node:  # noqa: SIM114 (two branches let mypy narrow the index)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
    return found


class YamlRefused(yaml.YAMLError):
    """YAML text that `parse_yaml` refuses (beyond its limits, or a tag it does not read)."""


DRAFT_LIMITS = YamlLimits(max_string_chars=20_000_000, max_nodes=5_000_000)
"""What `parse_yaml` reads: a draft of a long text holds more values and longer quotes than an
annotation file (the source itself is capped by the input limits), nesting stays as shallow."""


def parse_yaml(text: str | bytes, limits: YamlLimits = DRAFT_LIMITS) -> Any:
    """YAML text (not an annotation file) parsed like `load_yaml`, for what the drafting
    assistant reads: its rule data, its drafts, the tables it looks entities up in. In place of
    yaml.safe_load: bounded in depth, size and tags (`DRAFT_LIMITS`; no recursion to exhaust),
    and several times faster on libyaml. Strings may hold control characters (a draft quotes its
    source as it is). Not YAML raises yaml.YAMLError, a refusal YamlRefused (one of those)
    naming the line."""
    composer = _Composer(_Parser(text), limits, control_characters=True)
    try:
        return composer.compose()
    except _Refused as exc:
        raise YamlRefused(f"line {exc.line}: {exc.message}") from None
