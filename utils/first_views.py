"""What the site's pages compute on a first view, recorded once, so that a fresh server computes it
in the background before a learner asks for it.

A page's figures and tables come from cached functions (st.cache_data, st.cache_resource): the
first view of a page on a fresh server computes them, up to 0.45 s of a page's first run here
(chapter 5.4's variances through a stack, 4.4's computation graph, chapter 6's digits), and every
later view reads them. `python -m utils.first_views` opens every page of the navigation under
Streamlit's AppTest, in a process that sees what a fresh server sees (no downloads yet), and
writes each cached call a first view makes to assets/first_views.json: the function's module and
name, and its arguments as Python literals. The server's warm-up (streamlit_app.py) makes the
same calls through `replay_steps`, in the order of the path, each in a quiet moment, so they land
in the very cache entries the pages read. A test fails when the file no longer matches what the
pages call.

A call is recorded only when a replay from the file fills the same entry: its function is its
module's attribute, and its arguments are literals that give the same cache key when read back.

The same pass keeps the charts each section's figures and widgets draw on its first view, in
assets/first_view_charts/ (utils/first_view_charts.py): a fresh server's first page shows them
while it imports the chapter's code.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib
import json
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from utils import first_view_charts
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
        try:
            kwargs = ", ".join(f"{k}={v!r}" for k, v in _read_back(self.kwargs).items())
        except Exception:  # noqa: BLE001 - a hand-edited file: show it as it is
            kwargs = self.kwargs
        inner = ", ".join(filter(None, [self.args[1:-1].rstrip(","), kwargs]))
        return f"{self.module}.{self.name}({inner})"

    def function(self) -> Callable:
        """The module's attribute `name` (a dotted name reaches into classes)."""
        found = importlib.import_module(self.module)
        for part in self.name.split("."):
            found = getattr(found, part)
        return found

    def run(self) -> object:
        return self.function()(*_read_back(self.args), **_read_back(self.kwargs))


# Calls never replayed at a server's start, whatever a recording saw: what they read is a large
# download (made on a first view only where it is already on disk, or where the site is offline).
NOT_REPLAYED = {
    "utils.experiments.part2_cnns.pretrained_resnet",  # ImageNet weights, 83 MB
    "utils.experiments.part2_cnns.reference_top_predictions",  # the same weights
    "utils.figures.part5_vaes_gans.faces",  # CelebA when on disk: 1-2 GB while it is decoded
}


def _read_back(text: str) -> Any:
    value = ast.literal_eval(text)
    # A set's repr follows the string hash's order, which changes from process to process.
    if any(isinstance(v, (set, frozenset)) for v in _values(value)):
        raise ValueError("a set")
    return value


def _values(value: object) -> Iterator[object]:
    yield value
    if isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            yield from _values(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _values(item)


def _as_call(cached: Any, args: tuple, kwargs: dict) -> Call | None:
    """A call of `cached` (Streamlit's CachedFunc) as a Call, or None when a replay from the file
    could not fill the very entry it filled: a function that is not its module's attribute under
    its own name, an argument that is not a literal (a NumPy number, an enum) or a set, or one
    that reads back as another cache key; or a call in NOT_REPLAYED."""
    from streamlit.runtime.caching.cache_utils import _make_value_key

    func = cached._info.func
    call = Call(func.__module__, func.__qualname__, repr(tuple(args)), repr(dict(kwargs)))
    if f"{call.module}.{call.name}" in NOT_REPLAYED or call.module == "__main__":
        return None
    try:
        if call.function() is not cached:
            return None

        def key(a: tuple, k: dict) -> str:
            return _make_value_key(cached._info.cache_type, func, a, k, cached._info.hash_funcs)

        if key(_read_back(call.args), _read_back(call.kwargs)) != key(tuple(args), dict(kwargs)):
            return None
    except Exception:  # noqa: BLE001 - anything that cannot be read back is not recorded
        return None
    return call


@contextlib.contextmanager
def recording() -> Iterator[list[Call]]:
    """Every call of a cached function (hit or miss) while inside, in order, each call once."""
    from streamlit.runtime.caching import cache_utils

    calls: list[Call] = []
    original = cache_utils.CachedFunc._get_or_create_cached_value

    def recorded(self, func_args, func_kwargs, *rest, **more):
        call = _as_call(self, func_args, func_kwargs)
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


def record(pages: list[str] | None = None) -> tuple[list[Call], first_view_charts.Recorded]:
    """The cached calls that the first view of each of `pages` (default: every page) makes, and
    the charts each section's figures and widgets draw (utils/first_view_charts.py), in this
    process (`record_as_on_a_fresh_server` is what the files hold)."""
    os.environ["GTF_WARM_UP"] = "0"  # a warm-up inside AppTest would replay the file meanwhile
    with recording() as calls, first_view_charts.recording() as drawn:
        for page in pages or page_names():
            app = open_page(page)
            if app.exception:
                raise RuntimeError(f"{page} raised: {[e.value for e in app.exception]}")
    return calls, drawn


def record_as_on_a_fresh_server() -> tuple[list[Call], first_view_charts.Recorded]:
    """`record()` in a process of its own, which sees what a freshly started server sees: no
    datasets or weights downloaded yet (empty data and torch folders), not offline. What a first
    view calls can depend on them (chapter 2 trains on MNIST once it is on disk; 5.2 classifies
    its photos at once where the ImageNet weights are), and a server starts with none of them."""
    with tempfile.TemporaryDirectory() as empty:
        env = {k: v for k, v in os.environ.items() if k != "GTF_OFFLINE"}
        env.update(GTF_DATA_DIR=empty + "/data", TORCH_HOME=empty + "/torch", GTF_WARM_UP="0")
        out, charts_out = Path(empty) / "calls.json", Path(empty) / "charts"
        code = ("import logging; logging.getLogger('streamlit').setLevel(logging.ERROR); "
                "from utils import first_views as f, first_view_charts as c; "
                f"calls, drawn = f.record(); f.write(calls, {str(out)!r}); "
                f"c.write(drawn, __import__('pathlib').Path({str(charts_out)!r}))")
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
        return read(out), first_view_charts.read_all(charts_out)


def read(path=MANIFEST) -> list[Call]:
    """The recorded calls; none when the file is missing or unreadable, and an entry that is
    not a call is left out (the pages compute what is not there)."""
    try:
        entries = json.loads(Path(path).read_text())["calls"]
    except (OSError, ValueError, TypeError, KeyError):
        entries = None
    if not isinstance(entries, list):
        log.warning("no first views to compute: %s is missing or unreadable", path)
        return []
    calls = []
    for entry in entries:
        try:
            calls.append(Call(**entry))
        except TypeError:
            log.warning("not a call, left out: %r", entry)
    return calls


def write(calls: list[Call], path=MANIFEST) -> None:
    entries = [vars(call) for call in calls]
    Path(path).write_text(json.dumps({"about": "written by `python -m utils.first_views`: the "
                                      "cached calls every page's first view makes",
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
    """Write the files; with --check, only say whether they are current (1 if not)."""
    check = "--check" in (sys.argv[1:] if argv is None else argv)
    calls, drawn = record_as_on_a_fresh_server()
    where = MANIFEST.relative_to(ROOT)
    charts_where = first_view_charts.DIRECTORY.relative_to(ROOT)
    if not check:
        write(calls)
        first_view_charts.write(drawn)
        print(f"{len(calls)} calls written to {where}; the charts of "
              f"{sum(map(len, drawn.values()))} figures and widgets to {charts_where}/",
              file=sys.stderr)
        return 0
    kept = read()
    missing = [str(c) for c in calls if c not in kept]
    unused = [str(c) for c in kept if c not in calls]
    charts_changed = first_view_charts.differences(drawn, first_view_charts.read_all())
    if missing or unused or charts_changed:
        print(f"{where} or {charts_where}/ is stale: run `python -m utils.first_views`.\n"
              f"Called on a first view but not in the file: {missing}\n"
              f"In the file but no longer called: {unused}\n"
              f"Charts: {charts_changed}", file=sys.stderr)
        return 1
    print(f"{where} is current ({len(calls)} calls), and so is {charts_where}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
