"""Claim checks, data-source status and the region division -> RDF (graph `data-checks`).

This graph is written on every build, with or without the data folder, so that the API and the
viewer can always say which data is loaded, which checks ran and which could not.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from graph.data.checks import ClaimCheck, Verdict
from graph.data.observations import decimal
from graph.data.regions import RegionMap
from graph.iris import Minter
from graph.namespaces import ARG
from ingest.corpus import Corpus
from ingest.models import Footnote
from ingest.nbs import FOLDER

CHECKS = "claim-checks"
VERDICT_NODE = {
    Verdict.reproduced: ARG.Reproduced,
    Verdict.close: ARG.Close,
    Verdict.differs: ARG.Differs,
    Verdict.not_checkable: ARG.NotCheckable,
}


def write_checks(g: Graph, minter: Minter, checks: list[ClaimCheck], corpus: Corpus) -> None:
    collection = minter.dataset(CHECKS)
    g.add((collection, RDF.type, PROV.Collection))
    g.add((collection, RDFS.label, Literal("Claim checks against public data", lang="en")))
    g.add((collection, RDFS.label, Literal("以公开数据核对论断", lang="zh")))
    for order, check in enumerate(checks, start=1):
        node = minter.fragment(collection, check.id)
        g.add((collection, PROV.hadMember, node))
        g.add((node, RDF.type, ARG.ClaimCheck))
        g.add((node, ARG.checkId, Literal(check.id)))
        g.add((node, ARG.order, Literal(order)))
        g.add((node, RDFS.label, Literal(check.label, lang="en")))
        for cid in check.claims:
            g.add((node, ARG.checksClaim, minter.item(cid)))
        for sid in check.statistics:
            g.add((node, ARG.checksStatistic, minter.item(sid)))
        g.add((node, ARG.recipe, Literal(check.recipe, lang="en")))
        if check.computed is not None:
            g.add((node, ARG.computedValue, decimal(check.computed)))
        if check.computed_text:
            g.add((node, ARG.computedText, Literal(check.computed_text)))
        if check.paper_value is not None:
            g.add((node, ARG.paperValue, decimal(check.paper_value)))
        g.add((node, ARG.paperText, Literal(check.paper_text, lang="zh")))
        g.add((node, ARG.unit, Literal(check.unit)))
        g.add((node, ARG.checkVerdict, VERDICT_NODE[check.verdict]))
        for note in check.notes:
            if note:
                g.add((node, ARG.note, Literal(note, lang="en")))
        for i, inp in enumerate(check.inputs, start=1):
            inode = minter.fragment(collection, f"{check.id}-input-{i}")
            g.add((node, ARG.input, inode))
            g.add((inode, RDF.type, ARG.CheckInput))
            g.add((inode, ARG.order, Literal(i)))
            g.add((inode, ARG.path, Literal(inp.file)))
            g.add((inode, ARG.sourceColumn, Literal(inp.column)))
            g.add((inode, ARG.scope, Literal(inp.scope)))
            if check.verdict is not Verdict.not_checkable:
                file_iri = minter.fragment(minter.dataset(FOLDER), inp.file.rsplit("/", 1)[-1])
                g.add((inode, PROV.wasDerivedFrom, file_iri))
                g.add((node, PROV.used, file_iri))
        for i, alt in enumerate(check.alternatives, start=1):
            anode = minter.fragment(collection, f"{check.id}-alternative-{i}")
            g.add((node, ARG.alternative, anode))
            g.add((anode, RDF.type, ARG.CheckAlternative))
            g.add((anode, ARG.order, Literal(i)))
            g.add((anode, RDFS.label, Literal(alt.label, lang="en")))
            if alt.value is not None:
                g.add((anode, ARG.computedValue, decimal(alt.value)))
            if alt.verdict is not None:
                g.add((anode, ARG.checkVerdict, VERDICT_NODE[alt.verdict]))
        if check.verdict is not Verdict.not_checkable:
            for sid in check.series:
                g.add((node, ARG.series, minter.dataset(sid)))


def write_status(
    g: Graph, minter: Minter, *, loaded: bool, missing: list[str], series: list[str], note: str
) -> None:
    """What the build read: the NBS folder (loaded or not) and the data nobody has here."""
    nbs = minter.dataset(FOLDER)
    g.add((nbs, RDF.type, ARG.DataSource))
    g.add((nbs, RDFS.label, Literal("NBS annual tables by province, 2000-2019", lang="en")))
    g.add((nbs, RDFS.label, Literal("国家统计局分省年度数据（2000—2019）", lang="zh")))
    g.add((nbs, ARG.path, Literal(FOLDER)))
    g.add((nbs, ARG.loaded, Literal(loaded)))
    g.add((nbs, ARG.note, Literal(note, lang="en")))
    for m in missing:
        g.add((nbs, ARG.missingFile, Literal(m)))
    for s in series:
        g.add((nbs, ARG.series, minter.dataset(s)))


def write_regions(g: Graph, minter: Minter, rmap: RegionMap) -> None:
    """The note-1 division as a concept scheme of regions, and each province's GB/T 2260 code."""
    scheme = minter.scheme("regions")
    g.add((scheme, RDF.type, ARG.RegionDivision))
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    for order, region in enumerate(rmap.regions, start=1):
        node = minter.item(region.id)
        g.add((scheme, ARG.hasRegion, node))
        g.add((node, ARG.order, Literal(order)))
    for p in rmap.provinces.values():
        g.add((minter.item(p.id), ARG.adcode, Literal(p.adcode)))


def write_footnote_sources(g: Graph, minter: Minter, corpus: Corpus) -> None:
    """The books a source footnote names (《...》 in its quote), as labelled nodes."""
    for fn in corpus.of_type(Footnote):
        titles = re.findall(r"《([^》]+)》", fn.quote)
        node = minter.item(fn.id)
        for i, title in enumerate(titles, start=1):
            book = minter.fragment(node, f"source-{i}")
            g.add((node, DCTERMS.references, book))
            g.add((book, RDF.type, ARG.StatisticalSource))
            g.add((book, RDFS.label, Literal(title, lang="zh")))
            g.add((book, DCTERMS.title, Literal(title, lang="zh")))


def check_iri(minter: Minter, check_id: str) -> URIRef:
    return minter.fragment(minter.dataset(CHECKS), check_id)
