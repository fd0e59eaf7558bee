"""A causal-loop diagram of the causal layer as JSON: variables, signed links, loops.

    {"format": "argraph-cld", "version": 1, "title": ...,
     "variables": [{"id", "iri", "label", "label_zh"}],
     "links": [{"id", "iri", "from", "to", "polarity": "+"|"-", "mechanism", "quote"}],
     "loops": [{"id", "iri", "label", "type": "R"|"B", "polarity": "reinforcing"|"balancing",
                "links": [link ids, in order], "variables": [variable ids, in order],
                "stated": true|false}]}

Variables are the factors that take part in a link. Loops are those the paper states
(`arg:FeedbackLoop`, `stated: true`) and then every other cycle of at most `max_length` links
found in the graph (`stated: false`), each typed by the parity of its negative links (R:
reinforcing, even; B: balancing, odd). Ids are the items' local ids.
"""

from __future__ import annotations

import json
from typing import Any

from graph.analysis import find_loops, load_causal_graph
from graph.analysis.loops import DEFAULT_MAX_LOOP_LENGTH
from graph.exports._argument import paper_title
from graph.query_rows import Queryable, lang_pick, local_name, select, value

_STATED = """
SELECT ?loop ?label ?position ?link WHERE {
  ?loop a arg:FeedbackLoop ; arg:step ?step .
  ?step arg:position ?position ; arg:link ?link .
  OPTIONAL { ?loop rdfs:label ?label }
}
"""


def _rotate(ids: list[str]) -> tuple[str, ...]:
    i = ids.index(min(ids))
    return tuple(ids[i:] + ids[:i])


def to_cld_dict(store: Queryable, max_length: int = DEFAULT_MAX_LOOP_LENGTH) -> dict[str, Any]:
    g = load_causal_graph(store)
    title, _ = paper_title(store)
    name = {iri: f.id for iri, f in g.factors.items()}
    variables = [
        {"id": f.id, "iri": iri, "label": f.en or f.id, "label_zh": f.zh or ""}
        for iri, f in g.factors.items()
        if g.in_model(iri)
    ]
    links = [
        {
            "id": link.id,
            "iri": iri,
            "from": name[link.cause],
            "to": name[link.effect],
            "polarity": "+" if link.polarity > 0 else "-",
            "mechanism": link.mechanism or "",
            "quote": link.quote or "",
        }
        for iri, link in g.links.items()
    ]
    steps: dict[str, dict[int, str]] = {}
    labels: dict[str, str | None] = {}
    for row in select(store, _STATED):
        loop = str(value(row, "loop"))
        steps.setdefault(loop, {})[int(str(value(row, "position")))] = str(value(row, "link"))
        labels[loop] = lang_pick(labels.get(loop), row.get("label"), "en")
    loops: list[dict[str, Any]] = []
    seen: set[tuple[str, ...]] = set()

    def add(iri: str | None, ident: str, label: str, link_iris: list[str], stated: bool) -> None:
        chain = [g.links[x] for x in link_iris]
        negatives = sum(1 for x in chain if x.polarity < 0)
        seen.add(_rotate(link_iris))
        loops.append(
            {
                "id": ident,
                "iri": iri,
                "label": label,
                "type": "B" if negatives % 2 else "R",
                "polarity": "balancing" if negatives % 2 else "reinforcing",
                "links": [x.id for x in chain],
                "variables": [name[x.cause] for x in chain],
                "stated": stated,
            }
        )

    for iri in sorted(steps):
        ordered = [steps[iri][i] for i in sorted(steps[iri])]
        if all(x in g.links for x in ordered):
            add(iri, local_name(iri), labels[iri] or local_name(iri), ordered, True)
    n = 0
    for lp in find_loops(g, max_length):
        if _rotate(lp.link_iris) in seen:
            continue
        n += 1
        names = [name[f] for f in lp.factor_iris]
        add(None, f"cycle-{n}", " -> ".join([*names, names[0]]), lp.link_iris, False)
    return {
        "format": "argraph-cld",
        "version": 1,
        "title": title,
        "variables": variables,
        "links": links,
        "loops": loops,
    }


def to_cld(store: Queryable) -> str:
    return json.dumps(to_cld_dict(store), ensure_ascii=False, indent=1) + "\n"
