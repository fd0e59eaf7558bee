"""Typed responses of the REST API: IRIs as strings, lists in a `{data, count}` envelope."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

# shapes shared with graph.repo (the viewer serves them too), re-exported for the routes
from graph.repo import Anchor as Anchor
from graph.repo import ItemRef as ItemRef
from graph.repo import Labels as Labels

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    data: list[T]
    count: int = Field(description="how many items match, before limit/offset")


class Item(ItemRef):
    types: list[str] = Field(description="local names of the item's argraph classes")
    section: str | None = None
    quote: str | None = None


class Relation(BaseModel):
    predicate: str = Field(description="the property's IRI")
    name: str = Field(description="the property's local name (supports, challenges, about...)")
    direction: str = Field(description="'out': this item -> target; 'in': target -> this item")
    target: ItemRef


class CitationOut(BaseModel):
    reference: ItemRef
    function: str = Field(description="the CiTO property, e.g. citesForInformation")
    pages: str | None = None


class ClaimDetail(Item):
    note: str | None = None
    anchor: Anchor | None = None
    relations: list[Relation]
    citations: list[CitationOut]


class FactorDetail(Item):
    broader: list[ItemRef]
    causes: list[ItemRef] = Field(description="factors this one is causally upstream of")
    caused_by: list[ItemRef] = Field(description="factors causally upstream of this one")


class StatisticOut(Item):
    measure: Labels
    value: float | None = None
    value_text: str | None = None
    unit: str | None = None
    period: str | None = None
    area: list[ItemRef]
    supports: list[ItemRef]


class EvidenceOut(Item):
    supports: list[ItemRef]
    statistics: list[ItemRef]


class ReferenceOut(ItemRef):
    number: int | None = None
    title: str | None = None
    authors: list[str]
    venue: str | None = None
    year: str | None = None
    cited_by: list[ItemRef]


class Stats(BaseModel):
    store: str
    triples: int
    graphs: list[str]
    counts: dict[str, int]
    query_workers: dict[str, Any] | None = Field(
        default=None,
        description="the query runner: isolation, workers, slots, running, waiting, refused",
    )
