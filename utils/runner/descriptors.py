"""A run's file descriptors: exactly the ones it is given, at the numbers it expects.

A forked run inherits every descriptor the zygote holds (its pipe to the server, files torch or a
chapter's data left open). Whatever is not handed to the run on purpose is closed before learner
code starts, however high its number.
"""

from __future__ import annotations

import fcntl
import os
import resource

# Linux's default ceiling on any process's descriptors (fs.nr_open): where /proc/self/fd cannot
# be listed, everything under it is closed (one close_range call where the kernel has it).
_FALLBACK_CEILING = 1 << 20


def arrange(targets: dict[int, int]) -> None:
    """dup2 each source fd onto its target number (first lifted out of the way: a source may
    sit on another's target), then close everything above the highest target. The targets are
    0, 1, ... with no gap: an inherited descriptor in a gap would stay open."""
    if sorted(targets) != list(range(len(targets))):
        raise ValueError(f"targets must be 0..{len(targets) - 1}, got {sorted(targets)}")
    lifted = {target: fcntl.fcntl(source, fcntl.F_DUPFD, 100) for target, source in
              targets.items()}
    for target, source in lifted.items():
        os.dup2(source, target)
    close_above(max(targets))


def close_above(low: int) -> None:
    """Close every open descriptor numbered above `low`. Listed from /proc/self/fd: a range up to
    the descriptor limit could miss one opened before the limit was lowered."""
    try:
        open_fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no /proc: close the whole range, past a limit lowered since too
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        os.closerange(low + 1, max(hard, _FALLBACK_CEILING))
        return
    for fd in open_fds:
        if fd > low:
            try:
                os.close(fd)
            except OSError:  # the listing's own descriptor, already closed
                pass


__all__ = ["arrange", "close_above"]
