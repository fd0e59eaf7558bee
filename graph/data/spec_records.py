"""What a paper's check spec says about its data -> RDF (graph `data-checks`): the name and
source passage of its regional division, and the data sources its checks would need but nobody
has here (listed as `arg:DataSource` not loaded, so that the API and viewer can say so)."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, RDFS

from graph.data.check_spec import NoPublicData, Spec
from graph.data.regions import RegionMap
from graph.iris import Minter
from graph.namespaces import ARG

REGIONS_SCHEME = "regions"


def write_spec_records(g: Graph, minter: Minter, spec: Spec, rmap: RegionMap) -> None:
    division = spec.data.division
    if division is not None:
        scheme = minter.scheme(REGIONS_SCHEME)
        g.add((scheme, RDFS.label, Literal(division.label.en, lang="en")))
        g.add((scheme, RDFS.label, Literal(division.label.zh, lang="zh")))
        if rmap.regions:
            g.add((scheme, DCTERMS.source, minter.item(division.passage)))
    for check in spec.data.checks:
        if not isinstance(check, NoPublicData) or check.source is None:
            continue
        src = check.source
        node = minter.dataset(src.id)
        g.add((node, RDF.type, ARG.DataSource))
        g.add((node, RDFS.label, Literal(src.label.en, lang="en")))
        g.add((node, RDFS.label, Literal(src.label.zh, lang="zh")))
        g.add((node, ARG.loaded, Literal(False)))
        g.add((node, ARG.note, Literal(src.note, lang="en")))
