"""Reading exercise code out of the solutions files.

One place turns a solution into its stub, so that the page editor's starting code, the generated
exercise file and the notebook can never disagree, and one place finds a solution's source to
reveal on the page (read from the file, never pasted).
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from functools import lru_cache

from utils import registry
from utils.site_config import ROOT

STUB_BODY = "raise NotImplementedError()"


@dataclass(frozen=True)
class TopLevel:
    """A top-level statement of a solutions file, with its source lines."""

    name: str | None  # the def/class name, or None for other statements
    start: int  # first line (1-based, decorators included)
    end: int  # last line
    node: ast.stmt


@lru_cache(maxsize=None)
def solution_text(stem: str) -> str:
    return (ROOT / "solutions" / f"{stem}.py").read_text()


@lru_cache(maxsize=None)
def top_level(stem: str) -> tuple[TopLevel, ...]:
    tree = ast.parse(solution_text(stem))
    items = []
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        name = node.name if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else None
        items.append(TopLevel(name, start, node.end_lineno, node))
    return tuple(items)


def _lines(stem: str) -> list[str]:
    return solution_text(stem).splitlines()


def _find(stem: str, name: str) -> TopLevel:
    for item in top_level(stem):
        if item.name == name:
            return item
    raise KeyError(f"solutions/{stem}.py has no top-level {name!r}")


def source_of(stem: str, name: str) -> str:
    item = _find(stem, name)
    return "\n".join(_lines(stem)[item.start - 1:item.end])


def _header_end(node: ast.FunctionDef | ast.ClassDef) -> int:
    """Last line of the signature plus docstring: what a stub keeps."""
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and \
            isinstance(first.value.value, str):
        return first.end_lineno
    return first.lineno - 1


def _body_indent(lines: list[str], node: ast.stmt) -> str:
    line = lines[node.body[0].lineno - 1]
    return line[: len(line) - len(line.lstrip())]


def _stub_function(lines: list[str], node: ast.FunctionDef, body: list[str] | None) -> list[str]:
    header = lines[node.lineno - 1 - len(node.decorator_list):_header_end(node)]
    indent = _body_indent(lines, node)
    if body is None:
        return header + [indent + STUB_BODY]
    return header + body


def stub_source(ex: registry.Exercise) -> str:
    """The starting code for an exercise: signature and docstring, with the body to be written.

    Functions get `raise NotImplementedError()`. Classes keep their docstring and each method's
    signature and docstring, with every method body stubbed. An exercise with `stub_from` takes
    the body of that (given, e.g. buggy) function instead.
    """
    lines = _lines(ex.chapter)
    item = _find(ex.chapter, ex.name)
    node = item.node
    if isinstance(node, ast.FunctionDef):
        body = None
        if ex.stub_from:
            given = _find(ex.chapter, ex.stub_from).node
            body_start = given.body[0].lineno
            if _header_end(given) >= body_start:  # skip the given function's own docstring
                body_start = _header_end(given) + 1
            body = lines[body_start - 1:given.end_lineno]
        return "\n".join(_stub_function(lines, node, body))
    if isinstance(node, ast.ClassDef):
        out = lines[item.start - 1:_header_end(node)]
        for child in node.body:
            if isinstance(child, ast.FunctionDef):
                out.append("")
                out.extend(_stub_function(lines, child, None))
            elif not (isinstance(child, ast.Expr) and isinstance(child.value, ast.Constant)):
                # Class attributes and other given lines stay as they are.
                out.extend(lines[child.lineno - 1:child.end_lineno])
        return "\n".join(out)
    raise TypeError(f"{ex.id}: only functions and classes can be exercises")


def _private_names_used(stem: str, name: str) -> list[str]:
    item = _find(stem, name)
    private = {i.name for i in top_level(stem) if i.name and i.name.startswith("_")}
    used = {n.id for n in ast.walk(item.node) if isinstance(n, ast.Name)}
    return sorted(used & private)


def solution_source(ex: registry.Exercise) -> str:
    """The reference solution to reveal: the object's source plus private helpers it calls."""
    parts = [source_of(ex.chapter, name)
             for name in _private_names_used(ex.chapter, ex.name) if name != ex.stub_from]
    parts.append(source_of(ex.chapter, ex.name))
    return "\n\n\n".join(parts)


def module_preamble(stem: str) -> str:
    """The solutions module's imports and constants before its first definition."""
    items = top_level(stem)
    first_def = next(i for i in items if i.name)
    lines = _lines(stem)
    body = [i for i in items if i.start < first_def.start and not _is_docstring(i.node)]
    if not body:
        return ""
    return "\n".join(lines[body[0].start - 1:first_def.start - 1]).rstrip() + "\n"


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and \
        isinstance(node.value.value, str)


def dedent(code: str) -> str:
    return textwrap.dedent(code).strip("\n")
