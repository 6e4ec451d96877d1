"""Chapter 2, sections 5 and 6: the facts the pages state about the fitting and warping runs, the
learner's fit_line and layer_outputs drawing the live figures in the sandbox, and the widgets."""

import json
import math

import pytest
import torch as t

from solutions import neural_network_basics as reference
from tests.browser_site import open_page
from utils import registry, sources
from utils.answers import reference_file
from utils.demos.neural_network_basics import fitting as demos
from utils.experiments.neural_network_basics import fitting as runs
from utils.experiments.neural_network_basics import warping
from utils.figures.neural_network_basics import fitting as figures
from utils.runner import run_demo
from tests.app_charts import chart_specs

STEM = "neural_network_basics"


# --- what section 5 says about its runs ----------------------------------------------------------

def test_the_loss_curvatures_and_the_learning_rate_limit_the_page_states():
    x, _ = runs.line_data()
    hessian = 2 * t.tensor([[float((x * x).mean()), float(x.mean())], [float(x.mean()), 1.0]])
    small, large = t.linalg.eigvalsh(hessian).tolist()
    assert round(large, 2) == 6.87 and round(small, 2) == 0.43
    assert 0.28 < 2 / large < 0.3


def test_gradient_descent_reaches_least_squares_below_the_limit_and_blows_up_above():
    x, y = runs.line_data()
    best = runs.least_squares(x, y)
    best_loss = runs.mse(x, y, *best)
    for lr in (0.1, 0.2, 0.28):
        path = runs.fit_path(reference.fit_line, lr)
        assert math.isclose(path["slopes"][-1], best[0], abs_tol=1e-3), lr
        assert math.isclose(path["intercepts"][-1], best[1], abs_tol=1e-3), lr
    slow = runs.fit_path(reference.fit_line, 0.01)
    assert abs(slow["slopes"][-1] - best[0]) > 0.02 and slow["losses"][-1] > best_loss
    blown = runs.fit_path(reference.fit_line, 0.3)
    assert blown["losses"][-1] > 1e6 * blown["losses"][0]


def test_polynomials_underfit_then_fit_then_overfit_as_the_page_says():
    fits = runs.polynomial_fits()
    train, held = fits["train_err"], fits["held_err"]
    assert (train[1:] <= train[:-1] + 1e-9).all()  # more parameters never fit the points worse
    assert train[runs.MAX_DEGREE] < 1e-12  # 12 parameters through 12 points
    assert runs.best_degree() == 3
    assert (held[3:8] < 0.15).all() and (held[:3] > 0.25).all()  # good 3-7, underfit 0-2
    assert (held[8:] > 0.9).all() and held[runs.MAX_DEGREE] > 100 * held[3]  # overfit from 8


def test_outside_the_range_the_relu_net_is_straight_and_the_polynomial_shoots_off():
    run = runs.extrapolation()
    grid, relu, poly = run["grid"], run["relu"], run["poly"]
    inside = (grid >= -1) & (grid <= 1)
    assert (relu[inside] - run["truth"][inside]).abs().max() < 0.2
    for side in (grid < -2, grid > 2):  # beyond the last kink: a constant slope
        slopes = relu[side].diff() / grid[side].diff()
        assert (slopes - slopes.mean()).abs().max() < 1e-3
    assert poly.abs()[grid.abs() > 2].max() > 20


def test_the_training_points_stop_short_of_one_where_the_polynomial_turns_away():
    run = runs.extrapolation()
    grid, relu, poly = run["grid"], run["relu"], run["poly"]
    assert round(float(run["x"].min()), 2) == -0.96 and round(float(run["x"].max()), 2) == 0.91
    covered = (grid >= run["x"].min()) & (grid <= run["x"].max())
    assert (poly - relu)[covered].abs().max() < 0.1  # where the points are, the two agree
    at_one = int((grid - 1).abs().argmin())
    assert abs(float(poly[at_one] - run["truth"][at_one])) > 0.3  # already turning away


def test_the_relu_net_bends_gently_outside_the_range_before_going_straight():
    run = runs.extrapolation()
    grid, relu = run["grid"].double(), run["relu"].double()
    slopes = relu.diff() / grid.diff()
    for side in (grid[1:] < -1, grid[1:] > 1):
        assert slopes[side].max() - slopes[side].min() > 0.05  # some kinks lie outside
        assert (slopes[side].sign() == slopes[side][0].sign()).all()  # gently: no turning back


def test_outliers_drag_the_mse_line_more_than_the_mae_line():
    fits = runs.outlier_fits()
    clean = fits["lines"]["MSE without the outliers"][0]
    assert abs(fits["lines"]["MAE"][0] - clean) < 0.1 < abs(fits["lines"]["MSE"][0] - clean)
    pull = fits["pull_mse"].abs()
    assert pull[fits["outlier"]].min() > 2 * pull[~fits["outlier"]].max()
    assert t.allclose(fits["pull_mae"].abs(), t.full_like(pull, 1 / len(pull)))


# --- what section 6 says about its network -------------------------------------------------------

def test_the_trained_network_classifies_every_moon_point_and_the_untrained_does_not():
    trained = warping.trained_moons_net()
    assert trained.accuracy == 1.0 and len(warping.moons()[0]) == 200
    x, y = warping.moons()
    with t.no_grad():
        assert (warping.net_at(0)(x).argmax(1) == y).float().mean() < 0.95


def test_the_last_hidden_layer_is_split_by_the_boundary_the_figure_draws():
    model = warping.trained_moons_net().model
    warped = warping.warp(reference.layer_outputs, model)
    assert len(warped["grid"]) == len(warping.STAGES)
    _, labels = warping.moons()
    w, b = warping.boundary(model)
    side = warped["points"][-2] @ w + b > 0
    assert t.equal(side, labels.bool())
    with t.no_grad():
        assert t.allclose(warped["points"][-1], model(warping.moons()[0]), atol=1e-6)


def test_the_trained_layers_do_what_the_page_says_to_the_moons():
    model = warping.trained_moons_net().model
    first, second = model[0].weight.detach(), model[2].weight.detach()
    stretch, squeeze = t.linalg.svdvals(first).tolist()
    assert stretch > 3 > 0.5 > squeeze and t.linalg.det(first) > 0
    assert t.linalg.det(second) < 0  # the second Linear layer mirrors
    x, labels = warping.moons()
    with t.no_grad():
        hidden = model[:4](x)
    red, blue = hidden[labels == 0], hidden[labels == 1]
    assert red[:, 0].min() > blue[:, 0].max()  # red on the right, blue on the left
    assert ((red[:, 0] > 0.9) | (red[:, 1] < -0.9)).float().mean() > 0.75  # mostly at the edges


def test_tanh_keeps_lines_parallel_to_an_axis_and_the_diagonals_straight_and_bends_the_rest():
    def bend(direction, offset):
        s = t.linspace(-3, 3, 61)[:, None]
        moved = t.tanh(t.tensor(offset) + s * t.tensor(direction))
        chord, rel = moved[-1] - moved[0], moved - moved[0]
        # the farthest the image strays from the straight segment between its ends
        return float((rel[:, 0] * chord[1] - rel[:, 1] * chord[0]).abs().max() / chord.norm())
    assert bend([1.0, 0.0], [0.0, 0.7]) < 1e-6 and bend([0.0, 1.0], [-1.2, 0.0]) < 1e-6
    assert bend([1.0, 1.0], [0.0, 0.0]) < 1e-6 and bend([1.0, -1.0], [0.0, 0.0]) < 1e-6
    assert bend([1.0, 1.0], [1.0, 0.0]) > 0.1 and bend([1.0, 0.5], [0.0, 0.0]) > 0.1


def test_a_network_without_tanh_moves_lines_to_lines():
    """The page's argument, on numbers: an affine map keeps a grid line's points collinear."""
    t.manual_seed(0)
    linear = t.nn.Sequential(t.nn.Linear(2, 2), t.nn.Linear(2, 2))
    line = warping.grid_lines()[:warping.POINTS_PER_LINE]
    with t.no_grad():
        moved = linear(line)
    steps = moved.diff(dim=0)
    cross = steps[:-1, 0] * steps[1:, 1] - steps[:-1, 1] * steps[1:, 0]
    assert cross.abs().max() < 1e-5


@pytest.mark.parametrize("name", list(figures.MATRIX_PRESETS))
def test_each_preset_is_described_as_its_name_says(name):
    words = {"identity": "nothing moves", "scale": "scaling", "rotate": "rotation by 90°",
             "shear": "shear", "reflect": "flipped over", "squash": "det W = 0"}
    text = figures.describe_matrix(t.tensor(figures.MATRIX_PRESETS[name]).reshape(2, 2))
    assert words[name.split()[0]] in text, text


def test_a_matrix_of_determinant_one_is_only_called_a_shear_when_it_is_one():
    assert "shear" in figures.describe_matrix(t.tensor([[1.0, 0.0], [0.5, 1.0]]))
    assert "shear" not in figures.describe_matrix(t.tensor([[2.0, 1.0], [0.0, 0.5]]))


# --- the live figures, from a learner's code in the sandbox ------------------------------------

def test_the_paths_survive_the_trip_and_bad_ones_are_refused():
    paths = demos.validated_paths(demos.fit_line_paths(vars(reference)))
    assert set(paths) == set(runs.LEARNING_RATES)
    assert paths[0.3]["losses"][-1] > 1e6
    for bad in (None, {}, {str(lr): {} for lr in runs.LEARNING_RATES},
                {str(lr): {"steps": list(runs.STEP_COUNTS), "slopes": ["a"]}
                 for lr in runs.LEARNING_RATES}):
        with pytest.raises(ValueError):
            demos.validated_paths(bad)


def test_the_warp_survives_the_trip_and_bad_ones_are_refused():
    warped = demos.validated_warp(demos.warped_layers(vars(reference)))
    assert len(warped["points"]) == len(warping.STAGES)
    good = demos.warped_layers(vars(reference))
    for bad in (None, {"grid": []}, {**good, "points": good["points"][1:]},
                {**good, "grid": [[["x", 1]]] * len(warping.STAGES)}):
        with pytest.raises(ValueError):
            demos.validated_warp(bad)
    with pytest.raises(ValueError, match="no weights"):
        demos.warped_layers(vars(reference), step=7)


def test_the_learners_functions_draw_in_the_sandbox():
    result = run_demo(f"{STEM}.fit_line_paths", reference_file(STEM), {})
    assert result.status == "passed", result.message
    assert demos.validated_paths(result.data)[0.1]["slopes"][0] == 0.0
    # A learner's own (passed) answer is what runs: here one that leaves out the input... twice.
    own = sources.solution_source(registry.get(f"{STEM}.layer_outputs")).replace(
        "outputs.append(h)", "outputs.append(h * 2)")
    result = run_demo(f"{STEM}.warped_layers", reference_file(STEM, {"layer_outputs": own}),
                      {"step": 0})
    assert result.status == "passed", result.message
    doubled = demos.validated_warp(result.data)
    plain = demos.validated_warp(demos.warped_layers(vars(reference), step=0))
    assert t.allclose(doubled["points"][1], 2 * plain["points"][1], atol=1e-3)


def test_notebook_stand_ins_draw_the_reference_for_a_stub_and_report_a_crash():
    def stub(*args):
        raise NotImplementedError()

    def crash(*args):
        raise ValueError("oops")
    for fig in (figures.drawn_with_fit_line(stub), figures.drawn_with_layer_outputs(stub)):
        assert "is not written yet" in fig.layout.title.text and len(fig.data) > 3
    for fig in (figures.drawn_with_fit_line(crash), figures.drawn_with_layer_outputs(crash)):
        assert "raised ValueError: oops" in fig.layout.annotations[0].text


# --- the widgets --------------------------------------------------------------------------------

def test_the_fit_line_toggle_runs_once_and_the_sliders_need_no_new_run():
    app = open_page(f"pages/{STEM}/5_best_fit.md", timeout=120)
    assert not app.exception, [e.value for e in app.exception]
    app.toggle(key="nnfit_line_own").set_value(True).run(timeout=120)
    assert not app.exception and not app.error, [e.value for e in [*app.exception, *app.error]]
    assert any("You have not passed `fit_line` yet" in c.value for c in app.caption)
    kept = dict(app.session_state["nnfit_own_fit_line_paths"])
    app.select_slider(key="nnfit_line_lr").set_value(0.3).run(timeout=60)
    app.select_slider(key="nnfit_line_step").set_value(10).run(timeout=60)
    assert not app.exception
    assert dict(app.session_state["nnfit_own_fit_line_paths"]).keys() == kept.keys()


def test_the_line_chart_draws_the_rate_and_step_the_sliders_pick_and_whose_fit_line_ran():
    def chart() -> dict:
        spec = json.loads(chart_specs(app)[0])
        return {"title": spec["layout"]["title"]["text"],
                "left": spec["layout"]["annotations"][0]["text"]}

    app = open_page(f"pages/{STEM}/5_best_fit.md", timeout=120)
    assert chart() == {"title": "the reference fit_line, lr = 0.1",
                       "left": f"the line after {runs.STEP_COUNTS[-1]} steps"}
    app.select_slider(key="nnfit_line_lr").set_value(0.03).run(timeout=60)
    app.select_slider(key="nnfit_line_step").set_value(10).run(timeout=60)
    assert chart() == {"title": "the reference fit_line, lr = 0.03",
                       "left": "the line after 10 steps"}
    app.select_slider(key="nnfit_line_lr").set_value(0.1).run(timeout=60)
    assert chart()["title"] == "the reference fit_line, lr = 0.1"
    app.toggle(key="nnfit_line_own").set_value(True).run(timeout=120)
    assert chart() == {"title": "the reference fit_line (yours has not passed), lr = 0.1",
                       "left": "the line after 10 steps"}


def test_a_matrix_preset_sets_the_sliders():
    app = open_page(f"pages/{STEM}/6_warping.md", timeout=120)
    assert not app.exception, [e.value for e in app.exception]
    assert app.slider(key="nnfit_w12").value == 1.0  # the shear the menu starts at
    app.selectbox(key="nnfit_matrix_preset").set_value("rotate by 90°").run(timeout=60)
    values = [app.slider(key=f"nnfit_{k}").value for k in ("w11", "w12", "w21", "w22")]
    assert values == [0.0, -1.0, 1.0, 0.0]
    app.checkbox(key="nnfit_matrix_tanh").check().run(timeout=60)
    assert not app.exception
