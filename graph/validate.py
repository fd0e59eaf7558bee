"""Validate a built graph: SHACL shapes plus the checks SHACL cannot state well.

Beyond SHACL: every IRI in the paper's namespace that is used as an object is defined (typed);
every annotated node has exactly one label in Chinese and one in English; no argumentative node
is an orphan; every number of a statistic appears in its own quote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from errors import Problem
from graph.dumps import named_graphs
from graph.namespaces import ARG, SDMX_MEASURE
from ingest.anchoring import normalise
from ontology import load_shapes


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    checked_triples: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self) -> str:
        if self.ok:
            return f"valid: {self.checked_triples} triples, SHACL and all extra checks pass"
        lines = [f"invalid: {len(self.problems)} problem(s) in {self.checked_triples} triples"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


_ANNOTATED = (
    ARG.Claim,
    ARG.Factor,
    ARG.CausalLink,
    ARG.FeedbackLoop,
    ARG.Explanation,
    ARG.Evidence,
    ARG.Statistic,
    ARG.PolicyRecommendation,
    ARG.Entity,
    ARG.Section,
    ARG.Footnote,
    ARG.Keyword,
    ARG.Passage,
    ARG.Reference,
    ARG.Enumeration,
    ARG.CitedWork,
)
# Nodes that must be related to some other node besides their document and section.
_MUST_CONNECT = (
    ARG.Claim,
    ARG.Factor,
    ARG.CausalLink,
    ARG.FeedbackLoop,
    ARG.Explanation,
    ARG.Evidence,
    ARG.Statistic,
    ARG.PolicyRecommendation,
    ARG.Entity,
    ARG.Enumeration,
    ARG.CitedWork,
)
_STRUCTURAL = {
    DCTERMS.isPartOf,
    ARG.section,
    SKOS.inScheme,
    PROV.wasQuotedFrom,
    ARG.anchor,
    RDF.type,
}


def union_graph(ds: Dataset) -> Graph:
    g = Graph()
    for named in named_graphs(ds):
        for triple in named:
            g.add(triple)
    return g


def shacl_problems(data: Graph) -> Iterable[Problem]:
    from pyshacl import validate as shacl_validate

    conforms, results, _ = shacl_validate(
        data, shacl_graph=load_shapes(), inference="none", advanced=False, allow_warnings=False
    )
    if conforms:
        return
    assert isinstance(results, Graph)
    sh = "http://www.w3.org/ns/shacl#"
    found = []
    for result in results.subjects(RDF.type, URIRef(sh + "ValidationResult")):
        focus = results.value(result, URIRef(sh + "focusNode"))
        path = results.value(result, URIRef(sh + "resultPath"))
        message = results.value(result, URIRef(sh + "resultMessage"))
        where = f" (path {path})" if path is not None else ""
        found.append(Problem("shacl", str(focus), f"{message}{where}"))
    yield from sorted(found, key=str)


def extra_problems(g: Graph, item_prefix: str) -> Iterable[Problem]:
    typed = set(g.subjects(RDF.type, None))
    annotated: set[URIRef] = set()
    for cls in _ANNOTATED:
        annotated.update(s for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef))

    # Every relation target in the paper's namespace exists.
    for s, p, o in sorted(g, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        in_paper = isinstance(o, URIRef) and str(o).startswith(item_prefix) and "#" not in str(o)
        if in_paper and o not in typed:
            yield Problem("dangling", str(s), f"{p} points at {o}, which is not defined")

    # Exactly one label in each language.
    for node in sorted(annotated):
        langs = [lit.language for lit in g.objects(node, RDFS.label) if isinstance(lit, Literal)]
        for lang in ("zh", "en"):
            if langs.count(lang) != 1:
                yield Problem(
                    "labels", str(node), f"needs exactly one @{lang} label, has {langs.count(lang)}"
                )

    # No orphans among argumentative nodes.
    must: set[URIRef] = set()
    for cls in _MUST_CONNECT:
        must.update(s for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef))
    for node in sorted(must):
        related = any(
            p not in _STRUCTURAL and isinstance(o, URIRef) and o in annotated
            for p, o in g.predicate_objects(node)
        ) or any(p not in _STRUCTURAL and s in annotated for s, p in g.subject_predicates(node))
        if not related:
            yield Problem("orphan", str(node), "is related to no other node of the argument")

    # Every statistic's number appears in its own quote.
    for stat in sorted(g.subjects(RDF.type, ARG.Statistic), key=str):
        quote = g.value(stat, ARG.quote)
        written = g.value(stat, ARG.valueText)
        value = g.value(stat, SDMX_MEASURE.obsValue)
        if quote is None or value is None:
            continue  # SHACL reports the missing parts
        needle = str(written) if written is not None else str(value)
        found = (
            number_in_text(needle, str(quote))
            if written is not None
            else value_in_text(float(str(value)), str(quote))
        )
        if not found:
            yield Problem(
                "number", str(stat), f"the value {needle!r} does not appear in its quote {quote!r}"
            )


def number_in_text(number: str, text: str) -> bool:
    """Whether `number` stands in `text` as a number of its own (not a piece of a longer one)."""
    norm_text = normalise(text)
    norm_number = normalise(number)
    pattern = r"(?<![\d.])" + re.escape(norm_number) + r"(?![\d])"
    return re.search(pattern, norm_text) is not None


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def value_in_text(value: float, text: str) -> bool:
    """Whether a number equal to `value` (or to its magnitude) is written in `text`."""
    return any(abs(float(m.group()) - abs(value)) < 1e-9 for m in _NUMBER.finditer(normalise(text)))


def validate_dataset(ds: Dataset, item_prefix: str) -> Report:
    g = union_graph(ds)
    report = Report(checked_triples=len(g))
    report.problems.extend(shacl_problems(g))
    report.problems.extend(extra_problems(g, item_prefix))
    return report
