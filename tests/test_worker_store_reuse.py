"""`argraph serve` over an on-disk store: a store already loaded from the same build is opened as
it is (start-up does not grow with the corpus); a new build is loaded into a new generation."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from api.settings import Settings
from argraph.serve import open_served_store
from tests.conftest import Built


def test_a_store_loaded_from_this_build_is_not_reloaded(mini_built: Built, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    shutil.copytree(mini_built.dist, dist)
    root = tmp_path / "store"
    settings = Settings(dist=dist, store="oxigraph-disk", store_path=root)
    first = open_served_store(settings)
    generation = os.readlink(root / "live")
    size = len(first)
    del first
    again = open_served_store(settings)
    assert os.readlink(root / "live") == generation
    assert len(again) == size
    del again
    # a new build (here: the same dump written again) is loaded into a new generation
    (dist / "graph.nq").write_bytes((dist / "graph.nq").read_bytes() + b"")
    os.utime(dist / "graph.nq", ns=(1, 1))
    third = open_served_store(settings)
    assert os.readlink(root / "live") != generation
    assert len(third) == size
