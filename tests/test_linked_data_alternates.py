"""HTML pages of items name their Turtle, JSON-LD and N-Triples alternates and embed their
triples as JSON-LD that parses back to the same graph; a label with `</script>` cannot end the
embedded block."""

from __future__ import annotations

import json
import re

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from graph.iris import DEFAULT_BASE
from graph.stores.page_html import render
from tests.api_fixtures import client_for, parse
from tests.conftest import Built

BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def _item(mini_built: Built) -> str:
    with client_for(mini_built.dist, query_isolation="thread") as c:
        r = c.get("/api/claims")
        assert r.status_code == 200, r.text
        return str(r.json()["data"][0]["iri"])


def test_item_page_links_and_embeds(mini_built: Built) -> None:
    item = _item(mini_built)
    assert item.startswith(DEFAULT_BASE)
    path = "/" + item[len(DEFAULT_BASE) :]
    with client_for(mini_built.dist, query_isolation="thread") as c:
        page = c.get(path, headers={"accept": "text/html"})
        assert page.status_code == 200, page.text
        html = page.text
        links = dict(re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)"', html))
        assert set(links) == {"text/turtle", "application/ld+json", "application/n-triples"}
        turtle = c.get(path + links["text/turtle"])
        assert turtle.status_code == 200
        assert turtle.headers["content-type"].startswith("text/turtle")
        blocks = BLOCK.findall(html)
        assert len(blocks) == 1
        embedded = parse(blocks[0], "json-ld")
        assert isomorphic(embedded, parse(turtle.text, "turtle"))
        jsonld = c.get(path + links["application/ld+json"])
        assert jsonld.headers["content-type"].startswith("application/ld+json")


def test_script_end_tag_in_a_label_stays_inside_the_block() -> None:
    g = Graph()
    focus = "http://example.org/id/p/x"
    evil = "</script><script>alert(1)</script> & <!-- ]]>"
    g.add((URIRef(focus), RDFS.label, Literal(evil)))
    html = render(g, focus, "http://example.org/")
    block = BLOCK.findall(html)
    assert len(block) == 1
    assert "<" not in block[0] and ">" not in block[0]
    assert html.count("<script") == 1
    data = json.loads(block[0])
    assert evil in json.dumps(data, ensure_ascii=False)
