"""Store-neutral SPARQL results and their serialisations (JSON, XML, CSV, TSV, a text table).

Every store (embedded, rdflib, remote) turns its answer into these types, so the endpoint, the
REST layer and the CLI format results in one place.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral
from xml.sax.saxutils import escape, quoteattr

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


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

    def to_json(self) -> str:
        doc = {
            "head": {"vars": self.variables},
            "results": {
                "bindings": [{k: t.to_json() for k, t in row.items()} for row in self.rows]
            },
        }
        return json.dumps(doc, ensure_ascii=False)

    def to_xml(self) -> str:
        out = io.StringIO()
        out.write(
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
        )
        out.write("<head>")
        for v in self.variables:
            out.write(f"<variable name={quoteattr(v)}/>")
        out.write("</head>\n<results>\n")
        for row in self.rows:
            out.write("<result>")
            for name, term in row.items():
                out.write(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
            out.write("</result>\n")
        out.write("</results>\n</sparql>\n")
        return out.getvalue()

    def to_csv(self) -> str:
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
        return out.getvalue()

    def to_tsv(self) -> str:
        lines = ["\t".join("?" + v for v in self.variables)]
        for row in self.rows:
            lines.append("\t".join(_tsv_term(row.get(v)) for v in self.variables))
        return "\n".join(lines) + "\n"

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
        return f"_askResult\r\n{'true' if self.value else 'false'}\r\n"

    def to_tsv(self) -> str:
        return f"?_askResult\n{'true' if self.value else 'false'}\n"

    def to_table(self, width: int = 60) -> str:
        return "true" if self.value else "false"


@dataclass
class GraphResult:
    """CONSTRUCT / DESCRIBE: triples as N-Triples lines (parse with any RDF library)."""

    ntriples: str

    def to_table(self, width: int = 60) -> str:
        return self.ntriples


QueryResult = SelectResult | AskResult | GraphResult


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
    return f"<literal{attrs}>{escape(term.value)}</literal>"


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
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
