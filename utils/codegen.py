"""Generate exercises/<stem>.py and exercises/<stem>.ipynb from solutions/<stem>.py.

    python -m utils.codegen           # write every chapter's exercise file and notebook
    python -m utils.codegen --check   # exit 1 if a generated file is stale (the tests run this)

Both files are built from one list of cells: a header and a setup cell (each different for a
local file and for a notebook), the solutions' imports, then for every exercise a Markdown cell
with its title, difficulty, time and task and a code cell with its stub (the notebook adds a check
cell). Given code is copied; names starting with "_" are solution-only helpers and are left out.
The file ends with one pytest test per exercise and the summary check; the notebook with the
summary check. Every section heading links to its page on the site.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from utils import registry, sources
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


def _notebook_header(ch: registry.Chapter) -> str:
    return (
        f"# Chapter {ch.number}: {ch.title} — exercises\n\n"
        f"{ch.blurb}\n\n"
        f"The lessons, plots and hints are on the site: **[Chapter {ch.number} on Grokking the "
        f"Fundamentals]({page_url(ch.stem)})**; each section below links to its page.\n\n"
        "How to work here:\n\n"
        "1. Run the setup cell below first (in Colab it fetches the course code and installs "
        "two libraries).\n"
        "2. For each exercise, replace `raise NotImplementedError()` with your answer, run the "
        "cell, then run the check cell under it.\n"
        "3. *Runtime → Run all* is safe at any time: an exercise you have not done yet prints "
        "\"not yet\" and a wrong answer prints what the check found, and the notebook goes on to "
        "the next one. The last cell checks everything at once."
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

# What Colab lacks of requirements.txt (it has torch, numpy and plotly), installed at the versions
# requirements.txt pins.
COLAB_INSTALLS = ("einops", "jaxtyping")


def pinned_requirements(names: tuple[str, ...] = COLAB_INSTALLS) -> list[str]:
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


def _notebook_setup() -> str:
    clone_dir = "/content/" + REPO_URL.rstrip("/").rsplit("/", 1)[-1]
    return f'''\
import os
import subprocess
import sys

REPO_URL = "{REPO_URL}"
REF = "{BRANCH}"  # the ref this notebook was opened from: its checks match this notebook
CLONE = "{clone_dir}"
PINS = {pinned_requirements()!r}  # as in requirements.txt
if "google.colab" in sys.modules:
    # Colab has torch, numpy and plotly; fetch the course code and the two libraries it lacks.
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


def chapter_cells(stem: str, replacements: dict[str, str] | None = None) -> list[Cell]:
    """The cells of a chapter's exercise file; `replacements` maps exercise names to code that
    takes the place of their stubs (a learner's answers)."""
    replacements = replacements or {}
    ch = registry.chapter(stem)
    by_name = {ex.name: ex for ex in ch.exercises}
    preamble = sources.module_preamble(stem).rstrip()
    cells = [
        Cell("markdown", _header(ch), script_only=True),
        Cell("markdown", _notebook_header(ch), notebook_only=True),
        Cell("code", _SCRIPT_SETUP, script_only=True),
        Cell("code", _notebook_setup(), notebook_only=True),
        Cell("code", preamble + f"\n\nfrom utils.checks import {stem} as tests",
             script_only=True),
        # In a notebook, an unfinished or wrong exercise's check reports and lets "Run all" go on.
        Cell("code", preamble + f"\n\nfrom utils.local import chapter_checks\n\n"
                                f"tests = chapter_checks(\"{stem}\")", notebook_only=True),
    ]
    current_section = None
    lines = sources.solution_text(stem).splitlines()
    first_def = next(i for i in sources.top_level(stem) if i.name)
    for item in sources.top_level(stem):
        if item.start < first_def.start or (item.name or "").startswith("_"):
            continue
        ex = by_name.get(item.name)
        if ex is None:
            cells.append(Cell("code", "\n".join(lines[item.start - 1:item.end])))
            continue
        if ex.section != current_section:
            current_section = ex.section
            cells.append(Cell("markdown", _section_heading(ch, ex.section)))
        checks = "\n".join(f"tests.{name}({ex.name})" for name in ex.check_names)
        cells.append(Cell("markdown", f"### Exercise: `{ex.name}` — {ex.title}\n\n"
                                      f"{meta_line(ex)}\n\n{ex.task}\n\n"
                                      f"Check it with `{checks.splitlines()[0]}`."))
        cells.append(Cell("code", replacements.get(ex.name) or sources.stub_source(ex)))
        cells.append(Cell("code", checks, notebook_only=True))
    cells.append(Cell("code", f'# `pytest exercises/{stem}.py`: one test per exercise (those not '
                              f'done yet are skipped).\nfrom utils.local import pytest_tests\n\n'
                              f'globals().update(pytest_tests("{stem}", globals()))\n\n'
                              f'if __name__ == "__main__":\n    from utils.local import '
                              f'check_all\n\n    check_all(globals(), "{stem}")',
                      script_only=True))
    cells.append(Cell("markdown", "## All checks at once", notebook_only=True))
    cells.append(Cell("code", f'from utils.local import check_all\n\ncheck_all(globals(), '
                              f'"{stem}", exit_on_failure=False)', notebook_only=True))
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


def render_notebook(cells: list[Cell]) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                  "language": "python"},
                   "language_info": {"name": "python"}, "colab": {"provenance": []}}
    for i, cell in enumerate(c for c in cells if not c.script_only):
        make = nbformat.v4.new_markdown_cell if cell.kind == "markdown" else \
            nbformat.v4.new_code_cell
        nb_cell = make(cell.text)
        nb_cell.id = f"cell-{i:03d}"  # fixed ids keep the output byte-stable
        nb.cells.append(nb_cell)
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def generated_files(stem: str) -> dict[Path, str]:
    cells = chapter_cells(stem)
    return {
        ROOT / "exercises" / f"{stem}.py": render_script(cells),
        ROOT / "exercises" / f"{stem}.ipynb": render_notebook(cells),
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
