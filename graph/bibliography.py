"""The bibliography graph: the paper's own record, its reference list, typed citations, and works
cited in the text outside the reference list."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from graph._writer import RdfWriter, lang_of
from graph.namespaces import ARG, BIBO, CITO, FABIO, FOAF, QB
from ingest.models import Citation, Reference, Work


class BibliographyWriter(RdfWriter):
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

    def work(self, w: Work) -> None:
        node = self.common(w.id, w, ARG.CitedWork)
        self.a.add((node, RDF.type, FABIO.Work))
        for author in w.authors:
            self.a.add((node, DCTERMS.creator, Literal(author, lang=lang_of(author))))
        self.a.add((node, FABIO.hasPublicationYear, Literal(str(w.year), datatype=XSD.gYear)))
        for citing in w.cited_by:
            self.b.add((self.iri(citing), CITO.cites, node))

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
