"""The pictures of first-screen charts (utils/chart_snapshots.py) are those of the charts kept for
the first views now: one for each, none left over. (What the page does with them is in
tests/test_browser.py.)"""

from __future__ import annotations

from utils import chart_snapshots, charts
from utils.site_config import ROOT

WRITE = "python -m utils.chart_snapshots --write"


def test_every_first_screen_chart_has_its_picture_and_no_picture_is_stale():
    wanted = chart_snapshots.wanted()
    there = {p.name for p in chart_snapshots.DIRECTORY.glob("*")}
    missing = sorted(f"{section}: {name}" for name, (section, _) in wanted.items()
                     if name not in there)
    assert not missing, f"no picture for these first-screen charts (run {WRITE}): {missing}"
    stale = sorted(there - set(wanted))
    assert not stale, f"pictures of charts no longer kept (run {WRITE}): {stale}"
    for name in there:
        assert (chart_snapshots.DIRECTORY / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name


def test_a_picture_is_named_by_its_charts_figure_height_theme_config_and_bundle():
    kept = next(iter(chart_snapshots.wanted().values()))[1]
    name = chart_snapshots.name_for(kept)
    assert name in chart_snapshots.available()
    for change in ({"height": kept.height + 1}, {"theme": "none" if kept.theme != "none" else
                                                 "streamlit"},
                   {"figure": kept.figure.replace("}", " }", 1)},
                   {"config": {**kept.config, "displaylogo": True}},
                   {"module": charts.MODULE_3D if kept.module == charts.MODULE else charts.MODULE}):
        other = charts.DrawnChart(**{**vars(kept), **change})
        assert chart_snapshots.name_for(other) != name, change


def test_the_benchmark_finds_the_pictures_as_the_site_marks_them():
    source = (ROOT / "benchmarks" / "cold_start.py").read_text(encoding="utf-8")
    assert f'PICTURE_STYLE_MARK = "{chart_snapshots.STYLE_MARK}"' in source
