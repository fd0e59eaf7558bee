"""Section 3: the build pipeline on the real paper, step by step (median of a few runs).

ingest (load and validate the YAML annotations), anchor (locate every quote in the source, or
read the lock file when the source is absent), graph (build the rdflib Dataset), validate (SHACL
and the checks beyond it), dump (serialise every format and write the folder atomically).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

STEPS = ("ingest", "anchor", "graph", "validate", "dump")


def _once(out: Path) -> tuple[dict[str, float], dict[str, Any]]:
    from api.settings import Settings
    from graph.build import write_atomically
    from graph.builder import BuildInputs, build_dataset
    from graph.dumps import serialise_all
    from graph.iris import Minter
    from graph.validate import validate_dataset
    from ingest.anchors import anchor_corpus, read_source
    from ingest.corpus import load_corpus

    settings = Settings()
    t: dict[str, float] = {}
    t0 = time.perf_counter()
    corpus = load_corpus(settings.corpus)
    t["ingest"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    source = settings.source if settings.source and Path(settings.source).exists() else None
    anchors = anchor_corpus(corpus, read_source(source) if source else None)
    t["anchor"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    ds = build_dataset(
        BuildInputs(
            corpus=corpus,
            anchors=anchors.anchors,
            anchors_verified=anchors.verified,
            source_sha256=anchors.source_sha256,
            base=settings.base_iri,
        )
    )
    t["graph"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = validate_dataset(ds, str(Minter(corpus.name, settings.base_iri).item("x"))[:-1])
    t["validate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_atomically(out, serialise_all(ds))
    t["dump"] = time.perf_counter() - t0
    info = {
        "source": str(source) if source else None,
        "valid": report.ok,
        "triples": sum(len(g) for g in ds.graphs()),
        "items": len(corpus.items),
    }
    return t, info


def run(workdir: Path, runs: int, *, say: Any = print) -> dict[str, Any]:
    times: dict[str, list[float]] = {s: [] for s in STEPS}
    info: dict[str, Any] = {}
    for k in range(runs):
        say(f"  build {k + 1}/{runs}")
        t, info = _once(workdir / "build-out")
        for s in STEPS:
            times[s].append(t[s])
    median = {s: statistics.median(v) for s, v in times.items()}
    result = {
        "median": median,
        "runs": runs,
        "info": info,
        "goal_s": median["anchor"] + median["validate"] + median["dump"],
    }
    return result


def profile(workdir: Path, steps: tuple[str, ...] = ("anchor", "validate", "dump")) -> str:
    """Where the time goes in one build: pyinstrument when installed, else cProfile."""
    del steps
    try:
        from pyinstrument import Profiler
    except ImportError:
        return _cprofile(workdir)
    p = Profiler(interval=0.002)
    p.start()
    _once(workdir / "build-prof")
    p.stop()
    return str(p.output_text(unicode=False, color=False, show_all=False))


def _cprofile(workdir: Path) -> str:
    import cProfile
    import io
    import pstats

    pr = cProfile.Profile()
    pr.enable()
    _once(workdir / "build-prof")
    pr.disable()
    buf = io.StringIO()
    pstats.Stats(pr, stream=buf).sort_stats("cumulative").print_stats(25)
    return buf.getvalue()
