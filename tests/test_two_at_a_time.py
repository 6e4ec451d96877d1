"""The notebook and exercise-file tests fork their runs from a server with torch already imported
(tests/two_at_a_time.py); a forked run must still be what the command line would be in a new
interpreter, or those tests would pass where a learner's run fails."""

import json
import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from tests import two_at_a_time
from utils.site_config import ROOT

PROBE = textwrap.dedent("""
    import atexit, json, os, sys, threading, time
    def annotated(x: int) -> None: ...
    try:
        import utils
        found = True
    except ImportError:
        found = False
    atexit.register(lambda: print("at exit"))
    threading.Thread(target=lambda: (time.sleep(0.2), print("from a thread"))).start()
    print(json.dumps({"path0": sys.path[0], "argv": sys.argv, "file": __file__,
                      "cwd": os.getcwd(), "name": __name__, "utils": found,
                      "tests": "tests" in sys.modules,
                      "annotations": str(annotated.__annotations__),
                      "omp": os.environ.get("OMP_NUM_THREADS")}))
    print("to stderr", file=sys.stderr)
    if sys.argv[1] == "raise":
        raise ValueError("from the script")
    sys.exit(int(sys.argv[1]))
""")


@pytest.fixture(scope="module", autouse=True)
def _server_closed_at_the_end():
    yield
    two_at_a_time.close_the_shared_server()  # not kept, with its 300 MB, for the tests after


@pytest.fixture
def probe(tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    return script


@pytest.mark.parametrize("code", ["0", "3", "raise"])
def test_a_forked_script_runs_as_in_a_new_interpreter(probe, code):
    """The repository is not on a script's path unless the script puts it there (as the
    exercise files do), whatever the test runner's own path holds; its threads are waited for
    and its exit handlers run, as at an interpreter's end."""
    line = [sys.executable, os.path.relpath(probe, ROOT), code]  # relative, as the tests' are
    forked = two_at_a_time.run_forked(line, timeout_s=60)
    fresh = subprocess.run(line, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert forked.stdout.splitlines()[1:] == fresh.stdout.splitlines()[1:] == \
        ["from a thread", "at exit"]
    seen, expected = (json.loads(out.stdout.splitlines()[0]) for out in (forked, fresh))
    assert seen.pop("omp") == "1"  # one torch thread a run: two runs share two cores
    expected.pop("omp")
    assert (forked.returncode, seen, forked.stderr) == (fresh.returncode, expected, fresh.stderr)
    assert seen["utils"] is False and seen["tests"] is False


def test_forked_runs_draw_their_own_random_numbers_as_new_interpreters_do(tmp_path):
    """numpy's and torch's global generators are seeded afresh in each run, as in a new
    interpreter (not left as the server's, the same in every run)."""
    script = tmp_path / "draw.py"
    script.write_text("import numpy, torch\n"
                      "print(numpy.random.rand(), torch.rand(1).item())\n")
    line = [sys.executable, str(script)]
    first, second = (two_at_a_time.run_forked(line, timeout_s=60).stdout.split()
                     for _ in range(2))
    assert first[0] != second[0] and first[1] != second[1]


def test_a_forked_module_finds_the_repository_from_its_working_folder():
    line = [sys.executable, "-m", "tests.run_notebook", "no such notebook.ipynb"]
    forked = two_at_a_time.run_forked(line, timeout_s=60)
    assert forked.returncode == 1
    assert "FileNotFoundError" in forked.stderr and "no such notebook.ipynb" in forked.stderr


def test_a_run_past_its_time_is_stopped(tmp_path):
    endless = tmp_path / "endless.py"
    endless.write_text("while True:\n    pass\n")
    with pytest.raises(subprocess.TimeoutExpired):
        two_at_a_time.run_forked([sys.executable, str(endless)], timeout_s=1)


def test_closing_a_server_ends_its_runs_at_once(tmp_path):
    """A test module's end closes its server (two_at_a_time.runs): a run still going is stopped,
    and the test waiting for it hears so at once, not after the run's own time limit."""
    endless = tmp_path / "endless.py"
    endless.write_text("while True:\n    pass\n")
    server = two_at_a_time._WarmServer()
    outcome: list[BaseException] = []

    def wait_for_the_run() -> None:
        try:
            two_at_a_time.run_forked([sys.executable, str(endless)], 600, server)
        except BaseException as error:  # noqa: BLE001 - what the waiting test would see
            outcome.append(error)

    waiting = threading.Thread(target=wait_for_the_run)
    waiting.start()
    time.sleep(5)  # the server is up and the run going
    server.close()
    waiting.join(30)
    assert not waiting.is_alive()
    assert isinstance(outcome[0], RuntimeError) and "ended during the run" in str(outcome[0])
