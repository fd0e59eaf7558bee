"""The argraph ontology, SHACL shapes and JSON-LD context, shipped as package data."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph

HERE = Path(__file__).parent
ONTOLOGY_TTL = HERE / "argraph.ttl"
SHAPES_TTL = HERE / "shapes.ttl"
CONTEXT_JSONLD = HERE / "context.jsonld"


@cache
def _parsed(path: Path) -> Graph:
    g = Graph()
    g.parse(path, format="turtle")
    return g


def load_ontology() -> Graph:
    """The ontology as a graph (parsed once; treat it as read-only)."""
    return _parsed(ONTOLOGY_TTL)


def load_shapes() -> Graph:
    """The SHACL shapes a well-formed encoding must satisfy (parsed once; read-only)."""
    return _parsed(SHAPES_TTL)
