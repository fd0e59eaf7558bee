"""The first screen: the paper's main argument drawn small, every choice derived from the analysis.

- the *mechanism*: the links of the paper's own explanation (verdict `OwnMechanism`), else the
  mechanism links towards the outcome; kept: the factors on a walk from the paper's root causes
  to the outcome (the analysis' decline outcome, else every outcome);
- the *loops*: the stated feedback loops whose factors all sit in that mechanism (drawn as rings,
  with the loop itself as a node in the middle);
- the *rival explanations*: each attached to the factors it posits; a posited factor outside the
  mechanism is placed, left to right, where the analysis places it (links from the root cause);
- the *policies*: the recommendations with the most leverage over the root-to-outcome paths whose
  targets are drawn, each new one covering a target the others do not.
Coordinates are computed here (web/layout.py): the same drawing on every load.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.analysis import (
    analyse_policies,
    decline_outcome,
    load_causal_graph,
    load_explanations,
    load_policies,
    paper_graph,
)
from graph.analysis.chains import mechanism_link_iris, outcome_iris, root_iris
from graph.analysis.explanations import paper_roots, place_factor
from graph.store import Store
from web import layout, network, views
from web.viewgraph import ViewGraph

MAX_NODES = 40
MAX_CORE = 24
MAX_POLICIES = 4
DX, DY = 150.0, 95.0
OWN = "OwnMechanism"


def _core(
    links: list[tuple[str, str]], roots: list[str], targets: list[str]
) -> tuple[set[str], list[tuple[str, str]]]:
    """Factors on a walk from a root to a target within the given links (at most MAX_CORE)."""
    sub: nx.DiGraph = nx.DiGraph()
    sub.add_edges_from(sorted(links))
    starts = [r for r in roots if r in sub] or sorted(n for n in sub if sub.in_degree(n) == 0)
    ends = [t for t in targets if t in sub] or sorted(n for n in sub if sub.out_degree(n) == 0)
    after = set(starts)
    for r in starts:
        after |= nx.descendants(sub, r)
    before = set(ends)
    for t in ends:
        before |= nx.ancestors(sub, t)
    keep = after & before
    if len(keep) > MAX_CORE:  # the shortest root-to-outcome paths first, until the budget
        picked: set[str] = set()
        paths = sorted(
            (
                p
                for r in starts
                for t in ends
                if r != t and nx.has_path(sub, r, t)
                for p in [nx.shortest_path(sub, r, t)]
            ),
            key=lambda p: (len(p), p),
        )
        for p in paths:
            if len(picked | set(p)) > MAX_CORE:
                break
            picked |= set(p)
        keep = picked
    return keep, [(a, b) for a, b in sub.edges if a in keep and b in keep]


def argument(store: Store, g: ViewGraph) -> dict[str, Any]:
    cg = paper_graph(load_causal_graph(store), g.prefix)
    explanations = [e for e in load_explanations(store) if e.iri.startswith(g.prefix)]
    outcome = decline_outcome(cg)
    targets = [outcome] if outcome else outcome_iris(cg)
    roots = paper_roots(cg, explanations) or root_iris(cg, targets)
    own = [e for e in explanations if e.verdict == OWN]
    mech = sorted({i for e in own for i in e.mechanism_links if i in cg.links})
    if not any(cg.links[i].effect in targets for i in mech):
        # no own mechanism, or one that stops short of the outcome: every root-to-outcome link
        mech = sorted(set(mech) | set(mechanism_link_iris(cg, outcome)))
    pairs = [(cg.links[i].cause, cg.links[i].effect) for i in mech]
    core, core_edges = _core(pairs, roots, targets)
    loops: dict[str, list[str]] = {}
    loop_kind: dict[str, str] = {}
    for stated in views.stated_loops(store, g):
        members = sorted({link["cause"]["iri"] for link in stated["links"] if link["cause"]})
        if members and set(members) <= core and stated["iri"] in g.items:
            loops[stated["iri"]] = members
            loop_kind[g.items[stated["iri"]].id] = stated["kind"]
    pos = layout.layered(core, core_edges, DX, DY)
    roles: dict[str, str] = {}
    for f in core:
        roles[f] = "mechanism"
    for members in loops.values():
        for f in members:
            roles[f] = "loop"
    for f in core:
        if f in targets:
            roles[f] = "outcome"
        elif f in roots:
            roles[f] = "root"
    for loop, members in loops.items():
        xs = [pos[m][0] for m in members]
        ys = [pos[m][1] for m in members]
        pos[loop] = (round(sum(xs) / len(xs), 1), round(sum(ys) / len(ys), 1))
        roles[loop] = "cycle"
    if not pos:
        return _empty(g)
    top = min(y for _, y in pos.values())
    bottom = max(y for _, y in pos.values())
    left = min(x for x, _ in pos.values())
    right = max(x for x, _ in pos.values())
    shown = set(pos)

    # rival explanations and the factors they posit outside the mechanism
    rival_x: list[tuple[str, float]] = []
    extra_x: list[tuple[str, float]] = []
    for e in explanations:
        if e.verdict == OWN or e.iri not in g.items:
            continue
        posited = [f for f in e.posits if f in g.items]
        xs = []
        for f in posited:
            if f in pos:
                xs.append(pos[f][0])
                continue
            place = place_factor(cg, f, roots, targets)
            if place.distance_from_root is not None:
                x = left + place.distance_from_root * DX
            elif place.distance_to_outcome is not None:
                x = right - place.distance_to_outcome * DX
            else:
                x = left
            x = min(max(x, left), right)
            extra_x.append((f, x))
            roles[f] = "rival-factor"
            xs.append(x)
        if xs:
            rival_x.append((e.iri, sum(xs) / len(xs)))
            roles[e.iri] = "rival"
    extra_x = list(dict(extra_x).items())
    for f, x in layout.spread(extra_x, DX * 0.95).items():
        pos[f] = (x, top - DY * 1.3)
    for e_iri, x in layout.spread(rival_x, DX * 0.95).items():
        pos[e_iri] = (x, top - DY * 2.5)
    shown = set(pos)

    # the policies with the most leverage, each covering a drawn target the others do not
    policies = [p for p in load_policies(store) if p.iri.startswith(g.prefix)]
    analysis = analyse_policies(cg, policies, outcome)
    covered: set[str] = set()
    policy_x: list[tuple[str, float]] = []
    for report in sorted(analysis.policies, key=lambda r: (-r.leverage, r.policy.iri)):
        if len(policy_x) >= MAX_POLICIES or len(shown) + len(policy_x) >= MAX_NODES:
            break
        ends: list[str] = []
        for t in report.targets:
            at = t.via_broader or t.iri
            if at in cg.links:
                ends += [e for e in (cg.links[at].cause, cg.links[at].effect) if e in shown]
            elif at in shown:
                ends.append(at)
        new = set(ends) - covered
        if report.policy.iri not in g.items or not new:
            continue
        covered |= set(ends)
        policy_x.append((report.policy.iri, sum(pos[e][0] for e in ends) / len(ends)))
        roles[report.policy.iri] = "policy"
    for p, x in layout.spread(policy_x, DX * 0.95).items():
        pos[p] = (x, bottom + DY * 1.6)

    order = sorted(pos, key=lambda i: (pos[i][0], pos[i][1], i))[:MAX_NODES]
    payload = network.payload(g, order, len(order), positions=pos)
    for node in payload["nodes"]:  # boxes: a label wraps inside its box, readable when small
        if node["shape"] != "circle":
            node["shape"] = "box"
            node["size"] = 25
    for entry in payload["legend"]["nodes"]:
        if entry["shape"] != "circle":
            entry["shape"] = "box"
    payload["roles"] = {g.items[i].id: roles[i] for i in order if i in roles}
    payload["view"] = "argument"
    for node in payload["nodes"]:
        if node["id"] in loop_kind:
            node["loop_kind"] = loop_kind[node["id"]]
    return payload


def _empty(g: ViewGraph) -> dict[str, Any]:
    payload = network.payload(g, [], 0, positions={})
    payload["roles"] = {}
    payload["view"] = "argument"
    return payload
