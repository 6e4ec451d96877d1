"""What the server computes in the background after it starts (utils/first_views.py: the cached
calls every page's first view makes, recorded in assets/first_views.json) is what the pages then
ask for."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import streamlit as st
from streamlit.runtime.caching import cache_utils

from utils import first_views
from utils.first_views import Call
from utils.site_config import ROOT


def test_the_recorded_first_views_are_current():
    # Every page opened in a fresh process, as `python -m utils.first_views` does: the calls its
    # first views make are exactly the file's (a page's new figure, or a default that changed,
    # would otherwise be computed on the first learner's view instead of in the warm-up).
    done = subprocess.run([sys.executable, "-m", "utils.first_views", "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert " is current (" in done.stderr


def test_the_file_covers_the_heavy_first_views():
    names = {f"{c.module}.{c.name}" for c in first_views.read()}
    assert {"utils.figures.part2_cnns.architecture_table",
            "utils.figures.micrograd.network.reference_boundary",
            "utils.figures.part4_backprop.linear_stack_figure",
            "utils.figures.part3_optimization.race_figure"} <= names
    assert not any(c.module == "__main__" for c in first_views.read())


@pytest.fixture
def computed(monkeypatch) -> list[tuple[str, str, tuple]]:
    """Every st.cache_data miss from now on, as (module, function, arguments)."""
    misses: list[tuple[str, str, tuple]] = []
    handle_miss = cache_utils.CachedFunc._handle_cache_miss

    def recorded(self, cache, value_key, func_args, func_kwargs):
        func = self._info.func
        misses.append((func.__module__, func.__qualname__, tuple(func_args)))
        return handle_miss(self, cache, value_key, func_args, func_kwargs)

    monkeypatch.setattr(cache_utils.CachedFunc, "_handle_cache_miss", recorded)
    st.cache_data.clear()
    return misses


def test_a_replayed_call_fills_the_cache_the_page_reads(computed):
    # Chapter 5.3's first two sections: the landscapes, the noise figure and the race with the
    # widgets' defaults, computed by the warm-up's steps, are read, not computed, by the pages.
    chapter = [c for c in first_views.read() if c.module == "utils.figures.part3_optimization"]
    assert len(chapter) >= 4
    for step in first_views.replay_steps():
        if step.args[0] in chapter:
            step()
    assert {miss[1] for miss in computed} >= {c.name for c in chapter}
    computed.clear()
    for section in ("1_optimizers", "2_adaptive_optimizers"):
        app = first_views.open_page(f"pages/part3_optimization/{section}.md")
        assert not app.exception, [e.value for e in app.exception]
    again = [miss for miss in computed if miss[0] == "utils.figures.part3_optimization"]
    assert not again, f"computed again at first view: {again}"


@st.cache_data
def _echo(*args, **kwargs):
    return args, kwargs


def test_only_calls_that_a_file_can_replay_are_recorded():
    @st.cache_data
    def local(x):
        return x

    assert first_views._as_call(local, (1,), {}) is None  # not its module's attribute
    assert first_views._as_call(_echo, (object(),), {}) is None  # not a literal
    assert first_views._as_call(_echo, (np.float64(0.5),), {}) is None  # nor is this
    assert first_views._as_call(_echo, ({"a", "b"},), {}) is None  # its repr's order varies
    from utils.figures import part5_vaes_gans

    assert first_views._as_call(part5_vaes_gans.faces, (), {}) is None  # NOT_REPLAYED
    # Keyword arguments keep their order: Streamlit's cache key follows it.
    call = first_views._as_call(_echo, ([1, (2.5, "a")],), {"b": 1, "a": -0.0})
    assert call == Call(__name__, "_echo", "([1, (2.5, 'a')],)", "{'b': 1, 'a': -0.0}")
    assert str(call) == f"{__name__}._echo([1, (2.5, 'a')], b=1, a=-0.0)"
    assert call.run() == (([1, (2.5, "a")],), {"b": 1, "a": -0.0})


def test_nothing_that_downloads_is_replayed():
    kept = {f"{c.module}.{c.name}" for c in first_views.read()}
    assert not kept & first_views.NOT_REPLAYED
    assert "utils.experiments.part2_cnns.pretrained_resnet" in first_views.NOT_REPLAYED


def test_a_failing_or_missing_first_view_is_logged_not_raised(tmp_path, caplog):
    path = tmp_path / "first_views.json"
    assert first_views.replay_steps(path) == []  # no file: nothing to compute, the pages will
    assert "missing or unreadable" in caplog.text
    path.write_text('{"calls": null}')
    assert first_views.replay_steps(path) == []
    first_views.write([Call("json", "loads", "('not json',)"), Call("json", "dumps", "(1,)")],
                      path)
    entries = json.loads(path.read_text())
    entries["calls"].append({"module": "json"})  # a hand-edited entry: left out, the rest kept
    path.write_text(json.dumps(entries))
    steps = first_views.replay_steps(path)
    assert [s.args[0].name for s in steps] == ["loads", "dumps"]
    for step in steps:
        step()  # the first raises inside: logged, and the warm-up goes on
    assert "computing a first view: json.loads('not json')" in caplog.text


# The charts kept for a fresh server's first page (utils/first_view_charts.py).


def test_kept_charts_cover_the_sections_whose_first_view_draws_charts():
    from utils import first_view_charts, registry

    kept = first_view_charts.read_all()
    assert len(kept) >= 50  # 57 sections when written
    for section, by_entry in kept.items():
        stem, key = section.split("/")
        blocks = registry.chapter(stem).section_source(key).blocks
        # Each kept directive is a figure or a widget of that section, as it is now, where it is.
        matching = first_view_charts.matching(stem, key, blocks)
        assert len(matching) == len(by_entry), section
        assert all(blocks[i].name in ("figure", "widget") for i in matching), section
        assert all(json.loads(chart.figure)["data"] for drawn in matching.values()
                   for chart in first_view_charts.charts_of(drawn))


def test_kept_charts_are_not_drawn_for_a_directive_that_moved_or_changed():
    import dataclasses

    from utils import first_view_charts, registry

    blocks = registry.chapter("part3_optimization").section_source("optimizers").blocks
    kept = first_view_charts.matching("part3_optimization", "optimizers", blocks)
    assert kept
    index = min(kept)
    changed = list(blocks)
    changed[index] = dataclasses.replace(blocks[index], body=blocks[index].body + "# changed\n")
    assert index not in first_view_charts.matching("part3_optimization", "optimizers",
                                                   tuple(changed))
    moved = (blocks[0], *blocks)  # a block inserted above: every directive one further down
    assert first_view_charts.matching("part3_optimization", "optimizers", moved) == {}


def test_kept_charts_are_used_only_where_no_data_has_been_downloaded(tmp_path, monkeypatch):
    # Recorded with nothing downloaded: where a dataset is on disk (here makemore's names), a
    # first view draws from it, and the kept charts would not be what it draws.
    from utils import data_files, first_view_charts

    monkeypatch.setenv("GTF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    from utils import registry

    def kept(stem: str, key: str) -> dict:
        blocks = registry.chapter(stem).section_source(key).blocks
        return first_view_charts.kept(stem, key, blocks)

    assert kept("makemore_bigrams", "counting")
    names = tmp_path / "data" / data_files.NAMES_FILE.subdir / data_files.NAMES_FILE.filename
    names.parent.mkdir(parents=True)
    names.write_text("emma\n")
    assert data_files.downloaded() == [names]
    assert kept("makemore_bigrams", "counting") == {}
    names.unlink()
    assert kept("part3_optimization", "optimizers")
    weights = data_files.resnet34_checkpoint()
    weights.parent.mkdir(parents=True)
    weights.write_bytes(b"")
    assert kept("part3_optimization", "optimizers") == {}


def test_kept_charts_round_trip_and_their_files_change_only_with_them(tmp_path):
    from utils import charts, first_view_charts

    chart = charts.DrawnChart('{"data": []}', 300, "streamlit", {"displaylogo": False},
                              charts.MODULE)
    other = charts.DrawnChart('{"data": [{}]}', 300, "streamlit", {}, charts.MODULE_3D)
    recorded = {"chapter/section": {"3 widget w 0123": [chart, "accuracy 97%", other],
                                    "5 figure - 4567": []},
                "chapter/none": {"1 figure - 89ab": []}}
    first_view_charts.write(recorded, tmp_path)
    written = first_view_charts.path_for("chapter/section", tmp_path).read_bytes()
    # (A section that drew nothing has its file too: a light chapter draws it from the file.)
    assert first_view_charts.read_all(tmp_path) == {
        "chapter/section": {"3 widget w 0123": [chart, "accuracy 97%", other],
                            "5 figure - 4567": []},
        "chapter/none": {"1 figure - 89ab": []}}
    assert first_view_charts.differences(recorded, first_view_charts.read_all(tmp_path)) == []
    first_view_charts.write(recorded, tmp_path)
    assert first_view_charts.path_for("chapter/section", tmp_path).read_bytes() == written
    # A chart whose numbers differ in their last bits is the same chart: its file is unchanged.
    nearly = charts.DrawnChart('{"data": [{"x": [0.30000000000000004]}]}', 300, "streamlit",
                               {}, charts.MODULE)
    first_view_charts.write({"chapter/bits": {"0 figure - aaaa": [nearly]}}, tmp_path)
    bits = first_view_charts.path_for("chapter/bits", tmp_path).read_bytes()
    same = charts.DrawnChart('{"data": [{"x": [0.3]}]}', 300, "streamlit", {}, charts.MODULE)
    first_view_charts.write({"chapter/bits": {"0 figure - aaaa": [same]}}, tmp_path)
    assert first_view_charts.path_for("chapter/bits", tmp_path).read_bytes() == bits
    first_view_charts.write(recorded, tmp_path)
    changed = {"chapter/section": {"3 widget w 0123": [chart], "5 figure - 4567": []},
               "chapter/none": recorded["chapter/none"],
               "chapter/new": {"2 figure - cdef": [other]}}
    assert first_view_charts.differences(changed, first_view_charts.read_all(tmp_path)) == [
        "chapter/new: the charts or texts of directive(s) ['2 figure - cdef'] differ",
        "chapter/section: the charts or texts of directive(s) ['3 widget w 0123'] differ"]
    other_text = {"chapter/section": {"3 widget w 0123": [chart, "accuracy 98%", other],
                                      "5 figure - 4567": []},
                  "chapter/none": recorded["chapter/none"]}
    assert first_view_charts.differences(other_text, first_view_charts.read_all(tmp_path)) == [
        "chapter/section: the charts or texts of directive(s) ['3 widget w 0123'] differ"]


def test_a_widget_is_served_its_kept_text_only_in_its_default_state():
    from utils import charts, first_view_charts, literate

    chart = charts.DrawnChart('{"data": []}', 300, "streamlit", {}, charts.MODULE)
    computed = []

    def compute(value: str):
        return lambda: computed.append(value) or value

    with first_view_charts.serving([chart, "kept first", "kept second"]):
        assert first_view_charts.served() == chart and first_view_charts.served(1) is None
        assert first_view_charts.text(1, True, compute("second")) == "kept second"
        assert first_view_charts.text(0, False, compute("moved")) == "moved"
        assert first_view_charts.text(2, True, compute("third")) == "third"  # none kept
    assert first_view_charts.text(0, True, compute("not served")) == "not served"
    assert computed == ["moved", "third", "not served"]
    # While recording, a widget's texts are kept with its charts, in the order drawn.
    widget = literate.Directive("widget", "w", "", 1)
    with first_view_charts.recording() as recorded:
        with first_view_charts.directive("chapter", "section", 2, widget):
            first_view_charts.text(0, True, compute("caption"))
    assert recorded == {"chapter/section": {first_view_charts.entry(2, widget): ["caption"]}}


def test_every_kept_place_gives_way_to_the_live_page(tmp_path, monkeypatch):
    # Every section with kept charts, drawn as on a fresh server (its chapter's modules taken as
    # not imported yet): once its run is over, it holds the very charts a warm run draws, no
    # kept widget chart is left beside its live widget, and no note is left.
    from tests.app_charts import chart_specs
    from utils import first_view_charts, registry, section_view
    from utils.site_config import ROOT

    monkeypatch.setenv("GTF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    monkeypatch.setenv("GTF_WARM_UP", "0")
    pages = []
    for section in first_view_charts.read_all():
        stem, key = section.split("/")
        pages.append(str(registry.chapter(stem).section_source(key).path.relative_to(ROOT)))
    for page in pages:
        warm_app = first_views.open_page(page)
        warm = chart_specs(warm_app)
        with monkeypatch.context() as cold:
            cold.setattr(section_view, "_imported", lambda stem, kind: False)
            app = first_views.open_page(page)
        assert not app.exception, (page, [e.value for e in app.exception])
        drawn = chart_specs(app)  # (as figures: a model's numbers may differ in their last bits)
        assert len(drawn) == len(warm) and all(map(first_view_charts.same_figure, drawn, warm)), page
        captions = [c.value for c in app.caption]
        # (Texts a widget keeps with its charts, served on such a first view, are the live ones.)
        assert captions == [c.value for c in warm_app.caption], page
        assert section_view.CONTROLS_NOTE not in captions, page
        assert section_view.LOADING_NOTE not in captions, page


def test_kept_and_live_charts_are_compared_as_figures():
    # A trained model's numbers may differ in their last bits from run to run (torch splits its
    # sums among the threads a busy machine gives it); anything else that differs is a change.
    import plotly.graph_objects as go

    from utils.first_view_charts import same_figure

    def figure(z: np.ndarray, title: str = "loss") -> str:
        return go.Figure(go.Heatmap(z=z), layout={"title": title}).to_json()

    z = np.linspace(0, 1, 6, dtype=np.float32).reshape(2, 3)
    assert same_figure(figure(z), figure(z + 1e-7))
    assert not same_figure(figure(z), figure(z + 0.1))
    assert not same_figure(figure(z), figure(z[:, :2]))
    assert not same_figure(figure(z), figure(z, "accuracy"))
