"""The queue in front of the zygotes: who gets a worker next, and what a waiting learner sees.

Rules (issue 13):
- a dead worker is always replaced, in the background, so capacity comes back without waiting
  for a new submission;
- waiters are served in order, exercise runs before demos, and at most `demo_slots` demos hold
  workers at once, so long demos cannot starve exercise runs;
- a wait has a bound: after `wait_seconds` the caller gets `Busy` and tells the learner to try
  again, rather than a spinner that never ends.

The pool knows nothing about zygotes beyond `start()` making one, `clone(worker)` making one from
an idle one that `clonable(worker)` allows (much cheaper, where given), `alive()` and `kill()`.
Workers it starts while no one waits for them go through `start_in_background` where given (which
may give way to other work, asking `in_demand()` whether someone now waits).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Generic, Protocol, TypeVar

log = logging.getLogger("gtf.runner")

EXERCISE, DEMO = "exercise", "demo"
_RANK = {EXERCISE: 0, DEMO: 1}


class Worker(Protocol):
    def alive(self) -> bool: ...
    def kill(self) -> None: ...


W = TypeVar("W", bound=Worker)


class Busy(Exception):
    """No worker became free within the wait bound."""


@dataclass(order=True)
class _Ticket:
    rank: int
    seq: int
    kind: str = field(compare=False)


# What a waiting caller is told, about once a second: (1-based place in the queue, seconds).
WaitCallback = Callable[[int, float], None]


class Pool(Generic[W]):
    def __init__(self, size: int, start: Callable[[], W], *, wait_seconds: float,
                 demo_slots: int | None = None, typical_run_seconds: float = 1.0,
                 clone: Callable[[W], W] | None = None,
                 clonable: Callable[[W], bool] = lambda worker: True,
                 start_in_background: Callable[[], W] | None = None):
        self.size = size
        self.wait_seconds = wait_seconds
        self.demo_slots = demo_slots if demo_slots is not None else max(1, size - 1)
        self._start = start
        self._start_in_background = start_in_background or start
        self._clone = clone
        self._clonable = clonable  # which idle workers `clone` may be given
        self._cond = threading.Condition()
        self._idle: list[W] = []
        self._count = 0  # workers alive or starting
        self._busy: dict[int, tuple[str, W]] = {}  # id(worker) -> (what holds it, worker)
        self._waiting: list[_Ticket] = []
        self._starts_waited_for = 0  # `start` calls a caller of acquire is waiting on
        self._seq = itertools.count()
        self._run_seconds = typical_run_seconds  # moving average, for the wait estimate

    # --- taking and giving back --------------------------------------------------------------

    def acquire(self, kind: str = EXERCISE, on_wait: WaitCallback | None = None) -> W:
        """A live worker, for one run. Raises Busy after `wait_seconds`, or what `start` raised."""
        deadline = time.monotonic() + self.wait_seconds
        ticket = _Ticket(_RANK[kind], next(self._seq), kind)
        with self._cond:
            self._waiting.append(ticket)
        try:
            while True:
                worker, spawn, place = self._try_take(ticket)
                if spawn:
                    worker = self._spawn(kind)
                if worker is not None:
                    if worker.alive():
                        return worker
                    log.warning("a runner worker had died while idle; replacing it")
                    self.discard(worker)
                    with self._cond:
                        self._waiting.append(ticket)
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise Busy()
                if on_wait is not None:
                    on_wait(place, self._estimate(place))
                with self._cond:
                    self._cond.wait(min(remaining, 1.0))
        finally:
            with self._cond:
                if ticket in self._waiting:
                    self._waiting.remove(ticket)
                    self._cond.notify_all()  # the next in line may be eligible now

    def _try_take(self, ticket: _Ticket) -> tuple[W | None, bool, int]:
        """(an idle worker, or spawn=True, or neither) for `ticket`, and its place in line."""
        with self._cond:
            demos_running = sum(kind == DEMO for kind, _ in self._busy.values())
            eligible = sorted(t for t in self._waiting
                              if t.kind != DEMO or demos_running < self.demo_slots)
            place = sorted(self._waiting).index(ticket) + 1
            if not eligible or eligible[0] is not ticket:
                return None, False, place
            if self._idle:
                self._waiting.remove(ticket)
                worker = self._idle.pop()
                self._busy[id(worker)] = (ticket.kind, worker)
                return worker, False, 0
            if self._count < self.size:
                self._waiting.remove(ticket)
                self._count += 1
                self._starts_waited_for += 1  # with the ticket's removal: in_demand() stays true
                return None, True, 0
            return None, False, place

    def _spawn(self, kind: str) -> W:
        """Start a worker for the caller of acquire, who waits for it (counted by _try_take)."""
        try:
            worker = self._start()
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify_all()
            raise
        finally:
            with self._cond:
                self._starts_waited_for -= 1
        with self._cond:
            self._busy[id(worker)] = (kind, worker)
        return worker

    def release(self, worker: W, run_seconds: float | None = None) -> None:
        with self._cond:
            self._busy.pop(id(worker), None)
            if run_seconds is not None:
                self._run_seconds = 0.8 * self._run_seconds + 0.2 * run_seconds
            self._idle.append(worker)
            self._cond.notify_all()

    def discard(self, worker: W) -> None:
        """Kill a worker that failed or retired, and start its replacement in the background."""
        self._drop(worker)
        self.fill_in_background()

    def _drop(self, worker: W) -> None:
        worker.kill()
        with self._cond:
            self._busy.pop(id(worker), None)
            if worker in self._idle:
                self._idle.remove(worker)
            self._count -= 1
            self._cond.notify_all()

    # --- keeping capacity up -----------------------------------------------------------------

    def fill_in_background(self) -> None:
        """Start workers until there are `size` of them, without making any caller wait."""
        threading.Thread(target=self._fill, daemon=True, name="gtf-runner-fill").start()

    def _fill(self) -> None:
        while True:
            with self._cond:
                if self._count >= self.size:
                    return
                self._count += 1
                parents = [w for w in self._idle if self._clonable(w)] if self._clone else []
                parent = parents[-1] if parents else None
                if parent is not None:
                    self._idle.remove(parent)
                    self._busy[id(parent)] = ("clone", parent)
            try:
                if parent is None:
                    self.release(self._start_in_background())
                else:
                    self._clone_or_start(parent)
            except Exception as err:  # noqa: BLE001 - logged; the next run retries
                log.warning("could not start a runner worker: %s", err)
                with self._cond:
                    self._count -= 1
                    self._cond.notify_all()
                return

    def _clone_or_start(self, parent: W) -> None:
        """A clone of the idle `parent` into the idle list, then the parent back there (or
        dropped, if it died or retired meanwhile: `_fill`'s loop then fills its place). If
        cloning fails, the slot is given back for the loop to fill again: from another idle
        worker, or by a start. If the parent is still alive, cloning stops for good: a host
        where it fails for a live parent (an old kernel) would fail every time."""
        try:
            worker = self._clone(parent)
        except Exception as err:  # noqa: BLE001 - logged; the loop tries again
            if parent.alive():
                log.warning("could not clone a runner worker (%s); starting workers from now "
                            "on", err)
                self._clone = None
            else:
                log.warning("a runner worker retired or died instead of cloning itself (%s)", err)
            with self._cond:
                self._count -= 1
            self._give_back(parent)
            return
        self.release(worker)
        self._give_back(parent)

    def _give_back(self, parent: W) -> None:
        if parent.alive():
            self.release(parent)
        else:
            self._drop(parent)

    def watch(self, every_seconds: float = 2.0) -> None:
        """Notice idle workers killed from outside, and replace them before anyone waits."""
        def loop() -> None:
            while True:
                time.sleep(every_seconds)
                with self._cond:
                    dead = [w for w in self._idle if not w.alive()]
                for worker in dead:
                    log.warning("an idle runner worker died; replacing it")
                    self.discard(worker)
        threading.Thread(target=loop, daemon=True, name="gtf-runner-watch").start()

    # --- what the page shows -----------------------------------------------------------------

    def _estimate(self, place: int) -> float:
        """Seconds until a worker is likely free for the `place`-th waiter."""
        return self._run_seconds * (place + self.size - 1) / self.size

    def idle(self) -> list[W]:
        with self._cond:
            return list(self._idle)

    def workers(self) -> list[W]:
        """Every worker, idle or busy (not one still starting)."""
        with self._cond:
            return self._idle + [worker for _, worker in self._busy.values()]

    def in_demand(self) -> bool:
        """Whether a caller of `acquire` is waiting for a worker now (in line, or for a start)."""
        with self._cond:
            return bool(self._waiting) or self._starts_waited_for > 0

    def stats(self) -> dict:
        with self._cond:
            return {"size": self.size, "workers": self._count, "idle": len(self._idle),
                    "waiting": len(self._waiting),
                    "running": sum(kind != "clone" for kind, _ in self._busy.values())}


__all__ = ["Pool", "Busy", "EXERCISE", "DEMO", "WaitCallback"]
