"""HTTP hygiene on every route: security headers, HEAD wherever GET is served, a correct Allow,
`update=` in any URL refused, control characters in paths not found, /docs from the package."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.security import CSP
from tests.api_fixtures import client_for, error_of
from tests.conftest import Built


@pytest.fixture(scope="module")
def client(mini_built: Built) -> Iterator[TestClient]:
    with client_for(mini_built.dist, query_isolation="thread") as c:
        yield c


PATHS = ["/", "/sparql?query=ASK%7B%7D", "/api/stats", "/openapi.json", "/no/such/path"]


@pytest.mark.parametrize("path", PATHS)
def test_security_headers_on_every_answer(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["content-security-policy"] == CSP
    assert "frame-ancestors 'none'" in CSP


@pytest.mark.parametrize("path", ["/", "/sparql?query=ASK%7B%7D", "/api/stats", "/openapi.json"])
def test_head_wherever_get(client: TestClient, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert get.status_code == 200 and head.status_code == 200, head.text
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    if "content-length" in get.headers:
        assert head.headers["content-length"] == get.headers["content-length"]


def test_405_names_every_allowed_method(client: TestClient) -> None:
    r = client.put("/sparql", content=b"ASK {}")
    error_of(r, 405)
    assert r.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    r = client.post("/api/stats")
    error_of(r, 405)
    assert r.headers["allow"] == "GET, HEAD, OPTIONS"


def test_plain_options_lists_the_methods(client: TestClient) -> None:
    r = client.options("/sparql")
    assert r.status_code == 204
    assert r.headers["allow"] == "GET, HEAD, POST, OPTIONS"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/sparql?update=DROP%20ALL"),
        ("POST", "/sparql?update=DROP%20ALL"),
        ("GET", "/sparql?query=ASK%7B%7D&update=DROP%20ALL"),
        ("GET", "/api/stats?%75pdate=CLEAR%20ALL"),
        ("HEAD", "/sparql?update=LOAD%20%3Cfile%3A%2F%2F%2Fetc%2Fpasswd%3E"),
    ],
)
def test_update_in_any_url_is_refused(client: TestClient, method: str, path: str) -> None:
    r = client.request(
        method,
        path,
        content=b"query=ASK%20%7B%7D",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 403
    if method != "HEAD":
        error_of(r, 403, "read_only")


@pytest.mark.parametrize(
    "path",
    [
        "/static/app%00.css",
        "/vendor/echarts/%00",
        "/id/mini-paper/%01x",
        "/docs-assets/%00",
        "/%7F",
    ],
)
def test_control_characters_in_paths_are_not_found(client: TestClient, path: str) -> None:
    error_of(client.get(path), 404, "not_found")


def test_docs_without_a_cdn(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    page = r.text
    assert "cdn" not in page.lower() and "https://" not in page
    for src in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert src.startswith("/docs-assets/"), src
        asset = client.get(src)
        assert asset.status_code == 200, src
        assert asset.content
    csp = r.headers["content-security-policy"]
    assert "'sha256-" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert client.get("/redoc").status_code == 404
    assert client.get("/docs-assets/../package.json").status_code == 404


def test_an_unexpected_error_carries_the_headers_too(mini_built: Built) -> None:
    with client_for(mini_built.dist, query_isolation="thread") as c:
        app = c.app
        assert isinstance(app, FastAPI)

        @app.get("/boom")
        def boom() -> None:
            raise RuntimeError("/work/secret.py")

        tolerant = TestClient(c.app, raise_server_exceptions=False)
        r = tolerant.get("/boom")
        error_of(r, 500, "internal_error")
        assert "secret" not in r.text
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["content-security-policy"] == CSP
