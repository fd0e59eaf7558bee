"""`argraph export --format FORMAT [--out FILE] [--dist DIR]`; `register(app)` adds it.

Formats: see `graph.exports.EXPORTS`. Writes to stdout unless --out is given.
Exit codes: 0 ok, 2 error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

FORMATS = (
    "aif, argdown, graphml, cytoscape, claims-csv, claims-md, comparison-csv, comparison-md, cld"
)
"""The names of `graph.exports.EXPORTS` (kept literal so that --help imports nothing)."""

FormatOpt = Annotated[str, typer.Option("--format", "-f", help=FORMATS)]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="write here instead of stdout")]
DistOpt = Annotated[Path | None, typer.Option("--dist", help="build output folder (default dist)")]


def export_command(fmt: FormatOpt, out: OutOpt = None, dist: DistOpt = None) -> None:
    """Export the built graph for other tools: AIF, Argdown, GraphML, Cytoscape, tables, CLD."""
    from argraph.cli import err, settings_from
    from graph.exports import EXPORTS, export
    from graph.store import open_built

    if fmt not in EXPORTS:
        err(f"error: unknown --format {fmt!r}; choose one of: {', '.join(EXPORTS)}")
        raise typer.Exit(2)
    text = export(fmt, open_built(settings_from(dist=dist).dist))
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        err(f"error: cannot write {out}: {exc}")
        raise typer.Exit(2) from None
    err(f"wrote {out} ({EXPORTS[fmt].description})")


def register(app: typer.Typer) -> None:
    """Add `export` to the `argraph` command."""
    from argraph.cli import handle_errors

    app.command(name="export")(handle_errors(export_command))
