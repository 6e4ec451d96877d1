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
