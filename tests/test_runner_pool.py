"""The runner's queue with stand-in workers (no processes): it never strands a waiter, replaces
dead workers, bounds the wait, and serves exercise runs before demos."""

from __future__ import annotations

import threading
import time

import pytest

from utils.runner.pool import DEMO, EXERCISE, Busy, Pool


class FakeWorker:
    started = 0

    def __init__(self):
        FakeWorker.started += 1
        self.dead = False

    def alive(self) -> bool:
        return not self.dead

    def kill(self) -> None:
        self.dead = True


def make_pool(size=2, wait=5.0, **kw) -> Pool:
    return Pool(size, FakeWorker, wait_seconds=wait, **kw)


def in_thread(fn):
    box = {}

    def target():
        try:
            box["value"] = fn()
        except Busy:
            box["busy"] = True

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, box


def test_waiters_progress_when_busy_workers_die():
    pool = make_pool(size=2)
    held = [pool.acquire(), pool.acquire()]
    waiters = [in_thread(pool.acquire) for _ in range(5)]
    time.sleep(0.2)
    for worker in held:  # both die mid-run: nobody releases them
        pool.discard(worker)
    served = 0
    for thread, box in waiters:
        thread.join(3)
        assert "value" in box, "a waiter was stranded after its workers died"
        pool.release(box["value"])
        served += 1
    assert served == 5 and pool.stats()["workers"] == 2


def test_a_discarded_worker_is_replaced_without_a_new_submission():
    pool = make_pool(size=2)
    worker = pool.acquire()
    pool.discard(worker)
    deadline = time.monotonic() + 3
    while pool.stats()["idle"] < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pool.stats() == {"size": 2, "workers": 2, "idle": 2, "waiting": 0, "running": 0}


def test_an_idle_worker_killed_from_outside_is_skipped_and_replaced():
    pool = make_pool(size=1)
    worker = pool.acquire()
    pool.release(worker)
    worker.dead = True
    fresh = pool.acquire()
    assert fresh is not worker and fresh.alive()


def test_the_wait_is_bounded():
    pool = make_pool(size=1, wait=0.3)
    pool.acquire()
    started = time.monotonic()
    with pytest.raises(Busy):
        pool.acquire()
    assert time.monotonic() - started < 2
    assert pool.stats()["waiting"] == 0


def test_a_waiter_is_told_its_place_and_an_estimate():
    pool = make_pool(size=1, wait=1.5)
    pool.acquire()
    first, _ = in_thread(pool.acquire)
    time.sleep(0.1)
    seen = []
    with pytest.raises(Busy):
        pool.acquire(on_wait=lambda place, eta: seen.append((place, eta)))
    assert seen and seen[0][0] == 2 and seen[0][1] > 0


def test_exercise_runs_go_before_demos_and_demos_leave_a_worker_free():
    pool = make_pool(size=2)
    demo = pool.acquire(DEMO)
    exercise = pool.acquire(EXERCISE)
    order = []
    threads = [threading.Thread(target=lambda k=k: order.append((k, pool.acquire(k))))
               for k in (DEMO, EXERCISE)]
    threads[0].start()
    time.sleep(0.1)
    threads[1].start()  # arrives later, served first
    time.sleep(0.1)
    pool.release(exercise)
    time.sleep(0.2)
    assert [k for k, _ in order] == [EXERCISE], "a demo went before an exercise run"
    pool.release(order[0][1])
    time.sleep(0.2)
    # one demo already runs and demo_slots is 1 of 2 workers: the second demo still waits
    assert len(order) == 1
    pool.release(demo)
    threads[0].join(2)
    assert [k for k, _ in order] == [EXERCISE, DEMO]


def test_a_failing_start_does_not_leak_capacity():
    attempts = []

    def broken():
        attempts.append(1)
        raise RuntimeError("no torch today")

    pool = Pool(1, broken, wait_seconds=1)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            pool.acquire()
    assert len(attempts) == 3 and pool.stats()["workers"] == 0


class Cloner:
    """A pool's `start` and `clone`, counting each, and a clone that fails when told to."""

    def __init__(self, clone_fails: bool = False):
        self.started, self.cloned, self.clone_fails = [], [], clone_fails

    def start(self) -> FakeWorker:
        self.started.append(FakeWorker())
        return self.started[-1]

    def clone(self, parent: FakeWorker) -> FakeWorker:
        if self.clone_fails:
            raise RuntimeError("this host cannot")
        self.cloned.append((parent, FakeWorker()))
        return self.cloned[-1][1]


def _filled(pool: Pool, size: int) -> None:
    deadline = time.monotonic() + 3
    while pool.stats()["idle"] < size and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pool.stats()["idle"] == size


def _replaced(pool: Pool, size: int, gone: FakeWorker) -> None:
    """Wait until `size` workers are idle, `gone` not among them, and none dead."""
    deadline = time.monotonic() + 3
    while (pool.stats()["idle"] < size or gone in pool.workers()) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert gone not in pool.workers() and not any(w.dead for w in pool.workers())


def test_workers_after_the_first_are_clones_of_an_idle_one():
    cloner = Cloner()
    pool = Pool(3, cloner.start, wait_seconds=5, clone=cloner.clone)
    pool.fill_in_background()
    _filled(pool, 3)
    first = cloner.started[0]
    assert len(cloner.started) == 1 and len(cloner.cloned) == 2
    assert all(parent in (first, *[c for _, c in cloner.cloned]) for parent, _ in cloner.cloned)
    assert sorted(map(id, pool.workers())) == sorted(map(id, [first] + [c for _, c in
                                                                         cloner.cloned]))
    # A replacement is a clone too, while a worker is idle; a learner who finds none idle and
    # room in the pool starts one (there is no idle worker to clone).
    pool.discard(pool.acquire())
    _filled(pool, 3)
    assert len(cloner.started) == 1 and len(cloner.cloned) == 3
    held = [pool.acquire() for _ in range(3)]
    pool.discard(held.pop())
    _filled(pool, 1)
    assert len(cloner.started) == 2
    assert pool.stats() == {"size": 3, "workers": 3, "idle": 1, "waiting": 0, "running": 2}


def test_after_a_failed_clone_workers_are_started():
    cloner = Cloner(clone_fails=True)
    pool = Pool(3, cloner.start, wait_seconds=5, clone=cloner.clone)
    pool.fill_in_background()
    _filled(pool, 3)
    # The first clone failed: its parent, alive, went back to work; no more clones were tried.
    assert len(cloner.started) == 3 and not any(w.dead for w in cloner.started)
    pool.discard(pool.acquire())
    _filled(pool, 3)
    assert len(cloner.started) == 4


def test_a_parent_that_died_while_cloning_is_replaced():
    cloner = Cloner()

    def clone_and_die(parent: FakeWorker) -> FakeWorker:
        parent.dead = parent is cloner.started[0]  # say, its settings had changed: it retires
        return cloner.clone(parent)

    pool = Pool(2, cloner.start, wait_seconds=5, clone=clone_and_die)
    pool.fill_in_background()
    _replaced(pool, 2, cloner.started[0])
    assert pool.stats() == {"size": 2, "workers": 2, "idle": 2, "waiting": 0, "running": 0}
    assert len(cloner.started) == 1 and len(cloner.cloned) == 2  # the replacement: a clone


def test_a_parent_that_retires_instead_of_cloning_is_replaced_and_cloning_goes_on():
    cloner = Cloner()

    def refuse_once(parent: FakeWorker) -> FakeWorker:
        if parent is cloner.started[0]:  # say, its settings had changed: it retires
            parent.dead = True
            raise RuntimeError("it refused to clone itself, and retires")
        return cloner.clone(parent)

    pool = Pool(3, cloner.start, wait_seconds=5, clone=refuse_once)
    pool.fill_in_background()
    _replaced(pool, 3, cloner.started[0])
    assert pool.stats()["idle"] == 3
    assert len(cloner.started) == 2 and len(cloner.cloned) == 2


def test_only_workers_it_may_clone_are_cloned():
    # The runner clones only zygotes it started (a clone's clone could outlive its parent as the
    # first zygote's child, and be killed by it as a run's straggler).
    cloner = Cloner()
    pool = Pool(3, cloner.start, wait_seconds=5, clone=cloner.clone,
                clonable=lambda worker: worker in cloner.started)
    pool.fill_in_background()
    _filled(pool, 3)
    assert len(cloner.started) == 1 and all(p is cloner.started[0] for p, _ in cloner.cloned)
    pool.discard(cloner.started[0])  # only clones are left idle: the replacement is started
    _filled(pool, 3)
    assert len(cloner.started) == 2 and len(cloner.cloned) == 2
    pool.discard(cloner.cloned[0][1])  # a started one is idle again: cloned
    _filled(pool, 3)
    assert len(cloner.started) == 2 and cloner.cloned[-1][0] is cloner.started[1]


def test_background_starts_go_through_start_in_background_and_see_who_waits():
    """A worker the pool starts for no one (filling up) is made by `start_in_background`, which
    may give way to other work (utils/runner holds a zygote that is still importing while a
    page runs) as long as `in_demand()` says no learner waits; a learner's own start is not."""
    release = threading.Event()
    seen_demand: list[bool] = []
    made_in = []

    def start_in_background():
        made_in.append("background")
        seen_demand.append(pool.in_demand())
        release.wait(5)
        seen_demand.append(pool.in_demand())
        return FakeWorker()

    def start():
        made_in.append("for a learner")
        seen_demand.append(pool.in_demand())
        return FakeWorker()

    pool = Pool(1, start, wait_seconds=5, start_in_background=start_in_background)
    assert not pool.in_demand()
    pool.fill_in_background()
    deadline = time.monotonic() + 3
    while not seen_demand and time.monotonic() < deadline:
        time.sleep(0.01)
    thread, box = in_thread(pool.acquire)  # the pool is full (its one worker is starting)
    deadline = time.monotonic() + 3
    while not pool.in_demand() and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    thread.join(3)
    assert "value" in box and made_in == ["background"]
    assert seen_demand == [False, True]  # no one waited at first; then a learner did
    assert not pool.in_demand()


def test_a_start_a_learner_waits_for_is_in_demand():
    """With no idle worker and room in the pool, a learner's acquire starts one itself, with
    `start`, and the pool knows someone waits for it meanwhile."""
    seen_demand: list[bool] = []

    def start():
        seen_demand.append(pool.in_demand())
        return FakeWorker()

    pool = Pool(1, start, wait_seconds=5, start_in_background=lambda: pytest.fail("not this"))
    pool.release(pool.acquire())
    assert seen_demand == [True] and not pool.in_demand()
