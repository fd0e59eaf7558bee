"""Store-neutral SPARQL results and their serialisations (JSON, XML, CSV, TSV, a text table).

Every store (embedded, rdflib, remote) can turn its answer into these types, so the REST layer
and the CLI format results in one place. The endpoint's workers write the embedded store's
answers with pyoxigraph's own writers (`graph/stores/execute.py`); rdflib and remote stores are
written here, row by row (`chunks`), so that the same byte cap stops them while they are written.

An ASK answered as CSV or TSV follows Apache Jena's convention (the SPARQL 1.1 CSV/TSV
recommendation defines no boolean form): one column named `_askResult` (`?_askResult` in TSV)
and one row, `true` or `false`. Jena writes and reads exactly this form, and so do the tools
built on it (Fuseki, SPARQL Anything); rdflib refuses to write ASK as CSV, and Oxigraph writes a
bare `true` that Jena's reader refuses.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral
from xml.sax.saxutils import escape, quoteattr

from errors import BadRequest

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
ASK_COLUMN = "_askResult"
"""the ASK column in CSV and TSV (Apache Jena's convention)"""


class NotRepresentable(BadRequest):
    """The answer holds something the negotiated format cannot carry (a control character in
    XML, a triple term in JSON-LD or in a table): ask for another format."""

    status = 406
    code = "not_representable"


@dataclass(frozen=True, slots=True)
class Term:
    kind: TypingLiteral["uri", "literal", "bnode"]
    value: str
    lang: str | None = None
    datatype: str | None = None

    def n3(self) -> str:
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = (
            self.value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
        if self.lang:
            return f'"{text}"@{self.lang}'
        if self.datatype and self.datatype not in (XSD_STRING, RDF_LANGSTRING):
            return f'"{text}"^^<{self.datatype}>'
        return f'"{text}"'

    def to_json(self) -> dict[str, str]:
        out = {"type": self.kind, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype and self.datatype != XSD_STRING and self.kind == "literal":
            out["datatype"] = self.datatype
        return out


@dataclass
class SelectResult:
    variables: list[str]
    rows: list[dict[str, Term]] = field(default_factory=list)

    def chunks(self, fmt: str) -> Iterator[str]:
        """The result in `fmt` (json, xml, csv, tsv), a row at a time."""
        return {
            "json": self._json,
            "xml": self._xml,
            "csv": self._csv,
            "tsv": self._tsv,
        }[fmt]()

    def _json(self) -> Iterator[str]:
        head = json.dumps({"vars": self.variables}, ensure_ascii=False)
        yield f'{{"head": {head}, "results": {{"bindings": ['
        for n, row in enumerate(self.rows):
            binding = json.dumps({k: t.to_json() for k, t in row.items()}, ensure_ascii=False)
            yield binding if n == 0 else ", " + binding
        yield "]}}"

    def _xml(self) -> Iterator[str]:
        yield '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
        yield "<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in self.variables)
        yield "</head>\n<results>\n"
        for row in self.rows:
            cells = "".join(
                f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
                for name, term in row.items()
            )
            yield f"<result>{cells}</result>\n"
        yield "</results>\n</sparql>\n"

    def _csv(self) -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow(
                [
                    row[v].value if v in row and row[v].kind != "bnode" else _bnode_csv(row.get(v))
                    for v in self.variables
                ]
            )
            yield out.getvalue()
            out.seek(0)
            out.truncate()
        yield out.getvalue()

    def _tsv(self) -> Iterator[str]:
        yield "\t".join("?" + v for v in self.variables) + "\n"
        for row in self.rows:
            yield "\t".join(_tsv_term(row.get(v)) for v in self.variables) + "\n"

    def to_json(self) -> str:
        return "".join(self._json())

    def to_xml(self) -> str:
        return "".join(self._xml())

    def to_csv(self) -> str:
        return "".join(self._csv())

    def to_tsv(self) -> str:
        return "".join(self._tsv())

    def to_table(self, width: int = 60) -> str:
        """A plain-text table for terminals; values cut at `width` characters."""
        header = self.variables
        body = [[_short(row.get(v), width) for v in header] for row in self.rows]
        widths = [
            max([_display_width(h)] + [_display_width(r[i]) for r in body])
            for i, h in enumerate(header)
        ]

        def line(cells: list[str]) -> str:
            return " | ".join(
                c + " " * (w - _display_width(c)) for c, w in zip(cells, widths, strict=True)
            )

        rule = "-+-".join("-" * w for w in widths)
        out = [line(header), rule] + [line(r) for r in body]
        out.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(out)


@dataclass
class AskResult:
    value: bool

    def to_json(self) -> str:
        return json.dumps({"head": {}, "boolean": self.value})

    def to_xml(self) -> str:
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
            f"<head></head>\n<boolean>{'true' if self.value else 'false'}</boolean>\n</sparql>\n"
        )

    def to_csv(self) -> str:
        return f"{ASK_COLUMN}\r\n{'true' if self.value else 'false'}\r\n"

    def to_tsv(self) -> str:
        return f"?{ASK_COLUMN}\n{'true' if self.value else 'false'}\n"

    def chunks(self, fmt: str) -> Iterator[str]:
        yield {"json": self.to_json, "xml": self.to_xml, "csv": self.to_csv, "tsv": self.to_tsv}[
            fmt
        ]()

    def to_table(self, width: int = 60) -> str:
        return "true" if self.value else "false"


@dataclass
class GraphResult:
    """CONSTRUCT / DESCRIBE: triples as N-Triples lines (parse with any RDF library)."""

    ntriples: str

    def to_table(self, width: int = 60) -> str:
        return self.ntriples


QueryResult = SelectResult | AskResult | GraphResult


_CR = {"\r": "&#13;"}
"""a raw CR would reach XML readers as LF: written as a character reference"""


def _xml_term(term: Term) -> str:
    if term.kind == "uri":
        return f"<uri>{escape(term.value)}</uri>"
    if term.kind == "bnode":
        return f"<bnode>{escape(term.value)}</bnode>"
    attrs = ""
    if term.lang:
        attrs = f" xml:lang={quoteattr(term.lang)}"
    elif term.datatype and term.datatype != XSD_STRING:
        attrs = f" datatype={quoteattr(term.datatype)}"
    return f"<literal{attrs}>{escape(term.value, _CR)}</literal>"


def _bnode_csv(term: Term | None) -> str:
    return "" if term is None else f"_:{term.value}"


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    return term.n3().replace("\t", "\\t")


def _short(term: Term | None, width: int) -> str:
    if term is None:
        return ""
    text = term.value.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
