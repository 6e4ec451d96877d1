"""Every page runs under Streamlit's AppTest without an exception, within a time budget."""

import re
import time

import pytest

from tests.app_charts import chart_specs
from tests.app_code import code_blocks
from tests.browser_site import open_page, raw_latex
from tests.plotly_arrays import values
from utils import registry
from utils.first_views import page_names
from utils.site_config import ROOT

PAGES = page_names()


def test_pages_hold_only_sources_and_widgets():
    # A chapter folder is its sections' literate sources, chapter.toml and widgets.py (or a
    # widgets/ package); a stray .py page would never be shown (the navigation draws sections from
    # their sources).
    for path in (ROOT / "pages").rglob("*.py"):
        assert path.name in ("home.py", "widgets.py") or "widgets" in path.parts[-2:-1] or \
            "__pycache__" in path.parts, path


@pytest.fixture(scope="module", params=PAGES)
def opened(request) -> tuple[str, object, float]:
    """A page, run once under AppTest, and the seconds that took: each page's tests share the
    run (module scope: pytest runs them one after the other and then lets the run go)."""
    started = time.perf_counter()
    app = open_page(request.param, timeout=120)
    return request.param, app, time.perf_counter() - started


def test_page_runs_without_exception(opened):
    page, app, seconds = opened
    assert not app.exception, [e.value for e in app.exception]
    assert app.title, f"{page} shows no title"
    # Each exercise of the section, and only those, once: the page is drawn from its source.
    shown = [m[1] for e in app.markdown for m in [re.search(r"Exercise: `(\w+)`", e.value)] if m]
    section = re.fullmatch(r"pages/(\w+)/\d+_(\w+)\.md", page)
    expected = [ex.name for ex in registry.chapter(section[1]).exercises
                if ex.section == section[2]] if section else []
    assert shown == expected, (page, shown)
    print(f"{page}: {seconds:.2f} s")


@pytest.mark.parametrize("page, button", [
    ("pages/part2_cnns/2_training.md", "train_mlp"),
    ("pages/part2_cnns/3_convolutions.md", "train_convnet"),
    ("pages/part3_optimization/3_sweeps.md", "run_sweep"),
])
def test_training_demos_train_and_plot(page, button):
    app = open_page(page)
    charts_before = len(chart_specs(app))
    app.button(key=button).click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert len(chart_specs(app)) >= charts_before + 2
    # The progress bar ends on the result's accuracy.
    assert any("accuracy" in str(p.proto.text) for p in app.get("progress"))


def test_sweep_selects_on_dev_and_reports_test_once():
    app = open_page("pages/part3_optimization/3_sweeps.md")
    app.slider(key="sweep_count").set_value(5).run()
    app.button(key="run_sweep").click().run()
    assert not app.exception, [e.value for e in app.exception]
    table = app.dataframe[0].value
    assert "dev_accuracy" in table.columns and not any("test" in c for c in table.columns)
    assert any("test accuracy, measured once" in s.value for s in app.success)


def test_feature_extraction_demo_trains_a_head():
    app = open_page("pages/part2_cnns/4_resnets.md")
    app.button(key="train_head").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("test accuracy" in str(p.proto.text) for p in app.get("progress"))


CONTROL_CHARACTERS = "\x07\x08\x0b\x0c\t\r"  # what "\a", "\b", "\v", "\f", "\t" become in a
# non-raw string: the usual trace of LaTeX (\frac, \beta, \text...) written without r"..."


def test_registry_text_has_no_mangled_latex():
    for ex in registry.EXERCISES.values():
        for text in (ex.task, ex.title, *ex.hints):
            assert not any(c in text for c in CONTROL_CHARACTERS), (ex.id, text[:80])
            for math in _math_spans(text):
                assert not re.search(r"\\\\[a-zA-Z]", math), (ex.id, math[:80])


def _math_spans(text: str) -> list[str]:
    """The $...$ and $$...$$ spans of a markdown text."""
    return ["".join(span) for span in re.findall(r"\$\$(.+?)\$\$|\$(.+?)\$", text, flags=re.S)]


def test_page_text_has_no_mangled_latex(opened):
    page, app, _ = opened
    for element in [*app.markdown, *app.caption, *app.info]:
        assert not any(c in element.value for c in CONTROL_CHARACTERS), element.value[:80]
        # `\\times` in an rf-string reaches KaTeX as a line break and the word "times".
        for math in _math_spans(element.value):
            assert not re.search(r"\\\\[a-zA-Z]", math), (page, math[:80])
    texts = [e.value for e in [*app.markdown, *app.caption, *app.info, *app.warning]]
    texts += [e.label for e in app.expander]
    found = {text[:60]: raw_latex(text) for text in texts if raw_latex(text)}
    assert not found, (page, found)
    # Plotly shows $...$ as typed unless MathJax is loaded, which Streamlit doesn't do.
    for chart in chart_specs(app):
        assert "$" not in chart, (page, chart[:200])


def test_race_beta2_is_shown_as_chosen():
    """beta2 = 0.999 must not read 1.00 on its slider."""
    app = open_page("pages/part3_optimization/2_adaptive_optimizers.md")
    beta2 = app.select_slider(key="race_b2_1")  # optimizer 2 is Adam by default
    assert beta2.value == 0.999
    assert "0.999" in beta2.options and "0.9999" in beta2.options


def test_race_and_landscape_figures_leave_room_for_their_axis_labels():
    from utils.figures import part3_optimization as figures

    figure, _ = figures.race_figure("three wells", (("SGD", (("lr", 0.1),)),), 10)
    assert figure.layout.yaxis.automargin and figure.layout.margin.l >= 40
    for name in figures.LANDSCAPES:  # the landscapes from above: on the site, in the notebook
        for view in ("heatmap", "both"):  # (beside the surface, a scene, it has x and y too)
            layout = figures.landscape_figure(name, view).layout
            assert layout.xaxis.automargin and layout.yaxis.automargin


def test_the_race_table_says_when_a_path_diverged():
    """The banana's walls throw SGD at lr 0.02 further each step until it overflows: the table
    says at which step, not nan; at lr 0.001 it ends in the valley, lower than it started."""
    import torch as t

    from utils.figures import part3_optimization as figures

    _, (fast, slow) = figures.race_figure(
        "Rosenbrock's banana", (("SGD", (("lr", 0.02), ("momentum", 0.9))),
                                ("SGD", (("lr", 0.001), ("momentum", 0.9)))), 100)
    # (Its loss overflows at step 3, at x ~ -1.9e9; its position at step 5.)
    assert fast["final loss"] == "diverged: overflowed at step 3"
    assert fast["final x"] == fast["final y"] == "—"
    assert abs(slow["final y"] - slow["final x"] ** 2) < 0.1  # on the valley's floor, y = x²
    assert slow["final loss"] < figures.LANDSCAPES["Rosenbrock's banana"].fn(
        *map(t.tensor, figures.LANDSCAPES["Rosenbrock's banana"].start)).item()


def test_the_training_page_shows_the_given_evaluate():
    from utils import sources

    app = open_page("pages/part2_cnns/2_training.md", timeout=120)
    assert sources.source_of("part2_cnns", "evaluate").rstrip("\n") in code_blocks(app)


def test_the_range_test_runs_when_asked():
    """Chapter 5.3's range test trains for seconds, so the page runs it on a button press."""
    app = open_page("pages/part3_optimization/3_sweeps.md", timeout=300)
    charts = len(chart_specs(app))
    app.button(key="range_test").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert len(chart_specs(app)) == charts + 1
    assert any("reaches a dev accuracy of" in m.value for m in app.markdown)


def test_race_figure_keeps_paths_that_leave_the_landscape_in_view():
    from utils.figures import part3_optimization as figures

    figure, summary = figures.race_figure("pathological curve", (("Adam", (("lr", 0.2),)),), 100)
    assert summary[0]["final y"] < figures.LANDSCAPES["pathological curve"].y_range[0]
    low, high = figure.layout.yaxis.range
    path = values(figure.data[1].y)
    assert low <= path.min() and path.max() <= high


def test_a_sweep_page_reruns_after_its_sweep():
    # A cached run that drove a progress bar must not replay it on the next rerun (Streamlit's
    # CacheReplayClosureError): the sweep's table stays, with no error.
    app = open_page("pages/part3_optimization/3_sweeps.md")
    app.slider(key="sweep_count").set_value(5).run()
    app.button(key="run_sweep").click().run()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.dataframe


def test_the_server_warm_up_imports_every_chapter_figures_and_widgets():
    import sys

    registry.import_page_modules()
    expected = [name for ch in registry.CHAPTERS if ch.available
                for kind in ("figures", "widgets")
                for name in [registry.chapter_module_name(ch.stem, kind)] if name]
    assert len(expected) > len(registry.CHAPTERS)  # nearly every chapter has both
    assert [name for name in expected if name not in sys.modules] == []


def _markdown_tables(app) -> list[str]:
    return [m.value for m in app.markdown if m.value.startswith("| ")]


def test_first_view_tables_are_markdown_not_data_grids():
    # A data grid on a page's first view makes a fresh browser fetch and compile Streamlit's grid
    # and Arrow (about 1.3 MB of script) before the page shows: these small tables need neither.
    race = open_page("pages/part3_optimization/2_adaptive_optimizers.md", timeout=120)
    assert not race.dataframe
    (summary,) = [t for t in _markdown_tables(race) if t.startswith("| optimizer | final x")]
    assert "SGD(lr=0.02, momentum=0.9)" in summary and "| Adam(" in summary
    resnets = open_page("pages/part2_cnns/4_resnets.md", timeout=120)
    assert not resnets.dataframe
    (stages,) = [t for t in _markdown_tables(resnets) if t.startswith("| stage | output shape")]
    assert "| layer4 (3 blocks) | (512, 7, 7) |" in stages
    assert "| fc | (1000,) | 513,000 |" in stages
