"""The HTML page of an item or a graph (linked data for browsers), written where the query runs
(graph/stores/execute.py, jobs of kind "page"). Every label, quote and IRI is escaped; links are
made only for http(s) IRIs, and IRIs under the served base point at this server.

For linked-data clients, the page names its other representations (`<link rel="alternate">`
to Turtle, JSON-LD and N-Triples) and embeds its triples as JSON-LD (compacted with argraph's
context) in a `<script type="application/ld+json">` data block, with `<`, `>`, `&` and `'` written
as JSON escapes so that no `</script>` in a label can end the block."""

from __future__ import annotations

import json
from html import escape

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from graph.namespaces import PREFIXES
from graph.stores.render import jsonld_context

MAX_EMBEDDED = 5000
"""Pages of more triples (whole graphs) link to their JSON-LD instead of embedding it."""
ALTERNATES = [
    ("text/turtle", "ttl", "Turtle"),
    ("application/ld+json", "jsonld", "JSON-LD"),
    ("application/n-triples", "nt", "N-Triples"),
]


def _short(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _href(iri: str, base: str) -> str | None:
    if iri.startswith(base):
        return "/" + iri[len(base) :].replace("#", "%23", 0)
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def _term(node: object, base: str) -> str:
    if isinstance(node, URIRef):
        text = escape(_short(str(node)))
        href = _href(str(node), base)
        return f'<a href="{escape(href, quote=True)}">{text}</a>' if href else text
    if isinstance(node, Literal):
        lang = f' <span class="lang">@{escape(node.language)}</span>' if node.language else ""
        return f'<span class="literal">{escape(str(node))}</span>{lang}'
    return escape(str(node))


def render(g: Graph, focus: str, base: str) -> str:
    labels = sorted(str(o) for o in g.objects(URIRef(focus), RDFS.label))
    title = escape(labels[0] if labels else focus)
    parts = [
        '<!DOCTYPE html><html><head><meta charset="utf-8">',
        f"<title>{title}</title>",
        *(
            f'<link rel="alternate" type="{media}" href="?format={fmt}" title="{name}">'
            for media, fmt, name in ALTERNATES
        ),
        *(
            [f'<script type="application/ld+json">{embedded_jsonld(g)}</script>']
            if len(g) <= MAX_EMBEDDED
            else []
        ),
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
        "td{vertical-align:top;padding:2px 8px}.lang{color:#888}</style>",
        "</head><body>",
        f"<h1>{title}</h1><p><code>{escape(focus)}</code></p>",
        "<p>Also as "
        + ", ".join(f'<a href="?format={fmt}">{name}</a>' for _, fmt, name in ALTERNATES)
        + " (or send <code>Accept: text/turtle</code>, <code>application/ld+json</code> or "
        "<code>application/n-triples</code>).</p>",
    ]
    subjects = sorted({s for s in g.subjects() if isinstance(s, URIRef)}, key=str)
    for s in subjects:
        parts.append(
            f'<h2 id="{escape(str(s).rpartition("#")[2], quote=True)}">'
            f"{escape(_short(str(s)))}</h2><table>"
        )
        for p, o in sorted(g.predicate_objects(s), key=lambda po: (str(po[0]), str(po[1]))):
            parts.append(f"<tr><td>{_term(p, base)}</td><td>{_term(o, base)}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def embedded_jsonld(g: Graph) -> str:
    """The graph as compacted JSON-LD, safe inside a <script> element of an HTML page."""
    data = g.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
    text = json.dumps(json.loads(data), ensure_ascii=False, sort_keys=True)
    for ch in "<>&'":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return text
