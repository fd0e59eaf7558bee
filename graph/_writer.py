"""The shared part of the RDF builder: build inputs, IRIs, labels, quotes and their anchors.

`RdfWriter` holds the dataset and its three named graphs (assertions, provenance, bibliography);
`graph/bibliography.py` and `graph/builder.py` add the items on top of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from graph.iris import DEFAULT_BASE, Minter
from graph.namespaces import ARG, OA, PREFIXES
from ingest.anchoring import Anchor
from ingest.corpus import Corpus, also_key
from ingest.models import Labels


@dataclass(frozen=True, slots=True)
class BuildInputs:
    corpus: Corpus
    anchors: Mapping[str, Anchor]
    anchors_verified: bool
    source_sha256: str | None
    base: str = DEFAULT_BASE
    wikidata_ids: Mapping[str, str] | None = None
    """ISO 3166 code (CN-LN) -> Wikidata QID, read from the provinces table when given."""


class RdfWriter:
    def __init__(self, inputs: BuildInputs) -> None:
        self.inputs = inputs
        self.corpus = inputs.corpus
        self.mint = Minter(inputs.corpus.name, inputs.base)
        self.ds = Dataset()
        for prefix, iri in PREFIXES.items():
            self.ds.bind(prefix, iri)
        self.ds.bind("id", f"{inputs.base}id/{inputs.corpus.name}/")
        self.a = self.ds.graph(self.mint.graph("assertions"))
        self.p = self.ds.graph(self.mint.graph("provenance"))
        self.b = self.ds.graph(self.mint.graph("bibliography"))

    # -- helpers -----------------------------------------------------------------------------

    def iri(self, item_id: str) -> URIRef:
        return self.mint.item(item_id)

    def labels(
        self, node: URIRef, labels: Labels, *, skos: bool = False, g: Graph | None = None
    ) -> None:
        g = self.a if g is None else g
        g.add((node, RDFS.label, Literal(labels.zh, lang="zh")))
        g.add((node, RDFS.label, Literal(labels.en, lang="en")))
        if skos:
            g.add((node, SKOS.prefLabel, Literal(labels.zh, lang="zh")))
            g.add((node, SKOS.prefLabel, Literal(labels.en, lang="en")))

    def rel(
        self, node: URIRef, prop: URIRef, targets: Iterable[str], g: Graph | None = None
    ) -> None:
        g = self.a if g is None else g
        for target in targets:
            g.add((node, prop, self.iri(target)))

    def quote(self, key: str, node: URIRef, quote: str, g: Graph | None = None) -> None:
        """The quote on the node, and its anchor (Web Annotation selectors) in provenance."""
        g = self.a if g is None else g
        g.add((node, ARG.quote, Literal(quote, lang=lang_of(quote))))
        self.anchor_only(key, node)

    def anchor_only(self, key: str, node: URIRef) -> None:
        anchor = self.inputs.anchors[key]
        target = self.mint.anchor(key)
        tq = URIRef(f"{target}-text-quote")
        tp = URIRef(f"{target}-text-position")
        doc = self.mint.document
        p = self.p
        p.add((node, PROV.wasQuotedFrom, doc))
        p.add((node, ARG.anchor, target))
        p.add((target, RDF.type, OA.SpecificResource))
        p.add((target, OA.hasSource, doc))
        p.add((target, OA.hasSelector, tq))
        p.add((target, OA.hasSelector, tp))
        p.add((tq, RDF.type, OA.TextQuoteSelector))
        p.add((tq, OA.exact, Literal(anchor.exact)))
        p.add((tq, OA.prefix, Literal(anchor.prefix)))
        p.add((tq, OA.suffix, Literal(anchor.suffix)))
        p.add((tp, RDF.type, OA.TextPositionSelector))
        p.add((tp, OA.start, Literal(anchor.start, datatype=XSD.integer)))
        p.add((tp, OA.end, Literal(anchor.end, datatype=XSD.integer)))

    def common(self, item_id: str, item: object, cls: URIRef, *, skos: bool = False) -> URIRef:
        node = self.iri(item_id)
        self.a.add((node, RDF.type, cls))
        labels = getattr(item, "label")  # noqa: B009 - every item has one
        self.labels(node, labels, skos=skos)
        self.quote(item_id, node, getattr(item, "quote"))  # noqa: B009
        for n, also in enumerate(getattr(item, "also_quoted", []), start=2):
            self.a.add((node, ARG.alsoQuoted, Literal(also, lang=lang_of(also))))
            self.anchor_only(also_key(item_id, n), node)
        note = getattr(item, "note", None)
        if note:
            self.a.add((node, ARG.note, Literal(note, lang="en")))
        section = self.corpus.section_of.get(item_id)
        if section is not None:
            self.a.add((node, ARG.section, self.iri(section)))
        self.a.add((node, DCTERMS.isPartOf, self.mint.document))
        return node


def lang_of(text: str) -> str:
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"
