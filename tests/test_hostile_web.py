"""Labels, quotes and IRIs carrying HTML or script render as text in the HTML pages served under
/id/..., error answers are JSON whatever the client accepts, and CORS never reflects an origin
together with credentials."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.iris import DEFAULT_BASE
from graph.store import OxigraphStore
from tests.api_fixtures import client_for, error_of
from tests.conftest import Built

EVIL = f"{DEFAULT_BASE}id/mini-paper/evil"
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "</title><script>alert(4)</script>",
]


def _lit(text: str) -> str:
    return json.dumps(text)  # a valid Turtle string for ASCII text


TTL = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
<{EVIL}> rdfs:label {_lit(PAYLOADS[3])}@en, {_lit(PAYLOADS[0])}@zh ;
    rdfs:comment {_lit(PAYLOADS[1])} ;
    oa:exact {_lit(PAYLOADS[2])} ;
    rdfs:seeAlso <javascript:alert(5)> .
<{EVIL}#x'onmouseover='alert(6)> rdfs:label "fragment" .
"""


@pytest.fixture(scope="module")
def evil_client(
    mini_built: Built, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    store = OxigraphStore()
    store.load_nquads(mini_built.dist / "graph.nq")
    ttl = tmp_path_factory.mktemp("evil") / "evil.ttl"
    ttl.write_text(TTL, encoding="utf-8")
    store.load_graph(Path(ttl), f"{DEFAULT_BASE}graph/mini-paper/evil")
    with client_for(mini_built.dist, store) as c:
        yield c


def test_item_page_renders_every_payload_as_text(evil_client: TestClient) -> None:
    r = evil_client.get("/id/mini-paper/evil", headers={"accept": "text/html"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    body = r.text
    # the one script element is the embedded JSON-LD data block; no payload ends it
    assert body.count("<script") == 1 and '<script type="application/ld+json">' in body
    assert body.count("</script>") == 1
    for tag in ("<img", "<svg", 'href="javascript:'):
        assert tag not in body, tag
    assert "'onmouseover='" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(2)&gt;" in body


def test_graph_page_escapes_too(evil_client: TestClient) -> None:
    r = evil_client.get("/graph/mini-paper/evil", headers={"accept": "text/html"})
    assert r.status_code == 200, r.text
    assert r.text.count("<script") <= 1 and r.text.count("</script>") <= 1
    assert "<img" not in r.text


@pytest.mark.parametrize(
    "path",
    [
        "/id/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/graph/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
        "/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/sparql?query=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ],
)
def test_error_answers_are_json_never_html(evil_client: TestClient, path: str) -> None:
    r = evil_client.get(path, headers={"accept": "text/html"})
    assert r.status_code in (400, 404)
    assert r.headers["content-type"].startswith("application/json")
    error_of(r, r.status_code)


def test_cors_wildcard_never_with_credentials(evil_client: TestClient) -> None:
    r = evil_client.get(
        "/api/stats", headers={"origin": "https://evil.example", "cookie": "session=1"}
    )
    assert r.headers.get("access-control-allow-origin") in (None, "*")
    assert "access-control-allow-credentials" not in r.headers


def test_cors_with_a_configured_origin(mini_built: Built) -> None:
    with client_for(mini_built.dist, cors_origins=["https://ok.example"]) as c:
        evil = c.get("/api/stats", headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in evil.headers
        pre = c.options(
            "/sparql",
            headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
        )
        assert pre.status_code == 400
        assert "access-control-allow-origin" not in pre.headers
        ok = c.get("/api/stats", headers={"origin": "https://ok.example", "cookie": "s=1"})
        assert ok.headers["access-control-allow-origin"] == "https://ok.example"
        assert "access-control-allow-credentials" not in ok.headers
