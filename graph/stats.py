"""Counts that summarise a built dataset (for the CLI summary and the API)."""

from __future__ import annotations

from rdflib import Dataset
from rdflib.namespace import RDF

from graph.dumps import named_graphs
from graph.namespaces import ARG, CITO

COUNTED = {
    "claims": ARG.Claim,
    "theses": ARG.Thesis,
    "factors": ARG.Factor,
    "causal_links": ARG.CausalLink,
    "loops": ARG.FeedbackLoop,
    "explanations": ARG.Explanation,
    "evidence": ARG.Evidence,
    "statistics": ARG.Statistic,
    "policies": ARG.PolicyRecommendation,
    "entities": ARG.Entity,
    "references": ARG.Reference,
    "citations": CITO.Citation,
    "passages": ARG.Passage,
    "claim_checks": ARG.ClaimCheck,
    "data_series": ARG.DataSeries,
}


def graph_stats(ds: Dataset) -> dict[str, object]:
    graphs = named_graphs(ds)
    counts: dict[str, object] = {"triples": sum(len(g) for g in graphs), "graphs": len(graphs)}
    for name, cls in COUNTED.items():
        counts[name] = len({s for g in graphs for s in g.subjects(RDF.type, cls)})
    return counts
