"""The wiring, in one place: which store the settings name, which routers make the service, and
the app factory `create_app(settings=None, store=None) -> FastAPI`. Nothing heavy at import.

Layers (checked by import-linter in the test command, see docs/ARCHITECTURE.md): errors at the
bottom; ingest, ontology and corpus; graph; api; web; and this package, the only one that knows
them all.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import errors
from api.routes import (
    causal,
    claims,
    corpus,
    data,
    dumps,
    evidence,
    export,
    factors,
    linked_data,
    references,
    sparql,
    stats,
    vocab,
)
from api.security import Hygiene
from api.settings import Settings
from errors import StoreError
from graph.analysis import documents
from graph.store import OxigraphStore, Store, dump_of, load_built
from web import docs as web_docs
from web import routes as web_routes

ROUTERS: list[APIRouter] = [
    web_docs.router,
    sparql.router,
    claims.router,
    factors.router,
    evidence.router,
    references.router,
    stats.router,
    vocab.router,
    linked_data.router,
    dumps.router,
    causal.router,
    corpus.router,
    data.router,
    export.router,
    web_routes.router,
]
"""Every router of the service, in the order their paths are matched."""


def open_store(settings: Settings, *, load: bool = True) -> Store:
    """The store the settings name, loaded with the build in `settings.dist` when `load`."""
    if load:
        dump_of(settings.dist)  # no build there: said before any store is made
    store: Store
    if settings.store == "oxigraph":
        store = OxigraphStore()
    elif settings.store == "oxigraph-disk":
        path = settings.store_path or Path(tempfile.mkdtemp(prefix="argraph-store-"))
        store = OxigraphStore(path)
    elif settings.store == "rdflib":
        # imported with the store it names: rdflib's SPARQL engine and the HTTP client cost
        # about 0.2 s each at import, in every server, query worker and CLI process
        from graph.stores.rdflib_store import RdflibStore

        store = RdflibStore()
    else:
        from graph.stores.remote import RemoteStore

        if not settings.remote_query_url:
            raise StoreError("the remote store needs remote_query_url (--remote-query-url)")
        store = RemoteStore(
            settings.remote_query_url,
            update_url=settings.remote_update_url,
            graph_store_url=settings.remote_graph_store_url,
            user=settings.remote_user,
            password=settings.remote_password,
            timeout_s=settings.query_timeout_s,
        )
    if load:
        load_built(store, settings.dist)
    return store


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or Settings()
    store = store if store is not None else open_store(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        runner = getattr(app.state, "runner", None)
        if runner is not None:
            runner.close()

    app = FastAPI(
        title="argraph",
        summary="argraph: causal arguments of papers as a knowledge graph",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # /docs from the packaged swagger-ui (web/docs.py); no CDN
        redoc_url=None,  # no packaged ReDoc
    )
    app.state.settings = settings
    app.state.store = store
    app.state.graph_names = store.graph_names()
    docs = documents(store)
    app.state.documents = docs
    # `{base}id/{paper}`: items are `{base}id/{paper}/{item}`.
    match = re.match(r"^(.*/)id/([^/]+)$", docs[0]) if docs else None
    app.state.base_iri = match.group(1) if match else settings.base_iri
    app.state.item_prefix = (docs[0] + "/") if docs else f"{settings.base_iri}id/"
    # every loaded paper's prefix: item routes look an id up in each (api/deps.py)
    app.state.item_prefixes = [d + "/" for d in docs] or [app.state.item_prefix]
    errors.install(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=False,
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=["ETag", "Retry-After", "Vary"],
    )
    # Outermost: security headers, HEAD, Allow, ?update= and control characters for every answer.
    app.add_middleware(Hygiene)
    for router in ROUTERS:
        app.include_router(router)
    return app
