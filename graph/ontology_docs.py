"""HTML documentation of the argraph ontology, generated from `ontology/argraph.ttl`.

Every class, property and named individual with its labels (en, zh), comment, alignment to
standard vocabularies (superclasses, superproperties, domain, range, see-also, OWL
characteristics) and, when a store is given, an example from the paper: an instance of the
class, or a triple using the property, with its label and quote. Rendered with Jinja2 with
autoescaping on; the page is self-contained (no external scripts, styles or fonts).

pyLODE was tried first: its release on PyPI (3.4.1) fails at import (it reads a pyproject.toml
that the wheel does not ship), so the page is generated here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
from jinja2 import Environment, Template
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from graph.namespaces import ARG, ONTOLOGY_IRI, PREFIXES
from graph.query_rows import Queryable, lang_pick, select, value
from graph.store import OxigraphStore

GENERATED = "GENERATED from ontology/argraph.ttl by graph.ontology_docs: do not edit."


@dataclass
class Example:
    subject: str
    subject_label: str | None = None
    object: str | None = None
    object_label: str | None = None
    quote: str | None = None


@dataclass
class Term:
    iri: str
    curie: str
    kind: str  # class, object property, datatype property, property, individual
    en: str | None = None
    zh: str | None = None
    comments: list[str] = field(default_factory=list)
    alignment: list[tuple[str, str, str | None]] = field(default_factory=list)
    """(relation, CURIE or text, href or None)"""
    example: Example | None = None

    @property
    def anchor(self) -> str:
        return self.curie.split(":", 1)[1]


def curie(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def ontology_graph() -> Graph:
    g = Graph()
    g.parse(data=files("ontology").joinpath("argraph.ttl").read_text("utf-8"), format="turtle")
    return g


_ALIGN = [
    (RDFS.subClassOf, "subclass of"),
    (RDFS.subPropertyOf, "subproperty of"),
    (RDFS.domain, "domain"),
    (RDFS.range, "range"),
    (RDFS.seeAlso, "see also"),
]


def _kind(g: Graph, s: URIRef) -> str | None:
    types = set(g.objects(s, RDF.type))
    if OWL.Class in types:
        return "class"
    if OWL.ObjectProperty in types:
        return "object property"
    if OWL.DatatypeProperty in types:
        return "datatype property"
    if RDF.Property in types:
        return "property"
    if any(str(t).startswith(str(ARG)) for t in types):
        return "individual"
    return None


def terms(g: Graph) -> list[Term]:
    out = []
    for s in sorted({s for s in g.subjects() if isinstance(s, URIRef)}):
        if not str(s).startswith(str(ARG)):
            continue
        kind = _kind(g, s)
        if kind is None:
            continue
        t = Term(str(s), curie(str(s)), kind)
        for label in g.objects(s, RDFS.label):
            if isinstance(label, Literal):
                if label.language == "zh":
                    t.zh = str(label)
                elif label.language in ("en", None):
                    t.en = str(label)
        t.comments = sorted(str(c) for c in g.objects(s, RDFS.comment))
        for prop, name in _ALIGN:
            for o in sorted(g.objects(s, prop), key=str):
                t.alignment.append((name, curie(str(o)), str(o) if "://" in str(o) else None))
        for typ in sorted(g.objects(s, RDF.type), key=str):
            if typ == OWL.FunctionalProperty:
                t.alignment.append(("characteristic", "owl:FunctionalProperty", str(typ)))
            elif t.kind == "individual":
                t.alignment.append(("instance of", curie(str(typ)), str(typ)))
        out.append(t)
    order = ["class", "object property", "datatype property", "property", "individual"]
    return sorted(out, key=lambda t: (order.index(t.kind), t.curie.lower()))


def _class_example(store: Queryable, iri: str) -> Example | None:
    rows = select(
        store,
        f"""
SELECT ?x ?label ?quote WHERE {{
  {{ SELECT ?x WHERE {{ ?x a <{iri}> . FILTER(isIRI(?x)) }} ORDER BY ?x LIMIT 1 }}
  OPTIONAL {{ ?x rdfs:label ?label }} OPTIONAL {{ ?x arg:quote ?quote }}
}}""",
    )
    if not rows:
        return None
    ex = Example(str(value(rows[0], "x")))
    for row in rows:
        ex.subject_label = lang_pick(ex.subject_label, row.get("label"), "en")
        quote = value(row, "quote")
        ex.quote = min(filter(None, [ex.quote, quote]), default=None)
    return ex


def _property_example(store: Queryable, iri: str) -> Example | None:
    rows = select(
        store,
        f"""
SELECT ?s ?o ?sl ?ol ?quote WHERE {{
  {{ SELECT ?s ?o WHERE {{ ?s <{iri}> ?o . FILTER(isIRI(?s)) }} ORDER BY ?s ?o LIMIT 1 }}
  OPTIONAL {{ ?s rdfs:label ?sl }} OPTIONAL {{ ?o rdfs:label ?ol }}
  OPTIONAL {{ ?s arg:quote ?quote }}
}}""",
    )
    if not rows:
        return None
    first = rows[0]["o"]
    ex = Example(
        str(value(rows[0], "s")), object=first.n3() if first.kind == "literal" else first.value
    )
    for row in rows:
        ex.subject_label = lang_pick(ex.subject_label, row.get("sl"), "en")
        ex.object_label = lang_pick(ex.object_label, row.get("ol"), "en")
        quote = value(row, "quote")
        ex.quote = min(filter(None, [ex.quote, quote]), default=None)
    return ex


def _individual_example(store: Queryable, iri: str) -> Example | None:
    rows = select(
        store,
        f"""
SELECT ?s ?p ?sl WHERE {{
  {{ SELECT ?s ?p WHERE {{ ?s ?p <{iri}> . FILTER(isIRI(?s) && ?p != rdf:type
       && !STRSTARTS(STR(?s), "{ARG}")) }} ORDER BY ?s ?p LIMIT 1 }}
  OPTIONAL {{ ?s rdfs:label ?sl }}
}}""",
    )
    if not rows:
        return None
    ex = Example(str(value(rows[0], "s")), object=curie(str(value(rows[0], "p"))))
    for row in rows:
        ex.subject_label = lang_pick(ex.subject_label, row.get("sl"), "en")
    return ex


def with_examples(items: list[Term], store: Queryable | None) -> list[Term]:
    if store is None:
        return items
    for t in items:
        if t.kind == "class":
            t.example = _class_example(store, t.iri)
        elif t.kind == "individual":
            t.example = _individual_example(store, t.iri)
        else:
            t.example = _property_example(store, t.iri)
    return items


_TEMPLATE = """<!DOCTYPE html>
<!-- {{ generated }} -->
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
code{font-size:.92em} .term{border-top:1px solid #ccc;padding:.6rem 0}
.kind{color:#666;font-size:.85em} dl{margin:.3rem 0} dt{font-weight:600;float:left;width:9rem}
dd{margin-left:9.5rem} blockquote{margin:.3rem 0 .3rem 1rem;color:#333;border-left:3px solid #ccc;padding-left:.6rem}
nav ul{columns:3} nav li{break-inside:avoid}
</style></head><body>
<h1>{{ title }}</h1>
<p><code>{{ iri }}</code>{% if version %} · version {{ version }}{% endif %}</p>
{% if description %}<p>{{ description }}</p>{% endif %}
<p>Namespace: <code>{{ ns }}</code> (prefix <code>arg:</code>).
Formats: <a href="/ontology?format=turtle">Turtle</a>, <a href="/ontology?format=jsonld">JSON-LD</a>.</p>
{% for section, members in sections %}
<nav><h2>{{ section|capitalize }}{{ 'es' if section == 'class' else 's' }} ({{ members|length }})</h2><ul>
{% for t in members %}<li><a href="#{{ t.anchor }}">{{ t.curie }}</a></li>{% endfor %}
</ul></nav>
{% endfor %}
{% for section, members in sections %}
<h2>{{ section|capitalize }}{{ 'es' if section == 'class' else 's' }}</h2>
{% for t in members %}
<div class="term" id="{{ t.anchor }}">
<h3>{{ t.curie }} <span class="kind">{{ t.kind }}</span></h3>
<dl>
<dt>IRI</dt><dd><code>{{ t.iri }}</code></dd>
<dt>label</dt><dd>{{ t.en or '' }}{% if t.zh %} · <span lang="zh">{{ t.zh }}</span>{% endif %}</dd>
{% for c in t.comments %}<dt>comment</dt><dd>{{ c }}</dd>{% endfor %}
{% for rel, target, href in t.alignment %}<dt>{{ rel }}</dt><dd>{% if href and href.startswith(ns) %}<a href="#{{ target.split(':', 1)[1] }}">{{ target }}</a>{% elif href %}<a href="{{ href|href }}">{{ target }}</a>{% else %}{{ target }}{% endif %}</dd>
{% endfor %}
{% if t.example %}<dt>example</dt><dd><a href="{{ t.example.subject|href }}">{{ t.example.subject_label or t.example.subject }}</a>{% if t.example.object %} {{ t.curie if t.kind != 'individual' else t.example.object }} {% if t.kind == 'individual' %}{{ t.curie }}{% elif t.example.object_label %}<a href="{{ t.example.object|href }}">{{ t.example.object_label }}</a>{% else %}<code>{{ t.example.object }}</code>{% endif %}{% endif %}
{% if t.example.quote %}<blockquote lang="zh">{{ t.example.quote }}</blockquote>{% endif %}</dd>{% endif %}
</dl></div>
{% endfor %}
{% endfor %}
</body></html>
"""


def _href(iri: str) -> str:
    """Only http(s) IRIs become links; anything else (javascript:, data:...) points nowhere."""
    return iri if iri.startswith(("http://", "https://")) else "#"


@dataclass(frozen=True)
class _Ontology:
    title: str
    description: str
    version: str
    terms: tuple[Term, ...]


@functools.cache
def _ontology() -> _Ontology:
    """What the page says of the ontology file (a resource of the package: it does not change
    while a process runs), read once per process."""
    g = ontology_graph()
    onto = URIRef(ONTOLOGY_IRI)
    title = next(
        (str(t) for t in g.objects(onto, URIRef("http://purl.org/dc/terms/title"))),
        "argraph ontology",
    )
    description = next(
        (str(t) for t in g.objects(onto, URIRef("http://purl.org/dc/terms/description"))), ""
    )
    version = next((str(t) for t in g.objects(onto, OWL.versionInfo)), "")
    return _Ontology(title, description, version, tuple(terms(g)))


@functools.cache
def _template() -> Template:
    env = Environment(autoescape=True, keep_trailing_newline=True)
    env.filters["href"] = _href
    return env.from_string(_TEMPLATE)


def render_ontology_docs(store: Queryable | None = None) -> str:
    """The documentation page; examples come from `store` (the paper's graph) when given."""
    onto = _ontology()
    # each render fills in its own examples, on copies of the terms (the copies share the
    # comment and alignment lists, which nothing changes once terms() has made them)
    items = with_examples([replace(t) for t in onto.terms], store)
    sections: list[tuple[str, list[Term]]] = []
    for t in items:
        if not sections or sections[-1][0] != t.kind:
            sections.append((t.kind, []))
        sections[-1][1].append(t)
    return _template().render(
        generated=GENERATED,
        title=onto.title,
        iri=ONTOLOGY_IRI,
        ns=str(ARG),
        version=onto.version,
        description=onto.description,
        sections=sections,
    )


def render_from_nquads(nquads: str) -> str:
    """The page with examples from a build's N-Quads dump (what `graph/build.py` holds)."""

    store = OxigraphStore()
    store.store.load(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return render_ontology_docs(store)


def write_ontology_docs(out_dir: Path, store: Queryable | None = None) -> Path:
    """Write `ontology.html` into `out_dir`; returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "ontology.html"
    path.write_text(render_ontology_docs(store), encoding="utf-8")
    return path
