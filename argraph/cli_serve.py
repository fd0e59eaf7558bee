"""The `argraph serve` command; `register(app)` adds it to the CLI group."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

StoreKind = Literal["oxigraph", "oxigraph-disk", "rdflib", "remote"]


def register(app: typer.Typer) -> None:
    from argraph.cli import handle_errors, settings_from

    @app.command()
    @handle_errors
    def serve(
        host: Annotated[str | None, typer.Option("--host", help="default 127.0.0.1")] = None,
        port: Annotated[int | None, typer.Option("--port", help="default 8000")] = None,
        store: Annotated[
            str | None,
            typer.Option("--store", help="oxigraph (default), oxigraph-disk, rdflib, remote"),
        ] = None,
        store_path: Annotated[Path | None, typer.Option("--store-path")] = None,
        remote_query_url: Annotated[str | None, typer.Option("--remote-query-url")] = None,
        remote_update_url: Annotated[str | None, typer.Option("--remote-update-url")] = None,
        remote_graph_store_url: Annotated[
            str | None, typer.Option("--remote-graph-store-url")
        ] = None,
        remote_user: Annotated[str | None, typer.Option("--remote-user")] = None,
        remote_password: Annotated[str | None, typer.Option("--remote-password")] = None,
        timeout: Annotated[float | None, typer.Option("--timeout", help="per query, s")] = None,
        workers: Annotated[
            int | None,
            typer.Option("--workers", help="queries run at once (default 8; one client: half)"),
        ] = None,
        require_network_isolation: Annotated[
            bool,
            typer.Option(
                "--require-network-isolation",
                help="refuse to start when query workers cannot be cut off from the network",
            ),
        ] = False,
        dist: Annotated[Path | None, typer.Option("--dist")] = None,
        corpus: Annotated[
            list[Path] | None,
            typer.Option(
                "--corpus",
                help="annotation folder; repeat it to serve several papers (built into --dist "
                "together when the build there is missing or stale)",
            ),
        ] = None,
        source: Annotated[
            list[Path] | None,
            typer.Option("--source", help="the paper's text; with several --corpus, one each"),
        ] = None,
        no_source: Annotated[bool, typer.Option("--no-source")] = False,
    ) -> None:
        """Serve the graph: /sparql, /api (OpenAPI at /docs), /id/... linked data, /dumps.

        The build in --dist is made first when it is missing or stale (see argraph/serve.py); a
        graph.nq there without a manifest.json is served as it is."""
        from argraph.serve import serve as run

        settings = settings_from(corpus=corpus, source=source, no_source=no_source, dist=dist)
        updates: dict[str, Any] = {
            k: v
            for k, v in {
                "host": host,
                "port": port,
                "store": store,
                "store_path": store_path,
                "remote_query_url": remote_query_url,
                "remote_update_url": remote_update_url,
                "remote_graph_store_url": remote_graph_store_url,
                "remote_user": remote_user,
                "remote_password": remote_password,
                "query_timeout_s": timeout,
                "max_concurrent_queries": workers,
                "require_network_isolation": require_network_isolation or None,
            }.items()
            if v is not None
        }
        # only the fields set stay set: `argraph serve` without --corpus serves a dist's papers
        kept = settings.model_dump(include=settings.model_fields_set)
        settings = type(settings).model_validate(kept | updates)
        run(settings)
