"""A strict lexer for SPARQL 1.1 query text: the terminals of the grammar (section 19.8), no more.

The guard in front of the engines (`graph/sparql_guard.py`) is only as good as its agreement with
them about where each token starts and ends; a lexer that skips what it does not recognise lets
an engine read a keyword the guard never saw. So this one refuses instead:

- codepoint escapes (`\\uXXXX`, `\\UXXXXXXXX`) are decoded first, everywhere, as the spec says
  engines do (rdflib does; pyoxigraph decodes them inside IRIs and strings); an escape that does
  not decode, one that engines read differently (`\\u` followed by eight hex digits: rdflib takes
  all eight), a surrogate, or an escape that decodes into another escape is refused;
- every character outside a comment belongs to a terminal of the grammar, or the query is
  refused: a backslash outside a string escape or a prefixed name's `\\` escape, whitespace other
  than space, tab, CR and LF, a non-ASCII letter outside a name or a string (a keyword written
  `ſERVICE` folds to SERVICE for rdflib's parser), SPARQL 1.2's triple-term brackets;
- comments are blanked out of the text handed on, so an engine that would end a comment
  elsewhere still sees nothing of it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from errors import BadRequest

# -- codepoint escapes ---------------------------------------------------------------------------

_ESCAPE = re.compile(r"\\([uU])([0-9A-Fa-f]*)")
_LEFT_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]{4}")


def decode_escapes(text: str) -> str:
    """`text` with its `\\u`/`\\U` escapes decoded (SPARQL 1.1, 19.2); refuses what an engine
    could read otherwise."""

    def one(m: re.Match[str]) -> str:
        kind, digits = m.group(1), m.group(2)
        want = 4 if kind == "u" else 8
        where = _where(text, m.start())
        if len(digits) < want:
            if len(digits) >= 4:  # rdflib reads \U0053 as S; the spec does not
                raise BadRequest(
                    f"SPARQL: \\U{digits} at {where} is not a codepoint escape (\\U takes 8 hex "
                    "digits) but some engines read it as one"
                )
            return m.group()  # not an escape: the lexer decides (an escaped backslash, or refused)
        if kind == "u" and len(digits) >= 8:
            raise BadRequest(
                f"SPARQL: \\u{digits[:8]} at {where} is read as one character by some engines and "
                f"as two by others; write \\U{int(digits[:4], 16):08X} or split the escape"
            )
        code = int(digits[:want], 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            raise BadRequest(f"SPARQL: \\{kind}{digits[:want]} at {where} is not a character")
        return chr(code) + digits[want:]

    decoded = _ESCAPE.sub(one, text) if "\\" in text else text
    left = _LEFT_ESCAPE.search(decoded)
    if left is not None:
        raise BadRequest(
            f"SPARQL: {left.group()!r} at {_where(decoded, left.start())} is left after decoding "
            "the codepoint escapes (one decoded into a backslash, or a backslash precedes one): "
            "an engine would decode it again"
        )
    return decoded


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {col}"


# -- terminals -----------------------------------------------------------------------------------

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:[{_CHARS}.:]|{_PLX})*+"  # trailing dots: cut in lex()
_ECHAR = r"\\[tbnrf\\\"']"
_EXP = r"[eE][+-]?[0-9]+"

_WS = r"(?P<ws>[ \t\r\n]+)"
_COMMENT = r"(?P<comment>\#[^\r\n]*)"
_IRI = r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
_STRING = rf"""(?P<string>'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*+'''
              |\"\"\"(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*+\"\"\"
              |'(?:[^'\\\n\r]|{_ECHAR})*+'
              |"(?:[^"\\\n\r]|{_ECHAR})*+")"""
_VAR = rf"(?P<var>[?$][{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)"
_LANGTAG = r"(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)"
_BNODE = rf"(?P<bnode>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)"
_PNAME = rf"(?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)"
_NUMBER = rf"(?P<number>[0-9]+\.[0-9]*{_EXP}|\.[0-9]+{_EXP}|[0-9]+{_EXP}|[0-9]*\.[0-9]+|[0-9]+)"
_WORD = r"(?P<word>[A-Za-z][A-Za-z0-9_]*)"
_V12 = r"(?P<v12><<|>>|\{\||\|\}|~)"
_PUNCT = r"(?P<open>[{(\[])|(?P<close>[})\]])|(?P<op>\^\^|\|\||&&|!=|<=|>=|[.,;*/|^!=<>+\-?])"


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts), re.VERBOSE)


# The terminals that may start with a character: one small pattern per first character.
_BY_FIRST: dict[str, re.Pattern[str]] = {}
for _chars, _pattern in (
    (" \t\r\n", _rx(_WS)),
    ("#", _rx(_COMMENT)),
    ("<", _rx(_IRI, _V12, _PUNCT)),
    ("\"'", _rx(_STRING)),
    ("?$", _rx(_VAR, _PUNCT)),
    ("@", _rx(_LANGTAG)),
    ("_", _rx(_BNODE)),
    (":", _rx(_PNAME)),
    ("0123456789.", _rx(_NUMBER, _PUNCT)),
    ("{|>~", _rx(_V12, _PUNCT)),
    ("}()[],;*/^!=+-&", _rx(_PUNCT)),
    ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", _rx(_PNAME, _WORD)),
):
    for _c in _chars:
        _BY_FIRST[_c] = _pattern
_NAME_ONLY = _rx(_PNAME)
_NAME_START = re.compile(f"[{_BASE}]")


DANGEROUS_AT_START = ("SERVICE", "FROM", "NAMED")
"""Keywords that reach other servers or choose the dataset: a word or a prefix that merely
starts with one is refused (pyoxigraph matches keywords without a word boundary:
`SERVICE:x` is SERVICE followed by `:x`, `trueSERVICE` is true followed by SERVICE; so SERVICE
anywhere in a word or a prefix is refused)."""
UPDATE_WORDS = (
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
)
_IDENT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$")


class Token(NamedTuple):
    kind: str
    """iri, string, var, langtag, bnode, pname, number, word, open, close, op"""
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Lexed:
    tokens: list[Token]
    text: str
    """the decoded text with comments blanked (same length, same lines)"""


def lex(decoded: str) -> Lexed:
    """Tokens of decoded query text; `BadRequest` at the first character no terminal covers."""
    out: list[Token] = []
    blanked: list[str] = []
    pos = 0
    n = len(decoded)
    while pos < n:
        ch = decoded[pos]
        rx = _BY_FIRST.get(ch)
        if rx is None and _NAME_START.match(ch):
            rx = _NAME_ONLY
        m = rx.match(decoded, pos) if rx is not None else None
        if m is None:
            raise BadRequest(_unexpected(decoded, pos))
        kind = m.lastgroup or ""
        text = m.group()
        if kind == "ws":
            blanked.append(text)
        elif kind == "comment":
            blanked.append(" " * len(text))
        elif kind == "v12":
            raise BadRequest(
                f"SPARQL: {text!r} at {_where(decoded, pos)}: SPARQL 1.2 triple terms "
                "and reifiers are not served here (the graph has none; write '< <' for two "
                "comparisons)"
            )
        else:
            if kind == "pname" and text.endswith("."):
                text = _cut_dots(text)
            blanked.append(text)
            out.append(Token(kind, text, pos, pos + len(text)))
            pos += len(text)
            continue
        pos = m.end()
    return Lexed(out, "".join(blanked))


def _cut_dots(pname: str) -> str:
    """A local name does not end with a dot (an escaped one, `\\.`, is part of it)."""
    kept = pname.rstrip(".")
    if kept.endswith("\\"):
        kept += "."
    return kept


def _unexpected(text: str, pos: int) -> str:
    ch = text[pos]
    name = unicodedata.name(ch, "a control character")
    where = _where(text, pos)
    if ch == "\\":
        why = "a backslash is allowed only in a string's escapes and a prefixed name's \\ escapes"
    elif ch in "\"'":
        why = "a string that does not end on this line, or an escape strings do not have"
    elif ch == "<":
        why = "an IRI with a character IRIs cannot hold"
    elif ch.isalpha():
        why = "keywords are ASCII; names need a prefix and a colon"
    else:
        why = "no SPARQL token starts with it"
    return f"SPARQL: unexpected {ch!r} (U+{ord(ch):04X} {name}) at {where}: {why}"


def folded(word: str) -> set[str]:
    """The spellings an engine could take `word` for: upper case, after case folding, after
    NFKC (rdflib's parser compares keywords with str.upper(): 'ſ'.upper() is 'S')."""
    nfkc = unicodedata.normalize("NFKC", word)
    return {word.upper(), word.casefold().upper(), nfkc.upper(), nfkc.casefold().upper()}


def keyword_inside(head: str) -> str | None:
    """The dangerous keyword an engine could read at the start of `head` (a word, or a prefixed
    name's prefix), or None."""
    for spelling in (head.upper(),) if head.isascii() else folded(head):
        if "SERVICE" in spelling:  # anywhere: pyoxigraph reads `trueSERVICE` as true SERVICE
            return "SERVICE"
        if spelling.startswith(DANGEROUS_AT_START):
            return next(kw for kw in DANGEROUS_AT_START if spelling.startswith(kw))
        if spelling.startswith(UPDATE_WORDS):
            for kw in UPDATE_WORDS:
                if spelling.startswith(kw) and (
                    len(spelling) == len(kw) or spelling[len(kw)] not in _IDENT
                ):
                    return kw
    return None
