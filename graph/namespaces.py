"""The vocabularies argraph writes, with the prefixes every dump and query uses."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

ARG = Namespace("https://w3id.org/argraph/ontology#")
ONTOLOGY_IRI = "https://w3id.org/argraph/ontology"
OA = Namespace("http://www.w3.org/ns/oa#")
CITO = Namespace("http://purl.org/spar/cito/")
FABIO = Namespace("http://purl.org/spar/fabio/")
DOCO = Namespace("http://purl.org/spar/doco/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIM = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTR = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
OBO = Namespace("http://purl.obolibrary.org/obo/")
MP = Namespace("http://purl.org/mp/")
AIF = Namespace("http://www.arg.dundee.ac.uk/aif#")
WD = Namespace("http://www.wikidata.org/entity/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

# OBO Relation Ontology causal relations.
CAUSALLY_UPSTREAM_OF = OBO.RO_0002411
CAUSALLY_UPSTREAM_POSITIVE = OBO.RO_0002304
CAUSALLY_UPSTREAM_NEGATIVE = OBO.RO_0002305

PREFIXES: dict[str, str] = {
    "arg": str(ARG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "oa": str(OA),
    "cito": str(CITO),
    "fabio": str(FABIO),
    "doco": str(DOCO),
    "bibo": str(BIBO),
    "qb": str(QB),
    "sdmx-dimension": str(SDMX_DIM),
    "sdmx-measure": str(SDMX_MEASURE),
    "sdmx-attribute": str(SDMX_ATTR),
    "obo": str(OBO),
    "mp": str(MP),
    "aif": str(AIF),
    "wd": str(WD),
    "foaf": str(FOAF),
}


def sparql_prologue() -> str:
    """PREFIX lines for every prefix above, for queries written by hand."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
