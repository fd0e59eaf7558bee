"""FastAPI dependencies: the one settings object and the store, both held by the app.

Stable names for every router (including `api/routes/causal.py`): `SettingsDep`, `StoreDep`.
The dependencies are `async`: FastAPI runs a plain `def` dependency in its thread pool, a thread
hop on every request for what is an attribute read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from argraph.graph.store import Store
from argraph.settings import Settings


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]


async def get_item_prefix(request: Request) -> str:
    """`{base}id/{paper}/`: an item id appended gives the item's IRI."""
    prefix: str = request.app.state.item_prefix
    return prefix


ItemPrefixDep = Annotated[str, Depends(get_item_prefix)]
