"""Helpers for the service tests: an app over a store, a live server for real HTTP clients."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import warnings
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib import Graph

from api.settings import Settings
from argraph.app import create_app
from graph.store import Store

W3C = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "w3c-sparql11-tests"


def settings_for(dist: Path, **overrides: Any) -> Settings:
    return Settings(dist=dist, **overrides)


@contextmanager
def client_for(dist: Path, store: Store | None = None, **overrides: Any) -> Iterator[TestClient]:
    app = create_app(settings_for(dist, **overrides), store)
    with TestClient(app) as client:
        yield client


def parse(body: bytes | str, fmt: str) -> Graph:
    g = Graph()
    with warnings.catch_warnings():
        # rdflib's own JSON-LD parser builds a ConjunctiveGraph, which rdflib 7 deprecates.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        g.parse(data=body, format=fmt)
    return g


def error_of(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """Assert the one error shape and return its `error` object."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code, body
    err: dict[str, Any] = body["error"]
    return err


T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on a free loopback port in a thread; yields the base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def run_in_own_loop(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: Playwright's sync API (browser tests in the same
    process, whatever the order pytest or xdist gives the tests) keeps an event loop running in
    the main thread, where asyncio.run and anyio.run refuse to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
