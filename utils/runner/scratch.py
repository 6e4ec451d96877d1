"""Scratch directories of runs: made under one folder per zygote, measured while the run goes
(a per-run quota: RLIMIT_FSIZE bounds one file, not a thousand), always removed afterwards, and
swept when a zygote died before it could remove them.

Removal has to beat what learner code can do to its own folder: take permissions away
(chmod 000), nest folders thousands deep (too deep for a recursive rmtree and for PATH_MAX), set
the immutable or append-only flag (when the run had the capability, i.e. as root). So the walk is
iterative and relative to directory fds: it holds one or two fds and never builds a long path.
"""

from __future__ import annotations

import array
import fcntl
import os
import tempfile
from typing import Callable

PREFIX = "gtf-zygote-"
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FS_IOC_GETFLAGS, _FS_IOC_SETFLAGS = 0x80086601, 0x40086602
_FS_IMMUTABLE_FL, _FS_APPEND_FL = 0x10, 0x20


class OverQuota(Exception):
    pass


def _start_time(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return None


def zygote_folder() -> str:
    """This zygote's folder for its runs' scratch directories, named so that a later zygote can
    tell whether its owner is still alive (pid + start time: pids get reused)."""
    pid = os.getpid()
    path = os.path.join(tempfile.gettempdir(), f"{PREFIX}{pid}-{_start_time(pid)}")
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def sweep_stale(log: Callable[[str], None]) -> int:
    """Remove the folders of zygotes that are gone. Returns how many."""
    base, removed = tempfile.gettempdir(), 0
    for name in os.listdir(base):
        if not name.startswith(PREFIX):
            continue
        pid, _, started = name[len(PREFIX):].partition("-")
        if pid.isdigit() and _start_time(int(pid)) == started:
            continue  # its zygote is alive, and may be running code in it
        try:
            remove_tree(os.path.join(base, name))
            removed += 1
        except OSError as err:
            log(f"could not sweep {name}: {err}")
    return removed


def _unflag(fd: int) -> None:
    """Clear immutable/append-only, if set and if we may (CAP_LINUX_IMMUTABLE)."""
    buf = array.array("i", [0, 0])
    try:
        fcntl.ioctl(fd, _FS_IOC_GETFLAGS, buf)
        if buf[0] & (_FS_IMMUTABLE_FL | _FS_APPEND_FL):
            buf[0] &= ~(_FS_IMMUTABLE_FL | _FS_APPEND_FL)
            fcntl.ioctl(fd, _FS_IOC_SETFLAGS, buf)
    except OSError:
        pass


def _unflag_entry(dir_fd: int, name: str) -> None:
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                     dir_fd=dir_fd)
    except OSError:
        return
    try:
        _unflag(fd)
    finally:
        os.close(fd)


def _writable(dir_fd: int) -> None:
    """The run's folder is ours: make it writable (mode and flags) so its entries can go."""
    _unflag(dir_fd)
    try:
        os.fchmod(dir_fd, 0o700)
    except OSError:
        pass


def _open_subdir(dir_fd: int, name: str) -> int:
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    except PermissionError:  # chmod 000 by the run: it is ours, give it back
        _give_back(dir_fd, name)
        return os.open(name, _DIR_FLAGS, dir_fd=dir_fd)


def _give_back(dir_fd: int, name: str) -> None:
    """chmod 700 the folder `name` itself, never what a symlink swapped in for it points at (the
    run may still be going while the quota is checked)."""
    handle = os.open(name, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                     dir_fd=dir_fd)
    try:
        os.chmod(f"/proc/self/fd/{handle}", 0o700)
    finally:
        os.close(handle)


def _walk(path: str, on_file: Callable[[int, os.DirEntry], None],
          on_dir_done: Callable[[int, str], None]) -> None:
    """Depth-first over `path`: on_file(dir_fd, entry) for everything but folders, then
    on_dir_done(parent_fd, name) for each folder once everything inside it was visited."""
    fd = os.open(path, _DIR_FLAGS)
    names: list[str] = []  # the folder names from `path` down to fd
    pending: list[list[str]] = []  # per level, the subfolders still to visit

    def listing(dir_fd: int) -> list[str]:
        subdirs = []
        with os.scandir(dir_fd) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    subdirs.append(entry.name)
                else:
                    on_file(dir_fd, entry)
        return subdirs

    try:
        pending.append(listing(fd))
        while pending:
            if pending[-1]:
                name = pending[-1].pop()
                child = _open_subdir(fd, name)
                os.close(fd)
                fd = child
                names.append(name)
                pending.append(listing(fd))
                continue
            pending.pop()
            if not names:
                break
            parent = os.open("..", _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = parent
            on_dir_done(fd, names.pop())
    finally:
        os.close(fd)


def remove_tree(path: str) -> None:
    """Remove `path` and everything in it, whatever the run did to it. Raises OSError if it
    could not (the caller logs it, and the zygote retires so a fresh one sweeps)."""
    if not os.path.lexists(path):
        return

    def unlink(dir_fd: int, entry: os.DirEntry) -> None:
        try:
            os.unlink(entry.name, dir_fd=dir_fd)
        except PermissionError:  # a folder without write permission, or a flagged file
            _writable(dir_fd)
            _unflag_entry(dir_fd, entry.name)
            os.unlink(entry.name, dir_fd=dir_fd)

    def rmdir(parent_fd: int, name: str) -> None:
        try:
            os.rmdir(name, dir_fd=parent_fd)
        except PermissionError:
            _writable(parent_fd)
            _unflag_entry(parent_fd, name)
            os.rmdir(name, dir_fd=parent_fd)

    parent = os.open(os.path.dirname(os.path.abspath(path)), _DIR_FLAGS)
    name = os.path.basename(os.path.abspath(path))
    try:
        _give_back(parent, name)
        _walk(path, unlink, rmdir)
        rmdir(parent, name)
    finally:
        os.close(parent)


def check_quota(path: str, max_bytes: int, max_entries: int) -> None:
    """Raise OverQuota when the files under `path` take more than `max_bytes` of disk (allocated
    blocks: a sparse file costs what it stores) or there are more than `max_entries` of them.
    Stops counting at the first excess, so a flood of files costs a bounded scan."""
    used = [0, 0]

    def count(_: int, entry: os.DirEntry) -> None:
        try:
            used[0] += entry.stat(follow_symlinks=False).st_blocks * 512
        except OSError:
            pass
        used[1] += 1
        if used[0] > max_bytes or used[1] > max_entries:
            raise OverQuota

    def count_dir(_: int, __: str) -> None:
        used[1] += 1
        if used[1] > max_entries:
            raise OverQuota

    try:
        if not os.access(path, os.R_OK | os.X_OK):
            os.chmod(path, 0o700)  # the run's own folder: it cannot hide its files by chmod 000
        _walk(path, count, count_dir)
    except FileNotFoundError:
        pass  # a file the run removed while we looked


__all__ = ["zygote_folder", "sweep_stale", "remove_tree", "check_quota", "OverQuota"]
