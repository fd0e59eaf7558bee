"""Several papers built into one output folder (`argraph build --corpus A --corpus B`): one
dataset holding every paper's named graphs, and a manifest that lists each paper (its folder,
its text, their digests). Each paper is anchored and validated on its own, as `build` does; an
alignment of one paper to another built with it is checked against that paper's annotations."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import Dataset

from errors import BuildError, ValidationFailed
from graph.alignments import check_alignment_targets
from graph.build import (
    BuildResult,
    Progress,
    build,
    make_dataset,
    paper_entry,
    validate_all,
    write_build,
)
from ingest.corpus import Corpus, load_corpus
from ingest.safe_read import input_limits
from ingest.sanity import raise_degenerate


def build_papers(
    papers: Sequence[tuple[Path, Path | None]],
    out_dir: Path,
    *,
    data_dir: Path | None,
    base_iri: str,
    validate: bool = True,
    progress: Progress | None = None,
    max_input_file_bytes: int | None = None,
    max_input_bytes: int | None = None,
) -> BuildResult:
    """Build several papers (annotation folder, text or None) into one `out_dir`: one dataset
    holding every paper's named graphs, and a manifest listing each paper. An alignment of one
    paper to another built with it is checked against that paper's annotations. One paper:
    `build`, exactly."""
    if len(papers) == 1:
        ((corpus_dir, source),) = papers
        return build(
            corpus_dir,
            out_dir,
            source=source,
            data_dir=data_dir,
            base_iri=base_iri,
            validate=validate,
            progress=progress,
            max_input_file_bytes=max_input_file_bytes,
            max_input_bytes=max_input_bytes,
        )
    if not papers:
        raise BuildError("no paper to build")
    say = progress or (lambda _msg: None)
    parts: list[BuildResult] = []
    with input_limits(max_input_file_bytes, max_input_bytes):
        corpora: dict[str, Corpus] = {}
        for corpus_dir, _source in papers:
            say(f"loading annotations from {corpus_dir}")
            corpus = load_corpus(corpus_dir)
            if corpus.name in corpora:
                raise BuildError(
                    f"two papers named {corpus.name!r} ({corpora[corpus.name].folder} and "
                    f"{corpus_dir}): a paper's folder name is its IRI segment"
                )
            corpora[corpus.name] = corpus
        for (corpus_dir, source), corpus in zip(papers, corpora.values(), strict=True):
            raise_degenerate(corpus)
            check_alignment_targets(corpus, corpora)
            say(f"paper {corpus.name}")
            _c, anchors, ds, notes = make_dataset(
                corpus_dir,
                source=source,
                data_dir=data_dir,
                base_iri=base_iri,
                progress=progress,
                corpus=corpus,
            )
            report = None
            if validate:
                say("validating (SHACL and extra checks)")
                report = validate_all(corpus, ds, base_iri, source)
                if not report.ok:
                    raise ValidationFailed(
                        f"paper {corpus.name}:\n{report.text()}", problems=len(report.problems)
                    )
            parts.append(BuildResult(corpus, ds, anchors, report, notes=notes))
    say(f"writing dumps to {out_dir}")
    merged = Dataset()
    for part in parts:
        for prefix, ns in part.dataset.namespaces():
            merged.bind(prefix, ns, override=False)
        for s, p, o, ctx in part.dataset.quads((None, None, None, None)):
            gid = getattr(ctx, "identifier", ctx)
            merged.graph(gid).add((s, p, o))
    first = parts[0]
    manifest: dict[str, object] = {
        "base_iri": base_iri,
        "anchors_verified": all(p.anchors.verified for p in parts),
        "papers": [
            paper_entry(corpus_dir, source, part.anchors)
            for (corpus_dir, source), part in zip(papers, parts, strict=True)
        ],
    }
    notes = [f"{p.corpus.name}: {note}" for p in parts for note in p.notes]
    result = BuildResult(
        first.corpus, merged, first.anchors, first.report, notes=notes, papers=parts
    )
    return write_build(out_dir, merged, manifest, result)
