"""The one list of chapters and exercises.

Pages, the runner, the exercise-file generator, the local checker and the tests all read this
module; nothing else keeps a list of exercises. Each chapter's exercises live in a sibling module
named after the chapter stem (``utils/registry/part1_ray_tracing.py``), in the order a learner
meets them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Exercise:
    """One exercise: a function or class the learner writes, and how we check it."""

    chapter: str  # chapter stem, e.g. "part1_ray_tracing"
    name: str  # object name in solutions/<chapter>.py and exercises/<chapter>.py
    title: str
    section: str  # section key within the chapter (see Chapter.sections)
    difficulty: int  # 1..5
    importance: int  # 1..5
    minutes: tuple[int, int]  # suggested time, (low, high)
    task: str  # Markdown shown in the exercise block and the notebook
    hints: tuple[str, ...] = ()
    # Names of check functions in utils/checks/<chapter>.py; defaults to ("test_<name>",).
    checks: tuple[str, ...] = ()
    bonus: bool = False
    # For exercises whose stub is given code rather than `raise NotImplementedError()`: the name of
    # a function (or class) in the solutions file whose body (or methods' bodies) become the stub.
    # Usually a given-but-buggy starting point ("find the bugs"), so the stub fails its checks.
    stub_from: str | None = None
    # ...or scaffolding that keeps the exercise file running before the exercise is written (given
    # lines below it call it), whose checks then say "not implemented yet".
    stub_is_scaffolding: bool = False
    # Earlier exercises whose reference solution would answer this one outright; the runner
    # leaves them out of the namespace (e.g. raytrace_triangle for the debugging exercise).
    withhold: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.chapter}.{self.name}"

    @property
    def stub_is_buggy(self) -> bool:
        return bool(self.stub_from) and not self.stub_is_scaffolding

    @property
    def check_names(self) -> tuple[str, ...]:
        return self.checks or (f"test_{self.name}",)


@dataclass(frozen=True)
class Chapter:
    stem: str
    number: int
    title: str
    blurb: str
    # Ordered (key, title) pairs; the page files are pages/<stem>/<n>_<key>.py.
    sections: tuple[tuple[str, str], ...] = ()
    exercises: tuple[Exercise, ...] = field(default=(), repr=False)
    available: bool = True


def _load_chapter(stem: str) -> Chapter:
    return importlib.import_module(f"utils.registry.{stem}").CHAPTER


CHAPTERS: tuple[Chapter, ...] = (
    *(_load_chapter(stem) for stem in ("part1_ray_tracing", "part2_cnns", "part3_optimization",
                                       "part4_backprop", "part5_vaes_gans")),
)
EXERCISES: dict[str, Exercise] = {ex.id: ex for ch in CHAPTERS for ex in ch.exercises}


def chapter(stem: str) -> Chapter:
    for ch in CHAPTERS:
        if ch.stem == stem:
            return ch
    raise KeyError(f"No chapter {stem!r}; known: {[c.stem for c in CHAPTERS]}")


def get(exercise_id: str) -> Exercise:
    try:
        return EXERCISES[exercise_id]
    except KeyError:
        raise KeyError(f"No exercise {exercise_id!r}. Known ids look like "
                       f"'part1_ray_tracing.intersect_ray_1d'.") from None


def exercises_before(exercise_id: str) -> list[Exercise]:
    """Exercises of the same chapter that come earlier (their reference solutions are given)."""
    ex = get(exercise_id)
    earlier = []
    for other in chapter(ex.chapter).exercises:
        if other.name == ex.name:
            return earlier
        earlier.append(other)
    return earlier
