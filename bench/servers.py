"""Server launchers, run as `python -m bench.servers KIND --port P ...` in their own process.

- `argraph`: the product, `create_app(Settings(dist=...))` under uvicorn (process isolation,
  guards, content negotiation: everything a real deployment runs), started as `argraph serve`
  starts it: the socket bound first, then the process leaves the network
  (`graph/stores/isolation.py`), so that queries that proved fast may run in it.
- `minimal`: the floor of our stack, FastAPI + pyoxigraph and nothing else: parse the query
  parameter, run it on the store, serialise with pyoxigraph.
- `rdflib-endpoint`: the Python peer (PyPI `rdflib-endpoint`) over an rdflib Dataset whose default
  graph is the union of the named graphs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def minimal_app(nq: Path) -> Any:
    import pyoxigraph as ox
    from fastapi import FastAPI, Response

    store = ox.Store()
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    app = FastAPI()

    @app.get("/sparql")
    def sparql(query: str) -> Response:
        result = store.query(query, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            return Response(
                result.serialize(format=ox.RdfFormat.N_TRIPLES), media_type="application/n-triples"
            )
        data = result.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(data, media_type="application/sparql-results+json")

    return app


def rdflib_endpoint_app(nq: Path) -> Any:
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    ds = Dataset(default_union=True)
    ds.parse(str(nq), format="nquads")
    return SparqlEndpoint(graph=ds, path="/sparql", cors_enabled=False)


def argraph_app(dist: Path, store_path: Path | None = None) -> Any:
    """The product as deployed; with `store_path`, over an on-disk store already loaded (a
    synthetic corpus), which the query workers open read-only."""
    from api.settings import Settings
    from argraph.app import create_app
    from graph.store import OxigraphStore

    if store_path is None:
        return create_app(Settings(dist=dist))
    settings = Settings(dist=dist, store="oxigraph-disk", store_path=store_path)
    return create_app(settings, store=OxigraphStore(store_path))


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["argraph", "minimal", "rdflib-endpoint"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--nq", type=Path)
    parser.add_argument("--dist", type=Path)
    parser.add_argument("--store-path", type=Path)
    args = parser.parse_args()
    if args.kind == "argraph":
        # as `argraph serve` does: listen, leave the network, then load and start the workers
        from api.service import start_serving
        from graph.stores.isolation import listen_then_isolate

        sock, _ = listen_then_isolate("127.0.0.1", args.port)
        app = argraph_app(args.dist, args.store_path)
        start_serving(app)
        config = uvicorn.Config(app, log_level="warning", access_log=False)
        uvicorn.Server(config).run(sockets=[sock])
        return
    app = minimal_app(args.nq) if args.kind == "minimal" else rdflib_endpoint_app(args.nq)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
