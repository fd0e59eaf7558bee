"""Citations: every in-text marker (``[n]`` with its pages, footnote markers such as ①) linked to
the reference list, which is parsed into bibliographic records, or to its footnote."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ingest.draft.items import TODO
from ingest.draft.text import Document, Sentence

REF_IN_MARKER = re.compile(
    r"\[\s*(?P<n>\d{1,3})\s*\]\s*(?:[\[(（]\s*P{1,2}\s*\.?\s*(?P<p1>\d+)(?:\s*[-–—]\s*(?P<p2>\d+))?\s*[\])）])?"
)
PAGES_AFTER = re.compile(
    r"^\s*[(（\[]\s*P{1,2}\s*\.?\s*(?P<p1>\d+)(?:\s*[-–—]\s*(?P<p2>\d+))?\s*[)）\]]"
)
FOOTNOTE_MARK = re.compile(r"^\s*(?P<m>[①-⑳*†‡])\s*$")
REFERENCE = re.compile(
    r"^\s*[-*]?\s*\[(?P<n>\d+)\]\s*(?P<authors>.+?)\.\s*(?P<title>.+?)\s*\[(?P<type>[A-Z]{1,2})\]"
    r"\s*\.?\s*(?P<venue>.*?)\s*[,，]?\s*(?P<year>(?:1[89]|20)\d{2})\s*[,，]?\s*"
    r"(?:[(（]\s*(?P<issue>\d+)\s*[)）]|(?P<volume>\d+))?"
)
KINDS = {"J": "journal-article", "M": "book", "R": "report", "C": "book", "D": "report"}


@dataclass(frozen=True, slots=True)
class InText:
    """One in-text citation: a reference number (with pages) or a footnote marker."""

    sentence: str
    marker: str
    start: int
    end: int
    ref: int | None = None
    pages: str | None = None
    footnote: str | None = None
    """the marker of the footnote (①...)"""


def markers(s: Sentence) -> list[InText]:
    out: list[InText] = []
    for mk in s.markers:
        fm = FOOTNOTE_MARK.match(mk.body)
        if fm:
            out.append(InText(s.id, mk.body, mk.start, mk.end, footnote=fm.group("m")))
            continue
        refs = list(REF_IN_MARKER.finditer(mk.body))
        for k, m in enumerate(refs):
            p1, p2 = m.group("p1"), m.group("p2")
            if p1 is None and k == len(refs) - 1:
                after = PAGES_AFTER.match(s.text[mk.pos :])
                if after:
                    p1, p2 = after.group("p1"), after.group("p2")
            pages = None if p1 is None else (f"{p1}-{p2}" if p2 else p1)
            out.append(InText(s.id, mk.body, mk.start, mk.end, ref=int(m.group("n")), pages=pages))
    return out


def references(doc: Document) -> list[dict[str, Any]]:
    """The reference list as records of the annotation format (fields of `Reference`)."""
    out = []
    for a, b in doc.references:
        line = doc.text[a:b].strip().lstrip("-* ").strip()
        m = REFERENCE.match(line)
        if m is None:
            n = re.match(r"\[(\d+)\]", line)
            out.append({"number": int(n.group(1)) if n else 0, "line": line, "start": a, "end": b})
            continue
        authors = _authors(m.group("authors"))
        title = m.group("title").strip()
        record: dict[str, Any] = {
            "number": int(m.group("n")),
            "authors": authors,
            "title": title,
            "venue": m.group("venue").strip(" ,，.") or TODO,
            "year": int(m.group("year")),
            "kind": KINDS.get(m.group("type")[0], "journal-article"),
            "language": "zh" if re.search(r"[\u4e00-\u9fff]", title) else "en",
            "line": line,
            "start": a,
            "end": b,
        }
        if m.group("issue"):
            record["issue"] = m.group("issue")
        if m.group("volume"):
            record["volume"] = m.group("volume")
        out.append(record)
    return out


def _authors(text: str) -> list[str]:
    text = text.strip()
    if re.search(r"[\u4e00-\u9fff]", text):
        parts = re.split(r"[\s,，、]+", text)
    else:
        parts = re.split(r"\s*(?:,|\band\b|&)\s*", text)
    return [p for p in (x.strip() for x in parts) if p]
