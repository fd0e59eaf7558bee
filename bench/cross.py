"""The cross-paper case of the scale bench: synthetic papers aligned to each other, and the time
of the corpus comparison against one paper's own analysis, as ratios measured in the same run.

`python -m bench.cross --sizes 2,10 [--reps 5]` (a few seconds at these sizes).

Each synthetic paper `i > 0` (bench/synthetic.py) aligns to paper `i - 1` the way a later paper
does in its `alignments.yaml`: its first root is the same factor as the earlier paper's main
outcome (skos:exactMatch), two middle factors are close matches, two are narrower than the
earlier paper's (skos:broadMatch); it accepts, rejects and qualifies three of the earlier paper's
explanations (arg:Stance with a quote, and the CiTO triple). The quads are those the build
writes (graph/alignments.py), in the paper's own assertions graph.

Measured in one process on an in-memory embedded store holding the N papers:
- one paper: its causal graph read through SPARQL (scoped to its assertions graph), every chain
  from its first root to its main outcome, and the comparison of its explanations (what
  /api/chains and /api/explanations do);
- a pair: the corpus comparison of paper i with the paper it aligns to (the store seen through
  the two papers' graphs and the ontology): stances, alignments, the joined graph, the chains
  from a root of the earlier paper through the joined factor to the later paper's outcome (cross
  only, up to 24 links, the first 200) and the loops through both;
- the corpus: the same over all N papers at once.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import synthetic as sy
from bench.load import percentile

SKOS = sy.SKOS
MATCH = {"exact": "exactMatch", "close": "closeMatch", "broader": "broadMatch"}
STANCE = {"accepts": ("Accepts", "agreesWith"), "rejects": ("Rejects", "disagreesWith")}
STANCE["qualifies"] = ("Qualifies", "qualifies")


def alignment_quads(i: int, shape: sy.Shape = sy.SHAPE) -> list[str]:
    """Paper i's alignments to paper i - 1 and its stances toward that paper's explanations."""
    if i == 0:
        return []
    rng = random.Random(f"argraph-bench-cross-{i}")
    me, before = sy.paper_id(i), sy.paper_id(i - 1)
    g = f"<{sy.graph_iri(me, 'assertions')}>"
    doc = f"{sy.BASE}id/{me}"
    out: list[str] = []

    def q(s: str, p: str, o: str) -> None:
        out.append(f"<{s}> <{p}> {o} {g} .\n")

    middle = range(shape.roots, shape.linked_factors - shape.outcomes)
    pairs = [("exact", 0, shape.linked_factors - 1)]
    pairs += [("close", rng.choice(middle), rng.choice(middle)) for _ in range(2)]
    pairs += [("broader", rng.choice(middle), rng.choice(middle)) for _ in range(2)]
    seen: dict[int, int] = {}
    for relation, own, other in pairs:
        own_iri = sy.item_iri(me, f"f-{own:03d}")
        other_iri = sy.item_iri(before, f"f-{other:03d}")
        seen[own] = seen.get(own, 0) + 1
        node = f"{own_iri}#match-{seen[own]}"
        predicate = SKOS + MATCH[relation]
        q(own_iri, predicate, f"<{other_iri}>")
        q(node, sy.RDF + "type", f"<{sy.ARG}Alignment>")
        q(node, sy.RDF + "subject", f"<{own_iri}>")
        q(node, sy.RDF + "predicate", f"<{predicate}>")
        q(node, sy.RDF + "object", f"<{other_iri}>")
        q(node, sy.DCT + "isPartOf", f"<{doc}>")
    for k, kind in enumerate(("accepts", "rejects", "qualifies"), start=1):
        node = sy.item_iri(me, f"st-{k}")
        target = sy.item_iri(before, f"x-{k}")
        individual, cito = STANCE[kind]
        q(node, sy.RDF + "type", f"<{sy.ARG}Stance>")
        q(node, sy.ARG + "toward", f"<{target}>")
        q(node, sy.ARG + "stanceKind", f"<{sy.ARG}{individual}>")
        q(node, sy.ARG + "quote", sy.lit("".join(rng.choice(sy.CJK) for _ in range(18)), "zh"))
        q(node, sy.DCT + "isPartOf", f"<{doc}>")
        q(doc, sy.CITO + cito, f"<{target}>")
    return out


class Scoped:
    """A store seen through some named graphs as its default graph."""

    def __init__(self, store: Any, graphs: Sequence[str]) -> None:
        self.store, self.graphs = store, list(graphs)

    def query(self, sparql: str) -> Any:
        return self.store.query(sparql, default_graphs=self.graphs)


def _graphs(paper: str) -> list[str]:
    return [sy.graph_iri(paper, name) for name in ("assertions", "provenance", "bibliography")]


def one_paper(store: Any, i: int) -> dict[str, int]:
    from graph.analysis import chains, compare, load_causal_graph, load_explanations

    scoped = Scoped(store, [*_graphs(sy.paper_id(i)), sy.ONTOLOGY_IRI])
    g = load_causal_graph(scoped)
    found = chains(g, sy.first_root(i), sy.main_outcome(i))
    comparison = compare(g, load_explanations(scoped), sy.main_outcome(i))
    return {"chains": len(found), "explanations": len(comparison.explanations)}


def reaching_root(store: Any, i: int) -> str:
    """A root cause of paper i from which its main outcome is reached (not every root is)."""
    from graph.analysis import load_causal_graph, root_causes

    g = load_causal_graph(Scoped(store, _graphs(sy.paper_id(i))))
    roots = root_causes(g, sy.main_outcome(i))
    return roots[0].iri if roots else sy.first_root(i)


def comparison(store: Any, i: int, source: str) -> dict[str, int]:
    """The corpus comparison over whatever `store` shows, chains from `source` (a root of paper
    i - 1) through the joined factor into paper i's main outcome."""
    from graph.analysis.chains import MAX_LENGTH_LIMIT
    from graph.analysis.corpus import corpus_chains, corpus_loops, load_corpus_graph
    from graph.analysis.corpus_stances import load_alignments, load_stances

    stances = load_stances(store)
    alignments = load_alignments(store)
    cg = load_corpus_graph(store)
    # two papers' chains end to end are long: the longest chain the API allows
    found = corpus_chains(cg, source, sy.main_outcome(i), MAX_LENGTH_LIMIT, cross_only=True)
    loops = corpus_loops(cg)
    return {
        "explanations": len(stances),
        "alignments": len(alignments),
        "chains": len(found),
        "cross_loops": len(loops),
    }


def _time(fn: Any, reps: int) -> tuple[list[float], list[float], Any]:
    """Wall and CPU seconds of each repetition (after one untimed warm-up run). CPU time is the
    steadier figure on a machine shared with other work."""
    out = fn()
    wall, cpu = [], []
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return wall, cpu, out


def _figures(
    wall: list[float], cpu: list[float], base: tuple[float, float] | None
) -> dict[str, float]:
    w, c = percentile(wall, 50), percentile(cpu, 50)
    out = {"p50_s": w, "cpu_p50_s": c}
    if base is not None:
        out |= {"ratio": w / base[0], "cpu_ratio": c / base[1]}
    return out


def measure(n: int, reps: int) -> dict[str, Any]:
    """Load N aligned synthetic papers into an in-memory store and time the three analyses."""
    import pyoxigraph as ox

    from graph.store import OxigraphStore

    if n < 2:
        raise ValueError("the cross-paper case needs at least two papers")
    text = "".join(sy.ontology_quads())
    text += "".join("".join(sy.paper_quads(i)) + "".join(alignment_quads(i)) for i in range(n))
    store = OxigraphStore()
    t0 = time.perf_counter()
    store.store.bulk_load(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    load_s = time.perf_counter() - t0
    i = n - 1
    pair_graphs = [*_graphs(sy.paper_id(i - 1)), *_graphs(sy.paper_id(i)), sy.ONTOLOGY_IRI]
    source = reaching_root(store, i - 1)
    # a fresh scoped view each time: no answer kept from one repetition to the next; the first
    # run of each is a warm-up, not timed
    one_w, one_c, one = _time(lambda: one_paper(store, i), reps)
    pair_w, pair_c, pair = _time(lambda: comparison(Scoped(store, pair_graphs), i, source), reps)
    corpus_w, corpus_c, corpus = _time(lambda: comparison(_Fresh(store), i, source), reps)
    base = (percentile(one_w, 50), percentile(one_c, 50))
    return {
        "papers": n,
        "quads": len(store),
        "load_s": load_s,
        "one_paper": _figures(one_w, one_c, None) | one,
        "pair": _figures(pair_w, pair_c, base) | pair,
        "corpus": _figures(corpus_w, corpus_c, base) | corpus,
    }


class _Fresh:
    """The whole store, through an object of its own (so no SELECT answer is reused)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def query(self, sparql: str) -> Any:
        return self.store.query(sparql)


MAX_PAPERS = 100
"""the in-memory store holds every paper: larger corpora are left to the on-disk scale runs"""


def run(sizes: Sequence[int], reps: int, say: Any = print) -> list[dict[str, Any]]:
    """The case at each size from 2 to MAX_PAPERS (for `python -m bench`'s scale section)."""
    out = []
    for n in sizes:
        if 2 <= n <= MAX_PAPERS:
            say(f"   cross-paper comparison: {n} papers")
            out.append(measure(n, reps))
    return out


def markdown(results: list[dict[str, Any]], command: str) -> str:
    lines = [
        "| papers | one paper's analysis | pair comparison | ratio | whole-corpus comparison "
        "| ratio | cross chains (pair) | cross loops (corpus) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def ms(d: dict[str, Any]) -> str:
        return f"{d['p50_s'] * 1000:.0f} ms ({d['cpu_p50_s'] * 1000:.0f} ms CPU)"

    for r in results:
        one, pair, corpus = r["one_paper"], r["pair"], r["corpus"]
        lines.append(
            f"| {r['papers']} | {ms(one)} | {ms(pair)} | {pair['ratio']:.2f} "
            f"({pair['cpu_ratio']:.2f} CPU) | {ms(corpus)} | {corpus['ratio']:.2f} "
            f"({corpus['cpu_ratio']:.2f} CPU) | {pair['chains']} | {corpus['cross_loops']} |"
        )
    return (
        f"`{command}` (p50 of the repetitions, wall and CPU time, in-memory embedded store)\n\n"
        + "\n".join(lines)
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.cross", description=__doc__)
    p.add_argument("--sizes", default="2,10", help="corpus sizes (papers), each at least 2")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = p.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    results = run(sizes, args.reps, say=lambda _msg: None)
    command = "python -m bench.cross " + " ".join(argv if argv is not None else sys.argv[1:])
    print(markdown(results, command.strip()))
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
