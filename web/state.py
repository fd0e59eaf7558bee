"""Per-app state of the viewer: each paper's view graph, values computed once per app and store
(a paper's metadata, its first screen, the claim checks), the texts read from disk, and which
paper and text a request speaks of. Everything is cached on `app.state` under one lock."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from fastapi import Request

from api.routes.data import CheckOut, list_checks
from api.settings import Settings
from graph.store import Store
from web import papers, source
from web.viewgraph import ViewGraph, load

_lock = threading.Lock()


def view_graph(request: Request, store: Store, prefix: str) -> ViewGraph:
    """The view graph of the paper under `prefix`, built once per app, store and paper (which
    paper a request speaks of: api/routes/papers.py)."""
    with _lock:
        cache: dict[str, tuple[int, ViewGraph]] | None = getattr(
            request.app.state, "web_views", None
        )
        if cache is None:
            cache = {}
            request.app.state.web_views = cache
        cached = cache.get(prefix)
        if cached is None or cached[0] != id(store):
            cached = (id(store), load(store, prefix))
            cache[prefix] = cached
        return cached[1]


def cached(request: Request, store: Store, name: str, make: Any) -> Any:
    """A value computed once per app and store (the first screen, a paper's metadata: `name`
    includes the paper's prefix)."""
    with _lock:
        cache: dict[str, tuple[int, Any]] | None = getattr(request.app.state, "web_cache", None)
        if cache is None:
            cache = {}
            request.app.state.web_cache = cache
        hit = cache.get(name)
        if hit is None or hit[0] != id(store):
            hit = (id(store), make())
            cache[name] = hit
        return hit[1]


def checks_of(request: Request, store: Store) -> list[CheckOut]:
    """The claim checks (graph `data-checks`), read once per app and store."""
    with _lock:
        cached: tuple[int, list[CheckOut]] | None = getattr(request.app.state, "web_checks", None)
        if cached is None or cached[0] != id(store):
            cached = (id(store), list_checks(store))
            request.app.state.web_checks = cached
        return cached[1]


def text_at(request: Request, path: Path | None) -> source.SourceText | None:
    """A text from a path (re-read when the file changes), with its digest."""
    if path is None or not path.is_file():
        return None
    stamp = path.stat().st_mtime_ns
    with _lock:
        cache: dict[str, tuple[int, source.SourceText | None]] | None = getattr(
            request.app.state, "web_sources", None
        )
        if cache is None:
            cache = {}
            request.app.state.web_sources = cache
        hit = cache.get(str(path))
        if hit is None or hit[0] != stamp:
            hit = (stamp, source.SourceText.read(path))
            cache[str(path)] = hit
        return hit[1]


def paper_at(request: Request, prefix: str) -> papers.Paper:
    """The paper under `prefix`, and whether it is the default (the first loaded)."""
    default: str = request.app.state.item_prefix
    return papers.paper_of(prefix, default)


def paper_source(
    request: Request, settings: Settings, store: Store, prefix: str
) -> source.SourceText | None:
    """The text of the paper under `prefix` (web/papers.py says where it is looked for): the
    configured source for the first paper, else the first candidate whose digest is the one
    the paper's graph records."""
    paper = paper_at(request, prefix)
    want = cached(request, store, f"digest {prefix}", lambda: papers.recorded_digest(store, paper))
    for path in papers.source_candidates(settings, paper):
        text = text_at(request, path)
        if text is None:
            continue
        if paper.default and path == settings.source:
            return text
        if want is None or text.sha256 == want:
            return text
    return None
