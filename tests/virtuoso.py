"""A real Virtuoso 7 (Debian's `virtuoso-opensource-7-bin`) on loopback, in a tmp folder, started
by `graph.stores.virtuoso_launch` (as the benchmarks start theirs).

`virtuoso_server(tmp)` starts it on free ports, grants SPARQL updates to the anonymous SPARQL
user and yields it; it stops the process (its own, by pid) on exit. `require_virtuoso()` skips
locally without it, and fails when `CI` is set.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from graph.stores import virtuoso_launch
from graph.stores.virtuoso_launch import Virtuoso, find_isql, find_virtuoso

__all__ = ["Virtuoso", "require_virtuoso", "virtuoso_server"]


def require_virtuoso() -> str:
    binary = find_virtuoso()
    if binary is None or find_isql() is None:
        message = (
            "Virtuoso is not installed (virtuoso-t / isql-vt from Debian's "
            f"{virtuoso_launch.PACKAGE}); the remote-store suite needs it"
        )
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return binary


@contextmanager
def virtuoso_server(tmp: Path) -> Iterator[Virtuoso]:
    server = virtuoso_launch.start(tmp, binary=require_virtuoso(), timeout=90)
    try:
        server.grant_update()
        yield server
    finally:
        server.stop()
