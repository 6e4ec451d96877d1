"""Running a learner's collective operation on several ranks, two ways.

- `run_in_threads`: every rank is a thread, and the function's `dist.send` / `dist.recv` are
  replaced by in-memory point-to-point messages that block as gloo's do (send waits for the
  matching recv). No processes, no
  sockets: this is what runs in the site's sandbox, and it is deterministic. A rank that waits
  too long for a message reports a deadlock.
- `run_in_processes`: every rank is a real Python process with a torch.distributed gloo
  process group on 127.0.0.1. The processes and the group are always cleaned up, also on
  failure. It needs fork and sockets, so the sandbox skips it (`real_processes_allowed`).
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable

import torch as t
from torch import Tensor

from utils.registry import exercise_marker

RECV_TIMEOUT_S = 5.0


class _Rank(threading.local):
    rank: int = -1


class FakeDist:
    """Point-to-point messages between threads: send and recv (and their non-blocking isend and
    irecv), backed by queues. Collectives are refused: the exercise is to build them."""

    def __init__(self, world_size: int):
        self.world_size = world_size
        self._rank = _Rank()
        self._queues = {(a, b): queue.Queue() for a in range(world_size)
                        for b in range(world_size)}
        self.messages: list[tuple[int, int, tuple[int, ...]]] = []

    def _post(self, tensor: Tensor, dst: int) -> threading.Event:
        me = self._rank.rank
        if not 0 <= dst < self.world_size or dst == me:
            raise ValueError(f"rank {me} sent to rank {dst}; ranks are 0..{self.world_size - 1} "
                             "and a rank does not send to itself")
        self.messages.append((me, dst, tuple(tensor.shape)))
        taken = threading.Event()
        self._queues[(me, dst)].put((tensor.detach().clone(), taken))
        return taken

    def send(self, tensor: Tensor, dst: int, *args: Any, **kwargs: Any) -> None:
        """Blocks until rank dst has received the message, as gloo's send does."""
        me = self._rank.rank
        if not self._post(tensor, dst).wait(RECV_TIMEOUT_S):
            raise TimeoutError(f"rank {me} waited {RECV_TIMEOUT_S:g} s for rank {dst} to receive "
                               "its message: a deadlock (a send blocks until the other rank "
                               "calls recv; if both ranks send first, neither ever receives)")

    def recv(self, tensor: Tensor, src: int | None = None, *args: Any, **kwargs: Any) -> int:
        """Blocks until a message arrives from src (or, with src=None, from any rank)."""
        me = self._rank.rank
        sources = [src] if src is not None else [r for r in range(self.world_size) if r != me]
        deadline = time.monotonic() + RECV_TIMEOUT_S
        while True:
            for candidate in sources:
                try:
                    received, taken = self._queues[(candidate, me)].get_nowait()
                except queue.Empty:
                    continue
                if received.shape != tensor.shape:
                    raise ValueError(f"rank {me} received a tensor of shape "
                                     f"{tuple(received.shape)} from rank {candidate} into one of "
                                     f"shape {tuple(tensor.shape)}")
                with t.no_grad():
                    tensor.copy_(received)
                taken.set()
                return candidate
            if time.monotonic() > deadline:
                origin = f"rank {src}" if src is not None else "any rank"
                raise TimeoutError(f"rank {me} waited {RECV_TIMEOUT_S:g} s for a message from "
                                   f"{origin} that never came: a deadlock, or a send that is "
                                   "missing")
            time.sleep(0.001)

    def isend(self, tensor: Tensor, dst: int, *args: Any, **kwargs: Any) -> "_Request":
        """Non-blocking send: returns at once; wait() blocks until the message is received."""
        taken = self._post(tensor, dst)
        me = self._rank.rank

        def complete() -> None:
            if not taken.wait(RECV_TIMEOUT_S):
                raise TimeoutError(f"rank {me}: an isend to rank {dst} was never received")
        return _Request(complete)

    def irecv(self, tensor: Tensor, src: int | None = None, *args: Any,
              **kwargs: Any) -> "_Request":
        """Non-blocking receive: the tensor is filled when the request's wait() is called."""
        return _Request(lambda: self.recv(tensor, src))

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"dist.{name} is not available in this exercise: build it from "
                             "point-to-point messages only (send/recv, or isend/irecv)")


class _Request:
    """What isend/irecv return: wait() completes the operation."""

    def __init__(self, complete: Callable[[], Any]):
        self._complete, self._done = complete, False

    def wait(self, *args: Any, **kwargs: Any) -> bool:
        if not self._done:
            self._complete()
            self._done = True
        return True

    def is_completed(self) -> bool:
        return self._done


@contextmanager
def fake_dist_in(namespaces: list[dict], fake: FakeDist):
    """Swap `dist` for the fake in each namespace (the learner's module and the reference's)."""
    import torch.distributed as real_dist

    functions = ("send", "recv", "isend", "irecv")
    saved = [(ns, ns.get("dist")) for ns in namespaces]
    saved_names = [(ns, name, ns[name]) for ns in namespaces for name in functions
                   if ns.get(name) is getattr(real_dist, name)]  # `from torch.distributed import`
    saved_module = {name: getattr(real_dist, name) for name in functions}
    for ns in namespaces:
        ns["dist"] = fake
    for ns, name, _ in saved_names:
        ns[name] = getattr(fake, name)
    for name in functions:  # `import torch.distributed as tdist` reaches these
        setattr(real_dist, name, getattr(fake, name))
    try:
        yield
    finally:
        for name, original in saved_module.items():
            setattr(real_dist, name, original)
        for ns, name, original in saved_names:
            ns[name] = original
        for ns, original in saved:
            if original is None:
                ns.pop("dist", None)
            else:
                ns["dist"] = original


def run_in_threads(fn: Callable, world_size: int, make_args: Callable[[int], tuple],
                   namespaces: list[dict], **kwargs: Any) -> tuple[list[Any], list[tuple]]:
    """Run fn(*make_args(rank), **kwargs) on every rank at once; returns (each rank's args
    after the call, each rank's return value). Raises the first rank's exception."""
    fake = FakeDist(world_size)
    args = [make_args(rank) for rank in range(world_size)]
    results: list[Any] = [None] * world_size
    errors: list[tuple[int, BaseException]] = []

    def work(rank: int) -> None:
        fake._rank.rank = rank
        try:
            results[rank] = fn(*args[rank], **kwargs)
        except BaseException as err:  # noqa: BLE001 - reported below with the rank
            errors.append((rank, err))

    with fake_dist_in(namespaces, fake):
        threads = [threading.Thread(target=work, args=(rank,), daemon=True)
                   for rank in range(world_size)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(RECV_TIMEOUT_S * (world_size + 2))
    if errors:
        rank, err = sorted(errors, key=lambda e: isinstance(e[1], TimeoutError))[0]
        err.rank = rank
        raise err
    return args, results


def real_processes_allowed() -> bool:
    """False inside the site's sandbox (no processes, no sockets), where only threads run."""
    return os.environ.get("GTF_SANDBOXED") != "1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_WORKER = """
import ast, importlib, json, sys
import torch
import torch.distributed as dist

payload = json.loads(sys.stdin.read())
torch.set_num_threads(1)
try:
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{payload['port']}",
                            rank=payload["rank"], world_size=payload["world_size"])
except BaseException as err:  # the group, not the learner's code: the caller tries again
    print(json.dumps({"setup_error": f"{type(err).__name__}: {err}"}))
    sys.exit(0)
try:
    namespace = {"t": torch, "torch": torch, "dist": dist, "Tensor": torch.Tensor}
    for name, spec in payload["globals"].items():  # what the functions' own module gave them
        try:
            if "module" in spec:
                namespace[name] = importlib.import_module(spec["module"])
            elif "literal" in spec:
                namespace[name] = ast.literal_eval(spec["literal"])
            else:
                value = importlib.import_module(spec["from"])
                for part in spec["attr"].split("."):
                    value = getattr(value, part)
                namespace[name] = value
        except Exception:  # not importable here: the function meets a NameError, as it would
            pass
    for source in payload["sources"]:
        exec("from __future__ import annotations\\n" + source, namespace)
    case = {}
    exec(payload["case"], case)
    tensor = case["make_tensor"](payload["rank"])
    namespace[payload["name"]](tensor, payload["rank"], payload["world_size"], **case["kwargs"])
    print(json.dumps({"ok": tensor.tolist()}))
except BaseException as err:
    print(json.dumps({"error": f"{type(err).__name__}: {err}"}))
finally:
    dist.destroy_process_group()
"""


def _functions(fn: Callable) -> list[Callable]:
    """fn and the plain functions it calls from its module, helpers first."""
    ordered: list[Callable] = []

    def visit(f: Callable) -> None:
        if f in ordered:
            return
        for name in getattr(f, "__code__", None).co_names if hasattr(f, "__code__") else ():
            dependency = getattr(f, "__globals__", {}).get(name)
            if inspect.isfunction(dependency) and dependency is not f and \
                    dependency.__module__ == fn.__module__:  # the learner's own helpers only
                visit(dependency)
        ordered.append(f)

    visit(fn)
    return ordered


def _names_used(code) -> set[str]:
    """Global names a code object (and the functions and comprehensions inside it) refers to."""
    names = set(code.co_names)
    for const in code.co_consts:
        if inspect.iscode(const):
            names |= _names_used(const)
    return names


def _globals_spec(functions: list[Callable]) -> dict[str, dict]:
    """How a fresh process rebuilds the globals these functions use: the modules they imported
    (`math`, `t`, `dist`), objects imported from a module (`from torch import Tensor`), and
    plain constants. Other globals (the functions themselves travel as source) are left out."""
    spec: dict[str, dict] = {}
    for f in functions:
        if not inspect.isfunction(f):
            continue
        for name in _names_used(f.__code__):
            if name not in f.__globals__:
                continue
            value = f.__globals__[name]
            home = getattr(value, "__module__", None)
            if inspect.ismodule(value):
                spec[name] = {"module": value.__name__}
            elif home in (functions[-1].__module__, "__main__"):
                continue  # defined by the learner: helpers travel as source; never re-imported
            elif home and hasattr(value, "__qualname__"):
                spec[name] = {"from": value.__module__, "attr": value.__qualname__}
            elif isinstance(value, (bool, int, float, str, tuple, type(None))):
                spec[name] = {"literal": repr(value)}
    return spec


def _code_source(f: Callable) -> str:
    """A function's source without its `@exercise(...)` metadata (the reference solutions carry
    it; the worker processes have no use for it)."""
    source = textwrap.dedent(inspect.getsource(f))
    node = ast.parse(source).body[0]
    marker = exercise_marker(node)
    if marker is None:
        return source
    lines = source.splitlines(keepends=True)
    return "".join(lines[:marker.lineno - 1] + lines[marker.end_lineno:])


# How many times a gloo group is set up before its failure is reported: setting one up can fail
# for reasons of the machine's, not the learner's (its free port taken meanwhile, a peer's
# connection dropped: "Gloo connectFullMesh failed ... Connection closed by peer").
GROUP_SETUP_TRIES = 3


class _GroupSetupFailed(Exception):
    pass


def run_in_processes(fn: Callable, world_size: int, case_source: str,
                     timeout_s: float = 60.0) -> list[list]:
    """Run the learner's fn on `world_size` real processes with a gloo group on 127.0.0.1.

    `case_source` defines make_tensor(rank) and kwargs. The function (and the helpers it calls)
    travel as source code, so functions defined in a notebook work too, with the globals they
    use from their module (its imports and constants). Every process is killed
    at the end, whatever happens. A group that could not be set up is set up again, on a new
    port, up to GROUP_SETUP_TRIES times. Returns each rank's tensor afterwards."""
    functions = _functions(fn)
    payload = {"world_size": world_size,
               "sources": [_code_source(f) for f in functions],
               "globals": _globals_spec(functions), "name": fn.__name__, "case": case_source}
    for attempt in range(GROUP_SETUP_TRIES):
        try:
            return _run_group({**payload, "port": _free_port()}, fn.__name__, timeout_s)
        except _GroupSetupFailed as failure:
            if attempt == GROUP_SETUP_TRIES - 1:
                raise AssertionError(f"{fn.__name__}: a gloo group of {world_size} processes "
                                     f"could not be set up on this machine "
                                     f"({GROUP_SETUP_TRIES} tries): {failure}") from None
    raise AssertionError("unreachable")


def _result_of(process: subprocess.Popen, wait_s: float, name: str, world_size: int,
               limit_s: float | None = None) -> dict:
    """A worker's last JSON line ({"ok"}, {"error"} or {"setup_error"}) once it has ended. A
    worker still running after `wait_s` is a deadlock of the run's `limit_s` (None: not yet
    known, and {} is returned)."""
    try:
        process.wait(timeout=wait_s)
    except subprocess.TimeoutExpired:
        if limit_s is None:
            return {}
        raise AssertionError(f"{name} on {world_size} real processes did not finish in "
                             f"{limit_s:g} s: a deadlock?") from None
    lines = [line for line in process.stdout.read().splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {
        "error": f"the process ended without a result: {process.stderr.read()[-300:]}"}


def _run_group(payload: dict, name: str, timeout_s: float) -> list[list]:
    """One try of run_in_processes; _GroupSetupFailed if a rank could not join the group."""
    world_size = payload["world_size"]
    processes = [subprocess.Popen([sys.executable, "-c", _WORKER], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  start_new_session=True) for _ in range(world_size)]
    try:
        for rank, process in enumerate(processes):
            process.stdin.write(json.dumps({**payload, "rank": rank}))
            process.stdin.close()
        deadline = time.monotonic() + timeout_s
        outputs = []
        for rank, process in enumerate(processes):
            result = _result_of(process, max(deadline - time.monotonic(), 0.1), name,
                                world_size, timeout_s)
            if "setup_error" in result:
                raise _GroupSetupFailed(result["setup_error"])
            if "error" in result:
                # A peer that could not join the group breaks this rank's collective: then the
                # fault is the group's. (Peers that are still running are waited for briefly.)
                for other in processes:
                    if other is not process:
                        peer = _result_of(other, 1.0, name, world_size)
                        if "setup_error" in peer:
                            raise _GroupSetupFailed(peer["setup_error"])
                raise AssertionError(f"{name} on rank {rank} of {world_size} real "
                                     f"processes (gloo): {result['error']}")
            outputs.append(result["ok"])
        return outputs
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
