"""A run starts with only the descriptors it is handed (utils/runner/descriptors.py): one the
zygote holds, at any number, never reaches learner code."""

from __future__ import annotations

import os
import resource

import pytest

from utils.runner import descriptors

HIGH = 5000  # above the 4096 the zygote used to close up to


def _in_a_child(body) -> int:
    """Run `body` in a forked child; its exit code (0: as expected)."""
    pid = os.fork()
    if pid == 0:
        try:
            os._exit(body())
        except BaseException:  # noqa: BLE001 - any surprise is a failure of the test
            os._exit(99)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def _open(fd: int) -> bool:
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


@pytest.fixture
def high_fd():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard <= HIGH + 1:
        pytest.skip(f"this host allows only {hard} descriptors")
    if soft <= HIGH + 1:
        resource.setrlimit(resource.RLIMIT_NOFILE, (HIGH + 2, hard))
    r, w = os.pipe()
    os.dup2(r, HIGH)
    yield r, w
    for fd in (r, w, HIGH):
        os.close(fd)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_arrange_puts_each_source_on_its_number_and_closes_the_rest(high_fd):
    r, w = high_fd

    def body() -> int:
        descriptors.arrange({0: r, 1: w, 2: w})
        os.write(1, b"x")  # fd 1 is the pipe's write end now
        ok = os.read(0, 1) == b"x" and not _open(HIGH) and not _open(r) and not _open(w)
        return 0 if ok else 1

    assert _in_a_child(body) == 0
    assert _open(HIGH)  # the parent's own descriptors are untouched


def test_without_proc_the_whole_range_under_the_limit_is_closed(high_fd, monkeypatch):
    r, w = high_fd

    def body() -> int:
        def no_proc(path):
            raise OSError("no /proc here")

        monkeypatch.setattr(os, "listdir", no_proc)  # in the child only: it never returns
        descriptors.arrange({0: r, 1: w})
        return 0 if not _open(HIGH) and _open(1) else 1

    assert _in_a_child(body) == 0


def test_targets_with_a_gap_are_refused():
    # An inherited descriptor at the gap's number would stay open in the run.
    with pytest.raises(ValueError, match="no gap|0..1"):
        descriptors.arrange({0: 0, 2: 2})
