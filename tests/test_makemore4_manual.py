"""Chapter 4.4, sections 0-2: the saved batch and measurements (current: what the code gives
now), the reference against autograd, the checks' verdicts on the plausible slips, the
"Compare my gradients" demo and the figures."""

from __future__ import annotations

import json
import math

import pytest
import torch
import torch.nn.functional as F

from solutions import makemore_backprop as solutions
from tests.wrong_answers import makemore4_manual as answers
from utils.checks.makemore_backprop import manual as checks
from utils.demos.makemore_backprop import manual as demo
from utils.experiments.makemore_backprop import manual as experiments
from utils.figures.makemore_backprop import manual as figures

STALE = ("what chapter 4.4's section-2 batch was drawn with has changed: run `python -m "
         "utils.experiments.makemore_backprop.manual` and commit assets/makemore_backprop/")


def test_forward_pass_is_chapter_4_3s_network():
    """Twenty atoms, the same loss as F.cross_entropy and the same hpreact as BatchNorm1d in
    training mode (biased variance)."""
    b = experiments.setup()
    params = b.params(torch.float64)
    cache = solutions.forward_pass(params, b.Xb, b.Yb)
    assert tuple(cache) == solutions.FORWARD_NAMES
    assert cache["loss"].item() == pytest.approx(F.cross_entropy(cache["logits"], b.Yb).item(),
                                                 rel=1e-12)
    bn = torch.nn.BatchNorm1d(experiments.N_HIDDEN).double().train()
    with torch.no_grad():
        bn.weight.copy_(params["bngain"][0])
        bn.bias.copy_(params["bnbias"][0])
        torch.testing.assert_close(bn(cache["hprebn"]), cache["hpreact"])


def test_init_params_has_no_zero_or_one_to_hide_behind():
    params = solutions.init_params(generator=torch.Generator().manual_seed(0))
    assert tuple(params) == solutions.PARAM_NAMES
    for name, p in params.items():
        assert p.is_leaf and p.requires_grad and p.dtype == torch.float32
        assert not ((p == 0) | (p == 1)).any(), name


def test_autograd_gradients_leaves_the_parameters_grad_alone():
    b = experiments.setup()
    params = b.params(torch.float64)
    cache, grads = solutions.autograd_gradients(params, b.Xb, b.Yb)
    assert all(p.grad is None for p in params.values())
    assert set(grads) == (set(solutions.FORWARD_NAMES) - {"loss"}) | set(solutions.PARAM_NAMES)
    assert all(grads[name].shape == cache[name].shape for name in solutions.FORWARD_NAMES
               if name != "loss")


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_the_reference_stages_match_autograd(dtype):
    b = experiments.setup()
    params = b.params(dtype)
    cache, grads = solutions.autograd_gradients(params, b.Xb, b.Yb)
    mine = experiments.reference_gradients(cache, params, grads, b.Xb, b.Yb)
    rows = solutions.compare_gradients(mine, grads)
    assert len(rows) == 26 and all(r["approximate"] for r in rows)


def test_the_saved_batch_is_current():
    saved = json.loads(experiments.BATCH_PATH.read_text())
    assert saved["settings"] == experiments.settings(), STALE
    from utils.experiments.makemore_mlp.model import names_split
    if names_split().source != saved["source"]:
        pytest.skip("the names loaded here are not the ones the batch was drawn from")
    fresh = experiments.draw_batch()
    assert (fresh["Xb"], fresh["Yb"], fresh["vocab_size"]) == \
        (saved["Xb"], saved["Yb"], saved["vocab_size"]), STALE
    for dtype in ("float64", "float32"):
        for key, value in saved["measurements"][dtype].items():
            got = fresh["measurements"][dtype][key]
            if isinstance(value, float) and abs(value) > 1e-6:
                assert got == pytest.approx(value, rel=1e-5), (dtype, key, STALE)
            elif not isinstance(value, float):
                assert got == value, (dtype, key, STALE)
    for key in ("lookups", "distinct_symbols", "dot_lookups", "top_letter",
                "top_letter_lookups"):
        assert fresh["measurements"][key] == saved["measurements"][key], STALE


def test_the_pages_numbers_are_the_measured_ones():
    saved = experiments.saved_batch()["measurements"]
    assert f"{saved['float64']['loss']:.3f}" == "3.443"
    assert saved["lookups"] == 96 and saved["distinct_symbols"] == 21
    assert (saved["dot_lookups"], saved["top_letter"], saved["top_letter_lookups"]) == \
        (26, "l", 9)
    for dtype in ("float64", "float32"):
        assert saved[dtype]["exact"] == 25 and saved[dtype]["not_exact"] == ["hpreact"]
    assert f"{saved['float32']['max_diff']:.1e}" == "4.7e-10"
    assert round(saved["float32"]["max_diff"] / saved["float32"]["max_abs_dhpreact"], 8) == \
        pytest.approx(5e-8, abs=0.5e-8)
    assert f"{saved['float64']['max_abs_dlogit_maxes']:.1e}" == "1.2e-17"
    assert f"{saved['float32']['max_abs_dlogit_maxes']:.1e}" == "6.8e-09"
    assert saved["float64"]["max_abs_db1"] < 2e-17 and saved["float64"][
        "max_abs_reference_dlogit_maxes"] < 2e-17
    assert 3e-9 < saved["float32"]["max_abs_db1"] < 5e-9
    assert math.log(27) < saved["float64"]["loss"]


def test_the_checks_name_the_tensor_of_each_slip():
    """Each slip is reported at the tensor it is in (not at one computed from it)."""
    expected = {
        answers.loss_steps_no_mean: ("'logprobs'", "times autograd's"),
        answers.loss_steps_dprobs_times_probs: ("'probs'", "1/x"),
        answers.loss_steps_counts_one_path: ("'counts'", "used twice"),
        answers.loss_steps_counts_sum_sign: ("'counts_sum'", "opposite sign"),
        answers.loss_steps_logit_maxes_not_summed: ("'logit_maxes'", "(32, 1); got (32, 27)"),
        answers.output_db2_not_summed: ("'b2'", "(27,)"),
        answers.output_tanh_of_hpreact: ("'hpreact'", "1 - h**2"),
        answers.bn_gain_no_keepdim: ("'bngain'", "keepdim"),
        answers.bn_bndiff_one_path: ("'bndiff'", "used twice"),
        answers.bn_var_wrong_power: ("'bnvar'", "-1.5"),
        answers.bn_no_mean_path: ("'hprebn'", "mean's path"),
        answers.bn_bessel: ("'bndiff2'", "Bessel"),
        answers.embedding_dC_assigned: ("'C'", "repeated"),
        answers.embedding_demb_not_reshaped: ("'emb'", "(32, 3, 10)"),
    }
    stage_of = {fn: name for name, _, fn in answers.WRONG_ANSWERS}
    for fn, (tensor, rule) in expected.items():
        check = getattr(checks, f"test_{stage_of[fn]}")
        with pytest.raises(AssertionError) as err:
            check(fn)
        message = str(err.value)
        assert f"grads[{tensor}]" in message and rule in message, message


def test_a_float32_learner_passes_and_a_float64_batch_is_checked_tightly():
    """A float32 result gets float32's tolerance; a float64 one a tight one, so a gradient off
    by 1e-5 of its size passes in float32 but not in float64."""
    def off_a_little(cache, Yb):
        g = solutions.backward_loss_steps(cache, Yb)
        g["probs"] = g["probs"] * (1 + 1e-5)
        return g
    with pytest.raises(AssertionError, match="'probs'"):
        checks.test_backward_loss_steps(off_a_little)

    def all_float32(cache, Yb):
        return solutions.backward_loss_steps({k: v.float() for k, v in cache.items()}, Yb)
    checks.test_backward_loss_steps(all_float32)


def test_compare_my_gradients_reports_every_name_and_each_unwritten_stage():
    def stub(*args):
        raise NotImplementedError()

    def crashes(*args):
        raise ValueError("boom")
    namespace = {"backward_loss_steps": answers.loss_steps_counts_one_path,
                 "backward_output_layer": answers.output_db2_not_summed,
                 "backward_batchnorm_steps": stub, "backward_embedding": crashes}
    data = demo.validated_comparison(demo.compare_my_gradients(namespace, "float64"))
    rows = {r["name"]: r for r in data["rows"]}
    assert data["stages"]["backward_batchnorm_steps"] == "not written yet"
    assert data["stages"]["backward_embedding"] == "raised ValueError: boom"
    assert len(rows) == 12
    assert rows["probs"]["exact"] and not rows["counts"]["approximate"]
    assert rows["b2"]["status"] == "wrong shape" and rows["b2"]["your_shape"] == [32, 27]
    json.dumps(data)  # plain data: it crosses the sandbox's pipe as JSON
    fig = figures.gradient_table(data)
    names = fig.data[0].cells.values[0]
    assert "counts" in names and names.count("–") == 2


def test_compare_my_gradients_refuses_an_unknown_dtype():
    with pytest.raises(ValueError):
        demo.compare_my_gradients(vars(solutions), "float16")


def test_the_reference_table_is_all_green():
    data = figures.reference_comparison("float32")
    assert len(data["rows"]) == 26 and all(r["approximate"] for r in data["rows"])
    fills = figures.reference_gradient_table().data[0].cells.fill.color[0]
    assert set(fills) == {figures.OK_FILL}


def test_the_notebook_stand_in_names_unwritten_stages():
    fig = figures.your_gradients({"backward_output_layer": solutions.backward_output_layer})
    approx = fig.data[0].cells.values[4]
    assert list(approx).count("not written yet") == 3


def test_the_figures_are_read_from_forward_pass():
    steps = figures.forward_steps()
    assert [s.name for s in steps] == list(solutions.FORWARD_NAMES)
    assert steps[0].code == "C[Xb]" and steps[0].reads == ("C", "Xb")
    assert {s.name for s in steps if sum(s.name in t.reads for t in steps) > 1} == \
        {"hprebn", "bndiff", "logits", "counts"}
    table = figures.intermediates_table()
    assert list(table.data[0].cells.values[3])[:3] == ["(32, 3, 10)", "(32, 30)", "(32, 64)"]
    graph = figures.computation_graph()
    twice = next(t for t in graph.data if t.name and t.name.startswith("read by two"))
    assert sorted(twice.text) == sorted(f"{n} {s}" for n, s in (
        ("hprebn", "(n, hidden)"), ("bndiff", "(n, hidden)"), ("logits", "(n, vocab)"),
        ("counts", "(n, vocab)")))


def test_the_compare_button_runs_the_stages_in_the_sandbox():
    """On a fresh session every stage is a stub: the sandboxed run comes back and the table
    says each stage is not written yet, in place of the reference's."""
    from tests.browser_site import open_page
    app = open_page("pages/makemore_backprop/2_manual_backward.md", timeout=180)
    assert not app.exception, [e.value for e in app.exception]
    app.button(key="mm4_cmp_button").click().run(timeout=180)
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    kept = app.session_state["mm4_cmp_own"]
    assert kept[0] == "float32"
    assert set(kept[1]["stages"].values()) == {"not written yet"} and kept[1]["rows"] == []
    # The caption above describes the table now shown (the learner's), not the reference's.
    captions = " ".join(c.value for c in app.caption)
    assert "shows each as not written yet" in captions and "reference solutions'" not in captions
