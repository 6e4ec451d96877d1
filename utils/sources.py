"""Reading exercise code out of the solutions files.

One place turns a solution into its stub, so that the page editor's starting code, the generated
exercise file and the notebook can never disagree, and one place finds a solution's source to
reveal on the page (read from the file, never pasted).
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache

from utils import registry
from utils.site_config import ROOT

STUB_BODY = "raise NotImplementedError()"

# How an object prints is no exercise's task. A stubbed `extra_repr` would make `print(model)`
# raise in a learner's otherwise finished model, and a given one would depend on attribute names
# the task never asked for; left out, nn.Module's (or object's) own printing applies.
LEFT_OUT_OF_STUBS = frozenset({"extra_repr", "__repr__"})


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
        if item.name == name or (item.name is None and registry.assigned_name(item.node) == name):
            return item
    raise KeyError(f"solutions/{stem}.py has no top-level {name!r}")


def source_of(stem: str, name: str) -> str:
    item = _find(stem, name)
    return "\n".join(_lines(stem)[_start(item.node) - 1:item.end])


def given_name(node: ast.stmt) -> str | None:
    """The name a `{given}` directive places a statement by: a def's or class's, or the one name
    an assignment binds (`exp = wrap_forward_fn(np.exp)`); None for any other statement."""
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return node.name
    return registry.assigned_name(node)


def given_statements(stem: str, name: str) -> tuple[TopLevel, ...]:
    """What `{given} name` places: the def or class; or the assignment with the statements
    right after it that bind no name (`BACK_FUNCS.add_back_func(np.exp, 0, exp_back)` travels
    with `exp = wrap_forward_fn(np.exp)`)."""
    items = top_level(stem)
    at = next((i for i, item in enumerate(items) if given_name(item.node) == name), None)
    if at is None:
        raise KeyError(f"solutions/{stem}.py has no top-level {name!r}")
    if isinstance(items[at].node, (ast.FunctionDef, ast.ClassDef)):
        return (items[at],)
    group = [items[at]]
    for item in items[at + 1:]:
        if given_name(item.node) is not None:
            break
        group.append(item)
    return tuple(group)


def given_source(stem: str, name: str) -> str:
    """The source a `{given} name` directive shows (page) and runs (notebook)."""
    group = given_statements(stem, name)
    if len(group) == 1 and isinstance(group[0].node, (ast.FunctionDef, ast.ClassDef)):
        return source_of(stem, name)
    return "\n".join("\n".join(_lines(stem)[item.start - 1:item.end]) for item in group)


def _start(node: ast.stmt) -> int:
    """First line of a statement's code, decorators included (a decorator may span several
    lines), except `@exercise(...)`: that is metadata for the registry, not code to show."""
    marker = registry.exercise_marker(node)
    decorators = [d for d in getattr(node, "decorator_list", []) if d is not marker]
    return min([node.lineno] + [d.lineno for d in decorators])


def _has_docstring(node: ast.FunctionDef | ast.ClassDef) -> bool:
    first = node.body[0]
    return isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and \
        isinstance(first.value.value, str)


def _header(lines: list[str], node: ast.FunctionDef | ast.ClassDef) -> tuple[list[str], str]:
    """Decorators, signature and docstring of a def or class, and the indentation of its body."""
    first = node.body[0]
    own_indent = lines[node.lineno - 1][:node.col_offset]
    if first.lineno == node.lineno:  # a one-liner: `def f(x): return x`
        signature = lines[node.lineno - 1][:first.col_offset].rstrip()
        return lines[_start(node) - 1:node.lineno - 1] + [signature], own_indent + "    "
    end = first.end_lineno if _has_docstring(node) else _start(first) - 1
    body_line = lines[first.lineno - 1]
    return lines[_start(node) - 1:end], body_line[:len(body_line) - len(body_line.lstrip())]


def _stub_function(lines: list[str], node: ast.FunctionDef, body: list[str] | None) -> list[str]:
    header, indent = _header(lines, node)
    return header + (body if body is not None else [indent + STUB_BODY])


def _body_lines(lines: list[str], node: ast.FunctionDef) -> list[str]:
    first = node.body[1] if _has_docstring(node) else node.body[0]
    return lines[_start(first) - 1:node.end_lineno]


def _stub_class(lines: list[str], node: ast.ClassDef,
                given: ast.ClassDef | None = None) -> list[str]:
    """The class with its docstring, given attributes, and every method (nested classes too)
    reduced to its signature and docstring, except the printing methods (LEFT_OUT_OF_STUBS); with
    `given`, a method that class also defines keeps the given class's body instead."""
    given_methods = {m.name: m for m in (given.body if given else [])
                     if isinstance(m, ast.FunctionDef)}
    out, _ = _header(lines, node)
    body = node.body[1:] if _has_docstring(node) else node.body
    for child in body:
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if child.name in LEFT_OUT_OF_STUBS and child.name not in given_methods:
                continue
            stub = given_methods.get(child.name)
            out += [""] + _stub_function(lines, child,
                                         _body_lines(lines, stub) if stub else None)
        elif isinstance(child, ast.ClassDef):
            out += [""] + _stub_class(lines, child)
        else:  # class attributes and other given lines stay as they are
            out += lines[_start(child) - 1:child.end_lineno]
    return out


def stub_source(ex: registry.Exercise) -> str:
    """The starting code for an exercise: signature and docstring, with the body to be written.

    Functions get `raise NotImplementedError()`. Classes keep their docstring, attributes and each
    method's signature and docstring, with every method body stubbed; printing methods
    (LEFT_OUT_OF_STUBS) are left out.
    An exercise with `stub_from` takes the body of that (given, e.g. buggy) function instead, or
    for a class the bodies of that class's methods of the same names.
    """
    lines = _lines(ex.chapter)
    node = _find(ex.chapter, ex.name).node
    given = _find(ex.chapter, ex.stub_from).node if ex.stub_from else None
    if isinstance(node, ast.FunctionDef):
        body = _body_lines(lines, given) if given else None
        return "\n".join(_stub_function(lines, node, body))
    if isinstance(node, ast.ClassDef):
        return "\n".join(_stub_class(lines, node, given))
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
    kept = [line for row, line in enumerate(lines[body[0].start - 1:first_def.start - 1],
                                            start=body[0].start)
            if row not in _marker_import_rows(items)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).rstrip() + "\n"


def _marker_import_rows(items: tuple[TopLevel, ...]) -> set[int]:
    """Lines of `from utils.exercise_meta import exercise`: the solutions need it, stubs do not."""
    return {i.start for i in items if isinstance(i.node, ast.ImportFrom)
            and i.node.module == "utils.exercise_meta"}


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and \
        isinstance(node.value.value, str)


def dedent(code: str) -> str:
    return textwrap.dedent(code).strip("\n")
