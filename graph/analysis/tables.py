"""The comparison of explanations as a side-by-side table (CSV or Markdown).

Rows are explanations; columns: explanation, mechanism, factors, evidence, references, stance.
Each posited factor says on what basis the explanation posits it: `stated` (the paper names it for
this explanation) or `inferred` (our reading of the text).
"""

from __future__ import annotations

import csv
import io

from graph.analysis.causal_graph import FactorRef, Link
from graph.analysis.explanations import Comparison, ExplanationReport, FactorPlace
from graph.query_rows import local_name

COLUMNS = ["explanation", "mechanism", "factors", "evidence", "references", "stance"]


def _name(f: FactorRef) -> str:
    return f.en or f.id


def _path(links: list[Link], names: dict[str, str]) -> str:
    if not links:
        return ""
    steps = [names.get(links[0].cause, local_name(links[0].cause))]
    for link in links:
        sign = "(+) " if link.polarity > 0 else "(-) "
        steps.append(sign + names.get(link.effect, local_name(link.effect)))
    return " -> ".join(steps)


def _place(p: FactorPlace) -> str:
    basis = f"[{p.basis}] " if p.basis else ""
    return basis + _where(p)


def _where(p: FactorPlace) -> str:
    if not p.in_model and p.via_indicator is None:
        return f"{_name(p.factor)} (outside the causal model)"
    if p.distance_from_root is None:
        where = "not reached from the paper's root cause"
    elif p.is_root:
        where = "the root cause"
    else:
        where = f"{p.distance_from_root} links from the root cause"
    if p.on_decline_path:
        path = "on the path to decline"
    elif p.distance_to_outcome is not None:
        path = f"leads to the decline in {p.distance_to_outcome} links"
    else:
        path = "does not lead to the decline"
    if p.via_indicator is not None:
        return f"{_name(p.factor)} (an indicator of {_name(p.via_indicator)}: {where}; {path})"
    return f"{_name(p.factor)} ({where}; {path})"


def _mechanism(r: ExplanationReport) -> str:
    names = {f.iri: _name(f) for f in r.link_factors}
    names.update({p.factor.iri: _name(p.factor) for p in r.factors})
    for p in r.factors:
        for f in p.chain_from_root.factors if p.chain_from_root else []:
            names[f.iri] = _name(f)
    if r.mechanism_links:
        return "own links: " + "; ".join(_path([link], names) for link in r.mechanism_links)
    if r.subsumed:
        chains = [_path(p.chain_from_root.links, names) for p in r.factors if p.chain_from_root]
        return "subsumed by the paper's mechanism: " + "; ".join(chains)
    return "not subsumed by the paper's mechanism"


def rows(comparison: Comparison) -> list[dict[str, str]]:
    out = []
    for r in comparison.explanations:
        e = r.explanation
        out.append(
            {
                "explanation": f"{e.en or e.id} [{e.family or ''}]",
                "mechanism": _mechanism(r),
                "factors": "; ".join(_place(p) for p in r.factors),
                "evidence": "; ".join(s.label or s.id for s in e.evidence),
                "references": "; ".join(
                    f"[{c.number}] {c.label or ''}".strip() if c.number else (c.label or c.iri)
                    for c in e.references
                ),
                "stance": (e.verdict_label or e.verdict or "")
                + (f": {e.verdict_quote}" if e.verdict_quote else ""),
            }
        )
    return out


def to_csv(comparison: Comparison) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows(comparison))
    return buf.getvalue()


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(comparison: Comparison) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows(comparison):
        lines.append("| " + " | ".join(_md(row[c]) for c in COLUMNS) + " |")
    return "\n".join(lines) + "\n"
