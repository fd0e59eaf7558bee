"""Network payloads for vis-network, assembled with pyvis: the overview and a node's neighbourhood.

The browser never gets more than `MAX_NODES` nodes in one payload; it asks for neighbourhoods.
Labels travel as JSON data (both languages) and vis-network draws them on a canvas.
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any

from web import layout
from web.viewgraph import ViewGraph, ViewItem

MAX_NODES = 300

NODE_STYLE: dict[str, dict[str, Any]] = {
    "factor": {"shape": "ellipse", "color": "#cfe3ff"},
    "thesis": {"shape": "box", "color": "#ffe08a"},
    "claim": {"shape": "box", "color": "#e8e8e8"},
    "policy": {"shape": "diamond", "color": "#c9a7f2", "size": 14},
    "statistic": {"shape": "square", "color": "#7fd4c1", "size": 11},
    "evidence": {"shape": "triangle", "color": "#4fb3a0", "size": 12},
    "explanation": {"shape": "hexagon", "color": "#ffb366", "size": 16},
    "reference": {"shape": "dot", "color": "#c4a484", "size": 8},
    "entity": {"shape": "dot", "color": "#a8c6a0", "size": 8},
    "loop": {"shape": "circle", "color": "#ffe08a"},
}
EDGE_STYLE: dict[str, dict[str, Any]] = {
    "increases": {"color": "#1a8a3a", "width": 2.5},
    "decreases": {"color": "#c0262d", "width": 2.5},
    "supports": {"color": "#8a8a8a", "width": 1},
    "challenges": {"color": "#7a1010", "width": 1.5, "dashes": True},
    "qualifies": {"color": "#b08000", "width": 1, "dashes": True},
    "targets": {"color": "#7b4bc4", "width": 1.5, "dashes": [6, 4]},
    "posits": {"color": "#e07b00", "width": 1.5, "dashes": [2, 4]},
    "other": {"color": "#b8b8b8", "width": 1},
}
DRAWN = {
    "supports",
    "challenges",
    "qualifies",
    "about",
    "targets",
    "posits",
    "hasStatistic",
    "rationale",
    "actor",
    "cites",
    "member",
    "locatedIn",
    "verdictStatedBy",
    "partOf",
}
NODE_KINDS = list(NODE_STYLE)


def legend() -> dict[str, Any]:
    return {
        "nodes": [{"kind": k, **v} for k, v in NODE_STYLE.items()],
        "edges": [{"kind": k, **v} for k, v in EDGE_STYLE.items()],
    }


def _ends(g: ViewGraph, iri: str) -> list[str]:
    """A node's place in the network: itself, or a causal link's cause and effect."""
    item = g.items[iri]
    if item.kind == "link":
        return [e for e in (item.cause, item.effect) if e]
    return [iri]


def adjacency(g: ViewGraph) -> dict[str, set[str]]:
    adj: dict[str, set[str]] = {i: set() for i in g.items}
    for link in g.of_kind("link"):
        if link.cause in adj and link.effect in adj:
            adj[link.cause].add(link.effect)
            adj[link.effect].add(link.cause)
    for s, rel, o in g.edges:
        if rel not in DRAWN:
            continue
        for a in _ends(g, s):
            for b in _ends(g, o):
                if a in adj and b in adj and a != b:
                    adj[a].add(b)
                    adj[b].add(a)
    return adj


def _drawable(item: ViewItem) -> bool:
    return item.kind in NODE_STYLE


def layout_edges(g: ViewGraph, shown: set[str]) -> list[tuple[str, str]]:
    """Directed pairs for the layout: causal links cause -> effect, other relations s -> o."""
    pairs = [
        (link.cause, link.effect)
        for link in g.of_kind("link")
        if link.cause in shown and link.effect in shown
    ]
    for s, rel, o in g.edges:
        if rel in DRAWN:
            pairs += [
                (a, b) for a in _ends(g, s) for b in _ends(g, o)[-1:] if a in shown and b in shown
            ]
    return sorted(set(pairs))


def payload(
    g: ViewGraph,
    shown: list[str],
    total: int,
    focus: str | None = None,
    positions: dict[str, tuple[float, float]] | None = None,
) -> dict[str, Any]:
    """vis-network nodes and edges for the shown items, placed by the server (`web/layout.py`):
    the browser draws them with physics off, so every load gives the same picture."""
    from pyvis.network import Network  # on first use: pyvis imports IPython (about 0.1 s)

    net = Network(directed=True)
    keep = set(shown)
    if positions is None:
        positions = layout.layered(shown, layout_edges(g, keep))
    for iri in shown:
        item = g.items[iri]
        style = NODE_STYLE[item.kind]
        x, y = positions.get(iri, (0.0, 0.0))
        net.add_node(
            item.id,
            label=item.en or item.zh or item.id,
            shape=style["shape"],
            color=style["color"],
            size=style.get("size", 25),
            kind=item.kind,
            iri=item.iri,
            label_zh=item.zh or item.en or item.id,
            label_en=item.en or item.zh or item.id,
            section=item.section,
            x=x,
            y=y,
        )
    edges: list[dict[str, Any]] = []
    for link in g.of_kind("link"):
        if link.cause in keep and link.effect in keep:
            pol = "increases" if link.polarity == 1 else "decreases"
            edges.append(
                {
                    "id": link.id,
                    "from": g.items[link.cause].id,
                    "to": g.items[link.effect].id,
                    "kind": "link",
                    "polarity": pol,
                    "iri": link.iri,
                    "basis": link.basis,
                    "label": "+" if link.polarity == 1 else "−",
                    "label_zh": link.zh,
                    "label_en": link.en,
                    "quote": link.quote,
                    **EDGE_STYLE[pol],
                    **({"dashes": [8, 5]} if link.basis == "inferred" else {}),
                }
            )
    for s, rel, o in g.edges:
        if rel not in DRAWN:
            continue
        via = g.items[o].id if g.items[o].kind == "link" else None
        for a in _ends(g, s):
            for b in _ends(g, o)[-1:]:
                if a in keep and b in keep and a != b:
                    edges.append(
                        {
                            "id": f"{rel}:{g.items[s].id}:{g.items[o].id}",
                            "from": g.items[a].id,
                            "to": g.items[b].id,
                            "kind": rel,
                            "via_link": via,
                            **EDGE_STYLE.get(rel, EDGE_STYLE["other"]),
                        }
                    )
    seen: set[str] = set()
    for e in edges:
        if e["id"] in seen:
            continue
        seen.add(e["id"])
        e = dict(e)
        net.add_edge(e.pop("from"), e.pop("to"), **e)
    options = json.loads(net.options.to_json())
    options["physics"] = {"enabled": False}
    options["edges"] = {
        **options.get("edges", {}),
        "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.1},
    }
    options["interaction"].update(
        {"hover": True, "keyboard": {"enabled": True}, "navigationButtons": False}
    )
    return {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": options,
        "total": total,
        "truncated": len(shown) < total,
        "focus": focus,
        "max_nodes": MAX_NODES,
        "legend": legend(),
    }


def _select(
    g: ViewGraph, kinds: set[str], section: str | None, explanation: str | None
) -> list[str]:
    adj = adjacency(g)
    picked: set[str] = set()
    factors = {f.iri for f in g.of_kind("factor")}
    if section:
        sec = g.prefix + section
        for link in g.of_kind("link"):
            if link.section == sec and link.cause and link.effect:
                picked |= {link.cause, link.effect}
        picked |= {
            i.iri for i in g.items.values() if i.section == sec and i.kind in kinds and _drawable(i)
        }
    elif explanation:
        exp = g.resolve(explanation)
        if exp is None or exp.kind != "explanation":
            return []
        picked.add(exp.iri)
        for rel, o in g.out[exp.iri]:
            if rel in ("posits", "hasMechanismLink"):
                picked |= set(_ends(g, o))
        core = set(picked)
        picked |= {
            n for c in core for n in adj[c] if g.items[n].kind in kinds and _drawable(g.items[n])
        }
    else:
        if "factor" in kinds:
            picked |= factors
        wanted = kinds - {"factor"}
        picked |= {i.iri for i in g.items.values() if i.kind in wanted and _drawable(i)}
        if wanted:
            # only items that touch the drawn graph
            picked = {p for p in picked if p in factors or adj[p] & picked}
    return [p for p in picked if p in g.items and _drawable(g.items[p])]


def overview(
    g: ViewGraph,
    kinds: set[str],
    section: str | None = None,
    explanation: str | None = None,
    max_nodes: int = MAX_NODES,
) -> dict[str, Any]:
    picked = _select(g, kinds, section, explanation)
    adj = adjacency(g)
    order = sorted(picked, key=lambda i: (g.items[i].kind != "factor", -len(adj[i]), i))
    shown = order[:max_nodes]
    pos = layout.layered(shown, layout_edges(g, set(shown)), dx=185.0, dy=100.0, max_rows=14)
    return payload(g, shown, len(order), positions=pos)


def neighbourhood(
    g: ViewGraph,
    ref: str,
    depth: int = 1,
    kinds: set[str] | None = None,
    max_nodes: int = MAX_NODES,
) -> dict[str, Any] | None:
    """The item and everything within `depth` steps of it (a link item: its two factors)."""
    item = g.resolve(ref)
    if item is None:
        return None
    adj = adjacency(g)
    starts = _ends(g, item.iri)
    dist = {s: 0 for s in starts}
    queue = deque(starts)
    while queue:
        cur = queue.popleft()
        if dist[cur] >= depth:
            continue
        for nxt in sorted(adj[cur]):
            it = g.items[nxt]
            if nxt in dist or not _drawable(it) or (kinds and it.kind not in kinds):
                continue
            dist[nxt] = dist[cur] + 1
            queue.append(nxt)
    found = [i for i in dist if _drawable(g.items[i])]
    order = sorted(found, key=lambda i: (dist[i], g.items[i].kind != "factor", i))[:max_nodes]
    focus = g.items[starts[0]].id if starts and _drawable(g.items[starts[0]]) else None
    shown = set(order)
    pos = layout.layered(order, layout_edges(g, shown), dx=190.0, dy=105.0, max_rows=5)
    return payload(g, order, len(found), focus, positions=pos)
