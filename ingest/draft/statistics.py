"""Statistics: every number of a sentence with its unit, area, period and qualifier as stated.

Years and periods are not statistics (they give the period of the numbers beside them), nor
are figure, note and ordinal numbers or page locators. A list such as ``35%、50%和70%左右``
gives one statistic per number, each with the list's unit and qualifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.draft.data import load

MAX_PER_SENTENCE = 60
"""At most this many statistics per sentence (a table pasted as text is not a sentence)."""
NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:/\d+)?(?![\d.]*\d)")
YEAR_AFTER = re.compile(r"^\s*(年|—|-|–|－|~|至|到)")
PERIOD_RANGE = re.compile(r"((?:1[89]|20)\d{2})\s*(?:年)?\s*[—\-–－~至到]+\s*((?:1[89]|20)\d{2})")
PERIOD_YEAR = re.compile(r"((?:1[89]|20)\d{2})年|(?<=\b(?:in|by) )((?:1[89]|20)\d{2})\b")
PERIOD_DECADE = re.compile(r"(\d{2})世纪(\d)0年代")
LIST_SEP = re.compile(r"^\s*(、|和|及|与|,|，)\s*(?=\d)")


@dataclass(frozen=True, slots=True)
class Found:
    value: float
    text: str
    unit: str
    qualifier: str | None
    period: str | None
    start: int
    end: int
    """characters of the sentence text (the number and its unit)"""
    rule: str


def _is_year(text: str, m: re.Match[str]) -> bool:
    raw = m.group(0)
    if not re.fullmatch(r"(1[89]|20)\d{2}", raw):
        return False
    before = text[max(0, m.start() - 1) : m.start()]
    return bool(YEAR_AFTER.match(text[m.end() :]) or before in "—-–－~(（" or before == "")


def _unit_after(text: str, end: int, start: int) -> tuple[str, int] | None:
    data = load("statistics.yaml")
    rest = text[end:]
    for u in data["units"]:
        if rest.startswith(u["after"]):
            before = u.get("before")
            if before and before not in text[max(0, start - 8) : start]:
                continue
            return u["unit"], end + len(u["after"])
    return None


def _list_unit(text: str, m: re.Match[str], depth: int = 0) -> tuple[str, int] | None:
    """The unit of a number: its own, or the unit after the last number of its list."""
    own = _unit_after(text, m.end(), m.start())
    if own is not None or depth > 8:
        return own
    sep = LIST_SEP.match(text[m.end() :])
    if sep is None:
        return None
    nxt = NUMBER.match(text, m.end() + sep.end())
    if nxt is None:
        return None
    return _list_unit(text, nxt, depth + 1)


def _list_end(text: str, m: re.Match[str]) -> int:
    """Where the list a number belongs to ends (after the last number and its unit)."""
    cur = m
    for _ in range(12):
        own = _unit_after(text, cur.end(), cur.start())
        end = own[1] if own else cur.end()
        sep = LIST_SEP.match(text[end:])
        nxt = NUMBER.match(text, end + sep.end()) if sep else None
        if nxt is None:
            return end
        cur = nxt
    return cur.end()


def _qualifier(text: str, m: re.Match[str], end: int) -> str | None:
    data = load("statistics.yaml")
    before = text[max(0, m.start() - 4) : m.start()]
    after = text[end : end + 3]
    list_after = text[_list_end(text, m) :][:3]
    for q in data["qualifiers"]:
        for w in q["words"]:
            if q["where"] == "before" and before.endswith(w):
                return str(q["qualifier"])
            if q["where"] == "after" and (after.startswith(w) or list_after.startswith(w)):
                return str(q["qualifier"])
    return None


def _period(text: str, at: int) -> str | None:
    """The nearest period stated before the number in its sentence (else after it)."""
    best: tuple[int, str] | None = None
    for m in PERIOD_DECADE.finditer(text):
        best = _nearer(best, m.start(), f"{int(m.group(1)) - 1}{m.group(2)}0s", at)
    spans: list[tuple[int, int]] = []
    for m in PERIOD_RANGE.finditer(text):
        spans.append((m.start(), m.end()))
        best = _nearer(best, m.start(), f"{m.group(1)}-{m.group(2)}", at)
    for m in PERIOD_YEAR.finditer(text):
        if any(a <= m.start() < b for a, b in spans) or text[m.end() : m.end() + 2] == "以来":
            continue
        best = _nearer(best, m.start(), m.group(1) or m.group(2), at)
    return best[1] if best else None


def _nearer(best: tuple[int, str] | None, pos: int, value: str, at: int) -> tuple[int, str] | None:
    if pos > at:
        return best if best is not None else (pos, value)
    if best is None or best[0] > at or pos > best[0]:
        return (pos, value)
    return best


def _in_rank_list(text: str, m: re.Match[str]) -> bool:
    head = text[max(0, m.start() - 16) : m.start()]
    return bool(re.search(r"倒数第[\d、]*$", head))


_POWERS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def approximate(text: str) -> list[Found]:
    """Chinese round quantities such as 上百种 (a hundred or more) or 数十万 (several hundred
    thousand), stored as their lower bound with the qualifier the prefix states."""
    data = load("statistics.yaml")["approximate"]
    prefixes = "".join(data["prefixes"])
    out = []
    for m in re.finditer(rf"([{prefixes}])([十百千万亿]{{1,3}})", text):
        value = 1
        for ch in m.group(2):
            value *= _POWERS[ch]
        out.append(
            Found(
                value=float(value),
                text=m.group(0)[0:1] + m.group(2),
                unit="count",
                qualifier=data["prefixes"][m.group(1)],
                period=_period(text, m.start()),
                start=m.start(),
                end=m.end(),
                rule="approximate-quantity",
            )
        )
    return out


def numbers(text: str) -> list[Found]:
    """The statistics of one sentence text."""
    data = load("statistics.yaml")
    skip_before = tuple(data["not_statistics_before"])
    out: list[Found] = []
    for m in NUMBER.finditer(text):
        if len(out) >= MAX_PER_SENTENCE:
            break
        raw = m.group(0)
        before = text[max(0, m.start() - 2) : m.start()]
        rank = text[max(0, m.start() - 3) : m.start()] == "倒数第" or _in_rank_list(text, m)
        if _is_year(text, m) or (before.endswith(skip_before) and not rank) or "P" in before:
            continue
        found = _list_unit(text, m)
        if found is not None:
            unit, end = found
            rule = "number-with-unit"
        elif "/" in raw:
            unit, end, rule = "share", m.end(), "fraction"
        elif "." in raw and float(raw) < 10 and before[-1:] in ("的", "为", "是"):
            unit, end, rule = "ratio", m.end(), "bare-decimal"
        else:
            continue
        num, _, den = raw.partition("/")
        value = float(num) / float(den) if den and float(den) else float(num)
        out.append(
            Found(
                value=value,
                text=raw,
                unit=unit,
                qualifier=_qualifier(text, m, end if found is not None else m.end()),
                period=_period(text, m.start()),
                start=m.start(),
                end=end if found is not None and end > m.end() else m.end(),
                rule=rule,
            )
        )
    return (out + approximate(text))[:MAX_PER_SENTENCE]
