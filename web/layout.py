"""Deterministic layered layouts, left to right, computed on the server (no physics in the browser).

`layered` condenses every strongly connected component (a feedback loop) into one block, places
the blocks in columns by longest path from the sources, orders each column by the barycentre of
its neighbours (a few sweeps, ties broken by id) and draws a loop's members on a ring in the order
of the loop. The same nodes and edges give the same coordinates on every call.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

Point = tuple[float, float]


@dataclass
class Block:
    members: list[str]
    layer: int = 0
    order: float = 0.0
    width: int = 1  # columns taken
    height: float = 1.0  # rows taken
    preds: set[int] = field(default_factory=set)
    succs: set[int] = field(default_factory=set)


def ring_order(graph: nx.DiGraph, members: set[str]) -> list[str]:
    """The members of a loop in the order of its links: follow successors from the smallest id,
    always to the smallest unvisited one; members not reached that way follow by id."""
    start = min(members)
    order = [start]
    seen = {start}
    cur = start
    while True:
        nxt = sorted(s for s in graph.successors(cur) if s in members and s not in seen)
        if not nxt:
            break
        cur = nxt[0]
        order.append(cur)
        seen.add(cur)
    order += sorted(members - seen)
    return order


def ring_radius(n: int, dy: float) -> float:
    return max(dy * 1.25, dy * n / (2 * math.pi) * 1.5)


def layered(
    nodes: Iterable[str],
    edges: Iterable[tuple[str, str]],
    dx: float = 170.0,
    dy: float = 90.0,
    sweeps: int = 4,
    max_rows: int | None = None,
) -> dict[str, Point]:
    """Coordinates for every node: columns from left (causes) to right (effects)."""
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(sorted(set(nodes)))
    graph.add_edges_from(sorted((a, b) for a, b in edges if a != b and a in graph and b in graph))
    if not graph:
        return {}
    components = sorted(sorted(c) for c in nx.strongly_connected_components(graph))
    blocks = [Block(members=c) for c in components]
    where = {n: i for i, b in enumerate(blocks) for n in b.members}
    for a, b in graph.edges:
        ia, ib = where[a], where[b]
        if ia != ib:
            blocks[ia].succs.add(ib)
            blocks[ib].preds.add(ia)
    for b in blocks:
        if len(b.members) > 1:
            r = ring_radius(len(b.members), dy)
            b.width = max(1, math.ceil((2 * r + dx) / dx))
            b.height = 2 * r / dy + 1
    # longest path from the sources (a Kahn walk in id order keeps it deterministic)
    indeg = {i: len(b.preds) for i, b in enumerate(blocks)}
    ready = sorted(i for i, d in indeg.items() if d == 0)
    while ready:
        i = ready.pop(0)
        for j in sorted(blocks[i].succs):
            blocks[j].layer = max(blocks[j].layer, blocks[i].layer + blocks[i].width)
            indeg[j] -= 1
            if indeg[j] == 0:
                ready.append(j)
                ready.sort()
    # pull sources to the right, next to their first effect (shorter edges, fewer long lines)
    for b in sorted(blocks, key=lambda b: -b.layer):
        if not b.preds and b.succs:
            b.layer = max(b.layer, min(blocks[j].layer for j in b.succs) - b.width)
    columns: dict[int, list[int]] = {}
    for i, b in enumerate(blocks):
        columns.setdefault(b.layer, []).append(i)
    for col in columns.values():
        col.sort(key=lambda i: blocks[i].members[0])
        for k, i in enumerate(col):
            blocks[i].order = float(k)
    layers = sorted(columns)
    for sweep in range(sweeps):
        seq = layers if sweep % 2 == 0 else list(reversed(layers))
        for layer in seq:
            col = columns[layer]
            for i in col:
                near = blocks[i].preds if sweep % 2 == 0 else blocks[i].succs
                if near:
                    blocks[i].order = sum(_centre(blocks, j) for j in near) / len(near)
            col.sort(key=lambda i: (blocks[i].order, blocks[i].members[0]))
            _stack(blocks, col)
    for layer in layers:
        _stack(blocks, columns[layer])
    # a tall column of single nodes wraps into sub-columns of at most max_rows
    starts: dict[int, float] = {}
    x = 0.0
    last = 0
    for layer in layers:
        x += (layer - last) * dx if layer > last else 0.0
        starts[layer] = x
        col = columns[layer]
        wraps = (
            max_rows is not None
            and len(col) > max_rows
            and all(len(blocks[i].members) == 1 for i in col)
        )
        if wraps and max_rows is not None:
            subs = math.ceil(len(col) / max_rows)
            for k, i in enumerate(col):
                blocks[i].order = (k % max_rows) - (min(max_rows, len(col)) - 1) / 2
            x += (subs - 1) * dx
            for k, i in enumerate(col):
                blocks[i].members = [blocks[i].members[0]]
                blocks[i].layer = layer
                blocks[i].width = -(k // max_rows) - 1  # marks the sub-column
        last = layer
    out: dict[str, Point] = {}
    for b in blocks:
        if b.width < 0:  # wrapped
            out[b.members[0]] = (starts[b.layer] + (-b.width - 1) * dx, b.order * dy)
            continue
        x = starts[b.layer]
        if len(b.members) == 1:
            out[b.members[0]] = (x, b.order * dy)
            continue
        r = ring_radius(len(b.members), dy)
        cx, cy = x - dx / 2 + (b.width * dx) / 2, b.order * dy
        ring = ring_order(graph, set(b.members))
        for k, n in enumerate(ring):
            angle = math.pi + 2 * math.pi * k / len(ring)  # start on the left, go clockwise
            out[n] = (round(cx + r * math.cos(angle), 1), round(cy - r * math.sin(angle), 1))
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in out.items()}


def _centre(blocks: list[Block], i: int) -> float:
    return blocks[i].order


def _stack(blocks: list[Block], col: list[int]) -> None:
    """Rows for a column in its current order, centred on 0, each block its own height."""
    total = sum(blocks[i].height for i in col)
    top = -(total - 1) / 2
    for i in col:
        h = blocks[i].height
        blocks[i].order = top + (h - 1) / 2
        top += h


def spread(wanted: list[tuple[str, float]], gap: float) -> dict[str, float]:
    """x positions as close to the wanted ones as possible, at least `gap` apart, in order."""
    items = sorted(wanted, key=lambda kv: (kv[1], kv[0]))
    out: dict[str, float] = {}
    last = -math.inf
    for key, x in items:
        x = max(x, last + gap)
        out[key] = x
        last = x
    if items:  # shift back so that the row is centred on what was wanted
        shift = (sum(out.values()) - sum(x for _, x in items)) / len(items)
        out = {k: round(v - shift, 1) for k, v in out.items()}
    return out
