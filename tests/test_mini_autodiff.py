"""Chapter 6, section 4: the language-agnostic autodiff spec's test vectors are right (against
torch.autograd), current (against the reference), cover every op, and the verdict on a pasted
engine output names the case and the slip."""

from __future__ import annotations

import json
import math

import pytest
import torch

from utils.experiments.mini_projects import autodiff as vectors


def torch_eval(case: dict) -> tuple[float, dict[str, float]]:
    """The case's graph run by torch in float64: value and input gradients (0 for unused)."""
    xs = {k: torch.tensor(float(x), dtype=torch.float64, requires_grad=True)
          for k, x in case["inputs"].items()}
    val: dict[str, torch.Tensor] = {}
    for node in case["nodes"]:
        op, a = node["op"], [val[i] for i in node.get("args", [])]
        if op == "input":
            out = xs[node["name"]]
        elif op == "const":
            out = torch.tensor(float(node["value"]), dtype=torch.float64)
        elif op in ("add", "sub", "mul", "div"):
            out = getattr(torch, op)(a[0], a[1])
        elif op == "neg":
            out = -a[0]
        elif op == "pow":
            out = a[0] ** node["exponent"]
        else:
            out = getattr(torch, op)(a[0])
        val[node["id"]] = out
    result = val[case["nodes"][-1]["id"]]
    grads = torch.autograd.grad(result, list(xs.values()), allow_unused=True)
    return result.item(), {k: 0.0 if g is None else g.item() for k, g in zip(xs, grads)}


def test_the_committed_vectors_are_current() -> None:
    committed = json.loads(vectors.VECTORS_PATH.read_text())
    assert committed == json.loads(json.dumps(vectors.build_vectors())), (
        "assets/mini_projects/autodiff_vectors.json is stale: run "
        "`python -m utils.experiments.mini_projects.autodiff`")


@pytest.mark.parametrize("case", vectors.build_vectors()["cases"], ids=lambda c: c["name"])
def test_every_case_matches_autograd(case: dict) -> None:
    value, gradients = torch_eval(case)
    expected = case["expected"]
    assert math.isfinite(expected["value"])
    assert expected["value"] == pytest.approx(value, rel=1e-12, abs=1e-12)
    assert expected["gradients"].keys() == gradients.keys()
    for name, grad in gradients.items():
        assert expected["gradients"][name] == pytest.approx(grad, rel=1e-12, abs=1e-12), name


def test_the_cases_cover_every_op_and_have_unique_names() -> None:
    cases = vectors.build_vectors()["cases"]
    assert {node["op"] for case in cases for node in case["nodes"]} == set(vectors.OPS)
    assert len({case["name"] for case in cases}) == len(cases)
    # the hand-written traps are there
    names = {case["name"] for case in cases}
    assert {"input_used_twice", "node_used_twice", "unused_input", "relu_negative",
            "input_id_is_not_its_name", "relu_at_zero"} <= names


def test_the_page_counts_the_cases_it_says() -> None:
    cases = vectors.build_vectors()["cases"]
    assert len(vectors.hand_written_cases()) == 24 and vectors.N_RANDOM == 24
    assert len(cases) == 48
    assert all(case["name"].startswith("random_") for case in cases[24:])


def _reference_output() -> dict:
    return {case["name"]: json.loads(json.dumps(case["expected"]))
            for case in vectors.load_vectors()["cases"]}


def test_a_right_output_passes_and_each_slip_is_named() -> None:
    from utils.checks.mini_projects.autodiff import check_engine_output, engine_verdict

    right = _reference_output()
    check_engine_output(json.dumps(right))
    assert all(v.problem is None for v in engine_verdict(json.dumps(right)))

    def first_problem(output: dict) -> str:
        with pytest.raises(AssertionError) as err:
            check_engine_output(json.dumps(output))
        return str(err.value)

    wrong = _reference_output()
    wrong["mul"]["gradients"]["x"] += 1e-6
    message = first_problem(wrong)
    assert 'case "mul"' in message and "gradient of \"x\" is wrong" in message
    assert "47 of 48 cases are right" in message

    wrong = _reference_output()
    del wrong["unused_input"]["gradients"]["y"]
    assert 'no gradient for input "y"' in first_problem(wrong)

    wrong = _reference_output()
    wrong["const"]["gradients"]["c"] = 4.0
    assert "not inputs: c" in first_problem(wrong)

    wrong = _reference_output()
    wrong["pow_fraction"]["gradients"]["x"] = float(f"{1 / 3:g}")  # printf's default %g
    assert "only 6 significant digits" in first_problem(wrong)

    wrong = _reference_output()
    del wrong["diamond"]
    assert 'case "diamond"' in first_problem(wrong) and "missing" in first_problem(wrong)

    wrong = _reference_output()
    wrong["exp"]["value"] = "1.3"
    assert '"value" should be a finite number' in first_problem(wrong)

    float32 = {name: {"value": float(torch.tensor(r["value"], dtype=torch.float32)),
                      "gradients": {k: float(torch.tensor(g, dtype=torch.float32))
                                    for k, g in r["gradients"].items()}}
               for name, r in _reference_output().items()}
    assert "is wrong" in first_problem(float32)  # the page says a 32-bit engine doesn't pass


def test_unreadable_output_says_where() -> None:
    from utils.checks.mini_projects.autodiff import check_engine_output

    with pytest.raises(AssertionError, match="line 2, column"):
        check_engine_output('{"add":\n  {value: 1}}')
    with pytest.raises(AssertionError, match="one JSON object"):
        check_engine_output("[1, 2]")
