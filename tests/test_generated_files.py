"""The exercise files and notebooks are generated from the solutions and must be current."""

import json
import subprocess
import sys

import pytest

from utils import codegen, registry, sources
from utils.site_config import REPO_URL, ROOT, colab_url

AVAILABLE = [ch for ch in registry.CHAPTERS if ch.available]


def test_generated_files_are_current():
    stale = codegen.stale_files()
    assert not stale, f"stale generated files {stale}: run `python -m utils.codegen`"


def test_solutions_define_exercises_in_registry_order():
    for ch in AVAILABLE:
        defined = [item.name for item in sources.top_level(ch.stem) if item.name]
        positions = [defined.index(ex.name) for ex in ch.exercises]
        assert positions == sorted(positions), f"{ch.stem}: registry order differs from solutions"


@pytest.mark.parametrize("ch", AVAILABLE, ids=[c.stem for c in AVAILABLE])
def test_exercise_file_runs_and_reports_every_exercise(ch):
    out = subprocess.run([sys.executable, f"exercises/{ch.stem}.py"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    for ex in ch.exercises:
        expected = "FAILED" if ex.stub_is_buggy else "not implemented yet"
        line = next(line for line in out.stdout.splitlines() if line.endswith(f" {ex.name}"))
        assert expected in line, out.stdout


def test_local_checker_passes_the_solutions_file():
    out = subprocess.run([sys.executable, "-m", "utils.local", "part1_ray_tracing",
                          "solutions/part1_ray_tracing.py"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "10/10 passed" in out.stdout


@pytest.mark.parametrize("ch", AVAILABLE, ids=[c.stem for c in AVAILABLE])
def test_notebook_sets_itself_up_and_calls_the_checks(ch):
    nb = json.loads((ROOT / "exercises" / f"{ch.stem}.ipynb").read_text())
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert REPO_URL in code[0] and "google.colab" in code[0] and "git" in code[0]
    for ex in ch.exercises:
        assert any(f"tests.test_{ex.name}({ex.name})" in c for c in code)
    assert colab_url(ch.stem).endswith(f"exercises/{ch.stem}.ipynb")


@pytest.mark.parametrize("ch", AVAILABLE, ids=[c.stem for c in AVAILABLE])
def test_notebook_runs_top_to_bottom_with_solutions_pasted_in(ch, tmp_path):
    """Execute the notebook's code cells as a local Jupyter would (from exercises/), with each
    stub replaced by its solution: every check cell must pass."""
    nb = json.loads((ROOT / "exercises" / f"{ch.stem}.ipynb").read_text())
    by_stub = {sources.stub_source(ex): sources.solution_source(ex) for ex in ch.exercises}
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    script = "\n\n".join(by_stub.get(c, c) for c in cells)
    path = tmp_path / "notebook.py"
    path.write_text(script)
    out = subprocess.run([sys.executable, str(path)], cwd=ROOT / "exercises",
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{len(ch.exercises)}/{len(ch.exercises)} passed" in out.stdout


def test_given_code_is_defined_before_the_exercises_that_use_it():
    """A notebook runs top to bottom: an exercise's check cell must not need a later cell."""
    import ast

    for ch in AVAILABLE:
        order = [item.name for item in sources.top_level(ch.stem) if item.name]
        for ex in ch.exercises:
            node = next(i.node for i in sources.top_level(ch.stem) if i.name == ex.name)
            used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            later = [name for name in order[order.index(ex.name) + 1:]
                     if name in used and not name.startswith("_")]
            assert not later, f"{ex.id} uses {later}, defined after it in solutions/{ch.stem}.py"


def test_a_task_needs_nothing_that_only_the_site_shows():
    # The exercise file and the notebook carry the task text, not the page around it.
    from utils.registry.part2_cnns import PUZZLE_TARGETS

    script = (ROOT / "exercises" / "part2_cnns.py").read_text()
    for _, target in PUZZLE_TARGETS:
        assert str(target) in script
    for ex in registry.EXERCISES.values():
        assert "table above" not in ex.task and "plot above" not in ex.task, ex.id
