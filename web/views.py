"""Payloads of the viewer's other pages: the stated feedback loops, the policy map, the regions."""

from __future__ import annotations

from typing import Any

from graph import repo
from graph.analysis import (
    analyse_policies,
    decline_outcome,
    load_causal_graph,
    load_policies,
    paper_graph,
    policy_gaps,
)
from graph.namespaces import ARG
from graph.store import Store
from web.viewgraph import ViewGraph


def stated_loops(store: Store, g: ViewGraph) -> list[dict[str, Any]]:
    """The loops the paper states (`arg:FeedbackLoop`), each link in order with its quote."""
    rows = repo.select(
        store,
        f"""SELECT ?loop ?pos ?link WHERE {{
        ?loop a <{ARG.FeedbackLoop}> ; <{ARG.step}> ?st .
        ?st <{ARG.position}> ?pos ; <{ARG.link}> ?link }}""",
    )
    steps: dict[str, list[tuple[int, str]]] = {}
    for r in rows:
        steps.setdefault(r["loop"].value, []).append((int(r["pos"].value), r["link"].value))
    out = []
    for loop_iri, seq in sorted(steps.items()):
        if not loop_iri.startswith(g.prefix):
            continue  # another paper's loop
        loop = g.items.get(loop_iri)
        links = [g.items[link] for _, link in sorted(seq) if link in g.items]
        negatives = sum(1 for link in links if link.polarity == -1)
        out.append(
            {
                **(loop.ref() if loop else {"id": repo.short_id(loop_iri), "iri": loop_iri}),
                "quote": loop.quote if loop else None,
                "kind": "reinforcing" if negatives % 2 == 0 else "balancing",
                "negative_links": negatives,
                "links": [
                    {
                        **link.ref(),
                        "quote": link.quote,
                        "polarity": link.polarity,
                        "basis": link.basis,
                        "cause": g.items[link.cause].ref() if link.cause in g.items else None,
                        "effect": g.items[link.effect].ref() if link.effect in g.items else None,
                    }
                    for link in links
                ],
            }
        )
    return out


def policy_map(store: Store, g: ViewGraph) -> dict[str, Any]:
    """Recommendations grouped by target and by actor, and the mechanism links none addresses.

    Each target of a recommendation carries its own aim (`arg:PolicyTarget`), whether it is our
    reading of the policy's words (`inferred`), and what reaching the aim does to the paper's
    main outcome along the paths through it (`outcome_effect`; `effect` is a link's effect). `aim` of a card is the aim its targets
    share, None when they differ."""
    policies = [p for p in load_policies(store) if p.iri.startswith(g.prefix)]
    used = {a for p in policies for a in p.aims.values()} | {p.aim for p in policies if p.aim}
    found = repo.labels_of(store, {str(ARG) + a for a in used})
    aims = {a: found[str(ARG) + a].model_dump() for a in used if str(ARG) + a in found}
    instruments: dict[str, dict[str, str]] = {}
    for r in repo.select(
        store,
        f"SELECT ?p ?i WHERE {{ ?p a <{ARG.PolicyRecommendation}> ; <{ARG.instrument}> ?i }}",
    ):
        lang = r["i"].lang or "en"
        instruments.setdefault(r["p"].value, {}).setdefault(lang, r["i"].value)
    cg = paper_graph(load_causal_graph(store), g.prefix)
    outcome = decline_outcome(cg)
    effects = {
        (report.policy.iri, t.iri): t.effect_on_outcome
        for report in analyse_policies(cg, policies, outcome).policies
        for t in report.targets
    }
    by_target: dict[str, list[str]] = {}
    by_actor: dict[str, list[str]] = {}
    cards: dict[str, dict[str, Any]] = {}
    for p in policies:
        item = g.items.get(p.iri)
        cards[p.id] = {
            **(item.ref() if item else {"id": p.id, "iri": p.iri}),
            "quote": item.quote if item else None,
            "aim": p.aim,
            "aim_label": aims.get(p.aim) if p.aim else None,
            "instrument": p.instrument,
            "instrument_label": instruments.get(p.iri),
            "part_of": g.items[p.part_of].ref() if p.part_of in g.items else None,
            "actors": [g.items[a].ref() for a in p.actors if a in g.items],
            "targets": [
                {
                    **_target(g, t),
                    "aim": p.aims.get(t),
                    "aim_label": aims.get(p.aims.get(t) or ""),
                    "inferred": t in p.inferred_targets,
                    "outcome_effect": effects.get((p.iri, t)),
                }
                for t in p.targets
                if t in g.items
            ],
        }
        for t in p.targets:
            by_target.setdefault(t, []).append(p.id)
        for a in p.actors or ["none"]:
            by_actor.setdefault(a, []).append(p.id)
    gaps = policy_gaps(cg, policies, outcome)
    return {
        "policies": cards,
        "by_target": [
            {"target": _target(g, t), "policies": ids}
            for t, ids in sorted(by_target.items(), key=lambda kv: -len(kv[1]))
            if t in g.items
        ],
        "by_actor": [
            {"actor": g.items[a].ref() if a in g.items else None, "policies": ids}
            for a, ids in sorted(by_actor.items(), key=lambda kv: -len(kv[1]))
        ],
        "gaps": [_target(g, link.iri) for link in gaps.unaddressed_links if link.iri in g.items],
        "mechanism_links": gaps.mechanism_links,
        "outcome": [f.model_dump() for f in gaps.outcome],
    }


def _target(g: ViewGraph, iri: str) -> dict[str, Any]:
    it = g.items[iri]
    out = it.ref()
    if it.kind == "link":
        out["polarity"] = it.polarity
        out["quote"] = it.quote
        out["cause"] = g.items[it.cause].ref() if it.cause in g.items else None
        out["effect"] = g.items[it.effect].ref() if it.effect in g.items else None
    return out


def regions(store: Store, g: ViewGraph) -> list[dict[str, Any]]:
    """The regions with their member provinces (labels, ISO codes); `division`: whether the
    region is one of the paper's regional division (`arg:hasRegion` of its scheme)."""
    rows = repo.select(
        store,
        f"""SELECT ?r ?m ?iso WHERE {{
        ?r a <{ARG.Region}> ; <{ARG.member}> ?m . OPTIONAL {{ ?m <{ARG.isoCode}> ?iso }} }}""",
    )
    members: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        m = r["m"].value
        if m in g.items:
            members.setdefault(r["r"].value, []).append(
                {**g.items[m].ref(), "iso": r["iso"].value if "iso" in r else None}
            )
    division = {
        r["r"].value
        for r in repo.select(store, f"SELECT DISTINCT ?r WHERE {{ ?s <{ARG.hasRegion}> ?r }}")
    }
    return [
        {
            **g.items[r].ref(),
            "quote": g.items[r].quote,
            "members": sorted(ms, key=lambda m: m["id"]),
            "division": r in division,
        }
        for r, ms in sorted(members.items())
        if r in g.items
    ]
