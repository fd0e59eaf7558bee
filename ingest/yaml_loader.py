"""YAML loading that remembers where every value came from.

Annotation errors must name the file, line and field. PyYAML's safe loader forgets positions, so
this loader builds mappings and sequences that carry the line of each key and item; `line_of`
walks a pydantic error location back to the line it points at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from argraph.graph.errors import AnnotationError


class LineDict(dict[str, Any]):
    """A mapping that knows its own line and the line of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"keys must be strings, found {key!r}", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: Path) -> Any:
    """Parse one YAML file; any failure becomes an AnnotationError naming file and line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise AnnotationError(f"file not found: {path}", file=path) from None
    except OSError as exc:
        raise AnnotationError(f"cannot read file: {exc.strerror}", file=path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise AnnotationError(
            f"not valid UTF-8 (byte {exc.start})", file=path, line=bad_line
        ) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        yaml_line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise AnnotationError(f"malformed YAML: {problem}", file=path, line=yaml_line) from None
    except yaml.YAMLError as exc:
        raise AnnotationError(f"malformed YAML: {exc}", file=path) from None


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
