"""Checks for chapter 6's sections 3-5 (forward mode, autodiff in any language).

Section 4's verdict is shared by two routes: `test_eval_graph` runs a learner's Python engine on
the spec's test vectors, and `engine_verdict` reads the JSON an engine in any other language wrote
(pasted on the page, or passed to `check_engine_output` in the notebook). Both compare through
`compare_case`, so a case fails the same way whichever route it came by.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Callable

import torch

from solutions import mini_projects as reference
from utils.checks.assertions import call, passed
from utils.checks.learner_names import reference_names
from utils.experiments.mini_projects.autodiff import load_vectors

__all__ = ["check_engine_output", "engine_verdict", "test_Dual", "test_jvp", "test_eval_graph"]

RELATIVE_TOLERANCE = 1e-9  # float64 engines agree to ~1e-15; float32 ones (~1e-7) don't pass


@dataclass(frozen=True)
class CaseVerdict:
    """One case's outcome: `problem` is None when the engine got it right."""

    name: str
    about: str
    problem: str | None


def _close(got: float, expected: float) -> bool:
    return abs(got - expected) <= RELATIVE_TOLERANCE * max(1.0, abs(expected))


def _digits_note(got: float, expected: float) -> str:
    """A note when `got` is `expected` printed with too few significant digits."""
    for digits in range(1, 10):
        if got == float(f"{expected:.{digits}g}"):
            return (f" (that is the right number printed with only {digits} significant digits: "
                    "print 17, as %.17g does, or your language's shortest round-trip form)")
    return ""


def _number(value: Any) -> float | None:
    """A JSON number as a float (None for anything else, including booleans)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def compare_case(case: dict, result: Any) -> str | None:
    """What is wrong with an engine's result for one case (None if nothing): the value first,
    then each input's gradient, each message with expected vs got."""
    expected = case["expected"]
    if not isinstance(result, dict):
        return f'expected an object {{"value": ..., "gradients": {{...}}}}, got {result!r:.80}'
    value = _number(result.get("value"))
    if value is None or not math.isfinite(value):
        return f'"value" should be a finite number, got {result.get("value")!r:.80}'
    if not _close(value, expected["value"]):
        return (f"the value is wrong: expected {expected['value']!r}, got {value!r}"
                + _digits_note(value, expected["value"]))
    gradients = result.get("gradients")
    if not isinstance(gradients, dict):
        return f'"gradients" should be an object from input name to number, got {gradients!r:.80}'
    for name, want in expected["gradients"].items():
        if name not in gradients:
            return (f'no gradient for input "{name}" (every input needs one, 0 if the output '
                    "doesn't use it)")
        got = _number(gradients[name])
        if got is None or not math.isfinite(got):
            return f'the gradient of "{name}" should be a finite number, got {gradients[name]!r:.80}'
        if not _close(got, want):
            return (f'the gradient of "{name}" is wrong: expected {want!r}, got {got!r}'
                    + _digits_note(got, want))
    extra = sorted(set(gradients) - set(expected["gradients"]))
    if extra:
        return (f"gradients for names that are not inputs: {', '.join(extra)} (constants and "
                "inner nodes are not reported)")
    return None


def verdicts(results: dict, vectors: dict | None = None) -> list[CaseVerdict]:
    """Every case of the test vectors judged against `results` (case name -> result)."""
    vectors = vectors or load_vectors()
    out = []
    for case in vectors["cases"]:
        if case["name"] not in results:
            problem = "missing from the output"
        else:
            problem = compare_case(case, results[case["name"]])
        out.append(CaseVerdict(case["name"], case["about"], problem))
    return out


# --- section 3: forward mode --------------------------------------------------------------------

# (what it computes, how) with a and b Duals: a = 0.7 + 1.0ε, b = -1.3 + 0.5ε
DUAL_CASES = (
    ("a + b", lambda a, b: a + b), ("a + 3", lambda a, b: a + 3), ("3 + a", lambda a, b: 3 + a),
    ("a - b", lambda a, b: a - b), ("a - 3", lambda a, b: a - 3), ("3 - a", lambda a, b: 3 - a),
    ("a * b", lambda a, b: a * b), ("2 * a", lambda a, b: 2 * a), ("a * 2", lambda a, b: a * 2),
    ("a / b", lambda a, b: a / b), ("a / 4", lambda a, b: a / 4), ("3 / b", lambda a, b: 3 / b),
    ("-a", lambda a, b: -a), ("a ** 3", lambda a, b: a ** 3), ("a ** 0.5", lambda a, b: a ** 0.5),
    ("b ** -2", lambda a, b: b ** -2), ("b.sin()", lambda a, b: b.sin()),
    ("a.exp()", lambda a, b: a.exp()),
    ("(a * b + a.sin()).exp() / (1 + b ** 2)",
     lambda a, b: (a * b + a.sin()).exp() / (1 + b ** 2)),
)


def test_Dual(Dual: Callable) -> None:
    probe = call(Dual, 2.5, -1.0, context="building Dual(2.5, -1.0)")
    if (getattr(probe, "real", None), getattr(probe, "dual", None)) != (2.5, -1.0):
        raise AssertionError("Dual(2.5, -1.0) should have .real == 2.5 and .dual == -1.0; got "
                             f".real {getattr(probe, 'real', None)!r}, .dual "
                             f"{getattr(probe, 'dual', None)!r}.")
    for text, f in DUAL_CASES:
        a, b = call(Dual, 0.7, 1.0), call(Dual, -1.3, 0.5)
        got = call(f, a, b, context=f"computing {text} with a = Dual(0.7, 1.0), b = Dual(-1.3, 0.5)")
        want = f(reference.Dual(0.7, 1.0), reference.Dual(-1.3, 0.5))
        where = f"{text} with a = Dual(0.7, 1.0), b = Dual(-1.3, 0.5)"
        if not (hasattr(got, "real") and hasattr(got, "dual")):
            raise AssertionError(f"{where} should be a Dual; got {type(got).__name__} {got!r:.60}.")
        if (a.real, a.dual, b.real, b.dual) != (0.7, 1.0, -1.3, 0.5):
            raise AssertionError(f"{where} changed a or b: each operation returns a new Dual.")
        for part in ("real", "dual"):
            g, w = getattr(got, part), getattr(want, part)
            if isinstance(g, bool) or not isinstance(g, (int, float)) or \
                    not math.isclose(g, w, rel_tol=RELATIVE_TOLERANCE, abs_tol=RELATIVE_TOLERANCE):
                what = "value" if part == "real" else "derivative"
                raise AssertionError(f"{where}: the {what} (.{part}) should be {w!r}, got {g!r}.")
    passed("test_Dual")


def _jvp_cases() -> tuple:
    def scalar(v):
        x, y, z = v
        return (x * y).sin() + z.exp() * x - y / z

    def vector(v):
        x, y = v
        return [x * x * y, (x - y).sin() / (2 + y * y), (x * 0.5).exp()]

    def scalar_torch(v):
        return torch.sin(v[0] * v[1]) + torch.exp(v[2]) * v[0] - v[1] / v[2]

    def vector_torch(v):
        x, y = v
        return torch.stack([x * x * y, torch.sin(x - y) / (2 + y * y), torch.exp(x * 0.5)])

    return (("f(x, y, z) = sin(xy) + exp(z)·x - y/z", scalar, scalar_torch,
             [0.4, -1.1, 0.8], [1.0, 0.5, -2.0]),
            ("f(x, y) = [x²y, sin(x - y)/(2 + y²), exp(x/2)]", vector, vector_torch,
             [1.2, -0.3], [0.0, 1.0]))


def test_jvp(jvp: Callable) -> None:
    # judged with the reference's Dual, so a slip in the learner's Dual can't fail their jvp
    with reference_names(getattr(jvp, "__globals__", None), reference, ("Dual",)):
        _check_jvp(jvp)
    passed("test_jvp")


def _check_jvp(jvp: Callable) -> None:
    for text, f, f_torch, x, v in _jvp_cases():
        calls = []

        def counted(args, f=f):
            calls.append(1)
            return f(args)

        got = call(jvp, counted, list(x), list(v), context=f"jvp for {text} at {x} along {v}")
        value, tangent = torch.func.jvp(f_torch, (torch.tensor(x, dtype=torch.float64),),
                                        (torch.tensor(v, dtype=torch.float64),))
        where = f"jvp(f, {x}, {v}) for {text}"
        if len(calls) != 1:
            raise AssertionError(f"{where} called f {len(calls)} times: seed each input as "
                                 "Dual(x[i], v[i]) and get the whole product from one call.")
        if not (isinstance(got, tuple) and len(got) == 2):
            raise AssertionError(f"{where} should return the pair (f(x), J v); got {got!r:.80}.")
        for name, g, w in (("f(x)", got[0], value), ("J v", got[1], tangent)):
            expected = w.tolist()
            flat_g = g if isinstance(g, list) else [g]
            flat_w = expected if isinstance(expected, list) else [expected]
            if isinstance(expected, list) != isinstance(g, list) or len(flat_g) != len(flat_w) \
                    or not all(isinstance(a, (int, float)) and not isinstance(a, bool)
                               for a in flat_g):
                raise AssertionError(f"{where}: {name} should be "
                                     f"{'a list of floats' if isinstance(expected, list) else 'a float'}"
                                     f" like {expected!r}; got {g!r:.80}.")
            for i, (a, b) in enumerate(zip(flat_g, flat_w)):
                if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12):
                    at = f"[{i}]" if isinstance(expected, list) else ""
                    raise AssertionError(f"{where}: {name}{at} should be {b!r} (torch.func.jvp), "
                                         f"got {a!r}.")


# --- section 4: autodiff in any language ---------------------------------------------------------

def parse_engine_output(text: str) -> dict:
    """The engine's JSON output as a dict from case name to result; ValueError saying where the
    JSON is broken or what its top level should be."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"That is not valid JSON: {err.msg} at line {err.lineno}, column "
                         f"{err.colno}.") from None
    if not isinstance(data, dict):
        raise ValueError('The output should be one JSON object: {"<case name>": {"value": ..., '
                         f'"gradients": {{...}}}}, ...}}; it is a {type(data).__name__}.')
    return data


def engine_verdict(text: str) -> list[CaseVerdict]:
    """The verdict on an engine's pasted JSON output (ValueError if it can't be read)."""
    return verdicts(parse_engine_output(text))


def _raise_first_failure(found: list[CaseVerdict], check_name: str, who: str = "") -> None:
    wrong = [v for v in found if v.problem is not None]
    if wrong:
        first = wrong[0]
        others = "" if len(wrong) == 1 else (
            f" ({len(wrong) - 1} other case{'s' if len(wrong) > 2 else ''} fail too: "
            + ", ".join(v.name for v in wrong[1:6]) + (", ..." if len(wrong) > 6 else "") + ")")
        raise AssertionError(f'{who}case "{first.name}" ({first.about}): {first.problem}{others}. '
                             f"{len(found) - len(wrong)} of {len(found)} cases are right.")
    passed(check_name)


def check_engine_output(text: str) -> None:
    """For the notebook: the verdict on an engine's JSON output, as a check."""
    try:
        found = engine_verdict(text)
    except ValueError as err:
        raise AssertionError(str(err)) from None
    _raise_first_failure(found, "check_engine_output")


def test_eval_graph(eval_graph: Callable) -> None:
    """The learner's Python engine on every case of the spec's test vectors."""
    vectors = load_vectors()
    results = {}
    for case in vectors["cases"]:
        nodes = json.loads(json.dumps(case["nodes"]))  # a copy: an engine may not edit the spec
        out = call(eval_graph, nodes, dict(case["inputs"]),
                   context=f'on case "{case["name"]}" ({case["about"]})')
        if nodes != case["nodes"]:
            changed = next((i for i, (a, b) in enumerate(zip(nodes, case["nodes"])) if a != b),
                           min(len(nodes), len(case["nodes"])))
            raise AssertionError(f'case "{case["name"]}": eval_graph changed the nodes it was '
                                 f"given (first at position {changed}): keep values and gradients "
                                 "in dicts of your own, keyed by node id.")
        if not (isinstance(out, tuple) and len(out) == 2):
            raise AssertionError(f'case "{case["name"]}": eval_graph should return a pair '
                                 f"(value, gradients), got {out!r:.80}")
        results[case["name"]] = {"value": out[0], "gradients": out[1]}
    _raise_first_failure(verdicts(results, vectors), "test_eval_graph", who="eval_graph on ")
