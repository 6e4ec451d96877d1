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
test fails when they no longer match what the pages draw.

While the chapter's modules are still being imported, once the section's text is sent, a
figure's place shows its chart from the file, final for the run (the check keeps it equal to the
live one), and a widget's place its first chart if 2D, with a note, until the live widget takes
its place at the end of the same run (utils/section_view.py decides which, and leaves out the
biggest). A file is only used where nothing has been downloaded yet (utils/data_files.py): a
page's first view draws the datasets that are on disk, and they were not when the charts were
recorded.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

from utils import charts, data_files
from utils.site_config import ROOT

DIRECTORY = ROOT / "assets" / "first_view_charts"

# A section ("<stem>/<key>") -> each directive's charts, by the directive's index in the
# section's blocks.
Recorded = dict[str, dict[int, list[charts.DrawnChart]]]

_recorded: Recorded | None = None  # while `recording()`


def _section(stem: str, key: str) -> str:
    return f"{stem}/{key}"


@contextlib.contextmanager
def recording() -> Iterator[Recorded]:
    """Within: the charts each directive draws, as `directive` sees them (one process, one
    session at a time: the first view of a section is the first time it is drawn)."""
    global _recorded
    _recorded = {}
    try:
        yield _recorded
    finally:
        _recorded = None


@contextlib.contextmanager
def directive(stem: str, key: str, index: int) -> Iterator[None]:
    """Around the drawing of a section's directive: while recording, its charts are kept (the
    first time it is drawn: a section's first view)."""
    if _recorded is None:
        yield
        return
    with charts.collecting() as drawn:
        yield
    _recorded.setdefault(_section(stem, key), {}).setdefault(index, drawn)


def recording_now() -> bool:
    return _recorded is not None


def path_for(section: str, directory: Path = DIRECTORY) -> Path:
    return directory / f"{section}.json.gz"


def write(recorded: Recorded, directory: Path = DIRECTORY) -> None:
    """One file per section with charts; the directory's earlier files are removed."""
    shutil.rmtree(directory, ignore_errors=True)
    for section, by_index in recorded.items():
        if not any(by_index.values()):
            continue
        path = path_for(section, directory)
        path.parent.mkdir(parents=True, exist_ok=True)
        content = {str(index): [vars(chart) for chart in drawn]
                   for index, drawn in sorted(by_index.items()) if drawn}
        # mtime=0: the same charts make the same bytes, so an unchanged file stays unchanged.
        path.write_bytes(gzip.compress(json.dumps(content, sort_keys=True).encode(), mtime=0))


def read(section: str, directory: Path = DIRECTORY) -> dict[int, list[charts.DrawnChart]]:
    """A section's kept charts by directive index; none when there is no readable file."""
    try:
        content = json.loads(gzip.decompress(path_for(section, directory).read_bytes()))
        return {int(index): [charts.DrawnChart(**chart) for chart in drawn]
                for index, drawn in content.items()}
    except (OSError, ValueError, TypeError, EOFError):
        return {}


def read_all(directory: Path = DIRECTORY) -> Recorded:
    sections = [str(path.relative_to(directory)).removesuffix(".json.gz")
                for path in sorted(directory.glob("*/*.json.gz"))]
    return {section: read(section, directory) for section in sections}


def differences(recorded: Recorded, kept: Recorded) -> list[str]:
    """What differs between freshly recorded charts and the kept ones, one line per section."""
    recorded = {s: {i: d for i, d in by.items() if d} for s, by in recorded.items()}
    recorded = {s: by for s, by in recorded.items() if by}
    lines = []
    for section in sorted(set(recorded) | set(kept)):
        now, then = recorded.get(section, {}), kept.get(section, {})
        changed = sorted(i for i in set(now) | set(then) if now.get(i) != then.get(i))
        if changed:
            lines.append(f"{section}: the charts of directive(s) {changed} differ")
    return lines


def usable() -> bool:
    """Whether kept charts are what a first view here would draw: recorded with no datasets or
    weights downloaded, they are not where some are."""
    return not recording_now() and not data_files.downloaded()


def kept(stem: str, key: str) -> dict[int, list[charts.DrawnChart]]:
    """The section's kept charts by directive index, if they are `usable()`."""
    return read(_section(stem, key)) if usable() else {}


def draw(stem: str, key: str, index: int, drawn: list[charts.DrawnChart]) -> None:
    """Draw a widget's kept charts (keys of their own: the live widget's come in the same run)."""
    for number, chart in enumerate(drawn):
        charts.draw(chart, key=f"gtf_first_view:{stem}/{key}:{index}:{number}")
