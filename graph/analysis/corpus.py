"""The corpus causal graph: every paper's causal layer, with aligned factors joined.

Factors aligned by `skos:exactMatch` or `skos:closeMatch` (in either direction, transitively)
are one node of the corpus graph, named by the smallest IRI among them; every causal link keeps
its own IRI, paper, polarity and quote, and runs between the nodes of its cause and effect. So a
chain or a loop may start in one paper and go on in another where their factors align; each
step says which paper states it and whether it was reached through an alignment. `broadMatch`
and `narrowMatch` (and a paper's own `skos:broader`) never join factors: they are kept as
relations of their own kind (`CorpusGraph.broader`), never walked as causes. A link whose two
ends fall into one node is left out of the walk (`collapsed`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict

from errors import BadRequest, NotFound
from graph.analysis.causal_graph import CausalGraph, FactorRef, Link, from_parts, load_causal_graph
from graph.analysis.chains import DEFAULT_MAX_LENGTH, chain_sign, check_length
from graph.analysis.corpus_stances import (
    Alignment,
    documents,
    load_alignments,
    paper_of,
)
from graph.analysis.loops import DEFAULT_MAX_LOOP_LENGTH, find_loops
from graph.query_rows import Queryable, local_name

DEFAULT_LIMIT = 200
EXAMINE_FACTOR = 20
"""a chain search looks at most this many times `limit` paths (cross_only may skip most)"""


class Member(BaseModel):
    """One paper's factor inside a corpus node."""

    model_config = ConfigDict(frozen=True)

    factor: FactorRef
    paper: str


class Node(BaseModel):
    """A node of the corpus graph: the factors of several papers aligned as one."""

    model_config = ConfigDict(frozen=True)

    iri: str
    members: list[Member]
    papers: list[str]


class Step(BaseModel):
    model_config = ConfigDict(frozen=True)

    link: Link
    paper: str
    cause: FactorRef
    effect: FactorRef
    via_alignment: bool
    """True when the step starts at a different factor (of an aligned paper) than the one the
    step before it ended at"""


class CorpusChain(BaseModel):
    model_config = ConfigDict(frozen=True)

    nodes: list[Node]
    steps: list[Step]
    polarity: Literal[1, -1]
    effect: Literal["increases", "decreases"]
    length: int
    papers: list[str]
    crosses: bool
    """the chain uses links of more than one paper"""


class CorpusLoop(BaseModel):
    model_config = ConfigDict(frozen=True)

    nodes: list[Node]
    steps: list[Step]
    kind: Literal["reinforcing", "balancing"]
    length: int
    papers: list[str]
    crosses: bool


@dataclass(frozen=True)
class CorpusGraph:
    base: CausalGraph
    """every paper's causal layer as it is, factors not joined"""
    merged: CausalGraph
    """the walkable graph: one node per group of exactly or closely aligned factors"""
    node_of: dict[str, str]
    """factor IRI -> its node's IRI"""
    members: dict[str, list[str]]
    """node IRI -> the factor IRIs it joins"""
    paper_of_iri: dict[str, str]
    """factor or link IRI -> its paper"""
    alignments: list[Alignment]
    broader: list[tuple[str, str]] = field(default_factory=list)
    """(narrower factor, broader factor) pairs, within and across papers: never causal"""
    collapsed: list[str] = field(default_factory=list)
    """links whose cause and effect were joined into one node"""

    _nodes: dict[str, Node] = field(default_factory=dict, repr=False)

    def node(self, iri: str) -> Node:
        """The node `iri` with its members (built once: chains share their nodes)."""
        found = self._nodes.get(iri)
        if found is None:
            members = self.members.get(iri, [iri])
            refs = [
                Member(factor=self.base.ref(m), paper=self.paper_of_iri.get(m, "")) for m in members
            ]
            found = Node(iri=iri, members=refs, papers=sorted({m.paper for m in refs}))
            self._nodes[iri] = found
        return found

    def resolve(self, ref: str) -> str:
        """A factor's node from its IRI, `paper/id`, or local id (unique in the corpus)."""
        ref = ref.strip()
        if not ref:
            raise BadRequest("no factor given")
        if ref in self.node_of:
            return self.node_of[ref]
        paper, sep, item = ref.partition("/")
        hits = [
            iri
            for iri in self.node_of
            if (sep and self.paper_of_iri.get(iri) == paper and local_name(iri) == item)
            or (not sep and local_name(iri) == ref)
        ]
        if len(hits) == 1:
            return self.node_of[hits[0]]
        if len(hits) > 1:
            raise BadRequest(
                f"factor id {ref!r} names factors of several papers: give <paper>/<id> or the IRI",
                candidates=sorted(hits),
            )
        raise NotFound(f"no factor {ref!r} in the corpus")


class _Groups:
    """Union-find over factor IRIs; a group is named by its smallest IRI."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def corpus_graph(base: CausalGraph, alignments: list[Alignment], docs: list[str]) -> CorpusGraph:
    """Join the exactly and closely aligned factors of `base` (pure)."""
    groups = _Groups()
    for iri in base.factors:
        groups.find(iri)
    broader: set[tuple[str, str]] = set()
    for a in alignments:
        own, other = a.factor.iri, a.target.iri
        if a.relation in ("exact", "close"):
            groups.union(own, other)
        elif a.relation == "broader":
            broader.add((own, other))
        else:
            broader.add((other, own))
    for narrow, wides in base.broader.items():
        broader.update((narrow, wide) for wide in wides)
    node_of = {iri: groups.find(iri) for iri in groups.parent}
    members: dict[str, list[str]] = {}
    for iri, rep in sorted(node_of.items()):
        members.setdefault(rep, []).append(iri)
    links: list[Link] = []
    collapsed: list[str] = []
    for link in base.links.values():
        cause, effect = node_of.get(link.cause, link.cause), node_of.get(link.effect, link.effect)
        if cause == effect:
            collapsed.append(link.iri)
            continue
        links.append(link.model_copy(update={"cause": cause, "effect": effect}))
    reps = [base.ref(rep) for rep in members]
    merged = from_parts(reps, links)
    known = set(docs)
    where = {iri: paper_of(iri, known) for iri in [*node_of, *base.links]}
    return CorpusGraph(
        base=base,
        merged=merged,
        node_of=node_of,
        members=members,
        paper_of_iri=where,
        alignments=alignments,
        broader=sorted(broader),
        collapsed=sorted(collapsed),
    )


def posited_nodes(cg: CorpusGraph, factors: list[str]) -> list[Node]:
    """The corpus nodes of an explanation's posited factors: a node whose members belong to
    several papers shows where the explanation's factors stand in the other papers' models."""
    return [cg.node(cg.node_of.get(f, f)) for f in factors]


def load_corpus_graph(store: Queryable) -> CorpusGraph:
    """The corpus graph of every paper in the store."""
    return corpus_graph(load_causal_graph(store), load_alignments(store), documents(store))


def _steps(
    cg: CorpusGraph, links: list[Link], made: dict[tuple[str, bool], Step] | None = None
) -> list[Step]:
    """The steps of a chain of merged links. `made` keeps the steps already built (a step is
    frozen and the same in every chain through its link): the chains of a corpus share most of
    their links, and building each step once is most of a comparison's cost saved."""
    made = {} if made is None else made
    steps: list[Step] = []
    previous: str | None = None
    for merged_link in links:
        link = cg.base.links[merged_link.iri]
        via = previous is not None and previous != link.cause
        step = made.get((link.iri, via))
        if step is None:
            step = made[(link.iri, via)] = Step.model_construct(  # from validated parts
                link=link,
                paper=cg.paper_of_iri.get(link.iri, ""),
                cause=cg.base.ref(link.cause),
                effect=cg.base.ref(link.effect),
                via_alignment=via,
            )
        steps.append(step)
        previous = link.effect
    return steps


def edge_paths(graph: nx.MultiDiGraph, s: str, t: str, max_length: int) -> Iterator[list[str]]:
    """Every simple path of links (their keys) from s to t of at most max_length links, depth
    first. A branch is followed only while its length plus the shortest distance left to t stays
    within max_length, so the walk does not wander where no chain can end in time (two papers'
    chains joined end to end are long, and the plain walk spends most of its time there)."""
    if s == t or s not in graph or t not in graph:
        return
    left = nx.single_source_shortest_path_length(graph.reverse(copy=False), t, cutoff=max_length)
    if s not in left:
        return
    adj = {
        u: sorted((v, k) for _u, v, k in graph.out_edges(u, keys=True) if v in left) for u in left
    }
    adj[s] = sorted((v, k) for _u, v, k in graph.out_edges(s, keys=True) if v in left)
    nodes: list[str] = [s]
    keys: list[str] = []
    on = {s}
    stack = [iter(adj[s])]
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            on.discard(nodes.pop())
            if keys:
                keys.pop()
            continue
        v, k = step
        if v in on or len(keys) + 1 + left[v] > max_length:
            continue
        if v == t:
            yield [*keys, k]
            continue
        nodes.append(v)
        keys.append(k)
        on.add(v)
        stack.append(iter(adj[v]))


def corpus_chains(
    cg: CorpusGraph,
    source: str,
    target: str,
    max_length: int = DEFAULT_MAX_LENGTH,
    *,
    cross_only: bool = False,
    limit: int = DEFAULT_LIMIT,
) -> list[CorpusChain]:
    """Simple chains from the node of `source` to the node of `target` (factor IRIs,
    `paper/id` or ids), through the factors of any paper, at most `max_length` links; with
    `cross_only`, only those that use links of more than one paper. At most `limit`, sorted
    by length.

    Two papers joined end to end multiply their chains, so the walk is bounded (`edge_paths`:
    only where a chain can still reach the target in time) and stops at the `limit`-th chain it
    keeps (or after `EXAMINE_FACTOR` times as many paths looked at): it costs what the answer
    costs."""
    check_length(max_length)
    s, t = cg.resolve(source), cg.resolve(target)
    out: list[CorpusChain] = []
    made: dict[tuple[str, bool], Step] = {}
    for examined, path in enumerate(edge_paths(cg.merged.graph, s, t, max_length)):
        if examined >= limit * EXAMINE_FACTOR:
            break
        links = [cg.merged.links[key] for key in path]
        steps = _steps(cg, links, made)
        papers = sorted({step.paper for step in steps})
        if cross_only and len(papers) < 2:
            continue
        polarity, effect = chain_sign(links)
        out.append(
            CorpusChain.model_construct(
                nodes=[cg.node(links[0].cause), *(cg.node(link.effect) for link in links)],
                steps=steps,
                polarity=polarity,
                effect=effect,
                length=len(links),
                papers=papers,
                crosses=len(papers) > 1,
            )
        )
        if len(out) >= limit:
            break
    return sorted(out, key=lambda c: (c.length, [step.link.iri for step in c.steps]))


def corpus_loops(
    cg: CorpusGraph,
    max_length: int = DEFAULT_MAX_LOOP_LENGTH,
    *,
    cross_only: bool = True,
    limit: int = DEFAULT_LIMIT,
) -> list[CorpusLoop]:
    """The feedback loops of the corpus graph; by default only those that run through the
    links of more than one paper (each paper's own loops are its own analysis)."""
    out: list[CorpusLoop] = []
    for loop in find_loops(cg.merged, max_length):
        papers = sorted({cg.paper_of_iri.get(link.iri, "") for link in loop.links})
        if cross_only and len(papers) < 2:
            continue
        steps = _steps(cg, loop.links)
        first = steps[0].link.cause if steps else None
        if steps and steps[-1].link.effect != first:
            steps[0] = steps[0].model_copy(update={"via_alignment": True})
        out.append(
            CorpusLoop.model_construct(
                nodes=[cg.node(f.iri) for f in loop.factors],
                steps=steps,
                kind=loop.kind,
                length=loop.length,
                papers=papers,
                crosses=len(papers) > 1,
            )
        )
        if len(out) >= limit:
            break
    return out


__all__ = [
    "CorpusChain",
    "CorpusGraph",
    "CorpusLoop",
    "Member",
    "Node",
    "Step",
    "corpus_chains",
    "corpus_graph",
    "corpus_loops",
    "load_corpus_graph",
    "posited_nodes",
]
