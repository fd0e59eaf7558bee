"""Chinese word segmentation (jieba), loaded on first use; its cache stays in the temp folder."""

from __future__ import annotations

import logging
import tempfile
import warnings
from functools import cache
from typing import Any


@cache
def _tokenizer() -> Any:
    with warnings.catch_warnings():
        # jieba's source holds invalid escape sequences (such as "\." in a regex): where its
        # bytecode was not compiled at install, compiling it on this import warns (a
        # DeprecationWarning before Python 3.12, a SyntaxWarning since), which a program that
        # makes warnings errors (pytest here) would take for a failure of ours
        for category in (DeprecationWarning, SyntaxWarning):
            warnings.filterwarnings("ignore", "invalid escape sequence", category)
        import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = tempfile.gettempdir()
    return tokenizer


def boundaries(text: str) -> set[int]:
    """The offsets where a word starts or ends (0 and len(text) included)."""
    out = {0, len(text)}
    pos = 0
    for word in _tokenizer().cut(text, HMM=True):
        pos += len(word)
        out.add(pos)
    return out


def words(text: str) -> list[tuple[int, int]]:
    """(start, end) of every word."""
    out = []
    pos = 0
    for word in _tokenizer().cut(text, HMM=True):
        out.append((pos, pos + len(word)))
        pos += len(word)
    return out
