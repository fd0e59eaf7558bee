"""The paper's items and the relations between them, read once from any store for the viewer.

Causal links are items too (they have quotes), but the network draws them as edges between their
cause and effect; every other item is a node. Nothing here is HTML: the browser escapes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from graph import repo
from graph.namespaces import ARG, CITO
from graph.results import Term
from graph.store import Store

RDF_TYPE = repo.RDF_TYPE
RDFS_LABEL = repo.RDFS_LABEL
DCT_REFERENCES = "http://purl.org/dc/terms/references"

# The relations the viewer draws or lists, by property IRI -> short name.
RELATIONS: dict[str, str] = {
    str(ARG.supports): "supports",
    str(ARG.challenges): "challenges",
    str(ARG.qualifies): "qualifies",
    str(ARG.about): "about",
    str(ARG.targets): "targets",
    str(ARG.posits): "posits",
    str(ARG.hasStatistic): "hasStatistic",
    str(ARG.rationale): "rationale",
    str(ARG.actor): "actor",
    str(ARG.assertedBy): "assertedBy",
    str(ARG.verdictStatedBy): "verdictStatedBy",
    str(ARG.hasMechanismLink): "hasMechanismLink",
    str(ARG.partOf): "partOf",
    str(ARG.member): "member",
    str(ARG.locatedIn): "locatedIn",
    str(ARG.hasNote): "hasNote",
    str(CITO.cites): "cites",
    DCT_REFERENCES: "references",
}

# Most specific first: a policy is also a normative claim, a statistic also evidence.
KINDS: list[tuple[str, str]] = [
    ("PolicyRecommendation", "policy"),
    ("Statistic", "statistic"),
    ("Evidence", "evidence"),
    ("Explanation", "explanation"),
    ("FeedbackLoop", "loop"),
    ("CausalLink", "link"),
    ("Thesis", "thesis"),
    ("Claim", "claim"),
    ("Factor", "factor"),
    ("Reference", "reference"),
    ("Footnote", "footnote"),
    ("Section", "section"),
    ("Passage", "passage"),
    ("Keyword", "keyword"),
    ("Entity", "entity"),
]
ENTITY_TYPES = {
    "Place",
    "Country",
    "Province",
    "Region",
    "Organisation",
    "Government",
    "Firm",
    "Mine",
    "Person",
    "Event",
    "Programme",
}


def kind_of(types: set[str]) -> str:
    if types & ENTITY_TYPES:
        types = types | {"Entity"}
    for local, kind in KINDS:
        if local in types:
            return kind
    return "other"


@dataclass
class ViewItem:
    iri: str
    id: str
    types: set[str] = field(default_factory=set)
    zh: str | None = None
    en: str | None = None
    quote: str | None = None
    section: str | None = None
    cause: str | None = None
    effect: str | None = None
    polarity: int | None = None
    basis: str | None = None

    @property
    def kind(self) -> str:
        return kind_of(self.types)

    def ref(self) -> dict[str, object]:
        return {
            "id": self.id,
            "iri": self.iri,
            "kind": self.kind,
            "label": {"zh": self.zh, "en": self.en},
        }

    def text(self) -> str:
        return "\n".join(t for t in (self.zh, self.en, self.quote, self.id) if t)


@dataclass
class ViewGraph:
    prefix: str
    items: dict[str, ViewItem]
    # (subject IRI, relation name, object IRI), both ends items of the paper
    edges: list[tuple[str, str, str]]
    out: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    into: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for s, rel, o in self.edges:
            self.out[s].append((rel, o))
            self.into[o].append((rel, s))

    def resolve(self, ref: str) -> ViewItem | None:
        return self.items.get(ref) or self.items.get(self.prefix + ref)

    def of_kind(self, *kinds: str) -> list[ViewItem]:
        return [i for i in self.items.values() if i.kind in kinds]

    def links_of(self, factor: str) -> list[ViewItem]:
        return [
            i for i in self.items.values() if i.kind == "link" and factor in (i.cause, i.effect)
        ]


_SCALARS = {
    str(ARG.quote): "quote",
    str(ARG.section): "section",
    str(ARG.cause): "cause",
    str(ARG.effect): "effect",
    str(ARG.polarity): "polarity",
    str(ARG.basis): "basis",
}


def load(store: Store, prefix: str) -> ViewGraph:
    """Every item under `prefix` (anything typed in the argraph ontology) and their relations."""
    wanted = " ".join(repo.iri(p) for p in [RDF_TYPE, RDFS_LABEL, *_SCALARS])
    rows = repo.select(
        store,
        f"""SELECT ?s ?p ?o WHERE {{
        VALUES ?p {{ {wanted} }} ?s ?p ?o .
        FILTER(STRSTARTS(STR(?s), {_lit(prefix)})) }}""",
    )
    props: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        props[r["s"].value][r["p"].value].append(r["o"])
    items: dict[str, ViewItem] = {}
    arg = str(ARG)
    for s, p in sorted(props.items()):
        types = {t.value.removeprefix(arg) for t in p.get(RDF_TYPE, []) if t.value.startswith(arg)}
        if not types or "#" in s:
            continue
        item = ViewItem(iri=s, id=repo.short_id(s), types=types)
        for t in sorted(p.get(RDFS_LABEL, []), key=lambda t: t.value):
            if t.lang == "zh" and item.zh is None:
                item.zh = t.value
            elif t.lang == "en" and item.en is None:
                item.en = t.value
        for prop, name in _SCALARS.items():
            vals = sorted(t.value for t in p.get(prop, []))
            if not vals:
                continue
            if name == "polarity":
                item.polarity = 1 if vals[0] == str(ARG.Increases) else -1
            else:
                setattr(item, name, vals[0])
        items[s] = item
    rels = " ".join(repo.iri(p) for p in RELATIONS)
    rows = repo.select(
        store,
        f"""SELECT ?s ?p ?o WHERE {{
        VALUES ?p {{ {rels} }} ?s ?p ?o .
        FILTER(STRSTARTS(STR(?s), {_lit(prefix)})) }}""",
    )
    edges = sorted(
        {
            (r["s"].value, RELATIONS[r["p"].value], r["o"].value)
            for r in rows
            if r["s"].value in items and r["o"].value in items
        }
    )
    return ViewGraph(prefix, items, edges)


def _lit(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def within(a: str, b: str, limit: int) -> bool:
    """True when the edit distance (insertions, deletions, substitutions, adjacent swaps) between
    `a` and `b` is at most `limit`."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return False
        prev2, prev = prev, cur
    return prev[-1] <= limit


_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


def _fuzzy(token: str, words: set[str]) -> bool:
    limit = 1 if len(token) < 8 else 2
    return any(w.startswith(token) or within(token, w, limit) for w in words)


def search(
    g: ViewGraph, q: str, kinds: set[str] | None = None, limit: int = 30
) -> list[dict[str, object]]:
    """Items whose labels, quote or id contain `q` (case-folded; Chinese or English). Spaces do not
    matter in Chinese (`铁锈 地带` finds 铁锈地带); every word of a query must match; an English
    word of four letters or more may have a typo (`segmentaton` finds segmentation)."""
    needle = q.casefold().strip()
    compact = re.sub(r"\s+", "", needle)
    tokens = needle.split()
    hits: list[tuple[int, str, ViewItem]] = []
    for item in g.items.values():
        if kinds and item.kind not in kinds:
            continue
        if item.kind in ("section", "passage", "keyword", "footnote", "other"):
            continue
        labels = " ".join(t for t in (item.zh, item.en, item.id) if t).casefold()
        quote = (item.quote or "").casefold()
        squashed = re.sub(r"\s+", "", labels)
        if needle in labels or compact in squashed:
            hits.append((0, item.id, item))
        elif all(tok in labels for tok in tokens):
            hits.append((1, item.id, item))
        elif compact in re.sub(r"\s+", "", quote):
            hits.append((2, item.id, item))
        else:
            words = set(_WORD.findall(labels))
            long = [tok for tok in tokens if len(tok) >= 4 and _WORD.fullmatch(tok)]
            if long and len(long) == len(tokens) and all(_fuzzy(tok, words) for tok in long):
                hits.append((3, item.id, item))
    hits.sort(key=lambda h: (h[0], h[2].kind != "factor", h[1]))
    return [dict(h[2].ref(), quote=h[2].quote) for h in hits[:limit]]
