"""Check every exercise of a chapter from a local file or a notebook.

    python exercises/part1_ray_tracing.py            # the file calls check_all at the end
    python -m utils.local part1_ray_tracing path.py  # check another file, e.g. a downloaded one

Prints one line per exercise: passed, failed (with the check's message) or not implemented yet.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import runpy
import sys
from typing import Any

from utils import registry
from utils.verdict import ERROR, FAILED, NOT_IMPLEMENTED, PASSED, run_checks

_SYMBOL = {PASSED: "✓ passed", FAILED: "✗ FAILED", ERROR: "✗ ERROR",
           NOT_IMPLEMENTED: "· not implemented yet"}


def check_all(namespace: dict[str, Any], stem: str, exit_on_failure: bool = True) -> dict:
    """Run each exercise's checks against the objects in `namespace` and print a summary."""
    ch = registry.chapter(stem)
    results = {}
    print(f"Chapter {ch.number}: {ch.title}")
    for ex in ch.exercises:
        obj = namespace.get(ex.name)
        if obj is None:
            results[ex.name] = (ERROR, f"`{ex.name}` is not defined in this file.")
        else:
            # The checks print a line per passing check; the summary below says it once.
            with contextlib.redirect_stdout(io.StringIO()):
                verdict = run_checks(ex, obj)
            results[ex.name] = (verdict.status, verdict.message)
        status, message = results[ex.name]
        print(f"  {_SYMBOL[status]:<22} {ex.name}")
        if status in (FAILED, ERROR) or (status == NOT_IMPLEMENTED and " calls " in message):
            print("      " + message.replace("\n", "\n      "))
    counts = {s: sum(1 for st, _ in results.values() if st == s) for s in _SYMBOL}
    print(f"{counts[PASSED]}/{len(results)} passed, {counts[FAILED] + counts[ERROR]} failing, "
          f"{counts[NOT_IMPLEMENTED]} not implemented yet.")
    if exit_on_failure and counts[FAILED] + counts[ERROR]:
        sys.exit(1)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stem", help="chapter, e.g. part1_ray_tracing")
    parser.add_argument("path", help="a Python file defining the chapter's exercises")
    args = parser.parse_args(argv)
    # Run the file as a module that is not __main__, so its own check_all call does not fire.
    namespace = runpy.run_path(args.path, run_name="learner_answers")
    check_all(namespace, args.stem)


if __name__ == "__main__":
    main()
