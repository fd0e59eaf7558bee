"""`argraph new-paper NAME [--root corpus] [--source PATH]`; `register(app)` adds it.

A thin command over `ingest.scaffold.scaffold_paper`: creates `corpus/NAME/` with a commented
paper.yaml and an empty section file that load as they are. Exit codes: 0 ok, 2 error (a bad
name, an existing folder, an unreadable source).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

NameArg = Annotated[
    str, typer.Argument(help="the paper's folder name and IRI segment, e.g. wang-2022")
]
RootOpt = Annotated[
    Path, typer.Option("--root", help="the folder that holds the corpus folders (default corpus)")
]
SourceOpt = Annotated[
    Path | None,
    typer.Option(
        "--source",
        help="the paper's text: take the title, abstracts and section headings from it",
    ),
]


def new_paper_command(
    name: NameArg, root: RootOpt = Path("corpus"), source: SourceOpt = None
) -> None:
    """Start a new paper's annotation folder: paper.yaml (commented) and an empty section file."""
    from argraph.cli import err
    from ingest.scaffold import scaffold_paper

    made = scaffold_paper(name, root, source)
    for path in made.files:
        typer.echo(f"wrote {path}")
    err(
        f"{made.todo} value(s) marked TODO to fill in; then add items and run "
        f"`argraph anchor --corpus {made.folder} --source PATH` (docs/guides/second-paper.md)"
    )


def register(app: typer.Typer) -> None:
    """Add `new-paper` to the `argraph` command."""
    from argraph.cli import handle_errors

    app.command(name="new-paper")(handle_errors(new_paper_command))
