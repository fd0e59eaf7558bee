"""Synthetic papers with the shape of the real encoding, written as N-Quads directly.

Deterministic: paper `i` of any corpus is the same bytes whatever the corpus size, so the corpus
of 10 papers is the first 10 papers of the corpus of 1,000. Nothing here comes from the paper's
text: labels and quotes are random strings of CJK characters and invented English words.

The shape (per paper) is the one measured on liu-tong-2021: how many items of each kind, the
causal layer's size and topology (140 factors of which 121 are linked, 179 links of which 6 are
parallel, 25 roots, 31 outcomes, about 40 feedback cycles of at most 8 links, three of them
encoded as `arg:FeedbackLoop`), the density of the other relations, and quote lengths (median 22,
mean 28 characters, lognormal). `SHAPE` holds those numbers; `tests/test_bench_smoke.py` checks
that a generated corpus keeps them.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

BASE = "https://w3id.org/argraph/"
ARG = "https://w3id.org/argraph/ontology#"
ONTOLOGY_IRI = "https://w3id.org/argraph/ontology"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
CITO = "http://purl.org/spar/cito/"
FABIO = "http://purl.org/spar/fabio/"
BIBO = "http://purl.org/ontology/bibo/"
QB = "http://purl.org/linked-data/cube#"
SDMX_DIM = "http://purl.org/linked-data/sdmx/2009/dimension#"
SDMX_MEASURE = "http://purl.org/linked-data/sdmx/2009/measure#"
OBO = "http://purl.obolibrary.org/obo/"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
FOAF = "http://xmlns.com/foaf/0.1/"
WD = "http://www.wikidata.org/entity/"

UPSTREAM, POSITIVE, NEGATIVE = OBO + "RO_0002411", OBO + "RO_0002304", OBO + "RO_0002305"


@dataclass(frozen=True)
class Shape:
    """Per-paper counts, measured on the real encoding (liu-tong-2021)."""

    factors: int = 140
    linked_factors: int = 121
    links: int = 179
    parallel_links: int = 6
    negative_share: float = 0.23
    roots: int = 25
    outcomes: int = 31
    loop_lengths: tuple[int, ...] = (3, 3, 4)
    """the encoded `arg:FeedbackLoop`s (10 steps in all)"""
    extra_back_links: int = 28
    """back links beyond the encoded loops: with them a paper has ~40 cycles of <= 8 links"""
    claims: dict[str, int] = field(
        default_factory=lambda: {
            "CausalClaim": 85,
            "EmpiricalClaim": 42,
            "NormativeClaim": 12,
            "DefinitionalClaim": 8,
        }
    )
    theses: int = 11
    entities: dict[str, int] = field(
        default_factory=lambda: {
            "Province": 31,
            "Firm": 13,
            "Region": 13,
            "Mine": 4,
            "Country": 4,
            "Event": 4,
            "Government": 3,
            "Organisation": 2,
            "Programme": 1,
        }
    )
    policies: int = 64
    statistics: int = 27
    evidence: dict[str, int] = field(
        default_factory=lambda: {"HistoricalFact": 4, "Figure": 2, "Case": 1}
    )
    explanations: int = 7
    references: int = 14
    citations: int = 16
    sections: int = 4
    passages: int = 9
    footnotes: int = 2
    keywords: int = 4
    note_share: float = 0.24
    quote_median: float = 22.0
    quote_sigma: float = 0.71
    quote_max: int = 170

    @property
    def quoted_items(self) -> int:
        return (
            self.factors
            + self.links
            + sum(self.claims.values())
            + sum(self.entities.values())
            + self.policies
            + self.statistics
            + sum(self.evidence.values())
            + self.explanations
            + self.references
            + self.sections
            + self.passages
            + self.footnotes
            + self.keywords
            + len(self.loop_lengths)
        )


SHAPE = Shape()

# A fixed pool of CJK characters (random code points, not text) and invented English words.
_POOL_RNG = random.Random(20210)
CJK = "".join(chr(_POOL_RNG.randrange(0x4E00, 0x9FA5)) for _ in range(600))
WORDS = [
    "".join(_POOL_RNG.choice("aeioukstrnlmpdg") for _ in range(_POOL_RNG.randint(3, 9)))
    for _ in range(400)
]
TEXT_TERM = CJK[:2]
"""A two-character term planted in about one quote in twenty: the text-filter query's target."""


def paper_id(i: int) -> str:
    return f"synth-{i:05d}"


def graph_iri(paper: str, name: str) -> str:
    return f"{BASE}graph/{paper}/{name}"


def item_iri(paper: str, item: str) -> str:
    return f"{BASE}id/{paper}/{item}"


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def lit(text: str, lang: str | None = None, dtype: str | None = None) -> str:
    if lang:
        return f'"{_esc(text)}"@{lang}'
    if dtype:
        return f'"{_esc(text)}"^^<{dtype}>'
    return f'"{_esc(text)}"'


@dataclass
class CausalLayer:
    """Factor indices 0..linked-1 in topological order of the acyclic part, and links."""

    links: list[tuple[int, int, int]]
    """(cause, effect, polarity +1/-1)"""
    loops: list[list[int]]
    """each encoded feedback loop as indices into `links`"""
    main_outcome: int
    first_root: int = 0


def causal_layer(rng: random.Random, shape: Shape = SHAPE) -> CausalLayer:
    n = shape.linked_factors
    roots = list(range(shape.roots))
    outcomes = list(range(n - shape.outcomes, n))
    middle = list(range(shape.roots, n - shape.outcomes))
    outcome_set = set(outcomes)
    edges: set[tuple[int, int]] = set()
    children: dict[int, set[int]] = {v: set() for v in range(n)}

    def add(u: int, v: int) -> None:
        edges.add((u, v))
        children[u].add(v)

    first_middle = middle[: max(1, len(middle) // 2)]
    for r in roots:
        add(r, rng.choice(first_middle))
    for v in middle + outcomes:
        if not any((u, v) in edges for u in range(v)):
            lo = max(0, v - 12)
            candidates = [u for u in range(lo, v) if u not in outcome_set] or middle[-12:]
            add(rng.choice(candidates), v)
    main = outcomes[-1]
    for u in middle[-8:]:
        add(u, main)
    add(roots[0], middle[0])
    for u in middle:
        if not children[u]:
            add(u, min(n - 1, u + 1 + int(rng.expovariate(1 / 4))))
    forward = shape.links - shape.parallel_links - len(shape.loop_lengths) - shape.extra_back_links
    while len(edges) < forward:
        u = rng.choice(roots + middle)
        v = max(shape.roots, u + 1 + int(rng.expovariate(1 / 6)))
        if v < n and (u, v) not in edges and not (u in roots and v in outcome_set):
            add(u, v)

    def path(u: int, v: int) -> list[int] | None:
        """A forward path u -> v (BFS), as node list."""
        prev = {u: u}
        todo = [u]
        for x in todo:
            for y in sorted(children[x]):
                if y not in prev and y <= v:
                    prev[y] = x
                    todo.append(y)
        if v not in prev:
            return None
        out = [v]
        while out[-1] != u:
            out.append(prev[out[-1]])
        return out[::-1]

    ordered = sorted(edges)
    links: list[tuple[int, int, int]] = [
        (u, v, -1 if rng.random() < shape.negative_share else 1) for u, v in ordered
    ]
    index = {(u, v): k for k, (u, v, _p) in enumerate(links)}
    loops: list[list[int]] = []
    back: set[tuple[int, int]] = set()
    for length in shape.loop_lengths:
        for _ in range(500):
            u = rng.choice(middle)
            p = _walk(rng, children, u, length - 1, middle)
            if p is None or (p[-1], u) in back:
                continue
            back.add((p[-1], u))
            links.append((p[-1], u, -1 if rng.random() < shape.negative_share else 1))
            steps = [index[(a, b)] for a, b in itertools.pairwise(p)]
            loops.append([*steps, len(links) - 1])
            break
    extra = 0
    while extra < shape.extra_back_links:
        v = rng.choice(middle)
        u = v - rng.randint(2, 7)
        if u < middle[0] or (v, u) in back or path(u, v) is None:
            continue
        back.add((v, u))
        links.append((v, u, -1 if rng.random() < shape.negative_share else 1))
        extra += 1
    for _ in range(shape.parallel_links):
        u, v, _p = links[rng.randrange(len(ordered))]
        links.append((u, v, rng.choice((1, -1))))
    return CausalLayer(links, loops, main)


def _walk(
    rng: random.Random, children: dict[int, set[int]], start: int, steps: int, allowed: list[int]
) -> list[int] | None:
    ok = set(allowed)
    p = [start]
    for _ in range(steps):
        nxt = [c for c in sorted(children[p[-1]]) if c in ok]
        if not nxt:
            return None
        p.append(rng.choice(nxt))
    return p


class _Paper:
    def __init__(self, index: int, shape: Shape) -> None:
        self.i = index
        self.shape = shape
        self.rng = random.Random(f"argraph-bench-{index}")
        self.paper = paper_id(index)
        self.doc = f"{BASE}id/{self.paper}"
        self.ga = f"<{graph_iri(self.paper, 'assertions')}>"
        self.gp = f"<{graph_iri(self.paper, 'provenance')}>"
        self.gb = f"<{graph_iri(self.paper, 'bibliography')}>"
        self.out: list[str] = []
        self.pos = 0

    # -- text ------------------------------------------------------------------------------------

    def zh(self, n: int) -> str:
        r = self.rng
        return "".join(CJK[int(r.random() ** 2 * len(CJK))] for _ in range(n))

    def en(self, n: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def quote_text(self) -> str:
        s = self.shape
        n = int(math.exp(self.rng.gauss(math.log(s.quote_median), s.quote_sigma)))
        n = max(2, min(s.quote_max, n))
        text = self.zh(n)
        if n >= 4 and self.rng.random() < 0.05:
            cut = self.rng.randrange(n - 2)
            text = text[:cut] + TEXT_TERM + text[cut + 2 :]
        return text

    # -- triples ---------------------------------------------------------------------------------

    def q(self, s: str, p: str, o: str, g: str) -> None:
        self.out.append(f"<{s}> <{p}> {o} {g} .\n")

    def iri(self, item: str) -> str:
        return f"{self.doc}/{item}"

    def labels(self, node: str, g: str, *, skos: bool = False) -> None:
        zh, en = (
            lit(self.zh(self.rng.randint(3, 10)), "zh"),
            lit(self.en(self.rng.randint(2, 5)), "en"),
        )
        self.q(node, RDFS + "label", zh, g)
        self.q(node, RDFS + "label", en, g)
        if skos:
            self.q(node, SKOS + "prefLabel", zh, g)
            self.q(node, SKOS + "prefLabel", en, g)

    def anchor(self, node: str, exact: str, suffix: str = "") -> None:
        g, gp = self.gp, self.gp
        target = f"{node}#anchor{suffix}"
        tq, tp = f"{target}-text-quote", f"{target}-text-position"
        self.pos += self.rng.randint(10, 400)
        q = self.q
        q(node, PROV + "wasQuotedFrom", f"<{self.doc}>", g)
        q(node, ARG + "anchor", f"<{target}>", g)
        q(target, RDF + "type", f"<{OA}SpecificResource>", g)
        q(target, OA + "hasSource", f"<{self.doc}>", g)
        q(target, OA + "hasSelector", f"<{tq}>", g)
        q(target, OA + "hasSelector", f"<{tp}>", g)
        q(tq, RDF + "type", f"<{OA}TextQuoteSelector>", gp)
        q(tq, OA + "exact", lit(exact), gp)
        q(tq, OA + "prefix", lit(self.zh(self.rng.randint(8, 16))), gp)
        q(tq, OA + "suffix", lit(self.zh(self.rng.randint(8, 16))), gp)
        q(tp, RDF + "type", f"<{OA}TextPositionSelector>", gp)
        q(tp, OA + "start", lit(str(self.pos), dtype=XSD + "nonNegativeInteger"), gp)
        q(tp, OA + "end", lit(str(self.pos + len(exact)), dtype=XSD + "nonNegativeInteger"), gp)

    def common(
        self, item: str, classes: Iterable[str], *, skos: bool = False, g: str | None = None
    ) -> str:
        g = g or self.ga
        node = self.iri(item)
        for cls in classes:
            self.q(node, RDF + "type", f"<{ARG}{cls}>", g)
        self.labels(node, g, skos=skos)
        text = self.quote_text()
        self.q(node, ARG + "quote", lit(text, "zh"), g)
        self.anchor(node, text)
        if self.rng.random() < self.shape.note_share:
            self.q(node, ARG + "note", lit(self.en(self.rng.randint(5, 20)), "en"), g)
        if g == self.ga:
            if self.sections and self.rng.random() < 0.82:
                self.q(node, ARG + "section", f"<{self.rng.choice(self.sections)}>", g)
            self.q(node, DCT + "isPartOf", f"<{self.doc}>", g)
        return node

    def rel(self, node: str, prop: str, targets: Iterable[str], g: str | None = None) -> None:
        for t in targets:
            self.q(node, prop, f"<{t}>", g or self.ga)

    def pick(self, pool: list[str], k: int) -> list[str]:
        return self.rng.sample(pool, min(k, len(pool))) if pool else []

    # -- the paper -------------------------------------------------------------------------------

    def build(self) -> list[str]:
        s, r, a, b = self.shape, self.rng, self.ga, self.gb
        self.sections: list[str] = []
        doc = self.doc
        for cls in ("Document",):
            self.q(doc, RDF + "type", f"<{ARG}{cls}>", b)
        self.q(doc, RDF + "type", f"<{FABIO}JournalArticle>", b)
        title = self.zh(r.randint(12, 30))
        self.q(doc, DCT + "title", lit(title, "zh"), b)
        self.q(doc, DCT + "title", lit(self.en(8), "en"), b)
        self.labels(doc, b)
        for k in (1, 2):
            author = f"{doc}#author-{k}"
            self.rel(doc, DCT + "creator", [author], b)
            self.q(author, RDF + "type", f"<{FOAF}Person>", b)
            self.q(author, FOAF + "name", lit(self.zh(3), "zh"), b)
            self.q(author, RDFS + "label", lit(self.en(2), "en"), b)
            self.q(author, ARG + "order", lit(str(k), dtype=XSD + "integer"), b)
        self.q(
            doc, FABIO + "hasPublicationYear", lit(str(2000 + self.i % 24), dtype=XSD + "gYear"), b
        )
        self.q(doc, DCT + "abstract", lit(self.zh(r.randint(200, 400)), "zh"), b)
        self.q(doc, DCT + "abstract", lit(self.en(120), "en"), b)
        self.q(doc, ARG + "quote", lit(title, "zh"), b)
        self.anchor(doc, title)
        self.q(doc, ARG + "anchorsVerified", lit("true", dtype=XSD + "boolean"), b)
        for name in ("explanations", "factors", "keywords"):
            scheme = f"{doc}/scheme/{name}"
            self.q(scheme, RDF + "type", f"<{SKOS}ConceptScheme>", a)
            self.labels(scheme, a, skos=True)
        stats_ds = f"{doc}/dataset/statistics-in-text"
        self.q(stats_ds, RDF + "type", f"<{QB}DataSet>", a)

        sections = [self.common(f"s{k}", ["Section"]) for k in range(1, s.sections + 1)]
        self.sections = sections
        for k, node in enumerate(sections, 1):
            self.q(node, ARG + "order", lit(str(k), dtype=XSD + "integer"), a)
            self.q(doc, DCT + "hasPart", f"<{node}>", a)
        footnotes = [self.common(f"fn{k}", ["Footnote"]) for k in range(1, s.footnotes + 1)]
        for k in range(1, s.passages + 1):
            node = self.common(f"passage-{k}", ["Passage"])
            self.q(node, ARG + "role", lit(r.choice(["signpost", "caption", "front-matter"])), a)
        for k in range(1, s.keywords + 1):
            node = self.common(f"kw-{k}", ["Keyword"], skos=True)
            self.q(node, SKOS + "inScheme", f"<{doc}/scheme/keywords>", a)
            self.q(doc, FABIO + "hasSubjectTerm", f"<{node}>", b)

        entities: list[str] = []
        for cls, count in s.entities.items():
            for k in range(1, count + 1):
                node = self.common(f"e-{cls.lower()}-{k}", [cls, "Entity"])
                if cls == "Province":
                    self.q(node, ARG + "isoCode", lit(f"CN-{k:02d}"), a)
                    self.q(node, OWL + "sameAs", f"<{WD}Q{1000 + k}>", a)
                elif entities and r.random() < 0.5:
                    self.q(node, ARG + "locatedIn", f"<{r.choice(entities)}>", a)
                entities.append(node)
        for node in self.pick(entities, 6):
            self.rel(node, ARG + "member", self.pick(entities, 6))

        factors = [self.iri(f"f-{k:03d}") for k in range(s.factors)]
        for node in factors:
            self.common(node.rsplit("/", 1)[1], ["Factor"], skos=True)
            self.q(node, SKOS + "inScheme", f"<{doc}/scheme/factors>", a)
            if r.random() < 0.55:
                self.q(node, ARG + "locatedIn", f"<{r.choice(entities)}>", a)
        for node in self.pick(factors, 5):
            self.q(node, SKOS + "broader", f"<{r.choice(factors)}>", a)
        # The main outcome gets a stable name, like the paper's `rust-belt`.
        layer = causal_layer(r, s)
        model = factors[: s.linked_factors]

        claims: list[str] = []
        kinds = [k for k, c in s.claims.items() for _ in range(c)]
        for k, kind in enumerate(kinds, 1):
            node = self.common(f"c-{k:03d}", [kind, "Claim"])
            claims.append(node)
            if k <= s.theses:
                self.q(node, RDF + "type", f"<{ARG}Thesis>", a)
            self.rel(node, ARG + "about", self.pick(model, r.choice((1, 2, 2, 3, 4))))
        for node in claims:
            self.rel(node, ARG + "supports", self.pick(claims, r.choice((0, 0, 1, 1, 2))))
        for node in self.pick(claims, 12):
            self.rel(node, ARG + "qualifies", self.pick(claims, 1))
        for node in self.pick(claims, 3):
            self.rel(node, ARG + "challenges", self.pick(claims, 1))
        for node in self.pick(claims, 6):
            self.rel(node, DCT + "references", self.pick(footnotes, 1))

        links: list[str] = []
        for k, (u, v, pol) in enumerate(layer.links, 1):
            node = self.common(f"l-{k:03d}", ["CausalLink"])
            links.append(node)
            cause, effect = model[u], model[v]
            self.q(node, ARG + "cause", f"<{cause}>", a)
            self.q(node, ARG + "effect", f"<{effect}>", a)
            self.q(node, RDF + "subject", f"<{cause}>", a)
            self.q(node, RDF + "predicate", f"<{UPSTREAM}>", a)
            self.q(node, RDF + "object", f"<{effect}>", a)
            self.q(node, ARG + "polarity", f"<{ARG}{'Increases' if pol > 0 else 'Decreases'}>", a)
            self.q(node, ARG + "mechanism", lit(self.en(r.randint(4, 14)), "en"), a)
            self.q(node, ARG + "assertedBy", f"<{r.choice(claims[:85])}>", a)
            self.q(node, ARG + "basis", lit("stated" if r.random() < 0.8 else "inferred"), a)
            self.q(cause, UPSTREAM, f"<{effect}>", a)
            self.q(cause, POSITIVE if pol > 0 else NEGATIVE, f"<{effect}>", a)
        for k, steps in enumerate(layer.loops, 1):
            node = self.common(f"loop-{k}", ["FeedbackLoop"])
            for pos, li in enumerate(steps, 1):
                step = f"{node}#step-{pos}"
                self.q(node, ARG + "step", f"<{step}>", a)
                self.q(node, ARG + "hasLink", f"<{links[li]}>", a)
                self.q(step, RDF + "type", f"<{ARG}LoopStep>", a)
                self.q(step, ARG + "position", lit(str(pos), dtype=XSD + "integer"), a)
                self.q(step, ARG + "link", f"<{links[li]}>", a)
            neg = sum(1 for li in steps if layer.links[li][2] < 0)
            self.q(
                node, ARG + "loopPolarity", f"<{ARG}{'Balancing' if neg % 2 else 'Reinforcing'}>", a
            )

        for k in range(1, s.explanations + 1):
            node = self.common(f"x-{k}", ["Explanation"], skos=True)
            self.q(node, SKOS + "inScheme", f"<{doc}/scheme/explanations>", a)
            self.q(
                node,
                ARG + "family",
                lit(r.choice(["technological", "structural", "institutional", "cultural"])),
                a,
            )
            self.q(
                node,
                ARG + "verdict",
                f"<{ARG}{r.choice(['SurfaceManifestation', 'OwnMechanism', 'Rejected', 'Accepted'])}>",
                a,
            )
            self.q(node, ARG + "verdictStatedBy", f"<{r.choice(claims)}>", a)
            self.rel(node, ARG + "posits", self.pick(model, 3))
            self.rel(node, ARG + "hasMechanismLink", self.pick(links, r.randint(1, 5)))

        refs = []
        for k in range(1, s.references + 1):
            node = self.iri(f"ref-{k}")
            refs.append(node)
            self.common(f"ref-{k}", ["Reference"], g=b)
            self.q(node, RDF + "type", f"<{FABIO}JournalArticle>", b)
            self.q(node, ARG + "number", lit(str(k), dtype=XSD + "integer"), b)
            self.q(node, DCT + "title", lit(self.zh(r.randint(8, 20)), "zh"), b)
            self.q(node, DCT + "creator", lit(self.zh(3), "zh"), b)
            self.q(node, FABIO + "hasPublicationYear", lit(str(1990 + k), dtype=XSD + "gYear"), b)
            self.q(doc, CITO + "cites", f"<{node}>", b)
        for k in range(1, s.citations + 1):
            citing = r.choice(claims)
            ref = r.choice(refs)
            cnode = f"{citing}#cite-{k}"
            self.q(citing, CITO + "cites", f"<{ref}>", b)
            self.q(cnode, RDF + "type", f"<{CITO}Citation>", b)
            self.q(cnode, CITO + "hasCitingEntity", f"<{citing}>", b)
            self.q(cnode, CITO + "hasCitedEntity", f"<{ref}>", b)

        stats = []
        for k in range(1, s.statistics + 1):
            node = self.common(f"stat-{k}", ["Statistic"])
            stats.append(node)
            self.q(node, RDF + "type", f"<{QB}Observation>", a)
            self.q(node, QB + "dataSet", f"<{stats_ds}>", a)
            self.q(node, ARG + "measure", lit(self.zh(6), "zh"), a)
            self.q(node, ARG + "measure", lit(self.en(3), "en"), a)
            self.q(
                node,
                SDMX_MEASURE + "obsValue",
                lit(f"{r.uniform(0, 1000):.2f}", dtype=XSD + "decimal"),
                a,
            )
            self.q(node, ARG + "unit", lit(r.choice(["percent", "ratio", "count", "share"])), a)
            self.rel(node, SDMX_DIM + "refArea", self.pick(entities[:31], 1))
            if r.random() < 0.5:
                self.q(node, SDMX_DIM + "refPeriod", lit(str(1990 + r.randrange(30))), a)
            self.rel(node, ARG + "supports", self.pick(claims, 1))
        for cls, count in s.evidence.items():
            for k in range(1, count + 1):
                node = self.common(f"ev-{cls.lower()}-{k}", [cls, "Evidence"])
                self.q(node, ARG + "dataInText", lit("true", dtype=XSD + "boolean"), a)
                self.rel(node, ARG + "supports", self.pick(claims, 1))
                self.rel(node, ARG + "hasStatistic", self.pick(stats, 3))

        policies = []
        for k in range(1, s.policies + 1):
            node = self.common(f"p-{k:02d}", ["PolicyRecommendation"])
            policies.append(node)
            self.rel(node, ARG + "targets", self.pick(model + links, r.choice((1, 1, 1, 2))))
            self.q(
                node,
                ARG + "aim",
                f"<{ARG}{r.choice(['Strengthen', 'Weaken', 'Create', 'Break'])}>",
                a,
            )
            if r.random() < 0.45:
                self.rel(node, ARG + "actor", self.pick(entities, 1))
            self.q(node, ARG + "instrument", lit(self.en(r.randint(3, 10)), "en"), a)
            if policies[1:] and r.random() < 0.87:
                self.q(node, ARG + "partOf", f"<{policies[0]}>", a)
            if r.random() < 0.9:
                self.rel(node, ARG + "rationale", self.pick(claims, 1))
        return self.out


def paper_quads(index: int, shape: Shape = SHAPE) -> list[str]:
    """N-Quads lines of synthetic paper `index` (deterministic)."""
    return _Paper(index, shape).build()


def ontology_quads() -> list[str]:
    """The real ontology (vocabulary, not paper text) in its own named graph, once per corpus."""
    from ontology import load_ontology

    g = f"<{ONTOLOGY_IRI}>"
    return [f"{s.n3()} {p.n3()} {o.n3()} {g} .\n" for s, p, o in load_ontology()]


def main_outcome(index: int, shape: Shape = SHAPE) -> str:
    """The last outcome, which many chains reach (like the paper's `rust-belt`)."""
    return item_iri(paper_id(index), f"f-{shape.linked_factors - 1:03d}")


def first_root(index: int) -> str:
    return item_iri(paper_id(index), "f-000")


def write_corpora(folder: Path, sizes: Iterable[int], shape: Shape = SHAPE) -> dict[int, Path]:
    """Write `corpus-{n}.nq` for every size (reusing files already written), one pass."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {n: folder / f"corpus-{n}.nq" for n in sorted(set(sizes))}
    todo = {n: p for n, p in paths.items() if not p.exists()}
    if not todo:
        return paths
    tmp = {n: p.with_suffix(".nq.part") for n, p in todo.items()}
    handles = {n: t.open("w", encoding="utf-8") for n, t in tmp.items()}
    try:
        onto = "".join(ontology_quads())
        for fh in handles.values():
            fh.write(onto)
        for i in range(max(todo)):
            text = "".join(paper_quads(i, shape))
            for n, fh in handles.items():
                if i < n:
                    fh.write(text)
    finally:
        for fh in handles.values():
            fh.close()
    for n, t in tmp.items():
        t.rename(todo[n])
    return paths


def iter_papers(n: int, shape: Shape = SHAPE) -> Iterator[list[str]]:
    for i in range(n):
        yield paper_quads(i, shape)
