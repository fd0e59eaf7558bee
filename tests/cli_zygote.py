"""`argraph` for shell scripts under test, without an interpreter start and the imports for
each command (about 0.6-1.5 s of CPU each; the guides run about a hundred).

A zygote (`serve`: a fresh, single-threaded interpreter started once per test module, that
imported the CLI and the heavy modules) listens on a Unix socket. The `argraph` on the scripts'
PATH is a small stdlib-only client (`SHIM`, run with `python -IS`): it sends its command line,
working folder and environment, and passes its stdin, stdout and stderr (SCM_RIGHTS). For each
call the zygote forks a session, which forks the command: it takes the client's descriptors,
folder, environment and argv, and runs `argraph.cli.main` as the `argraph` script would. The
session relays the signals the client receives (TERM, INT, HUP: `kill $SERVER` in a guide stops
the server it started) and sends the exit status back, which the client exits with; a client
that goes away takes its command with it (SIGTERM).

`argraph-python SCRIPT ARGS...` (the same client, `write_client(..., mode="python")`) runs a
Python script the same way, as `python SCRIPT ARGS...` would: the guides' Python blocks.

What differs from a fresh `argraph` or `python` process is only what was imported before the
command runs; tests/test_packaging.py and the CLI tests run real processes."""

from __future__ import annotations

import array
import atexit
import contextlib
import json
import os
import select
import signal
import socket
import struct
import sys
from pathlib import Path

from tests.cli_child import run_main, run_script

PRELOAD = [
    "argraph.cli",
    "argraph.app",
    "argraph.serve",
    "graph.build",
    "graph.build_papers",
    "graph.validate",
    "graph.store",
    "uvicorn",
]
OPTIONAL_PRELOAD = ["pandas"]
"""Imported where installed: the guides' Python blocks read results with pandas (about 2 s of
CPU to import, each block that does)."""
FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)

# The client: stdlib only (`python -IS` starts in a few milliseconds). Frames are a 4-byte
# big-endian length and a JSON body; the first carries the three descriptors.
SHIM = """#!{python} -IS
import array, json, os, signal, socket, struct, sys

sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
sock.connect({path!r})
body = json.dumps(
    {{"mode": {mode!r}, "argv": sys.argv, "cwd": os.getcwd(), "env": dict(os.environ)}}
).encode()
sock.sendmsg(
    [struct.pack(">I", len(body)) + body],
    [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [0, 1, 2]))],
)


def forward(signum, _frame):
    sock.sendall(struct.pack(">I", 4) + struct.pack(">i", signum))


for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(sig, forward)
data = b""
while len(data) < 4:
    chunk = sock.recv(4 - len(data))
    if not chunk:
        sys.exit(125)  # the zygote went away: no status
    data += chunk
status = struct.unpack(">i", data)[0]
if status < 0:  # killed by a signal: die of the same one
    signal.signal(-status, signal.SIG_DFL)
    os.kill(os.getpid(), -status)
sys.exit(status)
"""

LAUNCHER = """#!{python}
import sys

if __name__ == "__main__":  # worker processes re-import this file: only the zygote serves
    from tests.cli_zygote import serve

    serve(sys.argv[1])
"""


def write_client(bin_dir: Path, socket_path: Path, mode: str = "argraph") -> Path:
    """`bin_dir/argraph`, the client of the zygote listening at `socket_path`; with
    `mode="python"`, `bin_dir/argraph-python`, which runs a Python script as `python SCRIPT
    ARGS...` would (the guides' Python blocks)."""
    names = {"argraph": "argraph", "python": "argraph-python"}
    if mode not in names:
        raise ValueError(f"mode is one of {sorted(names)}, not {mode!r}")
    shim = bin_dir / names[mode]
    text = SHIM.format(python=sys.executable, path=str(socket_path), mode=mode)
    shim.write_text(text, encoding="utf-8")
    shim.chmod(0o755)
    return shim


def write_launcher(bin_dir: Path) -> Path:
    """A script that starts the zygote (a script, so that `sys.path` starts at its folder as the
    real `argraph` script's does, and the working folder never shadows a package)."""
    launcher = bin_dir / "argraph-zygote"
    launcher.write_text(LAUNCHER.format(python=sys.executable), encoding="utf-8")
    launcher.chmod(0o755)
    return launcher


def serve(socket_path: str) -> None:
    """The zygote: import, listen, fork a session per client. Stays single-threaded (a command
    such as `argraph serve` enters namespaces of its own, which a threaded process cannot)."""
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    # numpy (under pandas) starts OpenBLAS's threads at import unless told one is enough: the
    # zygote must stay single-threaded to fork safely (each command's environment is its own)
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    for name in OPTIONAL_PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    tasks = Path("/proc/self/task")  # (Linux: the threads of this process)
    if tasks.is_dir() and len(os.listdir(tasks)) > 1:
        raise RuntimeError("the CLI zygote must stay single-threaded: a preload started a thread")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)
    print("ready", flush=True)
    while True:
        conn, _ = listener.accept()
        pid = os.fork()
        if pid == 0:
            listener.close()
            os._exit(_session(conn))
        conn.close()
        while True:  # reap the sessions that ended
            try:
                done, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if done == 0:
                break


def _recv_exactly(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _session(conn: socket.socket) -> int:
    """One client: receive the call, run it in a child, relay signals, send the status."""
    fds = array.array("i")
    head, ancillary, _flags, _addr = conn.recvmsg(4, socket.CMSG_LEN(3 * fds.itemsize))
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - len(data) % fds.itemsize])
    head += _recv_exactly(conn, 4 - len(head))
    call = json.loads(_recv_exactly(conn, struct.unpack(">I", head)[0]))
    child = os.fork()
    if child == 0:
        conn.close()
        _run(call, list(fds))
    for fd in fds:
        os.close(fd)
    watched = [conn]
    while True:
        ready, _, _ = select.select(watched, [], [], 0.05)
        if ready:
            try:
                frame = _recv_exactly(conn, 8)
                _kill(child, struct.unpack(">i", frame[4:])[0])
            except (EOFError, OSError):  # the client is gone: so is its command
                _kill(child, signal.SIGTERM)
                watched = []
        done, status = os.waitpid(child, os.WNOHANG)
        if done:
            with contextlib.suppress(OSError):
                conn.sendall(struct.pack(">i", os.waitstatus_to_exitcode(status)))
            return 0


def _kill(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def _run(call: dict[str, object], fds: list[int]) -> None:
    """In the command's process: the client's descriptors, folder, environment and argv."""
    for sig in FORWARDED:
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for target, fd in enumerate(fds[:3]):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    os.chdir(str(call["cwd"]))
    env = call["env"]
    assert isinstance(env, dict)
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in env.items()})
    argv = call["argv"]
    assert isinstance(argv, list)
    if call.get("mode") == "python":
        status = run_script([str(a) for a in argv[1:]])
    else:
        status = run_main([str(a) for a in argv[1:]])
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
