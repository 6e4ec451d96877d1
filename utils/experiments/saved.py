"""The one pattern every saved run follows: read the committed file, and compute and write it
first when it is missing (a fresh clone without assets, or a deleted file); and, for a file that
records what it was computed from, that record's code part (`code_text`, `source_code`)."""

from __future__ import annotations

import ast
import inspect
import json
import textwrap
from pathlib import Path
from typing import Any, Callable

import torch

from utils.registry import exercise_marker


def saved_json(path: Path, compute: Callable[[], Any], indent: int | None = 1) -> Any:
    """`path`'s JSON, computed by `compute()` and written first if the file is missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(compute(), indent=indent) + "\n")
    return json.loads(path.read_text())


def saved_torch(path: Path, compute: Callable[[], Any]) -> Any:
    """`path`'s tensors (torch.save of plain data), computed and saved first if missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(compute(), path)
    return torch.load(path, weights_only=True)


def code_text(tree: ast.AST) -> str:
    """A syntax tree's code without docstrings (comments are not in it): what a saved file's
    fingerprint hashes, so that rewording them leaves the file current."""
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


def source_code(obj: Any) -> str:
    """`code_text` of a module's, function's or class's source, its @exercise metadata left out
    too: what a fingerprint hashes of the reference solutions and experiment modules a saved
    file was computed from."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(obj)))
    for node in ast.walk(tree):
        marker = exercise_marker(node)
        if marker is not None:
            node.decorator_list.remove(marker)
    return code_text(tree)


def top_level_code(module: Any, names: tuple[str, ...]) -> str:
    """`code_text` of the top-level functions, classes and assignments of `module` that define
    `names`: a measurement and the constants it reads, and nothing else of its module."""
    chosen, found = [], set()
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined = {node.name}
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            defined = {n.id for target in targets for n in ast.walk(target)
                       if isinstance(n, ast.Name)}
        else:
            continue
        if defined & set(names):
            chosen.append(node)
            found |= defined
    if set(names) - found:
        raise ValueError(f"{module.__name__} defines no {sorted(set(names) - found)} at its top "
                         "level")
    return code_text(ast.Module(body=chosen, type_ignores=[]))
