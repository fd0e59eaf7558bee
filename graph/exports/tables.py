"""Tables: the comparison of explanations, and every claim with its quote (CSV or Markdown).

The comparison reuses `graph.analysis.tables` (columns explanation, mechanism, factors, evidence,
references, stance). The claims table has one row per claim (policy recommendations included,
they are normative claims) in reading order: id, kind, thesis, label_en, label_zh, quote,
section, about, supports, challenges, qualifies, cites, iri.
"""

from __future__ import annotations

import csv
import io

from graph.analysis import compare, decline_outcome, load_causal_graph, load_explanations
from graph.analysis import tables as analysis_tables
from graph.analysis.explanations import Comparison
from graph.exports._argument import load_argument
from graph.query_rows import Queryable, local_name, select, value

CLAIM_COLUMNS = [
    "id",
    "kind",
    "thesis",
    "label_en",
    "label_zh",
    "quote",
    "section",
    "about",
    "supports",
    "challenges",
    "qualifies",
    "cites",
    "iri",
]
_CLAIM_KINDS = {"causal", "empirical", "normative", "definitional", "claim", "policy"}

_EXTRA = """
SELECT ?c ?p ?o ?n WHERE {
  { ?c a arg:Claim } UNION { ?c a arg:PolicyRecommendation }
  { ?c arg:section ?o BIND("section" AS ?p) }
  UNION { ?c arg:about ?o BIND("about" AS ?p) }
  UNION { ?c cito:cites ?o BIND("cites" AS ?p) OPTIONAL { ?o arg:number ?n } }
}
"""


def claim_rows(store: Queryable) -> list[dict[str, str]]:
    arg = load_argument(store)
    extra: dict[tuple[str, str], set[str]] = {}
    for row in select(store, _EXTRA):
        c, p, o = str(value(row, "c")), str(value(row, "p")), str(value(row, "o"))
        n = value(row, "n")
        extra.setdefault((c, p), set()).add(f"[{n}]" if n else local_name(o))
    related: dict[tuple[str, str], set[str]] = {}
    for e in arg.edges:
        related.setdefault((e.source, e.relation), set()).add(local_name(e.target))

    def cell(iri: str, key: str, source: dict[tuple[str, str], set[str]]) -> str:
        return "; ".join(sorted(source.get((iri, key), set())))

    rows = []
    for s in arg.ordered():
        if s.kind not in _CLAIM_KINDS:
            continue
        rows.append(
            {
                "id": s.id,
                "kind": s.kind,
                "thesis": "yes" if s.thesis else "",
                "label_en": s.en or "",
                "label_zh": s.zh or "",
                "quote": s.quote or "",
                "section": cell(s.iri, "section", extra),
                "about": cell(s.iri, "about", extra),
                "supports": cell(s.iri, "supports", related),
                "challenges": cell(s.iri, "challenges", related),
                "qualifies": cell(s.iri, "qualifies", related),
                "cites": "; ".join(sorted(extra.get((s.iri, "cites"), set()), key=_num)),
                "iri": s.iri,
            }
        )
    return rows


def _num(text: str) -> tuple[int, str]:
    digits = text.strip("[]")
    return (int(digits), text) if digits.isdigit() else (1 << 30, text)


def _csv(columns: list[str], rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _md_cell(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def _markdown(columns: list[str], rows: list[dict[str, str]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_md_cell(r[c]) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def claims_csv(store: Queryable) -> str:
    return _csv(CLAIM_COLUMNS, claim_rows(store))


def claims_markdown(store: Queryable) -> str:
    return _markdown(CLAIM_COLUMNS, claim_rows(store))


def _comparison(store: Queryable) -> Comparison:
    g = load_causal_graph(store)
    return compare(g, load_explanations(store), decline_outcome(g))


def comparison_csv(store: Queryable) -> str:
    return analysis_tables.to_csv(_comparison(store))


def comparison_markdown(store: Queryable) -> str:
    return _markdown(analysis_tables.COLUMNS, analysis_tables.rows(_comparison(store)))
