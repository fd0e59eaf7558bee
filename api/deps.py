"""FastAPI dependencies: the one settings object and the store, both held by the app.

Stable names for every router (including `api/routes/causal.py`): `SettingsDep`, `StoreDep`.
The dependencies are `async`: FastAPI runs a plain `def` dependency in its thread pool, a thread
hop on every request for what is an attribute read.
"""

from __future__ import annotations

import re
from typing import Annotated

import anyio.to_thread
from fastapi import Depends, Request

from api.settings import Settings
from graph.results import AskResult
from graph.store import Store


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]


_LOCAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


def _has_item(store: Store, iri: str) -> bool:
    result = store.query(f"ASK {{ <{iri}> ?p ?o }}")
    return isinstance(result, AskResult) and result.value


async def get_item_prefix(request: Request) -> str:
    """`{base}id/{paper}/`: an item id appended gives the item's IRI. With one paper loaded,
    that paper's; with several, the first document (in IRI order) that has an item with the
    id the path names (`claim_id`, `item_id`, ...), else the first document's, so that item
    routes find the items of every loaded paper."""
    prefixes: list[str] = request.app.state.item_prefixes
    if len(prefixes) > 1:
        ids = [
            v for k, v in request.path_params.items() if k.endswith("_id") and isinstance(v, str)
        ]
        if len(ids) == 1 and _LOCAL_ID.match(ids[0]):
            store: Store = request.app.state.store
            for candidate in prefixes:
                if await anyio.to_thread.run_sync(_has_item, store, candidate + ids[0]):
                    return candidate
    prefix: str = request.app.state.item_prefix
    return prefix


ItemPrefixDep = Annotated[str, Depends(get_item_prefix)]
