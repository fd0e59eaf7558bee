"""The common case of a query, on the event loop: no thread between the web server and a worker.

When the client has a free slot now (nobody waiting ahead of it) and a worker is idle, the job is
written to the worker's pipe and the reply awaited with the event loop's own readiness
notification, read in chunks as they come (a 20 MB answer never blocks the loop). Anything
else (a wait for a slot or a worker, a worker to start) goes the thread path, `ProcessPool.run`.
Killing a worker (time limit, a client that went away) and reaping a crashed one happen in a
thread: they may wait on the process.

The reply is read in the framing of `multiprocessing.connection.Connection.send` (a 4-byte
big-endian length, or -1 and an 8-byte length), which the worker uses.
"""

from __future__ import annotations

import os
import pickle
import struct
import threading
import time
from typing import TYPE_CHECKING, Any

import anyio
import anyio.to_thread

from errors import StoreError
from graph.stores.execute import Answer, QueryJob
from graph.stores.pool import NICE_SLOW

if TYPE_CHECKING:
    from graph.stores.pool import ProcessPool, _Worker

_BIG = 1 << 20
"""replies larger than this are unpickled in a thread"""


async def _read(fd: int, n: int) -> bytearray:
    buf = bytearray()
    while len(buf) < n:
        await anyio.wait_readable(fd)
        chunk = os.read(fd, n - len(buf))
        if not chunk:
            raise EOFError("the worker closed its pipe")
        buf += chunk
    return buf


async def receive(fd: int) -> Any:
    """One message sent with `Connection.send` on the other end of `fd`."""
    (size,) = struct.unpack("!i", await _read(fd, 4))
    if size == -1:
        (size,) = struct.unpack("!Q", await _read(fd, 8))
    data = await _read(fd, size)
    if size > _BIG:
        return await anyio.to_thread.run_sync(pickle.loads, data)
    return pickle.loads(data)


async def _ready(fd: int, seconds: float) -> bool:
    with anyio.move_on_after(max(seconds, 0)):
        await anyio.wait_readable(fd)
        return True
    return False


async def _wait(pool: ProcessPool, worker: _Worker, deadline: float) -> bool:
    fd = worker.conn.fileno()
    if await _ready(fd, min(pool.demote_after_s, deadline - time.monotonic())):
        return True
    if time.monotonic() >= deadline:
        return False
    worker.nice(NICE_SLOW)
    return await _ready(fd, deadline - time.monotonic())


def _abandon(pool: ProcessPool, worker: _Worker) -> None:
    """A worker whose query nobody waits for any more: killed and replaced, in the background."""
    threading.Thread(target=pool._lost, args=(worker,), daemon=True, name="argraph-kill").start()


async def run(pool: ProcessPool, job: QueryJob, client: str) -> Answer | None:
    """The answer, or None when the job must take the thread path (no slot or no idle worker
    right now); raises the typed errors `ProcessPool.run` raises."""
    if not pool.admission.try_enter(client):
        return None
    try:
        worker = pool._try_take(client)
        if worker is None:
            return None
        deadline = time.monotonic() + pool.timeout_s
        try:
            worker.conn.send(job)
            ready = await _wait(pool, worker, deadline)
        except (OSError, EOFError) as exc:
            _abandon(pool, worker)
            raise StoreError(f"a query worker failed: {exc}") from None
        except BaseException:  # cancelled: the worker still runs a query nobody will read
            _abandon(pool, worker)
            raise
        if not ready:
            pool.kills += 1
            await anyio.to_thread.run_sync(pool._lost, worker)
            raise pool._timeout("the query ran longer than {limit} and was stopped")
        try:
            reply = await receive(worker.conn.fileno())
        except (OSError, EOFError, struct.error, pickle.UnpicklingError):
            raise await anyio.to_thread.run_sync(pool._crashed, worker) from None
        except BaseException:
            _abandon(pool, worker)
            raise
        pool._release(worker)
        return pool._outcome(reply)
    finally:
        pool.admission.leave(client)
