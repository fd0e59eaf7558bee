"""Answers to fixed SELECT queries kept per store (LRU).

The REST and analysis routes ask the same few queries of a store that does not change while it
is served, so their rows are kept per store object. A remote server's content may be changed by
others, so its answers are never kept. Callers must not mutate the rows they get.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Protocol

from errors import StoreError
from graph.results import QueryResult, SelectResult, Term

CACHE_SIZE = 512

Row = dict[str, Term]


class Queryable(Protocol):
    def query(self, sparql: str) -> QueryResult: ...


_caches: weakref.WeakKeyDictionary[object, OrderedDict[str, list[Row]]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def select_rows(store: Queryable, sparql: str) -> list[Row]:
    """Rows of a SELECT query, from the store's cache when it may keep them."""
    cacheable = getattr(store, "kind", "") != "remote"
    if cacheable:
        with _lock:
            cache = _caches.setdefault(store, OrderedDict())
            if sparql in cache:
                cache.move_to_end(sparql)
                return cache[sparql]
    result = store.query(sparql)
    if not isinstance(result, SelectResult):
        raise StoreError(f"expected a SELECT result, got {type(result).__name__}")
    if cacheable:
        with _lock:
            cache = _caches.setdefault(store, OrderedDict())
            cache[sparql] = result.rows
            if len(cache) > CACHE_SIZE:
                cache.popitem(last=False)
    return result.rows


def forget(store: object) -> None:
    """Drop the answers kept for this store (its content was loaded again)."""
    with _lock:
        _caches.pop(store, None)
