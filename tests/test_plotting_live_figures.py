"""Chapter 1's live figures: the learner's functions draw the page's figures in the sandbox, one
run for every position of a slider, and what comes back is checked before it is drawn."""

import pytest

from solutions import plotting_with_plotly as reference
from tests.browser_site import open_page
from utils import registry, sources
from utils.answers import reference_file
from utils.demos import plotting_with_plotly as demos
from utils.runner import run_demo
from tests.app_charts import chart_specs

STEM = "plotting_with_plotly"


@pytest.mark.parametrize("exercise", list(demos.SETTINGS))
def test_every_setting_draws_the_reference_and_survives_the_trip(exercise):
    options, default = demos.SETTINGS[exercise]
    assert default in options
    texts = demos.figures_for(vars(reference), exercise, list(options))
    figures = demos.validated_figures(texts, len(options))
    expected = demos.draw(getattr(reference, exercise), exercise, default)
    got = figures[list(options).index(default)]
    assert [tr.type for tr in got.data] == [tr.type for tr in expected.data]
    assert len(got.frames) == len(expected.frames)


def test_the_demo_refuses_settings_the_page_does_not_offer():
    with pytest.raises(ValueError, match="not a setting"):
        demos.figures_for(vars(reference), "line_plot", [0.5])
    with pytest.raises(KeyError):
        demos.figures_for(vars(reference), "make_rays_1d", [1])


@pytest.mark.parametrize("data", [None, "x", ["{}"], [1, 2], ["not json"] * 6])
def test_what_comes_back_is_checked(data):
    with pytest.raises(ValueError):
        demos.validated_figures(data, len(demos.LEARNING_RATES))


def test_the_learners_line_plot_draws_in_the_sandbox():
    result = run_demo(f"{STEM}.figures_for", reference_file(STEM),
                      {"exercise": "line_plot", "settings": [0.1, 1.0]})
    assert result.status == "passed", result.message
    figures = demos.validated_figures(result.data, 2)
    assert [tr.name for tr in figures[1].data] == ["train", "validation"]
    # A learner's own (passed) answer is what draws: here one that names its traces in capitals.
    own = sources.solution_source(registry.get(f"{STEM}.line_plot")).replace(
        "name=name", "name=name.upper()")
    result = run_demo(f"{STEM}.figures_for", reference_file(STEM, {"line_plot": own}),
                      {"exercise": "line_plot", "settings": [1.0]})
    assert result.status == "passed", result.message
    assert [tr.name for tr in demos.validated_figures(result.data, 1)[0].data] == \
        ["TRAIN", "VALIDATION"]


def test_the_toggle_draws_with_the_sandbox_and_the_slider_needs_no_new_run():
    app = open_page("pages/plotting_with_plotly/1_figures.md", timeout=120)
    charts = len(chart_specs(app))
    app.toggle(key="pp_line_plot_own").set_value(True).run(timeout=120)
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    assert len(chart_specs(app)) == charts
    assert any("You have not passed `line_plot` yet" in c.value for c in app.caption)
    kept = app.session_state["pp_line_plot_own_figures"]
    app.select_slider(key="pp_line_plot_setting").set_value(0.1).run(timeout=60)
    assert app.session_state["pp_line_plot_own_figures"] is kept or \
        app.session_state["pp_line_plot_own_figures"][1] is kept[1]
