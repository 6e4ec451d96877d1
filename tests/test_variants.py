"""The practice ladder's "new specification" rung: a chapter's variants run the same checks on a
second dataset, from the page's runner, the local file and the notebook alike."""

from __future__ import annotations

import contextlib
import importlib
import io
import subprocess
import sys
from pathlib import Path

import pytest

from utils import local, registry, sources
from utils.check_runner import run_checks
from utils.checks import variants
from utils.runner import run
from utils.runner.namespace import namespace_for
from utils.site_config import ROOT
from utils.status import Status

CASES = [(ex, v.key) for ch in registry.CHAPTERS if ch.available for v in ch.variants
         for ex in ch.exercises if ex.name in v.exercises]
IDS = [f"{ex.id}@{key}" for ex, key in CASES]


def _verdict(ex: registry.Exercise, obj, variant: str | None):
    with contextlib.redirect_stdout(io.StringIO()):
        return run_checks(ex, obj, variant=variant)


def test_the_seeds_variants_are_declared() -> None:
    assert {(ex.chapter, key) for ex, key in CASES} >= {("micrograd", "circles"),
                                                         ("makemore_bigrams", "more_names"),
                                                         ("makemore_mlp", "more_names")}


@pytest.mark.parametrize("ex, key", CASES, ids=IDS)
def test_the_reference_passes_each_variant_and_the_stub_does_not(ex, key) -> None:
    solution = getattr(importlib.import_module(f"solutions.{ex.chapter}"), ex.name)
    assert _verdict(ex, solution, key).status == Status.PASSED
    namespace = namespace_for(ex)
    exec(compile(sources.stub_source(ex), "<stub>", "exec"), namespace)
    assert _verdict(ex, namespace[ex.name], key).status != Status.PASSED


def _answers(kind: str):
    for ex, key in CASES:
        module = importlib.import_module(f"tests.wrong_answers.{ex.chapter}")
        for name, mistake, fn in getattr(module, kind, []):
            if name == ex.name:
                yield pytest.param(ex, key, fn, id=f"{ex.id}@{key}: {mistake}")


@pytest.mark.parametrize("ex, key, fn", list(_answers("WRONG_ANSWERS")))
def test_every_wrong_answer_is_rejected_on_the_variant_too(ex, key, fn) -> None:
    from tests.test_checks import as_learners

    verdict = _verdict(ex, as_learners(ex, fn), key)
    assert verdict.status in (Status.FAILED, Status.ERROR), "accepted"
    assert ex.name in verdict.message


@pytest.mark.parametrize("ex, key, fn", list(_answers("RIGHT_ANSWERS")))
def test_every_right_answer_passes_on_the_variant_too(ex, key, fn) -> None:
    verdict = _verdict(ex, fn, key)
    assert verdict.status == Status.PASSED, verdict.message


def test_the_checks_data_follows_the_variant() -> None:
    from utils.checks.micrograd import network

    moons = network._loss_case(0, 10)
    with variants.using("circles"):
        circles = network._loss_case(0, 10)
        assert network._points_name() == "two circles"
    assert network._points_name() == "two moons" and variants.current() is None
    # Circles: every point on one of two rings (radii 0.5 and 1, noise 0.1).
    radii = (circles[0] ** 2).sum(axis=1) ** 0.5
    assert ((abs(radii - 0.5) < 0.4) | (abs(radii - 1) < 0.4)).all()
    assert not (moons[0] == circles[0]).all()


def test_the_names_checks_swap_their_list_for_rarer_names_with_the_same_letters() -> None:
    from utils.checks.makemore_mlp.model import NAMES
    from utils.checks.variant_names import case_words
    from utils.data import rarer_ssa_names, ssa_names

    assert case_words(NAMES) == NAMES
    with variants.using("more_names"):
        rarer = case_words(NAMES)
        assert case_words(NAMES) == rarer  # seeded: every run of the checks sees the same
    assert len(rarer) == len(NAMES) and set(rarer) <= set(rarer_ssa_names().words)
    assert not set(rarer) & set(ssa_names().words)  # none of the chapters' own 32 000
    assert set("".join(rarer)) >= set("".join(NAMES))


def test_an_unknown_variant_is_refused_with_what_there_is() -> None:
    ex = registry.get("micrograd.train_moons")
    with pytest.raises(ValueError, match="'circles'"):
        run_checks(ex, object(), variant="spirals")
    with pytest.raises(ValueError, match="none"):
        run_checks(registry.get("micrograd.MLP"), object(), variant="circles")


def test_a_variant_in_chapter_toml_must_name_the_chapters_exercises(tmp_path) -> None:
    with pytest.raises(registry.ChapterError, match="not this chapter's"):
        registry._variants("micrograd", {"circles": {"title": "t", "summary": "s",
                                                    "exercises": ["nope"]}}, {"MLP"})
    with pytest.raises(registry.ChapterError, match="needs summary"):
        registry._variants("micrograd", {"circles": {"title": "t", "exercises": ["MLP"]}},
                           {"MLP"})


def test_the_runner_runs_the_variants_checks() -> None:
    ex = registry.get("micrograd.train_step")
    code = sources.solution_source(ex)
    assert run(ex.id, code, variant="circles").status == Status.PASSED
    # A step that forgets to zero the old gradients: named on the circles' data.
    wrong = run(ex.id, code.replace("model.zero_grad()", "pass"), variant="circles")
    assert wrong.status == Status.FAILED and "circles" in wrong.message, wrong.message
    assert "(Checked on the new specification, two circles instead of two moons" in wrong.message
    assert "passed on the new specification" in run(ex.id, code, variant="circles").message
    # The rarer names are loaded before the runner forks: a sandboxed run can't read the data.
    counts = registry.get("makemore_bigrams.train_neural_bigram")
    result = run(counts.id, sources.solution_source(counts), variant="more_names")
    assert result.status == Status.PASSED, result.message


def test_the_local_file_checks_a_variant_with_a_flag(tmp_path: Path) -> None:
    from utils import answers

    # A solved file, checked as `python -m utils.local` checks a downloaded one.
    path = tmp_path / "micrograd.py"
    path.write_text(answers.reference_file("micrograd", {}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "utils.local", "micrograd", str(path),
                           "--variant", "circles"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "New specification: Two circles" in done.stdout and "3/3 passed" in done.stdout
    # The worksheet itself, all stubs: the flag reaches check_all through its last lines.
    done = subprocess.run([sys.executable, "exercises/micrograd.py", "--variant", "circles"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0/3 passed, 0 failing, 3 not implemented yet" in done.stdout
    assert local.argv_variant(["--variant", "circles"]) == "circles"
    assert local.argv_variant([]) is None


def test_the_notebooks_checks_take_a_variant(capsys) -> None:
    tests = local.chapter_checks("micrograd")
    from solutions.micrograd import train_step

    tests.test_train_step(train_step, variant="circles")
    assert "✓ test_train_step passed" in capsys.readouterr().out
    with pytest.raises(ValueError, match="no variant"):
        tests.test_train_step(train_step, variant="spirals")


@pytest.mark.parametrize("ex, key", CASES, ids=IDS)
def test_the_notebook_offers_each_exercises_new_specification(ex, key) -> None:
    import json

    notebook = json.loads((ROOT / "exercises" / f"{ex.chapter}.ipynb").read_text())
    markdown = "\n".join("".join(c["source"]) for c in notebook["cells"]
                         if c["cell_type"] == "markdown")
    assert f"tests.test_{ex.name}({ex.name}, variant={key!r})" in markdown
