"""Argdown text: every statement with its support and attack relations, and each policy
recommendation with a rationale as an argument (premises: the rationale; conclusion: the
recommendation). `challenges` and `qualifies` are both attacks (`->`); Argdown has no relation
for a scope restriction, so a qualifying statement also carries the tag `#qualifies`.

Statement titles are the items' ids (`[c-coast-weakened-domestic-circulation]`), texts their
English labels with every Argdown special character escaped. Sorted in reading order.
"""

from __future__ import annotations

import json
import re

from graph.exports._argument import Statement, load_argument, paper_title
from graph.query_rows import Queryable

_SPECIAL = re.compile(r"([\\\[\]<>#*_@/{}`~^=+\-|!:])")
_ARROW = {"supports": "+>", "challenges": "->", "qualifies": "->"}
GROUPS = [
    ("Theses", ("thesis",)),
    ("Claims", ("causal", "empirical", "definitional", "normative", "claim")),
    ("Evidence and statistics", ("evidence", "statistic")),
    ("Causal links and loops", ("link", "loop")),
    ("Rival explanations", ("explanation",)),
    ("Policy recommendations", ("policy",)),
    ("Other statements", ("statement",)),
]


def escape(text: str) -> str:
    """Plain text safe in an Argdown statement: specials backslash-escaped, one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _title(s: Statement) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 .-]*", s.id):
        raise ValueError(f"item id {s.id!r} cannot be an Argdown title")
    return s.id


def _group(s: Statement) -> str:
    kind = "thesis" if s.thesis else s.kind
    return next(name for name, kinds in GROUPS if kind in kinds)


def to_argdown(store: Queryable) -> str:
    arg = load_argument(store)
    title, _received = paper_title(store)
    qualifying = {e.source for e in arg.edges if e.relation == "qualifies"}
    rationale = {(c, p) for p, cs in arg.rationale.items() for c in cs}
    out = [
        "===",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        'subTitle: "argraph export: generated from the graph, do not edit"',
        "===",
        "",
    ]
    by_group: dict[str, list[Statement]] = {}
    for s in arg.ordered():
        by_group.setdefault(_group(s), []).append(s)
    for name, _kinds in GROUPS:
        members = by_group.get(name, [])
        if not members:
            continue
        out += [f"# {name}", ""]
        for s in members:
            tags = (
                [s.kind]
                + (["thesis"] if s.thesis else [])
                + (["qualifies"] if s.iri in qualifying else [])
            )
            out.append(f"[{_title(s)}]: {escape(s.text)} " + " ".join(f"#{t}" for t in tags))
            for e in arg.edges:
                if e.source == s.iri and (e.source, e.target) not in rationale:
                    out.append(f"  {_ARROW[e.relation]} [{_title(arg.statements[e.target])}]")
            out.append("")
    if arg.rationale:
        out += ["# Arguments for the recommendations", ""]
        for policy, claims in arg.rationale.items():
            p = arg.statements[policy]
            out += [f"<{_title(p)}>: {escape(p.text)} #policy", ""]
            for i, c in enumerate(claims, start=1):
                out.append(f"({i}) [{_title(arg.statements[c])}]")
            out += ["----", f"({len(claims) + 1}) [{_title(p)}]", ""]
    return "\n".join(out).rstrip("\n") + "\n"
