"""`serve(settings)`: build the graph into `settings.dist` when absent or stale, load it into the
configured store, and serve the app with uvicorn."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

import uvicorn

from api.service import runner_of
from api.settings import Settings
from argraph.app import create_app, open_store
from graph.build import build

if TYPE_CHECKING:
    from graph.store import Store

log = logging.getLogger("argraph.serve")


def is_stale(settings: Settings) -> bool:
    """True when the build is missing, made for another base IRI, or older than its inputs."""
    manifest = Path(settings.dist) / "manifest.json"
    if not manifest.exists() or not (Path(settings.dist) / "graph.nq").exists():
        return True
    try:
        if json.loads(manifest.read_text("utf-8")).get("base_iri") != settings.base_iri:
            return True
    except (OSError, ValueError):
        return True
    built = manifest.stat().st_mtime
    inputs = [p for p in Path(settings.corpus).rglob("*") if p.is_file()]
    if settings.source is not None and Path(settings.source).exists():
        inputs.append(Path(settings.source))
    return any(p.stat().st_mtime > built for p in inputs)


def ensure_built(settings: Settings) -> None:
    if not is_stale(settings):
        return
    log.warning("building the graph into %s", settings.dist)
    build(
        settings.corpus,
        settings.dist,
        source=settings.source,
        data_dir=settings.data_dir,
        base_iri=settings.base_iri,
        validate=False,
    )


STAMP = "loaded-from.json"
"""beside an on-disk store's `live` link: which build its live generation was loaded from"""


def _build_digest(dist: Path) -> str:
    """The build's identity, cheap at any size: its manifest, and the dump's size and mtime."""
    h = hashlib.sha256()
    manifest = Path(dist) / "manifest.json"
    if manifest.exists():
        h.update(manifest.read_bytes())
    dump = (Path(dist) / "graph.nq").stat()
    h.update(f"{dump.st_size}:{dump.st_mtime_ns}".encode())
    return h.hexdigest()


def open_served_store(settings: Settings) -> Store:
    """The store to serve. An on-disk store whose live generation was loaded from this very
    build is opened as it is (start-up does not grow with the corpus); otherwise the build is
    loaded, and the on-disk store remembers which build its new generation holds."""
    if settings.store != "oxigraph-disk" or settings.store_path is None:
        return open_store(settings)
    root = Path(settings.store_path)
    digest = _build_digest(settings.dist)
    stamp = root / STAMP
    try:
        seen = json.loads(stamp.read_text("utf-8"))
        if seen == {"graph.nq": digest, "generation": os.readlink(root / "live")}:
            log.warning("the store at %s holds this build already: not reloaded", root)
            return open_store(settings, load=False)
    except (OSError, ValueError):
        pass
    store = open_store(settings)
    record = {"graph.nq": digest, "generation": os.readlink(root / "live")}
    tmp = root / f".{STAMP}.tmp"
    tmp.write_text(json.dumps(record), "utf-8")
    os.replace(tmp, stamp)
    return store


def serve(settings: Settings) -> None:
    ensure_built(settings)
    app = create_app(settings, open_served_store(settings))
    # The query runner starts before the server listens: the first worker opens the store, and a
    # worker that cannot leave the network stops start-up when require_network_isolation is set.
    runner = runner_of(app, app.state.store, settings)
    status = runner.status()
    if status["isolation"] == "process":
        if status["network_isolated"]:
            log.warning("query workers: own network namespace (no network)")
        else:
            log.warning(
                "query workers are NOT cut off from the network: %s",
                status.get("network_isolation_problem"),
            )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
