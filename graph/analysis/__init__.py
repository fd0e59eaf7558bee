"""Causal analysis over the paper's graph: chains, loops, rival explanations, policies, what-ifs.

`load_causal_graph(store)` reads the causal layer from any store through SPARQL 1.1; every other
function is pure over the `CausalGraph` it returns.
"""

from __future__ import annotations

from graph.analysis.causal_graph import (
    CausalGraph,
    FactorRef,
    Link,
    from_parts,
    load_causal_graph,
)
from graph.analysis.chains import (
    Chain,
    Reached,
    chains,
    downstream,
    mechanism_link_iris,
    outcomes,
    root_causes,
    upstream,
)
from graph.analysis.explanations import Comparison, compare, load_explanations
from graph.analysis.interventions import (
    InterventionResult,
    intervene,
    intervene_policy,
    policy_intervention,
)
from graph.analysis.loops import Loop, find_loops
from graph.analysis.papers import documents, paper_graph, paper_prefix
from graph.analysis.policies import (
    PolicyAnalysis,
    PolicyGaps,
    analyse_policies,
    load_policies,
    policy_gaps,
)


def decline_outcome(g: CausalGraph, ref: str | None = None) -> str | None:
    """The IRI of the paper's main outcome, the default `outcome` of the API and CLI: the factor
    `ref` (IRI or id) if given, else the one its document record names (`arg:mainOutcome`, from
    `outcome` in paper.yaml); None (every outcome) when the graph has no such factor with links,
    or when the loaded documents name more than one."""
    if ref is None:
        if len(g.main_outcomes) != 1:
            return None
        ref = g.main_outcomes[0]
    hits = [iri for iri, f in g.factors.items() if (iri == ref or f.id == ref) and g.in_model(iri)]
    return hits[0] if len(hits) == 1 else None


__all__ = [
    "CausalGraph",
    "Chain",
    "Comparison",
    "FactorRef",
    "InterventionResult",
    "Link",
    "Loop",
    "PolicyAnalysis",
    "PolicyGaps",
    "Reached",
    "analyse_policies",
    "chains",
    "compare",
    "decline_outcome",
    "documents",
    "downstream",
    "find_loops",
    "from_parts",
    "intervene",
    "intervene_policy",
    "load_causal_graph",
    "load_explanations",
    "load_policies",
    "mechanism_link_iris",
    "outcomes",
    "paper_graph",
    "paper_prefix",
    "policy_gaps",
    "policy_intervention",
    "root_causes",
    "upstream",
]
