"""`argraph`: a thin command line over the library. Exit codes: 0 ok, 1 invalid, 2 error."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError

from api.settings import Settings
from errors import ArgraphError, BadRequest, ValidationFailed

app = typer.Typer(
    name="argraph",
    help="A knowledge graph of causal arguments: build, validate, query and serve it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])

SourceOpt = Annotated[
    Path | None,
    typer.Option("--source", help="the paper's text; default: ../shared/corpus/<paper>/paper.md"),
]
NoSourceOpt = Annotated[
    bool, typer.Option("--no-source", help="build from the stored anchors, without the text")
]
CorpusOpt = Annotated[Path | None, typer.Option("--corpus", help="annotation folder")]
CorporaOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--corpus",
        help="annotation folder; repeat it to build several papers into one dist",
    ),
]
SourcesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--source",
        help="the paper's text (default: ../shared/corpus/<paper>/paper.md); with several "
        "--corpus, repeat it: the texts pair with the folders in order",
    ),
]
DistOpt = Annotated[Path | None, typer.Option("--dist", help="build output folder (default dist)")]
DataOpt = Annotated[Path | None, typer.Option("--data", help="public data folder (optional)")]
BaseOpt = Annotated[str | None, typer.Option("--base-iri", help="base of every minted IRI")]
MaxFileOpt = Annotated[
    int | None,
    typer.Option(
        "--max-input-file-bytes",
        min=1,
        help="largest input file read (annotation, lock, source, data table); default 20 MB "
        "(ARGRAPH_MAX_INPUT_FILE_BYTES)",
    ),
]
MaxTotalOpt = Annotated[
    int | None,
    typer.Option(
        "--max-input-bytes",
        min=1,
        help="most bytes read from all input files together; default 200 MB "
        "(ARGRAPH_MAX_INPUT_BYTES)",
    ),
]


def err(message: str) -> None:
    typer.echo(message, err=True)


def handle_errors(func: F) -> F:
    """One readable line and exit 2 for any argraph error; 1 for an invalid graph."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            err(str(exc))
            raise typer.Exit(1) from None
        except ArgraphError as exc:
            err(f"error: {exc}")
            raise typer.Exit(2) from None
        except (typer.Exit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("ARGRAPH_DEBUG"):
                raise
            err(
                f"internal error ({type(exc).__name__}: {exc}); rerun with ARGRAPH_DEBUG=1 for details"
            )
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def settings_from(
    corpus: Path | list[Path] | None = None,
    source: Path | list[Path] | None = None,
    no_source: bool = False,
    dist: Path | None = None,
    data: Path | None = None,
    base_iri: str | None = None,
    max_file_bytes: int | None = None,
    max_total_bytes: int | None = None,
) -> Settings:
    overrides: dict[str, Any] = {}
    if max_file_bytes is not None:
        overrides["max_input_file_bytes"] = max_file_bytes
    if max_total_bytes is not None:
        overrides["max_input_bytes"] = max_total_bytes
    if isinstance(corpus, list) and len(corpus) == 1:
        corpus = corpus[0]
    if isinstance(source, list) and len(source) == 1 and not isinstance(corpus, list):
        source = source[0]
    if corpus is not None and corpus != []:
        overrides["corpus"] = corpus
    if source is not None and source != []:
        overrides["source"] = source
    if dist is not None:
        overrides["dist"] = dist
    if data is not None:
        overrides["data_dir"] = data
    if base_iri is not None:
        overrides["base_iri"] = base_iri
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:  # a bad ARGRAPH_* environment variable
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BadRequest(
            f"invalid setting {where} (ARGRAPH_{where.upper()}): {first['msg']}"
        ) from None
    if no_source:
        settings = settings.model_copy(update={"source": None, "sources": None})
    return settings


def progress(message: str) -> None:
    err(message)


@app.command()
@handle_errors
def build(
    corpus: CorporaOpt = None,
    source: SourcesOpt = None,
    no_source: NoSourceOpt = False,
    dist: DistOpt = None,
    data: DataOpt = None,
    base_iri: BaseOpt = None,
    no_validate: Annotated[bool, typer.Option("--no-validate")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    max_input_file_bytes: MaxFileOpt = None,
    max_input_bytes: MaxTotalOpt = None,
) -> None:
    """Build the graph from the annotations and write TriG, Turtle, N-Triples, N-Quads, JSON-LD
    (several --corpus: every paper into one dist, its manifest.json listing each)."""
    from graph.build_papers import build_papers

    s = settings_from(
        corpus, source, no_source, dist, data, base_iri, max_input_file_bytes, max_input_bytes
    )
    result = build_papers(
        s.papers(),
        s.dist,
        data_dir=s.data_dir,
        base_iri=s.base_iri,
        validate=not no_validate,
        progress=None if quiet else progress,
        max_input_file_bytes=s.max_input_file_bytes,
        max_input_bytes=s.max_input_bytes,
    )
    for note in result.notes:
        err(f"note: {note}")
    if not quiet:
        typer.echo(json.dumps(result.summary(), indent=2, ensure_ascii=False))


@app.command()
@handle_errors
def anchor(
    corpus: CorpusOpt = None,
    source: SourceOpt = None,
    check: Annotated[
        bool, typer.Option("--check", help="only report whether the lock file is up to date")
    ] = False,
    max_input_file_bytes: MaxFileOpt = None,
    max_input_bytes: MaxTotalOpt = None,
) -> None:
    """Locate every quote in the source and write anchors.lock.yaml (or --check it)."""
    from ingest.anchors import anchor_corpus, read_source, write_lock
    from ingest.corpus import load_corpus

    s = settings_from(
        corpus, source, max_file_bytes=max_input_file_bytes, max_total_bytes=max_input_bytes
    )
    if s.source is None:
        err("error: no source text: pass --source PATH")
        raise typer.Exit(2)
    with _limits(s):
        c = load_corpus(s.corpus)
        result = anchor_corpus(c, read_source(s.source).with_furniture(c.paper.furniture))
    if check:
        if result.stale:
            err(f"anchors.lock.yaml is out of date for {len(result.stale)} quote(s):")
            for key in result.stale[:20]:
                err(f"  {key}")
            raise typer.Exit(1)
        typer.echo(f"anchors.lock.yaml is up to date ({len(result.anchors)} quotes)")
        return
    path = write_lock(c, result)
    typer.echo(f"anchored {len(result.anchors)} quotes; {len(result.stale)} changed; wrote {path}")


@app.command()
@handle_errors
def validate(
    corpus: CorpusOpt = None,
    source: SourceOpt = None,
    no_source: NoSourceOpt = False,
    data: DataOpt = None,
    base_iri: BaseOpt = None,
    only: Annotated[
        Path | None, typer.Option("--only", help="report only the problems of this file's items")
    ] = None,
    max_input_file_bytes: MaxFileOpt = None,
    max_input_bytes: MaxTotalOpt = None,
) -> None:
    """Validate the encoding: SHACL shapes plus the checks beyond SHACL. Exit 0 valid, 1 not."""
    from graph.build import make_dataset, validate_all
    from graph.iris import Minter

    s = settings_from(
        corpus, source, no_source, None, data, base_iri, max_input_file_bytes, max_input_bytes
    )
    with _limits(s):
        c, _anchors, ds, notes = make_dataset(
            s.corpus, source=s.source, data_dir=s.data_dir, base_iri=s.base_iri
        )
        for note in notes:
            err(f"note: {note}")
        report = validate_all(c, ds, s.base_iri, s.source)
    mint = Minter(c.name, s.base_iri)
    if only is not None:
        mine = {
            str(mint.item(item_id))
            for item_id, place in c.places.items()
            if place.file.resolve() == only.resolve()
        }
        report.problems = [p for p in report.problems if p.focus.split("#")[0] in mine]
    typer.echo(report.text())
    if not report.ok:
        raise typer.Exit(1)


@app.command()
@handle_errors
def coverage(
    corpus: CorpusOpt = None,
    source: SourceOpt = None,
    threshold: Annotated[
        float, typer.Option(help="share of a sentence that must be anchored", min=0.1, max=1.0)
    ] = 0.8,
    goal: Annotated[float, typer.Option(help="exit 1 below this share", min=0.0, max=1.0)] = 0.95,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    max_input_file_bytes: MaxFileOpt = None,
    max_input_bytes: MaxTotalOpt = None,
) -> None:
    """Report the share of the body's sentences anchored by the annotations, by section, and how
    every causal cue word was taken (exit 1 below the goal or with a cue word not judged)."""
    from ingest.anchors import anchor_corpus, read_source
    from ingest.corpus import load_corpus
    from ingest.coverage import measure_coverage

    s = settings_from(
        corpus, source, max_file_bytes=max_input_file_bytes, max_total_bytes=max_input_bytes
    )
    if s.source is None:
        err("error: coverage needs the source text: pass --source PATH")
        raise typer.Exit(2)
    with _limits(s):
        c = load_corpus(s.corpus)
        src = read_source(s.source).with_furniture(c.paper.furniture)
    report = measure_coverage(c, src, anchor_corpus(c, src).anchors, threshold)
    if fmt == "json":
        data = {
            "share": report.share,
            "threshold": threshold,
            "sections": [vars(sc) for sc in report.by_section()],
            "non_argumentative": [x.text for x in report.non_argumentative()],
            "uncovered": [{"text": x.text, "covered": x.covered} for x in report.uncovered()],
            "cues": [{**asdict(c), "links": list(c.links)} for c in report.cues],
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        typer.echo(report.text())
    if report.share < goal or report.unjudged_cues():
        raise typer.Exit(1)


@app.command()
@handle_errors
def query(
    sparql: Annotated[str | None, typer.Argument(help="the query; or use --file")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="read the query from a file")
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", help="table, json, csv, tsv, xml (SELECT/ASK); turtle, ntriples"),
    ] = "table",
    dist: DistOpt = None,
) -> None:
    """Run a SPARQL query on the built graph (embedded store)."""
    from graph.namespaces import sparql_prologue
    from graph.results import GraphResult
    from graph.store import open_built

    if (sparql is None) == (file is None):
        err("error: give a query or --file, not both")
        raise typer.Exit(2)
    text = sparql if sparql is not None else _read_query(file)
    if "prefix" not in text.lower():
        text = sparql_prologue() + text
    store = open_built(settings_from(dist=dist).dist)
    result = store.query(text)
    if isinstance(result, GraphResult):
        if fmt in ("turtle", "table"):
            from rdflib import Graph

            from graph.namespaces import PREFIXES

            g = Graph()
            for p, iri in PREFIXES.items():
                g.bind(p, iri)
            g.parse(data=result.ntriples, format="nt")
            typer.echo(g.serialize(format="turtle"))
        elif fmt == "ntriples":
            typer.echo(result.ntriples, nl=False)
        else:
            err(f"error: --format {fmt} is not for CONSTRUCT/DESCRIBE (use turtle or ntriples)")
            raise typer.Exit(2)
        return
    writers = {
        "table": result.to_table,
        "json": result.to_json,
        "csv": result.to_csv,
        "tsv": result.to_tsv,
        "xml": result.to_xml,
    }
    if fmt not in writers:
        err(f"error: --format {fmt} is not for SELECT/ASK (use table, json, csv, tsv or xml)")
        raise typer.Exit(2)
    sys.stdout.write(writers[fmt]() + ("" if fmt in ("csv", "tsv", "xml") else "\n"))


def _read_query(file: Path | None) -> str:
    """The query file: a regular file under the per-file input cap (never a FIFO or device)."""
    from ingest.safe_read import read_input

    assert file is not None
    try:
        return read_input(file, what="query file").decode("utf-8")
    except FileNotFoundError:
        err(f"error: query file not found: {file}")
        raise typer.Exit(2) from None
    except OSError as exc:
        err(f"error: cannot read the query file {file}: {exc.strerror}")
        raise typer.Exit(2) from None
    except UnicodeDecodeError:
        err(f"error: query file is not UTF-8: {file}")
        raise typer.Exit(2) from None


def _limits(s: Settings) -> AbstractContextManager[object]:
    """The input caps of one command's reads (every input file, and all of them together)."""
    from ingest.safe_read import input_limits

    return input_limits(s.max_input_file_bytes, s.max_input_bytes)


def _register_commands() -> None:
    from argraph.cli_analysis import register as register_analysis
    from argraph.cli_bench import register as register_bench
    from argraph.cli_draft import register as register_draft
    from argraph.cli_export import register as register_export
    from argraph.cli_new_paper import register as register_new_paper
    from argraph.cli_selftest import register as register_selftest
    from argraph.cli_serve import register as register_serve

    register_serve(app)
    register_analysis(app)
    register_export(app)
    register_selftest(app)
    register_bench(app)
    register_draft(app)
    register_new_paper(app)


_register_commands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
