"""`argraph bench [--quick] [--only ...] [--sizes ...]`; `register(app)` adds it.

The same entry as `python -m bench` (the `bench/` folder of a checkout): runs the endpoint, scale,
build and viewer benchmarks side by side and writes BENCHMARKS.md. Exit codes: 0 ok, 2 error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from api.settings import REPO_ROOT


def bench_command(
    quick: Annotated[
        bool, typer.Option("--quick", help="fewer requests, sizes 1,10 (~3 min)")
    ] = False,
    only: Annotated[
        str | None, typer.Option("--only", help="endpoint,scale,build,viewer (default: all)")
    ] = None,
    sizes: Annotated[str | None, typer.Option("--sizes", help="default 1,10,100,1000")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="default BENCHMARKS.md")] = None,
    no_install: Annotated[
        bool, typer.Option("--no-install", help="never pip/apt-install a missing peer")
    ] = False,
) -> None:
    """Benchmark the endpoint against its peers, the stores at scale, the build and the viewer."""
    from argraph.cli import err

    if not (REPO_ROOT / "bench" / "__main__.py").exists():
        err("error: `argraph bench` runs from a checkout (the bench/ folder is not installed)")
        raise typer.Exit(2)
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from bench.__main__ import main

    argv = ["--quick"] if quick else []
    for flag, value in (("--only", only), ("--sizes", sizes), ("--out", out)):
        if value is not None:
            argv += [flag, str(value)]
    if no_install:
        argv.append("--no-install")
    code = main(argv, command="argraph bench " + " ".join(argv))
    if code:
        raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Add `bench` to the `argraph` command."""
    app.command(name="bench")(bench_command)
