"""Claim candidates by kind, and policy candidates from prescriptive sentences.

A sentence is a claim candidate when it states a causal link (kind causal), prescribes
(应/要/必须…, kind normative), or gives a number (kind empirical); the strongest signal sets the
kind. A prescriptive sentence in a section of recommendations (or one opening with a policy
verb after a normative cue) is also a policy candidate, with its actor when one is named before
the cue and its aim from the verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.draft.data import load
from ingest.draft.entities import Mention
from ingest.draft.text import Sentence


@dataclass(frozen=True, slots=True)
class ClaimCue:
    kind: str
    cue: str
    rule: str
    confidence: float


@dataclass(frozen=True, slots=True)
class PolicyCue:
    cue: str
    verb: str | None
    aim: str
    actor: Mention | None
    actor_text: str | None
    start: int
    """where the prescribed action starts in the sentence text"""
    confidence: float


def normative_cue(text: str) -> tuple[str, int] | None:
    data = load("prescriptive.yaml")
    best: tuple[str, int] | None = None
    markers = [
        m.start() for w in data.get("not_normative", []) for m in re.finditer(re.escape(w), text)
    ]
    for w in sorted(data["normative"], key=len, reverse=True):
        for m in re.finditer(re.escape(w), text):
            if w in ("要", "应") and _inside_word(text, m.start(), len(w)):
                continue
            if any(a <= m.start() < a + 6 for a in markers):
                continue
            if best is None or m.start() < best[1]:
                best = (w, m.start())
            break
    return best


def _inside_word(text: str, i: int, n: int) -> bool:
    """要/应 inside 主要, 需要, 重要, 应对, 效应, 相应…: not a normative cue."""
    before = text[i - 1 : i]
    after = text[i + n : i + n + 1]
    return before in (
        "主",
        "重",
        "需",
        "只",
        "想",
        "效",
        "相",
        "对",
        "供",
        "反",
        "适",
        "响",
    ) or after in (
        "求",
        "素",
        "点",
        "对",
        "用",
        "是",
    )


def claim_cue(text: str, n_links: int, n_numbers: int, n_cites: int) -> ClaimCue | None:
    norm = normative_cue(text)
    if n_links and not (norm and norm[1] < 4):
        return ClaimCue("causal", "", "causal-cue", 0.6)
    if norm is not None:
        return ClaimCue("normative", norm[0], "normative-cue", 0.6)
    if n_numbers:
        return ClaimCue("empirical", "", "number", 0.7)
    if n_cites:
        return ClaimCue("empirical", "", "cited", 0.4)
    data = load("prescriptive.yaml")
    if len(text) >= 12 and not text.startswith(tuple(data.get("not_claims", []))):
        return ClaimCue("empirical", "", "assertion", 0.3)
    return None


def policy_cue(s: Sentence, section_title: str, mentions: list[Mention]) -> PolicyCue | None:
    data = load("prescriptive.yaml")
    in_policy_section = any(w in section_title for w in data["policy_section_words"])
    norm = normative_cue(s.text)
    verbs = sorted(data["policy_verbs"], key=len, reverse=True)
    start = norm[1] + len(norm[0]) if norm else 0
    verb = next((v for v in verbs if s.text.startswith(v, start)), None)
    if verb is None:
        verb = next((v for v in verbs if s.text.startswith(v, 0)), None)
        start = 0 if verb else start
    if norm is None and not (in_policy_section and verb):
        return None
    if norm is not None and verb is None and not in_policy_section:
        return None
    aim = "strengthen"
    for name, ws in data["aims"].items():
        if verb in ws:
            aim = name
    head = s.text[: norm[1]] if norm else ""
    actor = next((m for m in mentions if m.end <= len(head)), None) if head else None
    actor_text = next((a for a in data["actors"] if a in head), None)
    confidence = 0.6 if in_policy_section else 0.4
    return PolicyCue(
        norm[0] if norm else verb or "", verb, aim, actor, actor_text, start, confidence
    )
