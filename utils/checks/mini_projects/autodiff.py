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

from utils.checks.assertions import passed
from utils.experiments.mini_projects.autodiff import load_vectors

__all__ = ["check_engine_output", "engine_verdict", "test_eval_graph"]

RELATIVE_TOLERANCE = 1e-9  # float64 engines agree to ~1e-15; float32 ones (~1e-7) don't pass


@dataclass(frozen=True)
class CaseVerdict:
    """One case's outcome: `problem` is None when the engine got it right."""

    name: str
    about: str
    problem: str | None


def _close(got: float, expected: float) -> bool:
    return abs(got - expected) <= RELATIVE_TOLERANCE * max(1.0, abs(expected))


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
        return f"the value is wrong: expected {expected['value']!r}, got {value!r}"
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
            return f'the gradient of "{name}" is wrong: expected {want!r}, got {got!r}'
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


def _raise_first_failure(found: list[CaseVerdict], check_name: str) -> None:
    wrong = [v for v in found if v.problem is not None]
    if wrong:
        first = wrong[0]
        others = "" if len(wrong) == 1 else (
            f" ({len(wrong) - 1} other case{'s' if len(wrong) > 2 else ''} fail too: "
            + ", ".join(v.name for v in wrong[1:6]) + (", ..." if len(wrong) > 6 else "") + ")")
        raise AssertionError(f'case "{first.name}" ({first.about}): {first.problem}{others}. '
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
        try:
            out = eval_graph(nodes, dict(case["inputs"]))
        except Exception as err:  # noqa: BLE001  (the message names the case that raised)
            raise AssertionError(f'case "{case["name"]}" ({case["about"]}): eval_graph raised '
                                 f"{type(err).__name__}: {err}") from None
        if not (isinstance(out, tuple) and len(out) == 2):
            raise AssertionError(f'case "{case["name"]}": eval_graph should return a pair '
                                 f"(value, gradients), got {out!r:.80}")
        results[case["name"]] = {"value": out[0], "gradients": out[1]}
    _raise_first_failure(verdicts(results, vectors), "test_eval_graph")
