"""Read a paper's text and cut its body into sections and sentences.

The body runs from the first numbered section heading (``一、…``, with or without Markdown ``#``)
to the reference list (``参考文献`` / ``References``). Page furniture (footnotes, the
received-date block, the editor's line) is skipped, and a sentence that a page break cuts is
joined again. `<sup>` markers are taken out of the sentence text and kept, with their place,
for the citation rules. Every sentence keeps the map from its characters to code-point offsets
of the original text, so a span found in a sentence is a span of the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from errors import SourceError
from ingest.anchoring import _FURNITURE
from ingest.safe_read import InputRefused, input_limits, read_input

HEADING = re.compile(
    r"^#{0,6}\s*(?P<num>[一二三四五六七八九十]{1,3})\s*[、.．]\s*(?P<title>\S.{0,80}?)\s*$"
    r"|^#{1,6}\s*(?P<arabic>\d{1,2})\s*[.、．]?\s+(?P<title2>\S.{0,80}?)\s*$"
)
REFERENCES = re.compile(r"^#{0,6}\s*(参考文献|references|bibliography)\s*[:：]?\s*$", re.I)
FOOTNOTE = re.compile(r"^\s*<sup>\s*(?P<marker>[①-⑳*†‡]|\d{1,2})\s*</sup>")
FURNITURE_EXTRA = re.compile(r"^\s*(基金项目|作者简介|收稿日期|责任编辑|doi|DOI)[:：\s]")
SUP = re.compile(r"<sup>(?P<body>.*?)</sup>", re.S)
TERMINAL = "。！？!?；;"
CLOSERS = "”’\"')）】"
PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")


@dataclass(frozen=True, slots=True)
class Marker:
    """A `<sup>` marker in the body: its text and where it sits."""

    body: str
    start: int
    end: int
    pos: int
    """Its place in the body text (between characters)."""


@dataclass
class Sentence:
    id: str
    section: str
    """the section's number as printed (一, 二, ...)"""
    text: str
    offsets: list[int] = field(repr=False)
    markers: list[Marker] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.offsets[0]

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original offsets of characters i..j of the sentence text."""
        return self.offsets[i], self.offsets[j - 1] + 1


@dataclass
class SectionHead:
    number: str
    title: str
    order: int
    start: int
    end: int
    heading: str


@dataclass
class Footnote:
    marker: str
    start: int
    end: int
    text: str


@dataclass
class Document:
    path: str
    text: str
    sections: list[SectionHead]
    sentences: list[Sentence]
    footnotes: list[Footnote]
    references: list[tuple[int, int]]
    """(start, end) of each paragraph of the reference list"""
    markers: list[Marker]
    front: dict[str, str] = field(default_factory=dict)
    """the document record as printed: title, subtitle, abstract_zh, abstract_en, keywords"""

    def section_of(self, offset: int) -> str | None:
        found = None
        for sec in self.sections:
            if sec.start <= offset:
                found = sec.number
        return found


_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}


def numeral(number: str) -> int:
    """十二 -> 12: the value of a Chinese section numeral (1..99)."""
    if number.isdigit():
        return int(number)
    if "十" not in number:
        return _DIGITS.get(number, 0)
    tens, _, ones = number.partition("十")
    return (_DIGITS.get(tens, 1) if tens else 1) * 10 + (_DIGITS.get(ones, 0) if ones else 0)


def read_text(path: Path, max_bytes: int | None = None) -> str:
    """The text of a file, read by the project's bounded reader (`ingest/safe_read.py`: regular
    files only, at most `max_bytes`, default the settings' `max_input_file_bytes`), refused with
    one line naming it when it is missing, too large, empty, binary or not UTF-8."""
    path = Path(path)
    try:
        with input_limits(max_bytes, max(max_bytes or 0, 1 << 40)):
            raw = read_input(path, what="source text")
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file", file=str(path)) from None
    except InputRefused as exc:
        raise SourceError(f"{path}: {exc.message}", file=str(path)) from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})", file=str(path)) from None
    if b"\x00" in raw[:65536]:
        raise SourceError(f"{path}: binary file (NUL bytes), not a text", file=str(path))
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{path}: not UTF-8 text (bad byte at {exc.start})", file=str(path)
        ) from None
    if not text.strip():
        raise SourceError(f"{path}: the text is empty", file=str(path))
    return text


def paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in PARAGRAPH_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def is_furniture(para: str) -> bool:
    return bool(_FURNITURE.match(para) or FOOTNOTE.match(para) or FURNITURE_EXTRA.match(para))


def parse(text: str, path: str = "<text>") -> Document:
    """Sections, sentences, footnotes and the reference list of a text. A text without a
    numbered section heading is refused (SourceError)."""
    paras = paragraphs(text)
    sections: list[SectionHead] = []
    footnotes: list[Footnote] = []
    references: list[tuple[int, int]] = []
    body: list[tuple[int, int, str]] = []  # (start, end, section number)
    notes: list[tuple[int, int, str]] = []
    state = "front"
    for a, b in paras:
        para = text[a:b]
        stripped = para.strip()
        m = HEADING.match(stripped) if "\n" not in stripped else None
        if FOOTNOTE.match(para) and not HEADING.match(stripped):
            fm = FOOTNOTE.match(para)
            assert fm is not None
            footnotes.append(Footnote(fm.group("marker"), a + fm.end(), b, text[a + fm.end() : b]))
            if state == "body":
                notes.append((a + fm.end(), b, sections[-1].number))
            continue
        if is_furniture(para):
            continue
        if REFERENCES.match(stripped):
            state = "refs"
            continue
        if m and state != "refs":
            state = "body"
            lead = len(para) - len(para.lstrip())
            sections.append(
                SectionHead(
                    m.group("num") or m.group("arabic"),
                    m.group("title") or m.group("title2"),
                    len(sections) + 1,
                    a + lead,
                    b,
                    stripped.lstrip("#").strip(),
                )
            )
            continue
        if state == "body":
            body.append((a, b, sections[-1].number))
        elif state == "refs":
            lines = _reference_lines(text, a, b)
            if lines:
                references += lines
            elif references:
                state = "back"
    if not sections:
        raise SourceError(
            f"{path}: no numbered section heading (such as '一、引言' or '## 1、…') was found, "
            "so there is no body to draft",
            file=path,
        )
    sentences, markers = _sentences(text, body)
    for k, note in enumerate(notes, start=1):
        note_sentences, _ = _sentences(text, [note], prefix=f"n{k}-")
        sentences += note_sentences
    sentences.sort(key=lambda s: s.start)
    front = front_matter([text[a:b].strip() for a, b in paras])
    return Document(path, text, sections, sentences, footnotes, references, markers, front)


FRONT = {
    "title": re.compile(r"^#\s+(?P<v>[^#].*)$"),
    "subtitle": re.compile(r"^##\s*——\s*(?P<v>.+)$"),
    "abstract_zh": re.compile(r"^\**\s*摘\s*要\s*\**\s*[:：]\s*\**\s*(?P<v>.+)$", re.S),
    "keywords": re.compile(r"^\**\s*关键词\s*\**\s*[:：]\s*\**\s*(?P<v>.+)$", re.S),
    "abstract_en": re.compile(r"^\**\s*abstract\s*\**\s*[:：]\s*\**\s*(?P<v>.+)$", re.S | re.I),
}


def front_matter(paras: list[str]) -> dict[str, str]:
    """The title, subtitle, abstracts and keywords as printed (the first of each)."""
    found: dict[str, str] = {}
    for para in paras:
        for name, pattern in FRONT.items():
            m = pattern.match(para)
            if m and name not in found:
                found[name] = m.group("v").strip()
                break
    return found


REFERENCE_LINE = re.compile(r"^[ \t]*(?:[-*][ \t]*)?\[\d+\].*$", re.M)


def _reference_lines(text: str, a: int, b: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in REFERENCE_LINE.finditer(text, a, b)]


def _sentences(
    text: str, body: list[tuple[int, int, str]], prefix: str = ""
) -> tuple[list[Sentence], list[Marker]]:
    chars: list[str] = []
    offs: list[int] = []
    secs: list[str] = []
    breaks: set[int] = set()
    markers: list[Marker] = []
    prev_section = None
    for a, b, sec in body:
        if chars and (sec != prev_section or _ends_sentence(chars)):
            breaks.add(len(chars))
        prev_section = sec
        i = a
        for m in SUP.finditer(text, a, b):
            _copy(text, i, m.start(), chars, offs, secs, sec)
            markers.append(Marker(m.group("body"), m.start(), m.end(), len(chars)))
            i = m.end()
        _copy(text, i, b, chars, offs, secs, sec)
    out: list[Sentence] = []
    start = 0
    n = len(chars)
    counters: dict[str, int] = {}
    i = 0
    while i < n:
        end = None
        if chars[i] in TERMINAL or _english_stop(chars, i):
            end = i + 1
            while end < n and chars[end] in CLOSERS:
                end += 1
        elif i + 1 in breaks:
            end = i + 1
        if end is not None or i == n - 1:
            end = end if end is not None else n
            _emit(chars, offs, secs, start, end, markers, counters, out, prefix)
            start = end
            i = end
            continue
        i += 1
    return out, markers


def _english_stop(chars: list[str], i: int) -> bool:
    """A full stop that ends an English sentence: '. ' before a capital letter or a digit."""
    if chars[i] != "." or i + 2 >= len(chars) or chars[i + 1] != " ":
        return False
    nxt = chars[i + 2]
    return nxt.isascii() and (nxt.isupper() or nxt.isdigit()) and i > 0 and chars[i - 1].isalpha()


def _ends_sentence(chars: list[str]) -> bool:
    j = len(chars) - 1
    while j >= 0 and chars[j] in CLOSERS:
        j -= 1
    return j >= 0 and (chars[j] in TERMINAL or chars[j] in ":：")


def _copy(
    text: str, lo: int, hi: int, chars: list[str], offs: list[int], secs: list[str], sec: str
) -> None:
    for k in range(lo, hi):
        ch = text[k]
        if ch in "\n\r\t":
            if chars and chars[-1].isascii() and chars[-1].isalnum():
                chars.append(" ")
                offs.append(k)
                secs.append(sec)
            continue
        if ch in "#*":
            continue
        chars.append(ch)
        offs.append(k)
        secs.append(sec)


def _emit(
    chars: list[str],
    offs: list[int],
    secs: list[str],
    start: int,
    end: int,
    markers: list[Marker],
    counters: dict[str, int],
    out: list[Sentence],
    prefix: str = "",
) -> None:
    while start < end and chars[start].isspace():
        start += 1
    while end > start and chars[end - 1].isspace():
        end -= 1
    if end - start < 2:
        return
    sec = secs[start]
    counters[sec] = counters.get(sec, 0) + 1
    own = [m for m in markers if start < m.pos <= end]
    out.append(
        Sentence(
            id=f"s{numeral(sec)}-{prefix}{counters[sec]:03d}",
            section=sec,
            text="".join(chars[start:end]),
            offsets=offs[start:end],
            markers=[Marker(m.body, m.start, m.end, m.pos - start) for m in own],
        )
    )
