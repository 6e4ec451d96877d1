"""A section's charts as its first view draws them, kept in files, so that a fresh server shows
them before it has imported the chapter's code.

A section's figures and widgets come from its chapter's modules, and most of those import torch:
on a server that has just started (a learner waking the app from a bookmark), that import is
2-3 s of the page's first run, on top of the app's own start. The page's text does not wait for
it (utils/section_view.py draws the figures and widgets last, each in a place kept for it); the
charts need not wait either. `python -m utils.first_views` opens every page as a fresh server
would (no datasets or weights downloaded) and, besides the cached calls, records each chart a
{figure} or {widget} directive draws on the section's first view, as our chart element gets it
(utils/charts.py's DrawnChart). They are kept here, one gzipped JSON file per section, and a
test fails when they no longer match what the pages draw (`same_chart`).

While the chapter's modules are still being imported, once the section's text is sent, a
figure's place shows its chart from the file, final for the run (the check keeps it equal to the
live one), and a widget's place its first chart if 2D, with a note, until the live widget takes
its place at the end of the same run (utils/section_view.py decides which, and leaves out the
biggest). A chapter whose widgets import no torch (chapter.toml's first_view_without_torch) goes
further: each widget is drawn live (after the text on the page's first run in a session, in
order on later runs), and is `served` its kept charts to draw its default state with, and the
texts it keeps with its charts (`text`: a caption that gives a trained model's accuracy). A
file is only used where nothing has been downloaded yet (utils/data_files.py): a page's first
view draws the datasets that are on disk, and they were not when the charts were recorded.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import json
import math
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from utils import charts, data_files, literate
from utils.site_config import ROOT

DIRECTORY = ROOT / "assets" / "first_view_charts"

# What a directive drew on its first view, in order: its charts, and the texts a widget keeps
# with them (`text`).
Drawn = charts.DrawnChart | str
# A section ("<stem>/<key>") -> what each directive drew, by the directive as `entry` names it:
# its index in the section's blocks and what it is, so that charts kept for a directive that has
# since moved or changed are not drawn for another (the check finds them stale too).
Recorded = dict[str, dict[str, list[Drawn]]]

_recorded: Recorded | None = None  # while `recording()`


def _section(stem: str, key: str) -> str:
    return f"{stem}/{key}"


@contextlib.contextmanager
def recording() -> Iterator[Recorded]:
    """Within: the charts each directive draws, and the texts a widget keeps with them (`text`),
    as `directive` sees them (one process, one session at a time: the first view of a section is
    the first time it is drawn)."""
    global _recorded
    _recorded = {}
    try:
        yield _recorded
    finally:
        _recorded = None


def entry(index: int, block: literate.Directive) -> str:
    """A directive's name in a file: "<index> <name> <argument> <digest of its body>"."""
    digest = hashlib.sha256(block.body.encode()).hexdigest()[:12]
    return f"{index} {block.name} {block.argument or '-'} {digest}"


def _index(entry_name: str) -> int:
    return int(entry_name.split(" ", 1)[0])


@contextlib.contextmanager
def directive(stem: str, key: str, index: int, block: literate.Directive) -> Iterator[None]:
    """Around the drawing of a section's directive (its `index`th block): while recording, its
    charts and kept texts are kept (the first time it is drawn: a section's first view)."""
    if _recorded is None:
        yield
        return
    with charts.collecting() as drawn:
        before = getattr(_texts, "into", None)
        _texts.into = drawn  # (`text` adds to the same list: what was drawn, in order)
        try:
            yield
        finally:
            _texts.into = before
    _recorded.setdefault(_section(stem, key), {}).setdefault(entry(index, block), drawn)


def recording_now() -> bool:
    return _recorded is not None


def path_for(section: str, directory: Path = DIRECTORY) -> Path:
    return directory / f"{section}.json.gz"


def write(recorded: Recorded, directory: Path = DIRECTORY) -> None:
    """One file per section with figures or widgets, naming each of them (one that drew no chart
    on the first view, with none: a widget behind a button); the directory's earlier files are
    removed. (A section whose widgets draw nothing before a button is pressed has a file too: a
    chapter whose first views need no torch draws such a section from it.)"""
    # A file whose charts are the same as recorded (`same_chart`: a figure's numbers may differ
    # in their last bits from one recording to the next) stays as it was, byte for byte.
    before = {path_for(section, directory): (drawn, path_for(section, directory).read_bytes())
              for section, drawn in read_all(directory).items()}
    shutil.rmtree(directory, ignore_errors=True)
    for section, by_entry in _with_directives(recorded).items():
        path = path_for(section, directory)
        path.parent.mkdir(parents=True, exist_ok=True)
        kept_drawn, kept_bytes = before.get(path, (None, b""))
        if kept_drawn is not None and not differences({section: by_entry}, {section: kept_drawn}):
            path.write_bytes(kept_bytes)
            continue
        content = {name: [item if isinstance(item, str) else vars(item) for item in drawn]
                   for name, drawn in by_entry.items()}
        # mtime=0: the same charts make the same bytes, so an unchanged file stays unchanged.
        path.write_bytes(gzip.compress(json.dumps(content, sort_keys=True).encode(), mtime=0))


def _with_directives(recorded: Recorded) -> Recorded:
    """The sections with some figure or widget: those a file is kept for."""
    return {section: by_entry for section, by_entry in recorded.items() if by_entry}


def charts_of(drawn: list[Drawn]) -> list[charts.DrawnChart]:
    return [item for item in drawn if isinstance(item, charts.DrawnChart)]


def texts_of(drawn: list[Drawn]) -> list[str]:
    return [item for item in drawn if isinstance(item, str)]


def read(section: str, directory: Path = DIRECTORY) -> dict[str, list[Drawn]]:
    """A section's kept charts and texts by directive (`entry`); none when there is no readable
    file."""
    try:
        content = json.loads(gzip.decompress(path_for(section, directory).read_bytes()))
        return {name: [item if isinstance(item, str) else charts.DrawnChart(**item)
                       for item in drawn]
                for name, drawn in content.items() if _index(name) >= 0}
    except (OSError, ValueError, TypeError, EOFError, AttributeError):
        return {}


def read_all(directory: Path = DIRECTORY) -> Recorded:
    sections = [str(path.relative_to(directory)).removesuffix(".json.gz")
                for path in sorted(directory.glob("*/*.json.gz"))]
    return {section: read(section, directory) for section in sections}


def differences(recorded: Recorded, kept: Recorded) -> list[str]:
    """What differs between freshly recorded charts and the kept ones, one line per section."""
    recorded = _with_directives(recorded)
    lines = []
    for section in sorted(set(recorded) | set(kept)):
        now, then = recorded.get(section, {}), kept.get(section, {})
        changed = sorted((n for n in set(now) | set(then) if not _same_charts(now.get(n),
                                                                              then.get(n))),
                         key=_index)
        if changed:
            lines.append(f"{section}: the charts or texts of directive(s) {changed} differ")
    return lines


def _same_charts(a: list[Drawn] | None, b: list[Drawn] | None) -> bool:
    return a is not None and b is not None and len(a) == len(b) and all(map(_same_item, a, b))


def _same_item(a: Drawn, b: Drawn) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return same_chart(a, b)


def usable() -> bool:
    """Whether kept charts are what a first view here would draw: recorded with no datasets or
    weights downloaded, they are not where some are."""
    return not recording_now() and not data_files.downloaded()


def kept(stem: str, key: str,
         blocks: tuple[literate.Block, ...]) -> dict[int, list[Drawn]]:
    """The section's kept charts (and texts) by directive index, if they are `usable()`: those
    kept for the directive that is at that index in `blocks` now."""
    return matching(stem, key, blocks) if usable() else {}


def matching(stem: str, key: str,
             blocks: tuple[literate.Block, ...]) -> dict[int, list[Drawn]]:
    """The section's kept charts (and texts) by directive index, for the directives at those
    indices now."""
    found = {}
    for name, drawn in read(_section(stem, key)).items():
        index = _index(name)
        block = blocks[index] if index < len(blocks) else None
        if isinstance(block, literate.Directive) and entry(index, block) == name:
            found[index] = drawn
    return found


# Per thread (a session's script runs in its own): the kept charts of the directive being drawn,
# and while recording, the list its charts and texts are kept in.
_serving = threading.local()
_texts = threading.local()


@contextlib.contextmanager
def serving(drawn: list[Drawn] | None) -> Iterator[None]:
    """Within: `served()` and `text()` give these kept charts and texts, to the widget being drawn
    on a section's first view while its chapter's code is not imported."""
    before = getattr(_serving, "drawn", None)
    _serving.drawn = drawn
    try:
        yield
    finally:
        _serving.drawn = before


def served(number: int = 0) -> charts.DrawnChart | None:
    """The `number`th chart kept for the widget being drawn, if it is being served its first view
    (`serving`); None otherwise. A widget that draws its default state draws this chart instead
    of computing it (and so need not import torch): it is what the live widget drew there."""
    drawn = charts_of(getattr(_serving, "drawn", None) or [])
    return drawn[number] if number < len(drawn) else None


def chart(at_default: bool, compute: Callable[[], object], *, key: str | None = None,
          theme: charts.Theme = "streamlit", config: dict | None = None, number: int = 0) -> None:
    """A widget's chart: the `number`th kept for it, if it is at its default and is being
    `served` its first view, else `compute()`'d (a figure, drawn by charts.plotly_chart with
    `key`, `theme` and `config`; a kept chart has its own)."""
    charts.plotly_chart((served(number) if at_default else None) or compute(), key=key,
                        theme=theme, config=config)


def text(number: int, at_default: bool, compute: Callable[[], str]) -> str:
    """A text the widget being drawn shows beside its charts, which takes computing (a caption
    with a trained model's accuracy): its `number`th kept text, if the widget is at its default
    and is being `served` its first view; else `compute()`, kept with its charts while recording
    (`number`: its place among the widget's texts, in the order they are drawn)."""
    kept_texts = texts_of(getattr(_serving, "drawn", None) or [])
    if at_default and number < len(kept_texts):
        return kept_texts[number]
    computed = compute()
    into = getattr(_texts, "into", None)
    if into is not None:
        into.append(computed)
    return computed


def draw(stem: str, key: str, index: int, drawn: list[charts.DrawnChart]) -> None:
    """Draw a widget's kept charts (keys of their own: the live widget's come in the same run)."""
    for number, chart in enumerate(drawn):
        charts.draw(chart, key=f"gtf_first_view:{stem}/{key}:{index}:{number}")


# Kept and live charts are compared as figures, not as text: torch's CPU kernels may split a
# sum among fewer threads on a busy machine, and a trained model's numbers then differ in their
# last bits from run to run (chapter 2's descent paths did, recorded twice under load).
RELATIVE_TOLERANCE, ABSOLUTE_TOLERANCE = 1e-3, 1e-6


def same_chart(a: charts.DrawnChart, b: charts.DrawnChart) -> bool:
    """Whether two charts draw the same: equal but for numbers within the tolerances."""
    return (a.height, a.theme, a.config, a.module) == (b.height, b.theme, b.config, b.module) \
        and same_figure(a.figure, b.figure)


def same_figure(a: str, b: str) -> bool:
    """Whether two figures' JSON texts draw the same (see `same_chart`)."""
    return a == b or _close(json.loads(a), json.loads(b))


def _close(a: object, b: object) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        if "bdata" in a and "bdata" in b:  # a typed array, as Plotly writes NumPy's
            return _close(_typed_array(a).tolist(), _typed_array(b).tolist())
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE) \
            or (math.isnan(a) and math.isnan(b))
    return a == b


def _typed_array(spec: dict) -> object:
    """A NumPy array from Plotly's typed-array JSON (NumPy imported only here: a fresh server's
    first page does not need it)."""
    import numpy as np

    values = np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"]))
    if "shape" not in spec:
        return values
    shape = spec["shape"]  # Plotly writes it as text: "50, 50"
    return values.reshape([int(n) for n in str(shape).split(",")] if isinstance(shape, str)
                          else shape)
