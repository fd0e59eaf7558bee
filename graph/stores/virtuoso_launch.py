"""Start a Virtuoso 7 (`virtuoso-t`, Debian's `virtuoso-opensource-7-bin`) on loopback, in a folder
of its own, and stop it (by its pid). The tests and the benchmarks use it; the guide
`docs/guides/remote-store.md` shows the same steps by hand.

`start(workdir)` writes a minimal ini (database, log and lock files in `workdir`, HTTP and isql on
free loopback ports), runs `virtuoso-t +configfile INI +foreground`, waits until `/sparql` answers
and returns a `Virtuoso`; `grant_update()` lets the anonymous SPARQL user run SPARQL Update,
`isql(...)` runs statements as dba, `stop()` ends the process. The Graph Store Protocol endpoint
`/sparql-graph-crud-auth` takes the dba account (dba/dba on a fresh database) with digest auth.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = {dirs}
CheckpointInterval = 0
ThreadsPerQuery = {threads_per_query}

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = {connections}
ServerThreads = {connections}

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = {max_query_s}
"""

PACKAGE = "virtuoso-opensource-7-bin"


def find_virtuoso() -> str | None:
    """`virtuoso-t`: `$ARGRAPH_VIRTUOSO` when set (None if it is not a file), else on PATH."""
    given = os.environ.get("ARGRAPH_VIRTUOSO")
    if given:
        return given if Path(given).is_file() else None
    return shutil.which("virtuoso-t")


def find_isql() -> str | None:
    return shutil.which("isql-vt")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def write_ini(
    workdir: Path,
    *,
    http_port: int,
    isql_port: int,
    memory_gb: float | None = None,
    dirs_allowed: Sequence[Path] = (),
    connections: int = 5,
    threads_per_query: int = 2,
    max_query_s: int = 60,
) -> Path:
    """`workdir/virtuoso.ini`; `memory_gb` sizes the buffer pool (8 KiB pages, 2/3 of it; 10,000
    pages, about 80 MB, when not given)."""
    buffers = 10000 if memory_gb is None else max(2000, int(memory_gb * 1024**3 / 8192 * 0.66))
    dirs = ", ".join([".", str(workdir), *(str(Path(d).resolve()) for d in dirs_allowed)])
    ini = workdir / "virtuoso.ini"
    ini.write_text(
        INI.format(
            d=workdir,
            http=http_port,
            isql=isql_port,
            buffers=buffers,
            dirty=buffers * 3 // 4,
            dirs=dirs,
            connections=connections,
            threads_per_query=threads_per_query,
            max_query_s=max_query_s,
        ),
        encoding="utf-8",
    )
    return ini


@dataclass
class Virtuoso:
    """A running Virtuoso started by `start`."""

    proc: subprocess.Popen[bytes]
    workdir: Path
    http_port: int
    isql_port: int
    notes: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def update_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def graph_store_url(self) -> str:
        """The Graph Store Protocol endpoint; digest auth as dba."""
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def isql(self, *statements: str, timeout: float = 1800) -> str:
        """Run statements as dba through `isql-vt`; RuntimeError if one fails."""
        isql = find_isql() or "isql-vt"
        cmd = [isql, str(self.isql_port), "dba", "dba", *(f"exec={s}" for s in statements)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0 or "*** Error" in done.stdout:
            raise RuntimeError(f"isql failed: {done.stdout[-800:]} {done.stderr[-800:]}")
        return done.stdout

    def grant_update(self) -> None:
        """Let the anonymous SPARQL user (`SPARQL`) run SPARQL Update on /sparql."""
        self.isql('GRANT SPARQL_UPDATE TO "SPARQL";', timeout=60)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float, log: Path) -> None:
    """Until `url?query=ASK{}` answers 200; RuntimeError if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            text = log.read_text("utf-8", "replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{url}: the server exited: {text}")
        try:
            with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=5) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.3)


def start(
    workdir: Path,
    *,
    binary: str | None = None,
    launcher: Sequence[str] = (),
    timeout: float = 120,
    memory_gb: float | None = None,
    dirs_allowed: Sequence[Path] = (),
    connections: int = 5,
    threads_per_query: int = 2,
    max_query_s: int = 60,
) -> Virtuoso:
    """Write the ini in `workdir` (options as `write_ini`'s), start Virtuoso, wait for /sparql.

    `launcher` prefixes the command (e.g. `["taskset", "-c", "1"]`)."""
    binary = binary or find_virtuoso()
    if binary is None:
        raise RuntimeError(f"virtuoso-t is not installed (Debian package {PACKAGE})")
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    http, isql = free_port(), free_port()
    path = write_ini(
        workdir,
        http_port=http,
        isql_port=isql,
        memory_gb=memory_gb,
        dirs_allowed=dirs_allowed,
        connections=connections,
        threads_per_query=threads_per_query,
        max_query_s=max_query_s,
    )
    log = workdir / "stdout.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*launcher, binary, "+configfile", str(path), "+foreground"],
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Virtuoso(proc, workdir, http, isql)
    try:
        wait_ready(server.query_url, proc, timeout, workdir / "virtuoso.log")
    except BaseException:
        server.stop()
        raise
    return server


def version(binary: str | None = None) -> str:
    binary = binary or find_virtuoso()
    if binary is None:
        return "not installed"
    done = subprocess.run([binary, "-?"], capture_output=True, text=True, check=False)
    for line in (done.stdout + done.stderr).splitlines():
        if "Version" in line:
            return line.strip()
    return "unknown"
