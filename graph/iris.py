"""Every IRI argraph mints comes from here, from one configurable base.

Layout (base defaults to https://w3id.org/argraph/):
- `{base}id/{paper}`                 the document
- `{base}id/{paper}/{item}`          an annotated item (claim, factor, link, ...)
- `{base}id/{paper}/{item}#anchor`   its quote's place in the source (+ `#text-quote`, `#text-position`)
- `{base}id/{paper}/{claim}#cite-9`  a typed citation of reference [9]
- `{base}id/{paper}/{loop}#step-1`   an ordered step of a feedback loop
- `{base}id/{paper}/scheme/{name}`   a SKOS concept scheme (explanations, factors)
- `{base}graph/{paper}/{name}`       a named graph (assertions, provenance, bibliography, data)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef

DEFAULT_BASE = "https://w3id.org/argraph/"

_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _check(segment: str) -> str:
    if not _SEGMENT.match(segment):
        raise ValueError(f"not a safe IRI segment: {segment!r}")
    return segment


@dataclass(frozen=True, slots=True)
class Minter:
    """Mints the IRIs of one paper."""

    paper: str
    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith("/"):
            raise ValueError(f"the base IRI must end with '/': {self.base!r}")
        _check(self.paper)

    @property
    def document(self) -> URIRef:
        return URIRef(f"{self.base}id/{self.paper}")

    def item(self, item_id: str) -> URIRef:
        return URIRef(f"{self.base}id/{self.paper}/{_check(item_id)}")

    def fragment(self, item_iri: URIRef, fragment: str) -> URIRef:
        return URIRef(f"{item_iri}#{_check(fragment)}")

    def anchor(self, quote_key: str) -> URIRef:
        return self.fragment(self.subject_of_quote(quote_key), "anchor" + _suffix(quote_key))

    def subject_of_quote(self, quote_key: str) -> URIRef:
        if quote_key.startswith("document."):
            return self.document
        return self.item(quote_key.partition(".quote-")[0])

    def scheme(self, name: str) -> URIRef:
        return URIRef(f"{self.base}id/{self.paper}/scheme/{_check(name)}")

    def dataset(self, name: str) -> URIRef:
        return URIRef(f"{self.base}id/{self.paper}/dataset/{_check(name)}")

    def graph(self, name: str) -> URIRef:
        return URIRef(f"{self.base}graph/{self.paper}/{_check(name)}")


def _suffix(quote_key: str) -> str:
    if quote_key.startswith("document."):
        return "-" + quote_key.removeprefix("document.")
    _, sep, n = quote_key.partition(".quote-")
    return f"-{n}" if sep else ""


def wikidata(qid: str) -> URIRef:
    return URIRef(f"http://www.wikidata.org/entity/{_check(qid)}")
