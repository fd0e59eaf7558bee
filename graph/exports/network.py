"""The causal layer as a network for Gephi and Cytoscape: GraphML and Cytoscape.js JSON.

Nodes are factors (every `arg:Factor`, linked or not), keyed by IRI, with `label` (English),
`label_zh`, `item_id`, `kind` (root, intermediate, outcome, or unlinked) and `in_loop`. Edges
are causal links, keyed by the link's IRI (two links between one pair stay two edges), with
`polarity` ("+" / "-"), `sign` (1 / -1), `kind` ("increases" / "decreases"), `label` (the
sign, which Gephi shows on the edge), `basis`, `mechanism`, `quote`, `asserted_by`, `iri`.
"""

from __future__ import annotations

import json

import networkx as nx

from graph.analysis import find_loops, load_causal_graph
from graph.analysis.causal_graph import CausalGraph
from graph.analysis.loops import MAX_LOOP_LENGTH_LIMIT
from graph.query_rows import Queryable


def node_kind(g: CausalGraph, iri: str) -> str:
    graph = g.graph
    if not g.in_model(iri):
        return "unlinked"
    if graph.in_degree(iri) == 0:
        return "root"
    if graph.out_degree(iri) == 0:
        return "outcome"
    return "intermediate"


def causal_network(store: Queryable) -> nx.MultiDiGraph:
    """A MultiDiGraph with plain (str/int/bool) attributes only, in sorted order."""
    g = load_causal_graph(store)
    in_loops = {f for lp in find_loops(g, MAX_LOOP_LENGTH_LIMIT) for f in lp.factor_iris}
    out: nx.MultiDiGraph = nx.MultiDiGraph()
    for iri, f in sorted(g.factors.items()):
        out.add_node(
            iri,
            label=f.en or f.id,
            name=f.en or f.id,
            label_zh=f.zh or "",
            item_id=f.id,
            kind=node_kind(g, iri),
            in_loop=iri in in_loops,
        )
    for iri, link in sorted(g.links.items()):
        sign = "+" if link.polarity > 0 else "-"
        out.add_edge(
            link.cause,
            link.effect,
            key=iri,
            iri=iri,
            item_id=link.id,
            polarity=sign,
            sign=link.polarity,
            kind="increases" if link.polarity > 0 else "decreases",
            label=sign,
            basis=link.basis or "",
            mechanism=link.mechanism or "",
            quote=link.quote or "",
            asserted_by=link.asserted_by or "",
        )
    return out


def to_graphml(store: Queryable) -> str:
    """GraphML (opens in Gephi, Cytoscape, yEd; `networkx.read_graphml` reads it back)."""
    return "\n".join(nx.generate_graphml(causal_network(store), prettyprint=True)) + "\n"


def to_cytoscape(store: Queryable) -> str:
    """Cytoscape.js JSON (`elements`), as `networkx.cytoscape_data` writes it."""
    data = nx.cytoscape_data(causal_network(store))
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
