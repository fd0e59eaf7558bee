"""The corpus as a whole over REST: its papers, the alignments between their factors, which
papers posit, accept, qualify or reject each explanation (with quotes), and the chains and loops
that run through the aligned factors of several papers. Thin wrappers over
`graph.analysis.corpus` and `graph.analysis.corpus_stances`; see docs/cross-paper.md.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from api.deps import StoreDep
from api.models import Page
from errors import NotFound
from graph.analysis.chains import DEFAULT_MAX_LENGTH, MAX_LENGTH_LIMIT
from graph.analysis.corpus import (
    CorpusChain,
    CorpusLoop,
    Node,
    corpus_chains,
    corpus_loops,
    load_corpus_graph,
    posited_nodes,
)
from graph.analysis.corpus_stances import (
    Alignment,
    ExplanationStances,
    Paper,
    load_alignments,
    load_papers,
    load_stances,
)
from graph.analysis.loops import DEFAULT_MAX_LOOP_LENGTH, MAX_LOOP_LENGTH_LIMIT
from graph.namespaces import ONTOLOGY_IRI
from graph.query_rows import Queryable
from graph.results import QueryResult
from graph.store import Store

router = APIRouter(prefix="/api/corpus", tags=["corpus"])

LimitQ = Annotated[int, Query(ge=1, le=1000, description="return at most this many")]
PapersQ = Annotated[
    str | None,
    Query(
        description="comma-separated paper ids: read only these papers' graphs (and the "
        "ontology), e.g. two papers compared; default every loaded paper"
    ),
]


class _Papers:
    """The store seen through some papers' named graphs (and the ontology's) as its default
    graph. Kept per app, store and set of papers, so that their SELECT answers are kept too
    (graph/select_cache.py keeps them per store object)."""

    def __init__(self, store: Store, graphs: Sequence[str]) -> None:
        self.store, self.graphs = store, list(graphs)
        self.kind = store.kind  # a remote store's answers are never kept

    def query(self, sparql: str) -> QueryResult:
        return self.store.query(sparql, default_graphs=self.graphs)


_lock = threading.Lock()


def _scope(request: Request, store: Store, papers: str | None) -> Queryable:
    wanted = sorted({p.strip() for p in (papers or "").split(",") if p.strip()})
    if not wanted:
        return store
    names: list[str] = request.app.state.graph_names
    graphs: list[str] = []
    for paper in wanted:
        found = [g for g in names if f"/graph/{paper}/" in g]
        if not found:
            raise NotFound(f"no paper {paper!r} is loaded")
        graphs += found
    graphs += [g for g in names if g == ONTOLOGY_IRI]
    key = (id(store), tuple(wanted))
    with _lock:
        views: dict[tuple[int, tuple[str, ...]], _Papers] | None = getattr(
            request.app.state, "corpus_views", None
        )
        if views is None:
            views = {}
            request.app.state.corpus_views = views
        view = views.get(key)
        if view is None:
            if len(views) >= 64:
                views.pop(next(iter(views)))
            view = views[key] = _Papers(store, graphs)
        return view


class ExplanationAcross(ExplanationStances):
    factors: list[Node]
    """the posited factors as nodes of the corpus graph: a node joining several papers' factors
    shows the explanation's factor in the other papers' models too"""


class CorpusSummary(BaseModel):
    papers: list[Paper]
    alignments: int
    stances: int
    """stances of papers toward other papers' explanations (verdicts not counted)"""
    explanations: int
    joined_nodes: list[Node]
    """the nodes of the corpus graph that join factors of several papers"""
    cross_loops: int
    unresolved: list[str]
    """targets of alignments and stances that are not in the store (their paper is not loaded,
    or no longer has the item): the build checked them against the papers' folders"""


@router.get("", response_model=CorpusSummary)
def get_corpus(request: Request, store: StoreDep, papers: PapersQ = None) -> CorpusSummary:
    """The corpus at a glance: its papers, how many alignments and stances join them, the
    factors joined across papers, and how many loops run through several papers."""
    view = _scope(request, store, papers)
    found = load_papers(view)
    cg = load_corpus_graph(view)
    joined = [cg.node(iri) for iri, members in cg.members.items() if len(members) > 1]
    unresolved = {a.target.iri for a in cg.alignments if not a.target.loaded}
    unresolved |= {e.explanation.iri for e in load_stances(view) if not e.explanation.loaded}
    return CorpusSummary(
        papers=found,
        alignments=len(cg.alignments),
        stances=sum(p.stances for p in found),
        explanations=sum(p.explanations for p in found),
        joined_nodes=[n for n in joined if len(n.papers) > 1],
        cross_loops=len(corpus_loops(cg)),
        unresolved=sorted(unresolved),
    )


@router.get("/papers", response_model=Page[Paper])
def get_papers(store: StoreDep) -> Page[Paper]:
    """Every paper loaded, with the size of its argument and of its cross-paper layer."""
    found = load_papers(store)
    return Page(data=found, count=len(found))


@router.get("/alignments", response_model=Page[Alignment])
def get_alignments(
    store: StoreDep,
    paper: Annotated[
        str | None, Query(description="only those stated by or aimed at this paper")
    ] = None,
    relation: Literal["exact", "close", "broader", "narrower"] | None = None,
) -> Page[Alignment]:
    """Factors aligned across papers (SKOS exact, close, broad and narrow matches), each with
    the paper that states it, its quote and note."""
    found = [
        a
        for a in load_alignments(store)
        if (paper is None or paper in (a.paper, a.target.paper)) and relation in (None, a.relation)
    ]
    return Page(data=found, count=len(found))


@router.get("/explanations", response_model=Page[ExplanationAcross])
def get_explanations(
    request: Request,
    store: StoreDep,
    paper: Annotated[
        str | None,
        Query(description="only explanations this paper puts forward or takes a stance on"),
    ] = None,
    papers: PapersQ = None,
) -> Page[ExplanationAcross]:
    """For each explanation of the corpus, which papers posit, accept, qualify or reject it,
    each with the quote that says so (its own paper's verdict, other papers' stances), and its
    posited factors as nodes of the corpus graph (aligned factors of other papers joined)."""
    view = _scope(request, store, papers)
    cg = load_corpus_graph(view)
    found = [
        ExplanationAcross(**e.model_dump(), factors=posited_nodes(cg, e.posits))
        for e in load_stances(view)
        if paper is None or paper == e.explanation.paper or any(s.paper == paper for s in e.stances)
    ]
    return Page(data=found, count=len(found))


@router.get("/nodes", response_model=Page[Node])
def get_nodes(
    request: Request,
    store: StoreDep,
    papers: PapersQ = None,
    joined: Annotated[
        bool, Query(description="only nodes that join factors of several papers")
    ] = False,
) -> Page[Node]:
    """The factors of the corpus graph that have causal links, aligned factors as one node
    (its members name each paper's factor): the places a chain may start or end."""
    cg = load_corpus_graph(_scope(request, store, papers))
    found = [
        cg.node(iri)
        for iri in cg.members
        if cg.merged.in_model(iri)
        and (not joined or len({cg.paper_of_iri.get(m) for m in cg.members[iri]}) > 1)
    ]
    return Page(data=found, count=len(found))


@router.get("/chains", response_model=Page[CorpusChain])
def get_chains(
    request: Request,
    store: StoreDep,
    source: Annotated[
        str, Query(alias="from", description="cause factor (IRI, <paper>/<id>, or a unique id)")
    ],
    target: Annotated[str, Query(alias="to", description="effect factor (IRI, <paper>/<id>, id)")],
    max_length: Annotated[int, Query(ge=1, le=MAX_LENGTH_LIMIT)] = DEFAULT_MAX_LENGTH,
    cross_only: Annotated[bool, Query(description="only chains using several papers")] = False,
    limit: LimitQ = 200,
    papers: PapersQ = None,
) -> Page[CorpusChain]:
    """Causal chains between two factors through the corpus graph, where exactly or closely
    aligned factors of different papers are one node; each step names its paper and quote."""
    cg = load_corpus_graph(_scope(request, store, papers))
    found = corpus_chains(cg, source, target, max_length, cross_only=cross_only, limit=limit)
    return Page(data=found, count=len(found))


@router.get("/loops", response_model=Page[CorpusLoop])
def get_loops(
    request: Request,
    store: StoreDep,
    max_length: Annotated[int, Query(ge=1, le=MAX_LOOP_LENGTH_LIMIT)] = DEFAULT_MAX_LOOP_LENGTH,
    cross_only: Annotated[bool, Query(description="only loops through several papers")] = True,
    limit: LimitQ = 200,
    papers: PapersQ = None,
) -> Page[CorpusLoop]:
    """Feedback loops of the corpus graph (by default those that run through several papers)."""
    cg = load_corpus_graph(_scope(request, store, papers))
    found = corpus_loops(cg, max_length, cross_only=cross_only, limit=limit)
    return Page(data=found, count=len(found))
