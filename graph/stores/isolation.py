"""Query workers without a network: each worker enters a network namespace of its own at start.

A fresh network namespace has only a loopback interface, and it is down: any connection the
engine tries (pyoxigraph follows `SERVICE` with its own HTTP client; rdflib would too) fails
with "network unreachable" before a packet leaves. This is a second layer behind the guard,
which refuses SERVICE, LOAD and FROM of remote graphs before a query reaches a worker.

`unshare(CLONE_NEWNET)` needs CAP_SYS_ADMIN (root, or a container that grants it). Without it,
`CLONE_NEWUSER | CLONE_NEWNET` works where the kernel allows unprivileged user namespaces. Where
neither works, the worker runs with the host's network and says why; the pool logs a warning
once, `/api/stats` can show it, and `require_network_isolation` turns it into a startup failure.
"""

from __future__ import annotations

import errno
import os

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
