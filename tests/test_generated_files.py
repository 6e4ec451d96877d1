"""The exercise files and notebooks are generated from the solutions and must be current."""

import json
import subprocess
import sys

import pytest

from tests import two_at_a_time
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


@pytest.fixture(scope="module")
def exercise_file_runs(request):
    def command(item: pytest.Item) -> tuple[str, list[str]] | None:
        stem = two_at_a_time.chapter_stem(item)
        if stem is None or not item.name.startswith("test_exercise_file_runs_and_reports"):
            return None
        return stem, [sys.executable, f"exercises/{stem}.py"]
    with two_at_a_time.runs(request, command, timeout_s=300) as started:
        yield started


@pytest.mark.parametrize("ch", AVAILABLE, ids=[c.stem for c in AVAILABLE])
def test_exercise_file_runs_and_reports_every_exercise(ch, exercise_file_runs):
    out = exercise_file_runs[ch.stem].result()
    for ex in ch.exercises:
        expected = "FAILED" if ex.stub_is_buggy else "not implemented yet"
        line = next(line for line in out.stdout.splitlines() if line.endswith(f" {ex.name}"))
        assert expected in line, out.stdout


def test_local_checker_passes_the_solutions_file():
    out = subprocess.run([sys.executable, "-m", "utils.local", "part1_ray_tracing",
                          "solutions/part1_ray_tracing.py"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    count = len(registry.chapter("part1_ray_tracing").exercises)
    assert f"{count}/{count} passed" in out.stdout


@pytest.mark.parametrize("ch", AVAILABLE, ids=[c.stem for c in AVAILABLE])
def test_notebook_sets_itself_up_and_calls_the_checks(ch):
    nb = json.loads((ROOT / "exercises" / f"{ch.stem}.ipynb").read_text())
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert REPO_URL in code[0] and "google.colab" in code[0] and "git" in code[0]
    for ex in ch.exercises:
        assert any(f"tests.test_{ex.name}({ex.name})" in c for c in code)
    assert colab_url(ch.stem).endswith(f"exercises/{ch.stem}.ipynb")


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


def _notebook_code_cells(stem: str) -> list[str]:
    nb = json.loads((ROOT / "exercises" / f"{stem}.ipynb").read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def test_notebook_links_to_the_site_and_speaks_to_a_notebook_user():
    from utils.site_config import page_url

    for ch in AVAILABLE:
        nb = json.loads((ROOT / "exercises" / f"{ch.stem}.ipynb").read_text())
        markdown = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
        assert page_url(ch.stem) in markdown[0]
        assert "python exercises/" not in markdown[0] and "Run all" in markdown[0]
        used = {ex.section for ex in ch.exercises}
        for key, title in ch.sections:
            if key in used:
                assert any(m.startswith(f"## {title}") and page_url(ch.stem, key) in m
                           for m in markdown), (ch.stem, key)


@pytest.mark.parametrize("ch", AVAILABLE, ids=lambda ch: ch.stem)
def test_setup_cell_pins_the_versions_in_requirements(ch):
    setup = _notebook_code_cells(ch.stem)[0]
    requirements = (ROOT / "requirements.txt").read_text()
    # What the chapter declares (chapter.toml) and what the course code needs (markdown-it-py).
    assert "markdown-it-py" in codegen.colab_installs(ch)
    for name in codegen.colab_installs(ch):
        pin = next(line.split()[0] for line in requirements.splitlines()
                   if line.startswith(f"{name}=="))
        assert repr(pin) in setup
    assert '"--branch", REF' in setup


def test_setup_cell_survives_a_rerun_after_a_failed_setup(tmp_path, monkeypatch):
    """The Colab branch of the setup cell, against a local git repository: a clone that fails
    leaves no half checkout behind, a leftover partial folder is replaced, and a second and third
    run finish and then do nothing."""
    import types

    from utils import site_config

    origin = tmp_path / "origin"
    origin.mkdir()
    (origin / "marker.txt").write_text("course code\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=x"]
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "c"],
                 ["branch", "-q", "-M", site_config.BRANCH]):
        subprocess.run(git + args, cwd=origin, check=True)
    clone = tmp_path / "content" / "course"
    clone.parent.mkdir()
    setup = _notebook_code_cells("part1_ray_tracing")[0]
    setup = (setup.replace(f'"{site_config.REPO_URL}"', f'"file://{origin}"')
             .replace(f'CLONE = "/content/', f'CLONE = "{clone.parent}/'))
    setup = setup.replace(f'CLONE = "{clone.parent}/{site_config.REPO_URL.rsplit("/", 1)[-1]}"',
                          f'CLONE = "{clone}"')
    assert str(clone) in setup and str(origin) in setup
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(sys, "path", list(sys.path))

    # A partial checkout from an earlier, interrupted run, and a ref that fails to clone.
    (clone / "utils").mkdir(parents=True)
    with pytest.raises(subprocess.CalledProcessError):
        exec(setup.replace(f'REF = "{site_config.BRANCH}"', 'REF = "no-such-ref"'), {})
    assert not (clone / ".setup-done").exists()

    for _ in range(2):
        exec(setup, {})
        assert (clone / "marker.txt").read_text() == "course code\n"
        assert (clone / ".setup-done").exists() and str(clone) in sys.path
    assert [p.name for p in clone.parent.iterdir()] == ["course"]  # no temporary clone left


def test_exercise_file_is_a_pytest_file_with_one_test_per_exercise():
    """`pytest exercises/<stem>.py`: unfinished exercises are skipped with the "not yet"
    message, a wrong one fails with its check's message; solved, every test passes."""
    from utils import answers

    stem = "part1_ray_tracing"
    chapter = registry.chapter(stem)
    buggy = [ex for ex in chapter.exercises if ex.stub_is_buggy]
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          f"exercises/{stem}.py"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert f"{len(buggy)} failed, {len(chapter.exercises) - len(buggy)} skipped" in out.stdout, \
        out.stdout
    assert f"not yet: `{chapter.exercises[0].name}` still raises NotImplementedError" in out.stdout
    assert f"FAILED exercises/{stem}.py::test_{buggy[0].name}" in out.stdout

    path = ROOT / "exercises" / "_test_pytest_solved.py"
    path.write_text(answers.reference_file(stem))
    try:
        out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                              str(path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    finally:
        path.unlink()
    assert f"{len(chapter.exercises)} passed" in out.stdout, out.stdout


def test_core_exercises_come_before_bonus_ones_in_each_section():
    for ch in AVAILABLE:
        for key, _ in ch.sections:
            bonus = [ex.bonus for ex in ch.exercises if ex.section == key]
            assert bonus == sorted(bonus), f"{ch.stem}, {key}: a core exercise after a bonus"


def test_a_task_needs_nothing_that_only_the_site_shows():
    # The exercise file and the notebook carry the task text, not the page around it.
    from utils.checks.part2_cnns import PUZZLE_TARGETS

    script = (ROOT / "exercises" / "part2_cnns.py").read_text()
    for _, target in PUZZLE_TARGETS:
        assert str(target) in script
    for ex in registry.EXERCISES.values():
        assert "table above" not in ex.task and "plot above" not in ex.task, ex.id
