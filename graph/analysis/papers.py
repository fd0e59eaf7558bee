"""The papers of a store, and one paper's part of the causal layer.

A store may hold several papers (their builds' N-Quads loaded together). Each is an
`arg:Document` `{base}id/{paper}`, its items `{base}id/{paper}/{item}`; a paper's id is the
document IRI's last segment. The API (`?paper=`) and the CLI (`--paper`) both pick one this way;
without one, the analyses run on all papers together.
"""

from __future__ import annotations

from errors import NotFound
from graph.analysis.causal_graph import CausalGraph, from_parts
from graph.namespaces import ARG
from graph.query_rows import Queryable, select, value


def documents(store: Queryable) -> list[str]:
    """The IRIs of the store's documents (its papers), in IRI order."""
    rows = select(store, f"SELECT DISTINCT ?d WHERE {{ ?d a <{ARG.Document}> }} ORDER BY ?d")
    return [d for row in rows if (d := value(row, "d"))]


def paper_prefix(documents: list[str], paper: str) -> str:
    """`{base}id/{paper}/`, the item prefix of a loaded paper; NotFound naming the loaded ones
    otherwise."""
    for doc in documents:
        if doc.rsplit("/", 1)[-1] == paper:
            return doc + "/"
    loaded = ", ".join(d.rsplit("/", 1)[-1] for d in documents) or "none"
    raise NotFound(f"no paper {paper!r} is loaded (loaded: {loaded})", paper=paper)


def paper_graph(cg: CausalGraph, prefix: str | None) -> CausalGraph:
    """The causal layer of the paper under `prefix` (a store may hold many), with its broader,
    indicator and main-outcome relations; the whole graph when `prefix` is None or the graph holds
    nothing else."""
    if prefix is None or all(i.startswith(prefix) for i in (*cg.factors, *cg.links)):
        return cg
    mine = from_parts(
        [f for f in cg.factors.values() if f.iri.startswith(prefix)],
        [link for link in cg.links.values() if link.iri.startswith(prefix)],
    )
    mine.broader.update({k: v for k, v in cg.broader.items() if k.startswith(prefix)})
    mine.indicates.update({k: v for k, v in cg.indicates.items() if k.startswith(prefix)})
    mine.main_outcomes.extend(o for o in cg.main_outcomes if o.startswith(prefix))
    return mine
