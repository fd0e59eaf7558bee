"""Causal link candidates: cause span, effect span, polarity and cue, from cue patterns.

The cue lists are data (`cues.zh.yaml`, `cues.en.yaml`). A cue counts only where the jieba
segmentation puts a word boundary before it (and after it, for cues marked `whole_word`), so
使 does not fire inside 使用. Spans stop at clause punctuation and are snapped to word
boundaries; leading connectives are trimmed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from ingest.draft import segment
from ingest.draft.data import cues
from ingest.draft.text import Sentence

CLAUSE = ",，;；:：。！？!?"
MIN_SPAN = 2
MAX_SPAN = 40
_CHAINED = re.compile(r"——|→")


@dataclass(frozen=True, slots=True)
class Candidate:
    sentence: str
    cause: tuple[int, int]
    effect: tuple[int, int]
    """characters of the sentence text"""
    polarity: str
    cue: str
    rule: str
    confidence: float


def _language(text: str) -> str:
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


MAX_SENTENCE = 1000
"""A "sentence" longer than this is a run of text without full stops: no links are drafted."""
MAX_PER_SENTENCE = 24
"""At most this many link candidates per sentence, the most confident first."""
CLAUSE_REACH = 120
"""How far a clause boundary is looked for: a run of text without punctuation is cut there."""


def _clause_start(text: str, at: int) -> int:
    i = at
    stop = max(0, at - CLAUSE_REACH)
    while i > stop and text[i - 1] not in CLAUSE:
        i -= 1
    return i


def _clause_end(text: str, at: int) -> int:
    i = at
    stop = min(len(text), at + CLAUSE_REACH)
    while i < stop and text[i] not in CLAUSE:
        i += 1
    return i


def _leading(data: dict[str, Any]) -> list[str]:
    words = list(data.get("trim_leading", []))
    words += [c["cue"].strip() for c in data.get("connectives", [])]
    words += [c["cue"].strip() for c in data.get("paired", [])]
    return sorted(set(words), key=len, reverse=True)


def _trim(text: str, lo: int, hi: int, data: dict[str, Any]) -> tuple[int, int]:
    lead = _leading(data)
    changed = True
    while changed and lo < hi:
        changed = False
        while lo < hi and (text[lo].isspace() or text[lo] in "“”\"'()（）、—"):
            lo += 1
        for w in lead:
            if text.startswith(w, lo) and hi - lo > len(w) + 1:
                lo += len(w)
                changed = True
                break
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in "了的“”\"'、—."):
        hi -= 1
    if hi - lo > MAX_SPAN:
        hi = lo + MAX_SPAN
    return lo, hi


def _weak(span: str, data: dict[str, Any], strict: bool = False) -> bool:
    """A span that cannot be a cause: too short, only a connective or adverb, or (unless
    strict) a prepositional phrase with no subject."""
    if len(span) < (MIN_SPAN if strict else 3) or span in data.get("trim_leading", []):
        return True
    if span in data.get("weak_heads", []):
        return True
    return not strict and span.startswith(tuple(data.get("prepositions", [])))


def _sentence_end(text: str, at: int) -> int:
    end = len(text.rstrip("。！？!?；;"))
    return min(end, at + MAX_SPAN) if end > at else _clause_end(text, at)


def _polarity(stated: str, text: str, effect: tuple[int, int], data: dict[str, Any]) -> str:
    if stated != "neutral":
        return stated
    head = text[effect[0] : effect[0] + 8]
    if any(w in head for w in data.get("negative_effect_words", [])):
        return "decreases"
    return "increases"


def _previous_clause(text: str, at: int) -> tuple[int, int]:
    hi = at
    while hi > 0 and text[hi - 1] in CLAUSE + " ":
        hi -= 1
    return _clause_start(text, hi), hi


def candidates(s: Sentence) -> list[Candidate]:
    """The causal link candidates of one sentence."""
    text = s.text
    data = cues(_language(text))
    if len(text) > MAX_SENTENCE or any(text.startswith(w) for w in data.get("signposts", [])):
        return []
    bounds = segment.boundaries(text) if _language(text) == "zh" else None
    found: list[Candidate] = []

    def ok_word(i: int, cue: str, whole: bool) -> bool:
        if bounds is None:
            return True
        return i in bounds and (not whole or i + len(cue) in bounds)

    def add(
        cause: tuple[int, int], effect: tuple[int, int], spec: dict[str, Any], rule: str
    ) -> None:
        cause = _trim(text, *cause, data)
        for _ in range(2):
            if cause[0] > 0 and _weak(text[cause[0] : cause[1]], data, strict=True):
                cause = _trim(text, *_previous_clause(text, _clause_start(text, cause[0])), data)
        effect = _trim(text, *effect, data)
        if cause[1] - cause[0] < MIN_SPAN or effect[1] - effect[0] < MIN_SPAN:
            return
        if cause[0] < effect[1] and effect[0] < cause[1]:
            return
        if rule != "chain" and any(_CHAINED.search(text[a:b]) for a, b in (cause, effect)):
            return
        pol = _polarity(spec.get("polarity", "neutral"), text, effect, data)
        found.append(
            Candidate(s.id, cause, effect, pol, spec["cue"], rule, float(spec["confidence"]))
        )

    for spec in data.get("verbs", []):
        cue = spec["cue"]
        for m in re.finditer(re.escape(cue), text):
            if not ok_word(m.start(), cue, bool(spec.get("whole_word"))):
                continue
            lo = _clause_start(text, m.start())
            head = _trim(text, lo, m.start(), data)
            if _weak(text[head[0] : head[1]], data):
                # the clause has no subject of its own ("…，对本地工业形成替代"): the cause is
                # the clause before, the effect this whole clause
                cause = _previous_clause(text, lo)
                add(cause, (lo, _clause_end(text, m.end())), spec, "clause-verb-clause")
            else:
                add(
                    (lo, m.start()),
                    (m.end(), _clause_end(text, m.end())),
                    spec,
                    "cause-verb-effect",
                )
    for spec in data.get("clause_final", []):
        cue = spec["cue"]
        for m in re.finditer(re.escape(cue), text):
            end = m.end()
            if end < len(text) and text[end] not in CLAUSE:
                continue
            nxt = end + 1
            add(
                (_clause_start(text, m.start()), m.start() if spec.get("drop_cue") else end),
                (nxt, _clause_end(text, nxt)),
                spec,
                "clause-then-clause",
            )
    for spec in data.get("connectives", []):
        cue = spec["cue"]
        for m in re.finditer(re.escape(cue), text):
            if not ok_word(m.start(), cue, False):
                continue
            lo = _clause_start(text, m.start())
            cause = (lo, m.start()) if m.start() - lo >= MIN_SPAN else _previous_clause(text, lo)
            add(cause, (m.end(), _clause_end(text, m.end())), spec, "connective")
    for spec in data.get("reverse", []):
        cue = spec["cue"]
        for m in re.finditer(re.escape(cue), text):
            effect = (_clause_start(text, m.start()), m.start())
            if effect[1] - effect[0] < MIN_SPAN:
                effect = _previous_clause(text, effect[0])
            # "the reason is X, Y": the reason may run on over several clauses
            cause_end = (
                _sentence_end(text, m.end())
                if spec.get("to_sentence_end", True)
                else _clause_end(text, m.end())
            )
            add((m.end(), cause_end), effect, spec, "effect-because-cause")
    for spec in data.get("paired", []):
        cue = spec["cue"]
        for m in re.finditer(re.escape(cue), text):
            if not ok_word(m.start(), cue, True):
                continue
            then = _then(text, m.end(), spec["then"], bounds)
            if then is None:
                continue
            t0, t1 = then
            cause_end = t0 if t0 - m.end() <= MAX_SPAN else _clause_end(text, m.end())
            add((m.end(), cause_end), (t1, _clause_end(text, t1)), spec, "paired")
    found += _chains(s, data)
    if found and data.get("adjacent_clauses"):
        found += _adjacent(s, found, data)
    top = sorted(_dedupe(found), key=lambda c: -c.confidence)[:MAX_PER_SENTENCE]
    return sorted(top, key=lambda c: (c.cause[0], c.effect[0]))


def _adjacent(s: Sentence, found: list[Candidate], data: dict[str, Any]) -> list[Candidate]:
    """In a sentence that states a cause, each clause is a weak candidate cause of the next
    (Chinese chains clauses with commas where English would say "and so"): low confidence, for
    the reviewer to keep or drop."""
    spec = data["adjacent_clauses"]
    text = s.text
    clauses: list[tuple[int, int]] = []
    lo = 0
    while lo < len(text):
        hi = _clause_end(text, lo)
        span = _trim(text, lo, hi, data)
        if span[1] - span[0] >= int(spec.get("min_chars", 4)):
            clauses.append(span)
        lo = hi + 1
    covered = {(c.cause, c.effect) for c in found}
    out = []
    for cause, effect in itertools.pairwise(clauses):
        if (cause, effect) in covered or any(
            _CHAINED.search(text[x:y]) for x, y in (cause, effect)
        ):
            continue
        pol = _polarity("neutral", text, effect, data)
        out.append(
            Candidate(s.id, cause, effect, pol, "，", "adjacent-clauses", float(spec["confidence"]))
        )
    return out


def _then(text: str, at: int, words: list[str], bounds: set[int] | None) -> tuple[int, int] | None:
    limit = min(len(text), at + 60)
    best = None
    for w in words:
        i = text.find(w, at, limit)
        if i > at + 1 and (bounds is None or i in bounds) and (best is None or i < best[0]):
            best = (i, i + len(w))
    return best


def _chains(s: Sentence, data: dict[str, Any]) -> list[Candidate]:
    spec = data.get("chain") or {}
    seps = spec.get("separators", [])
    if not seps:
        return []
    pattern = re.compile("|".join(re.escape(x) for x in sorted(seps, key=len, reverse=True)))
    text = s.text
    out: list[Candidate] = []
    pos = 0
    for lo in [0] + [i + 1 for i, ch in enumerate(text) if ch in ",，;；:：。"]:
        if lo < pos:
            continue
        hi = _clause_end(text, lo)
        clause = text[lo:hi]
        parts = []
        start = 0
        for m in pattern.finditer(clause):
            parts.append((lo + start, lo + m.start()))
            start = m.end()
        parts.append((lo + start, hi))
        pos = hi
        if len(parts) < int(spec.get("min_steps", 3)):
            continue
        if any(b - a > int(spec.get("max_step_chars", 24)) or b - a < MIN_SPAN for a, b in parts):
            continue
        for a, b in itertools.pairwise(parts):
            pol = _polarity("neutral", text, b, data)
            out.append(Candidate(s.id, a, b, pol, "——", "chain", float(spec["confidence"])))
    return out


def _dedupe(found: list[Candidate]) -> list[Candidate]:
    best: dict[tuple[tuple[int, int], tuple[int, int]], Candidate] = {}
    for c in found:
        key = (c.cause, c.effect)
        if key not in best or c.confidence > best[key].confidence:
            best[key] = c
    return sorted(best.values(), key=lambda c: (c.cause[0], c.effect[0]))
