"""Fair admission to the query slots: a short queue with a bounded wait and a per-client share.

`size` queries run at once. A query that finds no free slot waits in a queue, at most
`queue_wait_s` seconds, then gets a 503 with Retry-After; a full queue (`max_queue` waiting)
answers 503 at once. A client (the remote host) runs at most `per_client` queries at a time,
however many slots are free, so one client's runaway queries cannot take every slot: the others
keep at least `size - per_client` slots. Among waiters that may run, the first come goes first.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import count

from errors import ServiceBusy

_tickets = count()


@dataclass(eq=False, slots=True)
class _Ticket:
    client: str
    number: int = field(default_factory=lambda: next(_tickets))


class Admission:
    def __init__(
        self,
        size: int,
        *,
        per_client: int | None = None,
        queue_wait_s: float = 5.0,
        max_queue: int | None = None,
        retry_after_s: int = 2,
    ) -> None:
        self.size = size
        self.per_client = min(size, per_client or math.ceil(size / 2))
        self.queue_wait_s = queue_wait_s
        self.max_queue = max_queue if max_queue is not None else 8 * size
        self.retry_after_s = retry_after_s
        self.running: Counter[str] = Counter()
        self.waiting: list[_Ticket] = []
        self.refused = 0
        self._cond = threading.Condition()

    @property
    def active(self) -> int:
        return sum(self.running.values())

    def _may_run(self, ticket: _Ticket) -> bool:
        """True when `ticket` is the first waiter that a free slot and its client's share allow."""
        if self.active >= self.size:
            return False
        for waiter in self.waiting:
            if self.running[waiter.client] < self.per_client:
                return waiter is ticket
        return False

    def enter(self, client: str = "") -> float:
        """Take a slot for `client`, waiting at most `queue_wait_s`; the seconds waited."""
        start = time.monotonic()
        with self._cond:
            if len(self.waiting) >= self.max_queue:
                self.refused += 1
                raise ServiceBusy(
                    f"{self.active} queries are running and {len(self.waiting)} waiting, the "
                    "most this endpoint queues; retry in a moment",
                    retry_after=self.retry_after_s,
                )
            ticket = _Ticket(client)
            self.waiting.append(ticket)
            admitted = self._cond.wait_for(lambda: self._may_run(ticket), self.queue_wait_s)
            self.waiting.remove(ticket)
            if not admitted:
                self.refused += 1
                self._cond.notify_all()
                mine = self.running[client]
                reason = (
                    f"this client already runs {mine} queries, its share"
                    if mine >= self.per_client
                    else f"all {self.size} query slots stayed busy"
                )
                raise ServiceBusy(
                    f"no query slot within {self.queue_wait_s:g} s ({reason}); retry in a moment",
                    retry_after=self.retry_after_s,
                )
            self.running[client] += 1
            # the next waiter may be of another client with room: let it look
            self._cond.notify_all()
        return time.monotonic() - start

    def try_enter(self, client: str = "") -> bool:
        """Take a slot for `client` only if it is free now and nobody waits ahead; else False."""
        with self._cond:
            if self.waiting or self.active >= self.size:
                return False
            if self.running[client] >= self.per_client:
                return False
            self.running[client] += 1
            return True

    def leave(self, client: str = "") -> None:
        with self._cond:
            self.running[client] -= 1
            if self.running[client] <= 0:
                del self.running[client]
            self._cond.notify_all()

    def status(self) -> dict[str, int]:
        with self._cond:
            return {
                "slots": self.size,
                "per_client": self.per_client,
                "running": self.active,
                "waiting": len(self.waiting),
                "refused": self.refused,
            }
