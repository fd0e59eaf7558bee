"""Load a corpus folder into one checked, in-memory `Corpus`.

Loading validates each file against the pydantic models, then checks what a single file cannot:
ids unique across files, every relation pointing at an item of the right type, loops closed,
citations pointing at a listed reference. Every failure is an AnnotationError naming the file,
line, item and field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from errors import AnnotationError
from ingest.alignments import ALIGNMENTS_FILE, Alignments, load_alignments
from ingest.models import (
    AnchorLock,
    CausalLink,
    Claim,
    Entity,
    Enumeration,
    Evidence,
    Explanation,
    Factor,
    Footnote,
    Item,
    Keyword,
    Loop,
    PaperFile,
    Passage,
    Policy,
    Reference,
    ReferencesFile,
    Section,
    SectionFile,
    Statistic,
    Work,
)
from ingest.yaml_loader import LineDict, LineList, line_of, load_yaml, validate_as

PAPER_FILE = "paper.yaml"
REFERENCES_FILE = "references.yaml"
LOCK_FILE = "anchors.lock.yaml"
CUE_FILE = "cue-judgements.yaml"

M = TypeVar("M", bound=BaseModel)

AnyItem = Item | Section | Footnote | Reference


@dataclass(frozen=True, slots=True)
class Place:
    file: Path
    line: int | None


@dataclass(frozen=True, slots=True)
class QuoteSpec:
    """One verbatim quote to anchor: `key` names it in the anchor lock."""

    key: str
    quote: str
    place: Place
    item: str


@dataclass
class Corpus:
    """Everything a build needs, checked; `items` keyed by id, in file order."""

    name: str
    folder: Path
    paper: PaperFile
    items: dict[str, AnyItem] = field(default_factory=dict)
    section_of: dict[str, str] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    references: dict[int, Reference] = field(default_factory=dict)
    lock: AnchorLock | None = None
    alignments: Alignments | None = None
    """`alignments.yaml`: its factors aligned to other papers', its stances (ingest/alignments.py)"""

    def of_type(self, cls: type[M]) -> Iterator[M]:
        return (item for item in self.items.values() if isinstance(item, cls))

    def quotes(self) -> list[QuoteSpec]:
        doc = self.paper.document
        paper_place = Place(self.folder / PAPER_FILE, None)
        specs = [
            QuoteSpec("document.title", doc.title_quote, paper_place, doc.id),
            QuoteSpec("document.abstract-zh", doc.abstract_zh, paper_place, doc.id),
            QuoteSpec("document.abstract-en", doc.abstract_en, paper_place, doc.id),
        ]
        for item_id, item in self.items.items():
            place = self.places[item_id]
            specs.append(QuoteSpec(item_id, item.quote, place, item_id))
            specs += [
                QuoteSpec(also_key(item_id, n), quote, place, item_id)
                for n, quote in enumerate(item.also_quoted, start=2)
            ]
        if self.alignments is not None:
            path = self.alignments.path
            specs += [
                QuoteSpec(q.key, q.quote, Place(path, q.line), q.item)
                for q in self.alignments.quotes()
            ]
        return specs


def also_key(item_id: str, n: int) -> str:
    """The anchor key of an item's n-th quote (its first quote is keyed by its id)."""
    return f"{item_id}.quote-{n}"


def _parse(model: type[M], data: Any, path: Path) -> M:
    return validate_as(model, data, path, _TAGS)


_TAGS = {
    "claim",
    "factor",
    "link",
    "loop",
    "explanation",
    "statistic",
    "evidence",
    "policy",
    "entity",
    "keyword",
    "passage",
    "enumeration",
    "work",
}


def _item_line(data: Any, key: str, index: int) -> int | None:
    seq = data.get(key) if isinstance(data, LineDict) else None
    if isinstance(seq, LineList) and index < len(seq.item_lines):
        return seq.item_lines[index]
    return None


def load_corpus(folder: Path) -> Corpus:
    """Read and check every annotation file of one paper."""
    folder = Path(folder)
    if not folder.is_dir():
        raise AnnotationError("corpus folder not found", file=folder)
    paper_path = folder / PAPER_FILE
    paper_data = load_yaml(paper_path)
    paper = _parse(PaperFile, paper_data, paper_path)
    corpus = Corpus(name=folder.name, folder=folder, paper=paper)

    def register(item: AnyItem, place: Place, section: str | None) -> None:
        if item.id == paper.document.id:
            raise AnnotationError(
                "id is the document's own id", file=place.file, line=place.line, item=item.id
            )
        if item.id in corpus.items:
            first = corpus.places[item.id]
            raise AnnotationError(
                f"duplicate id (first defined in {first.file.name}:{first.line})",
                file=place.file,
                line=place.line,
                field="id",
                item=item.id,
            )
        corpus.items[item.id] = item
        corpus.places[item.id] = place
        if section is not None:
            corpus.section_of[item.id] = section

    for i, section in enumerate(paper.sections):
        register(section, Place(paper_path, _item_line(paper_data, "sections", i)), None)
    for i, note in enumerate(paper.footnotes):
        register(note, Place(paper_path, _item_line(paper_data, "footnotes", i)), None)

    refs_path = folder / REFERENCES_FILE
    if refs_path.exists():
        refs_data = load_yaml(refs_path)
        refs = _parse(ReferencesFile, refs_data, refs_path)
        for i, ref in enumerate(refs.references):
            register(ref, Place(refs_path, _item_line(refs_data, "references", i)), None)
            corpus.references[ref.number] = ref

    special = {PAPER_FILE, REFERENCES_FILE, LOCK_FILE, CUE_FILE, ALIGNMENTS_FILE}
    for path in sorted(folder.glob("*.yaml")):
        if path.name in special:
            continue
        data = load_yaml(path)
        section_file = _parse(SectionFile, data, path)
        if section_file.section is not None and not isinstance(
            corpus.items.get(section_file.section), Section
        ):
            raise AnnotationError(
                f"unknown section {section_file.section!r} (sections are listed in {PAPER_FILE})",
                file=path,
                line=line_of(data, ("section",)),
                field="section",
            )
        for i, item in enumerate(section_file.items):
            register(item, Place(path, _item_line(data, "items", i)), section_file.section)

    lock_path = folder / LOCK_FILE
    if lock_path.exists():
        corpus.lock = _parse(AnchorLock, load_yaml(lock_path), lock_path)

    check_references(corpus)
    corpus.alignments = load_alignments(folder)
    if corpus.alignments is not None:
        corpus.alignments.check_own(corpus.name, corpus.items)
    return corpus


# Which item types each relation field may point at.
_ARGUMENTATIVE = (Claim, Statistic, Evidence, Explanation, CausalLink, Policy, Loop)
_RULES: dict[type[BaseModel], dict[str, tuple[type[BaseModel], ...]]] = {
    Claim: {
        "about": (Factor, Entity),
        "supports": _ARGUMENTATIVE,
        "challenges": _ARGUMENTATIVE,
        "qualifies": _ARGUMENTATIVE,
        "footnotes": (Footnote,),
    },
    Factor: {
        "broader": (Factor,),
        "region": (Entity,),
        "opposite_of": (Factor,),
        "related": (Factor,),
        "indicator_of": (Factor,),
    },
    CausalLink: {
        "cause": (Factor,),
        "effect": (Factor,),
        "asserted_by": (Claim,),
        "also_asserted_by": (Claim,),
    },
    Loop: {"links": (CausalLink,), "asserted_by": (Claim,)},
    Explanation: {
        "posits": (Factor,),
        "posits_quote": (Claim,),
        "verdict_by": (Claim,),
        "mechanism_links": (CausalLink,),
    },
    Statistic: {"area": (Entity,), "source": (Footnote,), "supports": _ARGUMENTATIVE},
    Evidence: {
        "supports": _ARGUMENTATIVE,
        "statistics": (Statistic,),
        "notes": (Passage, Claim, Footnote, Entity),
    },
    Policy: {
        "targets": (Factor, CausalLink),
        "actors": (Entity,),
        "part_of": (Policy,),
        "rationale": (Claim,),
        "acts_through": (Factor,),
        "about": (Entity,),
    },
    Enumeration: {
        "members": (Claim, Factor, CausalLink, Policy, Entity, Explanation, Evidence),
        "asserted_by": (Claim,),
    },
    Work: {"cited_by": (Claim, Footnote, Statistic, Evidence)},
    Entity: {"members": (Entity,), "located_in": (Entity,)},
    Keyword: {},
    Passage: {},
}


def _targets(value: object) -> Iterable[str]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return value
    return ()


def check_references(corpus: Corpus) -> None:
    """Every relation by id points at an existing item of a type the relation allows."""
    for item_id, item in corpus.items.items():
        place = corpus.places[item_id]
        for field_name, allowed in _RULES.get(type(item), {}).items():
            for target in _targets(getattr(item, field_name)):
                found = corpus.items.get(target)
                if found is None:
                    raise AnnotationError(
                        f"unknown id {target!r}",
                        file=place.file,
                        line=place.line,
                        field=field_name,
                        item=item_id,
                    )
                if not isinstance(found, allowed):
                    names = " or ".join(_type_name(t) for t in allowed)
                    raise AnnotationError(
                        f"{target!r} is a {_type_name(type(found))}, expected {names}",
                        file=place.file,
                        line=place.line,
                        field=field_name,
                        item=item_id,
                    )
        for cite in getattr(item, "cites", []):
            if cite.ref not in corpus.references:
                raise AnnotationError(
                    f"citation of reference [{cite.ref}], which is not in {REFERENCES_FILE}",
                    file=place.file,
                    line=place.line,
                    field="cites",
                    item=item_id,
                )
        for ref in getattr(item, "refs", []):
            if ref not in corpus.references:
                raise AnnotationError(
                    f"reference [{ref}] is not in {REFERENCES_FILE}",
                    file=place.file,
                    line=place.line,
                    field="refs",
                    item=item_id,
                )
        if isinstance(item, Loop):
            _check_loop(corpus, item, place)


def _check_loop(corpus: Corpus, loop: Loop, place: Place) -> None:
    links = [corpus.items[link_id] for link_id in loop.links]
    for i, link in enumerate(links):
        nxt = links[(i + 1) % len(links)]
        assert isinstance(link, CausalLink) and isinstance(nxt, CausalLink)
        if link.effect != nxt.cause:
            raise AnnotationError(
                f"loop is not closed: link {link.id!r} ends at {link.effect!r} but the next "
                f"link {nxt.id!r} starts at {nxt.cause!r}",
                file=place.file,
                line=place.line,
                field="links",
                item=loop.id,
            )


def _type_name(cls: type[BaseModel]) -> str:
    field_info = cls.model_fields.get("type")
    default = field_info.default if field_info is not None else None
    if isinstance(default, str):
        return default
    return cls.__name__.lower()
