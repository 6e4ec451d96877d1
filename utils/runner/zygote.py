"""A warm process that forks one confined child per run. Started by utils.runner.

    python -I -u utils/runner/zygote.py <repository root>     (stdin: a unix SEQPACKET socket)

It imports torch, the solutions and the checks once (about 2 s), then serves requests. A fork of an
already-warm process starts in milliseconds. The zygote never runs learner code itself and stays
single-threaded (a fork must not happen while other threads hold locks; torch is pinned to one
thread).

It never holds a learner's code or output either: every child is a copy of the zygote's memory,
so what the zygote once read, a later run could find there. The server sends each request as a
message carrying three pipe ends (socket SCM_RIGHTS): the code pipe's read end (the server writes
the code into it), and the write ends of the output and report pipes (the server reads them).
The zygote only forks, hands the ends to the child, and closes its copies; the child reads the
code after the fork. What the zygote sees is the limits, one "ready" byte, and the exit status.

Per run it: makes a scratch directory; forks; the child starts a new session, reads its request,
points stdout and stderr at the output pipe, confines itself (utils.runner.confine) and runs the
code and the checks (utils.runner.child). The zygote enforces the wall-clock limit and the scratch
quota, kills the child's process group and, as the children's subreaper, any process that escaped
it, reaps them all, removes the scratch directory, and replies with how the child ended.

Told to clone itself (a CloneOrder, carrying one end of a new socket pair), it forks another
zygote that serves the server on that socket: warm at once, where a started one spends seconds of
CPU importing, and sharing this one's memory pages until either writes to them. The clone is
our child but never one of a run's stragglers (`_clones`).
"""

from __future__ import annotations

import fcntl
import importlib
import importlib.util
import json
import os
import select
import signal
import socket
import sys
import tempfile
import time
import traceback
from dataclasses import replace

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else os.getcwd())

import torch  # noqa: E402 - after the path is set; warm imports are this process's whole job

torch.set_num_threads(1)
torch.zeros(4, 4) @ torch.zeros(4, 4)  # touch the kernels once, with a single thread

from utils import registry  # noqa: E402
from utils.runner import child, confine, descriptors, own_state  # noqa: E402
from utils.runner import scratch as scratch_dir  # noqa: E402
from utils.runner.limits import Limits  # noqa: E402
from utils.runner.messages import INTERNAL_ERROR_EXIT, SETUP_FAILED_EXIT  # noqa: E402
from utils.runner.protocol import CloneOrder, RunOrder, RunRequest, ZygoteReply  # noqa: E402

# Import every chapter's solutions and checks now: a confined child cannot read our source files.
# Then what each chapter declares in its chapter.toml (say, a dataset its checks train on): done
# once here, shared by every forked child.
for _chapter in registry.CHAPTERS:
    if _chapter.available:
        importlib.import_module(f"solutions.{_chapter.stem}")
        importlib.import_module(f"utils.checks.{_chapter.stem}")
        if importlib.util.find_spec(f"utils.demos.{_chapter.stem}"):
            importlib.import_module(f"utils.demos.{_chapter.stem}")
        for _entry in _chapter.runner_preload:
            _module, _, _function = _entry.partition(":")
            _loaded = importlib.import_module(_module)
            if _function:
                getattr(_loaded, _function)()
importlib.import_module("utils.local")  # what an answers file may import, for demos
importlib.import_module("utils.site_config")
# One optimizer step, so that torch's lazy imports for training happen here, not in every child.
_w = torch.nn.Parameter(torch.zeros(2))
_opt = torch.optim.Adam([_w])
(_w.sum()).backward()
_opt.step()
del _w, _opt

CHILD_STARTUP_SECONDS = 5.0  # from fork to "ready"; only a starved machine takes this long
QUOTA_CHECK_SECONDS = 0.1
MAX_REQUEST_BYTES = 1 << 16


def clean_env(scratch: str) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch, "LANG": "C.UTF-8",
            "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1",
            # Checks that would start processes or open sockets use threads instead.
            "GTF_SANDBOXED": "1"}


def log(message: str) -> None:
    """A line in the server's log (the zygote's stderr is the server's)."""
    sys.stderr.write(f"gtf-runner zygote {os.getpid()}: {message}\n")
    sys.stderr.flush()


def _read_request(fd: int) -> RunRequest:
    """The learner's request (code, exercise or demo), which only the child ever reads."""
    chunks = []
    while True:
        data = os.read(fd, 1 << 16)
        if not data:
            break
        chunks.append(data)
    os.close(fd)
    return RunRequest.from_json(b"".join(chunks))


def _child_main(limits: Limits, layers: confine.Layers, scratch: str, code_r: int, out_w: int,
                report_w: int, ready_w: int) -> None:
    """Runs in the forked child; never returns into the zygote's loop."""
    log_fd = -1
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the zygote's reaping of its clones
        # The server's log, for our own tracebacks; closed before learner code runs.
        log_fd = fcntl.fcntl(2, fcntl.F_DUPFD, 10)
        request = _read_request(code_r)
        devnull = os.open("/dev/null", os.O_RDONLY)
        descriptors.arrange({0: devnull, 1: out_w, 2: out_w, 3: report_w, 4: ready_w, 5: log_fd})
        log_fd = 5
        os.chdir(scratch)
        os.environ.clear()
        os.environ.update(clean_env(scratch))
        tempfile.tempdir = scratch  # cached in the zygote as /tmp, which the child cannot write
        # torch rebuilds its thread pool lazily after a fork, racily: two threads of a run (the
        # ranks of a distributed check) doing it at once can see no pool ("Invalid thread pool").
        # Rebuild it here, in the one thread there is.
        torch.set_num_threads(1)
        confine.confine_current_process(layers, scratch, limits)
    except BaseException:  # noqa: BLE001 - the learner sees a plain message; we see the trace
        if log_fd >= 0:
            os.write(log_fd, f"run setup failed:\n{traceback.format_exc()}".encode())
        os._exit(SETUP_FAILED_EXIT)
    os.close(log_fd)
    try:
        child.execute(request, limits, report_fd=3, ready_fd=4)
    except BaseException:  # noqa: BLE001 - no trace: it would show the learner our paths
        os._exit(INTERNAL_ERROR_EXIT)
    os._exit(0)


# The zygotes this one forked for the server (`_clone`): children of ours that are not a run's,
# so never killed as a run's stragglers. A pid leaves the set when we reap it: after that the
# kernel may give it to a run's process, which must not be spared.
_clones: set[int] = set()


def _descendants_of_me() -> list[int]:
    """Our direct children (orphans of runs re-parent to us because we are a subreaper), but
    not our clones."""
    me, found = os.getpid(), []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in _clones:
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
        _clones.discard(pid)


def _reap_clones(signum: int, frame: object) -> None:
    """SIGCHLD: reap our clones that exited (only them: a run's child is the supervisor's to
    wait for), so that none stays a zombie while we wait idle for the server."""
    for pid in list(_clones):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid  # reaped already, by _reap
        if done:
            _clones.discard(pid)


def supervise(limits: Limits, fds: list[int], layers: confine.Layers,
              runs_folder: str) -> ZygoteReply:
    """Run one child with the pipe ends `fds` (code read end, output and report write ends) and
    say how it ended."""
    code_r, out_w, report_w = fds
    scratch = tempfile.mkdtemp(prefix="run-", dir=runs_folder)
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(ready_r)
        _child_main(limits, layers, scratch, code_r, out_w, report_w, ready_w)
    for fd in (code_r, out_w, report_w, ready_w):
        os.close(fd)

    try:
        exited = os.pidfd_open(pid)  # readable once the child has exited
    except (AttributeError, OSError):
        exited = -1  # an older kernel: poll instead
    started = time.monotonic()
    ready_at: float | None = None
    exit_status: int | None = None
    cpu_s: float | None = None  # the child's CPU time (all threads), when it exited by itself
    timed_out = over_quota = False
    quota_checked = started
    waiting_for_ready = True
    while True:
        now = time.monotonic()
        deadline = (ready_at + limits.wall_seconds) if ready_at else \
            (started + CHILD_STARTUP_SECONDS)
        if now >= deadline:
            timed_out = True
            break
        if now - quota_checked >= QUOTA_CHECK_SECONDS:
            quota_checked = now
            try:
                scratch_dir.check_quota(scratch, limits.scratch_bytes, limits.scratch_entries)
            except scratch_dir.OverQuota:
                over_quota = True
                break
            except OSError:
                pass  # the run is changing its folder as we look: look again next time
        watched = ([ready_r] if waiting_for_ready else []) + ([exited] if exited >= 0 else [])
        readable = select.select(watched, [], [], min(QUOTA_CHECK_SECONDS, deadline - now))[0] \
            if watched else time.sleep(0.01) or []
        if ready_r in readable:
            if os.read(ready_r, 1) == child.READY and ready_at is None:
                ready_at = time.monotonic()
            waiting_for_ready = False  # one byte is all we take from the child
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            exit_status, cpu_s = status, usage.ru_utime + usage.ru_stime
            break
    elapsed = time.monotonic() - (ready_at or started)
    os.close(ready_r)
    if exited >= 0:
        os.close(exited)
    _kill_and_reap(pid)
    retire = False
    try:
        scratch_dir.remove_tree(scratch)
    except OSError as err:  # a fresh zygote sweeps this folder when it starts
        log(f"could not remove a run's scratch folder ({err}); retiring")
        retire = True
    returncode = 0 if exit_status is None else (
        -os.WTERMSIG(exit_status) if os.WIFSIGNALED(exit_status) else
        os.WEXITSTATUS(exit_status))
    if returncode == SETUP_FAILED_EXIT:
        retire = True
    return ZygoteReply(returncode=returncode, ready=ready_at is not None, timed_out=timed_out,
                       over_quota=over_quota, elapsed=elapsed, cpu_s=cpu_s, retire=retire)


def main() -> None:
    layers = confine.probe()
    layers = confine.Layers(layers.rlimits, layers.landlock_abi, layers.seccomp,
                            confine.become_subreaper())
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, _reap_clones)
    control = socket.socket(fileno=0)
    be_a_zygote(control, layers, own_state.snapshot())


def be_a_zygote(control: socket.socket, layers: confine.Layers, settled: dict,
                clone: bool = False) -> None:
    """Say hello (a clone attaches a pidfd of itself: the server is not our parent), then serve
    the server on `control` until it closes it or we retire."""
    hello = json.dumps({"hello": True, "pid": os.getpid(), "layers": layers.describe()}).encode()
    if clone:
        pidfd = os.pidfd_open(os.getpid())
        socket.send_fds(control, [hello], [pidfd])
        os.close(pidfd)
    else:
        control.send(hello)
    swept = scratch_dir.sweep_stale(log)
    if swept:
        log(f"swept {swept} scratch folder(s) left by zygotes that died")
    runs_folder = scratch_dir.zygote_folder()
    try:
        serve(control, layers, runs_folder, settled)
    finally:
        try:
            scratch_dir.remove_tree(runs_folder)
        except OSError as err:
            log(f"could not remove {runs_folder} ({err}); the next zygote sweeps it")


def _clone(fds: list[int], layers: confine.Layers, settled: dict) -> ZygoteReply:
    """Fork another zygote for the server, on the socket end it sent (`fds`): warm at once,
    where a new one spends seconds of CPU on its imports, and sharing our memory's pages until
    one of us writes to them. We never hold a learner's code or output, so neither does it."""
    if len(fds) != 1:
        raise ValueError(f"a clone order carries one socket end, not {len(fds)}")
    pid = os.fork()
    if pid == 0:
        try:
            os.dup2(fds[0], 0)  # its control socket, where ours was (fd 0)
            os.close(fds[0])
            os.setsid()  # a session of its own, as a zygote the server starts has
            _clones.clear()  # our clones are not its children
            # The subreaper flag is not inherited across fork: set it again.
            layers = confine.Layers(layers.rlimits, layers.landlock_abi, layers.seccomp,
                                    confine.become_subreaper())
            be_a_zygote(socket.socket(fileno=0), layers, settled, clone=True)
        except BaseException:  # noqa: BLE001 - the server sees a zygote that never said hello
            log(f"a clone failed:\n{traceback.format_exc()}")
        os._exit(0)  # never back into the loop of the zygote it was forked from
    _clones.add(pid)
    _reap_clones(signal.SIGCHLD, None)  # it may have exited before it was in the set
    return ZygoteReply()


def serve(control: socket.socket, layers: confine.Layers, runs_folder: str,
          settled: dict) -> None:
    """Answer requests until the server closes the socket or this zygote retires. `settled`:
    our settings as they were when we started (see utils/runner/own_state.py)."""
    while True:
        message, fds, _, _ = socket.recv_fds(control, MAX_REQUEST_BYTES, 3)
        if not message:
            return
        changed = own_state.changes(settled)
        if changed:  # changed by another run while we were idle: serve no one in this state
            log(f"settings changed from outside, retiring before the run: {changed}")
            reply = ZygoteReply(retire=True, retry=True)
        else:
            try:
                if CloneOrder.is_one(message):
                    reply = _clone(fds, layers, settled)
                else:
                    reply = supervise(RunOrder.from_json(message).limits, fds, layers,
                                      runs_folder)
            except Exception:  # noqa: BLE001 - plain words for the learner, the trace for the log
                log(f"a run failed inside the runner; this zygote retires:\n"
                    f"{traceback.format_exc()}")
                reply = ZygoteReply(failed=True, retire=True)
            changed = own_state.changes(settled)
            if changed:
                log(f"settings changed during a run, retiring: {changed}")
                reply = replace(reply, retire=True)
        for fd in fds:  # closed already after a fork; not when the request was refused
            try:
                os.close(fd)
            except OSError:
                pass
        control.send(reply.to_json())
        if reply.retire:
            return  # a fresh zygote replaces this one, in a known state


if __name__ == "__main__":
    main()
