"""The build pipeline: load, anchor, build, validate, dump. Atomic: a failed build leaves the
previous output folder exactly as it was."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from errors import BuildError, ValidationFailed
from graph.alignments import add_alignments, check_alignment_targets
from graph.builder import BuildInputs, build_dataset
from graph.data import build_data_graphs
from graph.dumps import named_graphs, serialise_all
from graph.iris import Minter
from graph.validate import Report, validate_dataset
from ingest.anchoring import SourceText
from ingest.anchors import AnchorResult, anchor_corpus, read_source
from ingest.corpus import Corpus, load_corpus
from ingest.safe_read import InputRefused, input_limits
from ingest.sanity import raise_degenerate
from ingest.wikidata import read_wikidata_ids
from ingest.yaml_loader import control_character

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    corpus: Corpus
    dataset: Dataset
    anchors: AnchorResult
    report: Report | None
    files: dict[str, str] = field(default_factory=dict)
    """file name -> sha256 of what was written"""
    notes: list[str] = field(default_factory=list)
    papers: list[BuildResult] = field(default_factory=list)
    """a build of several papers: each one's own result (its dataset is its own part)"""

    def summary(self) -> dict[str, object]:
        from graph.stats import graph_stats

        mine = {
            "anchors_verified": self.anchors.verified,
            "valid": None if self.report is None else self.report.ok,
        }
        if not self.papers:
            return graph_stats(self.dataset) | mine
        return graph_stats(self.dataset) | {
            "anchors_verified": all(p.anchors.verified for p in self.papers),
            "valid": None
            if self.report is None
            else all(p.report.ok for p in self.papers if p.report),
            "papers": [
                {"paper": p.corpus.name, "anchors_verified": p.anchors.verified}
                for p in self.papers
            ],
        }


def load_checked(corpus_dir: Path) -> Corpus:
    """The corpus, loaded and checked, degenerate relations (self-support, ...) refused."""
    corpus = load_corpus(corpus_dir)
    raise_degenerate(corpus)
    check_alignment_targets(corpus)
    return corpus


def make_dataset(
    corpus_dir: Path,
    *,
    source: Path | None,
    data_dir: Path | None,
    base_iri: str,
    progress: Progress | None = None,
    corpus: Corpus | None = None,
) -> tuple[Corpus, AnchorResult, Dataset, list[str]]:
    """Everything but validation and writing: a pure function of the inputs.

    Every file is read under the input caps of the active `input_limits` (the settings'
    defaults when none is open). `corpus`: the folder's annotations, already loaded and
    checked (a build of several papers loads them all first)."""
    with input_limits():
        return _make_dataset(
            corpus_dir,
            source=source,
            data_dir=data_dir,
            base_iri=base_iri,
            progress=progress,
            corpus=corpus,
        )


def _make_dataset(
    corpus_dir: Path,
    *,
    source: Path | None,
    data_dir: Path | None,
    base_iri: str,
    progress: Progress | None = None,
    corpus: Corpus | None = None,
) -> tuple[Corpus, AnchorResult, Dataset, list[str]]:
    say = progress or (lambda _msg: None)
    notes: list[str] = []
    if data_dir is not None and data_dir.exists() and not data_dir.is_dir():
        raise InputRefused("the public data folder (--data) is not a folder", file=data_dir)
    if corpus is None:
        say(f"loading annotations from {corpus_dir}")
        corpus = load_checked(corpus_dir)
    say(f"  {len(corpus.items)} items")
    src = read_source(source).with_furniture(corpus.paper.furniture) if source else None
    if src is None:
        notes.append("no source text given: anchors taken from anchors.lock.yaml, not re-verified")
    say("anchoring quotes" + ("" if src else " (from the lock file)"))
    anchors = anchor_corpus(corpus, src)
    if src is not None and source is not None:
        _refuse_control_characters(corpus, anchors, src, source)
    if anchors.stale:
        notes.append(
            f"anchors.lock.yaml is out of date for {len(anchors.stale)} quote(s) "
            f"(e.g. {anchors.stale[0]}): run `argraph anchor` to refresh it"
        )
    wikidata_ids = read_wikidata_ids(data_dir) if data_dir is not None else {}
    if not wikidata_ids:
        notes.append("no Wikidata table found: provinces carry ISO codes but no Wikidata ids")
    say("building the RDF dataset")
    inputs = BuildInputs(
        corpus=corpus,
        anchors=anchors.anchors,
        anchors_verified=anchors.verified,
        source_sha256=anchors.source_sha256,
        base=base_iri,
        wikidata_ids=wikidata_ids,
    )
    ds = build_dataset(inputs)
    add_alignments(ds, inputs)
    say("linking public data (observations, claim checks)")
    data = build_data_graphs(ds, corpus, Minter(corpus.name, base_iri), data_dir)
    notes.extend(data.notes)
    return corpus, anchors, ds, notes


def build(
    corpus_dir: Path,
    out_dir: Path,
    *,
    source: Path | None,
    data_dir: Path | None,
    base_iri: str,
    validate: bool = True,
    progress: Progress | None = None,
    max_input_file_bytes: int | None = None,
    max_input_bytes: int | None = None,
) -> BuildResult:
    """Build and write `out_dir`. The inputs are read under the caps given (default: the
    settings' defaults, or those of an `input_limits` already open)."""
    say = progress or (lambda _msg: None)
    with input_limits(max_input_file_bytes, max_input_bytes):
        corpus, anchors, ds, notes = make_dataset(
            corpus_dir, source=source, data_dir=data_dir, base_iri=base_iri, progress=progress
        )
        report = None
        if validate:
            say("validating (SHACL and extra checks)")
            report = validate_all(corpus, ds, base_iri, source)
    if report is not None and not report.ok:
        raise ValidationFailed(report.text(), problems=len(report.problems))
    say(f"writing dumps to {out_dir}")
    manifest = {
        "paper": corpus.name,
        "base_iri": base_iri,
        "anchors_verified": anchors.verified,
        "source_sha256": anchors.source_sha256,
        "papers": [paper_entry(corpus_dir, source, anchors)],
    }
    result = BuildResult(corpus, ds, anchors, report, notes=notes)
    return write_build(out_dir, ds, manifest, result)


def write_build(
    out_dir: Path, ds: Dataset, manifest: dict[str, object], result: BuildResult
) -> BuildResult:
    contents = serialise_all(ds)
    from graph.ontology_docs import render_from_nquads

    contents["ontology.html"] = render_from_nquads(contents["graph.nq"])
    manifest = manifest | {
        "graphs": {str(g.identifier): len(g) for g in named_graphs(ds)},
        "files": {name: _sha(text) for name, text in sorted(contents.items())},
    }
    contents["manifest.json"] = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    write_atomically(out_dir, contents)
    result.files = {name: _sha(text) for name, text in contents.items()}
    return result


def paper_entry(corpus_dir: Path, source: Path | None, anchors: AnchorResult) -> dict[str, object]:
    """A paper's line in the manifest: its folder, its text and their digests (the folder's is
    over every file's relative path and bytes, in path order)."""
    folder = Path(corpus_dir).resolve()
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return {
        "paper": folder.name,
        "corpus": str(folder),
        "corpus_sha256": h.hexdigest(),
        "source": None if source is None else str(Path(source).resolve()),
        "source_sha256": anchors.source_sha256,
        "anchors_verified": anchors.verified,
    }


def _refuse_control_characters(
    corpus: Corpus, anchors: AnchorResult, src: SourceText, source: Path
) -> None:
    """The anchored spans of the source, and the context stored with them, go into the graph:
    a control character there (a NUL, an ESC, a form feed) would make the XML outputs
    ill-formed. The annotations' own strings are checked by the YAML loader."""
    specs = {spec.key: spec for spec in corpus.quotes()}
    for key, anchor in anchors.anchors.items():
        for part in ("exact", "prefix", "suffix"):
            bad = control_character(getattr(anchor, part))
            if bad is None:
                continue
            spec = specs.get(key)
            raise InputRefused(
                f"control character {bad} in the {part} of the span this quote is anchored to "
                "(or in its context): refused",
                file=source,
                line=src.text.count("\n", 0, anchor.start) + 1,
                item=spec.item if spec else key,
                field="quote",
            )


def validate_all(corpus: Corpus, ds: Dataset, base_iri: str, source: Path | None) -> Report:
    """SHACL and the graph checks, plus (with the source) the check of the Chinese labels."""
    prefix = str(Minter(corpus.name, base_iri).item("x"))[:-1]
    report = validate_dataset(ds, prefix)
    if source is not None:
        from ingest.labels import label_problems

        src = read_source(source).with_furniture(corpus.paper.furniture)
        report.problems.extend(label_problems(corpus, src, prefix))
    return report


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_atomically(out_dir: Path, contents: dict[str, str]) -> None:
    """Write every file into a fresh folder, then swap it in place of `out_dir`."""
    out_dir = Path(out_dir)
    parent = out_dir.parent
    old = parent / f".{out_dir.name}.old"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        if not out_dir.exists() and old.exists():
            old.rename(out_dir)  # a crash between the two renames below: restore the old output
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=parent))
    except OSError as exc:
        raise BuildError(f"cannot write the build output to {out_dir}: {exc}") from None
    try:
        for name, text in contents.items():
            with (tmp / name).open("w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        if old.exists():
            shutil.rmtree(old)
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError(f"cannot write the build output to {out_dir}: {exc}") from None
    shutil.rmtree(old, ignore_errors=True)
