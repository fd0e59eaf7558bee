"""Degenerate relations: well-formed, pointing at items of the right type, and still meaningless.

`check_references` (ingest/corpus.py) proves every relation points at an existing item of an
allowed type. What it lets through, and what this module refuses:

- an item related to itself by any relation (a claim that supports itself, a policy part of
  itself, a factor broader than itself, ...);
- the same entry twice in one list (a target in one relation, a citation, a reference number);
- one item both supporting and challenging the same target;
- a cycle in a hierarchy (broader, part_of, located_in, members): a is broader than b, b than a.

Relation fields are found from the models, not listed here: every field typed with the same id
type as the item's own `id` (a string, an optional one or a list of them), so relations added to
the format are checked too.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel

from errors import AnnotationError
from ingest.corpus import Corpus

HIERARCHIES = ("broader", "part_of", "located_in", "members")
"""Relations that order items (more general, part of, inside): they must not cycle."""
OPPOSED = (("supports", "challenges"),)
"""Pairs of relations one item cannot hold to the same target."""


def _mentions(hint: Any, wanted: Any) -> bool:
    if hint == wanted:
        return True
    return any(_mentions(arg, wanted) for arg in typing.get_args(hint))


@cache
def relation_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `model` that hold ids of other items."""
    hints = typing.get_type_hints(model, include_extras=True)
    id_type = hints.get("id")
    if id_type is None:
        return ()
    return tuple(
        name
        for name in model.model_fields
        if name != "id" and name in hints and _mentions(hints[name], id_type)
    )


def _ids(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


def _type(item: BaseModel) -> str:
    kind = getattr(item, "type", None)
    return kind if isinstance(kind, str) else type(item).__name__.lower()


def check_degenerate(corpus: Corpus) -> list[AnnotationError]:
    """Every degenerate relation of the corpus, in file order (empty when there is none)."""
    problems: list[AnnotationError] = []

    def problem(item_id: str, field: str, message: str) -> None:
        place = corpus.places[item_id]
        problems.append(
            AnnotationError(message, file=place.file, line=place.line, field=field, item=item_id)
        )

    for item_id, item in corpus.items.items():
        for name in relation_fields(type(item)):
            if item_id in _ids(getattr(item, name, None)):
                problem(item_id, name, f"the {_type(item)} points at itself ({name}: {item_id})")
        for name in type(item).model_fields:
            value = getattr(item, name, None)
            if isinstance(value, list):
                for twice in _repeated(value):
                    problem(item_id, name, f"{_brief(twice)} is listed twice")
        for first, second in OPPOSED:
            both = set(_ids(getattr(item, first, None))) & set(_ids(getattr(item, second, None)))
            for target in sorted(both):
                problem(item_id, second, f"{target!r} is both in {first} and in {second}")
    for name in HIERARCHIES:
        for cycle in _cycles(corpus, name):
            path = " -> ".join([*cycle, cycle[0]])
            problem(cycle[0], name, f"{name} relations go round in a cycle: {path}")
    order = {item_id: i for i, item_id in enumerate(corpus.items)}
    problems.sort(key=lambda p: order.get(p.item or "", -1))
    return problems


def raise_degenerate(corpus: Corpus) -> None:
    """Raise the first degenerate relation (naming how many more there are)."""
    problems = check_degenerate(corpus)
    if not problems:
        return
    first = problems[0]
    if len(problems) > 1:
        first.message += f" (and {len(problems) - 1} more degenerate relation(s))"
    raise first


def _repeated(values: Iterable[Any]) -> Iterator[Any]:
    seen: list[Any] = []
    reported: list[Any] = []
    for value in values:
        if value in seen and value not in reported:
            reported.append(value)
            yield value
        seen.append(value)


def _brief(value: Any) -> str:
    if isinstance(value, BaseModel):
        fields = value.model_dump(mode="json", exclude_defaults=True)
        return "the entry {" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _cycles(corpus: Corpus, name: str) -> list[list[str]]:
    """Cycles of the relation `name` of length two or more (iterative depth-first search)."""
    edges: dict[str, list[str]] = {}
    for item_id, item in corpus.items.items():
        if name in relation_fields(type(item)):
            targets = [t for t in _ids(getattr(item, name, None)) if t != item_id]
            if targets:
                edges[item_id] = targets
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in edges:
        if root in state:
            continue
        path: list[str] = [root]
        stack: list[Iterator[str]] = [iter(edges.get(root, []))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            if state.get(nxt) == 1:
                found.append(path[path.index(nxt) :])
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(edges.get(nxt, [])))
    return found
