"""The paper's text, read at runtime from `Settings.source` (never stored in the repository),
cut into passages around anchors and into reader segments over every anchored span."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from graph import repo
from graph.namespaces import ARG, OA
from graph.store import Store
from web.viewgraph import ViewGraph


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str
    sha256: str = ""
    """the digest of the text (what a paper's graph records as `arg:sourceSha256`)"""

    @classmethod
    def read(cls, path: Path | None) -> SourceText | None:
        if path is None or not path.is_file():
            return None
        text = path.read_text(encoding="utf-8")
        return cls(path, text, hashlib.sha256(text.encode("utf-8")).hexdigest())

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


_BLOCK = re.compile(r"\n[ \t]*\n")
_MARKUP = re.compile(r"<sup>|</sup>|\*\*")
_HEADING = re.compile(r"#{1,6}[ \t]+")


def blocks(source: SourceText, spans: list[tuple[int, int, str]], g: ViewGraph) -> dict[str, Any]:
    """The text as passages (paragraphs and markdown headings), each cut at every span boundary
    and at its inline markup (`<sup>`, `**`), which becomes flags instead of text. Every passage
    is named by its first character's offset (`c1234`), so it can be linked to."""
    text = source.text
    n = len(text)
    bounds = [0]
    for m in _BLOCK.finditer(text):
        bounds += [m.start(), m.end()]
    bounds.append(n)
    used: dict[str, dict[str, Any]] = {}
    out: list[dict[str, Any]] = []
    for a, b in zip(bounds[::2], bounds[1::2], strict=False):
        raw = text[a:b]
        lead = len(raw) - len(raw.lstrip())
        start = a + lead
        if start >= b:
            continue
        level = 0
        head = _HEADING.match(text, start)
        if head is not None and head.start() == start:
            level = len(head.group().strip())
            start = head.end()
        cuts = {start, b}
        for s, e, _ in spans:
            if s < b and e > start:
                cuts |= {max(s, start), min(e, b)}
        marks = [(m.start(), m.end(), m.group()) for m in _MARKUP.finditer(text, start, b)]
        for ms, me, _ in marks:
            cuts |= {ms, me}
        markup = {ms: (me, tok) for ms, me, tok in marks}
        pieces: list[dict[str, Any]] = []
        sup = bold = False
        for x, y in pairwise(sorted(cuts)):
            if x in markup and markup[x][0] == y:
                tok = markup[x][1]
                if tok == "<sup>":
                    sup = True
                elif tok == "</sup>":
                    sup = False
                else:
                    bold = not bold
                continue
            piece: dict[str, Any] = {"text": text[x:y], "start": x}
            if sup:
                piece["sup"] = True
            if bold:
                piece["bold"] = True
            covering = sorted((e - s, g.items[i].id) for s, e, i in spans if s <= x and y <= e)
            if covering:
                piece["items"] = [item_id for _, item_id in covering]
                for s, e, i in spans:
                    if s <= x and y <= e:
                        it = g.items[i]
                        used.setdefault(
                            it.id, {"kind": it.kind, "label": {"zh": it.zh, "en": it.en}}
                        )
            pieces.append(piece)
        out.append({"id": f"c{a + lead}", "start": a + lead, "level": level, "pieces": pieces})
    return {"blocks": out, "items": dict(sorted(used.items()))}
