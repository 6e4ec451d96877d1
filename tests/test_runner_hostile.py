"""Issue 13's hostile suite: what one run could do to others (workers, the queue, the server), each
with a victim run that must be answered correctly. The basics (exec, sockets, files, memory...) are
in test_sandbox.py."""

from __future__ import annotations

import dataclasses
import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import utils.runner as runner
from utils import registry, sources
from utils.runner import Limits, run

EX = registry.get("part1_ray_tracing.intersect_ray_1d")
GOOD = sources.solution_source(EX)
FAST = Limits(wall_seconds=3, cpu_seconds=3)
LAYERS = runner.sandbox_layers()
needs_seccomp = pytest.mark.skipif(not LAYERS["seccomp"], reason="no seccomp on this host")
SLOW_GOOD = "import time\ntime.sleep(1.5)\n" + GOOD
VICTIM = Limits(wall_seconds=10, cpu_seconds=10)  # a sleeping victim never times out


def honest_run_passes() -> None:
    result = run(EX.id, GOOD)
    assert result.status == "passed", result.message


@pytest.fixture(scope="module", autouse=True)
def warm_workers():
    """Start the workers before anything is timed."""
    with ThreadPoolExecutor(runner.MAX_CONCURRENT_RUNS) as pool:
        list(pool.map(lambda _: honest_run_passes(), range(runner.MAX_CONCURRENT_RUNS)))


# --- item 2: the queue never strands --------------------------------------------------------

def test_waiters_are_served_when_every_busy_worker_dies():
    with ThreadPoolExecutor(8) as pool:
        holders = [pool.submit(run, EX.id, "import time\ntime.sleep(4)\n" + GOOD)
                   for _ in range(runner.MAX_CONCURRENT_RUNS)]
        time.sleep(1.0)  # the holders have the workers
        waiters = [pool.submit(run, EX.id, GOOD) for _ in range(4)]
        time.sleep(0.3)
        busy = [pid for pid in _zygote_pids() if pid not in runner.worker_pids()]
        for pid in busy:
            os.kill(pid, 9)
        started = time.monotonic()
        results = [w.result(timeout=runner.QUEUE_WAIT_SECONDS + 30) for w in waiters]
        assert time.monotonic() - started < 30
        assert [r.status for r in results] == ["passed"] * 4
        for holder in holders:
            message = holder.result().message
            assert "attacked" not in message and "Traceback" not in message
    deadline = time.monotonic() + 60
    while len(runner.worker_pids()) < runner.MAX_CONCURRENT_RUNS and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(runner.worker_pids()) == runner.MAX_CONCURRENT_RUNS, "capacity stayed reduced"


def test_a_queued_run_whose_page_was_closed_leaves_the_queue(monkeypatch):
    # Every worker busy; two learners wait. One closes the tab: after the grace, that run leaves
    # the queue without running. The other, still connected, is served when a worker frees.
    from utils.runner import presence

    monkeypatch.setattr(presence, "LEFT_GRACE_SECONDS", 0.5)
    monkeypatch.setattr(presence, "session_active", lambda session: session != "closed-tab")
    with ThreadPoolExecutor(runner.MAX_CONCURRENT_RUNS + 2) as pool:
        holders = [pool.submit(run, EX.id, "import time\ntime.sleep(4)\n" + GOOD, VICTIM)
                   for _ in range(runner.MAX_CONCURRENT_RUNS)]
        time.sleep(0.5)  # the holders have the workers
        gone = pool.submit(run, EX.id, GOOD, session="closed-tab")
        staying = pool.submit(run, EX.id, GOOD, session="open-tab")
        left = gone.result(timeout=30)
        assert left.message == runner.LEFT_MESSAGE and runner.never_started(left)
        assert not any(h.done() for h in holders)  # it left while every worker was still busy
        assert not staying.done()
        assert staying.result(timeout=60).status == "passed"
        assert [h.result().status for h in holders] == ["passed"] * len(holders)


def _zygote_pids() -> list[int]:
    """Every zygote of this server, idle or busy: the started ones are our children, clones
    are children of a zygote (utils/runner/zygote.py `_clone`)."""
    return runner.zygote_pids()


# --- item 8: plain messages, tracebacks to the log ------------------------------------------

def assert_plain(result) -> None:
    for text in (result.message, result.stdout):
        assert "Traceback" not in text and "/work" not in text and "utils/runner" not in text


def test_a_failure_while_setting_up_the_run_is_a_plain_message():
    result = run(EX.id, GOOD, Limits(open_files="many"))  # setrlimit raises in the child
    assert result.status == "error" and "on our side" in result.message
    assert_plain(result)
    honest_run_passes()


def test_a_request_the_zygote_cannot_handle_is_a_plain_message_and_it_retires():
    zygote = runner._pool.acquire()
    try:
        reply = zygote.request({"nonsense": True}, timeout=30)
    finally:
        runner._pool.discard(zygote)
    from utils.runner.outcome import compose
    from utils.runner.protocol import ZygoteReply
    from utils.runner.worker import RunStreams
    reply = ZygoteReply.from_dict(reply)
    assert reply == ZygoteReply(failed=True, retire=True)  # the server says it plainly:
    message = compose(reply, RunStreams(), FAST).message
    assert "Traceback" not in message and "on our side" in message
    honest_run_passes()


def test_a_check_that_breaks_after_the_learners_code_is_a_plain_message():
    result = runner.run_demo("part4_backprop.no_such_demo", "x = 1\n", {})
    assert result.status == "error"
    assert_plain(result)


# --- item 9: the report pipe does not trust its writer --------------------------------------

def forge(report: bytes) -> str:
    return f"import os\nos.write(3, {report!r})\nos._exit(0)\n"


@pytest.mark.parametrize("report", [
    b'{"status": "passed", "message": {"a": 1}, "duration_s": 1}',
    b'{"status": "hacked", "message": "x", "duration_s": 1}',
    b'[1, 2, 3]',
    b'{"status": "passed", "message": "ok", "data": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
    b"\xff\xfe not json",
])
def test_a_malformed_report_is_an_error_not_a_crash(report):
    result = run(EX.id, forge(report), FAST)
    assert result.status == "error" and isinstance(result.message, str)
    assert_plain(result)
    honest_run_passes()


def test_an_infinite_duration_is_made_finite():
    result = run(EX.id, forge(b'{"status": "failed", "message": "m", "duration_s": 1e999}'), FAST)
    assert result.status == "failed" and 0 <= result.duration_s <= FAST.wall_seconds


def test_a_huge_message_is_cut():
    code = ("import os\nos.write(3, b'{\"status\": \"failed\", \"message\": \"' + b'm' * 500_000"
            " + b'\", \"duration_s\": 1}')\nos._exit(0)\n")
    result = run(EX.id, code, FAST)
    assert result.status == "failed" and len(result.message) < 30_000


def test_the_server_checks_the_zygotes_reply_too():
    from utils.runner.outcome import compose
    from utils.runner.protocol import ZygoteReply
    from utils.runner.worker import RunStreams
    bad = ZygoteReply.from_dict({"returncode": "0", "ready": "yes", "timed_out": 1,
                                 "elapsed": "1 s", "cpu_s": [1], "retire": None})
    assert bad == ZygoteReply()
    report = RunStreams(report=bytearray(b'{"status": "passed", "message": "ok", "duration_s": 1}'))
    result = compose(ZygoteReply(elapsed=float("inf"), cpu_s=-3.0), report, FAST)
    assert (result.status, result.message, result.stdout, result.duration_s, result.cpu_s,
            result.stdout_truncated) == ("passed", "ok", "", 1.0, 0.0, False)
    report = RunStreams(report=bytearray(b'{"status": {"x": 1}, "message": "ok"}'))
    assert compose(ZygoteReply(), report, FAST).status == "error"


def test_the_home_page_says_verdicts_are_advisory():
    from utils.runner import about
    from utils.site_config import ROOT
    assert about.ADVISORY in about.about_markdown()
    assert "about.about_markdown()" in (ROOT / "pages" / "home.py").read_text()


# --- item 3: no SysV IPC object survives a run ----------------------------------------------

IPC_KEY = 0x47544631  # "GTF1"


def _sysv_objects() -> int:
    """SysV IPC objects with the tests' key, on the whole machine (only theirs: other processes,
    a second pytest worker among them, may make and drop their own meanwhile)."""
    total = 0
    for kind in ("shm", "sem", "msg"):
        with open(f"/proc/sysvipc/{kind}") as table:
            total += sum(line.split()[0] == str(IPC_KEY) for line in table.readlines()[1:])
    return total

LEAVE_SHARED_MEMORY = f"""
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
made = {{
    "shm": libc.shmget({IPC_KEY}, 2**20, 0o1666),
    "sem": libc.semget({IPC_KEY}, 1, 0o1666),
    "msg": libc.msgget({IPC_KEY}, 0o1666),
}}
print("made", made, ctypes.get_errno())
""" + GOOD
FIND_SHARED_MEMORY = f"""
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
print("found", [libc.shmget({IPC_KEY}, 0, 0), libc.semget({IPC_KEY}, 0, 0),
                libc.msgget({IPC_KEY}, 0, 0)])
""" + GOOD


@needs_seccomp
@pytest.mark.parametrize("how", ["run", "run_demo"])
def test_no_sysv_ipc_object_outlives_a_run(how):
    before = _sysv_objects()
    if how == "run":
        result = run(EX.id, LEAVE_SHARED_MEMORY, FAST)
        assert result.status == "passed", result.message
        assert "made {'shm': -1, 'sem': -1, 'msg': -1}" in result.stdout
    else:
        result = runner.run_demo("part4_backprop.no_such_demo", LEAVE_SHARED_MEMORY, {})
    assert _sysv_objects() == before
    victim = run(EX.id, FIND_SHARED_MEMORY, FAST)  # a later learner finds nothing
    assert victim.status == "passed" and "found [-1, -1, -1]" in victim.stdout


# --- item 1: a run may affect only itself ---------------------------------------------------

def meddle_with(pids: str) -> str:
    """Learner code that tries to change every setting of the processes `pids` (an expression)."""
    return f"""
import ctypes, os, resource
libc = ctypes.CDLL(None, use_errno=True)
outcomes = []
def attempt(what, fn):
    try:
        fn()
        outcomes.append(what + ' CHANGED')
    except OSError:
        outcomes.append(what + ' blocked')
for pid in {pids}:
    attempt('cpu', lambda: resource.prlimit(pid, resource.RLIMIT_CPU, (1, 1)))
    attempt('nofile', lambda: resource.prlimit(pid, resource.RLIMIT_NOFILE, (3, 3)))
    attempt('affinity', lambda: os.sched_setaffinity(pid, {{0}}))
    attempt('nice', lambda: os.setpriority(os.PRIO_PROCESS, pid, 19))
    attempt('scheduler', lambda: os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0)))
    if libc.syscall(251, 1, pid, (3 << 13) | 7) == 0:  # ioprio_set(WHO_PROCESS, pid, IDLE)
        outcomes.append('ioprio CHANGED')
attempt('nice of all my processes', lambda: os.setpriority(os.PRIO_USER, 0, 19))
print(sorted(set(outcomes)))
""" + GOOD


@needs_seccomp
def test_a_run_cannot_change_other_processes_settings():
    from utils.runner import own_state
    server_before = own_state.snapshot()
    zygotes_before = {pid: resource_of(pid) for pid in _zygote_pids()}
    with ThreadPoolExecutor(2) as pool:
        victim = pool.submit(run, EX.id, SLOW_GOOD, VICTIM)
        time.sleep(0.5)
        # Only our own processes are named (a scan of nearby pids would touch other programs
        # on this machine if the filter ever failed): the server, the zygotes, the victim.
        victim_pids = _run_pids()
        pids = f"[os.getppid(), {os.getpid()}] + {_zygote_pids() + victim_pids}"
        attacker = pool.submit(run, EX.id, meddle_with(pids), Limits(wall_seconds=8))
        attack_result, victim_result = attacker.result(), victim.result()
    assert victim_pids, "the victim's run was not found"
    assert attack_result.status == "passed", attack_result.message
    assert "CHANGED" not in attack_result.stdout, attack_result.stdout
    assert victim_result.status == "passed", victim_result.message
    assert own_state.changes(server_before) == []
    for pid, before in zygotes_before.items():
        if os.path.exists(f"/proc/{pid}"):
            assert resource_of(pid) == before
    honest_run_passes()


def test_a_run_may_still_lower_its_own_priority():
    code = ("import os\nbefore = os.nice(0)\nafter = os.nice(1)\n"
            "os.setpriority(os.PRIO_PROCESS, 0, after)\n"
            "print('nice', 'lowered' if after == min(before + 1, 19) else 'unchanged')\n") + GOOD
    result = run(EX.id, code, FAST)
    assert result.status == "passed" and "nice lowered" in result.stdout, result.message


def _run_pids() -> list[int]:
    """The children of every zygote that are runs (a zygote's clone is its child too)."""
    zygotes = set(_zygote_pids())
    found = []
    for zygote in zygotes:
        try:
            found += [int(p) for p in open(f"/proc/{zygote}/task/{zygote}/children").read().split()
                      if int(p) not in zygotes]
        except OSError:
            continue
    return found


def resource_of(pid: int) -> tuple:
    import resource
    return (resource.prlimit(pid, resource.RLIMIT_CPU),
            resource.prlimit(pid, resource.RLIMIT_NOFILE),
            os.sched_getaffinity(pid), os.getpriority(os.PRIO_PROCESS, pid))


def test_a_zygote_whose_settings_were_changed_retires_and_the_run_still_happens():
    import resource
    honest_run_passes()
    tampered = runner.worker_pids()
    for pid in tampered:  # as another process of the same user could
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (20, 20))
    for _ in range(len(tampered)):
        honest_run_passes()
    time.sleep(0.5)
    assert not set(tampered) & set(_zygote_pids()), "a tampered zygote kept serving"


def _parent_of(pid: int) -> int:
    return int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])


def _full_pool() -> list[int]:
    deadline = time.monotonic() + 120
    while len(runner.worker_pids()) < runner.MAX_CONCURRENT_RUNS and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(runner.worker_pids()) == runner.MAX_CONCURRENT_RUNS, "capacity stayed reduced"
    return runner.zygote_pids()


def _children(pid: int) -> set[int]:
    try:
        return {int(p) for p in open(f"/proc/{pid}/task/{pid}/children").read().split()}
    except OSError:
        return set()


def _discard_dead_idle_zygotes() -> None:
    """What the pool's watcher (started by runner.warm_up, not in these tests) does."""
    for zygote in runner._pool.idle():
        if not zygote.alive():
            runner._pool.discard(zygote)


@pytest.mark.skipif(runner.MAX_CONCURRENT_RUNS < 2, reason="one zygote: nothing to clone")
def test_zygotes_are_cloned_and_a_clone_outlives_the_zygote_it_came_from():
    zygotes = _full_pool()
    if not any(_parent_of(pid) in zygotes for pid in zygotes):  # all started (by the first runs)
        runner._pool.discard(runner._pool.acquire())  # replaced by a clone of the idle one
        zygotes = _full_pool()
    started = {z.pid for z in runner._pool.workers() if z.proc is not None}
    clones = [pid for pid in zygotes if pid not in started]
    assert clones and all(_parent_of(pid) in started for pid in clones), (zygotes, started)
    # A clone runs code in a session of its own, as a started zygote does.
    assert all(os.getsid(pid) == pid for pid in zygotes)
    with ThreadPoolExecutor(runner.MAX_CONCURRENT_RUNS) as pool:  # every zygote at once
        slow = "import time\ntime.sleep(1)\n" + GOOD
        results = list(pool.map(lambda _: run(EX.id, slow), range(runner.MAX_CONCURRENT_RUNS)))
    assert [r.status for r in results] == ["passed"] * runner.MAX_CONCURRENT_RUNS
    # The zygote it came from dies: the clone goes on. Only a started zygote is cloned (a
    # clone's clone would become the first zygote's child when its parent died, and be killed
    # as a run's straggler), so with no started one idle, the replacement is started.
    clone = clones[0]
    os.kill(_parent_of(clone), 9)
    time.sleep(0.5)
    _discard_dead_idle_zygotes()
    after = _full_pool()
    assert clone in after and _parent_of(clone) not in zygotes
    honest_run_passes()
    # The clone retires: the replacement is a clone of a started zygote, which reaps the
    # retired one's process at once (no zombie while it waits idle).
    runner._pool.discard(next(z for z in runner._pool.idle() if z.pid == clone))
    final = _full_pool()
    started = {z.pid for z in runner._pool.workers() if z.proc is not None}
    assert all(pid in started or _parent_of(pid) in started for pid in final)
    time.sleep(0.5)
    for pid in final:
        assert _children(pid) <= set(final), f"zygote {pid} keeps a dead clone or a run"


def test_a_zygote_whose_settings_were_changed_clones_nothing():
    from utils.runner.worker import ZygoteFailure

    _full_pool()
    zygote = runner._pool.acquire()
    try:
        children = _children(zygote.pid)
        os.setpriority(os.PRIO_PROCESS, zygote.pid, 5)  # as another process of the same user could
        with pytest.raises(ZygoteFailure, match="refused"):
            zygote.clone()
        assert _children(zygote.pid) <= children, "it forked before refusing"
        assert not zygote.alive()
        deadline = time.monotonic() + 10
        while _is_running(zygote.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _is_running(zygote.pid), "the tampered zygote did not exit"
    finally:
        runner._pool.discard(zygote)
    honest_run_passes()


def _is_running(pid: int) -> bool:
    """Alive and not a zombie."""
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# --- item 7: no signals through fcntl, no file watching -------------------------------------

@needs_seccomp
def test_signals_via_file_ownership_and_file_watching_are_refused():
    code = """
import ctypes, fcntl, os, signal
libc = ctypes.CDLL(None, use_errno=True)
outcomes = []
def attempt(what, fn):
    try:
        fn()
        outcomes.append(what + ' ALLOWED')
    except OSError:
        outcomes.append(what + ' blocked')
r, w = os.pipe()
fcntl.fcntl(r, fcntl.F_SETFL, os.O_ASYNC | os.O_NONBLOCK)
attempt('F_SETOWN', lambda: fcntl.fcntl(r, fcntl.F_SETOWN, os.getppid()))
attempt('F_SETSIG', lambda: fcntl.fcntl(r, 10, signal.SIGKILL))
attempt('F_SETOWN_EX', lambda: fcntl.fcntl(r, 15, bytes(8)))
attempt('FIOSETOWN', lambda: fcntl.ioctl(r, 0x8901, ctypes.c_int(os.getppid())))
if libc.syscall(72, r, ctypes.c_long(0x100000008), os.getppid()) == 0:  # F_SETOWN, high bits
    outcomes.append('F_SETOWN high bits ALLOWED')
os.write(w, b'x')
for name in ('inotify_init', 'fanotify_init'):
    fn = getattr(libc, name)
    if (fn() if name == 'inotify_init' else fn(0, 0)) >= 0:
        outcomes.append(name + ' ALLOWED')
print(outcomes)
""" + GOOD
    with ThreadPoolExecutor(2) as pool:
        victim = pool.submit(run, EX.id, SLOW_GOOD, VICTIM)
        result = pool.submit(run, EX.id, code, FAST).result()
        assert victim.result().status == "passed"
    assert result.status == "passed", result.message
    assert "ALLOWED" not in result.stdout and result.stdout.count("blocked") == 4, result.stdout
    honest_run_passes()


def test_a_run_may_still_set_flags_on_its_own_files():
    code = ("import fcntl, os\nr, w = os.pipe()\n"
            "fcntl.fcntl(r, fcntl.F_SETFL, os.O_NONBLOCK)\nprint('flags ok')\n") + GOOD
    result = run(EX.id, code, FAST)
    assert result.status == "passed" and "flags ok" in result.stdout


# --- item 4: scratch space is bounded and always removed ------------------------------------

def test_many_files_under_the_size_limit_are_stopped_by_the_quota():
    code = ("import os\nprint(os.getcwd(), flush=True)\n"
            "for i in range(100):\n    open(f'f{i}', 'wb').write(os.urandom(15 * 2**20))\n")
    result = run(EX.id, code, Limits(wall_seconds=20, cpu_seconds=20))
    assert result.status == "error" and "scratch directory" in result.message, result.message
    assert not os.path.exists(result.stdout.split()[0])
    honest_run_passes()


def test_a_flood_of_small_files_is_stopped_by_the_quota():
    code = ("import os\nprint(os.getcwd(), flush=True)\n"
            "for i in range(100_000):\n    open(f'f{i}', 'w').close()\n")
    result = run(EX.id, code, FAST)
    assert result.status == "error" and "files and folders" in result.message, result.message
    assert not os.path.exists(result.stdout.split()[0])


def test_a_folder_made_unremovable_is_removed():
    code = """
import os
top = os.getcwd()
print(top, flush=True)
for _ in range(1100):  # deeper than PATH_MAX and than a recursive rmtree can go
    os.mkdir('ddd')
    os.chdir('ddd')
open('deep.txt', 'w').write('x')
os.chdir(top)
os.makedirs('locked/inner')
open('locked/inner/f', 'w').write('x')
def chmod(path, mode):  # by fd: the path-based call is refused in the sandbox
    fd = os.open(path, os.O_RDONLY)
    os.fchmod(fd, mode)
    os.close(fd)
chmod('locked/inner', 0)
chmod('locked', 0)
chmod('ddd', 0o500)
os.symlink('/etc/passwd', 'link')
chmod(top, 0)
""" + GOOD
    result = run(EX.id, code, Limits(wall_seconds=10, scratch_entries=5000))
    assert result.status == "passed", result.message
    assert not os.path.exists(result.stdout.split()[0])
    assert os.stat("/etc/passwd").st_mode & 0o777 == 0o644


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can set the immutable flag")
def test_an_immutable_file_does_not_keep_the_folder():
    code = """
import array, fcntl, os
print(os.getcwd(), flush=True)
with open('stuck', 'w') as f:
    flags = array.array('i', [0x10, 0])
    try:
        fcntl.ioctl(f.fileno(), 0x40086602, flags)  # FS_IOC_SETFLAGS immutable
        print('immutable set')
    except OSError as err:
        print('immutable refused', err)
""" + GOOD
    result = run(EX.id, code, FAST)
    assert result.status == "passed", result.message
    assert "immutable" in result.stdout
    assert not os.path.exists(result.stdout.split()[0])


def test_folders_of_dead_zygotes_are_swept_and_live_ones_kept(tmp_path):
    import tempfile
    from utils.runner import scratch
    stale = os.path.join(tempfile.gettempdir(), f"{scratch.PREFIX}999999999-1")
    os.makedirs(os.path.join(stale, "run-x", "locked"))
    os.chmod(os.path.join(stale, "run-x", "locked"), 0)
    live = scratch.zygote_folder()  # this process is alive: its folder must stay
    assert scratch.sweep_stale(print) >= 1
    assert not os.path.exists(stale) and os.path.isdir(live)
    scratch.remove_tree(live)


def test_removal_goes_deeper_than_rmtree(tmp_path):
    import shutil
    from utils.runner import scratch
    top = tmp_path / "deep"
    top.mkdir()
    fd = os.open(top, os.O_RDONLY)
    for _ in range(1200):
        os.mkdir("dddd", dir_fd=fd)
        inner = os.open("dddd", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(fd)
    with pytest.raises((RecursionError, OSError)):
        shutil.rmtree(top)
    scratch.remove_tree(str(top))
    assert not top.exists()


# --- item 6: no capabilities, no metadata changes outside the sandbox -----------------------

@needs_seccomp
def test_metadata_of_the_apps_files_cannot_be_changed(tmp_path):
    from utils.site_config import ROOT
    target = ROOT / "solutions" / "part1_ray_tracing.py"
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    outside.chmod(0o666)
    tmp_path.chmod(0o777)
    before = [(p.stat().st_mode, p.stat().st_mtime_ns, p.stat().st_uid) for p in (target, outside)]
    code = f"""
import os
outcomes = []
def attempt(what, fn):
    try:
        fn()
        outcomes.append(what + ' CHANGED')
    except (OSError, ValueError):
        outcomes.append(what + ' blocked')
for path in ({str(target)!r}, {str(outside)!r}):
    attempt('chmod', lambda: os.chmod(path, 0o777))
    attempt('utime', lambda: os.utime(path, (0, 0)))
    attempt('chown', lambda: os.chown(path, 65534, 65534))
    attempt('setxattr', lambda: os.setxattr(path, 'user.gtf', b'x'))
    fd = os.open(path, os.O_PATH)
    attempt('fchmod O_PATH', lambda: os.fchmod(fd, 0o777))
    attempt('futimens O_PATH', lambda: os.utime(fd, (0, 0)))
    attempt('fchown O_PATH', lambda: os.fchown(fd, 65534, 65534))
print(outcomes)
""" + GOOD
    result = run(EX.id, code, FAST)
    assert result.status == "passed", result.message
    assert "CHANGED" not in result.stdout and "blocked" in result.stdout, result.stdout
    after = [(p.stat().st_mode, p.stat().st_mtime_ns, p.stat().st_uid) for p in (target, outside)]
    assert after == before


def test_a_run_holds_no_capabilities():
    code = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
header = (ctypes.c_uint32 * 2)(0x20080522, 0)
data = (ctypes.c_uint32 * 6)()
libc.syscall(125, header, data)  # capget
print('capabilities', list(data))
print('in bounding set', sum(libc.prctl(23, cap, 0, 0, 0) == 1 for cap in range(41)))
try:
    os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))
    print('realtime ALLOWED')
except OSError:
    print('realtime refused')
buf = ctypes.create_string_buffer(1024)
print('kernel log', 'READ' if libc.klogctl(3, buf, 1024) > 0 else 'refused')
""" + GOOD
    result = run(EX.id, code, FAST)
    assert result.status == "passed", result.message
    assert "capabilities [0, 0, 0, 0, 0, 0]" in result.stdout, result.stdout
    if os.geteuid() == 0:  # a normal user may not shrink the bounding set (nor regain anything:
        assert "in bounding set 0" in result.stdout  # no_new_privs, no exec)
    assert "realtime refused" in result.stdout and "kernel log refused" in result.stdout


def test_the_page_knows_when_the_server_runs_as_root():
    assert runner.sandbox_layers()["server_is_root"] == (os.geteuid() == 0)


# --- item 5: the zygote never holds a learner's code or output ------------------------------

def _memory_contains(pid: int, needles: list[bytes]) -> list[bytes]:
    """Which needles appear in the writable memory of `pid` (what every later fork inherits)."""
    found = set()
    try:
        maps, mem = open(f"/proc/{pid}/maps"), open(f"/proc/{pid}/mem", "rb", 0)
    except PermissionError:  # non-dumpable: no process of this user can read it (root can)
        pytest.skip("the zygote's memory is unreadable to this user")
    with maps, mem:
        for line in maps:
            fields = line.split()
            start, end = (int(x, 16) for x in fields[0].split("-"))
            if "rw" not in fields[1] or end - start > 1 << 30:
                continue
            try:
                mem.seek(start)
                chunk = mem.read(end - start)
            except (OSError, ValueError, OverflowError):
                continue
            found.update(n for n in needles if n in chunk)
    return sorted(found)


def test_the_zygote_never_holds_a_learners_code_or_output():
    import secrets
    token = secrets.token_hex(12)
    code_marker = f"CODE-{token}"
    printed_marker = f"OUT-{token}"[::-1]
    code = (f"secret = {code_marker!r}\nprint({printed_marker[::-1]!r}[::-1] * 3)\n"
            "open('notes.txt', 'w').write(secret)\n" + GOOD)
    for _ in range(runner.MAX_CONCURRENT_RUNS * 2):  # every worker serves one at least once
        result = run(EX.id, code, FAST)
        assert result.status == "passed" and printed_marker in result.stdout
    for pid in _zygote_pids():
        leaked = _memory_contains(pid, [code_marker.encode(), printed_marker.encode()])
        assert leaked == [], f"zygote {pid} holds {leaked}"


# --- item 10: fairness and what a waiting learner sees --------------------------------------

def test_one_run_in_flight_per_learner():
    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(run, EX.id, SLOW_GOOD, VICTIM, session="learner-a")
        time.sleep(0.3)
        second = pool.submit(run, EX.id, GOOD, FAST, session="learner-a")
        other = pool.submit(run, EX.id, GOOD, FAST, session="learner-b")
        assert second.result().message == runner.ALREADY_RUNNING_MESSAGE
        assert first.result().status == "passed" and other.result().status == "passed"
    assert run(EX.id, GOOD, FAST, session="learner-a").status == "passed"  # free again


def test_a_run_that_lands_during_the_previous_one_waits_for_it_and_then_runs():
    """A second Run click (Streamlit starts its rerun while the first run is still going) is
    checked once the first run ends, instead of being told "not finished" as its verdict."""
    waits = []
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(run, EX.id, SLOW_GOOD, VICTIM, session="learner-c")
        time.sleep(0.3)
        second = runner.after_previous_run(
            lambda: run(EX.id, GOOD + "\n# the second click\n", FAST, session="learner-c"),
            patience_s=60, while_waiting=lambda: waits.append(time.monotonic()))
        assert first.done() and first.result().status == "passed"
    assert second.status == "passed", second.message
    assert waits, "it never waited"
    # Without patience it gives up at once, with the refusal.
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(run, EX.id, SLOW_GOOD, VICTIM, session="learner-d")
        time.sleep(0.3)
        refused = runner.after_previous_run(lambda: run(EX.id, GOOD, FAST, session="learner-d"),
                                            patience_s=0)
        assert refused.message == runner.ALREADY_RUNNING_MESSAGE
        assert first.result().status == "passed"


def test_the_end_of_the_previous_run_wakes_the_waiting_one(monkeypatch):
    # Tries far apart: only the previous run's end can start the second one soon after it.
    monkeypatch.setattr(runner, "_RETRY_PREVIOUS_S", 30.0)
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(run, EX.id, SLOW_GOOD, VICTIM, session="learner-e")
        time.sleep(0.3)
        tries = []

        def second_run():
            tries.append(time.monotonic())
            return run(EX.id, GOOD, FAST, session="learner-e")

        second = runner.after_previous_run(second_run, patience_s=60, session="learner-e")
        assert first.result().status == "passed" and second.status == "passed", second.message
    assert len(tries) == 2  # refused while the first ran, then tried again once it ended
    assert tries[1] - tries[0] < 15  # woken by the first run's end, not 30 s later


def test_a_waiting_learner_is_told_their_place():
    seen = []
    with ThreadPoolExecutor(runner.MAX_CONCURRENT_RUNS + 1) as pool:
        holders = [pool.submit(run, EX.id, SLOW_GOOD, VICTIM)
                   for _ in range(runner.MAX_CONCURRENT_RUNS)]
        time.sleep(0.3)
        waiter = run(EX.id, GOOD, VICTIM, on_wait=lambda place, s: seen.append((place, s)))
        assert waiter.status == "passed", waiter.message
        assert [h.result().status for h in holders] == ["passed"] * len(holders)
    assert seen and seen[0][0] >= 1 and seen[0][1] > 0
    assert "you are next" in runner.queue_message(1, 2.0)


def test_a_loop_in_a_quick_exercise_frees_its_worker_sooner():
    from utils.runner import wall_limits
    limit = wall_limits.wall_seconds(EX.id)
    assert limit < runner.DEFAULT_LIMITS.wall_seconds
    started = time.monotonic()
    result = run(EX.id, "while True:\n    pass\n")
    assert result.status == "timeout" and f"longer than {limit:g} s" in result.message
    assert time.monotonic() - started < limit + 5


def test_every_exercise_has_a_measured_reference_time():
    """Stale when an exercise was added: run `python -m utils.runner.wall_limits`."""
    from utils.runner import wall_limits
    exercises = {ex.id for ch in registry.CHAPTERS if ch.available for ex in ch.exercises}
    assert set(wall_limits.reference_seconds()) == exercises


# --- item 11: the About text is generated from the runner's real settings -------------------

def test_the_about_text_follows_the_settings(monkeypatch):
    from utils.runner import about
    text = " ".join(about.about_markdown().split())
    limits = runner.DEFAULT_LIMITS
    assert f"CPU time {limits.cpu_seconds} s" in text and "memory 1.5 GB" in text
    assert f"At most {runner.MAX_CONCURRENT_RUNS} runs" in text
    assert f"after {runner.QUEUE_WAIT_SECONDS:g} s of waiting" in text
    monkeypatch.setattr(about, "DEFAULT_LIMITS", dataclasses.replace(limits, cpu_seconds=7,
                                                                      memory_bytes=2**30))
    monkeypatch.setattr(about, "MAX_CONCURRENT_RUNS", 1)
    text = " ".join(about.about_markdown().split())
    assert "CPU time 7 s" in text and "memory 1.0 GB" in text and "One run executes" in text
    rows = {row["layer"]: row["active"] for row in about.layer_rows()}
    assert rows["server runs as a normal user"] == ("no (root)" if os.geteuid() == 0 else "yes")


def test_a_busy_server_with_many_open_files_still_runs_code():
    """A Streamlit server with many sessions holds fds past select()'s limit of 1024."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip("this user may not open 1200 files")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    held = [os.open("/dev/null", os.O_RDONLY) for _ in range(1100)]
    try:
        honest_run_passes()
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
