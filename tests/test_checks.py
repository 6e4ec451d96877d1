"""Every check passes on the reference solution, and rejects the stub and common wrong answers."""

import contextlib
import importlib
import io

import pytest

from utils import registry, sources
from utils.runner.namespace import namespace_for
from utils.check_runner import check_verdict, run_checks
from utils.site_config import ROOT
from utils.status import Status

AVAILABLE = [ch for ch in registry.CHAPTERS if ch.available]
ALL_EXERCISES = [ex for ch in AVAILABLE for ex in ch.exercises]
IDS = [ex.id for ex in ALL_EXERCISES]


def _quiet_verdict(ex, obj):
    with contextlib.redirect_stdout(io.StringIO()) as out:
        verdict = run_checks(ex, obj)
    return verdict, out.getvalue()


@pytest.mark.parametrize("ex", ALL_EXERCISES, ids=IDS)
def test_reference_solution_passes(ex):
    """Every check passes the reference and prints its one success line when called directly
    (run_checks, which reports the verdict itself, keeps them quiet)."""
    solution = getattr(importlib.import_module(f"solutions.{ex.chapter}"), ex.name)
    checks = importlib.import_module(f"utils.checks.{ex.chapter}")
    with contextlib.redirect_stdout(io.StringIO()) as out:
        failures = [check_verdict(ex, name, lambda name=name: getattr(checks, name)(solution))
                    for name in ex.check_names]
    assert not any(failures), [f.message for f in failures if f]
    for check in ex.check_names:
        assert f"✓ {check} passed" in out.getvalue()


@pytest.mark.parametrize("ex", ALL_EXERCISES, ids=IDS)
def test_stub_is_rejected(ex):
    namespace = namespace_for(ex)
    exec(compile(sources.stub_source(ex), "<stub>", "exec"), namespace)
    verdict, _ = _quiet_verdict(ex, namespace[ex.name])
    # A given-but-buggy stub fails; a `raise NotImplementedError()` stub says "not implemented".
    expected = Status.FAILED if ex.stub_is_buggy else Status.NOT_IMPLEMENTED
    assert verdict.status == expected, verdict.message


def _wrong_answers():
    for ch in AVAILABLE:
        module = importlib.import_module(f"tests.wrong_answers.{ch.stem}")
        for name, mistake, fn in module.WRONG_ANSWERS:
            yield pytest.param(registry.get(f"{ch.stem}.{name}"), mistake, fn,
                               id=f"{name}: {mistake}")


def as_learners(ex, fn):
    """A wrong answer named as the learner's would be (messages name the exercise)."""
    if isinstance(fn, type):  # a class: checks may subclass it, so give it the learner's name
        return type(ex.name, (fn,), {})

    def learner_obj(*args, **kwargs):
        return fn(*args, **kwargs)
    learner_obj.__name__ = ex.name
    return learner_obj


@pytest.mark.parametrize("ex, mistake, fn", list(_wrong_answers()))
def test_wrong_answer_is_rejected_with_a_message(ex, mistake, fn):
    verdict, _ = _quiet_verdict(ex, as_learners(ex, fn))
    assert verdict.status in (Status.FAILED, Status.ERROR), f"{mistake!r} was accepted"
    assert len(verdict.message) > 20 and ex.name in verdict.message


def _right_answers():
    for ch in AVAILABLE:
        module = importlib.import_module(f"tests.wrong_answers.{ch.stem}")
        for name, variant, fn in getattr(module, "RIGHT_ANSWERS", []):
            yield pytest.param(registry.get(f"{ch.stem}.{name}"), fn, id=f"{name}: {variant}")


@pytest.mark.parametrize("ex, fn", list(_right_answers()))
def test_correct_variants_pass(ex, fn):
    verdict, _ = _quiet_verdict(ex, fn)
    assert verdict.status == Status.PASSED, verdict.message


def test_every_exercise_has_wrong_answers_unless_trivial():
    covered = {p.values[0].id for p in _wrong_answers()}
    missing = [ex.id for ex in ALL_EXERCISES if ex.id not in covered]
    assert not missing, f"no wrong answers for {missing}"


def test_messages_name_the_problem():
    from tests.wrong_answers import part1_ray_tracing as wrong
    ex = registry.get("part1_ray_tracing.make_rays_2d")
    verdict, _ = _quiet_verdict(ex, wrong.rays_2d_z_major)
    assert "z-major" in verdict.message
    ex = registry.get("part1_ray_tracing.raytrace_triangle")
    verdict, _ = _quiet_verdict(ex, wrong.raytrace_triangle_float)
    assert "torch.bool" in verdict.message
    ex = registry.get("part1_ray_tracing.raytrace_mesh")
    verdict, _ = _quiet_verdict(ex, wrong.mesh_max_not_min)
    assert "nearest" in verdict.message
    verdict, _ = _quiet_verdict(ex, wrong.mesh_depth_along_x)
    assert "D_x" in verdict.message
    ex = registry.get("part1_ray_tracing.intersect_ray_1d")
    verdict, _ = _quiet_verdict(ex, wrong.intersect_no_singular_guard)
    assert verdict.status == Status.ERROR and "parallel" in verdict.message


def test_a_stub_called_by_another_exercise_is_named():
    """In a local file, checking Module runs the learner's own Parameter: if that is still the
    stub, the message names it rather than blaming Module."""
    ex = registry.get("part4_backprop.Module")
    namespace = dict(vars(importlib.import_module("solutions.part4_backprop")))
    exec(sources.stub_source(registry.get("part4_backprop.Parameter")), namespace)
    exec(sources.solution_source(ex), namespace)
    verdict, _ = _quiet_verdict(ex, namespace["Module"])
    assert verdict.status == Status.NOT_IMPLEMENTED
    assert "`Module` calls `Parameter.__init__`" in verdict.message, verdict.message


def test_chapter1_hand_made_rays_are_float():
    """t.linalg.solve refuses integer tensors, so a ray written with integer coordinates must
    still reach the learner as floats."""
    import torch as t

    from utils.checks import part1_ray_tracing as checks
    assert checks._ray((0, 0, 0), (1, 2, 3)).dtype == t.float32
    for _, ray, segment, _ in checks._RAY_SEGMENT_CASES:
        assert ray.is_floating_point() and segment.is_floating_point()


def _torch_out_of_memory() -> RuntimeError:
    """What torch's allocator raises when it cannot allocate (not a MemoryError)."""
    import torch
    try:
        torch.empty(2**62, dtype=torch.uint8)
    except RuntimeError as err:
        return err
    pytest.skip("this machine allocated 4 EiB")


@pytest.mark.parametrize("error", [MemoryError(), "torch"], ids=["MemoryError", "torch"])
def test_a_check_out_of_memory_is_not_called_the_checks_fault(error):
    # The learner's code ran and kept its memory; the check then failed to allocate: that is not
    # a bug of the check to report, and in the sandbox the run's memory limit is stated.
    from utils.runner.limits import DEFAULT_LIMITS, size_text
    from utils.runner.messages import sandbox_hint

    ex = registry.get("part1_ray_tracing.intersect_ray_1d")
    error = (_torch_out_of_memory() if error == "torch" else error).with_traceback(None)

    def check_that_allocates() -> None:  # a frame of ours (utils/), as a check's is
        raise error

    check_that_allocates.__code__ = check_that_allocates.__code__.replace(
        co_filename=str(ROOT / "utils" / "checks" / "fake.py"))
    verdict = check_verdict(ex, "check", check_that_allocates,
                            hint=lambda err: sandbox_hint(err, DEFAULT_LIMITS))
    assert verdict.status == Status.ERROR
    assert "please report" not in verdict.message
    assert "ran out of memory after your code ran" in verdict.message
    assert f"each run may use about {size_text(DEFAULT_LIMITS.memory_bytes)}" in verdict.message


def test_a_check_that_breaks_otherwise_is_still_reported_as_the_checks():
    ex = registry.get("part1_ray_tracing.intersect_ray_1d")

    def broken_check() -> None:
        raise KeyError("a bug of ours")

    broken_check.__code__ = broken_check.__code__.replace(
        co_filename=str(ROOT / "utils" / "checks" / "fake.py"))
    verdict = check_verdict(ex, "check", broken_check)
    assert "came from the check itself" in verdict.message
