"""Chapter 4.3, sections 4-6: the deep network, the saved runs (current: what the code computes
now, and what the pages say about them), the figures, and "Diagnose my network" (in process, in
the sandbox, and the notebook's stand-in with unwritten exercises)."""

from __future__ import annotations

import inspect
import math
from pathlib import Path

import pytest
import torch

from solutions import makemore_activations as solutions
from utils.answers import reference_file
from utils.demos.makemore_activations import batchnorm as demo
from utils.experiments.makemore_activations import batchnorm as experiments
from utils.figures.makemore_activations import batchnorm as figures
from utils.runner import run_demo

STEM = "makemore_activations"
PAGES = Path(__file__).resolve().parents[1] / "pages" / STEM
STALE = ("what chapter 4.3's saved batch-norm runs were computed from has changed: run `"
         f"{experiments.SCRIPT}` and commit assets/makemore_activations/bn_runs.json")


@pytest.fixture(scope="module")
def saved() -> dict:
    return experiments.bn_runs()


def _close(a: float | None, b: float | None, rel: float = 1e-4) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-6)


# ---------------------------------------------------------------------------------------------
# The network


def test_karpathys_deep_network_has_47024_parameters_and_the_documented_layers():
    C, layers = solutions.deep_network(generator=torch.Generator().manual_seed(0))
    params = [C] + [p for layer in layers for p in layer.parameters()]
    assert sum(p.numel() for p in params) == 47_024
    assert all(p.requires_grad and p.is_leaf for p in params)
    kinds = [type(layer).__name__ for layer in layers]
    assert kinds == ["Linear", "BatchNorm1d", "Tanh"] * 5 + ["Linear", "BatchNorm1d"]
    assert all(layer.bias is None for layer in layers if kinds[layers.index(layer)] == "Linear")
    assert torch.allclose(layers[-1].gamma, torch.full((27,), 0.1))
    _, plain = solutions.deep_network(generator=torch.Generator().manual_seed(0),
                                      batchnorm=False)
    assert [type(layer).__name__ for layer in plain] == ["Linear", "Tanh"] * 5 + ["Linear"]
    # The gain multiplies the hidden weights only; the last layer is scaled by last_scale.
    g = torch.Generator().manual_seed(1)
    _, one = solutions.deep_network(generator=g, batchnorm=False, gain=1.0, last_scale=1.0)
    g = torch.Generator().manual_seed(1)
    _, two = solutions.deep_network(generator=g, batchnorm=False, gain=2.0, last_scale=0.5)
    assert torch.allclose(two[0].weight, 2 * one[0].weight)
    assert torch.allclose(two[-1].weight, 0.5 * one[-1].weight)


def test_the_batchnorm_networks_output_does_not_depend_on_the_gain():
    """What section 4 says: without biases, batch norm divides the weights' scale out."""
    X = torch.randint(0, 27, (32, 3), generator=torch.Generator().manual_seed(0))
    Y = torch.randint(0, 27, (32,), generator=torch.Generator().manual_seed(1))
    losses = []
    for gain in (0.1, 1.0, 10.0):
        C, layers = solutions.deep_network(generator=torch.Generator().manual_seed(2),
                                           gain=gain)
        losses.append(solutions.deep_loss(C, layers, X, Y).item())
    assert max(losses) - min(losses) < 1e-4


# ---------------------------------------------------------------------------------------------
# The saved runs


def test_the_saved_runs_cover_every_case_and_setting(saved):
    diag = saved["diagnostics"]
    assert list(diag) == list(experiments.CASES), STALE
    for name, case in experiments.CASES.items():
        run = diag[name]
        assert run["label"] == case["label"], STALE
        assert run["settings"] == {"batchnorm": case["batchnorm"], "gain": pytest.approx(
            case["gain"], rel=1e-5), "lr": case["lr"], "steps": experiments.DIAG_STEPS,
            "seed": experiments.SEED}, STALE
        assert len(run["ratios"]) == experiments.DIAG_STEPS
        assert all(len(r) == 6 for r in run["ratios"])
        for when in ("init", "end"):
            assert len(run[when]["act_hist"]) == len(run[when]["act_stats"]) == 5
            assert len(run[when]["wgrad_shapes"]) == 6
    sweep = saved["gain_sweep"]
    assert sweep["gains"] == pytest.approx(list(experiments.SWEEP_GAINS), rel=1e-5), STALE
    assert sweep["steps"] == experiments.SWEEP_STEPS, STALE


def test_the_saved_healthy_run_and_two_sweep_points_are_what_the_code_computes(saved):
    ns = experiments.reference_namespace()
    case = experiments.CASES["healthy"]
    run = experiments._rounded(experiments.diagnose_run(
        ns, batchnorm=case["batchnorm"], gain=case["gain"], lr=case["lr"],
        steps=experiments.DIAG_STEPS))
    old = saved["diagnostics"]["healthy"]
    assert _close(run["dev"], old["dev"]), STALE
    for when in ("init", "end"):
        for key in ("act_stats", "grad_stats"):
            for new, was in zip(run[when][key], old[when][key]):
                assert all(_close(new[k], was[k]) for k in was), STALE
    assert all(_close(a, b, 1e-3) for a, b in zip(run["ratios"][-1], old["ratios"][-1])), STALE
    sweep = saved["gain_sweep"]
    for key, bn, i in (("bn", True, 0), ("no_bn", False, 4)):
        point = experiments.diagnose_run(ns, batchnorm=bn, gain=sweep["gains"][i],
                                         lr=sweep["lr"], steps=sweep["steps"], record=False)
        assert _close(point["dev"], sweep[key]["dev"][i]), STALE


def test_the_pages_state_the_measured_numbers(saved):
    text = (PAGES / "4_batchnorm.md").read_text() + (PAGES / "5_diagnostics.md").read_text()
    text = " ".join(text.split())  # line breaks inside a sentence
    for key, value in experiments.page_numbers(saved).items():
        assert value in text, f"the pages should state {key} = {value!r}: {STALE}"
    # Section 4: "the first step's loss is ... for every gain" with batch norm.
    firsts = {f"{v:.3f}" for v in saved["gain_sweep"]["bn"]["first"]}
    assert len(firsts) == 1
    # Section 4's claims about the sweep's shape.
    bn, no_bn = saved["gain_sweep"]["bn"]["dev"], saved["gain_sweep"]["no_bn"]["dev"]
    assert max(bn) - min(bn) < (max(no_bn) - min(no_bn)) / 3
    assert min(no_bn) < min(bn)
    assert "offline SSA names" in text


def test_the_broken_cases_show_what_section_5_says(saved):
    diag = saved["diagnostics"]
    stds = [d["std"] for d in diag["no_gain"]["init"]["act_stats"]]
    assert stds == sorted(stds, reverse=True)  # fading layer after layer
    assert all(d["saturated"] > 0.4 for d in diag["big_gain"]["init"]["act_stats"])
    grads = [d["std"] for d in diag["big_gain"]["init"]["grad_stats"]]
    assert grads == sorted(grads, reverse=True)  # growing on the way back to layer 1
    assert all(d["saturated"] < 0.05 for d in diag["healthy"]["init"]["act_stats"])
    assert diag["small_lr"]["dev"] > 3.2 and diag["big_lr"]["dev"] > math.log(27)
    assert diag["bn_big_lr"]["dev"] < diag["healthy"]["dev"]
    # The small-rate run's ratios are two orders of magnitude below the healthy one's.
    last = lambda case: sum(diag[case]["ratios"][-1][:5]) / 5  # noqa: E731
    assert last("small_lr") < last("healthy") - 1.5


# ---------------------------------------------------------------------------------------------
# Figures


def test_the_gain_sweep_figure_draws_both_curves(saved):
    fig = figures.gain_sweep_figure()
    assert [t.name for t in fig.data] == ["with batch norm", "without batch norm"]
    assert list(fig.data[0].y) == saved["gain_sweep"]["bn"]["dev"]
    assert fig.layout.xaxis.type == "log"


@pytest.mark.parametrize("kind", list(figures.KINDS))
@pytest.mark.parametrize("when", ["init", "end"])
def test_the_case_figures_draw_one_line_per_layer_in_each_panel(kind, when):
    fig = figures.case_figure("healthy", "no_gain", kind, when)
    per_panel = 6 if kind in ("weight gradients", "update ratios") else 5
    assert len(fig.data) == 2 * per_panel
    assert {t.xaxis for t in fig.data} == {"x", "x2"}
    if kind == "update ratios":
        assert [s.y0 for s in fig.layout.shapes] == [-3, -3]  # the guide line in each panel
    if kind == "activations":
        assert "saturated" in fig.data[0].name
    if kind == "weight gradients":
        assert "grad:data" in fig.data[0].name


def test_an_unknown_plot_kind_is_refused():
    with pytest.raises(ValueError, match="kind must be one of"):
        figures.diagnostics_figure({}, "losses")


def test_the_ratio_table_lists_every_case():
    table = figures.ratio_table().data[0]
    assert len(table.cells.values[0]) == len(experiments.CASES)


# ---------------------------------------------------------------------------------------------
# "Diagnose my network"


def test_the_demo_with_the_reference_is_the_saved_healthy_run_and_refuses_bad_settings(saved):
    ns = {**experiments.reference_namespace(), "BatchNorm1d": solutions.BatchNorm1d}
    run = demo.diagnose_network(ns, steps=50)
    assert len(run["ratios"]) == 50
    healthy = saved["diagnostics"]["healthy"]
    assert all(_close(a["std"], b["std"]) for a, b in zip(run["init"]["act_stats"],
                                                         healthy["init"]["act_stats"]))
    for bad in ({"steps": 5}, {"steps": demo.MAX_STEPS + 1}, {"lr": 10.0}, {"gain": 0.0}):
        with pytest.raises(ValueError):
            demo.diagnose_network(ns, **bad)


def test_runs_from_the_sandbox_are_checked_before_drawing(saved):
    good = saved["diagnostics"]["healthy"]
    assert demo.validated_run(good, experiments.DIAG_STEPS) is good
    short = {**good, "ratios": good["ratios"][:10]}
    with pytest.raises(ValueError, match="once per step"):
        demo.validated_run(short, experiments.DIAG_STEPS)
    wrong_len = {**good, "ratios": [r[:3] for r in good["ratios"]]}
    with pytest.raises(ValueError, match="one per parameter"):
        demo.validated_run(wrong_len, experiments.DIAG_STEPS)
    extra = {**good, "end": {**good["end"], "act_stats": good["end"]["act_stats"] * 2}}
    with pytest.raises(ValueError, match="one dict per Tanh layer"):
        demo.validated_run(extra, experiments.DIAG_STEPS)
    with pytest.raises(ValueError):
        demo.validated_run([1, 2], 2)


def test_the_learners_network_is_diagnosed_in_the_sandbox():
    result = run_demo(f"{STEM}.diagnose_network", reference_file(STEM),
                      {"batchnorm": True, "gain": 5 / 3, "lr": 0.1, "steps": 100})
    assert result.status == "passed", result.message
    run = demo.validated_run(result.data, 100)
    assert all(d["saturated"] < 0.1 for d in run["init"]["act_stats"])


def test_the_notebook_stand_in_uses_the_reference_for_unwritten_exercises():
    """A notebook's globals: its own Tanh class (given code), and stubs that raise."""
    ns = dict(vars(solutions))
    ns = {k: v for k, v in ns.items() if not k.startswith("_")}
    exec(compile("class Tanh:\n"
                 "    def __call__(self, x):\n"
                 "        self.out = torch.tanh(x)\n"
                 "        return self.out\n"
                 "    def parameters(self):\n"
                 "        return []\n"
                 "class BatchNorm1d:\n"
                 "    def __init__(self, dim, eps=1e-5, momentum=0.1):\n"
                 "        raise NotImplementedError()\n"
                 "def activation_stats(layers, threshold=0.97):\n"
                 "    raise NotImplementedError()\n", "<notebook>", "exec"), ns)
    for written in (solutions.gradient_stats, solutions.update_ratios):  # seeing their Tanh
        exec(compile(inspect.getsource(written), "<notebook>", "exec"), ns)
    # The given deep_network, as the notebook defines it: looking names up in the notebook.
    ns["deep_network"] = type(solutions.deep_network)(solutions.deep_network.__code__, ns,
                                                      "deep_network",
                                                      solutions.deep_network.__defaults__,
                                                      None)
    ns["deep_network"].__kwdefaults__ = solutions.deep_network.__kwdefaults__
    fig = figures.your_diagnostics(ns, "activations", "init", steps=20)
    assert "the reference" in fig.layout.annotations[0].text
    assert "BatchNorm1d" in fig.layout.annotations[0].text
    assert "activation_stats" in fig.layout.annotations[0].text
    assert len(fig.data) == 10  # five layers of theirs, five of the saved run
    assert ns["BatchNorm1d"].__module__ != solutions.__name__  # their stub is back in place
    assert solutions.Tanh is not ns["Tanh"] and solutions.Tanh.__module__ == solutions.__name__
