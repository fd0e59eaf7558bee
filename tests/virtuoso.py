"""A real Virtuoso 7 (Debian's `virtuoso-opensource-7-bin`) on loopback, in a tmp folder.

`virtuoso_server(tmp)` starts `virtuoso-t +configfile INI +foreground` on free ports, waits for
/sparql, grants SPARQL updates to the anonymous SPARQL user and yields its URLs; it stops the
process (its own, by pid) on exit. `require_virtuoso()` skips locally without it, and fails when
`CI` is set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.api_fixtures import free_port

INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {d}
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 5
ServerThreads = 5

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@dataclass
class Virtuoso:
    query_url: str
    update_url: str
    graph_store_url: str
    isql_port: int


def find_virtuoso() -> str | None:
    given = os.environ.get("ARGRAPH_VIRTUOSO")
    if given:
        return given if Path(given).is_file() else None
    return shutil.which("virtuoso-t")


def require_virtuoso() -> str:
    binary = find_virtuoso()
    if binary is None or shutil.which("isql-vt") is None:
        message = (
            "Virtuoso is not installed (virtuoso-t / isql-vt from Debian's "
            "virtuoso-opensource-7-bin); the remote-store suite needs it"
        )
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return binary


@contextmanager
def virtuoso_server(tmp: Path) -> Iterator[Virtuoso]:
    binary = require_virtuoso()
    http, isql = free_port(), free_port()
    ini = tmp / "virtuoso.ini"
    ini.write_text(INI.format(d=tmp, http=http, isql=isql), encoding="utf-8")
    log = (tmp / "stdout.log").open("wb")
    proc = subprocess.Popen(
        [binary, "+configfile", str(ini), "+foreground"],
        cwd=tmp,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{http}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"virtuoso exited: {(tmp / 'virtuoso.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError("virtuoso did not answer on /sparql within 90 s") from None
                time.sleep(0.5)
        subprocess.run(
            ["isql-vt", str(isql), "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield Virtuoso(f"{base}/sparql", f"{base}/sparql", f"{base}/sparql-graph-crud-auth", isql)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()
