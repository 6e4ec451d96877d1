"""A zygote started in the background is stopped while the server's pages need the CPU
(`Zygote.start`'s `hold`), never for longer than its bound in all, and never left stopped.

With stand-ins started here (nothing global is patched: the real runner's pool may start zygotes
in this process meanwhile): a script that burns a fixed amount of CPU, then says hello on its
socket, as a zygote does after its imports."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from utils.runner import worker
from utils.runner.worker import Zygote, ZygoteFailure

STAND_IN = """
import json, os, socket, sys, time
while time.process_time() < float(sys.argv[1]):  # CPU, not wall time: a stopped process makes none
    pass
if sys.argv[2] == "hello":
    socket.socket(fileno=0).send(json.dumps({"hello": True, "layers": {}}).encode())
time.sleep(60)
"""


def _state(pid: int) -> str:
    """The process's state letter from /proc (T: stopped)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


@pytest.fixture
def stand_in(tmp_path):
    """start(work_cpu_s, says_hello=True): a Zygote around a stand-in process of ours."""
    script = tmp_path / "zygote.py"
    script.write_text(STAND_IN)
    made: list[Zygote] = []

    def start(work_cpu_s: float, says_hello: bool = True) -> Zygote:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        proc = subprocess.Popen([sys.executable, str(script), str(work_cpu_s),
                                 "hello" if says_hello else "silent"],
                                stdin=theirs.fileno(), start_new_session=True)
        theirs.close()
        made.append(Zygote(ours, proc.pid, proc=proc))
        return made[-1]

    yield start
    for zygote in made:
        zygote.kill()


def test_a_held_zygote_is_stopped_until_let_go(stand_in):
    zygote = stand_in(work_cpu_s=0.3)
    hold_for_s, states = 0.8, []
    began = time.monotonic()

    def hold() -> bool:
        held = time.monotonic() - began < hold_for_s
        if held:
            states.append(_state(zygote.pid))
        return held

    assert zygote._await_hello(hold) == {"hello": True, "layers": {}}
    took = time.monotonic() - began
    # Stopped while held (the first check comes before its SIGSTOP), running after; and its
    # work waited for the hold.
    assert "T" in states, states
    assert _state(zygote.pid) != "T"
    assert took >= hold_for_s + 0.2, f"hello after {took:.2f} s"
    assert zygote.pid not in {p.pid for p in worker._starting}


def test_the_hold_is_bounded_and_held_time_is_not_startup_time(stand_in):
    zygote = stand_in(work_cpu_s=0.1)
    began = time.monotonic()
    # Always asked to hold: held for 1 s, longer than the startup limit, then let go.
    zygote._await_hello(lambda: True, startup_s=0.8, longest_hold_s=1.0)
    assert time.monotonic() - began >= 1.0
    assert _state(zygote.pid) != "T"


def test_a_zygote_held_when_its_hello_arrives_is_let_go(stand_in):
    zygote = stand_in(work_cpu_s=0.0)

    def hold() -> bool:
        time.sleep(0.3)  # its hello is waiting by now: the SIGSTOP lands after it
        return True

    zygote._await_hello(hold)
    assert _state(zygote.pid) != "T"


def test_a_zygote_that_dies_while_held_fails_at_once(stand_in):
    zygote = stand_in(work_cpu_s=5.0)
    threading.Timer(0.3, zygote.proc.kill).start()
    began = time.monotonic()
    with pytest.raises(ZygoteFailure):
        zygote._await_hello(lambda: True)  # would hold it up to 20 s
    assert time.monotonic() - began < 5


def test_a_zygote_that_never_says_hello_fails_in_time(stand_in):
    zygote = stand_in(work_cpu_s=0.0, says_hello=False)
    with pytest.raises(ZygoteFailure, match="in time"):
        zygote._await_hello(lambda: False, startup_s=0.3)


def test_zygotes_still_starting_are_killed_when_the_server_exits(stand_in):
    zygote = stand_in(work_cpu_s=5.0)
    worker._starting.add(zygote.proc)
    zygote.proc.send_signal(worker.signal.SIGSTOP)
    try:
        worker._kill_starting_zygotes()
        assert zygote.proc.wait(5) == -worker.signal.SIGKILL
    finally:
        worker._starting.discard(zygote.proc)
