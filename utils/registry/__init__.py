"""Chapters and exercises, discovered from the chapters' own files; nothing here lists them.

A chapter is a folder `pages/<stem>/` holding `chapter.toml` (number, title, blurb, what the code
runner keeps warm, what Colab installs) and one literate source per section (`<n>_<key>.md`, see
utils/literate.py). Its exercises are the functions and classes of `solutions/<stem>.py` marked
with `@exercise(...)` (utils/exercise_meta.py), in the order they are defined there; the section an
exercise belongs to is the one whose source has its `{exercise} name` directive.

Pages, the runner, the exercise-file generator, the local checker and the tests all read this
module. It reads the solutions' source text rather than importing it, so it costs no torch import.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
import inspect
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from utils import literate
from utils.exercise_meta import OPTIONAL, REQUIRED
from utils.site_config import ROOT

PAGES_DIR = ROOT / "pages"
SOLUTIONS_DIR = ROOT / "solutions"


@dataclass(frozen=True)
class Exercise:
    """One exercise: a function or class the learner writes, and how we check it."""

    chapter: str  # chapter stem, e.g. "part1_ray_tracing"
    name: str  # object name in solutions/<chapter>.py and exercises/<chapter>.py
    title: str
    section: str  # key of the section whose source holds its {exercise} directive
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
class Variant:
    """A new specification for some of a chapter's exercises (`[variants.<key>]` in
    chapter.toml): the same checks on other data (utils/checks/variants.py)."""

    key: str  # e.g. "circles"; an attempt on it is kept under "<exercise id>@<key>"
    title: str  # e.g. "Two circles instead of two moons"
    summary: str  # Markdown: what changes, enough to do the exercises again without the page
    exercises: tuple[str, ...]  # names of the exercises whose checks have this variant


@dataclass(frozen=True)
class Chapter:
    stem: str
    # Its place on the path: "<stage>" for a stage of one chapter, "<stage>.<part>" where a stage
    # has several (the ARENA stage is 5.1-5.5). Stems never change; numbers follow the path, so a
    # new stage-4 chapter renumbers nothing in stage 5.
    number: str
    title: str
    blurb: str
    # Ordered (key, title) pairs, from pages/<stem>/<n>_<key>.md.
    sections: tuple[tuple[str, str], ...] = ()
    exercises: tuple[Exercise, ...] = field(default=(), repr=False)
    available: bool = True
    # What the code runner does once before it forks runs ("module" imports a module,
    # "module:function" also calls a function, e.g. to load a dataset), beyond importing the
    # chapter's solutions, checks and demos, which it always does.
    runner_preload: tuple[str, ...] = ()
    # Packages the chapter's notebook installs in Colab (pinned as requirements.txt pins them).
    colab_installs: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()
    # Whether its widgets module imports no torch and each widget draws its default first view
    # from the charts kept for it (utils/first_view_charts.served): then a fresh server's first
    # page of the chapter imports no torch (a test checks it).
    first_view_without_torch: bool = False

    def variants_of(self, name: str) -> tuple[Variant, ...]:
        """The variants whose checks cover the exercise `name`."""
        return tuple(v for v in self.variants if name in v.exercises)

    def variant(self, key: str) -> Variant | None:
        """The variant `key`, if the chapter has one."""
        return next((v for v in self.variants if v.key == key), None)

    @property
    def directory(self) -> Path:
        return PAGES_DIR / self.stem

    @property
    def stage(self) -> int:
        return path_position(self.number)[0]

    def section_sources(self) -> list[literate.SectionSource]:
        return [literate.read_section(p) for p in literate.section_files(self.directory)]

    def section_outlines(self) -> list[literate.SectionOutline]:
        """Each section's title and directives, without a full parse of its prose."""
        return [literate.read_outline(p) for p in literate.section_files(self.directory)]

    def section_source(self, key: str) -> literate.SectionSource:
        """The section `key`, parsed (only it: a page parses the section it draws)."""
        for path in literate.section_files(self.directory):
            if literate.SECTION_FILE.match(path.name)[2] == key:
                return literate.read_section(path)
        raise KeyError(f"Chapter {self.stem} has no section {key!r}")


def chapter_module_name(stem: str, kind: str) -> str | None:
    """The name of `pages.<stem>.widgets` (kind "widgets") or `utils.figures.<stem>` ("figures"),
    if the chapter has one."""
    name = f"pages.{stem}.widgets" if kind == "widgets" else f"utils.figures.{stem}"
    return name if importlib.util.find_spec(name) else None


def chapter_module(stem: str, kind: str) -> ModuleType | None:
    """That module (see chapter_module_name), imported."""
    name = chapter_module_name(stem, kind)
    return importlib.import_module(name) if name else None


def import_page_modules() -> None:
    """Import every available chapter's figures and widgets modules (the server does it in the
    background once it has started, so that no learner's first view of a page waits for them)."""
    for step in page_module_imports():
        step()


def page_module_imports() -> list[Callable[[], object]]:
    """import_page_modules in steps, one module each (the server's warm-up waits for a quiet
    moment before each: utils/page_runs.py)."""
    return [functools.partial(chapter_module, chapter.stem, kind)
            for chapter in CHAPTERS if chapter.available for kind in ("figures", "widgets")]


class ChapterError(ValueError):
    """A chapter whose files disagree; the message says which file to fix and how."""


def exercise_marker(node: ast.stmt) -> ast.Call | None:
    """The `@exercise(...)` decorator of a top-level def or class, if it has one."""
    for decorator in getattr(node, "decorator_list", []):
        func = decorator.func if isinstance(decorator, ast.Call) else None
        if getattr(func, "id", None) == "exercise" or getattr(func, "attr", None) == "exercise":
            return decorator
    return None


def _metadata(call: ast.Call, where: str) -> dict:
    if call.args:
        raise ChapterError(f"{where}: @exercise takes keyword arguments only")
    meta = {}
    for keyword in call.keywords:
        try:
            meta[keyword.arg] = ast.literal_eval(keyword.value)
        except ValueError:
            raise ChapterError(f"{where}: @exercise's {keyword.arg}= must be a literal (the "
                               f"registry reads it without running the file)") from None
    unknown = set(meta) - set(REQUIRED) - set(OPTIONAL)
    missing = set(REQUIRED) - set(meta)
    if unknown or missing:
        raise ChapterError(f"{where}: @exercise has unknown {sorted(unknown)}, is missing "
                           f"{sorted(missing)}")
    # Text is written indented inside the decorator; Markdown wants it flush left.
    meta["task"] = inspect.cleandoc(meta["task"])
    meta["hints"] = tuple(inspect.cleandoc(h) for h in meta.get("hints", ()))
    for key in ("minutes", "checks", "withhold"):
        if key in meta:
            meta[key] = tuple(meta[key])
    return meta


def _exercises(stem: str, tree: ast.Module, section_of: dict[str, str]) -> tuple[Exercise, ...]:
    section_of = dict(section_of)
    found = []
    for node in tree.body:
        call = exercise_marker(node)
        if call is None:
            continue
        where = f"solutions/{stem}.py:{node.lineno}"
        if node.decorator_list[0] is not call:
            raise ChapterError(f"{where}: put @exercise(...) above the other decorators")
        if node.name not in section_of:
            raise ChapterError(
                f"{where}: exercise {node.name!r} is on no page: add ```{{exercise}} "
                f"{node.name}``` (then a closing ``` line) to one of pages/{stem}/*.md")
        found.append(Exercise(stem, node.name, section=section_of.pop(node.name),
                              **_metadata(call, where)))
    if section_of:
        raise ChapterError(f"pages/{stem}: {{exercise}} directives name no @exercise in "
                           f"solutions/{stem}.py: {sorted(section_of)}")
    return tuple(found)


def _section_of(sources: list[literate.SectionOutline]) -> dict[str, str]:
    section_of: dict[str, str] = {}
    for source in sources:
        for directive in source.directives("exercise"):
            if directive.argument in section_of:
                raise ChapterError(f"{source.path}:{directive.line}: exercise "
                                   f"{directive.argument!r} is already on section "
                                   f"{section_of[directive.argument]!r}; an exercise appears once")
            section_of[directive.argument] = source.key
    return section_of


def assigned_name(node: ast.stmt) -> str | None:
    """The name a top-level `NAME = ...` or `NAME: type = ...` defines (a given constant or type
    alias, which `{given} NAME` can place), else None."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
            isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    return None


def _check_given(stem: str, tree: ast.Module, sources: list[literate.SectionOutline],
                 exercises: set[str]) -> None:
    """Each `{given} name` names given code of the solutions file (`tree`), once."""
    # A def or class, or an assignment to one name (assigned_name).
    defined = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    defined |= {name for node in tree.body if (name := assigned_name(node))}
    seen: set[str] = set()
    for source in sources:
        for directive in source.directives("given"):
            name, where = directive.argument, f"{source.path}:{directive.line}"
            if name not in defined or name in exercises or name.startswith("_"):
                raise ChapterError(f"{where}: {{given}} {name} names no given function, class or "
                                   f"constant of solutions/{stem}.py (exercises and _private "
                                   f"helpers are not given code)")
            if name in seen:
                raise ChapterError(f"{where}: {{given}} {name} is placed twice")
            seen.add(name)


CHAPTER_NUMBER = re.compile(r"[1-9][0-9]*(\.[1-9][0-9]*)?")


def path_position(number: str) -> tuple[int, ...]:
    """"5.2" -> (5, 2): the order chapters sort in."""
    return tuple(int(part) for part in number.split("."))


def read_chapter(directory: Path) -> Chapter:
    stem = directory.name
    config = tomllib.loads((directory / "chapter.toml").read_text(encoding="utf-8"))
    # Outlines, not full parses: a server's first run reads every chapter, before it can ask
    # the learner's browser for their work; a page parses the one section it draws.
    sources = [literate.read_outline(p) for p in literate.section_files(directory)]
    if not sources or sources[0].key != "overview" or sources[0].number != 0:
        raise ChapterError(f"pages/{stem}: the first section is 0_overview.md")
    # Parsed once for both (a server's first page run reads every chapter).
    tree = ast.parse((SOLUTIONS_DIR / f"{stem}.py").read_text(encoding="utf-8"))
    exercises = _exercises(stem, tree, _section_of(sources))
    _check_given(stem, tree, sources, {ex.name for ex in exercises})
    order = [s.key for s in sources]
    positions = [order.index(ex.section) for ex in exercises]
    if positions != sorted(positions):
        raise ChapterError(f"solutions/{stem}.py: define the exercises in the order of their "
                           f"sections (the order a learner meets them)")
    number = config.get("number")
    if not isinstance(number, str) or not CHAPTER_NUMBER.fullmatch(number):
        raise ChapterError(f"pages/{stem}/chapter.toml: number = {number!r}; write the chapter's "
                           f'place on the path as a string, "<stage>" or "<stage>.<part>" '
                           f'(e.g. "2" or "5.1")')
    variants = _variants(stem, config.get("variants", {}), {ex.name for ex in exercises})
    return Chapter(
        stem=stem, number=number, title=config["title"], blurb=config["blurb"],
        sections=tuple((s.key, s.title) for s in sources), exercises=exercises,
        available=config.get("available", True),
        runner_preload=tuple(config.get("runner", {}).get("preload", ())),
        colab_installs=tuple(config.get("colab", {}).get("installs", ())),
        variants=variants,
        first_view_without_torch=_flag(stem, config.get("site", {}), "first_view_without_torch"),
    )


def _flag(stem: str, table: dict, name: str) -> bool:
    """A true/false setting of chapter.toml's, false when absent."""
    value = table.get(name, False)
    if not isinstance(value, bool):
        raise ChapterError(f"pages/{stem}/chapter.toml: {name} = {value!r}; write true or false")
    return value


def check_variant(ex: Exercise, variant: str | None) -> None:
    """Raise ValueError unless `variant` is None or one of `ex`'s (a programming error, or a
    learner's typo in a local call: the message lists what there is)."""
    known = [v.key for v in chapter(ex.chapter).variants_of(ex.name)]
    if variant is not None and variant not in known:
        raise ValueError(f"`{ex.name}` has no variant {variant!r}; its variants: "
                         f"{', '.join(map(repr, known)) or 'none'}.")


VARIANT_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def _variants(stem: str, table: dict, names: set[str]) -> tuple[Variant, ...]:
    variants = []
    for key, spec in table.items():
        where = f"pages/{stem}/chapter.toml [variants.{key}]"
        if not VARIANT_KEY.fullmatch(key) or key == "practice":
            raise ChapterError(f"{where}: a variant's key is lowercase letters, digits and _ "
                               "(and not 'practice', the from-memory rung's)")
        missing = [k for k in ("title", "summary", "exercises") if k not in spec]
        if missing:
            raise ChapterError(f"{where}: needs {', '.join(missing)}")
        unknown = [n for n in spec["exercises"] if n not in names]
        if unknown or not spec["exercises"]:
            raise ChapterError(f"{where}: exercises {unknown or '[]'} are not this chapter's")
        variants.append(Variant(key, spec["title"], spec["summary"].strip(),
                                tuple(spec["exercises"])))
    return tuple(variants)


@lru_cache(maxsize=1)
def discover() -> tuple[Chapter, ...]:
    chapters = [read_chapter(toml.parent) for toml in PAGES_DIR.glob("*/chapter.toml")]
    numbers = [ch.number for ch in chapters]
    if len(set(numbers)) != len(numbers):
        raise ChapterError(f"Two chapters share a number: {sorted(numbers)}")
    return tuple(sorted(chapters, key=lambda ch: path_position(ch.number)))


CHAPTERS: tuple[Chapter, ...] = discover()
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
