"""A paper's place among other papers: `alignments.yaml` in its corpus folder.

A later paper aligns its own factors to the factors of papers already in the corpus, with the
SKOS mapping relations (exact, close, broader, narrower), and states its stance toward their
explanations (posits, accepts, qualifies, rejects), each stance with the verbatim quote of its own
text that takes it. The file belongs to the paper that aligns; the papers it aligns to are not
touched. See docs/cross-paper.md.

```yaml
alignments:
  - factor: talent-outflow                 # an id of this paper (a factor)
    broader: other-paper/population-outflow  # exact | close | broader | narrower: <paper>/<item>
    quote: ...                             # optional: the words of this paper that align them
    note: ...
stances:
  - id: st-institutional                   # an id of this paper, like every item's
    explanation: other-paper/expl-institutional
    stance: qualifies                      # posits | accepts | qualifies | rejects
    quote: ...                             # required: the words of this paper that take it
    note: ...
```

This module parses and checks the file against the paper's own items (ids, types); whether
the targets exist is checked against the other papers' folders when the paper is built
(graph/alignments.py), because only then are they at hand. A paper's stance toward its own
explanations is its `verdict`, never a stance here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from errors import AnnotationError
from ingest.models import Explanation, Factor, ItemId
from ingest.yaml_loader import LineDict, LineList, load_yaml, validate_as

ALIGNMENTS_FILE = "alignments.yaml"

Target = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*/[a-z0-9][a-z0-9-]*$",
        max_length=200,
        description="an item of another paper: <paper id>/<item id>",
    ),
]


class Match(StrEnum):
    """How an own factor maps to another paper's (SKOS mapping relations)."""

    exact = "exact"
    """the same factor (skos:exactMatch)"""
    close = "close"
    """near enough to be one factor in the corpus analysis (skos:closeMatch)"""
    broader = "broader"
    """the other paper's factor is broader than this one (skos:broadMatch)"""
    narrower = "narrower"
    """the other paper's factor is narrower than this one (skos:narrowMatch)"""


class StanceKind(StrEnum):
    posits = "posits"
    """puts the explanation forward itself (its own mechanism)"""
    accepts = "accepts"
    qualifies = "qualifies"
    """accepts it in part, or within limits"""
    rejects = "rejects"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Alignment(_Strict):
    factor: ItemId = Field(description="the factor of this paper that is aligned")
    exact: Target | None = None
    close: Target | None = None
    broader: Target | None = None
    narrower: Target | None = None
    quote: str | None = Field(
        default=None, min_length=2, description="the words of this paper that align the two"
    )
    note: str | None = Field(default=None, description="annotator's remark (English)")

    @model_validator(mode="after")
    def _one_relation(self) -> Alignment:
        given = [m.value for m in Match if getattr(self, m.value) is not None]
        if len(given) != 1:
            names = ", ".join(m.value for m in Match)
            found = f" (found {', '.join(given)})" if given else ""
            raise ValueError(f"give exactly one of {names}{found}")
        return self

    @property
    def match(self) -> Match:
        return next(m for m in Match if getattr(self, m.value) is not None)

    @property
    def target(self) -> str:
        value = getattr(self, self.match.value)
        assert isinstance(value, str)
        return value


class Stance(_Strict):
    id: ItemId
    explanation: Target = Field(description="the explanation, of another paper")
    stance: StanceKind
    quote: str = Field(min_length=2, description="the words of this paper that take the stance")
    note: str | None = Field(default=None, description="annotator's remark (English)")


class AlignmentsFile(_Strict):
    alignments: list[Alignment] = Field(default_factory=list)
    stances: list[Stance] = Field(default_factory=list)


def split_target(target: str) -> tuple[str, str]:
    """`paper/item` -> (paper, item)."""
    paper, _, item = target.partition("/")
    return paper, item


@dataclass(frozen=True, slots=True)
class QuoteRef:
    """One quote of the file to anchor in the paper's source."""

    key: str
    quote: str
    line: int | None
    item: str


@dataclass(frozen=True)
class Alignments:
    """The parsed file, with the line of each entry (for errors)."""

    path: Path
    data: AlignmentsFile
    alignment_lines: list[int | None]
    stance_lines: list[int | None]

    @property
    def alignments(self) -> list[Alignment]:
        return self.data.alignments

    @property
    def stances(self) -> list[Stance]:
        return self.data.stances

    def fragments(self) -> list[str]:
        """The fragment naming each alignment under its factor's IRI: `match-1`, `match-2`...
        (numbered per factor, in file order)."""
        seen: dict[str, int] = {}
        out = []
        for a in self.alignments:
            seen[a.factor] = seen.get(a.factor, 0) + 1
            out.append(f"match-{seen[a.factor]}")
        return out

    def quotes(self) -> list[QuoteRef]:
        """Every quote to anchor: keyed `<factor>.quote-match-<n>` for an alignment (its anchor
        is a fragment of the factor) and by its id for a stance."""
        out = [
            QuoteRef(f"{a.factor}.quote-{frag}", a.quote, line, a.factor)
            for a, frag, line in zip(
                self.alignments, self.fragments(), self.alignment_lines, strict=True
            )
            if a.quote is not None
        ]
        out += [
            QuoteRef(s.id, s.quote, line, s.id)
            for s, line in zip(self.stances, self.stance_lines, strict=True)
        ]
        return out

    def error(self, message: str, *, index: int, stance: bool, field: str) -> AnnotationError:
        lines = self.stance_lines if stance else self.alignment_lines
        entry: Alignment | Stance = self.stances[index] if stance else self.alignments[index]
        item = entry.id if isinstance(entry, Stance) else entry.factor
        where = "stances" if stance else "alignments"
        return AnnotationError(
            message, file=self.path, line=lines[index], item=item, field=f"{where}.{index}.{field}"
        )

    def check_own(self, paper: str, items: Mapping[str, object]) -> None:
        """Against the paper's own items: each aligned factor is one of its factors, each stance
        id is new, no entry points back into the paper itself, no alignment is given twice."""
        pairs: set[tuple[str, str]] = set()
        for i, a in enumerate(self.alignments):
            found = items.get(a.factor)
            if found is None:
                raise self.error(f"unknown id {a.factor!r}", index=i, stance=False, field="factor")
            if not isinstance(found, Factor):
                kind = getattr(found, "type", type(found).__name__.lower())
                raise self.error(
                    f"{a.factor!r} is a {kind}, expected factor",
                    index=i,
                    stance=False,
                    field="factor",
                )
            if split_target(a.target)[0] == paper:
                raise self.error(
                    f"{a.target!r} is an item of this paper: relate a paper's own factors in "
                    "factors.yaml (broader, related), not here",
                    index=i,
                    stance=False,
                    field=a.match.value,
                )
            if (a.factor, a.target) in pairs:
                raise self.error(
                    f"{a.factor!r} is aligned to {a.target!r} twice",
                    index=i,
                    stance=False,
                    field=a.match.value,
                )
            pairs.add((a.factor, a.target))
        ids: set[str] = set()
        for i, s in enumerate(self.stances):
            if s.id in items or s.id in ids:
                raise self.error(f"duplicate id {s.id!r}", index=i, stance=True, field="id")
            ids.add(s.id)
            if split_target(s.explanation)[0] == paper:
                raise self.error(
                    f"{s.explanation!r} is this paper's own explanation: its `verdict` states "
                    "the paper's stance toward it",
                    index=i,
                    stance=True,
                    field="explanation",
                )

    def check_targets(self, items_of: Callable[[str], Mapping[str, object] | None]) -> None:
        """Every target is an item of the right type in its paper; `items_of(paper)` gives a
        paper's items by id, or None when the paper is not found."""
        wanted: list[tuple[str, int, bool, str, type[BaseModel]]] = [
            (a.target, i, False, a.match.value, Factor) for i, a in enumerate(self.alignments)
        ]
        wanted += [
            (s.explanation, i, True, "explanation", Explanation) for i, s in enumerate(self.stances)
        ]
        for target, index, stance, field, cls in wanted:
            paper, item = split_target(target)
            items = items_of(paper)
            if items is None:
                raise self.error(
                    f"paper {paper!r} is not in the corpus (no folder {paper!r} beside this "
                    "paper's folder, nor in a corpus/ folder above it)",
                    index=index,
                    stance=stance,
                    field=field,
                )
            found = items.get(item)
            expected = "factor" if cls is Factor else "explanation"
            if found is None:
                raise self.error(
                    f"{target!r} is not in the corpus: paper {paper!r} has no item {item!r}",
                    index=index,
                    stance=stance,
                    field=field,
                )
            if not isinstance(found, cls):
                kind = getattr(found, "type", type(found).__name__.lower())
                raise self.error(
                    f"{target!r} is a {kind}, expected {expected}",
                    index=index,
                    stance=stance,
                    field=field,
                )


def _lines(data: Any, key: str) -> list[int | None]:
    seq = data.get(key) if isinstance(data, LineDict) else None
    if isinstance(seq, LineList):
        return list(seq.item_lines)
    return []


def load_alignments(folder: Path) -> Alignments | None:
    """The folder's `alignments.yaml`, parsed (None when there is none)."""
    path = Path(folder) / ALIGNMENTS_FILE
    if not path.exists():
        return None
    data = load_yaml(path)
    if data is None:
        data = LineDict()
        data.key_lines = {}
    parsed = validate_as(AlignmentsFile, data, path)
    a_lines = _lines(data, "alignments") or [None] * len(parsed.alignments)
    s_lines = _lines(data, "stances") or [None] * len(parsed.stances)
    return Alignments(path, parsed, a_lines, s_lines)


def paper_folder(folder: Path, paper: str) -> Path | None:
    """Where paper `paper` lives, seen from the paper folder `folder`: the folder of that name
    beside it, else `corpus/<paper>` in the nearest enclosing folder that has one."""
    folder = Path(folder).resolve()
    candidates = [folder.parent / paper]
    candidates += [up / "corpus" / paper for up in folder.parents]
    for candidate in candidates:
        if candidate != folder and candidate.is_dir():
            return candidate
    return None
