"""Chinese word segmentation (jieba), loaded on first use; its cache stays in the temp folder."""

from __future__ import annotations

import logging
import tempfile
from functools import cache
from typing import Any


@cache
def _tokenizer() -> Any:
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
