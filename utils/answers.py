"""A chapter's answers as a file: download what you typed on the site, upload a file back.

The download is the chapter's exercise file with the learner's code in place of each stub, so it
runs locally (`python answers.py` checks everything) exactly like exercises/<stem>.py.
"""

from __future__ import annotations

import ast

from utils import codegen, registry


def answers_file(stem: str, codes: dict[str, str]) -> str:
    """The exercise file for `stem`, with `codes[name]` replacing the stub of each exercise."""
    return codegen.render_script(codegen.chapter_cells(stem, replacements=codes))


def parse_answers(stem: str, text: str) -> dict[str, str]:
    """Pick the chapter's exercise definitions out of an uploaded file, by name.

    Raises ValueError with the line number when the file is not valid Python.
    """
    try:
        tree = ast.parse(text)
    except SyntaxError as err:
        raise ValueError(f"The file has a syntax error on line {err.lineno}: {err.msg}") from err
    names = {ex.name for ex in registry.chapter(stem).exercises}
    lines = text.splitlines()
    found = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in names:
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            found[node.name] = "\n".join(lines[start - 1:node.end_lineno])
    return found
