"""Query workers without a network: each worker enters a network namespace of its own at start.

A fresh network namespace has only a loopback interface, and it is down: any connection the
engine tries (pyoxigraph follows `SERVICE` with its own HTTP client; rdflib would too) fails
with "network unreachable" before a packet leaves. This is a second layer behind the guard,
which refuses SERVICE, LOAD and FROM of remote graphs before a query reaches a worker.

The web process may leave the network too (`listen_then_isolate`): it binds its listening socket
first, then enters a namespace of its own; the socket it holds keeps accepting connections from
the host, but any socket it opens afterwards has no route out. Only then may it run queries
itself (graph/stores/inprocess.py: queries that proved fast, in a thread); where it cannot leave
the network, every query goes to the workers. Namespaces belong to threads: a thread that
existed before the unshare keeps the host's network, so the process must be single-threaded at
that moment (and `unshare(CLONE_NEWUSER)` requires it anyway); a thread started afterwards
inherits the namespace of the thread that started it.

`unshare(CLONE_NEWNET)` needs CAP_SYS_ADMIN (root, or a container that grants it). Without it,
`CLONE_NEWUSER | CLONE_NEWNET` works where the kernel allows unprivileged user namespaces. Where
neither works, the worker runs with the host's network and says why; the pool logs a warning
once, `/api/stats` can show it, and `require_network_isolation` turns it into a startup failure.
"""

from __future__ import annotations

import errno
import os
import socket
import threading

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


def _unshare(flags: int) -> int:
    """0, or the errno of a failed unshare(2)."""
    unshare = getattr(os, "unshare", None)
    if unshare is not None:  # Python 3.12+
        try:
            unshare(flags)
        except OSError as exc:
            return exc.errno or errno.EPERM
        return 0
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.unshare
    except (ImportError, OSError, AttributeError):
        return errno.ENOSYS
    if fn(ctypes.c_int(flags)) == 0:
        return 0
    return ctypes.get_errno() or errno.EPERM


def isolate_network() -> str | None:
    """Move this process into a new, empty network namespace. None when it did; otherwise the
    reason it could not (the process keeps the host's network)."""
    if not hasattr(os, "fork") or not os.path.exists("/proc/self/ns/net"):
        return "network namespaces are a Linux feature; this system has none"
    first = _unshare(CLONE_NEWNET)
    if first == 0:
        return None
    second = _unshare(CLONE_NEWUSER | CLONE_NEWNET)
    if second == 0:
        return None
    return (
        f"unshare(CLONE_NEWNET) failed ({os.strerror(first)}) and so did an unprivileged user "
        f"namespace ({os.strerror(second)}): query workers keep the host's network"
    )


def network_namespace() -> str:
    """This process's network namespace (`net:[inode]`), to compare with another process's."""
    return os.readlink("/proc/self/ns/net")


_NET = "/proc/thread-self/ns/net"
_isolated_ns: str | None = None
"""the namespace this process entered with `isolate_process`, when it did"""
_problem: str | None = "the web process did not try to leave the network"
_checked = threading.local()


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 0


def isolate_process() -> str | None:
    """Move this whole process (it must have one thread) into a new, empty network namespace
    and remember it (`process_isolated`). None when it did; otherwise why not (the process keeps
    the host's network, and `process_isolated` stays False)."""
    global _isolated_ns, _problem
    threads = _threads()
    if threads != 1:
        _problem = (
            f"the process has {threads or 'an unknown number of'} threads; a network namespace "
            "can only be entered for the whole process while it has one"
        )
        return _problem
    host = os.readlink(_NET)
    problem = isolate_network()
    if problem is None and os.readlink(_NET) == host:
        problem = "unshare succeeded but the network namespace did not change"
    if problem is None and _threads() != 1:  # a thread that started meanwhile kept the host's
        problem = "a thread started while the process left the network"
    _problem = problem
    _isolated_ns = None if problem is not None else os.readlink(_NET)
    return problem


def process_isolated() -> bool:
    """True when this process left the network (`isolate_process`) and the calling thread is
    in that namespace (checked once a thread)."""
    if _isolated_ns is None:
        return False
    seen: bool | None = getattr(_checked, "ok", None)
    if seen is None:
        seen = os.readlink(_NET) == _isolated_ns
        _checked.ok = seen
    return seen


def process_isolation_problem() -> str | None:
    """Why the process is not isolated (None when it is)."""
    return None if _isolated_ns is not None else _problem


def listen_then_isolate(
    host: str, port: int, *, isolate: bool = True, backlog: int = 2048
) -> tuple[socket.socket, str | None]:
    """A listening TCP socket on `host:port`, bound while the process still has the host's
    network; then, with `isolate`, the process leaves the network (`isolate_process`). Call it
    first thing, before anything starts a thread, and hand the socket to the web server (uvicorn:
    `Server(config).run(sockets=[sock])`). Returns the socket and why the process is not
    isolated (None when it is)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say TCP
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    problem = isolate_process() if isolate else "network isolation of the web process is off"
    return sock, problem
