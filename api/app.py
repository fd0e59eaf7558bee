"""The app factory: `create_app(settings=None, store=None) -> FastAPI`. Nothing heavy at import."""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import docs as api_docs
from api import errors
from api.security import Hygiene
from argraph.settings import Settings
from graph.namespaces import ARG
from graph.results import SelectResult
from graph.store import Store, open_store

ROUTERS = [
    "sparql",
    "claims",
    "factors",
    "evidence",
    "references",
    "stats",
    "vocab",
    "linked_data",
    "dumps",
]
OPTIONAL_ROUTERS = [
    "causal",
    "web",
    "data",
    "export",
]  # written by other engineers; included when present


def _documents(store: Store) -> list[str]:
    result = store.query(f"SELECT DISTINCT ?d WHERE {{ ?d a <{ARG.Document}> }} ORDER BY ?d")
    assert isinstance(result, SelectResult)
    return [row["d"].value for row in result.rows if "d" in row]


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
        docs_url=None,  # /docs from the packaged swagger-ui (api/docs.py); no CDN
        redoc_url=None,  # no packaged ReDoc
    )
    app.state.settings = settings
    app.state.store = store
    app.state.graph_names = store.graph_names()
    docs = _documents(store)
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
    app.include_router(api_docs.router)
    for name in ROUTERS:
        module = importlib.import_module(f"api.routes.{name}")
        app.include_router(module.router)
    for name in OPTIONAL_ROUTERS:
        if importlib.util.find_spec(f"api.routes.{name}") is not None:
            module = importlib.import_module(f"api.routes.{name}")
            app.include_router(module.router)
    return app
