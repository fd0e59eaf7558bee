"""AIF JSON in the AIFdb / OVA layout: `nodes`, `edges`, `locutions`, `participants`.

Every statement is an I-node (its text: the English label); each relation is a scheme node
between its two I-nodes: an RA-node ("Default Inference") for `supports`, a CA-node ("Default
Conflict") for `challenges`, and a CA-node named "Qualification" for `qualifies` (AIF has no
node for a claim that restricts another's scope; a qualification is the nearest, a partial
conflict). Node ids are sequential in a sorted order, so the output is byte-stable.
"""

from __future__ import annotations

import json
from typing import Any

from graph.exports._argument import load_argument, paper_title
from graph.query_rows import Queryable

SCHEME = {
    "supports": ("RA", "Default Inference"),
    "challenges": ("CA", "Default Conflict"),
    "qualifies": ("CA", "Qualification"),
}


def to_aif_dict(store: Queryable) -> dict[str, Any]:
    arg = load_argument(store)
    _title, received = paper_title(store)
    stamp = f"{received or '1970-01-01'} 00:00:00"
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    ids: dict[str, str] = {}
    for s in arg.ordered():
        ids[s.iri] = str(len(nodes) + 1)
        nodes.append({"nodeID": ids[s.iri], "text": s.text, "type": "I", "timestamp": stamp})
    for e in arg.edges:
        kind, scheme = SCHEME[e.relation]
        sid = str(len(nodes) + 1)
        nodes.append(
            {"nodeID": sid, "text": scheme, "type": kind, "timestamp": stamp, "scheme": scheme}
        )
        for a, b in ((ids[e.source], sid), (sid, ids[e.target])):
            edges.append(
                {"edgeID": str(len(edges) + 1), "fromID": a, "toID": b, "formEdgeID": None}
            )
    return {
        "nodes": nodes,
        "edges": edges,
        "locutions": [],
        "participants": [],
        "schemefulfillments": [],
        "descriptorfulfillments": [],
    }


def to_aif(store: Queryable) -> str:
    """The argument as AIF JSON (opens in OVA and loads into AIFdb)."""
    return json.dumps(to_aif_dict(store), ensure_ascii=False, indent=1) + "\n"


def iri_index(store: Queryable) -> dict[str, str]:
    """nodeID -> IRI for the I-nodes of `to_aif` (the same order)."""
    return {str(i): s.iri for i, s in enumerate(load_argument(store).ordered(), start=1)}
