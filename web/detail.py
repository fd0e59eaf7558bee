"""One item for the detail panel: labels, quote and its place in the paper, citations, what
supports or challenges it, its evidence and statistics, the policies that target it."""

from __future__ import annotations

from typing import Any

from rdflib.namespace import SKOS

from graph import repo
from graph.namespaces import ARG, CITO, SDMX_DIM, SDMX_MEASURE
from graph.store import Store
from web.source import SourceText
from web.viewgraph import ViewGraph, ViewItem

# Literal facts shown as name -> value (the key is what the page translates).
FACTS: dict[str, str] = {
    str(ARG.measure): "measure",
    str(SDMX_MEASURE.obsValue): "value",
    str(ARG.valueText): "value_text",
    str(ARG.unit): "unit",
    str(SDMX_DIM.refPeriod): "period",
    str(ARG.family): "family",
    str(ARG.instrument): "instrument",
    str(ARG.mechanism): "mechanism",
    str(ARG.basis): "basis",
    str(ARG.note): "note",
    str(ARG.number): "number",
    str(ARG.alsoQuoted): "also_quoted",
}
# IRI-valued facts shown by their label (the ontology labels them in both languages).
NAMED: dict[str, str] = {
    str(ARG.verdict): "verdict",
    str(ARG.aim): "aim",
    str(ARG.polarity): "polarity",
    str(ARG.loopPolarity): "loop_polarity",
    str(ARG.qualifier): "qualifier",
}
# Relations of meaning between factors and a policy's instruments, read for the one item shown
# (they are not edges of the network views). Symmetric ones are shown as `out` both ways.
MEANING: dict[str, str] = {
    str(ARG.actsThrough): "actsThrough",
    str(ARG.oppositeOf): "oppositeOf",
    str(ARG.indicatorOf): "indicatorOf",
    str(SKOS.related): "related",
}
SYMMETRIC = {"oppositeOf", "related"}
CONTEXT_CHARS = 300


def _ref(g: ViewGraph, iri: str) -> dict[str, Any]:
    it = g.items[iri]
    out = it.ref()
    out["quote"] = it.quote
    if it.kind == "link":
        out["polarity"] = it.polarity
        out["cause"] = g.items[it.cause].ref() if it.cause in g.items else None
        out["effect"] = g.items[it.effect].ref() if it.effect in g.items else None
    return out


def _meaning(store: Store, g: ViewGraph, iri: str) -> list[tuple[str, str, str]]:
    props = " ".join(repo.iri(p) for p in MEANING)
    node = repo.iri(iri)
    rows = repo.select(
        store,
        f"""SELECT DISTINCT ?p ?o ?dir WHERE {{
        {{ VALUES ?p {{ {props} }} {node} ?p ?o BIND("out" AS ?dir) }}
        UNION {{ VALUES ?p {{ {props} }} ?o ?p {node} BIND("in" AS ?dir) }} }}""",
    )
    out = []
    for r in rows:
        name, other = MEANING[r["p"].value], r["o"].value
        if other in g.items and other != iri:
            out.append((name, "out" if name in SYMMETRIC else r["dir"].value, other))
    return sorted(out)


def _elements(store: Store, g: ViewGraph, iri: str) -> list[dict[str, Any]]:
    """An enumeration's elements in the paper's order (`element.out`), or the enumerations the
    item is an element of, with its position (`element.in`)."""
    node = repo.iri(iri)
    rows = repo.select(
        store,
        f"""SELECT ?other ?pos ?dir WHERE {{
        {{ {node} <{ARG.element}> ?e . ?e <{ARG.item}> ?other ; <{ARG.position}> ?pos .
           BIND("out" AS ?dir) }}
        UNION {{ ?other <{ARG.element}> ?e . ?e <{ARG.item}> {node} ; <{ARG.position}> ?pos .
           BIND("in" AS ?dir) }} }}""",
    )
    found = sorted(
        (r["dir"].value, int(r["pos"].value), r["other"].value)
        for r in rows
        if r["other"].value in g.items
    )
    return [
        {"name": "element", "direction": d, "target": {**_ref(g, o), "position": pos}}
        for d, pos, o in found
    ]


# Qualified relations: the node between an explanation and a factor it posits (`arg:Posit`: its
# basis, and the quote that states it) and between a recommendation and a target
# (`arg:PolicyTarget`: its aim and basis). Shown in place of the bare direct triple.
QUALIFIED: dict[str, str] = {str(ARG.hasPosit): "posits", str(ARG.hasTarget): "targets"}


def _qualified(store: Store, g: ViewGraph, iri: str) -> list[dict[str, Any]]:
    """The factors an explanation posits, each with its basis (and quote when stated), and the
    targets of a recommendation, each with its aim and basis (`.out`); from the factor or link's
    side, the explanations positing it and the recommendations targeting it, the same way (`.in`)."""
    node = repo.iri(iri)
    rows = repo.select(
        store,
        f"""SELECT ?p ?other ?basis ?aim ?quote ?dir WHERE {{
        VALUES ?p {{ <{ARG.hasPosit}> <{ARG.hasTarget}> }}
        {{ {node} ?p ?q . ?q <{ARG.item}> ?other . BIND("out" AS ?dir) }}
        UNION {{ ?other ?p ?q . ?q <{ARG.item}> {node} . BIND("in" AS ?dir) }}
        OPTIONAL {{ ?q <{ARG.basis}> ?basis }} OPTIONAL {{ ?q <{ARG.aim}> ?aim }}
        OPTIONAL {{ ?q <{ARG.quote}> ?quote }} }}""",
    )
    aims = repo.labels_of(store, {r["aim"].value for r in rows if "aim" in r})
    found = []
    for r in rows:
        other = r["other"].value
        if other not in g.items or other == iri:
            continue
        aim = r["aim"].value if "aim" in r else None
        found.append(
            {
                "name": QUALIFIED[r["p"].value],
                "direction": r["dir"].value,
                "target": {
                    **_ref(g, other),
                    "basis": r["basis"].value if "basis" in r else None,
                    "basis_quote": r["quote"].value if "quote" in r else None,
                    "aim": aim.rsplit("#", 1)[-1] if aim else None,
                    "aim_label": aims[aim].model_dump() if aim in aims else None,
                },
            }
        )
    return sorted(found, key=lambda x: (x["name"], x["direction"], x["target"]["id"]))


def _relations(store: Store, g: ViewGraph, item: ViewItem) -> list[dict[str, Any]]:
    elements = _elements(store, g, item.iri)
    qualified = _qualified(store, g, item.iri)
    # the ordered and qualified relations replace the bare ones they qualify
    ordered = {e["direction"] for e in elements}
    bare = {(q["name"], q["direction"], q["target"]["iri"]) for q in qualified}
    rels: list[tuple[str, str, str]] = [
        (r, "out", o)
        for r, o in g.out[item.iri]
        if not (r == "member" and "out" in ordered) and (r, "out", o) not in bare
    ]
    rels += [
        (r, "in", s)
        for r, s in g.into[item.iri]
        if not (r == "member" and "in" in ordered) and (r, "in", s) not in bare
    ]
    rels += _meaning(store, g, item.iri)
    if item.kind == "factor":
        for link in g.links_of(item.iri):
            rels.append(("causes" if link.cause == item.iri else "caused_by", "out", link.iri))
            # what targets, supports or challenges the factor's links reaches the factor too
            rels += [
                (f"{r}_link", "in", s)
                for r, s in g.into[link.iri]
                if r in ("targets", "supports", "challenges")
            ]
    seen: set[tuple[str, str, str]] = set()
    out = []
    for rel in rels:
        if rel in seen:
            continue
        seen.add(rel)
        name, direction, other = rel
        out.append({"name": name, "direction": direction, "target": _ref(g, other)})
    return out + qualified + elements


def _citations(store: Store, g: ViewGraph, iri: str) -> list[dict[str, Any]]:
    rows = repo.select(
        store,
        f"""SELECT ?ref ?fn ?pages ?number WHERE {{
        ?c <{CITO.hasCitingEntity}> {repo.iri(iri)} ; <{CITO.hasCitedEntity}> ?ref ;
           <{CITO.hasCitationCharacterization}> ?fn .
        OPTIONAL {{ ?c <{ARG.pages}> ?pages }} OPTIONAL {{ ?ref <{ARG.number}> ?number }}
        }} ORDER BY ?ref""",
    )
    out = []
    for r in rows:
        ref = r["ref"].value
        target = (
            g.items[ref].ref()
            if ref in g.items
            else {"id": repo.short_id(ref), "iri": ref, "kind": "reference", "label": {}}
        )
        out.append(
            {
                "reference": target,
                "function": r["fn"].value.rsplit("/", 1)[-1],
                "pages": r["pages"].value if "pages" in r else None,
                "number": r["number"].value if "number" in r else None,
            }
        )
    return out


def _facts(store: Store, iri: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    node = repo.node(store, iri)
    facts: list[dict[str, Any]] = []
    for prop, name in FACTS.items():
        for t in sorted(node.props.get(prop, []), key=lambda t: (t.lang or "", t.value)):
            facts.append({"name": name, "value": t.value, "lang": t.lang})
    named = {t.value: name for prop, name in NAMED.items() for t in node.props.get(prop, [])}
    labels = repo.labels_of(store, set(named))
    facts += [
        {
            "name": name,
            "value": v.rsplit("#", 1)[-1],
            "label": labels[v].model_dump() if v in labels else None,
        }
        for v, name in sorted(named.items())
    ]
    area = node.values(str(SDMX_DIM.refArea))
    return facts, [
        {"iri": a, "label": labels_.model_dump()}
        for a, labels_ in repo.labels_of(store, set(area)).items()
    ]


def detail(
    store: Store, g: ViewGraph, ref: str, source: SourceText | None
) -> dict[str, Any] | None:
    item = g.resolve(ref)
    if item is None:
        return None
    anchor = repo.anchor_of(store, item.iri)
    facts, areas = _facts(store, item.iri)
    section = g.items.get(item.section) if item.section else None
    passage = None
    if anchor is not None and source is not None:
        passage = source.passage(anchor.start, anchor.end, anchor.exact, CONTEXT_CHARS)
    out = _ref(g, item.iri)
    out.update(
        {
            "types": sorted(item.types),
            "section": section.ref() if section else None,
            "anchor": anchor.model_dump() if anchor else None,
            "passage": passage,
            "source_available": source is not None,
            "facts": facts,
            "areas": areas,
            "citations": _citations(store, g, item.iri),
            "relations": _relations(store, g, item),
        }
    )
    return out
