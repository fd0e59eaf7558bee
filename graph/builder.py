"""Annotations -> one RDF dataset. A pure function of its inputs.

Named graphs (see `iris.Minter.graph`): `assertions` (what the paper argues: claims, factors,
links, loops, explanations, evidence, statistics, policies, entities), `provenance` (where each
quote sits: Web Annotation selectors, PROV), `bibliography` (the paper's record, its references
and typed citations: graph/bibliography.py), and the ontology in its own graph. No blank nodes: every node has an IRI,
so dumps are stable byte for byte.
"""

from __future__ import annotations

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS, XSD

from errors import AnnotationError
from graph._writer import BuildInputs
from graph.bibliography import BibliographyWriter
from graph.iris import wikidata
from graph.namespaces import (
    ARG,
    CAUSALLY_UPSTREAM_NEGATIVE,
    CAUSALLY_UPSTREAM_OF,
    CAUSALLY_UPSTREAM_POSITIVE,
    CITO,
    FABIO,
    ONTOLOGY_IRI,
    QB,
    SDMX_DIM,
    SDMX_MEASURE,
)
from ingest.corpus import PAPER_FILE, also_key
from ingest.models import (
    Aim,
    CausalLink,
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
from ontology import load_ontology

__all__ = ["BuildInputs", "build_dataset"]

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


class _Builder(BibliographyWriter):
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
        quotes = [e.quote, *e.also_quoted]
        for i, posited in enumerate(e.posited, start=1):
            posit = self.mint.fragment(node, f"posit-{i}")
            a.add((node, ARG.hasPosit, posit))
            a.add((posit, RDF.type, ARG.Posit))
            a.add((posit, ARG.item, self.iri(posited.factor)))
            a.add((posit, ARG.basis, Literal(posited.basis)))
            if posited.quote is not None:
                n = quotes.index(posited.quote) + 1
                self.quote(e.id if n == 1 else also_key(e.id, n), posit, posited.quote)
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
        for i, ((target, aim, kind), entry) in enumerate(
            zip(p.target_aims(), p.aimed, strict=True), start=1
        ):
            self._check_target(p, target, aim, kind)
            qualified = self.mint.fragment(node, f"target-{i}")
            a.add((node, ARG.targets, self.iri(target)))
            a.add((node, ARG.hasTarget, qualified))
            a.add((qualified, RDF.type, ARG.PolicyTarget))
            a.add((qualified, ARG.item, self.iri(target)))
            a.add((qualified, ARG.aim, _AIM[aim]))
            a.add((qualified, ARG.basis, Literal(entry.basis)))
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

    def _check_target(self, p: Policy, target: str, aim: Aim, kind: str | None) -> None:
        """A `{factor: ...}` entry names a factor, a `{link: ...}` entry a link; only a link is
        broken."""
        found = self.corpus.items.get(target)
        actual = "link" if isinstance(found, CausalLink) else "factor"
        problem = None
        if kind is not None and kind != actual:
            problem = f"target {target!r} is written as a {kind} but is a {actual}"
        elif aim is Aim.break_link and actual != "link":
            problem = f"aim 'break' is for a causal link, and {target!r} is a {actual}"
        if problem:
            place = self.corpus.places[p.id]
            raise AnnotationError(
                problem, file=place.file, line=place.line, field="targets", item=p.id
            )

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

    def main_outcome(self) -> None:
        """The factor the paper explains (`outcome` of its document record): `arg:mainOutcome`."""
        outcome = self.corpus.paper.document.outcome
        if outcome is None:
            return
        if not isinstance(self.corpus.items.get(outcome), Factor):
            raise AnnotationError(
                f"document.outcome {outcome!r} is not a factor of the corpus",
                file=self.corpus.folder / PAPER_FILE,
                field="document.outcome",
                item=outcome,
            )
        self.a.add((self.mint.document, ARG.mainOutcome, self.iri(outcome)))

    def run(self) -> Dataset:
        self.document()
        self.main_outcome()
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


def _decimal(value: float) -> str:
    """Canonical xsd:decimal (XSD 1.1: no trailing zeros, no point for an integer): the form the
    stores serve, so the graph served is the graph written."""
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def build_dataset(inputs: BuildInputs) -> Dataset:
    """The paper's RDF dataset, a function of the annotations, anchors and settings only."""
    return _Builder(inputs).run()
