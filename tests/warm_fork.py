"""A fork server for tests/two_at_a_time.py: imports once the third-party libraries every
notebook and exercise file loads, then forks a process for each command line it is sent and runs
the command there, as a new interpreter would run it (tests/forked_child.py).

    python -m tests.warm_fork     # from the repository root; requests on stdin, replies on stdout

Each request is a JSON line: {"id", "line", "cwd", "stdout", "stderr"} (the two output files)
for a run, {"kill": id} to stop one. The replies are JSON lines {"id", "returncode"}, one when a
run has ended (negative: ended by that signal); the server's log names each run's pid. When
stdin closes, or the server is stopped, the runs still going are killed. Only the server signals
its runs: it knows whether a pid is still its own, and each run leads a process group of its own,
which a kill ends whole. On Linux a run ends too if the server dies (PR_SET_PDEATHSIG), though
not the processes the run started itself.

Not multiprocessing's forkserver: its child first runs the parent's `__main__` module again, and
in the test runner that is whatever script AppTest ran last (streamlit_app.py).
"""

from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import sys
import traceback

# Before numpy and torch start thread pools: a run uses one thread (two runs share two cores).
os.environ["OMP_NUM_THREADS"] = "1"

import einops  # noqa: E402,F401 - warm imports are this process's job
import jaxtyping  # noqa: E402,F401
import numpy  # noqa: E402,F401
import plotly.graph_objects  # noqa: E402,F401
import torch  # noqa: E402

torch.set_num_threads(1)
# torch.optim imports torch._dynamo (1.3 s here) when an optimizer is first made: make one here.
torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)

from tests import forked_child  # noqa: E402 - standard library only

# What a run's sys.path starts from: the installed libraries, not this folder (`-m` put it first).
LIBRARY_PATH = [p for p in sys.path if p and os.path.realpath(p) != os.path.realpath(os.getcwd())]
PR_SET_PDEATHSIG = 1  # Linux: a signal for the run when the server dies
UNEXPECTED_EXIT = 70  # the run could not even start (its output files gone, say)
SERVER = os.getpid()
_C_LIBRARY = ctypes.CDLL(None)


def _reply(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _fork(request: dict) -> int:
    _C_LIBRARY.fflush(None)  # nothing of the server's own left in a buffer the run would write
    pid = os.fork()
    if pid == 0:
        status = UNEXPECTED_EXIT
        try:
            os.setpgid(0, 0)
            if sys.platform == "linux":
                _C_LIBRARY.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
                if os.getppid() != SERVER:  # the server died before that: so does the run
                    os._exit(UNEXPECTED_EXIT)
            stdin = os.open(os.devnull, os.O_RDONLY)
            os.dup2(stdin, 0)
            os.close(stdin)
            status = forked_child.run(request["line"], request["cwd"], request["stdout"],
                                      request["stderr"], LIBRARY_PATH)
        except BaseException:  # noqa: BLE001 - said in the server's log, whatever it is
            traceback.print_exc()
        finally:
            os._exit(status)  # never the server's own exit: its loop, its atexit handlers
    sys.stderr.write(f"warm_fork: run {request['id']} is pid {pid}: {request['line']}\n")
    return pid


def _kill(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:  # not yet its own group: the child itself
        os.kill(pid, signal.SIGKILL)


def serve(running: dict[int, object]) -> None:
    """Until stdin closes; `running` maps each run's pid to its request id."""
    pending = b""
    while True:
        readable, _, _ = select.select([0], [], [], 0.05)
        if readable:
            data = os.read(0, 1 << 16)
            if not data:
                return
            pending += data
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = json.loads(line)
                if "kill" in request:
                    for pid, key in running.items():
                        if key == request["kill"]:
                            _kill(pid)
                    continue
                running[_fork(request)] = request["id"]
        while running:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            _reply({"id": running.pop(pid), "returncode": os.waitstatus_to_exitcode(status)})


if __name__ == "__main__":
    runs: dict[int, object] = {}
    try:
        serve(runs)
    finally:
        for run in runs:
            _kill(run)
        for run in runs:
            os.waitpid(run, 0)
