"""A zygote started in the background is stopped while the server's pages need the CPU
(`Zygote.start`'s `hold`), never for longer than LONGEST_HOLD_SECONDS in all, and never left
stopped. With a stand-in zygote: a script that burns a fixed amount of CPU, then says hello."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from utils.runner import worker
from utils.runner.worker import Zygote, ZygoteFailure

WORK_CPU_S = 0.4

STAND_IN = f"""
import json, os, socket, time
while time.process_time() < {WORK_CPU_S}:  # CPU, not wall time: a stopped process makes none
    pass
socket.socket(fileno=0).send(json.dumps({{"hello": True, "pid": os.getpid(),
                                          "layers": {{"stand-in": True}}}}).encode())
time.sleep(30)
"""


def _state(pid: int) -> str:
    """The process's state letter from /proc (T: stopped)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


@pytest.fixture
def stand_in(tmp_path, monkeypatch):
    script = tmp_path / "zygote.py"
    script.write_text(STAND_IN)
    monkeypatch.setattr(worker, "ZYGOTE", script)
    started: list[Zygote] = []
    yield started
    for zygote in started:
        zygote.kill()


def test_a_held_zygote_is_stopped_until_let_go(stand_in, monkeypatch):
    made: list[subprocess.Popen] = []
    popen = subprocess.Popen
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **kw: made.append(popen(*a, **kw))
                        or made[-1])
    hold_for_s, states = 0.8, []
    began = time.monotonic()

    def hold() -> bool:
        held = time.monotonic() - began < hold_for_s
        if held and made:
            states.append(_state(made[0].pid))
        return held

    zygote = Zygote.start(hold)
    stand_in.append(zygote)
    took = time.monotonic() - began
    assert zygote.layers == {"stand-in": True}
    # Stopped while held (the first check comes before its SIGSTOP), running after.
    assert "T" in states, states
    assert _state(zygote.pid) != "T"
    assert took >= hold_for_s + WORK_CPU_S * 0.9, f"hello after {took:.2f} s"


def test_the_hold_is_bounded_and_not_counted_as_startup_time(stand_in, monkeypatch):
    monkeypatch.setattr(worker, "LONGEST_HOLD_SECONDS", 0.5)
    monkeypatch.setattr(worker, "ZYGOTE_STARTUP_SECONDS", 0.45 + WORK_CPU_S * 4)
    began = time.monotonic()
    zygote = Zygote.start(lambda: True)  # always asked to hold: held 0.5 s, then let go
    stand_in.append(zygote)
    assert time.monotonic() - began >= 0.5 + WORK_CPU_S * 0.9
    assert _state(zygote.pid) != "T"


def test_a_zygote_that_never_says_hello_fails_in_time(stand_in, monkeypatch):
    monkeypatch.setattr(worker, "ZYGOTE_STARTUP_SECONDS", 0.2)
    with pytest.raises(ZygoteFailure, match="in time"):
        stand_in.append(Zygote.start(lambda: False))

