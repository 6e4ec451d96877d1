"""The server's side of one zygote: start it, send it runs, read the runs' output and reports.

The zygote gets, per run, only the limits and three pipe ends (over a unix SEQPACKET socket,
SCM_RIGHTS): the server writes the learner's request into the code pipe and reads the output and
report pipes itself, so neither the code nor what it printed ever passes through the zygote (whose
memory every later run inherits). See utils/runner/zygote.py.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from utils.runner.limits import Limits
from utils.runner.protocol import CloneOrder, RunOrder, ZygoteReply
from utils.site_config import ROOT

ZYGOTE = ROOT / "utils" / "runner" / "zygote.py"
ZYGOTE_STARTUP_SECONDS = 120.0  # importing torch on a cold, busy machine (time it is not held)
# A zygote started in the background may be held (stopped) while the server's pages need the CPU
# (`Zygote.start`'s `hold`): for at most this long in all, then it imports to the end regardless.
LONGEST_HOLD_SECONDS = 20.0
HOLD_CHECK_SECONDS = 0.05  # how often whether to hold it is asked again
CLONE_SECONDS = 30.0  # a fork and a hello: milliseconds, unless the machine is starved
KILL_WAIT_SECONDS = 5.0
MAX_REPORT_BYTES = 1 << 20  # a real report is a few KB (a demo's data: up to a few hundred)
DRAIN_SECONDS = 1.0  # after the zygote's reply the run is dead: its pipes end at once

# Zygotes we started that have not said hello yet. Killed when the server exits: one the server
# had stopped would otherwise never run again to notice that its socket has closed (it is in a
# session of its own, so the kernel's SIGHUP/SIGCONT to orphaned process groups misses it; and
# PR_SET_PDEATHSIG fires when the thread that started it ends, which the pool's filling thread
# does at once). A server killed outright (SIGKILL, out of memory) runs no exit handler: a zygote
# stopped at that moment stays stopped, until its container ends.
_starting: set[subprocess.Popen] = set()


@atexit.register
def _kill_starting_zygotes() -> None:
    for proc in list(_starting):
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # it leads its own session and process group
        except OSError:
            pass


def _ready(readers: list[int], writers: list[int], timeout: float) -> tuple[list[int], list[int]]:
    """poll(), not select(): a busy server's fds go past select's limit of 1024."""
    poller = select.poll()
    for fd in readers:
        poller.register(fd, select.POLLIN)
    for fd in writers:
        poller.register(fd, select.POLLOUT)
    events = poller.poll(max(timeout, 0) * 1000)
    readable = [fd for fd, ev in events if fd in readers and ev & (select.POLLIN | select.POLLHUP
                                                                    | select.POLLERR)]
    writable = [fd for fd, ev in events if fd in writers and ev & (select.POLLOUT | select.POLLERR
                                                                    | select.POLLHUP)]
    return readable, writable


class ZygoteFailure(Exception):
    """The zygote died, or did not answer in time."""

    produced_output = False  # whether the run had printed or reported anything by then


@dataclass
class RunStreams:
    """What came back from one run, besides the zygote's reply."""
    stdout: bytearray = field(default_factory=bytearray)
    stdout_truncated: bool = False
    report: bytearray = field(default_factory=bytearray)


@dataclass
class Zygote:
    """One zygote: started by us (`start`: `proc`), or forked by another at our order (`clone`:
    not our child, so watched and killed through `pidfd`, which stays right if its pid is
    reused)."""
    control: socket.socket
    pid: int
    proc: subprocess.Popen | None = None
    pidfd: int = -1
    layers: dict = field(default_factory=dict)
    retired: bool = False  # it said so, answering a clone order: replace it

    @classmethod
    def start(cls, hold: Callable[[], bool] | None = None) -> "Zygote":
        """A new zygote, once it has imported everything and said hello: about 8 s of CPU.
        While `hold()` is true it is stopped (SIGSTOP, then SIGCONT; for at most
        LONGEST_HOLD_SECONDS in all), so that a page a learner opens meanwhile does not share
        a core with its imports where cores are few or busy (Community Cloud's are shared)."""
        # MALLOC_ARENA_MAX: glibc reserves 64 MiB of address space for each thread's own malloc
        # arena, and a run's memory limit is on address space: two arenas keep learner threads
        # from spending the limit on reservations.
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1", "HOME": "/tmp",
               "MALLOC_ARENA_MAX": "2"}
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            proc = subprocess.Popen([sys.executable, "-I", "-u", str(ZYGOTE), str(ROOT)],
                                    stdin=theirs.fileno(), stdout=subprocess.DEVNULL, env=env,
                                    cwd="/", start_new_session=True)
        finally:
            theirs.close()
        zygote = cls(ours, proc.pid, proc=proc)
        try:
            zygote.layers = zygote._await_hello(hold or (lambda: False))["layers"]
        except BaseException:
            zygote.kill()
            raise
        return zygote

    def _await_hello(self, hold: Callable[[], bool], startup_s: float = ZYGOTE_STARTUP_SECONDS,
                     longest_hold_s: float = LONGEST_HOLD_SECONDS) -> dict:
        """The hello of a zygote we started, stopping it while `hold()` is true: for at most
        `longest_hold_s` in all, and time held does not count against `startup_s`."""
        running_left, hold_left = startup_s, longest_hold_s
        held = False
        _starting.add(self.proc)
        try:
            last = time.monotonic()
            while True:
                if (hold_left > 0 and hold()) != held:
                    held = not held
                    self.proc.send_signal(signal.SIGSTOP if held else signal.SIGCONT)
                if _ready([self.control.fileno()], [], HOLD_CHECK_SECONDS)[0]:
                    return self._recv()
                now = time.monotonic()
                if held:
                    hold_left -= now - last
                else:
                    running_left -= now - last
                    if running_left <= 0:
                        raise ZygoteFailure("no answer in time")
                last = now
        finally:
            _starting.discard(self.proc)
            if held:  # never leave it stopped: not when its hello came, nor on an error
                self.proc.send_signal(signal.SIGCONT)

    def clone(self) -> "Zygote":
        """Another zygote, forked by this one (which must be idle and ours for the call): warm
        in milliseconds instead of seconds of imports, and sharing this one's memory pages until
        either writes to them. Raises ZygoteFailure if this one refused or did not answer in
        time (then it is `retired`: replace it), or the clone did not say hello."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            try:
                socket.send_fds(self.control, [CloneOrder.MESSAGE], [theirs.fileno()])
                reply = ZygoteReply.from_dict(self._receive(CLONE_SECONDS))
            except ZygoteFailure:
                # No reply, or none in time: a late one would be read as the next run's.
                self.retired = True
                raise
            except OSError as err:
                self.retired = True
                raise ZygoteFailure(f"could not send the clone order: {err}") from err
            finally:
                theirs.close()
            if reply.retire or reply.failed:
                self.retired = True
                raise ZygoteFailure("it refused to clone itself, and retires")
            # The clone says hello with a pidfd of its own attached: the server never goes from
            # a pid to a process, which a pid reused in between would get wrong.
            if not _ready([ours.fileno()], [], CLONE_SECONDS)[0]:
                raise ZygoteFailure("the clone did not say hello in time")
            try:  # close-on-exec, as os.pidfd_open makes it: no program we start inherits it
                message, fds, _, _ = socket.recv_fds(ours, 1 << 16, 1, socket.MSG_CMSG_CLOEXEC)
            except OSError as err:
                raise ZygoteFailure(f"could not read the clone's hello: {err}") from err
            try:
                if not message:
                    raise ZygoteFailure("the clone exited before saying hello")
                if len(fds) != 1:
                    raise ZygoteFailure("the clone's hello came without its pidfd")
                hello = json.loads(message)
                clone = Zygote(ours, int(hello["pid"]), pidfd=fds[0], layers=hello["layers"])
            except BaseException:
                for fd in fds:
                    os.close(fd)
                raise
            return clone
        except BaseException:
            ours.close()
            raise

    def alive(self) -> bool:
        if self.retired:
            return False
        if self.proc is not None:
            return self.proc.poll() is None
        return not _ready([self.pidfd], [], 0)[0]  # a pidfd is readable once its process exits

    def kill(self) -> None:
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, 9)
            except (ProcessLookupError, PermissionError):
                pass
            self.proc.wait()
        elif self.pidfd >= 0:
            try:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            _ready([self.pidfd], [], KILL_WAIT_SECONDS)  # its parent zygote reaps it
            os.close(self.pidfd)
            self.pidfd = -1
        self.control.close()

    def _exit_text(self) -> str:
        if self.proc is not None:
            return f"exited with code {self.proc.poll()}"
        return "exited"  # a clone is not our child: its exit code is its parent zygote's to see

    def _receive(self, timeout: float) -> dict:
        if not _ready([self.control.fileno()], [], timeout)[0]:
            raise ZygoteFailure("no answer in time")
        return self._recv()

    def _recv(self) -> dict:
        try:
            data = self.control.recv(1 << 16)
        except OSError as err:  # ECONNRESET: it died with our message unread
            raise ZygoteFailure(f"connection lost: {err}") from err
        if not data:
            raise ZygoteFailure(self._exit_text())
        return json.loads(data)

    def request(self, payload: dict, timeout: float, fds: list[int] = ()) -> dict:
        """Send one message (with `fds` attached) and wait for the reply."""
        try:
            socket.send_fds(self.control, [json.dumps(payload).encode()], list(fds))
        except OSError as err:
            raise ZygoteFailure(f"could not send the request: {err}") from err
        return self._receive(timeout)

    def run(self, limits: Limits, body: bytes, timeout: float) -> tuple[ZygoteReply, RunStreams]:
        """One run: `body` (the learner's RunRequest, JSON) goes to the child through a pipe; its
        output and report come back through two others, read here while the zygote supervises."""
        code_r, code_w = os.pipe()
        out_r, out_w = os.pipe()
        report_r, report_w = os.pipe()
        try:
            socket.send_fds(self.control, [RunOrder(limits).to_json()], [code_r, out_w, report_w])
        except OSError as err:
            for fd in (code_w, out_r, report_r):
                os.close(fd)
            raise ZygoteFailure(f"could not send the request: {err}") from err
        finally:
            for fd in (code_r, out_w, report_w):  # the child's now: EOF comes when it is gone
                os.close(fd)
        streams = RunStreams()
        code = {"fd": code_w}  # _pump closes it when the code is written; we close what is left
        try:
            reply = self._pump(limits, memoryview(body), code, out_r, report_r, streams, timeout)
            return ZygoteReply.from_dict(reply), streams
        except ZygoteFailure as err:
            err.produced_output = bool(streams.stdout or streams.report)
            raise
        finally:
            for fd in (code["fd"], out_r, report_r):
                if fd >= 0:
                    os.close(fd)

    def _pump(self, limits: Limits, pending: memoryview, code: dict, out_r: int, report_r: int,
              streams: RunStreams, timeout: float) -> dict:
        code_w = code["fd"]
        os.set_blocking(code_w, False)
        reading = {out_r, report_r}
        writing = True
        reply: dict | None = None
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            if reply is not None and (not reading or now > deadline):
                return reply
            if now > deadline:
                raise ZygoteFailure("no answer in time")
            watch = list(reading) + ([self.control.fileno()] if reply is None else [])
            readable, writable = _ready(watch, [code_w] if writing else [],
                                        min(0.5, deadline - now))
            if writable:
                try:
                    pending = pending[os.write(code_w, pending[:1 << 16]):]
                except BlockingIOError:
                    pass
                except BrokenPipeError:  # the child died before reading it all
                    pending = pending[:0]
                if not pending:
                    os.close(code_w)
                    writing, code["fd"] = False, -1
            for source in readable:
                if source == self.control.fileno():
                    reply = self._recv()
                    deadline = time.monotonic() + DRAIN_SECONDS
                    continue
                data = os.read(source, 1 << 16)
                if not data:
                    reading.discard(source)
                elif source == out_r:
                    room = limits.stdout_bytes - len(streams.stdout)
                    streams.stdout_truncated |= len(data) > room
                    streams.stdout += data[:max(room, 0)]
                elif len(streams.report) < MAX_REPORT_BYTES:  # ignore floods
                    streams.report += data[:MAX_REPORT_BYTES - len(streams.report)]


__all__ = ["Zygote", "ZygoteFailure", "RunStreams", "ZYGOTE_STARTUP_SECONDS"]
