"""Exports of the paper's graph for other tools, each a pure function of a store (SPARQL only,
so any store works) returning deterministic text.

`EXPORTS` names every format with its media type and file extension; `export(name, store)`
runs one. The CLI (`argraph export`) and the API (`/api/export/{format}`) both use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from errors import NotFound
from graph.exports.aif import to_aif
from graph.exports.argdown import to_argdown
from graph.exports.cld import to_cld
from graph.exports.network import to_cytoscape, to_graphml
from graph.exports.tables import (
    claims_csv,
    claims_markdown,
    comparison_csv,
    comparison_markdown,
)
from graph.query_rows import Queryable


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    extension: str
    description: str
    render: Callable[[Queryable], str]


EXPORTS: dict[str, ExportFormat] = {
    f.name: f
    for f in [
        ExportFormat("aif", "application/json", "aif.json", "AIF JSON (OVA, AIFdb)", to_aif),
        ExportFormat("argdown", "text/plain", "argdown", "Argdown text", to_argdown),
        ExportFormat(
            "graphml", "application/graphml+xml", "graphml", "causal layer, GraphML", to_graphml
        ),
        ExportFormat(
            "cytoscape",
            "application/json",
            "cyjs",
            "causal layer, Cytoscape.js JSON",
            to_cytoscape,
        ),
        ExportFormat("claims-csv", "text/csv", "claims.csv", "claims and quotes, CSV", claims_csv),
        ExportFormat(
            "claims-md",
            "text/markdown",
            "claims.md",
            "claims and quotes, Markdown",
            claims_markdown,
        ),
        ExportFormat(
            "comparison-csv",
            "text/csv",
            "comparison.csv",
            "explanations compared, CSV",
            comparison_csv,
        ),
        ExportFormat(
            "comparison-md",
            "text/markdown",
            "comparison.md",
            "explanations compared, Markdown",
            comparison_markdown,
        ),
        ExportFormat("cld", "application/json", "cld.json", "causal-loop diagram, JSON", to_cld),
    ]
}


def export(name: str, store: Queryable) -> str:
    """The named export of the store's graph."""
    try:
        fmt = EXPORTS[name]
    except KeyError:
        raise NotFound(
            f"no export format {name!r}; available: {', '.join(EXPORTS)}", format=name
        ) from None
    return fmt.render(store)


__all__ = ["EXPORTS", "ExportFormat", "export"]
