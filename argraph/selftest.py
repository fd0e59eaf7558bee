"""The hostile inputs of SECURITY.md as data, and a runner that sends them to a running server.

`hostile_inputs(listener)` lists every request the endpoint must refuse (or answer harmlessly),
each with the statuses and error code it must get; `run(base_url)` sends them over plain HTTP/1.1
(standard library only), checks status, error shape, elapsed time and that no response leaks a
stack trace or an internal path, and reports whether any of them made the server open a
connection to a listener of ours on loopback. `argraph selftest --hostile` and the test suite
share this module.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

LEAKS = ("Traceback", "/work/", ".py")
EVIL_ORIGIN = "https://evil.example"
SCRIPT = "<script>alert(1)</script>"
METADATA = "http://169.254.169.254/latest/meta-data/"


@dataclass(frozen=True)
class Hostile:
    """One request and what it must get back."""

    name: str
    group: str
    """outbound, write, expensive, protocol or web"""
    method: str = "GET"
    path: str = "/sparql"
    params: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    expect: tuple[int, ...] = (400,)
    code: str | None = None
    """the error body's `code`; None: any (or no) JSON error body"""
    json_error: bool = True
    raw_target: str | None = None
    """a request target sent as is (for over-long or badly encoded URLs)"""
    check: Callable[[int, dict[str, str], bytes], str | None] | None = None
    """an extra check on (status, headers, body): a message when it fails"""
    closed_ok: bool = False
    """the server may also just close the connection (HTTP-level refusal of a huge request)"""

    def target(self) -> str:
        if self.raw_target is not None:
            return self.raw_target
        if not self.params:
            return self.path
        return self.path + "?" + urllib.parse.urlencode(self.params)


def _get(name: str, group: str, query: str, **kw: object) -> Hostile:
    return Hostile(name, group, params=(("query", query),), **kw)  # type: ignore[arg-type]


def _form(**fields: str) -> bytes:
    return urllib.parse.urlencode(fields).encode("utf-8")


FORM = (("Content-Type", "application/x-www-form-urlencoded"),)
SPARQL_QUERY = (("Content-Type", "application/sparql-query"),)
SPARQL_UPDATE = (("Content-Type", "application/sparql-update"),)

CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CONCAT = "SELECT (GROUP_CONCAT(STR(?o)) AS ?all) WHERE { ?s ?p ?o . ?a ?b ?c }"
PATH = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?s (<http://www.w3.org/2000/01/rdf-schema#label>"
    "|!<http://www.w3.org/2000/01/rdf-schema#label>)* ?o }"
)
REGEX = f'SELECT (regex("{"a" * 5000}b", "^(a+)+$") AS ?m) WHERE {{}}'
EVERYTHING = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"


def _no_html(status: int, headers: dict[str, str], body: bytes) -> str | None:
    kind = headers.get("content-type", "")
    if "html" in kind and b"<script>" in body:
        return "an unescaped <script> in an HTML answer"
    return None


def _cors(status: int, headers: dict[str, str], body: bytes) -> str | None:
    allow = headers.get("access-control-allow-origin")
    creds = headers.get("access-control-allow-credentials", "").lower() == "true"
    if allow == EVIL_ORIGIN and creds:
        return "the origin is reflected with credentials"
    if creds and allow == "*":
        return "credentials allowed for any origin"
    return None


def values_form(rows: int) -> bytes:
    """The form `query=SELECT * WHERE { VALUES ?x { 0 1 ... } }` with `rows` rows, as
    `urllib.parse.urlencode` writes it, without running its quoting over the numbers (between
    them a space is a "+"): half a second less for 10^6 rows."""
    head, tail = _form(query="SELECT * WHERE { VALUES ?x { "), _form(query=" } }")[6:]
    return head + "+".join(map(str, range(rows))).encode() + tail


@functools.cache
def _large_bodies() -> tuple[bytes, bytes]:
    """A query of 10 MB, and a form whose query has a VALUES block of 10^6 rows: made once per
    process, since the list of inputs is asked for again by each run."""
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 10_000_000
    return huge.encode(), values_form(10**6)


def hostile_inputs(listener: str) -> list[Hostile]:
    """Every hostile request; `listener` is a loopback URL nothing must ever connect to."""
    update_texts = {
        "insert-data": "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }",
        "drop-all": "DROP ALL",
        "load-file": "LOAD <file:///etc/passwd>",
    }
    writes = []
    for name, text in update_texts.items():
        writes += [
            Hostile(
                f"{name} as application/sparql-update",
                "write",
                "POST",
                body=text.encode(),
                headers=SPARQL_UPDATE,
                expect=(403,),
                code="read_only",
            ),
            Hostile(
                f"{name} as form update=",
                "write",
                "POST",
                body=_form(update=text),
                headers=FORM,
                expect=(403,),
                code="read_only",
            ),
            Hostile(
                f"{name} as GET ?update=",
                "write",
                params=(("update", text),),
                expect=(403,),
                code="read_only",
            ),
            _get(f"{name} as GET ?query=", "write", text, expect=(403,), code="read_only"),
        ]
    from argraph.selftest_cases import disguised_service, engine_and_hygiene

    huge, values = _large_bodies()
    return [
        # -- queries that reach out ------------------------------------------------------------
        _get(
            "SERVICE to a loopback listener",
            "outbound",
            f"SELECT * WHERE {{ SERVICE <{listener}/sparql> {{ ?s ?p ?o }} }}",
            code="query_refused",
        ),
        _get(
            "SERVICE SILENT to a metadata address",
            "outbound",
            f"SELECT * WHERE {{ SERVICE SILENT <{METADATA}> {{ ?s ?p ?o }} }}",
            code="query_refused",
        ),
        _get(
            "service (lower case) with a variable",
            "outbound",
            "SELECT * WHERE { BIND(<" + listener + "/> AS ?u) service ?u { ?s ?p ?o } }",
            code="query_refused",
        ),
        _get(
            "FROM <file:///etc/passwd>",
            "outbound",
            "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
            code="query_refused",
        ),
        _get(
            "FROM through a prefix to file:",
            "outbound",
            "PREFIX f: <file:///etc/> SELECT * FROM f:passwd WHERE { ?s ?p ?o }",
            code="query_refused",
        ),
        _get(
            "FROM NAMED a loopback URL",
            "outbound",
            f"SELECT * FROM NAMED <{listener}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            code="query_refused",
        ),
        Hostile(
            "default-graph-uri=file:///etc/hosts",
            "outbound",
            params=(
                ("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"),
                ("default-graph-uri", "file:///etc/hosts"),
            ),
            code="query_refused",
        ),
        Hostile(
            "named-graph-uri=file:///etc/hosts by POST form",
            "outbound",
            "POST",
            body=_form(query="SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1")
            + b"&named-graph-uri=file%3A%2F%2F%2Fetc%2Fhosts",
            headers=FORM,
            code="query_refused",
        ),
        Hostile(
            "named-graph-uri of a loopback URL: an empty graph, never fetched",
            "outbound",
            params=(
                ("query", "ASK { GRAPH ?g { ?s ?p ?o } }"),
                ("named-graph-uri", f"{listener}/g.ttl"),
            ),
            expect=(200,),
            json_error=False,
        ),
        _get(
            "GRAPH <loopback URL>: matches store graphs only",
            "outbound",
            f"ASK {{ GRAPH <{listener}/g.ttl> {{ ?s ?p ?o }} }}",
            expect=(200,),
            json_error=False,
        ),
        # -- writes ----------------------------------------------------------------------------
        *writes,
        Hostile(
            "query and update together",
            "write",
            params=(("query", "ASK {}"), ("update", "DROP ALL")),
            expect=(403,),
            code="read_only",
        ),
        Hostile(
            "form with query and update together",
            "write",
            "POST",
            body=_form(query="ASK {}", update="DROP ALL"),
            headers=FORM,
            expect=(403,),
            code="read_only",
        ),
        # -- expensive queries -----------------------------------------------------------------
        _get("triple cross product with COUNT", "expensive", CROSS, expect=(504, 503)),
        _get("(<p>|!<p>)* path", "expensive", PATH, expect=(200, 422, 503, 504), json_error=False),
        _get("catastrophic regex", "expensive", REGEX, expect=(200,), json_error=False),
        _get("huge GROUP_CONCAT", "expensive", CONCAT, expect=(504, 503, 422)),
        # past the row cap (422), or stopped at the time limit (503) when the runaway queries
        # just before left a busy machine no worker ready in time: refused either way
        _get("SELECT * over everything, no LIMIT", "expensive", EVERYTHING, expect=(422, 503)),
        _get(
            "1,000 nested groups",
            "expensive",
            "SELECT * WHERE " + "{" * 1000 + "}" * 1000,
            code="query_refused",
        ),
        _get(
            "5,000 nested parentheses",
            "expensive",
            "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
            code="query_refused",
        ),
        Hostile(
            "10 MB body",
            "expensive",
            "POST",
            body=huge,
            headers=SPARQL_QUERY,
            expect=(413,),
            code="payload_too_large",
        ),
        Hostile(
            "10^6-row VALUES",
            "expensive",
            "POST",
            body=values,
            headers=FORM,
            expect=(413, 400),
        ),
        Hostile(
            "over-long GET URL (1 MB)",
            "expensive",
            raw_target="/sparql?query=" + "ASK%20%7B%7D%20%23" + "x" * 1_000_000,
            expect=(400, 413, 414, 431),
            json_error=False,
            closed_ok=True,
        ),
        # -- protocol abuse --------------------------------------------------------------------
        Hostile(
            "two query= parameters",
            "protocol",
            params=(("query", "ASK {}"), ("query", "ASK {}")),
            code="bad_request",
        ),
        Hostile(
            "POST text/plain",
            "protocol",
            "POST",
            body=b"ASK {}",
            headers=(("Content-Type", "text/plain"),),
            expect=(415,),
            code="unsupported_media_type",
        ),
        Hostile("POST without Content-Type", "protocol", "POST", body=b"ASK {}", expect=(415,)),
        Hostile(
            "invalid UTF-8 body",
            "protocol",
            "POST",
            body=b"ASK { \xff\xfe }",
            headers=SPARQL_QUERY,
            code="bad_request",
        ),
        Hostile(
            "invalid UTF-8 form",
            "protocol",
            "POST",
            body=b"query=ASK%20%7B%7D%FF",
            headers=FORM,
            code="bad_request",
        ),
        Hostile(
            "invalid UTF-8 in the URL",
            "protocol",
            raw_target="/sparql?query=ASK%20%7B%FF%FE%7D",
            expect=(400,),
        ),
        Hostile(
            "UTF-16 charset",
            "protocol",
            "POST",
            body="ASK {}".encode("utf-16"),
            headers=(("Content-Type", "application/sparql-query; charset=UTF-16"),),
            expect=(415,),
        ),
        _get(
            "Accept: image/png",
            "protocol",
            "ASK {}",
            headers=(("Accept", "image/png"),),
            expect=(406,),
            code="not_acceptable",
        ),
        Hostile("PUT /sparql", "protocol", "PUT", body=b"ASK {}", expect=(405,)),
        Hostile("DELETE /sparql", "protocol", "DELETE", expect=(405,)),
        _get("syntax error", "protocol", "SELECT * WHERE { ?s ?p ", code="bad_request"),
        Hostile("unknown path", "protocol", path="/no/such/path", expect=(404,)),
        Hostile(
            "dump path traversal",
            "protocol",
            raw_target="/dumps/..%2F..%2F..%2Fetc%2Fpasswd",
            expect=(404,),
        ),
        Hostile(
            "item path traversal",
            "protocol",
            raw_target="/id/..%2F..%2Fetc%2Fpasswd",
            expect=(404,),
        ),
        # -- web -------------------------------------------------------------------------------
        Hostile(
            "script in an item path",
            "web",
            raw_target="/id/" + urllib.parse.quote(SCRIPT),
            headers=(("Accept", "text/html"),),
            expect=(404,),
            check=_no_html,
        ),
        _get(
            "script in a query string",
            "web",
            SCRIPT,
            headers=(("Accept", "text/html"),),
            code="bad_request",
            check=_no_html,
        ),
        Hostile(
            "script in an unknown path",
            "web",
            raw_target="/" + urllib.parse.quote(SCRIPT),
            headers=(("Accept", "text/html"),),
            expect=(404,),
            check=_no_html,
        ),
        _get(
            "CORS with an evil origin and a cookie",
            "web",
            "ASK {}",
            headers=(("Origin", EVIL_ORIGIN), ("Cookie", "session=1")),
            expect=(200,),
            json_error=False,
            check=_cors,
        ),
        Hostile(
            "CORS preflight asking for credentials",
            "web",
            "OPTIONS",
            headers=(
                ("Origin", EVIL_ORIGIN),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "content-type"),
                ("Cookie", "session=1"),
            ),
            expect=(200, 400),
            json_error=False,
            check=_cors,
        ),
        *disguised_service(listener),
        *engine_and_hygiene(listener),
    ]


# -- sending ---------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


def send(base_url: str, h: Hostile, timeout_s: float) -> Answer:
    """One request over a fresh HTTP/1.1 connection; a server that stops reading an over-long
    body early still has its answer read."""
    url = urllib.parse.urlsplit(base_url)
    conn = http.client.HTTPConnection(
        url.hostname or "127.0.0.1", url.port or 80, timeout=timeout_s
    )
    start = time.monotonic()
    try:
        headers = dict(h.headers)
        conn.putrequest(
            h.method,
            url.path.rstrip("/") + h.target(),
            skip_host="Host" in headers,
            skip_accept_encoding=True,
        )
        headers.setdefault("Accept", "*/*")
        if h.body is not None:
            headers["Content-Length"] = str(len(h.body))
        for k, v in headers.items():
            conn.putheader(k, v)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            conn.endheaders(h.body)  # a server may answer before reading a huge body whole
        resp = conn.getresponse()
        body = resp.read()
        return Answer(
            resp.status,
            {k.lower(): v for k, v in resp.getheaders()},
            body,
            time.monotonic() - start,
        )
    finally:
        conn.close()


@dataclass
class Outcome:
    name: str
    group: str
    ok: bool
    status: int | None
    seconds: float
    problems: list[str] = field(default_factory=list)


def judge(h: Hostile, answer: Answer, max_seconds: float) -> Outcome:
    problems = []
    if answer.status not in h.expect:
        problems.append(f"status {answer.status}, expected {' or '.join(map(str, h.expect))}")
    if answer.seconds > max_seconds:
        problems.append(f"took {answer.seconds:.1f} s (limit {max_seconds:g} s)")
    if answer.status >= 400:
        text = answer.body.decode("utf-8", "replace")
        problems += [f"the answer contains {leak!r}" for leak in LEAKS if leak in text]
        if h.json_error:
            problems += _error_shape(answer, h.code)
    if h.check is not None:
        extra = h.check(answer.status, answer.headers, answer.body)
        if extra:
            problems.append(extra)
    return Outcome(h.name, h.group, not problems, answer.status, answer.seconds, problems)


def _error_shape(answer: Answer, code: str | None) -> list[str]:
    if not answer.headers.get("content-type", "").startswith("application/json"):
        return [f"not a JSON error (Content-Type {answer.headers.get('content-type')})"]
    try:
        doc = json.loads(answer.body)
        err = doc["error"]
        assert set(doc) == {"error"} and isinstance(err["message"], str) and err["message"]
    except (ValueError, KeyError, TypeError, AssertionError):
        return ["not the error shape {error: {code, message}}"]
    if code is not None and err.get("code") != code:
        return [f"error code {err.get('code')!r}, expected {code!r}"]
    return []


# -- the listener nothing may call ---------------------------------------------------------------


class Listener:
    """A TCP listener on loopback that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@contextlib.contextmanager
def listening() -> Iterator[Listener]:
    listener = Listener()
    try:
        yield listener
    finally:
        listener.close()


# -- the graph's fingerprint ---------------------------------------------------------------------


TSV_RESULTS = (("Accept", "text/tab-separated-values"),)


def _quad_line(row: str) -> str:
    """A row of SPARQL TSV results, its blank node labels left out: a term that starts with `_:`
    is a blank node (an IRI starts with `<`, a literal with `"` or is a bare number or boolean;
    tabs and line breaks inside a literal are escaped), every other term stays as written."""
    return "\t".join("_:" if term.startswith("_:") else term for term in row.split("\t"))


def graph_hash(base_url: str, timeout_s: float = 60, page: int = 10_000) -> tuple[int, str]:
    """(quads, sha256) of every quad of the store, read through /sparql in pages of TSV results
    (blank node labels left out, lines sorted): equal before and after means nothing changed the
    graph. TSV, not JSON: the server writes it and this reads it in a third of the time. Pages
    are as large as the server's row cap allows (10,000 by default): a page the server refuses
    as too large is asked for again in halves."""
    lines: list[str] = []
    offset = 0
    while True:
        q = f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT {page} OFFSET {offset}"
        h = Hostile("hash", "hash", params=(("query", q),), headers=TSV_RESULTS)
        answer = send(base_url, h, timeout_s)
        if answer.status == 422 and page > 1 and b"result_too_large" in answer.body:
            page //= 2
            continue
        if answer.status != 200:
            raise RuntimeError(f"reading the graph failed: {answer.status} {answer.body[:200]!r}")
        header, _, body = answer.body.decode("utf-8").partition("\n")
        if header.split("\t") != ["?g", "?s", "?p", "?o"]:
            raise RuntimeError(f"reading the graph failed: not TSV results: {header[:200]!r}")
        rows = [_quad_line(row) for row in body.split("\n") if row]
        lines.extend(rows)
        if len(rows) < page:
            break
        offset += page
    lines.sort()
    return len(lines), hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


# -- the run -------------------------------------------------------------------------------------


@dataclass
class Report:
    outcomes: list[Outcome]
    outbound_connections: int
    hash_before: tuple[int, str]
    hash_after: tuple[int, str]

    @property
    def ok(self) -> bool:
        return (
            all(o.ok for o in self.outcomes)
            and self.outbound_connections == 0
            and self.hash_before == self.hash_after
        )

    def lines(self) -> list[str]:
        out = []
        for o in self.outcomes:
            mark = "PASS" if o.ok else "FAIL"
            detail = f"  ({'; '.join(o.problems)})" if o.problems else ""
            out.append(f"{mark}  [{o.group}] {o.name}: {o.status} in {o.seconds:.2f} s{detail}")
        mark = "PASS" if self.outbound_connections == 0 else "FAIL"
        out.append(f"{mark}  no outbound connection ({self.outbound_connections} seen)")
        same = self.hash_before == self.hash_after
        out.append(
            f"{'PASS' if same else 'FAIL'}  graph unchanged: {self.hash_before[0]} quads, "
            f"sha256 {self.hash_before[1][:16]}... -> {self.hash_after[1][:16]}..."
        )
        passed = sum(o.ok for o in self.outcomes) + (self.outbound_connections == 0) + same
        out.append(f"{passed} passed, {len(self.outcomes) + 2 - passed} failed")
        return out


def run(
    base_url: str,
    *,
    query_timeout_s: float = 10.0,
    only: Callable[[Hostile], bool] | None = None,
    progress: Callable[[Outcome], None] | None = None,
    check_hash: bool = True,
) -> Report:
    """Send every hostile input to the server at `base_url`, one after the other; with
    `check_hash`, read the whole graph before and after."""
    before = graph_hash(base_url) if check_hash else (0, "")
    outcomes = []
    with listening() as listener:
        for h in hostile_inputs(listener.url):
            if only is not None and not only(h):
                continue
            limit = query_timeout_s + 1 if h.group == "expensive" else max(5.0, query_timeout_s)
            start = time.monotonic()
            try:
                answer = send(base_url, h, timeout_s=limit + 30)
                outcome = judge(h, answer, limit)
            except (ConnectionResetError, http.client.RemoteDisconnected) as exc:
                took = time.monotonic() - start
                problems = [] if h.closed_ok else [f"no answer: {exc!r}"]
                outcome = Outcome(h.name, h.group, not problems, None, took, problems)
            except (OSError, http.client.HTTPException) as exc:
                outcome = Outcome(h.name, h.group, False, None, 0.0, [f"no answer: {exc!r}"])
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
        time.sleep(0.3)
        connections = listener.connections
    after = graph_hash(base_url) if check_hash else before
    return Report(outcomes, connections, before, after)


# -- a server of our own -------------------------------------------------------------------------


@dataclass
class Served:
    url: str
    pid: int
    """the server's, which also names its process group (its query workers are in it)"""

    def kill(self) -> None:
        """Stop the server and every process it started (its query workers) at once: a graceful
        stop lets the queries in flight run to their end, up to the time limit."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)


@contextlib.contextmanager
def serve_subprocess(
    dist: str, *, settings: dict[str, str] | None = None, start_timeout_s: float = 60
) -> Iterator[Served]:
    """`argraph serve` over a built `dist` on a free loopback port, in a child process of its
    own; `settings` are ARGRAPH_* variables (e.g. {"QUERY_TIMEOUT_S": "2"}). The server leads a
    process group of its own; on exit it is asked to stop (SIGTERM: the queries in flight end
    first), and whatever is left of its group is then killed, so that no query worker outlives
    it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ)
    env.update({f"ARGRAPH_{k.upper()}": v for k, v in (settings or {}).items()})
    cmd = [sys.executable, "-m", "argraph.cli", "serve", "--no-source"]
    cmd += ["--dist", str(dist), "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
                raise RuntimeError(f"the server exited ({proc.returncode}): {err[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        yield Served(url, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        Served(url, proc.pid).kill()  # the rest of its group: workers still on a query
        if proc.stderr:
            proc.stderr.close()
