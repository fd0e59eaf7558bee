"""The paper itself for the first screen: title, subtitle, authors, year and abstract, read from
the graph (the `arg:Document` whose IRI is the item prefix without its trailing slash)."""

from __future__ import annotations

from typing import Any

from graph import repo
from graph.namespaces import ARG
from graph.store import Store

DCT = "http://purl.org/dc/terms/"
FABIO = "http://purl.org/spar/fabio/"
FOAF_NAME = "http://xmlns.com/foaf/0.1/name"


def _pair(node: repo.Node, prop: str) -> dict[str, str | None]:
    return {"zh": node.lang(prop, "zh"), "en": node.lang(prop, "en")}


def document(store: Store, prefix: str) -> dict[str, Any] | None:
    docs = repo.nodes_of_class(store, str(ARG.Document))
    iri = prefix.rstrip("/")
    node = docs.get(iri) or (docs[sorted(docs)[0]] if len(docs) == 1 else None)
    if node is None:
        return None
    authors = []
    for a in node.values(DCT + "creator"):
        person = repo.node(store, a)
        order = person.values(str(ARG.order))
        authors.append(
            (
                int(order[0]) if order and order[0].isdigit() else 0,
                {"iri": a, "label": _pair(person, FOAF_NAME)},
            )
        )
    year = node.values(FABIO + "hasPublicationYear")
    return {
        "iri": node.iri,
        "id": repo.short_id(node.iri),
        "title": _pair(node, DCT + "title"),
        "subtitle": _pair(node, FABIO + "hasSubtitle"),
        "abstract": _pair(node, DCT + "abstract"),
        "authors": [a for _, a in sorted(authors, key=lambda oa: oa[0])],
        "year": year[0] if year else None,
    }
