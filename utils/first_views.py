"""What the site's pages compute on a first view, recorded once, so that a fresh server computes it
in the background before a learner asks for it.

A page's figures and tables come from cached functions (st.cache_data, st.cache_resource): the
first view of a page on a fresh server computes them, 0.1-0.5 s on some pages here (chapter 5.4's
variance figures, 4.4's computation graph, chapter 6's digits), and every later view reads them.
`python -m utils.first_views` opens every page of the navigation under Streamlit's AppTest, in a
process of its own, and writes each cached call a first view makes to assets/first_views.json: the
function's module and name, and its arguments as Python literals. The server's warm-up makes the
same calls, in the order of the path, each in a quiet moment (streamlit_app.py,
`replay_steps`), so they land in the very caches the pages read. A test fails when the file no
longer matches what the pages call.

A call is recorded only when its function is a module's attribute and its arguments are literals
(what `ast.literal_eval` reads back): those are the calls a page makes from its defaults.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from utils.site_config import ROOT, section_path

log = logging.getLogger(__name__)

MANIFEST = ROOT / "assets" / "first_views.json"


@dataclass(frozen=True)
class Call:
    """One cached call: `module.name(*args, **kwargs)`, the arguments as Python literals."""

    module: str
    name: str
    args: str = "()"
    kwargs: str = "{}"

    def __str__(self) -> str:
        kwargs = ", ".join(f"{k}={v!r}" for k, v in ast.literal_eval(self.kwargs).items())
        inner = ", ".join(filter(None, [self.args[1:-1].rstrip(","), kwargs]))
        return f"{self.module}.{self.name}({inner})"

    def run(self) -> object:
        func = importlib.import_module(self.module)
        for part in self.name.split("."):
            func = getattr(func, part)
        return func(*ast.literal_eval(self.args), **ast.literal_eval(self.kwargs))


def _as_call(func: Callable, args: tuple, kwargs: dict) -> Call | None:
    """The call as a Call, or None when it cannot be replayed from a file: a function that is not
    a module's attribute, or an argument that is not a literal."""
    if "<locals>" in func.__qualname__ or func.__module__ == "__main__":  # (the app script's own)
        return None
    call = Call(func.__module__, func.__qualname__, repr(tuple(args)),
                repr(dict(sorted(kwargs.items()))))
    try:
        if ast.literal_eval(call.args) != tuple(args) or \
                ast.literal_eval(call.kwargs) != dict(kwargs):
            return None
    except (ValueError, SyntaxError, TypeError):
        return None
    return call


@contextlib.contextmanager
def recording() -> Iterator[list[Call]]:
    """Every call of a cached function (hit or miss) while inside, in order, each call once."""
    from streamlit.runtime.caching import cache_utils

    calls: list[Call] = []
    original = cache_utils.CachedFunc._get_or_create_cached_value

    def recorded(self, func_args, func_kwargs, *rest, **more):
        call = _as_call(self._info.func, func_args, func_kwargs)
        if call is not None and call not in calls:
            calls.append(call)
        return original(self, func_args, func_kwargs, *rest, **more)

    cache_utils.CachedFunc._get_or_create_cached_value = recorded
    try:
        yield calls
    finally:
        cache_utils.CachedFunc._get_or_create_cached_value = original


def page_names() -> list[str]:
    """Every page of the navigation, in its order: home, review, then each section's source."""
    from utils import registry

    return ["pages/home.py", "review"] + [
        str(source.path.relative_to(ROOT))
        for ch in registry.CHAPTERS if ch.available for source in ch.section_sources()]


def open_page(page: str, timeout: float = 300):
    """The app, switched to `page` and run once under AppTest: "pages/home.py", a section by its
    source ("pages/part4_backprop/2_graph.md"), or a callable page by its URL path ("review")."""
    import re

    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=timeout)
    section = re.fullmatch(r"pages/(\w+)/\d+_(\w+)\.md", page)
    # A section's page is a callable (utils/navigation.py), which AppTest.switch_page (files
    # only) cannot find; a session picks a page by the hash of its URL path, as here. Set before
    # the first run, it opens the page in one run, as a deep link does.
    if section:
        app._page_hash = calc_hash(section_path(section[1], section[2]))
    elif "/" not in page:
        app._page_hash = calc_hash(page)
    else:
        app.run()
        app.switch_page(page)
    return app.run()


def record(pages: list[str] | None = None) -> list[Call]:
    """The cached calls that the first view of each of `pages` (default: every page) makes."""
    with recording() as calls:
        for page in pages or page_names():
            app = open_page(page)
            if app.exception:
                raise RuntimeError(f"{page} raised: {[e.value for e in app.exception]}")
    return calls


def read(path=MANIFEST) -> list[Call]:
    """The recorded calls; none when the file is missing or unreadable (the pages compute them)."""
    try:
        return [Call(**entry) for entry in json.loads(path.read_text())["calls"]]
    except (OSError, ValueError, TypeError, KeyError):
        log.warning("no first views to compute: %s is missing or unreadable", path)
        return []


def write(calls: list[Call], path=MANIFEST) -> None:
    entries = [vars(call) for call in calls]
    path.write_text(json.dumps({"about": "written by `python -m utils.first_views`: the cached "
                                         "calls every page's first view makes",
                                "calls": entries}, indent=1) + "\n")


def _replay(call: Call) -> None:
    try:
        call.run()
    except Exception:  # noqa: BLE001 - the page computes it again, and shows why not
        log.exception("computing a first view: %s", call)


def replay_steps(path=MANIFEST) -> list[Callable[[], None]]:
    """Each recorded call as a step of the server's warm-up (a failing one is logged, not raised:
    the page then computes it, and shows why it cannot)."""
    return [functools.partial(_replay, call) for call in read(path)]


def main(argv: list[str] | None = None) -> int:
    """Write the file; with --check, only say whether it is current (1 if not)."""
    check = "--check" in (sys.argv[1:] if argv is None else argv)
    os.environ["GTF_WARM_UP"] = "0"  # no server warm-up inside this process's AppTest runs
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    calls = record()
    where = MANIFEST.relative_to(ROOT)
    if not check:
        write(calls)
        print(f"{len(calls)} calls written to {where}", file=sys.stderr)
        return 0
    kept = read()
    missing = [str(c) for c in calls if c not in kept]
    unused = [str(c) for c in kept if c not in calls]
    if missing or unused:
        print(f"{where} is stale: run `python -m utils.first_views`.\n"
              f"Called on a first view but not in the file: {missing}\n"
              f"In the file but no longer called: {unused}", file=sys.stderr)
        return 1
    print(f"{where} is current ({len(calls)} calls)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
