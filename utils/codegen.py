"""Generate exercises/<stem>.py and exercises/<stem>.ipynb from solutions/<stem>.py.

    python -m utils.codegen           # write every chapter's exercise file and notebook
    python -m utils.codegen --check   # exit 1 if a generated file is stale (the tests run this)

Both files are built from one list of cells: a header, a setup cell (different for a local file
and for Colab), the solutions' imports, then for every exercise a Markdown cell with its title,
difficulty, time and task and a code cell with its stub. Given code is copied; names starting
with "_" are solution-only helpers and are left out.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from utils import registry, sources
from utils.site_config import REPO_URL, ROOT, colab_url


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
        "or call one check yourself, e.g. "
        f"`tests.test_{ch.exercises[0].name}({ch.exercises[0].name})`.\n\n"
        f"This file is generated from `solutions/{ch.stem}.py`; the prose, plots and hints are "
        f"on the site. Open in Colab: {colab_url(ch.stem)}"
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


def _notebook_setup() -> str:
    clone_dir = "/content/" + REPO_URL.rstrip("/").rsplit("/", 1)[-1]
    return f'''\
import os
import subprocess
import sys

REPO_URL = "{REPO_URL}"
if "google.colab" in sys.modules:
    # Colab has torch, numpy and plotly; fetch the course code and the two libraries it lacks.
    if not os.path.isdir("{clone_dir}"):
        subprocess.run(["git", "clone", "--depth", "1", REPO_URL, "{clone_dir}"], check=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "einops", "jaxtyping"],
                       check=True)
    sys.path.insert(0, "{clone_dir}")
else:
    # A local Jupyter opened in exercises/: the repository root is one folder up.
    sys.path.insert(0, os.path.abspath(".."))'''


def chapter_cells(stem: str, replacements: dict[str, str] | None = None) -> list[Cell]:
    """The cells of a chapter's exercise file; `replacements` maps exercise names to code that
    takes the place of their stubs (a learner's answers)."""
    replacements = replacements or {}
    ch = registry.chapter(stem)
    by_name = {ex.name: ex for ex in ch.exercises}
    section_titles = dict(ch.sections)
    cells = [
        Cell("markdown", _header(ch)),
        Cell("code", _SCRIPT_SETUP, script_only=True),
        Cell("code", _notebook_setup(), notebook_only=True),
        Cell("code", sources.module_preamble(stem).rstrip()
             + f"\n\nfrom utils.checks import {stem} as tests"),
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
            cells.append(Cell("markdown", f"## {section_titles[ex.section]}"))
        checks = "\n".join(f"tests.{name}({ex.name})" for name in ex.check_names)
        cells.append(Cell("markdown", f"### Exercise: `{ex.name}` — {ex.title}\n\n"
                                      f"{meta_line(ex)}\n\n{ex.task}\n\n"
                                      f"Check it with `{checks.splitlines()[0]}`."))
        cells.append(Cell("code", replacements.get(ex.name) or sources.stub_source(ex)))
        cells.append(Cell("code", checks, notebook_only=True))
    cells.append(Cell("code", f'if __name__ == "__main__":\n    from utils.local import '
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
