"""Group commit for `Router.send()` and `Router.receive()` called from many threads at once.

Each caller puts its message on the waiting list. If nobody is writing, it leads: once it holds the
router and has looked at the store (`Router.route_each`), it takes every message waiting (its own
and any that came meanwhile), has each routed as its own call (its own bulk id, in arrival order) and
commits them all in ONE transaction, then answers every caller of the group. Callers that arrive while a leader writes wait; when it is
done, one of those it did not take leads the next group, with everything that queued meanwhile.

Nothing waits on purpose: a caller alone is routed and committed at once, exactly as one message
per call always was (one decision, one transaction). Each call returns only once its own decision is
committed. A failed write raises in every caller of that group.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Job:
    item: object
    done: bool = False
    value: object = None
    error: BaseException | None = None


class GroupCommit:
    """`submit(item)` returns that item's result from `write(take)`, called by one caller at a time
    for every caller waiting: `write` calls `take()` once, as late as it can (once it holds what it
    needs to route), to get the items waiting then, and returns one result per item, in order."""

    def __init__(self, write: Callable[[Callable[[], list]], list]):
        self._write = write
        self._turn = threading.Condition(threading.Lock())
        self._waiting: list[_Job] = []
        self._leading = False
        self.groups = 0  # how many groups were written (one transaction each)
        self.items = 0  # how many items they carried

    def submit(self, item):
        job = _Job(item)
        with self._turn:
            self._waiting.append(job)
            while self._leading and not job.done:
                self._turn.wait()
            lead = not job.done  # nobody took it: this caller leads the next group
            if lead:
                self._leading = True
        if lead:
            self._lead(job)
        if job.error is not None:
            raise job.error
        return job.value

    def _lead(self, own: _Job) -> None:
        taken: list[_Job] = []

        def take() -> list:
            with self._turn:  # whoever queued while the leader got ready goes too
                taken.extend(self._waiting)
                self._waiting = []
            return [j.item for j in taken]

        try:
            results = self._write(take)
            for j, value in zip(taken, results, strict=True):
                j.value = value
            self.groups += 1
            self.items += len(taken)
        except BaseException as exc:  # the write failed: every caller of this group hears it
            for j in taken or [own]:
                j.error = exc
        finally:
            with self._turn:
                if not taken:  # failed before taking anything: only this caller hears it
                    self._waiting.remove(own)
                for j in taken or [own]:
                    j.done = True
                self._leading = False
                self._turn.notify_all()
