"""Which specification the checks run on: the chapter's own, or a variant it declares.

The practice ladder's last rung is "do it again with a new specification": the same exercise and
the same checks, on a second dataset (two circles instead of two moons, a second list of names).
A chapter declares its variants in `chapter.toml` (utils/registry reads them); a check whose data
has a variant asks `current()` which one to build, and everything that runs checks (the page's
runner, the local file, the notebook) sets it with `using(key)`.

A context variable rather than an argument: the checks keep the one signature every caller
knows (`test_<name>(obj)`), and only the few data helpers that differ need to ask.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

_current: ContextVar[str | None] = ContextVar("gtf_check_variant", default=None)


def current() -> str | None:
    """The variant the checks are running on, or None for the chapter's own specification."""
    return _current.get()


@contextmanager
def using(key: str | None) -> Iterator[None]:
    token = _current.set(key)
    try:
        yield
    finally:
        _current.reset(token)
