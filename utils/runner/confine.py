"""Confine the current process before it runs learner code. Unprivileged: works as a normal user.

Layers, applied by a freshly forked child in this order:
1. rlimits: CPU time, address space, file size, open files, no core dumps.
2. Landlock (kernel >= 5.13, via raw syscalls): read-only access to the Python installation and
   system libraries, read-write access to the run's scratch directory only, no execution of other
   programs; with Landlock ABI >= 4 no TCP, with ABI >= 6 no signals to processes outside the
   sandbox and no abstract unix sockets. The app's source and other runs' files are unreachable.
3. seccomp (libseccomp through pyseccomp): no new processes (threads are fine), no exec, no
   sockets, no ptrace or reading other processes' memory, no signals to other processes, no new
   sessions or namespaces.

`probe()` reports which layers this host supports; the runner logs it at start-up and the home
page shows it. A layer that is missing is skipped (with a warning) unless strict mode asks for it.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import site
import sysconfig
from dataclasses import asdict, dataclass

from utils.runner.limits import Limits

try:  # imported up front: it runs `ldconfig` to find libseccomp, which Landlock would forbid
    import pyseccomp
except Exception:  # noqa: BLE001 - no wheel or no libseccomp on this host
    pyseccomp = None

_libc = ctypes.CDLL(None, use_errno=True)

# Syscall numbers and constants (x86_64 and aarch64 share the Landlock numbers).
_SYS_LANDLOCK_CREATE_RULESET, _SYS_LANDLOCK_ADD_RULE, _SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS, _PR_SET_PDEATHSIG, _PR_SET_DUMPABLE = 38, 1, 4
_PR_SET_CHILD_SUBREAPER, _PR_GET_CHILD_SUBREAPER = 36, 37
_O_PATH = 0o10000000

# Landlock filesystem rights, and the ABI version that introduced the last of them.
_FS_EXECUTE, _FS_WRITE_FILE, _FS_READ_FILE, _FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_FS_RIGHTS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


@dataclass(frozen=True)
class Layers:
    """Which confinement layers this host supports."""

    rlimits: bool
    landlock_abi: int  # 0 when Landlock is unavailable
    seccomp: bool
    subreaper: bool

    @property
    def landlock(self) -> bool:
        return self.landlock_abi >= 1

    @property
    def landlock_blocks_tcp(self) -> bool:
        return self.landlock_abi >= 4

    @property
    def landlock_scopes_signals(self) -> bool:
        return self.landlock_abi >= 6

    def missing(self) -> list[str]:
        return [name for name, ok in (("landlock", self.landlock), ("seccomp", self.seccomp),
                                      ("subreaper", self.subreaper)) if not ok]

    def describe(self) -> dict[str, object]:
        return {**asdict(self), "landlock_blocks_tcp": self.landlock_blocks_tcp,
                "landlock_scopes_signals": self.landlock_scopes_signals}


def _syscall(number: int, *args) -> int:
    result = _libc.syscall(number, *args)
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return result


def _prctl(option: int, value: int) -> None:
    if _libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def landlock_abi() -> int:
    try:
        return _syscall(_SYS_LANDLOCK_CREATE_RULESET, None, 0, _LANDLOCK_CREATE_RULESET_VERSION)
    except OSError:
        return 0


def probe() -> Layers:
    """What this host supports. Cheap: nothing is confined or changed."""
    subreaper = ctypes.c_int(0)
    subreaper_ok = _libc.prctl(_PR_GET_CHILD_SUBREAPER, ctypes.byref(subreaper), 0, 0, 0) == 0
    return Layers(rlimits=True, landlock_abi=landlock_abi(), seccomp=_seccomp_usable(),
                  subreaper=subreaper_ok)


def become_subreaper() -> bool:
    """Orphans of our children re-parent to us instead of pid 1, so we can kill and reap them."""
    try:
        _prctl(_PR_SET_CHILD_SUBREAPER, 1)
        return True
    except OSError:
        return False


def _seccomp_usable() -> bool:
    if pyseccomp is None:
        return False
    try:
        pyseccomp.SyscallFilter(pyseccomp.ALLOW)
        return True
    except Exception:  # noqa: BLE001 - libseccomp missing or too old
        return False


def forbid_memory_reads_of_this_process() -> bool:
    """PR_SET_DUMPABLE=0: other processes of the same user can no longer read this process's
    /proc/<pid>/environ, maps or mem. The Streamlit server calls this on itself."""
    try:
        _prctl(_PR_SET_DUMPABLE, 0)
        return True
    except OSError:
        return False


def die_with_parent() -> None:
    _prctl(_PR_SET_PDEATHSIG, 9)


def set_limit(which: int, value: int) -> None:
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


def apply_rlimits(memory_bytes: int, cpu_seconds: int, file_size_bytes: int,
                  open_files: int) -> None:
    set_limit(resource.RLIMIT_CORE, 0)
    set_limit(resource.RLIMIT_FSIZE, file_size_bytes)
    set_limit(resource.RLIMIT_NOFILE, open_files)
    set_limit(resource.RLIMIT_AS, memory_bytes)
    used = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    set_limit(resource.RLIMIT_CPU, int(used + cpu_seconds) + 1)


def readable_paths() -> list[str]:
    """Where learner code (and the libraries it calls) may read: Python and system libraries."""
    paths = {sysconfig.get_path(name) for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    paths.update(site.getsitepackages())
    paths.update(["/usr/lib", "/usr/lib64", "/usr/local/lib", "/lib", "/lib64", "/usr/share/zoneinfo",
                  "/etc/ld.so.cache", "/etc/localtime", "/dev/urandom", "/dev/null"])
    return sorted(p for p in paths if p and os.path.exists(p))


def apply_landlock(abi: int, scratch: str) -> None:
    """Only `readable_paths()` (read) and `scratch` (read-write) stay reachable."""
    handled_fs = _FS_RIGHTS_BY_ABI[max(k for k in _FS_RIGHTS_BY_ABI if k <= abi)]
    attr = _RulesetAttr(handled_access_fs=handled_fs,
                        handled_access_net=(_NET_BIND_TCP | _NET_CONNECT_TCP) if abi >= 4 else 0,
                        scoped=(_SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL) if abi >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = _syscall(_SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), size, 0)
    try:
        read = _FS_READ_FILE | _FS_READ_DIR
        for path in readable_paths():
            rights = read if os.path.isdir(path) else _FS_READ_FILE
            if path == "/dev/null":
                rights |= _FS_WRITE_FILE
            _add_path_rule(ruleset, path, rights)
        # Everything but executing in the scratch directory.
        _add_path_rule(ruleset, scratch, handled_fs & ~_FS_EXECUTE)
        _prctl(_PR_SET_NO_NEW_PRIVS, 1)
        _syscall(_SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0)
    finally:
        os.close(ruleset)


def _add_path_rule(ruleset: int, path: str, rights: int) -> None:
    fd = os.open(path, _O_PATH | os.O_CLOEXEC)
    try:
        rule = _PathBeneathAttr(allowed_access=rights, parent_fd=fd)
        _syscall(_SYS_LANDLOCK_ADD_RULE, ruleset, _LANDLOCK_RULE_PATH_BENEATH, ctypes.byref(rule), 0)
    finally:
        os.close(fd)


def apply_seccomp() -> None:
    """A deny-list: everything a numerical exercise needs stays allowed, threads included."""
    s = pyseccomp
    f = s.SyscallFilter(s.ALLOW)
    deny = s.ERRNO(errno.EPERM)
    for name in ("socket", "socketpair", "execve", "execveat", "fork", "vfork", "ptrace",
                 "process_vm_readv", "process_vm_writev", "pidfd_open", "pidfd_getfd",
                 "pidfd_send_signal", "kcmp", "unshare", "setns", "mount", "umount2", "pivot_root",
                 "chroot", "bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key",
                 "request_key", "setsid", "setpgid", "init_module", "finit_module",
                 "delete_module", "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff",
                 "io_uring_setup", "io_uring_enter", "io_uring_register", "personality",
                 "mbind", "migrate_pages", "move_pages", "set_mempolicy"):
        _try_rule(f, deny, name)
    # clone without CLONE_THREAD makes a process; with it, a thread (torch and Python need those).
    clone_thread = 0x00010000
    f.add_rule(deny, "clone", s.Arg(0, s.MASKED_EQ, clone_thread, 0))
    f.add_rule(s.ERRNO(errno.ENOSYS), "clone3")  # glibc then falls back to clone
    # Settings of other processes (the zygotes, the server, other learners' runs): a run may
    # change its own (target 0) only. Identified by pid, so any pid but 0 is refused.
    for name in ("prlimit64", "sched_setaffinity", "sched_setscheduler", "sched_setparam",
                 "sched_setattr"):
        f.add_rule(deny, name, s.Arg(0, s.NE, 0))
    prio_process, ioprio_who_process = 0, 1
    f.add_rule(deny, "setpriority", s.Arg(0, s.NE, prio_process))  # not a group or a user
    f.add_rule(deny, "setpriority", s.Arg(1, s.NE, 0))
    f.add_rule(deny, "ioprio_set", s.Arg(0, s.NE, ioprio_who_process))
    f.add_rule(deny, "ioprio_set", s.Arg(1, s.NE, 0))
    for name in ("process_madvise", "process_mrelease"):
        _try_rule(f, deny, name)
    # Signals by another route: a file's owner gets SIGIO/SIGURG (or any signal, with F_SETSIG)
    # when it becomes ready, and Landlock scopes those only from ABI 6.
    # The kernel reads these commands as 32-bit ints, so compare the low 32 bits only: with EQ,
    # 0x1_0000_0008 would pass the filter and still be F_SETOWN to the kernel.
    low32 = 0xFFFFFFFF
    f_setown, f_setsig, f_setown_ex = 8, 10, 15
    for command in (f_setown, f_setsig, f_setown_ex):
        f.add_rule(deny, "fcntl", s.Arg(1, s.MASKED_EQ, low32, command))
    fiosetown, siocspgrp = 0x8901, 0x8902
    for request in (fiosetown, siocspgrp):
        f.add_rule(deny, "ioctl", s.Arg(1, s.MASKED_EQ, low32, request))
    # Watching files would show other runs coming and going, and every open of a secrets file.
    for name in ("inotify_init", "inotify_init1", "inotify_add_watch", "fanotify_init",
                 "fanotify_mark"):
        _try_rule(f, deny, name)
    # Metadata of files named by path: Landlock does not cover chmod, chown, utime or xattrs, so
    # a run could change them on the app's own files. The fd-based calls stay (fchmod, fchown,
    # futimens, fsetxattr): an fd is only had by opening through Landlock (an O_PATH fd does
    # not work with them).
    for name in ("chmod", "fchmodat", "chown", "lchown", "fchownat", "utime", "utimes",
                 "futimesat", "setxattr", "lsetxattr", "removexattr", "lremovexattr", "syslog",
                 "acct", "quotactl", "mknod", "mknodat"):
        _try_rule(f, deny, name)
    f.add_rule(deny, "utimensat", s.Arg(1, s.NE, 0))  # with a path; futimens passes NULL
    # Newer than some libseccomp releases, so by number (the same on every architecture):
    # fchmodat2, setxattrat, removexattrat, file_setattr.
    for number in (452, 463, 466, 469):
        _try_rule(f, deny, number)
    # SysV IPC and POSIX message queues: their objects outlive the process that made them (and
    # are not counted by RLIMIT_AS), so a run could leave memory behind for a later run to read.
    for name in ("shmget", "shmat", "shmctl", "shmdt", "semget", "semop", "semtimedop", "semctl",
                 "msgget", "msgsnd", "msgrcv", "msgctl", "mq_open", "mq_unlink", "mq_timedsend",
                 "mq_timedreceive", "mq_notify", "mq_getsetattr"):
        _try_rule(f, deny, name)
    me = os.getpid()
    for name in ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"):
        f.add_rule(deny, name, s.Arg(0, s.NE, me))
    _try_rule(f, deny, "tkill")
    f.load()


def _try_rule(f, action: int, name: str) -> None:
    try:
        f.add_rule(action, name)
    except Exception:  # noqa: BLE001 - a syscall this architecture does not have
        pass


_CLONE_NEWIPC = 0x08000000


def private_ipc_namespace() -> bool:
    """A fresh SysV IPC namespace: whatever the run creates dies with it. Needs CAP_SYS_ADMIN
    (root); a normal user relies on seccomp denying the IPC calls instead."""
    return _libc.unshare(_CLONE_NEWIPC) == 0


_PR_CAPBSET_DROP, _PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL = 24, 47, 4
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
_SYS_CAPSET = {"x86_64": 126, "aarch64": 91}.get(platform.machine())


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def drop_capabilities() -> None:
    """No capabilities at all, and none to get back: as root a run would otherwise keep every
    one (the kernel log, real-time scheduling, device nodes, chown anywhere). A no-op for a
    normal user, who has none."""
    for cap in range(64):  # the bounding set needs CAP_SETPCAP, so before capset
        if _libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == errno.EINVAL:
            break  # past the last capability this kernel knows
    _libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header, data = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0), (_CapData * 2)()
    if _libc.syscall(_SYS_CAPSET, ctypes.byref(header), ctypes.byref(data)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"capset: {os.strerror(err)}")


def confine_current_process(layers: Layers, scratch: str, limits: Limits) -> None:
    """Everything a run's child does to itself before it touches learner code."""
    die_with_parent()
    private_ipc_namespace()  # needs CAP_SYS_ADMIN: before the capabilities go
    drop_capabilities()
    apply_rlimits(limits.memory_bytes, limits.cpu_seconds, limits.file_size_bytes,
                  limits.open_files)
    if layers.landlock:
        apply_landlock(layers.landlock_abi, scratch)
    if layers.seccomp:
        apply_seccomp()


__all__ = ["Layers", "probe", "become_subreaper", "confine_current_process",
           "forbid_memory_reads_of_this_process", "readable_paths"]
