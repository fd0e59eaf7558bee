"""A build's own dump is loaded leniently (faster), and only while it is the one the build wrote:
its SHA-256 is the manifest's. A dump changed since, or without a manifest, is loaded with every
check, so what the lenient parser would let through (an IRI with a space, a relative IRI) is
refused there."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from errors import StoreError
from graph.store import OxigraphStore, open_built, own_dump
from tests.conftest import Built

BAD = b"<urn:argraph:test:a b> <urn:argraph:test:p> <relative> <urn:argraph:test:g> .\n"
"""Two IRIs that only the lenient parser takes: one with a space, one without a scheme."""


def quads(store: OxigraphStore) -> set[ox.Quad]:
    return set(store.store)


@pytest.fixture()
def dist(mini_built: Built, tmp_path: Path) -> Path:
    copy = tmp_path / "dist"
    shutil.copytree(mini_built.dist, copy)
    return copy


def test_the_builds_dump_loads_leniently_to_the_same_quads(dist: Path) -> None:
    data = own_dump(dist)
    assert data == (dist / "graph.nq").read_bytes()
    strict = OxigraphStore()
    strict.load_nquads(dist / "graph.nq")
    assert not any(isinstance(t, ox.BlankNode) for q in strict.store for t in q)
    assert quads(open_built(dist)) == quads(strict)


def test_a_changed_dump_is_loaded_with_every_check(dist: Path) -> None:
    lenient = OxigraphStore()
    lenient.load_own_nquads(BAD)  # what the lenient parser takes
    assert len(lenient) == 1
    dump = dist / "graph.nq"
    with dump.open("ab") as out:
        out.write(BAD)
    assert own_dump(dist) is None
    with pytest.raises(SyntaxError, match="IRI"):
        open_built(dist)


def test_a_valid_change_is_loaded(dist: Path) -> None:
    dump = dist / "graph.nq"
    added = (
        b"<urn:argraph:test:s> <urn:argraph:test:p> <urn:argraph:test:o> <urn:argraph:test:g> .\n"
    )
    before = len(open_built(dist))
    with dump.open("ab") as out:
        out.write(added)
    assert own_dump(dist) is None
    assert len(open_built(dist)) == before + 1


@pytest.mark.parametrize(
    "manifest",
    [None, "not json", '{"files": {}}', '{"files": {"graph.nq": 1}}', '{"files": []}'],
    ids=["missing", "not-json", "no-digest", "digest-not-text", "files-not-an-object"],
)
def test_without_the_manifests_digest_the_dump_is_not_trusted(
    dist: Path, manifest: str | None
) -> None:
    path = dist / "manifest.json"
    if manifest is None:
        path.unlink()
    else:
        path.write_text(manifest, encoding="utf-8")
    assert own_dump(dist) is None
    assert len(open_built(dist)) > 0  # loaded all the same, with every check


def test_the_digest_is_of_the_bytes_loaded(dist: Path) -> None:
    recorded = hashlib.sha256((dist / "graph.nq").read_bytes()).hexdigest()
    assert recorded in (dist / "manifest.json").read_text(encoding="utf-8")


def test_an_on_disk_store_does_not_load_leniently(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="in-memory"):
        OxigraphStore(tmp_path / "store").load_own_nquads(BAD)
