"""The runner returns each status, with a message a learner can act on."""

import pytest

from utils import registry, sources
from utils.runner import Limits, run

EX = registry.get("part1_ray_tracing.intersect_ray_1d")
GOOD = sources.solution_source(EX)


def test_correct_code_passes_and_its_output_is_kept():
    result = run(EX.id, "print('hello from the learner')\n" + GOOD)
    assert result.status == "passed", result.message
    assert "hello from the learner" in result.stdout
    assert 0 <= result.duration_s < 10


def test_stub_is_not_implemented():
    result = run(EX.id, sources.stub_source(EX))
    assert result.status == "not_implemented"
    assert "NotImplementedError" in result.message


def test_wrong_answer_fails_with_the_checks_message():
    result = run(EX.id, GOOD.replace("(u >= 0) & ", ""))
    assert result.status == "failed"
    assert "behind the ray's origin" in result.message and "expected False, got True" in \
        result.message


def test_syntax_error_shows_the_line():
    result = run(EX.id, "def intersect_ray_1d(ray, segment):\n    return (1 +\n")
    assert result.status == "error"
    assert "SyntaxError on line" in result.message


def test_exception_shows_the_learners_line():
    code = "def intersect_ray_1d(ray, segment):\n    return ray[5, 5] > 0\n"
    result = run(EX.id, code)
    assert result.status == "error"
    assert 'File "<your code>", line 2' in result.message and "IndexError" in result.message


def test_infinite_loop_times_out():
    code = "def intersect_ray_1d(ray, segment):\n    while True:\n        pass\n"
    result = run(EX.id, code, Limits(wall_seconds=2, cpu_seconds=5))
    assert result.status == "timeout"
    assert "longer than 2 s" in result.message


def test_missing_function_is_an_error():
    result = run(EX.id, "x = 1\n")
    assert result.status == "error" and "doesn't define `intersect_ray_1d`" in result.message


def test_printing_pass_and_exiting_is_not_a_pass():
    result = run(EX.id, "print('✓ test_intersect_ray_1d passed')\nimport os\nos._exit(0)\n")
    assert result.status == "error"


def test_output_flood_is_cut():
    code = "for _ in range(200_000):\n    print('x' * 50)\n" + GOOD
    result = run(EX.id, code, Limits(stdout_bytes=4096))
    assert result.status == "passed"
    assert result.stdout_truncated and "output cut" in result.stdout
    assert len(result.stdout) < 5000


def test_environment_is_clean(monkeypatch):
    monkeypatch.setenv("GTF_TEST_SECRET", "hunter2")
    code = "import os\nprint(sorted(os.environ))\n" + GOOD
    result = run(EX.id, code)
    assert result.status == "passed" and "GTF_TEST_SECRET" not in result.stdout


def test_earlier_solutions_are_given():
    later = registry.get("part1_ray_tracing.intersect_rays_1d")
    code = ("def intersect_rays_1d(rays, segments):\n"
            "    return t.tensor([any(intersect_ray_1d(r, s) for s in segments) for r in rays])\n")
    assert run(later.id, code).status == "passed"


def test_unknown_exercise_is_a_programming_error():
    with pytest.raises(KeyError):
        run("part1_ray_tracing.nope", GOOD)


def test_the_debugging_exercise_cannot_borrow_the_reference():
    ex = registry.get("part1_ray_tracing.raytrace_triangle_with_bug")
    result = run(ex.id, "raytrace_triangle_with_bug = raytrace_triangle\n")
    assert result.status == "error" and "NameError" in result.message


ALL = [ex for ch in registry.CHAPTERS if ch.available for ex in ch.exercises]


@pytest.mark.parametrize("ex", ALL, ids=[ex.id for ex in ALL])
def test_every_reference_solution_passes_in_the_sandbox(ex):
    """What a learner who pastes the solution sees: catches anything the sandbox breaks (a
    library writing to /tmp, a lazy import of a file the child may not read...)."""
    result = run(ex.id, sources.solution_source(ex))
    assert result.status == "passed", result.message


def test_a_runs_memory_limit_fits_the_apps_memory():
    """On Community Cloud's 2.7 GB and on a laptop a run keeps 1.5 GB of address space; on a 1 GB
    app it gets less, so one run cannot take the whole app down."""
    from utils.runner.limits import (FORKED_CHILD_BYTES, LEAST_RUN_EXTRA_BYTES, MOST_RUN_BYTES,
                                     SERVER_BYTES, ZYGOTE_BYTES, run_memory_bytes)

    gib = 2**30
    assert run_memory_bytes(int(2.7 * gib), 2) == MOST_RUN_BYTES == 1536 * 2**20
    assert run_memory_bytes(24 * gib, 2) == MOST_RUN_BYTES
    small = run_memory_bytes(gib, 1)
    assert small < gib and small - FORKED_CHILD_BYTES + SERVER_BYTES + ZYGOTE_BYTES <= gib
    assert run_memory_bytes(gib // 2, 4) == FORKED_CHILD_BYTES + LEAST_RUN_EXTRA_BYTES
