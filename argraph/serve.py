"""`serve(settings)`: build the graph into `settings.dist` when absent or stale, load it into the
configured store, and serve the app with uvicorn."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from argraph.settings import Settings

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
    from argraph.graph.build import build

    log.warning("building the graph into %s", settings.dist)
    build(
        settings.corpus,
        settings.dist,
        source=settings.source,
        data_dir=settings.data_dir,
        base_iri=settings.base_iri,
        validate=False,
    )


def serve(settings: Settings) -> None:
    import uvicorn

    from argraph.api.app import create_app
    from argraph.api.service import runner_of

    ensure_built(settings)
    app = create_app(settings)
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
