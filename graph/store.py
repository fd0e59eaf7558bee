"""Stores behind one interface: the embedded store (pyoxigraph, the default), rdflib in memory
(`graph/stores/rdflib_store.py`) and any remote SPARQL 1.1 server (`graph/stores/remote.py`).

Named graphs hold everything; when a query names no dataset, its default graph is the union of
the named graphs, so queries without GRAPH see the whole paper. A dataset given explicitly
(`default_graphs` / `named_graphs`, from the protocol or from a guarded FROM clause) replaces
that union; graphs not in the store are simply empty, never fetched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyoxigraph as ox

from errors import BadRequest, ResultTooLarge, StoreError
from graph.results import (
    AskResult,
    GraphResult,
    NotRepresentable,
    QueryResult,
    SelectResult,
    Term,
)


@runtime_checkable
class Store(Protocol):
    """What the service needs from a store."""

    kind: str

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_rows: int | None = None,
    ) -> QueryResult: ...

    def graph_names(self) -> list[str]: ...

    def load_nquads(self, path: Path) -> None: ...

    def dump_nquads(self, path: Path) -> None: ...

    def __len__(self) -> int: ...


def to_term(term: object) -> Term:
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        return Term("literal", term.value, term.language, term.datatype.value)
    if isinstance(term, ox.Triple):
        raise NotRepresentable(
            f"the result holds a triple term ({term}), which this answer cannot carry: "
            "ask the SPARQL endpoint for JSON, XML or TSV results (or Turtle, N-Triples)"
        )
    raise StoreError(f"unsupported term in a result: {type(term).__name__}")


def too_many(max_rows: int) -> ResultTooLarge:
    return ResultTooLarge(
        f"the result has more than {max_rows} rows: add a LIMIT (and OFFSET to page)",
        max_rows=max_rows,
    )


class OxigraphStore:
    """pyoxigraph, in memory (path=None) or on disk."""

    kind = "oxigraph"

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self.generation: Path | None = None
        """on disk: the folder of the live generation, `path/live` -> `path/gen-...`"""
        try:
            if path is None:
                self.store = ox.Store()
            else:
                self.generation = _live(Path(path), create=not read_only)
                if read_only:
                    self.store = ox.Store.read_only(str(self.generation))
                else:
                    self.store = ox.Store(str(self.generation))
                    _collect(Path(path), keep=self.generation)
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}") from None
        if path is not None:
            self.kind = "oxigraph-disk"

    def load_nquads(self, path: Path) -> None:
        """Replace the store's content with the dataset in an N-Quads file.

        On disk this is atomic: the dataset is loaded into a new generation folder, flushed, and
        only then does the `live` link switch to it (a rename), so a process killed at any
        moment leaves either the old graph or the new one, never a mix."""
        if self.path is None:
            # a fresh store, not a cleared one: a cleared in-memory store keeps its history and
            # answers in another order than a new store loaded from the same file (the query
            # workers' copies), so pages (LIMIT/OFFSET without ORDER BY) would not agree
            fresh = ox.Store()
            fresh.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
            self.store = fresh
            return
        root = Path(self.path)
        new = Path(tempfile.mkdtemp(prefix="gen-", dir=root))
        try:
            fresh = ox.Store(str(new))
            fresh.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
            fresh.optimize()
            fresh.flush()
        except (OSError, SyntaxError, ValueError) as exc:
            shutil.rmtree(new, ignore_errors=True)
            raise StoreError(f"cannot load {path} into the store at {root}: {exc}") from None
        _point(root, new)
        old, self.store, self.generation = self.generation, fresh, new
        if old is not None and old != new:
            shutil.rmtree(old, ignore_errors=True)

    def load_own_nquads(self, data: bytes) -> None:
        """Replace the content of this in-memory store with N-Quads that argraph wrote itself: a
        build's dump whose bytes are those its manifest records (`own_dump`), or a snapshot this
        service wrote into its own folder. They are parsed without checking each IRI and
        language tag again (pyoxigraph's lenient mode), which the build or the store that wrote
        them did: about a third less CPU than `load_nquads` (0.13 against 0.20 s for the paper).
        Never for a file of another origin: `load_nquads` checks everything."""
        if self.path is not None:
            raise StoreError("only an in-memory store loads argraph's own dumps leniently")
        fresh = ox.Store()  # a fresh store, as load_nquads explains
        fresh.bulk_load(input=data, format=ox.RdfFormat.N_QUADS, lenient=True)
        self.store = fresh

    def load_graph(self, path: Path, graph: str, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> None:
        """Add an RDF file's triples to one named graph (tests preload data this way)."""
        self.store.load(path=str(path), format=fmt, to_graph=ox.NamedNode(graph))

    def dump_nquads(self, path: Path) -> None:
        self.store.dump(output=str(path), format=ox.RdfFormat.N_QUADS)

    def __len__(self) -> int:
        return len(self.store)

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        result = self.evaluate(sparql, default_graphs, named_graphs)
        try:
            return convert(result, max_rows)
        except Exception as exc:
            # The traceback holds pyoxigraph's result objects, which may only be dropped in the
            # thread that made them: re-raised without it, they go with this frame, here.
            raise exc.with_traceback(None) from None
        finally:
            del result

    def evaluate(
        self,
        sparql: str,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """pyoxigraph's own (lazy) answer: solutions, a boolean or triples."""
        try:
            if default_graphs is None and named_graphs is None:
                return self.store.query(sparql, use_default_graph_as_union=True)
            return self.store.query(
                sparql,
                default_graph=[ox.NamedNode(g) for g in default_graphs or []],
                named_graphs=[ox.NamedNode(g) for g in named_graphs or []],
            )
        except SyntaxError as exc:
            raise BadRequest(f"SPARQL syntax error: {exc}") from None
        except ValueError as exc:
            raise BadRequest(f"invalid dataset: {exc}") from None


LIVE = "live"


def _live(root: Path, *, create: bool) -> Path:
    """The live generation of an on-disk store (made, empty, when there is none yet)."""
    link = root / LIVE
    if link.is_symlink():
        return root / os.readlink(link)
    if not create:
        raise OSError(f"no store here ({link} is missing)")
    root.mkdir(parents=True, exist_ok=True)
    gen = Path(tempfile.mkdtemp(prefix="gen-", dir=root))
    _point(root, gen)
    return gen


def _point(root: Path, gen: Path) -> None:
    """Switch `root/live` to `gen` atomically (a new link renamed over the old one)."""
    tmp = root / f".{LIVE}-{uuid.uuid4().hex}"
    os.symlink(gen.name, tmp)
    os.replace(tmp, root / LIVE)
    fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _collect(root: Path, keep: Path) -> None:
    """Remove what a killed load left behind: generations that are not live, stray links."""
    for p in root.iterdir():
        if p.name.startswith("gen-") and p.name != keep.name:
            shutil.rmtree(p, ignore_errors=True)
        elif p.name.startswith(f".{LIVE}-"):
            p.unlink(missing_ok=True)


def convert(result: object, max_rows: int | None = None) -> QueryResult:
    if isinstance(result, ox.QueryBoolean):
        return AskResult(bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows: list[dict[str, Term]] = []
        for solution in result:
            if max_rows is not None and len(rows) >= max_rows:
                raise too_many(max_rows)
            row = {}
            for v in variables:
                value = solution[v]
                if value is not None:
                    row[v] = to_term(value)
            rows.append(row)
        return SelectResult(variables, rows)
    if isinstance(result, ox.QueryTriples):
        lines: list[str] = []
        for triple in result:
            if max_rows is not None and len(lines) >= max_rows:
                raise too_many(max_rows)
            lines.append(f"{triple.subject} {triple.predicate} {triple.object} .\n")
        return GraphResult("".join(lines))
    raise StoreError(f"unexpected query result {type(result).__name__}")


def open_built(dist: Path) -> OxigraphStore:
    """An in-memory store loaded from a build's N-Quads dump."""
    store = OxigraphStore()
    load_built(store, dist)
    return store


def load_built(store: Store, dist: Path) -> None:
    """Load a build's dump into `store`: leniently when the store is in memory and the dump is
    the one the build wrote (`own_dump`), else with every check."""
    if isinstance(store, OxigraphStore) and store.path is None:
        data = own_dump(dist)
        if data is not None:
            store.load_own_nquads(data)
            return
    store.load_nquads(dump_of(dist))


def own_dump(dist: Path) -> bytes | None:
    """The bytes of the build's dump (`graph.nq`) when they are the ones the build wrote: their
    SHA-256 is the one its `manifest.json` records. None for a dump without a manifest, or
    changed since (merged or edited by hand, a store's export): such a dump is parsed with every
    check. The bytes are hashed and then parsed as they were read, never read twice."""
    try:
        manifest = json.loads((Path(dist) / "manifest.json").read_text(encoding="utf-8"))
        recorded = manifest["files"]["graph.nq"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(recorded, str):
        return None
    try:
        data = dump_of(dist).read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == recorded else None


def dump_of(dist: Path) -> Path:
    dump = Path(dist) / "graph.nq"
    if not dump.exists():
        raise StoreError(f"no built graph at {dump}: run `argraph build` first")
    return dump
