"""The bounded sink a query worker writes its answer into, and the row counters it uses.

The sink counts bytes and rows while the answer is written and raises `ResultTooLarge` as soon
as either cap is passed, so a result larger than the caps is never held whole. Rows are counted
in the written bytes, exactly, per format: `<result>` elements in XML, lines in TSV, record ends
outside quoted fields in CSV, elements of the bindings array in JSON (see `JsonRows`). An XML
sink also refuses the characters XML 1.0 cannot carry and writes a CR as `&#13;`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from errors import ResultTooLarge
from graph.results import NotRepresentable
from graph.store import too_many

__all__ = ["Count", "CsvRows", "JsonRows", "Sink", "counter", "too_big"]


def too_big(max_bytes: int) -> ResultTooLarge:
    return ResultTooLarge(
        f"the result is larger than {max_bytes} bytes: add a LIMIT (and OFFSET to page)",
        max_result_bytes=max_bytes,
    )


class Rows(Protocol):
    def feed(self, data: bytes) -> int: ...


class Count:
    """Occurrences of `pattern` across chunks, less `header`."""

    def __init__(self, pattern: bytes, header: int = 0) -> None:
        self.pattern = pattern
        self.tail = b""
        self.n = -header

    def feed(self, data: bytes) -> int:
        data = self.tail + data
        self.n += data.count(self.pattern)
        self.tail = data[-(len(self.pattern) - 1) :] if len(self.pattern) > 1 else b""
        return self.n


class CsvRows:
    """Record ends (`\\n`) outside quoted fields, less the header (quotes toggle; `""` twice)."""

    def __init__(self) -> None:
        self.quoted = False
        self.n = -1

    def feed(self, data: bytes) -> int:
        parts = data.split(b'"')
        outside = parts[1::2] if self.quoted else parts[0::2]
        self.n += b'"'.join(outside).count(b"\n")
        self.quoted ^= (len(parts) - 1) % 2 == 1
        return self.n


class JsonRows:
    """Solutions in SPARQL JSON. Every solution opens with `[{` or `,{`, so their count in the
    bytes is an upper bound (a string may hold them too), found at the speed of `bytes.count`;
    only when that bound passes the cap are the rows counted exactly (`ExactJsonRows`, from
    the start), so the row cap is exact and a result far below it costs two counts a chunk.
    `rows` is then the exact count, or the bound when the cap was never approached."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.bound = 0
        self.last = b""
        self.seen: list[bytes] = []
        self.exact: ExactJsonRows | None = None

    def feed(self, data: bytes) -> int:
        if self.exact is not None:
            return self.exact.feed(data)
        self.bound += data.count(b"[{") + data.count(b",{")
        if self.last in (b"[", b",") and data[:1] == b"{":
            self.bound += 1
        self.last = data[-1:]
        if self.limit is None:
            return self.bound
        self.seen.append(data)
        if self.bound <= self.limit:
            return self.bound
        self.exact = ExactJsonRows()
        n = 0
        for chunk in self.seen:
            n = self.exact.feed(chunk)
        self.seen = []
        return n


class ExactJsonRows:
    """Solutions: a `{` that opens an element of the bindings array, i.e. follows `[` or `,`
    outside strings (nowhere else in a SPARQL JSON document does). Strings are tracked by the
    parity of unescaped quotes; only the `[{` / `,{` candidates are looked at one by one."""

    def __init__(self) -> None:
        self.in_string = False
        self.pending = b""
        self.last = b""
        self.n = 0

    def feed(self, data: bytes) -> int:
        data = self.pending + data
        run = len(data) - len(data.rstrip(b"\\"))
        self.pending = b"\\" if run % 2 else b""
        if run % 2:
            data = data[:-1]
        text = self.last + data.replace(b"\\\\", b"").replace(b'\\"', b"")
        inside, at = self.in_string, 0
        for start in sorted(_find_all(text, b"[{") + _find_all(text, b",{")):
            inside ^= text.count(b'"', at, start) % 2 == 1
            at = start
            if not inside:
                self.n += 1
        inside ^= text.count(b'"', at) % 2 == 1
        self.in_string = inside
        self.last = text[-1:] if not inside and text[-1:] in (b",", b"[") else b""
        return self.n


def _find_all(text: bytes, pattern: bytes) -> list[int]:
    found, at = [], text.find(pattern)
    while at >= 0:
        found.append(at)
        at = text.find(pattern, at + 1)
    return found


_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
_NOT_XML_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


class Sink:
    """A bounded in-memory writer: raises `ResultTooLarge` past `max_bytes` or `max_rows` (rows
    counted by `rows`), and `NotRepresentable` for a character XML cannot carry (`xml`)."""

    def __init__(
        self,
        max_bytes: int | None,
        max_rows: int | None = None,
        rows: Rows | None = None,
        *,
        xml: bool = False,
    ) -> None:
        self.max_bytes = max_bytes
        self.max_rows = max_rows
        self.counter = rows
        self.xml = xml
        self.chunks: list[bytes] = []
        self.size = 0
        self.rows = 0
        self._tail = b""

    def write(self, data: bytes | bytearray | memoryview) -> int:
        chunk = given = bytes(data)
        if self.xml:
            seen = self._tail + chunk
            # bytes.translate deletes at memory speed; the regex (slower) only names the culprit
            if len(seen.translate(None, _NOT_XML_BYTES)) != len(seen) or (
                b"\xef\xbf\xbe" in seen or b"\xef\xbf\xbf" in seen
            ):
                bad = _NOT_XML.search(seen)
                assert bad is not None
                raise _not_xml(bad.group())
            self._tail = chunk[-2:]
            # a raw CR would reach XML readers as LF (end-of-line handling): keep it, escaped
            chunk = chunk.replace(b"\r", b"&#13;")
        self.size += len(chunk)
        if self.max_bytes is not None and self.size > self.max_bytes:
            raise too_big(self.max_bytes)
        if self.counter is not None:
            self.rows = self.counter.feed(chunk)
            if self.max_rows is not None and self.rows > self.max_rows:
                raise too_many(self.max_rows)
        self.chunks.append(chunk)
        return len(given)

    def write_text(self, chunks: Iterable[str]) -> None:
        for text in chunks:
            self.write(text.encode("utf-8"))

    def flush(self) -> None:
        return None

    def body(self) -> bytes:
        return b"".join(self.chunks)


def _not_xml(found: bytes) -> NotRepresentable:
    char = found.decode("utf-8", "replace")
    return NotRepresentable(
        f"the answer holds the character U+{ord(char[0]):04X}, which XML 1.0 cannot carry: "
        "ask for JSON or TSV results (or Turtle, N-Triples for a graph)",
        character=f"U+{ord(char[0]):04X}",
    )


def counter(fmt: str, max_rows: int | None) -> Rows:
    if fmt == "json":
        return JsonRows(max_rows)
    if fmt == "xml":
        return Count(b"<result>")
    if fmt == "csv":
        return CsvRows()
    return Count(b"\n", header=1)
