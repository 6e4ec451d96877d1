"""What differs between the two kinds of run, and nothing else: the namespace the learner's code
runs in, what runs after it, and how a failure is worded. Both kinds go through the one path
in utils/runner/child.py (compile, exec, report).

- An exercise: the learner's definition of one exercise, judged by its checks.
- A demo: a whole answers file (a chapter's exercise file with the learner's code in it), then
  `utils.demos.<stem>.<name>(namespace, **args)` on it, whose data the page draws.
"""

from __future__ import annotations

import importlib
from typing import Any, Protocol

from utils import registry
from utils.check_runner import learner_traceback, not_implemented_message, run_checks
from utils.runner.limits import Limits
from utils.runner.messages import sandbox_hint
from utils.runner.namespace import answers_namespace, namespace_for
from utils.runner.protocol import RunRequest
from utils.status import Status

Outcome = tuple[Status, str, Any]  # status, message, a demo's data


class Task(Protocol):
    def namespace(self) -> dict[str, Any]:
        """The globals the learner's code runs in."""

    def after_code(self, namespace: dict[str, Any]) -> Any:
        """What runs once the code has: its failures are the learner code's too."""

    def verdict(self, namespace: dict[str, Any], data: Any) -> Outcome:
        """The outcome when the code and `after_code` raised nothing."""

    def syntax_error(self, err: SyntaxError) -> str: ...

    def not_implemented(self, err: NotImplementedError) -> str: ...

    def raised(self, err: BaseException) -> str: ...


class ExerciseTask:
    def __init__(self, exercise_id: str, limits: Limits, variant: str | None = None):
        self.ex = registry.get(exercise_id)
        self.limits = limits
        self.variant = variant

    def namespace(self) -> dict[str, Any]:
        return namespace_for(self.ex)

    def after_code(self, namespace: dict[str, Any]) -> Any:
        return None  # the checks run in `verdict`: what they raise is judged by the checks

    def verdict(self, namespace: dict[str, Any], data: Any) -> Outcome:
        obj = namespace.get(self.ex.name)
        if obj is None:
            return Status.ERROR, (f"Your code doesn't define `{self.ex.name}`. Keep the name and "
                                  "signature of the stub."), None
        verdict = run_checks(self.ex, obj, self._hint, self.variant)
        return verdict.status, verdict.message, None

    def syntax_error(self, err: SyntaxError) -> str:
        line = (err.text or "").rstrip("\n")
        caret = " " * max((err.offset or 1) - 1, 0) + "^"
        return f"SyntaxError on line {err.lineno}: {err.msg}\n\n    {line}\n    {caret}"

    def not_implemented(self, err: NotImplementedError) -> str:
        return not_implemented_message(self.ex)

    def raised(self, err: BaseException) -> str:
        return (f"Your code raised {type(err).__name__} before the checks ran:\n"
                f"{learner_traceback(err)}{self._hint(err)}")

    def _hint(self, err: BaseException) -> str:
        return sandbox_hint(err, self.limits)


class DemoTask:
    def __init__(self, demo_id: str, args: dict[str, Any]):
        self.stem, name = demo_id.split(".", 1)
        self.demo = getattr(importlib.import_module(f"utils.demos.{self.stem}"), name)
        self.args = args

    def namespace(self) -> dict[str, Any]:
        return answers_namespace(self.stem)

    def after_code(self, namespace: dict[str, Any]) -> Any:
        return self.demo(namespace, **self.args)

    def verdict(self, namespace: dict[str, Any], data: Any) -> Outcome:
        return Status.PASSED, "", data

    def syntax_error(self, err: SyntaxError) -> str:
        return f"SyntaxError on line {err.lineno} of your answers: {err.msg}"

    def not_implemented(self, err: NotImplementedError) -> str:
        return ("Part of your engine that this needs raised NotImplementedError: pass that "
                "exercise first (or switch to the reference engine).")

    def raised(self, err: BaseException) -> str:
        return f"Your engine raised {type(err).__name__}:\n{learner_traceback(err)}"


def task_for(request: RunRequest, limits: Limits) -> Task:
    if request.is_demo:
        return DemoTask(request.demo_id, request.args)
    return ExerciseTask(request.exercise_id, limits, request.variant)


__all__ = ["Task", "ExerciseTask", "DemoTask", "task_for", "Outcome"]
