"""A drafted item: the fields of the annotation format plus its `draft:` block.

The `draft:` block holds what only a draft has: `status: draft`, the rule that proposed the item,
its cue, a confidence, the sentence it comes from, the verified offsets of its quote, and the
fields a person must still fill in (`todo`). Accepting an item removes the block; the rest is an
item of the annotation format as `ingest/models.py` defines it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TODO = "TODO"
"""Placeholder for what a person must write (English labels, a mechanism): accept refuses it."""


@dataclass
class DraftItem:
    fields: dict[str, Any]
    """the item as the annotation format has it (id, type, label, quote, ...)"""
    section: str | None
    """section number (一, 二...) or None for items of the whole paper"""
    rule: str
    confidence: float
    start: int
    end: int
    sentence: str | None = None
    cue: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """draft-only evidence beyond rule/cue/confidence (spans, qualifier, todo...)"""

    @property
    def id(self) -> str:
        value: str = self.fields["id"]
        return value

    @property
    def type(self) -> str:
        value: str = self.fields.get("type", "")
        return value

    def draft_block(self) -> dict[str, Any]:
        block: dict[str, Any] = {"status": "draft", "rule": self.rule}
        if self.cue is not None:
            block["cue"] = self.cue
        block["confidence"] = round(self.confidence, 2)
        if self.sentence is not None:
            block["sentence"] = self.sentence
        block["start"] = self.start
        block["end"] = self.end
        block.update(self.extra)
        return block

    def as_yaml(self) -> dict[str, Any]:
        return {**self.fields, "draft": self.draft_block()}


def labels(zh: str, en: str = TODO) -> dict[str, str]:
    return {"zh": zh, "en": en}
