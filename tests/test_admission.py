"""Fair admission: queries wait a little for a slot instead of a 503 at once, one client cannot
take every slot, and each refusal is a 503 that carries Retry-After. Driven with threads that
hold slots until told to let go (events, not sleeps), so the outcome does not depend on speed."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from errors import ServiceBusy
from graph.stores.admission import Admission


class Holder:
    """A thread that enters for `client` and holds its slot until `release()`."""

    def __init__(self, admission: Admission, client: str) -> None:
        self.admission = admission
        self.client = client
        self.entered = threading.Event()
        self.done = threading.Event()
        self.error: BaseException | None = None
        self._go = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.admission.enter(self.client)
        except ServiceBusy as exc:
            self.error = exc
            self.done.set()
            return
        self.entered.set()
        self._go.wait(30)
        self.admission.leave(self.client)
        self.done.set()

    def release(self) -> None:
        self._go.set()
        assert self.done.wait(30)


@pytest.fixture()
def holders() -> Iterator[list[Holder]]:
    made: list[Holder] = []
    yield made
    for h in made:
        h._go.set()
        h.thread.join(5)


def wait_until(predicate: object, timeout: float = 30) -> None:
    event = threading.Event()
    for _ in range(int(timeout / 0.01)):
        if callable(predicate) and predicate():
            return
        event.wait(0.01)
    raise AssertionError("condition not reached")


def test_more_clients_than_slots_are_all_served(holders: list[Holder]) -> None:
    admission = Admission(4, queue_wait_s=30)
    holders += [Holder(admission, f"10.0.0.{i}") for i in range(8)]
    wait_until(lambda: sum(h.entered.is_set() for h in holders) == 4)
    assert admission.status()["waiting"] == 4
    for h in list(holders):
        if h.entered.is_set():
            h.release()
    wait_until(lambda: all(h.entered.is_set() for h in holders))
    for h in holders:
        h.release()
    assert all(h.error is None for h in holders)
    assert admission.status() | {"refused": 0} == admission.status()


def test_one_client_holds_at_most_its_share(holders: list[Holder]) -> None:
    admission = Admission(4, queue_wait_s=30)
    assert admission.per_client == 2
    runaway = [Holder(admission, "10.0.0.66") for _ in range(4)]
    holders += runaway
    wait_until(lambda: sum(h.entered.is_set() for h in runaway) == 2)
    # two of the runaway client's queries wait; another client's go straight in
    others = [Holder(admission, f"10.0.1.{i}") for i in range(2)]
    holders += others
    wait_until(lambda: all(h.entered.is_set() for h in others))
    assert sum(h.entered.is_set() for h in runaway) == 2
    assert admission.status()["waiting"] == 2


def test_a_waiter_that_may_run_overtakes_one_that_may_not(holders: list[Holder]) -> None:
    admission = Admission(2, per_client=1, queue_wait_s=30)
    first = Holder(admission, "a")
    holders.append(first)
    assert first.entered.wait(30)
    second_a = Holder(admission, "a")  # queued: "a" is at its share
    holders.append(second_a)
    wait_until(lambda: admission.status()["waiting"] == 1)
    b = Holder(admission, "b")  # a free slot and room in b's share: runs at once
    holders.append(b)
    assert b.entered.wait(30)
    assert not second_a.entered.is_set()
    first.release()
    assert second_a.entered.wait(30)


def test_a_wait_past_the_bound_is_a_503_with_retry_after(holders: list[Holder]) -> None:
    admission = Admission(1, queue_wait_s=0.05, retry_after_s=7)
    holder = Holder(admission, "a")
    holders.append(holder)
    assert holder.entered.wait(30)
    with pytest.raises(ServiceBusy, match="no query slot") as info:
        admission.enter("b")
    assert info.value.status == 503 and info.value.detail["retry_after"] == 7
    assert admission.status()["refused"] == 1 and admission.status()["waiting"] == 0


def test_a_full_queue_refuses_at_once(holders: list[Holder]) -> None:
    admission = Admission(1, queue_wait_s=30, max_queue=2, retry_after_s=5)
    holders += [Holder(admission, f"c{i}") for i in range(3)]
    wait_until(lambda: admission.status()["waiting"] == 2)
    with pytest.raises(ServiceBusy, match="waiting") as info:
        admission.enter("late")
    assert info.value.detail["retry_after"] == 5
