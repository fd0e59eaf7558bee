"""The paper's text, read at runtime from `Settings.source` (never stored in the repository),
cut into passages around anchors and into reader segments over every anchored span."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from argraph.api import repo
from argraph.graph.namespaces import ARG, OA
from argraph.graph.store import Store
from argraph.web.viewgraph import ViewGraph


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str

    @classmethod
    def read(cls, path: Path | None) -> SourceText | None:
        if path is None or not path.is_file():
            return None
        return cls(path, path.read_text(encoding="utf-8"))

    def passage(self, start: int, end: int, exact: str, chars: int) -> dict[str, Any] | None:
        """The span and `chars` around it; None when the text no longer matches the anchor."""
        if not (0 <= start <= end <= len(self.text)) or self.text[start:end] != exact:
            return None
        return {
            "before": self.text[max(0, start - chars) : start],
            "text": self.text[start:end],
            "after": self.text[end : end + chars],
        }


def anchored_spans(store: Store, g: ViewGraph) -> list[tuple[int, int, str]]:
    """(start, end, item IRI) of every anchored item of the paper."""
    rows = repo.select(
        store,
        f"""SELECT ?s ?start ?end WHERE {{
        ?s <{ARG.anchor}> ?a . ?a <{OA.hasSelector}> ?tp .
        ?tp <{OA.start}> ?start ; <{OA.end}> ?end }}""",
    )
    out = []
    for r in rows:
        s = r["s"].value
        if s in g.items:
            out.append((int(r["start"].value), int(r["end"].value), s))
    return sorted(out)


def segments(
    source: SourceText, spans: list[tuple[int, int, str]], g: ViewGraph
) -> list[dict[str, Any]]:
    """The text cut at every span boundary; each piece lists the items whose quote covers it."""
    n = len(source.text)
    cuts = {0, n}
    for start, end, _ in spans:
        if 0 <= start < end <= n:
            cuts |= {start, end}
    bounds = sorted(cuts)
    out: list[dict[str, Any]] = []
    for a, b in pairwise(bounds):
        # the narrowest span first: the most specific item
        covering = sorted(
            (e - s, g.items[i].id, g.items[i].kind) for s, e, i in spans if s <= a and b <= e
        )
        piece: dict[str, Any] = {"text": source.text[a:b], "start": a}
        if covering:
            piece["items"] = [{"id": item_id, "kind": kind} for _, item_id, kind in covering]
        out.append(piece)
    return out
