"""The corpus as a whole: its papers, the alignments between their factors, and for every
explanation which papers posit, accept, qualify or reject it, with their quotes.

Stances come from two places and are read as one: the `arg:Stance` nodes a paper writes toward
other papers' explanations (its `alignments.yaml`), and the verdict each paper gives its own
explanations, read as a stance through `arg:asStance` in the ontology (own mechanism -> posits,
surface manifestation -> qualifies, ...). Nothing is written twice.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

from pydantic import BaseModel, ConfigDict

from graph.namespaces import ARG
from graph.query_rows import Queryable, lang_pick, local_name, select, value

MatchName = Literal["exact", "close", "broader", "narrower"]
StanceName = Literal["posits", "accepts", "qualifies", "rejects"]

SKOS = "http://www.w3.org/2004/02/skos/core#"
MATCHES: dict[str, MatchName] = {
    SKOS + "exactMatch": "exact",
    SKOS + "closeMatch": "close",
    SKOS + "broadMatch": "broader",
    SKOS + "narrowMatch": "narrower",
}
STANCES: dict[str, StanceName] = {
    str(ARG.Posits): "posits",
    str(ARG.Accepts): "accepts",
    str(ARG.Qualifies): "qualifies",
    str(ARG.Rejects): "rejects",
}


class Paper(BaseModel):
    model_config = ConfigDict(frozen=True)

    iri: str
    id: str
    title_zh: str | None = None
    title_en: str | None = None
    factors: int = 0
    links: int = 0
    explanations: int = 0
    alignments: int = 0
    """how many alignments this paper makes to other papers"""
    stances: int = 0
    """how many stances it takes toward other papers' explanations"""


class Item(BaseModel):
    """An item of some paper of the corpus; `loaded` is False when its paper is not in the store."""

    model_config = ConfigDict(frozen=True)

    iri: str
    id: str
    paper: str
    en: str | None = None
    zh: str | None = None
    loaded: bool = True


class Alignment(BaseModel):
    model_config = ConfigDict(frozen=True)

    iri: str
    paper: str
    """the paper that aligns (whose alignments.yaml states it)"""
    relation: MatchName
    predicate: str
    factor: Item
    target: Item
    quote: str | None = None
    note: str | None = None


class StanceEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    paper: str
    paper_iri: str
    stance: StanceName
    quote: str | None = None
    source: Literal["stance", "verdict"]
    """`stance`: an arg:Stance of another paper; `verdict`: the explanation's own paper's verdict"""
    via: str | None = None
    """the arg:Stance node, or the claim that states the verdict"""
    english: str | None = None
    """English beside the quote: the stance's note, or the verdict claim's English label"""


class ExplanationStances(BaseModel):
    model_config = ConfigDict(frozen=True)

    explanation: Item
    family: str | None = None
    stances: list[StanceEntry]
    papers: dict[StanceName, list[str]]
    """for each kind of stance, the papers that take it"""
    posits: list[str] = []
    """the factors the explanation posits (IRIs, in its own paper)"""


def paper_of(iri: str, documents: Collection[str]) -> str:
    """The paper an item IRI belongs to: items are minted `{document}/{item}` (graph/iris.py),
    so its document is the IRI less its last segment; an IRI outside the loaded documents still
    names its paper there (`.../id/<paper>/<item>`). Pass the documents as a set: this runs once
    per factor and link of the corpus."""
    head = iri.split("#", 1)[0].rstrip("/")
    doc = head.rsplit("/", 1)[0]
    if doc in documents:
        return local_name(doc)
    parts = head.rsplit("/", 2)
    return parts[-2] if len(parts) == 3 else ""


_DOCS = "SELECT DISTINCT ?d WHERE { ?d a arg:Document }"
_TITLES = "SELECT ?d ?t WHERE { ?d a arg:Document ; dcterms:title ?t }"
_COUNT = """
SELECT ?d (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {cls} ; dcterms:isPartOf ?d . ?d a arg:Document }}
GROUP BY ?d
"""


def documents(store: Queryable) -> list[str]:
    return sorted(v for row in select(store, _DOCS) if (v := value(row, "d")))


def load_papers(store: Queryable) -> list[Paper]:
    """Every paper of the store, with the size of its argument and of its cross-paper layer."""
    titles: dict[str, tuple[str | None, str | None]] = {}
    for row in select(store, _TITLES):
        d = value(row, "d")
        assert d is not None
        zh, en = titles.get(d, (None, None))
        titles[d] = (lang_pick(zh, row.get("t"), "zh"), lang_pick(en, row.get("t"), "en"))
    counts: dict[str, dict[str, int]] = {}
    for name, cls in (
        ("factors", "arg:Factor"),
        ("links", "arg:CausalLink"),
        ("explanations", "arg:Explanation"),
        ("alignments", "arg:Alignment"),
        ("stances", "arg:Stance"),
    ):
        for row in select(store, _COUNT.format(cls=cls)):
            d, n = value(row, "d"), value(row, "n")
            if d is not None and n is not None:
                counts.setdefault(d, {})[name] = int(n)
    return [
        Paper(
            iri=d,
            id=local_name(d),
            title_zh=titles.get(d, (None, None))[0],
            title_en=titles.get(d, (None, None))[1],
            **counts.get(d, {}),
        )
        for d in documents(store)
    ]


_ALIGNMENTS = """
SELECT ?m ?s ?p ?o ?doc ?quote ?note ?sl ?ol ?loaded WHERE {
  ?m a arg:Alignment ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; dcterms:isPartOf ?doc .
  OPTIONAL { ?m arg:quote ?quote }
  OPTIONAL { ?m arg:note ?note }
  OPTIONAL { ?s rdfs:label ?sl }
  OPTIONAL { ?o rdfs:label ?ol }
  BIND (EXISTS { ?o a arg:Factor } AS ?loaded)
}
"""


def load_alignments(store: Queryable) -> list[Alignment]:
    """Every alignment of the store (whatever paper states it), in IRI order."""
    docs = set(documents(store))
    acc: dict[str, dict[str, str | None]] = {}
    for row in select(store, _ALIGNMENTS):
        m = value(row, "m")
        assert m is not None
        d = acc.setdefault(
            m,
            {
                "s": value(row, "s"),
                "p": value(row, "p"),
                "o": value(row, "o"),
                "doc": value(row, "doc"),
                "quote": value(row, "quote"),
                "note": value(row, "note"),
                "loaded": value(row, "loaded"),
                **dict.fromkeys(("s_en", "s_zh", "o_en", "o_zh")),
            },
        )
        d["s_en"] = lang_pick(d["s_en"], row.get("sl"), "en")
        d["s_zh"] = lang_pick(d["s_zh"], row.get("sl"), "zh")
        d["o_en"] = lang_pick(d["o_en"], row.get("ol"), "en")
        d["o_zh"] = lang_pick(d["o_zh"], row.get("ol"), "zh")
    out = []
    for m, d in sorted(acc.items()):
        s, p, o, doc = d["s"], d["p"], d["o"], d["doc"]
        if s is None or o is None or doc is None or p not in MATCHES:
            continue
        loaded = d["loaded"] in ("true", "1")
        out.append(
            Alignment(
                iri=m,
                paper=local_name(doc),
                relation=MATCHES[p],
                predicate=p,
                factor=Item(
                    iri=s, id=local_name(s), paper=paper_of(s, docs), en=d["s_en"], zh=d["s_zh"]
                ),
                target=Item(
                    iri=o,
                    id=local_name(o),
                    paper=paper_of(o, docs),
                    en=d["o_en"],
                    zh=d["o_zh"],
                    loaded=loaded,
                ),
                quote=d["quote"],
                note=d["note"],
            )
        )
    return out


_STANCES = """
SELECT ?e ?kind ?doc ?quote ?via ?source ?english WHERE {
  {
    ?via a arg:Stance ; arg:toward ?e ; arg:stanceKind ?kind ; dcterms:isPartOf ?doc .
    OPTIONAL { ?via arg:quote ?quote }
    OPTIONAL { ?via arg:note ?english }
    BIND ("stance" AS ?source)
  } UNION {
    ?e a arg:Explanation ; arg:verdict ?verdict ; dcterms:isPartOf ?doc .
    ?verdict arg:asStance ?kind .
    OPTIONAL {
      ?e arg:verdictStatedBy ?via
      OPTIONAL { ?via arg:quote ?quote }
      OPTIONAL { ?via rdfs:label ?english FILTER (lang(?english) = "en") }
    }
    BIND ("verdict" AS ?source)
  }
}
"""
_EXPLANATIONS = """
SELECT ?e ?label ?family WHERE {
  ?e a arg:Explanation .
  OPTIONAL { ?e rdfs:label ?label }
  OPTIONAL { ?e arg:family ?family }
}
"""
_POSITS = "SELECT ?e ?f WHERE { ?e a arg:Explanation ; arg:posits ?f }"
_ORDER: tuple[StanceName, ...] = ("posits", "accepts", "qualifies", "rejects")


def load_stances(store: Queryable) -> list[ExplanationStances]:
    """Every explanation of the corpus (and every one a stance points at), with the stance of
    each paper toward it: its own paper's verdict and the other papers' stances."""
    docs = set(documents(store))
    info: dict[str, dict[str, str | None]] = {}
    for row in select(store, _EXPLANATIONS):
        e = value(row, "e")
        assert e is not None
        d = info.setdefault(e, dict.fromkeys(("en", "zh", "family")))
        d["en"] = lang_pick(d["en"], row.get("label"), "en")
        d["zh"] = lang_pick(d["zh"], row.get("label"), "zh")
        d["family"] = d["family"] or value(row, "family")
    posits: dict[str, set[str]] = {}
    for row in select(store, _POSITS):
        e, f = value(row, "e"), value(row, "f")
        if e is not None and f is not None:
            posits.setdefault(e, set()).add(f)
    found: dict[str, dict[tuple[str, str], StanceEntry]] = {}
    for row in select(store, _STANCES):
        e, kind, doc = value(row, "e"), value(row, "kind"), value(row, "doc")
        source = value(row, "source")
        if e is None or doc is None or kind not in STANCES or source not in ("stance", "verdict"):
            continue
        via = value(row, "via")
        entry = StanceEntry(
            paper=local_name(doc),
            paper_iri=doc,
            stance=STANCES[kind],
            quote=value(row, "quote"),
            source="stance" if source == "stance" else "verdict",
            via=via,
            english=value(row, "english"),
        )
        key = (doc, via or "")
        old = found.setdefault(e, {}).get(key)
        if old is None or (entry.quote or "", entry.english or "") < (
            old.quote or "\uffff",
            old.english or "\uffff",
        ):
            found[e][key] = entry
    out = []
    for e in sorted(set(info) | set(found)):
        known = info.get(e)
        entries = sorted(
            found.get(e, {}).values(),
            key=lambda s: (s.source != "verdict", _ORDER.index(s.stance), s.paper, s.via or ""),
        )
        papers: dict[StanceName, list[str]] = {k: [] for k in _ORDER}
        for s in entries:
            if s.paper not in papers[s.stance]:
                papers[s.stance].append(s.paper)
        out.append(
            ExplanationStances(
                explanation=Item(
                    iri=e,
                    id=local_name(e),
                    paper=paper_of(e, docs),
                    en=known["en"] if known else None,
                    zh=known["zh"] if known else None,
                    loaded=known is not None,
                ),
                family=known["family"] if known else None,
                stances=entries,
                papers=papers,
                posits=sorted(posits.get(e, ())),
            )
        )
    return out
