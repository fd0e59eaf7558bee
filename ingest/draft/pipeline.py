"""Draft a paper: run every rule over its sentences and collect the drafted items.

`draft_text` is the library entry point: text in, a `Draft` out (items by section file, the
sentence and citation records, and what could not be quoted). Every item's quote is found
by the project's anchoring and its offsets are stored in its `draft:` block.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from errors import SourceError
from ingest.anchoring import SourceText
from ingest.draft import causal, citations, claims, statistics
from ingest.draft.entities import Gazetteer, Known, Mention
from ingest.draft.items import TODO, DraftItem, labels
from ingest.draft.quotes import quote
from ingest.draft.text import Document, Sentence, numeral, parse

LABEL_CHARS = 24
MAX_CHARS = 500_000
"""The longest text drafted (about fifteen papers): quoting checks each quote against the whole
text, so the work grows with the square of the length; a longer text is refused, not crawled."""


@dataclass
class Draft:
    name: str
    source_path: str
    source_sha256: str
    document: Document
    items: list[DraftItem] = field(default_factory=list)
    citations: list[citations.InText] = field(default_factory=list)
    unquoted: list[str] = field(default_factory=list)
    """what a rule found but no unique quote could be made for (sentence ids)"""
    seconds: float = 0.0

    def of_type(self, kind: str) -> list[DraftItem]:
        return [i for i in self.items if i.type == kind]


def _excerpt(text: str, n: int = LABEL_CHARS) -> str:
    text = text.strip().rstrip("。;；,，")
    return text if len(text) <= n else text[:n] + "…"


def _section_id(number: str) -> str:
    return f"sec-{numeral(number)}"


class _Builder:
    def __init__(
        self, doc: Document, source: SourceText, gazetteer: Gazetteer, min_confidence: float = 0.0
    ) -> None:
        self.min_confidence = min_confidence
        self.doc = doc
        self.source = source
        self.gaz = gazetteer
        self.items: list[DraftItem] = []
        self.ids: set[str] = set()
        self.unquoted: list[str] = []
        self.entities: dict[str, DraftItem] = {}
        self.factors: dict[tuple[str, str], str] = {}
        self.titles = {sec.number: sec.title for sec in doc.sections}

    def unique_id(self, base: str) -> str:
        base = re.sub(r"[^a-z0-9-]+", "-", base.lower()).strip("-")[:72] or "item"
        out, k = base, 1
        while out in self.ids:
            k += 1
            out = f"{base}-{k}"
        self.ids.add(out)
        return out

    def add(
        self,
        s: Sentence | None,
        span: tuple[int, int],
        fields: dict[str, Any],
        *,
        rule: str,
        confidence: float,
        cue: str | None = None,
        extra: dict[str, Any] | None = None,
        section: str | None = "",
    ) -> DraftItem | None:
        if s is None:
            return None
        q = quote(self.source, s, *span)
        if q is None:
            self.unquoted.append(f"{s.id}: {fields.get('type')} ({rule})")
            return None
        fields = {**fields, "quote": q.text}
        item = DraftItem(
            fields=fields,
            section=s.section if section == "" else section,
            rule=rule,
            confidence=confidence,
            start=q.start,
            end=q.end,
            sentence=s.id,
            cue=cue,
            extra=extra or {},
        )
        self.items.append(item)
        return item

    def entity(self, s: Sentence, m: Mention) -> str:
        known = m.entity
        if known.id in self.entities:
            mentions = self.entities[known.id].extra.setdefault("mentions", [])
            if s.id not in mentions:
                mentions.append(s.id)
            return known.id
        fields: dict[str, Any] = {
            "id": known.id,
            "type": "entity",
            "kind": known.kind,
            "label": labels(known.zh, known.en if known.en != known.zh else TODO),
        }
        if known.iso_code:
            fields["iso_code"] = known.iso_code
        if known.date:
            fields["date"] = known.date
        item = self.add(
            s,
            (m.start, m.end),
            fields,
            rule=m.rule,
            confidence=0.9 if m.rule == "entity-table" else 0.6,
            cue=known.zh,
            section=None,
        )
        if item is not None:
            self.ids.add(known.id)
            item.extra["mentions"] = [s.id]
            self.entities[known.id] = item
        return known.id

    def factor(self, s: Sentence, span: tuple[int, int]) -> str | None:
        zh = s.text[span[0] : span[1]].strip()
        key = (s.section, zh)
        if key in self.factors:
            return self.factors[key]
        fid = self.unique_id(f"f-{s.id}-{len(self.factors) + 1}")
        item = self.add(
            s,
            span,
            {"id": fid, "type": "factor", "label": labels(zh)},
            rule="causal-span",
            confidence=0.5,
        )
        if item is None:
            self.ids.discard(fid)
            return None
        self.factors[key] = fid
        return fid

    def sentence(self, s: Sentence) -> list[citations.InText]:
        mentions = self.gaz.mentions(s.text)
        for m in mentions:
            self.entity(s, m)
        cites = citations.markers(s)
        links = causal.candidates(s)
        numbers = statistics.numbers(s.text)
        cue = claims.claim_cue(s.text, len(links), len(numbers), len(cites))
        claim_id = None
        if cue is not None:
            fields: dict[str, Any] = {
                "id": self.unique_id(f"c-{s.id}"),
                "type": "claim",
                "kind": cue.kind,
                "label": labels(_excerpt(s.text)),
            }
            refs = [c for c in cites if c.ref is not None]
            if refs:
                fields["cites"] = [
                    {"ref": c.ref, **({"pages": c.pages} if c.pages else {})} for c in refs
                ]
            notes = [self.footnote_id(c) for c in cites if c.footnote]
            if any(notes):
                fields["footnotes"] = [n for n in notes if n]
            about = sorted({m.entity.id for m in mentions if m.entity.id in self.entities})
            if about:
                fields["about"] = about
            item = self.add(
                s,
                (0, len(s.text)),
                fields,
                rule=cue.rule,
                confidence=cue.confidence,
                cue=cue.cue or None,
            )
            claim_id = item.id if item else None
        for k, n in enumerate(numbers, start=1):
            self.statistic(s, n, k, mentions, claim_id)
        for k, c in enumerate(links, start=1):
            self.link(s, c, k, claim_id)
        pc = claims.policy_cue(s, self.titles.get(s.section, ""), mentions)
        if pc is not None:
            self.policy(s, pc)
        return cites

    def footnote_id(self, c: citations.InText) -> str | None:
        for note in self.doc.footnotes:
            if note.marker == c.footnote and note.start > c.start:
                return f"fn-{self.doc.footnotes.index(note) + 1}"
        return None

    def statistic(
        self, s: Sentence, n: statistics.Found, k: int, mentions: list[Mention], claim: str | None
    ) -> None:
        lo = causal._clause_start(s.text, n.start)
        hi = causal._clause_end(s.text, n.end)
        areas = [
            m.entity.id for m in mentions if m.start < n.start and m.entity.id in self.entities
        ]
        area = areas[-1:] or [m.entity.id for m in mentions if m.entity.id in self.entities][:1]
        measure = s.text[lo : n.start].strip() or s.text[lo:hi]
        fields: dict[str, Any] = {
            "id": self.unique_id(f"st-{s.id}-{k}"),
            "type": "statistic",
            "label": labels(_excerpt(s.text[lo:hi], 40)),
            "measure": labels(_excerpt(measure, 40)),
            "value": int(n.value) if n.value.is_integer() else round(n.value, 6),
            "unit": n.unit,
            "area": area,
        }
        if "/" in n.text or n.text != f"{fields['value']}":
            fields["value_text"] = n.text
        if n.period:
            fields["period"] = n.period
        if claim:
            fields["supports"] = [claim]
        extra: dict[str, Any] = {"number": n.text}
        if n.qualifier:
            extra["qualifier"] = n.qualifier
            fields["note"] = f"Qualifier as stated: {n.qualifier}."
        todo = ["label.en", "measure.en"] + ([] if area else ["area"])
        extra["todo"] = todo
        self.add(s, (lo, hi), fields, rule=n.rule, confidence=0.8, cue=n.text, extra=extra)

    def link(self, s: Sentence, c: causal.Candidate, k: int, claim: str | None) -> None:
        if claim is None or c.confidence < self.min_confidence:
            return
        cause = self.factor(s, c.cause)
        effect = self.factor(s, c.effect)
        if cause is None or effect is None or cause == effect:
            return
        zc, ze = s.text[c.cause[0] : c.cause[1]], s.text[c.effect[0] : c.effect[1]]
        lo, hi = min(c.cause[0], c.effect[0]), max(c.cause[1], c.effect[1])
        fields = {
            "id": self.unique_id(f"l-{s.id}-{k}"),
            "type": "link",
            "cause": cause,
            "effect": effect,
            "polarity": c.polarity,
            "mechanism": {"en": TODO},
            "asserted_by": claim,
            "label": labels(f"{zc} → {ze}"),
        }
        extra = {
            "cause_span": list(s.span(*c.cause)),
            "effect_span": list(s.span(*c.effect)),
            "todo": ["label.en", "mechanism.en"],
        }
        self.add(s, (lo, hi), fields, rule=c.rule, confidence=c.confidence, cue=c.cue, extra=extra)

    def policy(self, s: Sentence, pc: claims.PolicyCue) -> None:
        hi = causal._clause_end(s.text, pc.start)
        if hi - pc.start < 2:
            hi = len(s.text)
        actors = []
        if pc.actor is not None and pc.actor.entity.id in self.entities:
            actors = [pc.actor.entity.id]
        fields: dict[str, Any] = {
            "id": self.unique_id(f"p-{s.id}"),
            "type": "policy",
            "targets": [],
            "aim": pc.aim,
            "actors": actors,
            "instrument": {"en": TODO, "zh": s.text[pc.start : hi].strip(" ,，;；")},
            "label": labels(_excerpt(s.text)),
        }
        extra: dict[str, Any] = {"todo": ["targets", "label.en", "instrument.en"]}
        if pc.actor_text and not actors:
            extra["actor_text"] = pc.actor_text
        self.add(
            s,
            (0, len(s.text)),
            fields,
            rule="prescriptive",
            confidence=pc.confidence,
            cue=pc.cue,
            extra=extra,
        )


def draft_text(
    text: str,
    *,
    name: str = "new-paper",
    path: str = "<text>",
    table: list[Known] | None = None,
    progress: Callable[[int, int], None] | None = None,
    max_chars: int = MAX_CHARS,
    min_confidence: float = 0.0,
) -> Draft:
    """Draft the annotations of one paper's text (SourceError for a text longer than
    `max_chars` or without numbered sections). Causal link candidates below `min_confidence`
    are left out (the clause-sequence rule proposes links at 0.3)."""
    started = time.perf_counter()
    if len(text) > max_chars:
        raise SourceError(
            f"{path}: {len(text):,} characters is more than one paper; the drafting assistant "
            f"reads at most {max_chars:,} (split the text, or raise --max-chars)",
            file=path,
        )
    doc = parse(text, path)
    source = SourceText(text)
    b = _Builder(doc, source, Gazetteer(table or []), min_confidence)
    for sec in doc.sections:
        lead = doc.text.index(sec.heading, sec.start)
        heading = Sentence(
            f"h{sec.order}", sec.number, sec.heading, list(range(lead, lead + len(sec.heading)))
        )
        b.add(
            heading,
            (0, len(heading.text)),
            {
                "id": _section_id(sec.number),
                "type": "section",
                "number": sec.number,
                "order": sec.order,
                "label": labels(sec.title),
            },
            rule="numbered-heading",
            confidence=0.95,
            section=None,
        )
    for k, note in enumerate(doc.footnotes, start=1):
        first = re.split(r"(?<=[。;；])", note.text.strip())[0]
        pseudo = Sentence(f"fn{k}", "", first, list(range(note.start, note.start + len(first))))
        b.add(
            pseudo,
            (0, len(first)),
            {
                "id": f"fn-{k}",
                "type": "footnote",
                "marker": note.marker,
                "label": labels(_excerpt(first, 16)),
            },
            rule="footnote",
            confidence=0.9,
            section=None,
        )
    for rec in citations.references(doc):
        line = rec.pop("line")
        a, z = rec.pop("start"), rec.pop("end")
        pseudo = Sentence(f"ref{rec['number']}", "", doc.text[a:z], list(range(a, z)))
        lead = len(pseudo.text) - len(pseudo.text.lstrip("-* "))
        fields = {"id": f"ref-{rec['number']}", "type": "reference", **rec}
        if "title" in fields:
            fields["label"] = labels(str(fields["title"]))
        b.add(
            pseudo,
            (lead, len(pseudo.text)),
            fields,
            rule="reference-list",
            confidence=0.9 if "title" in rec else 0.3,
            section=None,
            extra={}
            if "title" in rec
            else {"todo": ["authors", "title", "venue", "year"], "line": line},
        )
    found: list[citations.InText] = []
    total = len(doc.sentences)
    for i, s in enumerate(doc.sentences, start=1):
        found += b.sentence(s)
        if progress is not None and (i % 200 == 0 or i == total):
            progress(i, total)
    return Draft(
        name=name,
        source_path=path,
        source_sha256=source.sha256,
        document=doc,
        items=b.items,
        citations=found,
        unquoted=b.unquoted,
        seconds=time.perf_counter() - started,
    )
