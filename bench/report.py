"""Write BENCHMARKS.md: the machine, the command, every figure, the goals met or missed (and by
how much), and the profiles of the misses."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.metadata as md
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

from bench.queries import SHAPES


def machine(command: str) -> list[str]:
    def ver(pkg: str) -> str:
        try:
            return md.version(pkg)
        except md.PackageNotFoundError:
            return "not installed"

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024**2:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    from bench.peers import virtuoso_version
    from bench.viewer import chromium as chromium_binary

    chromium = "not installed"
    binary = chromium_binary()
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        if binary is not None:
            version = subprocess.run(
                [binary, "--version"], capture_output=True, text=True, timeout=20
            ).stdout.strip()
            chromium = f"{version or 'unknown version'} ({Path(binary).name})"
    return [
        "| | |",
        "|---|---|",
        f"| date | {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} |",
        f"| command | `{command}` |",
        f"| nproc | {os.cpu_count()} |",
        f"| CPU | {cpu} |",
        f"| memory | {mem} |",
        f"| OS | {platform.platform()} |",
        f"| Python | {platform.python_version()} |",
        f"| pyoxigraph / rdflib / rdflib-endpoint | {ver('pyoxigraph')} / {ver('rdflib')} / {ver('rdflib-endpoint')} |",
        f"| fastapi / uvicorn / networkx | {ver('fastapi')} / {ver('uvicorn')} / {ver('networkx')} |",
        f"| Virtuoso | {virtuoso_version()} |",
        f"| Chromium / playwright | {chromium} / {ver('playwright')} |",
    ]


def ms(x: float | None) -> str:
    if x is None or x != x:
        return "–"
    return f"{x * 1000:.1f}" if x < 10 else f"{x * 1000:.0f}"


def secs(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def gb(x: float | None) -> str:
    return "–" if not x else f"{x / 1024**3:.2f}"


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0 or a != a or b != b:
        return None
    return a / b


class Goals:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, bool | None]] = []

    def add(self, goal: str, value: str, met: bool | None, by: str = "") -> None:
        verdict = "not measured" if met is None else ("met" if met else f"**missed** {by}".strip())
        self.rows.append((goal, value, verdict, met))

    def lines(self) -> list[str]:
        out = ["| goal | measured | verdict |", "|---|---|---|"]
        out += [f"| {g} | {v} | {m} |" for g, v, m, _ in self.rows]
        return out


def endpoint_section(ep: dict[str, Any], goals: Goals) -> list[str]:
    from bench.endpoint import CONCURRENCY, CONCURRENCY_HIGH

    out = [
        "## 1. The endpoint against its peers",
        "",
        f"The real paper's graph, the same five queries, the same client (raw asyncio HTTP/1.1, "
        f"keep-alive), concurrency {CONCURRENCY}; every server pinned to CPU 1 and the load "
        "generator to CPU 0 (taskset); servers measured in interleaved rounds. argraph runs as "
        "deployed (`create_app`: guards, process-pool isolation, content negotiation; the web "
        "process bound its socket, then left the network, as `argraph serve` starts it).",
        "",
    ]
    out += [
        "Rows returned per query (same answers everywhere is the first check):",
        "",
        "| server | " + " | ".join(SHAPES) + " |",
        "|---|" + "---|" * len(SHAPES),
    ]
    for name, f in ep.items():
        if f.note:
            continue
        out.append(f"| {name} | " + " | ".join(str(f.rows.get(s, "–")) for s in SHAPES) + " |")
    out += [
        "",
        f"Throughput (requests/s) and latency (ms) at concurrency {CONCURRENCY}:",
        "",
        f"| server | mix req/s | mix req/s at {CONCURRENCY_HIGH} · refused | "
        + " | ".join(f"{s} req/s · p50 · p99" for s in SHAPES)
        + " | lookup p50 at concurrency 1 | errors |",
        "|---|---|---|" + "---|" * len(SHAPES) + "---|---|",
    ]
    for name, f in ep.items():
        if f.note:
            out.append(f"| {name} | {f.note} |" + " |" * (len(SHAPES) + 3))
            continue
        cells = [
            f"{r.throughput:.0f} · {ms(r.pct(50))} · {ms(r.pct(99))}"
            for r in (f.shapes[s] for s in SHAPES)
        ]
        errors = f.mix.errors + sum(r.errors for r in f.shapes.values())
        refused = f.mix_high.statuses.get(503, 0)
        out.append(
            f"| {name} | {f.mix.throughput:.0f} | {f.mix_high.throughput:.0f} · {refused} | "
            + " | ".join(cells)
            + f" | {ms(f.lookup_c1.pct(50))} | {errors} |"
        )
    a, m, r, v = (ep.get(k) for k in ("argraph", "minimal", "rdflib-endpoint", "virtuoso"))
    out += ["", "Ratios (same run):", ""]
    if a and r and not r.note:
        x = ratio(a.mix.throughput, r.mix.throughput)
        out.append(f"- argraph / rdflib-endpoint mix throughput: **{x:.1f}x**")
        # the bare engine behind a minimal FastAPI app, against the same peer: what the goal can
        # reach without argraph being faster than pyoxigraph itself
        ceiling = ratio(m.mix.throughput, r.mix.throughput) if m and not m.note else None
        bound = f"; the minimal endpoint itself: {ceiling:.1f}x" if ceiling else ""
        if ceiling:
            out.append(f"- minimal endpoint / rdflib-endpoint mix throughput: {ceiling:.1f}x")
        goals.add(
            "`/sparql` mix throughput >= 10x rdflib-endpoint",
            f"{x:.1f}x",
            x is not None and x >= 10,
            f"({x:.1f}x, {10 / x:.1f}x short{bound})" if x else "",
        )
    else:
        goals.add("`/sparql` mix throughput >= 10x rdflib-endpoint", "–", None)
    if a and m and not m.note:
        x = ratio(a.shapes["lookup"].pct(50), m.shapes["lookup"].pct(50))
        y = ratio(a.lookup_c1.pct(50), m.lookup_c1.pct(50))
        z = ratio(a.mix.throughput, m.mix.throughput)
        z8 = ratio(a.mix_high.throughput, m.mix_high.throughput)
        out.append(
            f"- argraph / minimal lookup p50: **{x:.2f}x** at concurrency {CONCURRENCY}, "
            f"{y:.2f}x at concurrency 1; mix throughput argraph / minimal: **{z:.2f}** at "
            f"concurrency {CONCURRENCY}, **{z8:.2f}** at {CONCURRENCY_HIGH}"
        )
        for c, share in ((CONCURRENCY, z), (CONCURRENCY_HIGH, z8)):
            goals.add(
                f"mix throughput at concurrency {c} >= 0.75 of the minimal endpoint's",
                f"{share:.2f}" if share is not None else "–",
                share is not None and share >= 0.75,
                f"({share:.2f})" if share is not None else "",
            )
        refused = a.mix_high.statuses.get(503, 0)
        other = a.mix_high.errors - refused
        goals.add(
            f"refused requests from {CONCURRENCY_HIGH} ordinary clients, default settings: 0",
            f"{refused} refused (503) of {a.mix_high.ok + a.mix_high.errors}; {other} other errors",
            refused == 0 and other == 0,
            f"({refused} refused)",
        )
        goals.add(
            "lookup p50 <= 1.3x the minimal FastAPI + pyoxigraph endpoint",
            f"{x:.2f}x (c={CONCURRENCY}); {y:.2f}x (c=1)",
            x is not None and x <= 1.3,
            f"by {x / 1.3:.1f}x" if x else "",
        )
    if a and v and not v.note:
        out.append(
            f"- argraph / Virtuoso mix throughput: {ratio(a.mix.throughput, v.mix.throughput):.2f}"
        )
    work = [
        f"{f.name} {f.mix_cpu_s / f.mix.ok * 1000:.2f} ms"
        for f in ep.values()
        if not f.note and float(getattr(f, "mix_cpu_s", 0.0)) > 0 and f.mix.ok
    ]
    if work:
        out.append(
            "- CPU time per answered request on the mix at concurrency "
            f"{CONCURRENCY} (the server and its child processes, user + system; the work per "
            "request, which other load on the machine does not inflate as it does the "
            f"throughput): {'; '.join(work)}"
        )
    return out


def mb(x: float | None) -> str:
    return "–" if not x else f"{x / 1024**2:.0f}"


def pressure_section(pr: dict[str, Any], goals: Goals) -> list[str]:
    out = [
        "## 1b. The query path under pressure (argraph, default settings)",
        "",
        "Same server as section 1 (pinned to one core). *Fast ASK under attack*: `ASK { ?s ?p ?o }` "
        "from one client, alone and then while two other clients (other loopback addresses) run "
        "2 CONSTRUCTs of 10,000 triples as Turtle and 4 runaway cross products (stopped by the "
        "time limit) in a loop. *Memory*: 4 clients at once ask for a result just under "
        "`max_result_bytes` (20 MB), then 4 for one four times over it (refused while written); "
        "the web process's peak resident memory (VmHWM) and the query workers' (sampled).",
        "",
    ]
    attack = pr.get("attack")
    if attack is not None:
        idle, busy = attack.idle, attack.busy
        out += [
            "| fast ASK | answered | p50 ms | p99 ms | statuses |",
            "|---|---|---|---|---|",
            f"| alone | {idle.ok} | {ms(idle.pct(50))} | {ms(idle.pct(99))} | {idle.statuses} |",
            f"| under attack | {busy.ok} | {ms(busy.pct(50))} | {ms(busy.pct(99))} "
            f"| {busy.statuses} |",
            "",
            "Attackers' statuses: "
            + "; ".join(f"{k}: {v}" for k, v in attack.attackers.items())
            + " (503 = stopped at the time limit, or no slot within the queue wait).",
            "",
        ]
        x = ratio(busy.pct(99), idle.pct(99))
        goals.add(
            "fast ASK p99 under 2 heavy CONSTRUCTs + 4 runaway queries <= 5x its idle p99",
            f"{x:.1f}x ({ms(busy.pct(99))} / {ms(idle.pct(99))} ms)" if x else "–",
            x is not None and x <= 5 and busy.errors == 0,
            f"({x:.1f}x)" if x else "",
        )
    m = pr.get("memory")
    if m is not None:
        out += [
            "| web RSS before MB | web peak (VmHWM) MB | result bytes | query processes "
            "| one worker peak MB | all workers peak MB | statuses |",
            "|---|---|---|---|---|---|---|",
            f"| {mb(m.web_before)} | {mb(m.web_peak)} | {m.body_bytes:,} | {m.workers} "
            f"| {mb(m.worker_peak)} | {mb(m.workers_total_peak)} | {m.statuses} |",
            "",
            "Worker figures are resident memory (RSS): pages shared with the forkserver (the "
            "imported libraries) are counted in every worker, so the sum overstates the total.",
        ]
        goals.add(
            "web-process RSS with 4 maximum-size results in flight < 400 MB",
            f"{mb(m.web_peak)} MB",
            0 < m.web_peak < 400 * 1024**2,
            f"({mb(m.web_peak)} MB)",
        )
    return out


def ready_goal(rd: dict[str, Any], goals: Goals) -> list[str]:
    n = rd.get("papers", 0)
    if "ready_s" not in rd:
        goals.add("server ready < 60 s on the 1,000-paper on-disk store", "–", None)
        return [f"Server ready time over the {n}-paper store: {rd.get('error', 'not measured')}"]
    value = f"{rd['ready_s']:.1f} s ({n} papers)"
    goals.add(
        "server ready < 60 s on the 1,000-paper on-disk store",
        value,
        rd["ready_s"] < 60 if n >= 1000 else None,
        f"({rd['ready_s']:.0f} s)",
    )
    return [
        "",
        f"Server ready time over the {n}-paper on-disk store (already loaded; process "
        f"isolation, workers open it read-only): **{rd['ready_s']:.1f} s** from starting the "
        "process to its first answer.",
    ]


SCALE_COLS = ("load_s", "peak_rss")


def scale_section(sc: dict[str, Any], goals: Goals) -> list[str]:
    from bench.scale import growth_exponent

    sizes = sc["sizes"]
    out = [
        "## 2. Scale: synthetic corpora",
        "",
        "`bench/synthetic.py` writes N papers shaped like the real encoding (per paper ~17.3k "
        "quads: 140 factors, 179 causal links, 25 roots, 31 outcomes, ~40 cycles, 3 encoded "
        "loops, 147 claims, 75 entities, 64 policies, quotes of median 22 characters; random "
        "CJK strings, none of the paper's text). Corpus files: "
        + ", ".join(f"{n}: {sc['bytes'][n] / 1e6:.0f} MB" for n in sizes)
        + f" (generated in {sc['generate_s']:.0f} s, cached).",
        "",
        "Queries: the mix on paper 0's IRIs against the whole store. *chain*: one paper's "
        "causal graph read through SPARQL (scoped to its assertions graph) and every chain "
        "from a root to its main outcome. *loops/paper*: the same read and `find_loops`. "
        "*loops/corpus*: every link of the corpus read at once and `find_loops` on it "
        "(read + cycles).",
        "",
    ]
    head = (
        "| store | papers | load s (bulk part) | peak GB | "
        + " | ".join(f"{s} p50/p95 ms" for s in SHAPES)
        + " | chain analysis p50/p95 ms | loops/paper p50/p95 ms | loops/corpus s (read + cycles) |"
    )
    out += [head, "|---|---|---|---|" + "---|" * len(SHAPES) + "---|---|---|"]
    for kind, per in sc["stores"].items():
        for n in sizes:
            r = per.get(n) or per.get(str(n)) or {}
            if "skipped" in r or "error" in r:
                out.append(
                    f"| {kind} | {n} | {r.get('skipped') or 'error: ' + r['error']} |"
                    + " |" * (len(SHAPES) + 4)
                )
                continue
            q = r["queries"]
            lc = r["loops_corpus"]
            cells = [f"{ms(q[s]['p50'])} / {ms(q[s]['p95'])}" for s in SHAPES]
            bulk = f" (bulk {r['bulk_s']:.1f})" if "bulk_s" in r else ""
            out.append(
                f"| {kind} | {n} | {r['load_s']:.1f}{bulk} | {gb(r['peak_rss'])} | "
                + " | ".join(cells)
                + f" | {ms(r['chain_paper']['p50'])} / {ms(r['chain_paper']['p95'])}"
                + f" | {ms(r['loops_paper']['p50'])} / {ms(r['loops_paper']['p95'])}"
                + f" | {lc['total']:.2f} ({lc['read']:.2f} + {lc['cycles']:.2f}) |"
            )
    out += [
        "",
        "Growth exponents (slope of log cost against log corpus size; 1 = linear; "
        "sizes with figures only):",
        "",
        "| store | load | peak memory | " + " | ".join(SHAPES) + " | chain p95 | loops/corpus |",
        "|---|---|---|" + "---|" * len(SHAPES) + "---|---|",
    ]
    exps: dict[str, dict[str, float | None]] = {}
    for kind, per in sc["stores"].items():
        ok = [(n, per.get(n) or per.get(str(n))) for n in sizes]
        ok = [(n, r) for n, r in ok if r and "queries" in r]
        ns = [n for n, _ in ok]
        e = {
            "load": growth_exponent(ns, [r["load_s"] for _, r in ok]),
            "mem": growth_exponent(ns, [r["peak_rss"] for _, r in ok]),
            **{s: growth_exponent(ns, [r["queries"][s]["p50"] for _, r in ok]) for s in SHAPES},
            "chain": growth_exponent(ns, [r["chain_paper"]["p95"] for _, r in ok]),
            "loops": growth_exponent(ns, [r["loops_corpus"]["total"] for _, r in ok]),
        }
        exps[kind] = e

        def f(x: float | None) -> str:
            return "–" if x is None else f"{x:.2f}"

        out.append(
            f"| {kind} | {f(e['load'])} | {f(e['mem'])} | "
            + " | ".join(f(e[s]) for s in SHAPES)
            + f" | {f(e['chain'])} | {f(e['loops'])} |"
        )
    rd = sc["stores"].get("rdflib", {})
    big = [n for n in sizes if (rd.get(n) or rd.get(str(n)) or {}).get("peak_rss")]
    if len(big) >= 2 and max(sizes) > max(big):
        # marginal cost per paper between the two largest sizes measured, extended linearly
        n0, n1 = big[-2], big[-1]
        r0, r1 = (rd.get(k) or rd.get(str(k)) for k in (n0, n1))
        extra = max(sizes) - n1
        proj = r1["peak_rss"] + extra * (r1["peak_rss"] - r0["peak_rss"]) / (n1 - n0)
        projl = r1["load_s"] + extra * (r1["load_s"] - r0["load_s"]) / (n1 - n0)
        out += [
            "",
            f"rdflib at {max(sizes)} papers, projected linearly from {n0} and {n1}: "
            f"~{proj / 1024**3:.0f} GB peak memory, ~{projl / 60:.0f} min to load (not run: "
            "more memory than the machine has).",
        ]
    n = max(sizes)
    ox = sc["stores"].get("oxigraph-disk", {})
    r = ox.get(n) or ox.get(str(n)) or {}
    label = f"{n} papers (embedded on disk)"
    if "queries" in r and n >= 1000:
        goals.add(
            f"{label}: load < 2 min",
            f"{r['load_s']:.0f} s",
            r["load_s"] < 120,
            f"by {r['load_s'] - 120:.0f} s",
        )
        goals.add(
            f"{label}: peak memory < 4 GB", f"{gb(r['peak_rss'])} GB", r["peak_rss"] < 4 * 1024**3
        )
        c95 = r["chain_paper"]["p95"]
        goals.add(
            f"{label}: chain queries p95 < 100 ms",
            f"chain analysis {ms(c95)} ms; SPARQL chain path {ms(r['queries']['chain']['p95'])} ms",
            c95 < 0.1 and r["queries"]["chain"]["p95"] < 0.1,
            f"({ms(c95)} ms)",
        )
        lc = r["loops_corpus"]["total"]
        goals.add(
            f"{label}: loop detection < 1 s",
            f"whole corpus {lc:.2f} s; one paper p95 {ms(r['loops_paper']['p95'])} ms",
            lc < 1.0,
            f"by {lc:.1f}x on the whole corpus",
        )
    else:
        goals.add("1,000 papers: load, memory, chains, loops", "–", None)
    load_exp = exps.get("oxigraph-disk", {}).get("load")
    if load_exp is not None:
        goals.add(
            "load cost grows no faster than linearly (embedded)",
            f"exponent {load_exp:.2f}",
            load_exp <= 1.1,
            f"(exponent {load_exp:.2f})",
        )
    return out


def build_section(b: dict[str, Any], goals: Goals) -> list[str]:
    from bench.build import STEPS

    med = b["median"]
    out = [
        "## 3. Build pipeline on the real paper",
        "",
        f"Median of {b['runs']} runs; source text: {b['info']['source'] or 'absent (lock file)'}; "
        f"{b['info']['items']} items, {b['info']['triples']} triples, valid: {b['info']['valid']}.",
        "",
        "| " + " | ".join(STEPS) + " | anchor + validate + dump |",
        "|" + "---|" * (len(STEPS) + 1),
        "| " + " | ".join(f"{med[s]:.2f} s" for s in STEPS) + f" | {b['goal_s']:.2f} s |",
    ]
    goals.add(
        "paper build (anchor + validate + dump) < 2 s",
        f"{b['goal_s']:.2f} s",
        b["goal_s"] < 2,
        f"by {b['goal_s'] / 2:.1f}x",
    )
    return out


def viewer_section(v: dict[str, Any], goals: Goals) -> list[str]:
    out = ["## 4. Viewer: time to an interactive graph (headless Chromium)", ""]
    if "note" in v:
        out.append(v["note"])
        goals.add("viewer interactive < 1 s (paper), < 2 s (1,000 papers)", "–", None)
        return out
    out += [
        "From navigation start to the viewer's own ready signal (`window.__argraph` set and "
        "`#graph[data-ready=true]`: the network drawn at the server's positions, no physics). "
        "`/` is the first screen (the argument drawn small); `/explore?view=all` the whole graph. "
        "Breakdown medians: HTML received, DOMContentLoaded, last /api/ response, server time "
        "of the /api/ calls.",
        "",
        "| page | median s | runs | nodes | HTML | DOM ready | API done | API server |",
        "|---|---|---|---|---|---|---|---|",
    ]
    names = {"paper": "the paper, /", "paper_all": "the paper, /explore?view=all"}
    limits: tuple[tuple[str, float | None], ...] = (
        ("paper", 1.0),
        ("paper_all", None),  # the whole graph: no goal, shown for comparison
        ("corpus", 2.0),
    )
    for key, limit in limits:
        r = v.get(key, {})
        what = names.get(key) or f"1,000 papers, {r.get('path', '')}"
        if "note" in r or r.get("median_s") is None:
            why = r.get("note") or r.get("error") or "no figure"
            out.append(f"| {what} | {why} | | | | | | |")
            if limit is not None:
                goals.add(f"viewer interactive < {limit:g} s ({key})", "–", None)
            continue
        bd = r.get("breakdown", {})
        out.append(
            f"| {what} | {r['median_s']:.2f} | {', '.join(f'{x:.2f}' for x in r['runs'])} "
            f"| {r['nodes']} | "
            + " | ".join(
                secs(bd.get(k)) for k in ("html_s", "dom_ready_s", "api_done_s", "api_server_s")
            )
            + " |"
        )
        if limit is None:
            continue
        goals.add(
            f"viewer interactive < {limit:g} s ({key})",
            f"{r['median_s']:.2f} s",
            r["median_s"] < limit,
            f"by {r['median_s'] / limit:.1f}x",
        )
    return out


def cross_section(results: list[dict[str, Any]], goals: Goals, command: str) -> list[str]:
    """The cross-paper comparison (bench/cross.py): a pair and the whole corpus against one
    paper's analysis, in the same run."""
    from bench import cross

    out = ["### Across papers", "", cross.markdown(results, command)]
    for r in results:
        pair = r["pair"]
        goals.add(
            f"cross-paper comparison of a pair within one paper's chain budget (p50 < 100 ms), "
            f"{r['papers']} papers",
            f"pair {pair['p50_s'] * 1000:.0f} ms ({pair['ratio']:.2f}x one paper's "
            f"{r['one_paper']['p50_s'] * 1000:.0f} ms)",
            pair["p50_s"] < 0.1,
            f"by {pair['p50_s'] * 1000 - 100:.0f} ms",
        )
    return out


def write(
    path: Path,
    command: str,
    results: dict[str, Any],
    profiles: dict[str, str],
    findings: list[str],
    elapsed_s: float,
) -> None:
    goals = Goals()
    body: list[str] = []
    for key, fn in (
        ("endpoint", endpoint_section),
        ("scale", scale_section),
        ("build", build_section),
        ("viewer", viewer_section),
    ):
        if key in results:
            body += ["", *fn(results[key], goals)]
        else:
            body += ["", f"## {key}: not run (`--only` left it out)"]
        if key == "endpoint" and results.get("pressure"):
            body += ["", *pressure_section(results["pressure"], goals)]
        if key == "scale" and results.get("ready"):
            body += ready_goal(results["ready"], goals)
        if key == "scale" and results.get("cross"):
            body += ["", *cross_section(results["cross"], goals, command)]
    if "draft" in results:
        body += ["", "## 5. " + results["draft"]["markdown"].removeprefix("## ").rstrip()]
        for goal, value, met in results["draft"]["goals"]:
            goals.add(goal, value, met)
    else:
        body += ["", "## draft: not run (`--only` left it out)"]
    lines = [
        "# argraph benchmarks",
        "",
        "Generated by `python -m bench` (also `argraph bench`); do not edit by hand. Figures are "
        "from one run on the machine below: compare them as ratios within the run, not across "
        "machines or runs.",
        "",
        *machine(command),
        "",
        f"Whole run: {elapsed_s / 60:.1f} min.",
        "",
        "## Goals",
        "",
        *goals.lines(),
        *body,
    ]
    findings = findings + explain(results)
    if findings:
        lines += ["", "## Where the time goes (misses explained)", "", *findings]
    if profiles:
        lines += ["", "## Profiles", ""]
        for name, text in profiles.items():
            lines += [f"### {name}", "", "```", text.strip()[:6000], "```", ""]
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def explain(results: dict[str, Any]) -> list[str]:
    """What the profiles show for each miss, and the fix proposed (the product's files are owned
    by other engineers: these are proposals, not edits)."""
    out: list[str] = []
    ep = results.get("endpoint")
    if ep:
        a, m = ep.get("argraph"), ep.get("minimal")
        z = ratio(a.mix.throughput, m.mix.throughput) if a and m and not m.note else None
        if z is not None and z < 0.75:
            out.append(
                "- **`/sparql` against the minimal endpoint.** Same engine, so the gap is the "
                "service around it. A query's first run goes to a worker process (a pipe round "
                "trip: on one core, context switches and the worker's cold caches cost more than "
                "a small query); once a worker answered it fast and small, the same query runs "
                "in the web process, which has left the network (graph/stores/inprocess.py): on "
                "the event loop when it took under 0.5 ms, else in a thread. What remains per "
                "request is argraph's own work around the engine: the guard (`guard_query`, "
                "Python), content negotiation, the hygiene middleware (security headers, HEAD, "
                "`update=`), CORS, and the larger response head. See the profile of one request "
                "below."
            )
        r = ep.get("rdflib-endpoint")
        if r and not r.note:
            out.append(
                "- **Against rdflib-endpoint.** rdflib-endpoint 0.6 caches prepared (parsed) "
                "queries, and the mix repeats five query strings, so after warm-up it pays rdflib's "
                "evaluation only, which on one paper (18k triples) is a few ms for these shapes. "
                "The 10x goal assumed parse + evaluate per request; on one small graph the gap is "
                "the per-request overhead above, not the engine (the engine gap shows at scale: see "
                "the rdflib rows of section 2)."
            )
    sc = results.get("scale")
    if sc:
        out.append(
            "- **Loading.** The embedded store's load is `bulk_load` then `optimize()` (RocksDB "
            "compaction), both shown in the table; the file is parsed once. Memory stays low "
            "because the store is on disk."
        )
        out.append(
            "- **Loop detection over a whole corpus** reads every causal link through one SPARQL "
            "SELECT with four OPTIONALs (`load_causal_graph`), converts every solution to Python "
            "`Term`s and pydantic `Link`s, builds a networkx MultiDiGraph, collapses it to a "
            "DiGraph and runs `simple_cycles`; the profile shows the SPARQL read (evaluation happens "
            "while iterating, inside `convert`) dominating, then pydantic validation, then the "
            "cycle search. Per paper (the analysis the API and viewer do: one paper's graph) it "
            "stays flat with corpus size. Proposed fix: analyse per paper (scope by the paper's "
            "assertions graph, as measured here), and read links with one query per property "
            "instead of OPTIONALs."
        )
        out.append(
            "- **Process isolation and large stores.** Query workers open the on-disk store "
            "read-only (`pyoxigraph.Store.read_only`) instead of loading a snapshot, so a "
            "server over a loaded 1,000-paper store is ready in seconds and its workers share "
            "the store's pages (see the ready time above); in-memory stores still give each "
            "worker a copy from an N-Quads snapshot."
        )
        out.append(
            "- **Remote store at scale.** `RemoteStore` decides its dataset once, at load or "
            "start-up (`graph/stores/remote_dataset.py`): on Virtuoso it excludes the server's "
            "system graphs with `DEFINE input:default-graph-exclude`, elsewhere it composes FROM "
            "clauses once; it lists the graphs with `GROUP BY ?g`, which Virtuoso plans far faster "
            "than `SELECT DISTINCT ?g`. The Virtuoso rows here use that store."
        )
    b = results.get("build")
    if b and b["goal_s"] >= 2:
        out.append(
            "- **Build.** The dump step serialises five formats with rdflib (TriG and Turtle "
            "dominate: see the profile), and SHACL validation (pyshacl) is most of `validate`. "
            "Proposed fix (graph/dumps.py): write N-Quads / N-Triples / Turtle / TriG with "
            "pyoxigraph (load the dataset into an in-memory store once; its serialisers are "
            "deterministic for the same input) and keep rdflib for JSON-LD only."
        )
    v = results.get("viewer")
    corpus = (v or {}).get("corpus") if v else None
    if isinstance(corpus, dict) and corpus.get("median_s"):
        bd = corpus.get("breakdown") or {}
        out.append(
            f"- **Viewer on 1,000 papers.** {bd.get('api_server_s', 0):.1f} s of the "
            f"{corpus['median_s']:.1f} s are the server answering /api/view/: `web/viewgraph.py` "
            "`load(store, prefix)` builds the view graph with `FILTER(STRSTARTS(STR(?s), prefix))` "
            "over the whole store (17M quads) instead of reading the paper's named graphs. "
            "Proposed fix (web/viewgraph.py): query `GRAPH <.../graph/{paper}/assertions>` (and "
            "provenance) so the cost follows the paper, not the corpus."
        )
    return out
