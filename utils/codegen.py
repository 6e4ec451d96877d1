"""Generate each chapter's exercise file and notebooks from its solutions and section sources.

    python -m utils.codegen           # write every chapter's generated files
    python -m utils.codegen --check   # exit 1 if a generated file is stale (the tests run this)

- `exercises/<stem>.py`, a worksheet: a header, the solutions' imports, then per exercise its
  title, difficulty, time and task as a comment and its stub; given code is copied (names starting
  with "_" are solution-only helpers and are left out). It ends with one pytest test per exercise
  and the summary check.
- `exercises/<stem>.ipynb`, the whole lesson: every section's prose and math from
  `pages/<stem>/<n>_<key>.md`, and in place of each directive its notebook form (utils/literate.py):
  an exercise's task, hints in collapsed `<details>`, stub and check cell; a figure's code; a
  question with its answer collapsed. It ends with the summary check.
- `exercises/<stem>_solutions.ipynb`: the same notebook with the reference solutions in place of
  the stubs.

Notebook cell ids come from the cell's content, so adding an exercise changes only its own cells.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path


from utils import literate, registry, sources
from utils.site_config import BRANCH, REPO_URL, ROOT, colab_url, page_url


@dataclass(frozen=True)
class Cell:
    kind: str  # "markdown" or "code"
    text: str
    notebook_only: bool = False
    script_only: bool = False


def meta_line(ex: registry.Exercise) -> str:
    low, high = ex.minutes
    return (f"Difficulty {'🔴' * ex.difficulty}{'⚪' * (5 - ex.difficulty)} · "
            f"Importance {'🔵' * ex.importance}{'⚪' * (5 - ex.importance)} · "
            f"{low}–{high} minutes")


def _header(ch: registry.Chapter) -> str:
    return (
        f"# Chapter {ch.number}: {ch.title} — exercises\n\n"
        f"{ch.blurb}\n\n"
        "Replace each `raise NotImplementedError()` with your answer. Then run every check:\n\n"
        f"    python exercises/{ch.stem}.py\n\n"
        f"or one test per exercise with `pytest exercises/{ch.stem}.py`, or call one check "
        f"yourself, e.g. `tests.test_{ch.exercises[0].name}({ch.exercises[0].name})`.\n\n"
        f"This file is generated from `solutions/{ch.stem}.py`; the lessons, plots and hints are "
        f"on the site: {page_url(ch.stem)}. Open in Colab: {colab_url(ch.stem)}"
    )


_HOW_TO_WORK = (
    "How to work here:\n\n"
    "1. Run the setup cell below first (in Colab it fetches the course code and installs what "
    "Colab lacks).\n"
    "2. For each exercise, replace `raise NotImplementedError()` with your answer, run the "
    "cell, then run the check cell under it.\n"
    "3. *Runtime → Run all* is safe at any time: an exercise you have not done yet prints "
    "\"not yet\" and a wrong answer prints what the check found, and the notebook goes on to "
    "the next one. The last cell checks everything at once.\n"
    "4. Given code (a cell you did not write) holds on to the functions that existed when it "
    "ran: after changing an exercise, run the cells below it again (*Runtime → Run after*).")
_HOW_TO_WORK_SOLVED = (
    "Run the setup cell below first (in Colab it fetches the course code and installs what Colab "
    "lacks); then *Runtime → Run all* runs every solution and its checks.")


def _notebook_header(ch: registry.Chapter, with_solutions: bool = False) -> str:
    solved = (
        "**This copy has the reference solutions filled in**: read it after trying the exercises "
        f"yourself in [the exercise notebook]({colab_url(ch.stem)}), or to check a result.\n\n"
        if with_solutions else "")
    solutions_link = (
        "" if with_solutions else
        f"A copy with the reference solutions filled in is [here]({colab_url(ch.stem, True)}): "
        "try each exercise yourself first.\n\n")
    return (
        f"# Chapter {ch.number}: {ch.title}\n\n"
        f"{ch.blurb}\n\n{solved}"
        "This notebook carries the whole chapter: the explanations, the math, the figures, and "
        "each exercise with its task, hints (click to open), starting code and checks. The same "
        f"lesson is on the site, with interactive figures: **[Chapter {ch.number} on Grokking the "
        f"Fundamentals]({page_url(ch.stem)})**; each section below links to its page.\n\n"
        f"{solutions_link}"
        f"{_HOW_TO_WORK_SOLVED if with_solutions else _HOW_TO_WORK}"
    )


_SCRIPT_SETUP = f'''\
import sys
from pathlib import Path

# The checks live in the repository's `utils` package: import it from the folder above this file.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
try:
    import utils  # noqa: F401
except ImportError:
    sys.exit("This file needs the course's code: put it in the exercises/ folder of a clone of "
             "{REPO_URL} and run it from there.")'''

# What the course code itself needs in Colab beyond what Colab has (torch, numpy, plotly): the
# registry reads the section sources with markdown-it-py. A chapter adds its own (chapter.toml).
COURSE_CODE_INSTALLS = ("markdown-it-py",)


def colab_installs(ch: registry.Chapter) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ch.colab_installs + COURSE_CODE_INSTALLS))


def pinned_requirements(names: tuple[str, ...]) -> list[str]:
    """`name==version` for each of `names`, as requirements.txt pins it."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;#]+)", line.strip())
        if match:
            pins[match[1].lower()] = match[0]
    missing = [name for name in names if name.lower() not in pins]
    if missing:
        raise ValueError(f"requirements.txt pins no version of {missing}")
    return [pins[name.lower()] for name in names]


def _notebook_setup(ch: registry.Chapter) -> str:
    clone_dir = "/content/" + REPO_URL.rstrip("/").rsplit("/", 1)[-1]
    return f'''\
import os
import subprocess
import sys

REPO_URL = "{REPO_URL}"
REF = "{BRANCH}"  # the branch or tag this notebook was built for: its checks match it
CLONE = "{clone_dir}"
PINS = {pinned_requirements(colab_installs(ch))!r}  # as in requirements.txt
if "google.colab" in sys.modules:
    # Colab has torch, numpy and plotly; fetch the course code and the libraries it lacks.
    # Safe to run again: a setup that failed half-way (no "done" mark) is started over.
    done = os.path.join(CLONE, ".setup-done")
    if not os.path.exists(done):
        partial = CLONE + ".partial"
        subprocess.run(["rm", "-rf", CLONE, partial], check=True)
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--branch", REF, REPO_URL,
                        partial], check=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", *PINS], check=True)
        os.rename(partial, CLONE)  # the checkout appears complete or not at all
        open(done, "w").close()
    if CLONE not in sys.path:
        sys.path.insert(0, CLONE)
else:
    # A local Jupyter opened in exercises/: the repository root is one folder up.
    sys.path.insert(0, os.path.abspath(".."))'''


def _section_heading(ch: registry.Chapter, key: str) -> str:
    url = page_url(ch.stem, key)
    return f"## {dict(ch.sections)[key]}\n\n[Read this section on the site]({url})"


def _check_calls(ex: registry.Exercise) -> str:
    return "\n".join(f"tests.{name}({ex.name})" for name in ex.check_names)


def _given_code(stem: str) -> list[tuple[str, str | None]]:
    """The solutions file's statements after its preamble, in order, as (code, exercise name):
    exercise name None for given code (copied), else the exercise whose stub takes its place.
    Names starting with "_" are solution-only helpers and are left out."""
    return [(code, name) for code, name, _ in _top_level_code(stem)]


def _top_level_code(stem: str) -> list[tuple[str, str | None, str | None]]:
    """As _given_code, with each statement's own name: a def's or class's, a constant's
    (`NAME = ...`), or None."""
    ch = registry.chapter(stem)
    exercise_names = {ex.name for ex in ch.exercises}
    lines = sources.solution_text(stem).splitlines()
    first_def = next(i for i in sources.top_level(stem) if i.name)
    out = []
    for item in sources.top_level(stem):
        if item.start < first_def.start or (item.name or "").startswith("_"):
            continue
        if item.name in exercise_names:
            out.append(("", item.name, item.name))
        else:
            own_name = item.name or registry.assigned_name(item.node)
            out.append(("\n".join(lines[item.start - 1:item.end]), None, own_name))
    return out


def _preamble_cells(ch: registry.Chapter, with_solutions: bool = False) -> list[Cell]:
    preamble = sources.module_preamble(ch.stem).rstrip()
    figures = (f"\nfrom utils.figures import {ch.stem} as figures"
               if registry.chapter_module_name(ch.stem, "figures") else "")
    return [
        Cell("markdown", _header(ch), script_only=True),
        Cell("markdown", _notebook_header(ch, with_solutions), notebook_only=True),
        Cell("code", _SCRIPT_SETUP, script_only=True),
        Cell("code", _notebook_setup(ch), notebook_only=True),
        Cell("code", preamble + f"\n\nfrom utils.checks import {ch.stem} as tests",
             script_only=True),
        # In a notebook, an unfinished or wrong exercise's check reports and lets "Run all" go on.
        Cell("code", preamble + f"\n\nfrom utils.local import chapter_checks{figures}\n\n"
                                f"tests = chapter_checks(\"{ch.stem}\")", notebook_only=True),
    ]


def _hints_markdown(ex: registry.Exercise) -> str:
    return "\n\n".join(f"<details><summary>Hint {i} of {len(ex.hints)}</summary>\n\n{hint}\n\n"
                       f"</details>" for i, hint in enumerate(ex.hints, start=1))


def _new_spec_markdown(ex: registry.Exercise, variant: registry.Variant) -> str:
    """The practice ladder's last rung, folded: do the exercise again on the variant's data."""
    calls = "; ".join(f"tests.{name}({ex.name}, variant={variant.key!r})"
                      for name in ex.check_names)
    return (f"\n\n<details><summary>Later: a new specification, {variant.title.lower()}"
            f"</summary>\n\n{variant.summary}\n\nOnce you have done the chapter, write this "
            f"exercise again from a fresh stub and check it on the new data with "
            f"`{calls}`.\n\n</details>")


def _exercise_cells(ex: registry.Exercise, code: str, notebook: bool) -> list[Cell]:
    checks = _check_calls(ex)
    level = "####" if notebook else "###"
    text = (f"{level} Exercise: `{ex.name}` — {ex.title}\n\n{meta_line(ex)}"
            f"{' · bonus' if ex.bonus else ''}\n\n{ex.task}")
    if notebook and ex.hints:
        text += "\n\n" + _hints_markdown(ex)
    text += f"\n\nCheck it with `{checks.splitlines()[0]}`."
    if notebook:
        text += "".join(_new_spec_markdown(ex, variant)
                        for variant in registry.chapter(ex.chapter).variants_of(ex.name))
    cells = [Cell("markdown", text), Cell("code", code)]
    if notebook:
        cells.append(Cell("code", checks))
    return cells


def chapter_cells(stem: str, replacements: dict[str, str] | None = None) -> list[Cell]:
    """The cells of a chapter's exercise file (the worksheet); `replacements` maps exercise names
    to code that takes the place of their stubs (a learner's answers)."""
    replacements = replacements or {}
    ch = registry.chapter(stem)
    by_name = {ex.name: ex for ex in ch.exercises}
    cells = [c for c in _preamble_cells(ch) if not c.notebook_only]
    current_section = None
    for code, name in _given_code(stem):
        if name is None:
            cells.append(Cell("code", code))
            continue
        ex = by_name[name]
        if ex.section != current_section:
            current_section = ex.section
            cells.append(Cell("markdown", _section_heading(ch, ex.section)))
        cells += _exercise_cells(ex, replacements.get(ex.name) or sources.stub_source(ex),
                                 notebook=False)
    cells.append(Cell("code", f'# `pytest exercises/{stem}.py`: one test per exercise (those not '
                              f'done yet are skipped).\nfrom utils.local import pytest_tests\n\n'
                              f'globals().update(pytest_tests("{stem}", globals()))\n\n'
                              f'if __name__ == "__main__":\n{_check_all_call(ch)}'))
    return cells


def _check_all_call(ch: registry.Chapter) -> str:
    """The worksheet's last lines: check everything; with variants, `--variant <key>` checks a
    new specification's exercises on its data."""
    if not ch.variants:
        return f'    from utils.local import check_all\n\n    check_all(globals(), "{ch.stem}")'
    keys = " or ".join(f"`--variant {v.key}`" for v in ch.variants)
    return (f"    # With {keys}: the new specification's exercises, on its data.\n"
            f"    from utils.local import argv_variant, check_all\n\n"
            f'    check_all(globals(), "{ch.stem}", variant=argv_variant())')


def _site_link_note(ch: registry.Chapter, key: str) -> str:
    return (f"*On [this section's page]({page_url(ch.stem, key)}) an interactive figure "
            "stands here.*")


def _directive_cells(ch: registry.Chapter, key: str, directive: literate.Directive,
                     exercise_code: dict[str, str], pending_given: list[str]) -> list[Cell]:
    name = directive.name
    if name == "exercise":
        ex = registry.get(f"{ch.stem}.{directive.argument}")
        given = [Cell("code", code) for code in pending_given]
        pending_given.clear()
        return given + _exercise_cells(ex, exercise_code[ex.name], notebook=True)
    if name == "given":
        return [Cell("code", sources.given_source(ch.stem, directive.argument))]
    if name == "figure":
        return [Cell("code", directive.body.strip())]
    if name == "widget":
        body = directive.body.strip()
        return [Cell("code", body) if body else Cell("markdown", _site_link_note(ch, key))]
    if name == "question":
        prompt, answer = directive.question_parts
        return [Cell("markdown", f"**Question.** {prompt}\n\n<details><summary>Show an answer"
                                 f"</summary>\n\n{answer}\n\n</details>")]
    if name == "fact":
        cue, fact = directive.question_parts
        return [Cell("markdown", f"**Key fact: {cue}**\n\n{fact}")]
    if name == "notebook-only":
        return [Cell("markdown", literate.demote_headings(directive.body.strip()))]
    return []  # site-only, chapter-contents: the page's own


def notebook_cells(stem: str, with_solutions: bool = False) -> list[Cell]:
    """The chapter's notebook: every section's prose and directives, in order (module docstring).
    Given code goes where a `{given} name` directive puts it; the rest just before the exercise
    that follows it in the solutions file (after a section's last exercise: at that section's
    end)."""
    ch = registry.chapter(stem)
    by_name = {ex.name: ex for ex in ch.exercises}
    code = {name: (sources.solution_source(ex) if with_solutions else sources.stub_source(ex))
            for name, ex in by_name.items()}
    # Given code, grouped by the exercise it precedes (None: after the last exercise).
    placed = {d.argument for s in ch.section_sources() for d in s.directives("given")}
    placed_texts = {"\n".join(sources.solution_text(stem).splitlines()[item.start - 1:item.end])
                    for name in placed for item in sources.given_statements(stem, name)}
    given_before: dict[str | None, list[str]] = {}
    waiting: list[str] = []
    for text, name, _ in _top_level_code(stem):
        if name is None:
            if text not in placed_texts:
                waiting.append(text)
        else:
            given_before[name], waiting = waiting, []
    cells = [c for c in _preamble_cells(ch, with_solutions) if not c.script_only]
    last_section = ch.exercises[-1].section if ch.exercises else None
    for source in ch.section_sources():
        cells.append(Cell("markdown", _section_heading(ch, source.key)))
        for block in source.blocks:
            if isinstance(block, literate.Prose):
                cells.append(Cell("markdown", literate.demote_headings(block.text)))
                continue
            pending = given_before.get(block.argument, []) if block.name == "exercise" else []
            cells += _directive_cells(ch, source.key, block, code, list(pending))
        if source.key == last_section:  # given code after the last exercise closes its section
            cells += [Cell("code", text) for text in waiting]
            waiting = []
    cells += [Cell("code", text) for text in waiting]
    cells.append(Cell("markdown", "## All checks at once"))
    # Assigned, so Jupyter shows the printed summary and not the returned dict under it.
    cells.append(Cell("code", f'from utils.local import check_all\n\nresults = check_all(globals(), '
                              f'"{stem}", exit_on_failure=False)'))
    return cells


def render_script(cells: list[Cell]) -> str:
    chunks = []
    for cell in cells:
        if cell.notebook_only:
            continue
        if cell.kind == "markdown":
            body = "\n".join(f"# {line}".rstrip() for line in cell.text.splitlines())
            chunks.append(f"# %% [markdown]\n{body}")
        else:
            chunks.append(f"# %%\n{cell.text}")
    return "\n\n\n".join(chunks) + "\n"


def cell_id(kind: str, text: str, taken: set[str]) -> str:
    """An id from the cell's content (so inserting a cell leaves the others' ids alone); a
    repeated cell gets a numbered suffix."""
    base = hashlib.sha1(f"{kind}\n{text}".encode()).hexdigest()[:12]
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base}-{n}"
    taken.add(found)
    return found


def render_notebook(cells: list[Cell]) -> str:
    import nbformat  # here: the site imports this module for the worksheet, and nbformat is slow

    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                  "language": "python"},
                   "language_info": {"name": "python"}, "colab": {"provenance": []}}
    taken: set[str] = set()
    for cell in cells:
        if cell.script_only:
            continue
        make = nbformat.v4.new_markdown_cell if cell.kind == "markdown" else \
            nbformat.v4.new_code_cell
        nb_cell = make(cell.text)
        nb_cell.id = cell_id(cell.kind, cell.text, taken)
        nb.cells.append(nb_cell)
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def generated_files(stem: str) -> dict[Path, str]:
    return {
        ROOT / "exercises" / f"{stem}.py": render_script(chapter_cells(stem)),
        ROOT / "exercises" / f"{stem}.ipynb": render_notebook(notebook_cells(stem)),
        ROOT / "exercises" / f"{stem}_solutions.ipynb":
            render_notebook(notebook_cells(stem, with_solutions=True)),
    }


def all_generated() -> dict[Path, str]:
    out: dict[Path, str] = {}
    for ch in registry.CHAPTERS:
        if ch.available:
            out.update(generated_files(ch.stem))
    return out


def stale_files() -> list[Path]:
    return [path for path, text in all_generated().items()
            if not path.exists() or path.read_text() != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a file is out of date")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)} (run `python -m utils.codegen`)")
        return 1 if stale else 0
    for path, text in all_generated().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
