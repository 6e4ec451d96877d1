"""The namespace learner code runs in. An exercise: the chapter's imports, its given code, and
the reference solutions of the exercises before this one, so that exercise N never depends on N-1
being solved. A demo: a fresh module, as the chapter's exercise file would be.
"""

from __future__ import annotations

import importlib
from typing import Any

from utils import registry
from utils.site_config import ROOT


def namespace_for(ex: registry.Exercise) -> dict[str, Any]:
    solutions = importlib.import_module(f"solutions.{ex.chapter}")
    this_and_later = {e.name for e in registry.chapter(ex.chapter).exercises} - \
        {e.name for e in registry.exercises_before(ex.id)}
    hidden = this_and_later | set(ex.withhold)
    namespace = {"__name__": "__learner__", "__builtins__": __builtins__}
    for name, value in vars(solutions).items():
        if name.startswith("_") or name in hidden:
            continue
        namespace[name] = value
    return namespace


def answers_namespace(stem: str) -> dict[str, Any]:
    """The globals a chapter's whole answers file runs in (a demo): as if it were the chapter's
    exercise file, which is where its relative paths point."""
    from utils.exercise_meta import exercise

    # `exercise`: code copied from a solutions file keeps its `@exercise(...)` decorator, which
    # the exercise's own run accepts (its namespace is the solutions module's); so does a demo.
    return {"__name__": "learner_answers", "__builtins__": __builtins__,
            "__file__": str(ROOT / "exercises" / f"{stem}.py"), "exercise": exercise}
