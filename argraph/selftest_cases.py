"""More hostile inputs for `argraph/selftest.py`: the guard's desynchronisation classes (escapes in
prefixed names and IRIs, codepoint escapes of keywords, Unicode case folding, comment desync,
nesting after a desync), SERVICE to the loopback listener in every disguise found, inputs that
crashed or confused the engine (7,000 flat OPTIONALs, triple terms, control characters in XML),
and HTTP hygiene (HEAD, Allow, `?update=` in a POST URL, NUL in paths, security headers, /docs
without a CDN)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from argraph.selftest import FORM, Hostile

SELECT = "SELECT * WHERE { BIND(1 AS ?z) "


def _q(name: str, group: str, query: str, **kw: object) -> Hostile:
    return Hostile(name, group, params=(("query", query),), **kw)  # type: ignore[arg-type]


def disguised_service(listener: str) -> list[Hostile]:
    """SERVICE (and FROM) to the listener, written so that a lexer and an engine may disagree."""
    ep = f"<{listener}/sparql>"
    pre = f"PREFIX : <{listener}/> PREFIX l: <{listener}/> PREFIX e: <http://e/> "
    refused = {
        "SERVICE as \\u0053ERVICE": f"{SELECT}\\u0053ERVICE {ep} {{ ?s ?p ?o }} }}",
        "SERVICE as \\U00000053ERVICE": f"{SELECT}\\U00000053ERVICE {ep} {{ ?s ?p ?o }} }}",
        "SERVICE spelled sErViCe": f"{SELECT}sErViCe {ep} {{ ?s ?p ?o }} }}",
        "SERVICE:sparql (prefix read as the keyword)": pre + f"{SELECT}SERVICE:sparql {{}} }}",
        "SERVICEé:x (no word boundary)": pre.replace("l:", "\u00e9:")
        + f"{SELECT}SERVICE\u00e9:sparql {{ ?s ?p ?o }} }}",
        "SERVICESILENT glued": f"{SELECT}SERVICESILENT{ep}{{ ?s ?p ?o }} }}",
        "trueSERVICE glued (true, then SERVICE)": f"{SELECT}?s ?p trueSERVICE {ep} {{}} }}",
        "SERVICE after a pname escape e:a\\#": pre
        + f"{SELECT}?s ?p e:a\\# . SERVICE {ep} {{ ?s ?p ?o }} }}",
        "SERVICE after an escaped newline in a comment": f"{SELECT}# \\u000A SERVICE {ep} {{}}\n}}",
        "SERVICE with an escaped IRI": f"{SELECT}SERVICE <{listener}\\u002Fsparql> {{}} }}",
        "FROM:g.ttl (prefix read as FROM)": pre + "SELECT * FROM:g.ttl WHERE { ?s ?p ?o }",
        "FROMé:g.ttl (rdflib fetches it)": pre.replace("l:", "\u00e9:")
        + "SELECT * FROM\u00e9:g.ttl WHERE { ?s ?p ?o }",
        "FROM an escaped file: IRI": "SELECT * FROM <file:\\u002F\\u002F/etc/passwd> WHERE {}",
        "Virtuoso bif:http_get to the listener": f"SELECT (bif:http_get('{listener}/') AS ?x) {{}}",
        "Virtuoso bif: by its namespace IRI": "PREFIX f: <http://www.openlinksw.com/schemas/bif#> "
        "SELECT (f:file_to_string('/etc/passwd') AS ?x) {}",
    }
    bad = {
        "SERVICE as \\U0053ERVICE (4 digits)": f"{SELECT}\\U0053ERVICE {ep} {{}} }}",
        "SERVICE as \\u00000053ERVICE (8 digits)": f"{SELECT}\\u00000053ERVICE {ep} {{}} }}",
        "ſERVICE (long s folds to s)": f"{SELECT}\u017fERVICE {ep} {{ ?s ?p ?o }} }}",
        "SERVıCE (dotless i)": f"{SELECT}SERV\u0131CE {ep} {{ ?s ?p ?o }} }}",
        "a backslash before SERVICE": f"{SELECT}?s ?p \\# SERVICE {ep} {{}} }}",
        "no-break space before SERVICE": f"{SELECT}\u00a0SERVICE {ep} {{}} }}",
        "an escape that decodes into an escape": f"{SELECT}\\u005Cu0053ERVICE {ep} {{}} }}",
        "a lone surrogate": "SELECT * WHERE { BIND('\\uD800' AS ?x) }",
    }
    out = [_q(n, "outbound", q, code="query_refused") for n, q in refused.items()]
    host = f"a> SELECT * WHERE {{ SERVICE {ep} {{ ?s ?p ?o }} {{ #"
    out.append(
        _q(
            "SERVICE injected through the Host header (the base IRI)",
            "outbound",
            "SELECT * WHERE { } } }",
            headers=(("Host", host),),
            expect=(400,),
        )
    )
    out += [_q(n, "outbound", q, code="bad_request") for n, q in bad.items()]
    out.append(
        _q(
            "SERVICE after a line separator in a comment: blanked, never run",
            "outbound",
            f"{SELECT}# x\u2028SERVICE {ep} {{}}\n}}",
            expect=(200,),
            json_error=False,
        )
    )
    return out


def _xml_well_formed(status: int, headers: dict[str, str], body: bytes) -> str | None:
    if status != 200:
        return None
    try:
        ET.fromstring(body)
    except ET.ParseError as exc:
        return f"the XML answer is not well-formed: {exc}"
    return None


def _no_body(status: int, headers: dict[str, str], body: bytes) -> str | None:
    if body:
        return f"HEAD answered with a body of {len(body)} bytes"
    if "content-type" not in headers:
        return "HEAD answered without the GET answer's Content-Type"
    return None


def _allow(status: int, headers: dict[str, str], body: bytes) -> str | None:
    allow = {m.strip() for m in headers.get("allow", "").split(",")}
    if not {"GET", "HEAD", "POST"} <= allow:
        return f"Allow: {headers.get('allow')!r} does not name GET, HEAD and POST"
    return None


def _security_headers(status: int, headers: dict[str, str], body: bytes) -> str | None:
    want = {
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
    }
    for name, value in want.items():
        if headers.get(name) != value:
            return f"{name}: {headers.get(name)!r}, expected {value!r}"
    csp = headers.get("content-security-policy", "")
    if "frame-ancestors 'none'" not in csp or "default-src 'self'" not in csp:
        return f"Content-Security-Policy {csp!r} lacks default-src 'self' or frame-ancestors"
    if "referrer-policy" not in headers:
        return "no Referrer-Policy"
    return None


def _no_cdn(status: int, headers: dict[str, str], body: bytes) -> str | None:
    text = body.decode("utf-8", "replace")
    if "https://" in text or "http://" in text:
        return "/docs loads something from another host"
    return _security_headers(status, headers, body)


def engine_and_hygiene(listener: str) -> list[Hostile]:
    flat = "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 7000 + "}"
    desync_nesting = (
        "PREFIX e: <http://e/> SELECT * WHERE { ?s ?p e:a\\# " + "{" * 3000 + "}" * 3000 + " }"
    )
    control = "SELECT ?x WHERE { BIND('a\\u0001b\\u001Fc' AS ?x) }"
    xml_results = (("Accept", "application/sparql-results+xml"),)
    return [
        Hostile(
            "7,000 flat OPTIONALs",
            "expensive",
            "POST",
            body=flat.encode(),
            headers=(("Content-Type", "application/sparql-query"),),
            code="query_refused",
        ),
        _q("3,000 nested groups after a desync", "expensive", desync_nesting, code="query_refused"),
        _q(
            "triple term in a CONSTRUCT",
            "protocol",
            "CONSTRUCT { <a:s> <a:p> <<( <a:s> <a:p> <a:o> )>> } WHERE {}",
            expect=(400, 406, 422),
        ),
        _q(
            "triple term in a SELECT",
            "protocol",
            "SELECT (TRIPLE(<a:s>, <a:p>, <a:o>) AS ?t) WHERE {}",
            expect=(400, 406, 422),
        ),
        _q(
            "control characters in XML results",
            "protocol",
            control,
            headers=xml_results,
            expect=(200, 406, 422),
            json_error=False,
            check=_xml_well_formed,
        ),
        _q(
            "control characters in RDF/XML",
            "protocol",
            "CONSTRUCT { <a:s> <a:p> 'a\\u0001b' } WHERE {}",
            headers=(("Accept", "application/rdf+xml"),),
            expect=(200, 406, 422),
            json_error=False,
            check=_xml_well_formed,
        ),
        Hostile(
            "HEAD /sparql?query=",
            "protocol",
            "HEAD",
            params=(("query", "ASK {}"),),
            expect=(200,),
            json_error=False,
            check=_no_body,
        ),
        Hostile("HEAD /", "protocol", "HEAD", path="/", expect=(200,), json_error=False),
        Hostile(
            "PUT /sparql names Allow", "protocol", "PUT", body=b"", expect=(405,), check=_allow
        ),
        Hostile(
            "?update= in a POST URL",
            "write",
            "POST",
            raw_target="/sparql?update=DROP%20ALL",
            body=b"query=ASK%20%7B%7D",
            headers=FORM,
            expect=(403,),
            code="read_only",
        ),
        Hostile(
            "?update= on another path",
            "write",
            raw_target="/api/stats?update=CLEAR%20ALL",
            expect=(403,),
            code="read_only",
        ),
        Hostile("NUL in a static path", "protocol", raw_target="/static/a%00.css", expect=(404,)),
        Hostile(
            "NUL in a vendor path", "protocol", raw_target="/vendor/echarts/%00", expect=(404,)
        ),
        Hostile(
            "control character in an item path", "protocol", raw_target="/id/%01", expect=(404,)
        ),
        Hostile(
            "security headers on a page",
            "web",
            path="/",
            expect=(200,),
            json_error=False,
            check=_security_headers,
        ),
        Hostile(
            "security headers on an error",
            "web",
            path="/no/such/path",
            expect=(404,),
            check=_security_headers,
        ),
        Hostile(
            "/docs without a CDN",
            "web",
            path="/docs",
            expect=(200,),
            json_error=False,
            check=_no_cdn,
        ),
    ]
