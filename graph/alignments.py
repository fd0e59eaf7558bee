"""A paper's alignments and stances (`alignments.yaml`, ingest/alignments.py) as RDF.

In the paper's `assertions` graph:
- each alignment is the SKOS mapping triple itself, `own-factor skos:exactMatch other-factor`
  (closeMatch, broadMatch, narrowMatch), and a reified `arg:Alignment` node, a fragment of the
  own factor (`<factor>#match-1`), that carries the relation, its quote (anchored like every
  quote) and note;
- each stance is an `arg:Stance` node (`<paper>/<stance id>`) with `arg:toward` the explanation,
  `arg:stanceKind` (arg:Posits, arg:Accepts, arg:Qualifies, arg:Rejects), its anchored quote,
  and the CiTO triple it amounts to, `<document> cito:supports|agreesWith|qualifies|disagreesWith
  <explanation>`, so that a reader who knows CiTO finds it.

Before building, every target is checked against the other papers' annotations (found by
`ingest.alignments.paper_folder`): a target that is not there stops the build with the file,
line and field of the entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from errors import AnnotationError
from graph._writer import BuildInputs, RdfWriter
from graph.iris import Minter
from graph.namespaces import ARG, CITO
from ingest.alignments import Match, StanceKind, paper_folder, split_target
from ingest.corpus import Corpus, load_corpus

MATCH_PREDICATE = {
    Match.exact: SKOS.exactMatch,
    Match.close: SKOS.closeMatch,
    Match.broader: SKOS.broadMatch,
    Match.narrower: SKOS.narrowMatch,
}
STANCE_KIND = {
    StanceKind.posits: ARG.Posits,
    StanceKind.accepts: ARG.Accepts,
    StanceKind.qualifies: ARG.Qualifies,
    StanceKind.rejects: ARG.Rejects,
}
STANCE_CITO = {
    StanceKind.posits: CITO.supports,
    StanceKind.accepts: CITO.agreesWith,
    StanceKind.qualifies: CITO.qualifies,
    StanceKind.rejects: CITO.disagreesWith,
}


def check_alignment_targets(corpus: Corpus, beside: Mapping[str, Corpus] | None = None) -> None:
    """Every alignment and stance target of the corpus exists in its paper, with the right type.

    A paper in `beside` (built together with this one) is taken as it is; the others are read
    from their folders (their annotations only: neither their sources nor their anchors), once
    each."""
    if corpus.alignments is None:
        return
    cache: dict[str, Mapping[str, object] | None] = {}

    def items_of(paper: str) -> Mapping[str, object] | None:
        if beside is not None and paper in beside and paper != corpus.name:
            return beside[paper].items  # a paper built together with this one
        if paper not in cache:
            folder = paper_folder(corpus.folder, paper)
            cache[paper] = None if folder is None else _items(folder, corpus)
        return cache[paper]

    corpus.alignments.check_targets(items_of)


def _items(folder: Path, corpus: Corpus) -> Mapping[str, object]:
    assert corpus.alignments is not None
    try:
        return load_corpus(folder).items
    except AnnotationError as exc:
        raise AnnotationError(
            f"the paper {folder.name!r} this paper aligns to does not load: {exc}",
            file=corpus.alignments.path,
        ) from None


class _Writer(RdfWriter):
    """Writes into the named graphs of a dataset already built for the same paper."""

    def __init__(self, inputs: BuildInputs, ds: Dataset) -> None:
        super().__init__(inputs)
        self.ds = ds
        self.a = ds.graph(self.mint.graph("assertions"))
        self.p = ds.graph(self.mint.graph("provenance"))
        self.b = ds.graph(self.mint.graph("bibliography"))

    def other(self, target: str) -> URIRef:
        paper, item = split_target(target)
        return Minter(paper, self.mint.base).item(item)

    def run(self) -> None:
        al = self.corpus.alignments
        if al is None:
            return
        a, doc = self.a, self.mint.document
        for entry, frag in zip(al.alignments, al.fragments(), strict=True):
            own = self.iri(entry.factor)
            other = self.other(entry.target)
            predicate = MATCH_PREDICATE[entry.match]
            a.add((own, predicate, other))
            node = self.mint.fragment(own, frag)
            a.add((node, RDF.type, ARG.Alignment))
            a.add((node, RDF.subject, own))
            a.add((node, RDF.predicate, predicate))
            a.add((node, RDF.object, other))
            a.add((node, DCTERMS.isPartOf, doc))
            if entry.quote is not None:
                self.quote(f"{entry.factor}.quote-{frag}", node, entry.quote)
            if entry.note:
                a.add((node, ARG.note, Literal(entry.note, lang="en")))
        for stance in al.stances:
            node = self.iri(stance.id)
            explanation = self.other(stance.explanation)
            a.add((node, RDF.type, ARG.Stance))
            a.add((node, ARG.toward, explanation))
            a.add((node, ARG.stanceKind, STANCE_KIND[stance.stance]))
            a.add((node, DCTERMS.isPartOf, doc))
            a.add((doc, STANCE_CITO[stance.stance], explanation))
            self.quote(stance.id, node, stance.quote)
            if stance.note:
                a.add((node, ARG.note, Literal(stance.note, lang="en")))


def add_alignments(ds: Dataset, inputs: BuildInputs) -> None:
    """Add the paper's alignments and stances (if it has any) to its built dataset."""
    _Writer(inputs, ds).run()
