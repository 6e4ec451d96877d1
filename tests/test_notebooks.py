"""The generated notebooks run top to bottom ("Run all"), as a learner's local Jupyter would:
the solutions notebook passes every check and draws every figure; the exercise notebook, with
nothing solved, goes through to the end and reports "not yet" instead of stopping."""

import json
import sys
from pathlib import Path

import pytest

from tests import two_at_a_time
from utils import literate, registry
from utils.site_config import ROOT

CHAPTERS = [ch for ch in registry.CHAPTERS if ch.available]


def _notebook(stem: str, solutions: bool) -> Path:
    return ROOT / "exercises" / (f"{stem}_solutions.ipynb" if solutions else f"{stem}.ipynb")


@pytest.fixture(scope="module")
def runs(request):
    def command(item: pytest.Item) -> tuple[Path, list[str]] | None:
        stem = two_at_a_time.chapter_stem(item)
        if stem is None:
            return None
        path = _notebook(stem, solutions=item.name.startswith("test_the_solutions_notebook"))
        return path, [sys.executable, "-m", "tests.run_notebook", str(path)]
    with two_at_a_time.runs(request, command) as started:
        yield started


@pytest.fixture
def notebook_run(runs):
    def result(path: Path) -> dict:
        """The notebook's run (tests/run_notebook.py), with what it wrote to stderr as
        "stderr"."""
        out = runs[path].result()
        assert out.returncode == 0, out.stderr[-3000:]
        return {**json.loads(out.stdout.splitlines()[-1]), "stderr": out.stderr}
    return result


def _figure_code(ch: registry.Chapter) -> set[str]:
    return {d.body.strip() for source in ch.section_sources()
            for d in source.directives("figure") + source.directives("widget") if d.body.strip()}


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.stem)
def test_the_solutions_notebook_passes_every_check_and_draws_every_figure(ch, notebook_run):
    result = notebook_run(_notebook(ch.stem, solutions=True))
    assert result["errors"] == []
    count = len(ch.exercises)
    assert f"{count}/{count} passed" in result["stdout"], result["stdout"][-2000:]
    drawn = {v["source"].strip(): v["type"] for v in result["values"]}
    for code in _figure_code(ch):
        assert drawn.get(code) == "plotly.graph_objs._figure.Figure", (code, drawn.get(code))


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.stem)
def test_the_exercise_notebook_runs_to_the_end_with_nothing_solved(ch, notebook_run):
    result = notebook_run(_notebook(ch.stem, solutions=False))
    # Figures that draw the learner's own functions may not work before they are written; every
    # other cell must run (the checks report instead of raising).
    figure_code = _figure_code(ch)
    assert [e for e in result["errors"] if e["source"].strip() not in figure_code] == []
    # Each unfinished exercise says "not yet"; a given buggy stub prints its check's message.
    for ex in ch.exercises:
        if ex.stub_is_buggy:
            assert f"✗ FAILED {ex.check_names[0]}:" in result["stderr"], ex.id
        else:
            assert f"· not yet: `{ex.name}`" in result["stdout"], ex.id
    assert "NotImplementedError:" not in result["stderr"]  # no bare traceback
    assert f"0/{len(ch.exercises)} passed" in result["stdout"], result["stdout"][-2000:]
