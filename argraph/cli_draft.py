"""`argraph draft`: draft a new paper's annotations, score a draft, promote reviewed items.

    argraph draft --source TEXT --out DIR [--name NAME] [--entities PATH]...
    argraph draft --compare DIR [--against CORPUS] [--sections 一,二]... [--source TEXT]
    argraph draft --accept ID [--accept ID]... --out DIR --into CORPUS

Exit codes: 0 ok, 2 error (one line naming the file). `register(app)` adds the command.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

SourceOpt = Annotated[
    Path | None, typer.Option("--source", help="the paper's text (Markdown or plain)")
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="folder whose draft/ subfolder holds the draft")
]
NameOpt = Annotated[str, typer.Option("--name", help="the paper's id (its corpus folder name)")]
EntitiesOpt = Annotated[
    list[Path] | None,
    typer.Option("--entities", help="entity table(s) to match: a YAML file or a corpus folder"),
]
CompareOpt = Annotated[
    Path | None, typer.Option("--compare", help="score the draft in this folder")
]
AgainstOpt = Annotated[
    Path | None,
    typer.Option(
        "--against", help="hand encoding to score against (default: --corpus of the settings)"
    ),
]
SectionsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--sections", help="score only these sections, e.g. 一,二 (repeat for several reports)"
    ),
]
AcceptOpt = Annotated[
    list[str] | None, typer.Option("--accept", help="id of a draft item to promote")
]
IntoOpt = Annotated[Path | None, typer.Option("--into", help="corpus folder to promote into")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print the comparison as JSON")]
MissesOpt = Annotated[int, typer.Option("--misses", help="misses and false alarms listed per kind")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q")]
MinConfidenceOpt = Annotated[
    float,
    typer.Option("--min-confidence", help="leave out causal link candidates below this (0-1)"),
]
MaxCharsOpt = Annotated[
    int, typer.Option("--max-chars", help="refuse a longer text (drafting cost grows with length²)")
]


def draft_command(
    source: SourceOpt = None,
    out: OutOpt = None,
    name: NameOpt = "new-paper",
    entities: EntitiesOpt = None,
    compare: CompareOpt = None,
    against: AgainstOpt = None,
    sections: SectionsOpt = None,
    accept: AcceptOpt = None,
    into: IntoOpt = None,
    as_json: JsonOpt = False,
    misses: MissesOpt = 10,
    quiet: QuietOpt = False,
    max_chars: MaxCharsOpt = 500_000,
    min_confidence: MinConfidenceOpt = 0.0,
) -> None:
    """Draft a paper's annotations for review (--source, --out), score a draft against a hand
    encoding (--compare), or promote reviewed draft items into a corpus (--accept, --into)."""
    from argraph.cli import err

    if accept:
        if out is None or into is None:
            err("error: --accept needs --out DIR (the draft) and --into CORPUS")
            raise typer.Exit(2)
        _accept(accept, out, into, quiet)
    elif compare is not None:
        _compare(compare, against, sections or [], source, as_json, misses)
    else:
        if source is None or out is None:
            err("error: give --source TEXT and --out DIR (or --compare DIR, or --accept ID)")
            raise typer.Exit(2)
        _draft(source, out, name, entities or [], quiet, max_chars, min_confidence)


def _draft(
    source: Path,
    out: Path,
    name: str,
    entities: list[Path],
    quiet: bool,
    max_chars: int,
    min_confidence: float,
) -> None:
    from api.settings import Settings
    from argraph.cli import err
    from ingest.draft.entities import table_entities
    from ingest.draft.pipeline import draft_text
    from ingest.draft.text import read_text
    from ingest.draft.writer import write_draft

    text = read_text(source, Settings().max_input_file_bytes)

    def progress(done: int, total: int) -> None:
        if total >= 1000 and not quiet:
            err(f"drafting: {done}/{total} sentences")

    result = draft_text(
        text,
        name=name,
        path=str(source),
        table=table_entities(entities),
        progress=progress,
        max_chars=max_chars,
        min_confidence=min_confidence,
    )
    try:
        files = write_draft(result, out)
    except OSError as exc:
        err(f"error: cannot write the draft into {out}: {exc.strerror}")
        raise typer.Exit(2) from None
    if quiet:
        return
    counts: dict[str, int] = {}
    for item in result.items:
        counts[item.type] = counts.get(item.type, 0) + 1
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    err(
        f"drafted {len(result.document.sentences)} sentences in {len(result.document.sections)} "
        f"sections: {summary}; {len(result.citations)} citation markers; "
        f"{len(files)} files in {Path(out) / 'draft'} ({result.seconds:.1f} s)"
    )
    if result.unquoted:
        err(
            f"note: {len(result.unquoted)} findings had no unique quote (listed in sentences.draft.yaml)"
        )


def _compare(
    folder: Path,
    against: Path | None,
    sections: list[str],
    source: Path | None,
    as_json: bool,
    misses: int,
) -> None:
    from api.settings import Settings
    from argraph.cli import err
    from errors import SourceError
    from ingest.anchoring import SourceText
    from ingest.draft.compare import compare, markdown
    from ingest.draft.text import parse, read_text
    from ingest.safe_read import read_input_text
    from ingest.yaml_loader import parse_yaml

    record_path = folder / "draft" / "sentences.draft.yaml"
    if not record_path.exists():
        err(
            f"error: {record_path}: no draft here (run `argraph draft --source TEXT --out {folder}`)"
        )
        raise typer.Exit(2)
    record = parse_yaml(read_input_text(record_path, what="draft record")) or {}
    settings = Settings()
    src_path = source or Path(str(record.get("source", "")))
    text = read_text(src_path, settings.max_input_file_bytes)
    src = SourceText(text)
    if record.get("source_sha256") and record["source_sha256"] != src.sha256:
        raise SourceError(
            f"{src_path}: not the text the draft in {folder} was made from (sha256 differs)",
            file=str(src_path),
        )
    doc = parse(text, str(src_path))
    hand = against or settings.corpus
    groups = [
        [x.strip() for x in g.replace("，", ",").split(",") if x.strip()] for g in sections
    ] or [[]]
    results = [compare(doc, src, folder, hand, g or None) for g in groups]
    if as_json:
        sys.stdout.write(
            json.dumps([r.model_dump() for r in results], ensure_ascii=False, indent=2) + "\n"
        )
        return
    for group, r in zip(groups, results, strict=True):
        title = f"sections {'+'.join(group)}" if group else "whole paper"
        sys.stdout.write(markdown(r, f"{folder} against {hand}: {title}", misses) + "\n")


def _accept(ids: list[str], out: Path, into: Path, quiet: bool) -> None:
    from argraph.cli import err
    from ingest.draft.accept import accept

    done = accept(ids, out, into)
    if not quiet:
        for a in done:
            err(f"accepted {a.id} -> {a.file}")


def register(app: typer.Typer) -> None:
    """Add `draft` to the `argraph` command."""
    from argraph.cli import handle_errors

    app.command(name="draft")(handle_errors(draft_command))
