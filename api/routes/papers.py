"""The loaded papers, and the `paper` query parameter that picks one of them.

Several papers may be served from one store (their builds' N-Quads loaded together). Each is an
`arg:Document` `{base}id/{paper}`, its items `{base}id/{paper}/{item}`. Routes that speak of
one paper's items take `?paper=<paper>` (the document's last IRI segment, e.g. `liu-tong-2021`):

- `PaperPrefixDep`: the chosen paper's item prefix; without `paper`, the first loaded paper (in
  IRI order). For views of one paper (the viewer's pages and /api/view/...).
- `ItemPaperPrefixDep`: the same with `paper`; without it, the first paper that has an item with
  the id the path names (`api.deps.get_item_prefix`). For item routes (/api/claims/{id}...).
- `PaperFilterDep`: the chosen paper's prefix, or None (every paper). For lists.

A `paper` that is not loaded is a 404 that names the loaded papers. `GET /api/papers` lists them
(api/routes/stats.py). `paper_graph` (graph/analysis/papers.py, shared with the CLI) cuts one
paper's causal layer out of the whole store's.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from pydantic import BaseModel

from api.deps import get_item_prefix
from errors import NotFound
from graph import repo
from graph.analysis.papers import paper_graph
from graph.namespaces import ARG
from graph.store import Store

__all__ = [
    "ItemPaperPrefixDep",
    "PaperFilterDep",
    "PaperOut",
    "PaperPrefixDep",
    "list_papers",
    "paper_graph",
    "paper_ids",
    "prefix_of",
]

PaperQ = Annotated[
    str | None,
    Query(
        max_length=200,
        description="the paper (the last segment of its document IRI, e.g. liu-tong-2021); "
        "default: the first loaded paper, or for an item the first paper that has it",
    ),
]


def paper_ids(request: Request) -> list[str]:
    """The loaded papers' ids, in IRI order (the first is the default)."""
    docs: list[str] = request.app.state.documents
    return [d.rsplit("/", 1)[-1] for d in docs]


def prefix_of(request: Request, paper: str) -> str:
    """`{base}id/{paper}/` of a loaded paper; NotFound naming the loaded ones otherwise."""
    docs: list[str] = request.app.state.documents
    for doc in docs:
        if doc.rsplit("/", 1)[-1] == paper:
            return doc + "/"
    loaded = ", ".join(paper_ids(request)) or "none"
    raise NotFound(f"no paper {paper!r} is loaded (loaded: {loaded})", paper=paper)


async def get_paper_prefix(request: Request, paper: PaperQ = None) -> str:
    if paper is not None:
        return prefix_of(request, paper)
    prefix: str = request.app.state.item_prefix
    return prefix


async def get_item_paper_prefix(request: Request, paper: PaperQ = None) -> str:
    if paper is not None:
        return prefix_of(request, paper)
    return await get_item_prefix(request)


async def get_paper_filter(request: Request, paper: PaperQ = None) -> str | None:
    return prefix_of(request, paper) if paper is not None else None


PaperPrefixDep = Annotated[str, Depends(get_paper_prefix)]
ItemPaperPrefixDep = Annotated[str, Depends(get_item_paper_prefix)]
PaperFilterDep = Annotated[str | None, Depends(get_paper_filter)]


class PaperOut(BaseModel):
    id: str
    iri: str
    title: repo.Labels
    year: int | None = None
    main_outcome: str | None = None
    default: bool = False
    """The paper a route without `paper` speaks of (the first, in IRI order)."""


FABIO_YEAR = "http://purl.org/spar/fabio/hasPublicationYear"


def list_papers(store: Store, documents: list[str]) -> list[PaperOut]:
    """Every loaded document with its title, year and main outcome, in IRI order."""
    nodes = repo.nodes_of_class(store, str(ARG.Document))
    out = []
    for i, doc in enumerate(documents):
        node = nodes.get(doc)
        year = node.first(FABIO_YEAR) if node is not None else None
        out.append(
            PaperOut(
                id=doc.rsplit("/", 1)[-1],
                iri=doc,
                title=node.labels() if node is not None else repo.Labels(),
                year=int(year) if year and year.isdigit() else None,
                main_outcome=node.first(str(ARG.mainOutcome)) if node is not None else None,
                default=i == 0,
            )
        )
    return out
