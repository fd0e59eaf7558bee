"""Annotations -> one RDF dataset. A pure function of its inputs.

Named graphs (see `iris.Minter.graph`): `assertions` (what the paper argues: claims, factors,
links, loops, explanations, evidence, statistics, policies, entities), `provenance` (where each
quote sits: Web Annotation selectors, PROV), `bibliography` (the paper's record, its references
and typed citations), and the ontology in its own graph. No blank nodes: every node has an IRI,
so dumps are stable byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from argraph.graph.iris import DEFAULT_BASE, Minter, wikidata
from argraph.graph.namespaces import (
    ARG,
    BIBO,
    CAUSALLY_UPSTREAM_NEGATIVE,
    CAUSALLY_UPSTREAM_OF,
    CAUSALLY_UPSTREAM_POSITIVE,
    CITO,
    FABIO,
    FOAF,
    OA,
    ONTOLOGY_IRI,
    PREFIXES,
    QB,
    SDMX_DIM,
    SDMX_MEASURE,
)
from argraph.ingest.anchoring import Anchor
from argraph.ingest.corpus import Corpus, also_key
from argraph.ingest.models import (
    Aim,
    CausalLink,
    Citation,
    Claim,
    ClaimKind,
    Entity,
    EntityKind,
    Enumeration,
    Evidence,
    EvidenceKind,
    Explanation,
    Factor,
    Footnote,
    Keyword,
    Labels,
    Loop,
    Passage,
    Polarity,
    Policy,
    Reference,
    Section,
    Statistic,
    Verdict,
    Work,
)
from argraph.ontology import load_ontology


@dataclass(frozen=True, slots=True)
class BuildInputs:
    corpus: Corpus
    anchors: Mapping[str, Anchor]
    anchors_verified: bool
    source_sha256: str | None
    base: str = DEFAULT_BASE
    wikidata_ids: Mapping[str, str] | None = None
    """ISO 3166 code (CN-LN) -> Wikidata QID, read from the provinces table when given."""


_CLAIM_CLASS = {
    ClaimKind.empirical: ARG.EmpiricalClaim,
    ClaimKind.causal: ARG.CausalClaim,
    ClaimKind.normative: ARG.NormativeClaim,
    ClaimKind.definitional: ARG.DefinitionalClaim,
}
_EVIDENCE_CLASS = {
    EvidenceKind.historical_fact: ARG.HistoricalFact,
    EvidenceKind.figure: ARG.Figure,
    EvidenceKind.case: ARG.Case,
}
_ENTITY_CLASS = {
    EntityKind.country: ARG.Country,
    EntityKind.province: ARG.Province,
    EntityKind.region: ARG.Region,
    EntityKind.organisation: ARG.Organisation,
    EntityKind.government: ARG.Government,
    EntityKind.firm: ARG.Firm,
    EntityKind.mine: ARG.Mine,
    EntityKind.person: ARG.Person,
    EntityKind.event: ARG.Event,
    EntityKind.programme: ARG.Programme,
}
_VERDICT = {
    Verdict.surface: ARG.SurfaceManifestation,
    Verdict.own: ARG.OwnMechanism,
    Verdict.rejected: ARG.Rejected,
    Verdict.accepted: ARG.Accepted,
}
_QUALIFIER = {
    "about": ARG.About,
    "at-least": ARG.AtLeast,
    "over": ARG.Over,
    "at-most": ARG.AtMost,
    "under": ARG.Under,
}
_AIM = {
    Aim.strengthen: ARG.Strengthen,
    Aim.weaken: ARG.Weaken,
    Aim.create: ARG.Create,
    Aim.break_link: ARG.Break,
}


class _Builder:
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
        g.add((node, ARG.quote, Literal(quote, lang=_lang(quote))))
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
            self.a.add((node, ARG.alsoQuoted, Literal(also, lang=_lang(also))))
            self.anchor_only(also_key(item_id, n), node)
        note = getattr(item, "note", None)
        if note:
            self.a.add((node, ARG.note, Literal(note, lang="en")))
        section = self.corpus.section_of.get(item_id)
        if section is not None:
            self.a.add((node, ARG.section, self.iri(section)))
        self.a.add((node, DCTERMS.isPartOf, self.mint.document))
        return node

    # -- the document --------------------------------------------------------------------------

    def document(self) -> None:
        doc_meta = self.corpus.paper.document
        doc = self.mint.document
        b = self.b
        b.add((doc, RDF.type, ARG.Document))
        b.add((doc, RDF.type, FABIO.JournalArticle))
        b.add((doc, DCTERMS.title, Literal(doc_meta.title.zh, lang="zh")))
        b.add((doc, DCTERMS.title, Literal(doc_meta.title.en, lang="en")))
        self.labels(doc, doc_meta.title, g=b)
        if doc_meta.subtitle:
            b.add((doc, FABIO.hasSubtitle, Literal(doc_meta.subtitle.zh, lang="zh")))
            b.add((doc, FABIO.hasSubtitle, Literal(doc_meta.subtitle.en, lang="en")))
        for i, person in enumerate(doc_meta.authors, start=1):
            author = self.mint.fragment(doc, f"author-{i}")
            b.add((doc, DCTERMS.creator, author))
            b.add((author, RDF.type, FOAF.Person))
            b.add((author, RDF.type, PROV.Agent))
            b.add((author, FOAF.name, Literal(person.zh, lang="zh")))
            b.add((author, FOAF.name, Literal(person.en, lang="en")))
            b.add((author, RDFS.label, Literal(person.zh, lang="zh")))
            b.add((author, RDFS.label, Literal(person.en, lang="en")))
            b.add((author, ARG.order, Literal(i)))
            if person.role:
                b.add((author, ARG.note, Literal(person.role, lang="en")))
            b.add((doc, PROV.wasAttributedTo, author))
        b.add((doc, DCTERMS.publisher, Literal(doc_meta.affiliation.zh, lang="zh")))
        b.add((doc, FOAF.based_near, Literal(doc_meta.affiliation.en, lang="en")))
        if doc_meta.journal:
            b.add((doc, DCTERMS.isPartOf, Literal(doc_meta.journal.zh, lang="zh")))
        b.add((doc, FABIO.hasPublicationYear, Literal(str(doc_meta.year), datatype=XSD.gYear)))
        b.add((doc, BIBO.issue, Literal(doc_meta.issue)))
        start, end = doc_meta.pages.split("-")
        b.add((doc, BIBO.pageStart, Literal(start)))
        b.add((doc, BIBO.pageEnd, Literal(end)))
        if doc_meta.article_number:
            b.add((doc, ARG.articleNumber, Literal(doc_meta.article_number)))
        if doc_meta.clc:
            b.add((doc, ARG.clc, Literal(doc_meta.clc)))
        if doc_meta.document_code:
            b.add((doc, ARG.documentCode, Literal(doc_meta.document_code)))
        if doc_meta.received:
            b.add((doc, ARG.received, Literal(doc_meta.received, datatype=XSD.date)))
        b.add((doc, DCTERMS.abstract, Literal(doc_meta.abstract_zh, lang="zh")))
        b.add((doc, DCTERMS.abstract, Literal(doc_meta.abstract_en, lang="en")))
        self.quote("document.title", doc, doc_meta.title_quote, g=b)
        self.anchor_only("document.abstract-zh", doc)
        self.anchor_only("document.abstract-en", doc)
        b.add((doc, ARG.anchorsVerified, Literal(self.inputs.anchors_verified)))
        if self.inputs.source_sha256:
            b.add((doc, ARG.sourceSha256, Literal(self.inputs.source_sha256)))
        dataset = self.mint.dataset("statistics-in-text")
        self.a.add((dataset, RDF.type, QB.DataSet))
        self.a.add((dataset, RDFS.label, Literal("Statistics stated in the text", lang="en")))
        self.a.add((dataset, RDFS.label, Literal("正文中的统计数据", lang="zh")))
        self.a.add((dataset, DCTERMS.source, doc))
        for scheme_name, en, zh in (
            ("explanations", "Competing explanations", "理论解释"),
            ("factors", "Factors of the causal model", "因果模型中的因素"),
            ("keywords", "Keywords", "关键词"),
        ):
            scheme = self.mint.scheme(scheme_name)
            self.a.add((scheme, RDF.type, SKOS.ConceptScheme))
            self.a.add((scheme, RDFS.label, Literal(en, lang="en")))
            self.a.add((scheme, RDFS.label, Literal(zh, lang="zh")))
            self.a.add((scheme, SKOS.prefLabel, Literal(en, lang="en")))
            self.a.add((scheme, SKOS.prefLabel, Literal(zh, lang="zh")))
            self.a.add((scheme, DCTERMS.source, doc))

    # -- items -----------------------------------------------------------------------------------

    def section(self, s: Section) -> None:
        node = self.common(s.id, s, ARG.Section)
        self.a.add((node, ARG.number, Literal(s.number)))
        self.a.add((node, ARG.order, Literal(s.order)))
        self.a.add((self.mint.document, DCTERMS.hasPart, node))

    def footnote(self, f: Footnote) -> None:
        node = self.common(f.id, f, ARG.Footnote)
        self.a.add((node, ARG.number, Literal(f.marker)))

    def claim(self, c: Claim) -> None:
        node = self.common(c.id, c, _CLAIM_CLASS[c.kind])
        self.a.add((node, RDF.type, ARG.Claim))
        if c.thesis:
            self.a.add((node, RDF.type, ARG.Thesis))
        self.rel(node, ARG.about, c.about)
        self.rel(node, ARG.supports, c.supports)
        self.rel(node, ARG.challenges, c.challenges)
        self.rel(node, ARG.qualifies, c.qualifies)
        self.rel(node, DCTERMS.references, c.footnotes)
        self.citations(node, c.cites)

    def citations(self, node: URIRef, cites: Iterable[Citation]) -> None:
        for cite in cites:
            ref = self.iri(self.corpus.references[cite.ref].id)
            cnode = self.mint.fragment(node, f"cite-{cite.ref}")
            function = CITO[cite.function.value]
            b = self.b
            b.add((node, CITO.cites, ref))
            b.add((node, function, ref))
            b.add((cnode, RDF.type, CITO.Citation))
            b.add((cnode, CITO.hasCitingEntity, node))
            b.add((cnode, CITO.hasCitedEntity, ref))
            b.add((cnode, CITO.hasCitationCharacterization, function))
            b.add((cnode, RDFS.label, Literal(f"[{cite.ref}]")))
            if cite.pages:
                start, _, end = cite.pages.partition("-")
                b.add((cnode, ARG.pages, Literal(cite.pages)))
                b.add((cnode, BIBO.pageStart, Literal(start)))
                b.add((cnode, BIBO.pageEnd, Literal(end or start)))

    def factor(self, f: Factor) -> None:
        node = self.common(f.id, f, ARG.Factor, skos=True)
        self.a.add((node, SKOS.inScheme, self.mint.scheme("factors")))
        self.rel(node, SKOS.broader, f.broader)
        if f.region:
            self.a.add((node, ARG.locatedIn, self.iri(f.region)))
        if f.opposite_of:
            self.a.add((node, ARG.oppositeOf, self.iri(f.opposite_of)))
            self.a.add((self.iri(f.opposite_of), ARG.oppositeOf, node))
        self.rel(node, SKOS.related, f.related)
        if f.indicator_of:
            self.a.add((node, ARG.indicatorOf, self.iri(f.indicator_of)))

    def link(self, link: CausalLink) -> None:
        node = self.common(link.id, link, ARG.CausalLink)
        cause, effect = self.iri(link.cause), self.iri(link.effect)
        a = self.a
        a.add((node, ARG.cause, cause))
        a.add((node, ARG.effect, effect))
        a.add((node, RDF.subject, cause))
        a.add((node, RDF.predicate, CAUSALLY_UPSTREAM_OF))
        a.add((node, RDF.object, effect))
        positive = link.polarity is Polarity.increases
        a.add((node, ARG.polarity, ARG.Increases if positive else ARG.Decreases))
        a.add((node, ARG.mechanism, Literal(link.mechanism.en, lang="en")))
        if link.mechanism.zh:
            a.add((node, ARG.mechanism, Literal(link.mechanism.zh, lang="zh")))
        a.add((node, ARG.assertedBy, self.iri(link.asserted_by)))
        self.rel(node, ARG.assertedBy, link.also_asserted_by)
        a.add((node, ARG.basis, Literal(link.basis)))
        # Materialised direct triples, so that property paths walk the chains.
        a.add((cause, CAUSALLY_UPSTREAM_OF, effect))
        a.add(
            (cause, CAUSALLY_UPSTREAM_POSITIVE if positive else CAUSALLY_UPSTREAM_NEGATIVE, effect)
        )

    def loop(self, loop: Loop) -> None:
        node = self.common(loop.id, loop, ARG.FeedbackLoop)
        negatives = 0
        for i, link_id in enumerate(loop.links, start=1):
            link = self.corpus.items[link_id]
            assert isinstance(link, CausalLink)
            negatives += link.polarity is Polarity.decreases
            step = self.mint.fragment(node, f"step-{i}")
            self.a.add((node, ARG.step, step))
            self.a.add((node, ARG.hasLink, self.iri(link_id)))
            self.a.add((step, RDF.type, ARG.LoopStep))
            self.a.add((step, ARG.position, Literal(i)))
            self.a.add((step, ARG.link, self.iri(link_id)))
        self.a.add((node, ARG.loopPolarity, ARG.Balancing if negatives % 2 else ARG.Reinforcing))
        self.a.add((node, ARG.assertedBy, self.iri(loop.asserted_by)))

    def explanation(self, e: Explanation) -> None:
        node = self.common(e.id, e, ARG.Explanation, skos=True)
        a = self.a
        a.add((node, SKOS.inScheme, self.mint.scheme("explanations")))
        a.add((node, ARG.family, Literal(e.family)))
        a.add((node, ARG.verdict, _VERDICT[e.verdict]))
        a.add((node, ARG.verdictStatedBy, self.iri(e.verdict_by)))
        a.add((node, ARG.assertedBy, self.iri(e.verdict_by)))
        self.rel(node, ARG.posits, e.posits)
        self.rel(node, ARG.assertedBy, e.posits_quote)
        if e.posits and e.posits_basis:
            a.add((node, ARG.positsBasis, Literal(e.posits_basis)))
        self.rel(node, ARG.hasMechanismLink, e.mechanism_links)
        for number in e.refs:
            self.b.add((node, CITO.cites, self.iri(self.corpus.references[number].id)))
        self.citations(node, e.cites)

    def statistic(self, s: Statistic) -> None:
        node = self.common(s.id, s, ARG.Statistic)
        a = self.a
        a.add((node, RDF.type, QB.Observation))
        a.add((node, QB.dataSet, self.mint.dataset("statistics-in-text")))
        a.add((node, ARG.measure, Literal(s.measure.zh, lang="zh")))
        a.add((node, ARG.measure, Literal(s.measure.en, lang="en")))
        a.add((node, SDMX_MEASURE.obsValue, Literal(_decimal(s.value), datatype=XSD.decimal)))
        a.add((node, ARG.unit, Literal(s.unit)))
        if s.value_text:
            a.add((node, ARG.valueText, Literal(s.value_text)))
        self.rel(node, SDMX_DIM.refArea, s.area)
        if s.period:
            a.add((node, SDMX_DIM.refPeriod, Literal(s.period)))
        if s.source:
            a.add((node, DCTERMS.source, self.iri(s.source)))
        if s.qualifier:
            a.add((node, ARG.qualifier, _QUALIFIER[s.qualifier]))
        self.rel(node, ARG.supports, s.supports)

    def evidence(self, e: Evidence) -> None:
        node = self.common(e.id, e, _EVIDENCE_CLASS[e.kind])
        self.a.add((node, RDF.type, ARG.Evidence))
        self.a.add((node, ARG.dataInText, Literal(e.data_in_text)))
        self.rel(node, ARG.supports, e.supports)
        self.rel(node, ARG.hasStatistic, e.statistics)
        self.rel(node, ARG.hasNote, e.notes)

    def policy(self, p: Policy) -> None:
        node = self.common(p.id, p, ARG.PolicyRecommendation)
        a = self.a
        self.rel(node, ARG.targets, p.targets)
        a.add((node, ARG.aim, _AIM[p.aim]))
        self.rel(node, ARG.actor, p.actors)
        a.add((node, ARG.instrument, Literal(p.instrument.en, lang="en")))
        if p.instrument.zh:
            a.add((node, ARG.instrument, Literal(p.instrument.zh, lang="zh")))
        if p.part_of:
            a.add((node, ARG.partOf, self.iri(p.part_of)))
        self.rel(node, ARG.rationale, p.rationale)
        self.rel(node, ARG.actsThrough, p.acts_through)
        self.rel(node, ARG.about, p.about)
        if p.position is not None:
            a.add((node, ARG.position, Literal(p.position)))

    def enumeration(self, e: Enumeration) -> None:
        node = self.common(e.id, e, ARG.Enumeration)
        if e.ordered:
            self.a.add((node, RDF.type, ARG.Sequence))
        for i, member in enumerate(e.members, start=1):
            element = self.mint.fragment(node, f"element-{i}")
            self.a.add((node, ARG.element, element))
            self.a.add((node, ARG.member, self.iri(member)))
            self.a.add((element, RDF.type, ARG.Element))
            self.a.add((element, ARG.position, Literal(i)))
            self.a.add((element, ARG.item, self.iri(member)))
        if e.asserted_by:
            self.a.add((node, ARG.assertedBy, self.iri(e.asserted_by)))

    def work(self, w: Work) -> None:
        node = self.common(w.id, w, ARG.CitedWork)
        self.a.add((node, RDF.type, FABIO.Work))
        for author in w.authors:
            self.a.add((node, DCTERMS.creator, Literal(author, lang=_lang(author))))
        self.a.add((node, FABIO.hasPublicationYear, Literal(str(w.year), datatype=XSD.gYear)))
        for citing in w.cited_by:
            self.b.add((self.iri(citing), CITO.cites, node))

    def entity(self, e: Entity) -> None:
        node = self.common(e.id, e, _ENTITY_CLASS[e.kind])
        self.a.add((node, RDF.type, ARG.Entity))
        if e.iso_code:
            self.a.add((node, ARG.isoCode, Literal(e.iso_code)))
            qid = (self.inputs.wikidata_ids or {}).get(e.iso_code)
            if qid:
                self.a.add((node, OWL.sameAs, wikidata(qid)))
        if e.date:
            dtype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(e.date)]
            self.a.add((node, DCTERMS.date, Literal(e.date, datatype=dtype)))
        self.rel(node, ARG.member, e.members)
        if e.located_in:
            self.a.add((node, ARG.locatedIn, self.iri(e.located_in)))

    def keyword(self, k: Keyword) -> None:
        node = self.common(k.id, k, ARG.Keyword, skos=True)
        self.a.add((node, SKOS.inScheme, self.mint.scheme("keywords")))
        self.b.add((self.mint.document, FABIO.hasSubjectTerm, node))

    def passage(self, p: Passage) -> None:
        node = self.common(p.id, p, ARG.Passage)
        self.a.add((node, ARG.role, Literal(p.role)))

    def reference(self, r: Reference) -> None:
        node = self.iri(r.id)
        b = self.b
        b.add((node, RDF.type, ARG.Reference))
        b.add((node, RDF.type, FABIO.JournalArticle if r.kind == "journal-article" else FABIO.Book))
        self.labels(node, r.label, g=b)
        self.quote(r.id, node, r.quote, g=b)
        b.add((node, ARG.number, Literal(r.number)))
        b.add((node, DCTERMS.title, Literal(r.title, lang=r.language)))
        for author in r.authors:
            b.add((node, DCTERMS.creator, Literal(author, lang=r.language)))
        b.add((node, DCTERMS.isPartOf, Literal(r.venue, lang=r.language)))
        b.add((node, FABIO.hasPublicationYear, Literal(str(r.year), datatype=XSD.gYear)))
        if r.issue:
            b.add((node, BIBO.issue, Literal(r.issue)))
        if r.volume:
            b.add((node, BIBO.volume, Literal(r.volume)))
        b.add((node, DCTERMS.language, Literal(r.language)))
        b.add((self.mint.document, CITO.cites, node))
        b.add((self.mint.document, BIBO.cites, node))

    def run(self) -> Dataset:
        self.document()
        handlers = {
            Section: self.section,
            Footnote: self.footnote,
            Claim: self.claim,
            Factor: self.factor,
            CausalLink: self.link,
            Loop: self.loop,
            Explanation: self.explanation,
            Statistic: self.statistic,
            Evidence: self.evidence,
            Policy: self.policy,
            Entity: self.entity,
            Keyword: self.keyword,
            Passage: self.passage,
            Enumeration: self.enumeration,
            Work: self.work,
            Reference: self.reference,
        }
        for item in self.corpus.items.values():
            handlers[type(item)](item)  # type: ignore[operator]
        onto = self.ds.graph(URIRef(ONTOLOGY_IRI))
        for triple in load_ontology():
            onto.add(triple)
        return self.ds


def _lang(text: str) -> str:
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"


def _decimal(value: float) -> str:
    """Canonical xsd:decimal lexical form with a decimal point (as Turtle writes it back)."""
    text = f"{value:.10f}".rstrip("0")
    text = text + "0" if text.endswith(".") else text
    return "0.0" if text == "-0.0" else text


def build_dataset(inputs: BuildInputs) -> Dataset:
    """The paper's RDF dataset, a function of the annotations, anchors and settings only."""
    return _Builder(inputs).run()
