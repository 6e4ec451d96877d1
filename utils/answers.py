"""A chapter's answers as a file: download what you typed on the site, upload a file back.

The download is the chapter's exercise file with each editor's code in place of the exercise's
stub, so it runs like exercises/<stem>.py. An upload takes back, per exercise, the code cell that
defines it (helpers and imports typed next to it included); cells still holding the untouched
stub are ignored, so uploading a fresh exercise file never wipes work typed in the browser.
"""

from __future__ import annotations

import ast
import json
import re

from utils import codegen, registry, sources

_CELL_MARKER = re.compile(r"^# %%.*$", re.MULTILINE)
_TOP_LEVEL_DEF = re.compile(r"^(?:def|class)\s+(\w+)", re.MULTILINE)


PROGRESS_MARKER = "# gtf-progress: "
_PROGRESS_NOTE = ("# %% [markdown]\n"
                  "# Your progress in this chapter, as the site keeps it (verdicts, attempts from\n"
                  "# memory, review schedule). Uploading this file on the site brings it back.\n")


def answers_file(stem: str, codes: dict[str, str], progress: dict | None = None) -> str:
    """The exercise file for `stem`, with `codes[name]` replacing the stub of each exercise, and
    the learner's `progress` (learner_state.chapter_progress) as a comment line at the end."""
    text = codegen.render_script(codegen.chapter_cells(stem, replacements=codes))
    if progress:
        text = text.rstrip("\n") + "\n\n\n" + _PROGRESS_NOTE + PROGRESS_MARKER + \
            json.dumps(progress, separators=(",", ":")) + "\n"
    return text


def parse_progress(text: str) -> dict | None:
    """The progress line of an answers file (None if it has none); ValueError if it is broken."""
    for line in text.splitlines():
        if line.startswith(PROGRESS_MARKER):
            try:
                found = json.loads(line[len(PROGRESS_MARKER):])
            except json.JSONDecodeError as err:
                raise ValueError(f"The file's progress line is not valid JSON ({err.msg}): it "
                                 "was left out; your code was loaded.") from None
            return found if isinstance(found, dict) else None
    return None


def reference_file(stem: str, replacements: dict[str, str] | None = None) -> str:
    """The chapter's exercise file with every exercise solved by its reference solution, except
    those in `replacements` (name -> code): a learner's chapter, or a test's variant of one."""
    codes = {ex.name: sources.solution_source(ex) for ex in registry.chapter(stem).exercises}
    return answers_file(stem, {**codes, **(replacements or {})})


def _defined_names(code: str) -> list[str]:
    """Top-level def/class names; by pattern when the code does not parse (work in progress)."""
    try:
        return [node.name for node in ast.parse(code).body
                if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
    except SyntaxError:
        return _TOP_LEVEL_DEF.findall(code)


def parse_answers(stem: str, text: str) -> dict[str, str]:
    """The learner's code per exercise name found in `text` (a downloaded file or any .py).

    A file made of `# %%` cells gives back whole cells; any other file gives back each
    exercise's definition. Untouched stubs are left out. Raises ValueError for a file without
    cells that is not valid Python (with the line number).
    """
    chapter = registry.chapter(stem)
    stubs = {ex.name: sources.stub_source(ex).strip() for ex in chapter.exercises}
    found: dict[str, str] = {}
    if _CELL_MARKER.search(text):
        for cell in _CELL_MARKER.split(text):
            code = cell.strip("\n")
            for name in _defined_names(code):
                if name in stubs and name not in found:
                    found[name] = code
    else:
        try:
            tree = ast.parse(text)
        except SyntaxError as err:
            raise ValueError(f"The file has a syntax error on line {err.lineno}: {err.msg}") from err
        lines = text.splitlines()
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in stubs:
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                found[node.name] = "\n".join(lines[start - 1:node.end_lineno])
    return {name: code for name, code in found.items() if code.strip() != stubs[name]}
