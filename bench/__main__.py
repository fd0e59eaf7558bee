"""`python -m bench [--quick] [SECTION ...] [--sizes 1,10,100,1000]`, sections endpoint, scale,
build, viewer, draft (`--only a,b` works too). `python -m bench endpoint` gives the endpoint against its
peers and the query path under pressure ([J]); the server's ready time over the largest on-disk
corpus comes with `scale`.

Runs every section side by side in one run and writes BENCHMARKS.md (see bench/report.py).
"""

from __future__ import annotations

import argparse
import json
import pickle
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import profiles

SECTIONS = ("endpoint", "scale", "build", "viewer", "draft")
REPO = Path(__file__).resolve().parent.parent


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--quick", action="store_true", help="fewer requests, sizes 1,10 (~3 min)")
    p.add_argument("sections", nargs="*", help=f"sections to run: {', '.join(SECTIONS)} (all)")
    p.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    p.add_argument("--sizes", default=None, help="corpus sizes (default 1,10,100,1000; quick 1,10)")
    p.add_argument("--stores", default="oxigraph-disk,rdflib,virtuoso")
    p.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    p.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "argraph-bench")
    p.add_argument(
        "--from-results", type=Path, help="write the report again from a run's results.pickle"
    )
    p.add_argument("--no-install", action="store_true", help="never pip/apt-install a missing peer")
    return p.parse_args(argv)


def ensure_paper_dist(workdir: Path, say: Any) -> Path:
    from api.settings import Settings
    from graph.build import build

    dist = workdir / "paper-dist"
    settings = Settings()
    source = settings.source if settings.source and Path(settings.source).exists() else None
    say(f"building the paper into {dist}")
    build(
        settings.corpus,
        dist,
        source=source,
        data_dir=settings.data_dir,
        base_iri=settings.base_iri,
        validate=False,
    )
    return dist


def main(argv: list[str] | None = None, command: str | None = None) -> int:
    args = parse(argv)
    if args.from_results is not None:
        from bench import report

        report.write(args.out, *pickle.loads(args.from_results.read_bytes()))
        print(f"wrote {args.out} from {args.from_results}")
        return 0
    only = args.sections or [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        print(
            f"unknown section(s): {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}",
            file=sys.stderr,
        )
        return 2
    sizes = [int(x) for x in (args.sizes or ("1,10" if args.quick else "1,10,100,1000")).split(",")]
    command = command or "python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:])
    work = args.workdir / "work"
    work.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()

    def say(msg: str) -> None:
        print(f"[{time.perf_counter() - t_start:6.0f}s] {msg}", flush=True)

    results: dict[str, Any] = {}
    profs: dict[str, str] = {}
    findings: list[str] = []
    dist = ensure_paper_dist(work, say)
    allow = not args.no_install
    if "endpoint" in only:
        from bench import endpoint

        say("1. endpoint vs peers")
        pressure: dict[str, Any] = {}
        results["endpoint"] = endpoint.run(
            work / "endpoint",
            dist,
            endpoint.QUICK if args.quick else endpoint.FULL,
            allow_install=allow,
            say=say,
            pressure=pressure,
        )
        results["pressure"] = pressure
        say("   profiling one argraph request")
        try:
            text, notes = profiles.request_breakdown(dist)
        except Exception as exc:  # a profile that fails does not lose the run's figures
            text, notes = f"profile failed: {type(exc).__name__}: {exc}", []
        profs["argraph /sparql: one lookup request, by stage"] = text
        findings += notes
    kept: str | None = None
    if "scale" in only:
        from bench import peers, scale

        say("2. scale")
        stores = [s for s in args.stores.split(",") if s]
        vnote = peers.ensure_virtuoso(allow) if "virtuoso" in stores else None
        results["scale"] = scale.run(
            work / "scale",
            sizes,
            stores=stores,
            reps=10 if args.quick else 30,
            budget=3 if args.quick else 8,
            virtuoso_note=vnote,
            say=say,
        )
        from bench import cross

        say("   cross-paper comparison (synthetic papers aligned in pairs)")
        results["cross"] = cross.run(sizes, 3 if args.quick else 5, say=say)
        kept = results["scale"].get("kept_store")
        if kept:
            from bench import query_path

            say(f"   server ready time over the {max(sizes)}-paper on-disk store")
            try:
                ready = query_path.ready_time(work / "ready", dist, Path(kept))
            except RuntimeError as exc:
                ready = {"error": str(exc)[:300]}
            results["ready"] = ready | {"papers": max(sizes)}
            say("   profiling loop detection on the largest corpus")
            profs[f"loop detection over the {max(sizes)}-paper corpus (embedded on disk)"] = (
                profiles.loops_profile(Path(kept))
            )
    if "build" in only:
        from bench import build

        say("3. build pipeline")
        results["build"] = build.run(work / "build", 2 if args.quick else 5, say=say)
        if results["build"]["goal_s"] >= 2:
            profs["paper build (ingest, anchor, graph, validate, dump)"] = build.profile(
                work / "build"
            )
    if "viewer" in only:
        from bench import viewer

        say("4. viewer")
        corpus_ok = kept is not None and max(sizes) >= 1000
        results["viewer"] = viewer.run(
            work / "viewer",
            dist,
            Path(kept) if corpus_ok and kept else None,
            dist if corpus_ok else None,
            2 if args.quick else 3,
            say=say,
        )
    if "draft" in only:
        from bench import draft

        say("5. drafting assistant")
        figures = draft.run(runs=2 if args.quick else 3)
        results["draft"] = {
            "markdown": draft.markdown(figures, command),
            "goals": draft.goals(figures),
        }
    if kept:
        import shutil

        shutil.rmtree(kept, ignore_errors=True)
    from bench import report

    elapsed = time.perf_counter() - t_start
    # kept first: a report that fails can be written again from them (--from-results)
    saved = args.workdir / "results.pickle"
    saved.write_bytes(pickle.dumps((command, results, profs, findings, elapsed)))
    report.write(args.out, command, results, profs, findings, elapsed)
    raw = args.workdir / "results.json"
    raw.write_text(json.dumps(results, default=lambda o: getattr(o, "__dict__", str(o)), indent=1))
    say(f"wrote {args.out} ({elapsed / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
