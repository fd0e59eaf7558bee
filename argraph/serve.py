"""`serve(settings)`: build the graph into `settings.dist` when absent or stale, load it into the
configured store, and serve the app with uvicorn."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import uvicorn

from api.service import start_serving
from api.settings import Settings
from argraph.app import create_app, open_store
from graph.build_papers import build_papers
from graph.stores.isolation import listen_then_isolate

if TYPE_CHECKING:
    from graph.store import Store

log = logging.getLogger("argraph.serve")


Papers = list[tuple[Path, Path | None]]
"""(annotation folder, text or None) of each paper of a build"""


def build_plan(settings: Settings) -> Papers | None:
    """The papers to (re)build into `settings.dist`, or None when the build there is current.

    - no `graph.nq`: the papers of the settings;
    - a `graph.nq` without `manifest.json` (a dump merged by hand, a store's export): served as
      it is, never rebuilt (with a warning);
    - a manifest made for another base IRI, or unreadable: the papers of the settings;
    - a manifest whose papers do not include every paper the settings name (`corpus` or
      `corpora` given, by argument or environment): the settings' papers;
    - otherwise the manifest's own papers, when one of their annotation files or texts is newer
      than the manifest (a merged build stays merged); else None.
    So with the default corpus, a dist of several papers is served, and rebuilt, as those papers.
    A manifest without a list of papers (an older build) is taken as a build of the settings'."""
    dist = Path(settings.dist)
    wanted = settings.papers()
    named = bool({"corpus", "corpora"} & settings.model_fields_set)
    if not (dist / "graph.nq").exists():
        return wanted
    manifest = dist / "manifest.json"
    if not manifest.exists():
        log.warning(
            "%s has a graph.nq but no manifest.json: served as it is (not rebuilt from the "
            "annotations; delete it, or build it with `argraph build`, to rebuild)",
            dist,
        )
        return None
    try:
        data = json.loads(manifest.read_text("utf-8"))
        built = _built_papers(data) or wanted
    except (OSError, ValueError, TypeError, KeyError):
        return wanted
    if data.get("base_iri") != settings.base_iri:
        return wanted
    if "source" in settings.model_fields_set and settings.source is None and not settings.sources:
        built = [(folder, None) for folder, _src in built]  # --no-source: every paper from its lock
    have = {_key(folder) for folder, _src in built}
    if named and any(_key(folder) not in have for folder, _src in wanted):
        return wanted
    made = manifest.stat().st_mtime
    for folder, src in built:
        inputs = [p for p in Path(folder).rglob("*") if p.is_file()]
        if src is not None and Path(src).exists():
            inputs.append(Path(src))
        if any(p.stat().st_mtime > made for p in inputs):
            return built
    return None


def _built_papers(manifest: dict[str, object]) -> Papers:
    entries = manifest.get("papers")
    if not isinstance(entries, list):
        return []
    return [
        (Path(e["corpus"]), None if e.get("source") is None else Path(e["source"])) for e in entries
    ]


def _key(folder: Path) -> Path:
    return Path(folder).resolve()


def is_stale(settings: Settings) -> bool:
    """True when `settings.dist` is to be (re)built before it is served (see `build_plan`)."""
    return build_plan(settings) is not None


def ensure_built(settings: Settings) -> None:
    papers = build_plan(settings)
    if papers is None:
        return
    log.warning(
        "building the graph of %s into %s", ", ".join(p.name for p, _ in papers), settings.dist
    )
    build_papers(
        papers,
        settings.dist,
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
    # First, before anything starts a thread: bind the socket while the process has the host's
    # network, then leave it (a network namespace of its own), so that nothing a query reaches
    # in this process can open a connection. Queries that proved fast and small in a worker may
    # then run here (graph/stores/inprocess.py); elsewhere every query goes to the workers. The
    # remote store talks to its server over the network: the process stays on it.
    sock, problem = listen_then_isolate(
        settings.host, settings.port, isolate=settings.store != "remote"
    )
    if problem is None:
        log.warning(
            "web process: own network namespace (no network); listening on %s", _where(sock)
        )
    else:
        log.warning("web process keeps the network (%s): every query runs in a worker", problem)
    ensure_built(settings)
    app = create_app(settings, open_served_store(settings))
    # The query runner starts before the server serves: the first worker opens the store, and a
    # worker that cannot leave the network stops start-up when require_network_isolation is set.
    runner = start_serving(app)
    status = runner.status()
    if status["isolation"] == "process":
        if status["network_isolated"]:
            log.warning("query workers: own network namespace (no network)")
        else:
            log.warning(
                "query workers are NOT cut off from the network: %s",
                status.get("network_isolation_problem"),
            )
    uvicorn.Server(uvicorn.Config(app, log_level="info")).run(sockets=[sock])


def _where(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{host}:{port}"
