"""One bounded reader for every file a build reads (annotations, the lock, the source, data).

A build reads files a user points it at, so each read is checked before a byte is read:

- only regular files: a device (`/dev/zero`), a FIFO, a socket or a folder is refused by its
  path, without opening it (a FIFO is never waited on, a device never opened); the file is then
  opened with O_NONBLOCK and O_NOFOLLOW and checked again, so that it cannot be swapped between the
  check and the read;
- inside the folder it belongs to (`within`: the corpus folder, the data folder), after symlinks
  are resolved; a path the user gave explicitly (the source text) may be anywhere;
- at most `max_file_bytes` per file and `max_total_bytes` for all the files of one build.

The limits come from the active `input_limits(...)` context (the CLI and the build open one from
the settings `max_input_file_bytes` / `max_input_bytes`); outside one, the settings' defaults
apply per file. Missing or unreadable files raise the usual OSError, so callers keep their own
"not found" messages; everything refused here is an `InputRefused` naming the file.
"""

from __future__ import annotations

import contextvars
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from errors import AnnotationError

_CHUNK = 1 << 20


class InputRefused(AnnotationError):
    """An input file the build will not read: not a regular file, outside its folder, too big."""

    code = "input_refused"


MAX_FILE_BYTES = 20_000_000
"""the largest input file a build reads by default (the settings' `max_input_file_bytes`)"""
MAX_TOTAL_BYTES = 200_000_000
"""the most a build reads from all its inputs by default (the settings' `max_input_bytes`)"""


@dataclass
class InputLimits:
    """The caps of one build, and what it has read so far."""

    max_file_bytes: int
    max_total_bytes: int
    used: int = 0

    @classmethod
    def defaults(cls) -> InputLimits:
        return cls(MAX_FILE_BYTES, MAX_TOTAL_BYTES)


_ACTIVE: contextvars.ContextVar[InputLimits | None] = contextvars.ContextVar(
    "argraph_input_limits", default=None
)

RAISE_HINT = (
    "raise the limit with --max-input-file-bytes / ARGRAPH_MAX_INPUT_FILE_BYTES "
    "(per file) or --max-input-bytes / ARGRAPH_MAX_INPUT_BYTES (per build)"
)


@contextmanager
def input_limits(
    max_file_bytes: int | None = None, max_total_bytes: int | None = None
) -> Iterator[InputLimits]:
    """Open a read budget for one build (or reuse the one already open: a build that calls
    other readers counts all their reads together)."""
    active = _ACTIVE.get()
    if active is not None and max_file_bytes is None and max_total_bytes is None:
        yield active
        return
    limits = InputLimits.defaults()
    if max_file_bytes is not None:
        limits.max_file_bytes = max_file_bytes
    if max_total_bytes is not None:
        limits.max_total_bytes = max_total_bytes
    token = _ACTIVE.set(limits)
    try:
        yield limits
    finally:
        _ACTIVE.reset(token)


def current_limits() -> InputLimits:
    """The active budget, or a fresh one with the default caps (per call: no running total)."""
    return _ACTIVE.get() or InputLimits.defaults()


_KINDS = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _inside(real: str, folder: Path) -> bool:
    root = os.path.realpath(folder)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def read_input(path: Path | str, *, within: Path | str | None = None, what: str = "file") -> bytes:
    """The bytes of one input file, read under the active caps.

    `within`: the folder the file must resolve inside (None: anywhere, for a path the user gave).
    `what` names the input in messages ("annotation file", "source text", "data table").
    Raises FileNotFoundError / OSError as `open` would (a missing file, no permission, a symlink
    loop), and InputRefused for anything this module refuses.
    """
    path = Path(path)
    limits = current_limits()
    real = os.path.realpath(path, strict=True)  # OSError: missing, loop (ELOOP)
    st = os.stat(real)
    if not stat.S_ISREG(st.st_mode):
        target = "" if real == os.path.abspath(path) else f" (it resolves to {real})"
        raise InputRefused(
            f"{what} is {_kind(st.st_mode)}{target}, not a regular file: refused", file=path
        )
    if within is not None and not _inside(real, Path(within)):
        raise InputRefused(
            f"{what} resolves to {real}, outside the folder {within}: refused", file=path
        )
    _check_size(path, st.st_size, limits, what)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0)
    fd = os.open(real, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # swapped since the check above
            raise InputRefused(f"{what} is {_kind(st.st_mode)}, not a regular file", file=path)
        _check_size(path, st.st_size, limits, what)
        cap = min(limits.max_file_bytes, limits.max_total_bytes - limits.used)
        chunks: list[bytes] = []
        size = 0
        while size <= cap:  # a file that grows while read (or reports size 0, as /proc does)
            chunk = os.read(fd, min(_CHUNK, cap + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        _check_size(path, size, limits, what)
    finally:
        os.close(fd)
    limits.used += size
    return b"".join(chunks)


def _check_size(path: Path, size: int, limits: InputLimits, what: str) -> None:
    if size > limits.max_file_bytes:
        raise InputRefused(
            f"{what} is larger than the limit of {limits.max_file_bytes:,} bytes per input file "
            f"({size:,} bytes or more): refused; {RAISE_HINT}",
            file=path,
        )
    if limits.used + size > limits.max_total_bytes:
        raise InputRefused(
            f"reading this {what} ({size:,} bytes) takes the build's inputs past the limit of "
            f"{limits.max_total_bytes:,} bytes in all: refused; {RAISE_HINT}",
            file=path,
        )


def read_input_text(
    path: Path | str, *, within: Path | str | None = None, what: str = "file"
) -> str:
    """`read_input`, decoded as UTF-8 (a leading BOM dropped); a decoding error names the line."""
    raw = read_input(path, within=within, what=what)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputRefused(
            f"{what} is not valid UTF-8 (byte {exc.start})", file=path, line=line
        ) from None
