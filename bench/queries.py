"""The query mix: five shapes, the same text for every server and store.

`mix(target)` fills the shapes with IRIs of one paper (the real one, or a synthetic paper of a
corpus): an IRI lookup, a causal-chain property path, a comparison aggregation, a text filter
and a CONSTRUCT.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.load import Request

JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
ARG = "https://w3id.org/argraph/ontology#"
UPSTREAM = "http://purl.obolibrary.org/obo/RO_0002411"
DCT = "http://purl.org/dc/terms/"


@dataclass(frozen=True)
class Target:
    """The IRIs a mix is about."""

    document: str
    lookup: str
    """a factor: IRI lookup"""
    outcome: str
    """an outcome many chains reach"""
    cause: str
    """a factor with outgoing links: CONSTRUCT of its links"""
    term: str
    """a short string found in some quotes"""


REAL = Target(
    document="https://w3id.org/argraph/id/liu-tong-2021",
    lookup="https://w3id.org/argraph/id/liu-tong-2021/rust-belt",
    outcome="https://w3id.org/argraph/id/liu-tong-2021/rust-belt",
    cause="https://w3id.org/argraph/id/liu-tong-2021/uneven-opening",
    term="东北",
)

SHAPES = ("lookup", "chain", "compare", "text", "construct")


def mix(t: Target) -> list[Request]:
    return [
        Request("lookup", f"SELECT ?p ?o WHERE {{ <{t.lookup}> ?p ?o }}", JSON),
        Request(
            "chain",
            f"SELECT DISTINCT ?cause WHERE {{ ?cause <{UPSTREAM}>+ <{t.outcome}> }}",
            JSON,
        ),
        Request(
            "compare",
            f"PREFIX arg: <{ARG}>\n"
            "SELECT ?x (COUNT(DISTINCT ?l) AS ?links) "
            "(SUM(IF(?pol = arg:Decreases, 1, 0)) AS ?negative) "
            f"WHERE {{ ?x a arg:Explanation ; <{DCT}isPartOf> <{t.document}> ; "
            "arg:hasMechanismLink ?l . ?l arg:polarity ?pol } GROUP BY ?x ORDER BY ?x",
            JSON,
        ),
        Request(
            "text",
            f"PREFIX arg: <{ARG}>\nSELECT ?s ?q WHERE {{ ?s arg:quote ?q "
            f'FILTER(CONTAINS(STR(?q), "{t.term}")) }} LIMIT 20',
            JSON,
        ),
        Request(
            "construct",
            f"PREFIX arg: <{ARG}>\n"
            "CONSTRUCT { ?l arg:cause ?c ; arg:effect ?e ; arg:polarity ?p ; arg:quote ?q } "
            f"WHERE {{ BIND(<{t.cause}> AS ?c) ?l arg:cause ?c ; arg:effect ?e ; "
            "arg:polarity ?p ; arg:quote ?q }",
            NTRIPLES,
        ),
    ]


def synthetic_target(index: int) -> Target:
    from bench import synthetic as sy

    paper = sy.paper_id(index)
    return Target(
        document=f"{sy.BASE}id/{paper}",
        lookup=sy.item_iri(paper, "f-010"),
        outcome=sy.main_outcome(index),
        cause=sy.first_root(index),
        term=sy.TEXT_TERM,
    )
