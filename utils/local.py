"""Check every exercise of a chapter from a local file or a notebook.

    python exercises/part1_ray_tracing.py            # the file calls check_all at the end
    python exercises/micrograd.py --variant circles  # a new specification's exercises only
    pytest exercises/part1_ray_tracing.py            # one test per exercise (see pytest_tests)
    python -m utils.local part1_ray_tracing path.py  # check another file, e.g. a downloaded one

Prints one line per exercise: passed, failed (with the check's message) or not implemented yet.
`chapter_checks` is what a notebook calls its `tests`: the chapter's checks, which say "not yet"
for an unfinished exercise and print a failure's message, instead of stopping "Run all"; each
takes `variant="<key>"` to run on a new specification's data (`chapter.toml` [variants]).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import runpy
import functools
import importlib
import sys
import types
from typing import Any, Callable

from utils import registry
from utils.check_runner import check_verdict, run_checks
from utils.checks import variants
from utils.status import Status

# A terminal's marks, not the page's icons: a local run prints plain lines.
_SYMBOL = {Status.PASSED: "✓ passed", Status.FAILED: "✗ FAILED", Status.ERROR: "✗ ERROR",
           Status.NOT_IMPLEMENTED: "· not implemented yet"}


def argv_variant(argv: list[str] | None = None) -> str | None:
    """`--variant <key>` from the command line of an exercise file, if given."""
    parser = argparse.ArgumentParser(
        description="Check this chapter's exercises: passed, failed (with the check's message) "
                    "or not implemented yet.")
    parser.add_argument("--variant", help="a new specification's key (the chapter's "
                                          "chapter.toml [variants]): check its exercises on its "
                                          "data")
    return parser.parse_known_args(sys.argv[1:] if argv is None else argv)[0].variant


def check_all(namespace: dict[str, Any], stem: str, exit_on_failure: bool = True,
              variant: str | None = None) -> dict:
    """Run each exercise's checks against the objects in `namespace` and print a summary. With
    `variant`, only the exercises that new specification covers, on its data."""
    ch = registry.chapter(stem)
    exercises = ch.exercises
    print(f"Chapter {ch.number}: {ch.title}")
    if variant is not None:
        spec = ch.variant(variant)
        if spec is None:
            sys.exit(f"Chapter {ch.number} has no variant {variant!r}; its variants: "
                     f"{', '.join(v.key for v in ch.variants) or 'none'}.")
        exercises = tuple(ex for ex in ch.exercises if ex.name in spec.exercises)
        print(f"New specification: {spec.title}")
    results = {}
    for ex in exercises:
        obj = namespace.get(ex.name)
        if obj is None:
            results[ex.name] = (Status.ERROR, f"`{ex.name}` is not defined in this file.")
        else:
            # The checks print a line per passing check; the summary below says it once.
            with contextlib.redirect_stdout(io.StringIO()):
                verdict = run_checks(ex, obj, variant=variant)
            results[ex.name] = (verdict.status, verdict.message)
        status, message = results[ex.name]
        print(f"  {_SYMBOL[status]:<22} {ex.name}")
        is_failing = status in (Status.FAILED, Status.ERROR)
        if is_failing or (status == Status.NOT_IMPLEMENTED and
                          (" calls " in message or "before reaching that method" in message)):
            print("      " + message.replace("\n", "\n      "))
    counts = {s: sum(1 for st, _ in results.values() if st == s) for s in _SYMBOL}
    failing = counts[Status.FAILED] + counts[Status.ERROR]
    print(f"{counts[Status.PASSED]}/{len(results)} passed, {failing} failing, "
          f"{counts[Status.NOT_IMPLEMENTED]} not implemented yet.")
    if exit_on_failure and failing:
        sys.exit(1)
    return results


NOT_YET = "· not yet"


def chapter_checks(stem: str) -> types.ModuleType:
    """The chapter's check module with each exercise's `test_<name>` wrapped for a notebook cell:
    an unfinished exercise prints one "not yet" line, a failing or crashing one prints its
    message, and neither raises, so "Run all" reaches every later exercise. Passing checks print
    their success line as before; everything else in the module is passed through."""
    module = importlib.import_module(f"utils.checks.{stem}")
    proxy = types.ModuleType(module.__name__, module.__doc__)
    proxy.__dict__.update({k: v for k, v in vars(module).items() if not k.startswith("__")})
    for ex in registry.chapter(stem).exercises:
        for check_name in ex.check_names:
            proxy.__dict__[check_name] = _reporting(ex, check_name, getattr(module, check_name))
    return proxy


def _reporting(ex: registry.Exercise, check_name: str, check: Callable) -> Callable:
    @functools.wraps(check)
    def call(*args: Any, variant: str | None = None, **kwargs: Any) -> None:
        registry.check_variant(ex, variant)
        with variants.using(variant):
            verdict = check_verdict(ex, check_name, lambda: check(*args, **kwargs))
        if verdict is None:
            return
        if verdict.status == Status.NOT_IMPLEMENTED:
            print(f"{NOT_YET}: {verdict.message}")
        else:
            # stderr: Jupyter shows it on a red background, and the message stands out.
            label = "✗ FAILED" if verdict.status == Status.FAILED else "✗ ERROR"
            print(f"{label} {check_name}:\n{verdict.message}", file=sys.stderr)
    return call


def pytest_tests(stem: str, namespace: dict[str, Any]) -> dict[str, Callable[[], None]]:
    """One pytest test per exercise, checking the object of that name in `namespace` when the
    test runs: an unfinished exercise is skipped with the "not yet" message, a wrong one fails
    with the check's message. The exercise file puts these in its globals, so
    `pytest exercises/<stem>.py` collects them."""
    tests = {}
    for ex in registry.chapter(stem).exercises:
        def test(ex: registry.Exercise = ex) -> None:
            import pytest

            obj = namespace.get(ex.name)
            if obj is None:
                pytest.fail(f"`{ex.name}` is not defined in this file.", pytrace=False)
            verdict = run_checks(ex, obj)
            if verdict.status == Status.NOT_IMPLEMENTED:
                pytest.skip(f"not yet: {verdict.message}")
            if verdict.status != Status.PASSED:
                pytest.fail(verdict.message, pytrace=False)
        test.__name__ = test.__qualname__ = f"test_{ex.name}"
        test.__doc__ = f"{ex.title} (`{ex.name}`)"
        tests[test.__name__] = test
    return tests


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stem", help="chapter, e.g. part1_ray_tracing")
    parser.add_argument("path", help="a Python file defining the chapter's exercises")
    parser.add_argument("--variant", help="check a new specification's exercises on its data")
    args = parser.parse_args(argv)
    # Run the file as a module that is not __main__, so its own check_all call does not fire.
    namespace = runpy.run_path(args.path, run_name="learner_answers")
    check_all(namespace, args.stem, variant=args.variant)


if __name__ == "__main__":
    main()
