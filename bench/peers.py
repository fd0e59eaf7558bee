"""Start the servers under test as subprocesses on free loopback ports, and stop them (by pid).

Peers that are missing are installed when allowed: `rdflib-endpoint` into this venv with pip,
Virtuoso with apt-get (as root only). When that is not possible the peer is reported as
"not measured: not installed".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from graph.stores import virtuoso_launch
from graph.stores.virtuoso_launch import find_virtuoso, free_port, wait_ready


def pinned(cmd: list[str], cpu: int | None) -> list[str]:
    if cpu is None or shutil.which("taskset") is None:
        return cmd
    return ["taskset", "-c", str(cpu), *cmd]


@dataclass
class Server:
    name: str
    url: str
    proc: subprocess.Popen[bytes]
    workdir: Path
    notes: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def start_python(
    kind: str,
    workdir: Path,
    *,
    cpu: int | None,
    nq: Path | None = None,
    dist: Path | None = None,
    store_path: Path | None = None,
    timeout: float = 300,
) -> Server:
    port = free_port()
    cmd = [sys.executable, "-m", "bench.servers", kind, "--port", str(port)]
    if nq is not None:
        cmd += ["--nq", str(nq)]
    if dist is not None:
        cmd += ["--dist", str(dist)]
    if store_path is not None:
        cmd += ["--store-path", str(store_path)]
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / f"{kind}.log"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH", "")]
    )
    proc = subprocess.Popen(
        pinned(cmd, cpu), stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env
    )
    url = f"http://127.0.0.1:{port}/sparql"
    server = Server(kind, url, proc, workdir)
    try:
        wait_ready(url, proc, timeout, log)
    except BaseException:
        server.stop()
        raise
    return server


# -- installs ---------------------------------------------------------------------------------


def ensure_rdflib_endpoint(allow_install: bool) -> str | None:
    """None when importable (installing it with pip when allowed), else why not."""
    try:
        import rdflib_endpoint  # noqa: F401

        return None
    except ImportError:
        pass
    if not allow_install:
        return "not measured: rdflib-endpoint is not installed (pip install rdflib-endpoint)"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "rdflib-endpoint"],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return f"not measured: pip install rdflib-endpoint failed: {done.stderr[-300:]}"
    return None


def ensure_virtuoso(allow_install: bool) -> str | None:
    """None when virtuoso-t and isql-vt are there (apt-get installs them as root), else why not."""
    if find_virtuoso() and shutil.which("isql-vt"):
        return None
    if not allow_install or os.geteuid() != 0 or shutil.which("apt-get") is None:
        return "not measured: not installed (Debian package virtuoso-opensource-7-bin)"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (
        ["apt-get", "update", "-q"],
        ["apt-get", "install", "-y", "-q", "virtuoso-opensource-7-bin"],
    ):
        done = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if done.returncode != 0:
            return f"not measured: {' '.join(cmd[:2])} failed: {done.stderr[-300:]}"
    if find_virtuoso() and shutil.which("isql-vt"):
        return None
    return "not measured: not installed (Debian package virtuoso-opensource-7-bin)"


# -- Virtuoso ---------------------------------------------------------------------------------


@dataclass
class VirtuosoServer(Server):
    isql_port: int = 0

    def isql(self, *statements: str, timeout: float = 1800) -> str:
        cmd = ["isql-vt", str(self.isql_port), "dba", "dba", *(f"exec={s}" for s in statements)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or "*** Error" in done.stdout:
            raise RuntimeError(f"isql failed: {done.stdout[-800:]} {done.stderr[-800:]}")
        return done.stdout

    def load_nquads(self, nq: Path) -> None:
        """The bulk loader (ld_dir + rdf_loader_run) with a loader per core, then a checkpoint."""
        folder = str(nq.resolve().parent)
        self.isql(
            "DELETE FROM DB.DBA.LOAD_LIST;",
            f"ld_dir('{folder}', '{nq.name}', 'urn:argraph:bench:default');",
        )
        cores = min(2, os.cpu_count() or 1)
        loaders = [
            subprocess.Popen(
                ["isql-vt", str(self.isql_port), "dba", "dba", "exec=rdf_loader_run();"],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for _ in range(cores)
        ]
        for p in loaders:
            out, _ = p.communicate(timeout=3600)
            if p.returncode != 0 or b"*** Error" in out:
                raise RuntimeError(f"rdf_loader_run failed: {out[-800:]!r}")
        self.isql("checkpoint;")
        errors = self.isql(
            "SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;"
        )
        if "0 Rows" not in errors:
            raise RuntimeError(f"the Virtuoso bulk loader reported errors: {errors[-800:]}")


def start_virtuoso(
    workdir: Path, data_dir: Path, *, cpu: int | None, memory_gb: float = 2.0, timeout: float = 120
) -> VirtuosoServer:
    launched = virtuoso_launch.start(
        workdir,
        launcher=pinned([], cpu),
        timeout=timeout,
        memory_gb=memory_gb,
        dirs_allowed=[data_dir],
        connections=10,
        threads_per_query=2,
        max_query_s=120,
    )
    return VirtuosoServer(
        "virtuoso",
        launched.query_url,
        launched.proc,
        launched.workdir,
        isql_port=launched.isql_port,
    )


def virtuoso_version() -> str:
    return virtuoso_launch.version()
