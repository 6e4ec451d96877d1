"""A warm process that forks one confined child per run. Started by utils.runner.

    python -I -u utils/runner/zygote.py <repository root>

It imports torch, the solutions and the checks once (about 2 s), then serves requests: one JSON
line on stdin per run, one JSON line on stdout per verdict. A fork of an already-warm process
starts in milliseconds. The zygote never runs learner code itself and stays single-threaded (a
fork must not happen while other threads hold locks; torch is pinned to one thread).

Per run it: makes a scratch directory; forks; the child starts a new session, points its stdout
and stderr at a pipe, confines itself (utils.runner.confine) and runs the code and the checks
(utils.runner.child). The zygote reads the child's output (keeping the first part) and its report,
enforces the wall-clock limit, then kills the child's process group and, as the children's
subreaper, any process that escaped it, reaps them all and removes the scratch directory.
"""

from __future__ import annotations

import fcntl
import importlib
import importlib.util
import json
import os
import select
import signal
import sys
import tempfile
import time
import traceback

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else os.getcwd())

import torch  # noqa: E402 - after the path is set; warm imports are this process's whole job

torch.set_num_threads(1)
torch.zeros(4, 4) @ torch.zeros(4, 4)  # touch the kernels once, with a single thread

from utils import registry  # noqa: E402
from utils.runner import child, confine, own_state  # noqa: E402
from utils.runner import scratch as scratch_dir  # noqa: E402
from utils.runner.messages import (INTERNAL_ERROR_EXIT, INVALID_REPORT_MESSAGE,  # noqa: E402
                                   RUNNER_FAILED_MESSAGE, explain_exit,
                                   over_quota_message, timeout_message)
from utils.runner.report import InvalidReport, parse_report  # noqa: E402  # noqa: E402
from utils.verdict import ERROR, TIMEOUT  # noqa: E402

# Import every chapter's solutions and checks now: a confined child cannot read our source files.
for _chapter in registry.CHAPTERS:
    if _chapter.available:
        importlib.import_module(f"solutions.{_chapter.stem}")
        importlib.import_module(f"utils.checks.{_chapter.stem}")
        if importlib.util.find_spec(f"utils.demos.{_chapter.stem}"):
            importlib.import_module(f"utils.demos.{_chapter.stem}")
importlib.import_module("utils.local")  # what an answers file may import, for demos
importlib.import_module("utils.site_config")
# The offline datasets the training checks use: loaded once here, shared by every forked child.
from utils import data as _data  # noqa: E402

_data.offline_digits()
# One optimizer step, so that torch's lazy imports for training happen here, not in every child.
_w = torch.nn.Parameter(torch.zeros(2))
_opt = torch.optim.Adam([_w])
(_w.sum()).backward()
_opt.step()
del _w, _opt

MAX_REPORT_BYTES = 1 << 20
CHILD_STARTUP_SECONDS = 5.0  # from fork to "ready"; only a starved machine takes this long


def clean_env(scratch: str) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch, "LANG": "C.UTF-8",
            "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1",
            # Checks that would start processes or open sockets use threads instead.
            "GTF_SANDBOXED": "1"}


SETUP_FAILED_EXIT = 71  # the child broke before learner code ran: our problem, logged


def log(message: str) -> None:
    """A line in the server's log (the zygote's stderr is the server's)."""
    sys.stderr.write(f"gtf-runner zygote {os.getpid()}: {message}\n")
    sys.stderr.flush()


def _child_main(request: dict, layers: confine.Layers, scratch: str, out_w: int,
                report_w: int) -> None:
    """Runs in the forked child; never returns into the zygote's loop."""
    log_fd = -1
    try:
        os.setsid()
        # The server's log, for our own tracebacks; above the fds set below; closed before
        # learner code runs.
        log_fd = fcntl.fcntl(2, fcntl.F_DUPFD, 10)
        devnull = os.open("/dev/null", os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out_w, 1)
        os.dup2(out_w, 2)
        os.dup2(report_w, 3)
        os.dup2(log_fd, 4)
        log_fd = 4
        os.closerange(5, 4096)  # the zygote's request/reply pipes are not the learner's business
        os.chdir(scratch)
        os.environ.clear()
        os.environ.update(clean_env(scratch))
        tempfile.tempdir = scratch  # cached in the zygote as /tmp, which the child cannot write
        # torch rebuilds its thread pool lazily after a fork, racily: two threads of a run (the
        # ranks of a distributed check) doing it at once can see no pool ("Invalid thread pool").
        # Rebuild it here, in the one thread there is.
        torch.set_num_threads(1)
        confine.confine_current_process(layers, scratch, request["limits"])
    except BaseException:  # noqa: BLE001 - the learner sees a plain message; we see the trace
        if log_fd >= 0:
            os.write(log_fd, f"run setup failed:\n{traceback.format_exc()}".encode())
        os._exit(SETUP_FAILED_EXIT)
    os.close(log_fd)
    try:
        if "demo" in request:
            child.execute_demo(request["demo"], request["code"], request["args"], report_fd=3)
        else:
            child.execute(request["exercise_id"], request["code"], report_fd=3)
    except BaseException:  # noqa: BLE001 - no trace: it would show the learner our paths
        os._exit(INTERNAL_ERROR_EXIT)
    os._exit(0)


def _descendants_of_me() -> list[int]:
    """Our direct children (orphans of runs re-parent to us because we are a subreaper)."""
    me, found = os.getpid(), []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            if int(fields[1]) == me:
                found.append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _kill_and_reap(pid: int) -> None:
    """Kill the run's process group, then anything else of ours that is still alive, and reap."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for _ in range(20):
        stragglers = _descendants_of_me()
        if not stragglers:
            break
        for straggler in stragglers:
            try:
                os.kill(straggler, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.01)
        _reap()
    _reap()


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


QUOTA_CHECK_SECONDS = 0.1


def supervise(request: dict, layers: confine.Layers, runs_folder: str) -> dict:
    limits = request["limits"]
    scratch = tempfile.mkdtemp(prefix="run-", dir=runs_folder)
    out_r, out_w = os.pipe()
    report_r, report_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(out_r)
        os.close(report_r)
        _child_main(request, layers, scratch, out_w, report_w)
    os.close(out_w)
    os.close(report_w)

    started = time.monotonic()
    ready_at: float | None = None
    stdout, report = bytearray(), bytearray()
    truncated = False
    open_fds = {out_r, report_r}
    exit_status: int | None = None
    exited_at: float | None = None
    timed_out = over_quota = False
    quota_checked = started
    while True:
        now = time.monotonic()
        if now - quota_checked >= QUOTA_CHECK_SECONDS:
            quota_checked = now
            try:
                scratch_dir.check_quota(scratch, limits["scratch_bytes"],
                                        limits["scratch_entries"])
            except scratch_dir.OverQuota:
                over_quota = True
                break
            except OSError:
                pass  # the run is changing its folder as we look: look again next time
        deadline = (ready_at + limits["wall_seconds"]) if ready_at else \
            (started + CHILD_STARTUP_SECONDS)
        if now >= deadline:
            timed_out = True
            break
        if exited_at is not None and (report_r not in open_fds or now - exited_at > 0.2):
            break  # the child is gone and its report is complete
        readable = select.select(list(open_fds), [], [], min(0.05, deadline - now))[0] \
            if open_fds else time.sleep(0.01) or []
        for fd in readable:
            data = os.read(fd, 65536)
            if not data:
                open_fds.discard(fd)
                os.close(fd)
            elif fd == out_r:
                room = limits["stdout_bytes"] - len(stdout)
                truncated |= len(data) > room
                stdout += data[:max(room, 0)]
            elif len(report) < MAX_REPORT_BYTES:  # a real report is a few KB; ignore floods
                report += data[:MAX_REPORT_BYTES - len(report)]
                if ready_at is None and report[:1] == child.READY:
                    ready_at = time.monotonic()
        if exit_status is None:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                exit_status, exited_at = status, time.monotonic()
    elapsed = time.monotonic() - (ready_at or started)
    _kill_and_reap(pid)
    if exit_status is None:
        exit_status = 0
    for fd in open_fds:
        os.close(fd)
    retire = False
    try:
        scratch_dir.remove_tree(scratch)
    except OSError as err:  # a fresh zygote sweeps this folder when it starts
        log(f"could not remove a run's scratch folder ({err}); retiring")
        retire = True

    out_text = stdout.decode(errors="replace")
    if truncated:
        out_text += (f"\n… output cut: only the first {limits['stdout_bytes'] // 1024} KB of what "
                     "your code printed are kept.")
    result = {"stdout": out_text, "stdout_truncated": truncated, "retire": retire}
    if over_quota:
        return {**result, "status": ERROR, "message": over_quota_message(limits),
                "duration_s": elapsed}
    if timed_out and ready_at is not None:
        return {**result, "status": TIMEOUT, "message": timeout_message(limits["wall_seconds"]),
                "duration_s": elapsed}
    if len(report) > 1:
        try:
            return {**result, **parse_report(bytes(report[1:]), limits["wall_seconds"])}
        except InvalidReport:
            return {**result, "status": ERROR, "message": INVALID_REPORT_MESSAGE,
                    "duration_s": elapsed}
    returncode = -os.WTERMSIG(exit_status) if os.WIFSIGNALED(exit_status) else \
        os.WEXITSTATUS(exit_status)
    status, message = explain_exit(returncode, limits)
    if returncode == SETUP_FAILED_EXIT:
        message, result["retire"] = RUNNER_FAILED_MESSAGE, True
    return {**result, "status": status, "message": message, "duration_s": elapsed}


def main() -> None:
    layers = confine.probe()
    layers = confine.Layers(layers.rlimits, layers.landlock_abi, layers.seccomp,
                            confine.become_subreaper())
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    out = sys.stdout
    out.write(json.dumps({"hello": True, "pid": os.getpid(), "layers": layers.describe()}) + "\n")
    out.flush()
    swept = scratch_dir.sweep_stale(log)
    if swept:
        log(f"swept {swept} scratch folder(s) left by zygotes that died")
    runs_folder = scratch_dir.zygote_folder()
    try:
        serve(layers, runs_folder)
    finally:
        try:
            scratch_dir.remove_tree(runs_folder)
        except OSError as err:
            log(f"could not remove {runs_folder} ({err}); the next zygote sweeps it")


def serve(layers: confine.Layers, runs_folder: str) -> None:
    """Answer requests until stdin closes or this zygote retires."""
    out = sys.stdout
    settled = own_state.snapshot()
    for line in sys.stdin:
        changed = own_state.changes(settled)
        if changed:  # changed by another run while we were idle: serve no one in this state
            log(f"settings changed from outside, retiring before the run: {changed}")
            out.write(json.dumps({"retire": True, "retry": True}) + "\n")
            out.flush()
            return
        try:
            reply = supervise(json.loads(line), layers, runs_folder)
        except Exception:  # noqa: BLE001 - plain words for the learner, the trace for the log
            log(f"a run failed inside the runner; this zygote retires:\n{traceback.format_exc()}")
            reply = {"status": ERROR, "message": RUNNER_FAILED_MESSAGE, "stdout": "",
                     "stdout_truncated": False, "duration_s": 0.0, "retire": True}
        changed = own_state.changes(settled)
        if changed:
            log(f"settings changed during a run, retiring: {changed}")
            reply["retire"] = True
        out.write(json.dumps(reply) + "\n")
        out.flush()
        if reply.get("retire"):
            return  # a fresh zygote replaces this one, in a known state


if __name__ == "__main__":
    main()
