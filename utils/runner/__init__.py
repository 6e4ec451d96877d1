"""The only way page code executes learner code.

    from utils.runner import run
    result = run("part1_ray_tracing.intersect_ray_1d", code)
    result.status      # a utils.status.Status: PASSED, FAILED, ERROR, TIMEOUT, NOT_IMPLEMENTED
    result.message     # what to tell the learner
    result.stdout      # what their code printed (cut to the first `stdout_bytes`)
    result.duration_s  # how long their code and the checks ran

A small pool of warm zygote processes (utils/runner/zygote.py; torch, solutions and checks already
imported) forks one confined child per run (utils/runner/confine.py: rlimits, Landlock, seccomp,
no capabilities), so a verdict takes tens of milliseconds instead of the second it takes to import
torch. The code reaches the child, and its output and report reach the server, through pipes the
zygote only hands over (utils/runner/worker.py): the zygote never holds them. The pool
(utils/runner/pool.py) has `MAX_CONCURRENT_RUNS` zygotes; more submissions queue, in order, for
at most `QUEUE_WAIT_SECONDS`; a zygote that dies, stops answering or retires is replaced in the
background. Only a started zygote imports everything: the others are its clones, forked by it
while it is idle (a clone shares its memory's pages and costs no imports); with no started one
idle, a zygote is started. These and every limit of a run are defined in utils/runner/limits.py.
The verdict is composed in the server (utils/runner/outcome.py) from the checks' validated JSON
report, never from the exit code or printed text. What the server, the zygote and the child send each other is
defined in utils/runner/protocol.py; an exercise run and a demo take the same path in the child
(utils/runner/child.py).

Settings (environment variables of the server):
- GTF_SANDBOX_STRICT=1: refuse to run code when Landlock or seccomp is missing on this host
  (use it for a public deployment); otherwise a missing layer is logged as a warning.
- GTF_RUNNER_WORKERS: the number of zygotes (default: by cores and memory, see limits.pool_size).
- GTF_RUNNER_QUEUE_SECONDS: how long a submission may wait for a worker (default: see
  limits.DEFAULT_QUEUE_WAIT_SECONDS).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Callable

from utils import registry
from utils.runner import confine, presence, wall_limits
from utils.runner.limits import (DEFAULT_LIMITS, DEMO_LIMITS, MAX_CONCURRENT_RUNS,
                                 QUEUE_WAIT_SECONDS, Limits)
from utils.runner.messages import RUNNER_FAILED_MESSAGE, queue_message
from utils.runner.outcome import compose
from utils.runner.protocol import RunRequest, RunResult
from utils.runner.pool import DEMO, EXERCISE, Busy, Pool, WaitCallback
from utils.runner.worker import Zygote, ZygoteFailure
from utils.status import Status

log = logging.getLogger("gtf.runner")


def _start_zygote(hold: Callable[[], bool] | None = None) -> Zygote:
    global _layers
    zygote = Zygote.start(hold)
    if _layers is None:
        _layers = zygote.layers
        missing = [k for k in ("landlock_abi", "seccomp", "subreaper") if not zygote.layers[k]]
        log.info("runner sandbox layers: %s", zygote.layers)
        if missing:
            log.warning("runner sandbox layers missing on this host: %s", missing)
        if not zygote.layers["seccomp"]:
            log.warning("without seccomp a run can also start processes, open sockets, change "
                        "other processes' limits and priorities, leave SysV IPC objects, send "
                        "signals via fcntl and change file metadata by path; zygotes retire when "
                        "their own settings change (set GTF_SANDBOX_STRICT=1 to refuse runs)")
        if os.geteuid() == 0:
            log.warning("!!! THE SERVER RUNS AS ROOT. Each run drops every capability and is "
                        "confined, but run the site as a normal user: one kernel bug away from "
                        "root is worse than one away from an unprivileged account. !!!")
    return zygote


def _start_zygote_giving_way() -> Zygote:
    """A zygote started while no learner waits for it (at warm-up, or replacing one that died):
    held while the server's pages are being run (`warm_up`'s `give_way_while`) and no one is
    waiting for a runner, so that its seconds of imports do not slow the pages."""
    return _start_zygote(hold=lambda: _give_way_while() and not _pool.in_demand())


def _clone_zygote(parent: Zygote) -> Zygote:
    """A zygote forked by an idle started one: the second zygote at warm-up, and a replacement
    while a started one is idle, cost milliseconds, not a fresh interpreter's seconds of imports
    on the learners' CPU."""
    return parent.clone()


_pool: Pool[Zygote] = Pool(MAX_CONCURRENT_RUNS, _start_zygote, wait_seconds=QUEUE_WAIT_SECONDS,
                            typical_run_seconds=1.0, clone=_clone_zygote,
                            # Only zygotes we started: when a clone's parent dies, its own
                            # clones would become children of the zygote above it, which would
                            # kill them as a run's stragglers.
                            clonable=lambda zygote: zygote.proc is not None,
                            start_in_background=_start_zygote_giving_way)
_layers: dict | None = None
_give_way_while: Callable[[], bool] = lambda: False
# Other processes of this user (learner code included) cannot read the server's memory or
# /proc/<pid>/environ from now on.
SERVER_NOT_DUMPABLE = confine.forbid_memory_reads_of_this_process()


def warm_up(give_way_while: Callable[[], bool] | None = None) -> None:
    """Start the zygotes now, in the background, so the first run does not wait; and keep
    replacing any that die. While `give_way_while()` is true (the server: a page is being run)
    and no learner waits for a runner, a zygote that is still importing is held."""
    global _give_way_while
    if give_way_while is not None:
        _give_way_while = give_way_while
    _pool.fill_in_background()
    _pool.watch()


def worker_pids() -> list[int]:
    """Process ids of the idle zygotes (for tests and diagnostics)."""
    return [z.pid for z in _pool.idle()]


def zygote_pids() -> list[int]:
    """Process ids of every zygote, idle or running a run (for tests and diagnostics)."""
    return [z.pid for z in _pool.workers()]


def sandbox_layers() -> dict:
    """What confines learner code on this host (from a running zygote, or probed here)."""
    layers = _layers if _layers is not None else confine.probe().describe()
    return {**layers, "server_not_dumpable": SERVER_NOT_DUMPABLE,
            "server_is_root": os.geteuid() == 0}


def strict_mode() -> bool:
    return os.environ.get("GTF_SANDBOX_STRICT", "") not in ("", "0", "false")


def run(exercise_id: str, code: str, limits: Limits | None = None, *,
        on_wait: WaitCallback | None = None, session: str | None = None,
        variant: str | None = None) -> RunResult:
    """Run `code` against the checks of `exercise_id` in a confined child of a warm zygote (on
    the data of its new specification `variant`, if given).

    `limits` defaults to DEFAULT_LIMITS with the exercise's own wall limit (wall_limits.py).
    `on_wait(place, seconds)` is called about once a second while the run waits for a worker.
    `session` (default: the Streamlit session calling) may have one run in flight at a time."""
    # Unknown ids and variants are a programming error: raise KeyError / ValueError here.
    registry.check_variant(registry.get(exercise_id), variant)
    if limits is None:
        limits = replace(DEFAULT_LIMITS, wall_seconds=wall_limits.wall_seconds(exercise_id))
    session = session or _streamlit_session()
    with _one_run_per_session(session) as refused:
        if refused:
            return refused
        return _run_request(RunRequest(code, exercise_id=exercise_id, variant=variant), limits,
                            on_wait, presence.watch(session))


def run_demo(demo_id: str, code: str, args: dict[str, Any],
             limits: Limits = DEMO_LIMITS, *, on_wait: WaitCallback | None = None,
             session: str | None = None) -> RunResult:
    """Run a whole answers file (`utils.answers.answers_file`) in the sandbox, then the demo
    `utils.demos.<stem>.<name>(namespace, **args)` on it; `RunResult.data` holds what the demo
    returned (JSON: numbers, strings, lists, dicts — validate before drawing it)."""
    session = session or _streamlit_session()
    with _one_run_per_session(session) as refused:
        if refused:
            return refused
        return _run_request(RunRequest(code, demo_id=demo_id, args=args), limits, on_wait,
                            presence.watch(session))


_in_flight: set[str] = set()
_in_flight_lock = threading.Lock()
_in_flight_ended = threading.Condition(_in_flight_lock)  # notified when a session's run ends
ALREADY_RUNNING_MESSAGE = ("Your previous run has not finished yet: wait for its result, then run "
                           "again. (One run at a time per learner keeps the queue fair.)")


def _streamlit_session() -> str | None:
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
        ctx = get_script_run_ctx(suppress_warning=True)
    except Exception:  # noqa: BLE001 - not under Streamlit (tests, benchmarks, scripts)
        return None
    return ctx.session_id if ctx is not None else None


@contextmanager
def _one_run_per_session(key: str | None):
    """Yields None when the session `key` may run now, or the RunResult that refuses it."""
    if key is None:
        yield None
        return
    with _in_flight_lock:
        busy = key in _in_flight
        _in_flight.add(key)
    if busy:
        yield _refusal(ALREADY_RUNNING_MESSAGE)
        return
    try:
        yield None
    finally:
        with _in_flight_ended:
            _in_flight.discard(key)
            _in_flight_ended.notify_all()


def _wait_for_session_run(session: str | None, timeout: float) -> None:
    """Until `session` has no run in flight, at most `timeout` (outside Streamlit with no
    session given: just `timeout`)."""
    if session is None:
        time.sleep(timeout)
        return
    with _in_flight_ended:
        _in_flight_ended.wait_for(lambda: session not in _in_flight, timeout)


PREVIOUS_RUN_CAPTION = "Your previous run is still going: this one starts as soon as it ends."
# How often a run refused for a still-running previous one is tried again (after_previous_run),
# at the latest: the previous run's end wakes it at once. (The tries also give `while_waiting` its
# calls, where Streamlit stops a replaced script thread.)
_RETRY_PREVIOUS_S = 0.5


SUPERSEDED_MESSAGE = "A newer run of this exercise took this one's place."


def after_previous_run(call: Callable[[], RunResult], *, patience_s: float,
                       while_waiting: Callable[[], None] | None = None,
                       wanted: Callable[[], bool] | None = None,
                       session: str | None = None) -> RunResult:
    """`call()` (a `run` or `run_demo` of this session), waiting for this session's previous run
    to end first when it has not, up to `patience_s`.

    Streamlit's fast reruns start a rerun at once, while the run it interrupted is still going
    in the old script thread: a second click on Run, or a rerun the browser store causes, lands
    here before the first run has ended. Refusing it would show "your previous run has not
    finished" as the exercise's verdict; this waits, so the last click's code is what is checked.
    `while_waiting()` is called before and after each wait. A Streamlit call there (say, a
    caption) is where Streamlit stops a script thread that a newer rerun has replaced: a demo
    lets it stop there (its widget asks again), the exercise editor does not (the learner asked
    for that run: utils/widgets.py). `wanted()`, checked before each try, ends the wait with a
    refusal once a newer run made this one pointless. The previous run's end wakes the wait
    (`session`: the one `call` runs in, by default the Streamlit session calling)."""
    session = session or _streamlit_session()  # (the session `call` runs in)
    deadline = time.monotonic() + patience_s
    while True:
        if wanted is not None and not wanted():  # a newer Run (or a reset) made it pointless
            return _refusal(SUPERSEDED_MESSAGE)
        result = call()
        if result.message != ALREADY_RUNNING_MESSAGE or time.monotonic() > deadline:
            return result
        if while_waiting is not None:
            while_waiting()
        _wait_for_session_run(session, _RETRY_PREVIOUS_S)
        if while_waiting is not None:  # again: a rerun may have replaced this one meanwhile
            while_waiting()


# What a run waits for a previous one of the same learner, at most: its queue wait, its run and
# the child's setup.
PREVIOUS_RUN_PATIENCE_S = QUEUE_WAIT_SECONDS + DEFAULT_LIMITS.wall_seconds + 10.0
PREVIOUS_DEMO_PATIENCE_S = QUEUE_WAIT_SECONDS + DEMO_LIMITS.wall_seconds + 10.0


BUSY_MESSAGE = ("The server is busy running other learners' code and no worker came free in "
                f"{QUEUE_WAIT_SECONDS:g} s. Your code is kept: try again in a minute.")


RUNNER_UNAVAILABLE_MESSAGE = "The code runner could not start. Please try again in a moment."
LEFT_MESSAGE = ("This run left the queue without running: its page was closed while it waited "
                "for a worker. Your code is kept: run it again.")
SANDBOX_MISSING_MESSAGE = "Running code is disabled on this server: its sandbox lacks"


def never_started(result: RunResult) -> bool:
    """Whether the run was refused before the learner's code started, for a reason of the
    server's (their previous run, a busy or broken runner): that says nothing of their code, so
    it is shown, not kept as the exercise's verdict."""
    return result.status == Status.ERROR and (
        result.message in (ALREADY_RUNNING_MESSAGE, BUSY_MESSAGE, RUNNER_UNAVAILABLE_MESSAGE,
                           SUPERSEDED_MESSAGE, LEFT_MESSAGE)
        or result.message.startswith(SANDBOX_MISSING_MESSAGE))


def _refusal(message: str) -> RunResult:
    """The result of a run that never started (or never finished) for a reason of the server's."""
    return RunResult(Status.ERROR, message, "", 0.0)


def _run_request(request: RunRequest, limits: Limits, on_wait: WaitCallback | None,
                 still_there: Callable[[], None], retried: bool = False) -> RunResult:
    """One run on one worker. A worker that dies before the run printed or reported anything
    (killed while idle, or by another run) costs the learner nothing: the run is tried once more
    on another worker. While it waits for a worker, `still_there()` (presence.watch) is asked
    each time the queue moves: a run whose page has been closed for its grace period leaves the
    queue without running."""
    code = request.code
    if len(code) > limits.max_code_chars:
        return _refusal(f"Your code is {len(code):,} characters long; the limit is "
                        f"{limits.max_code_chars:,}.")

    def waiting(place: int, seconds: float) -> None:
        still_there()
        if on_wait is not None:
            on_wait(place, seconds)

    try:
        zygote = _pool.acquire(DEMO if request.is_demo else EXERCISE, waiting)
    except Busy:
        return _refusal(BUSY_MESSAGE)
    except presence.LearnerLeft:
        log.info("a queued run left the queue: its page was closed")
        return _refusal(LEFT_MESSAGE)
    except Exception as err:  # noqa: BLE001 - tell the learner, keep their code
        log.error("runner unavailable: %s", err)
        return _refusal(RUNNER_UNAVAILABLE_MESSAGE)
    if strict_mode():
        missing = [k for k in ("landlock_abi", "seccomp") if not zygote.layers.get(k)]
        if missing:
            _pool.release(zygote)
            return _refusal(f"{SANDBOX_MISSING_MESSAGE} {', '.join(missing)} "
                            "(GTF_SANDBOX_STRICT is set).")
    started = time.monotonic()
    try:
        # The request goes to the child through a pipe of its own, never through the zygote.
        reply, streams = zygote.run(limits, request.to_json(), timeout=limits.wall_seconds + 30)
        if reply.retry:  # it found itself tampered with before running anything
            log.warning("runner zygote %s retired before a run; trying another", zygote.pid)
            _pool.discard(zygote)
            return _run_request(request, limits, on_wait, still_there)
        result = compose(reply, streams, limits)
    except ZygoteFailure as err:
        # Not the learner's fault as far as we know: another run may have killed the worker.
        log.warning("runner zygote %s failed (%s); replacing it", zygote.pid, err)
        _pool.discard(zygote)
        if not retried and not err.produced_output:
            return _run_request(request, limits, on_wait, still_there, retried=True)
        return _refusal("The code runner stopped while running your code and has been "
                        "restarted. Please run again.")
    except Exception:  # noqa: BLE001 - a bug of ours: the trace to the log, plain words out
        log.exception("runner zygote %s: the run failed in the server", zygote.pid)
        _pool.discard(zygote)
        return _refusal(RUNNER_FAILED_MESSAGE)
    if reply.retire:
        log.warning("runner zygote %s retired; replacing it", zygote.pid)
        _pool.discard(zygote)
    else:
        _pool.release(zygote, time.monotonic() - started)
    return result


__all__ = ["run", "run_demo", "DEMO_LIMITS", "RunResult", "Limits", "DEFAULT_LIMITS",
           "MAX_CONCURRENT_RUNS", "QUEUE_WAIT_SECONDS", "BUSY_MESSAGE", "LEFT_MESSAGE",
           "warm_up", "worker_pids",
           "zygote_pids",
           "queue_message", "ALREADY_RUNNING_MESSAGE", "after_previous_run",
           "PREVIOUS_RUN_PATIENCE_S", "PREVIOUS_DEMO_PATIENCE_S", "PREVIOUS_RUN_CAPTION",
           "never_started",
           "sandbox_layers"]
