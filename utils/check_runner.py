"""Run an exercise's checks on a learner's object and classify the outcome.

Used both by the local checker (utils.local) and by the runner's worker process, so a learner sees
the same verdict and message in a local file, a notebook and the page editor.
"""

from __future__ import annotations

import importlib
import traceback
from dataclasses import dataclass
from typing import Any, Callable

from utils import registry
from utils.checks import variants
from utils.checks.assertions import LearnerCodeError, quiet_success
from utils.out_of_memory import is_out_of_memory
from utils.site_config import ROOT
from utils.status import Status

# The file name learner code is compiled under, so tracebacks can be trimmed to their lines.
LEARNER_FILENAME = "<your code>"


@dataclass(frozen=True)
class Verdict:
    status: Status
    message: str


_OUR_CODE = str(ROOT / "utils")


def learner_traceback(err: BaseException) -> str:
    """The traceback of an exception without our own frames (the checks, the runner): it starts
    at the learner's code and goes down into any library call it made."""
    all_frames = traceback.extract_tb(err.__traceback__)
    frames = [f for f in all_frames if not f.filename.startswith(_OUR_CODE)]
    if not frames:
        # Out of memory in our code (a check, a demo): what the learner's code allocated and
        # kept may be why.
        note = ("(This ran out of memory after your code ran: memory your code allocated and "
                "kept counts too.)" if is_out_of_memory(err) else
                "(This error came from the check itself, not from your code: please report "
                "it, with your code.)")
        return "".join(traceback.format_exception_only(type(err), err)).rstrip() + "\n" + note
    shown = traceback.StackSummary.from_list(frames)
    lines = ["Traceback (most recent call last):\n", *shown.format(),
             *traceback.format_exception_only(type(err), err)]
    return "".join(lines).rstrip()


# A line that explains an error a limit of the run caused (utils.runner.messages.sandbox_hint,
# with the run's limits); a local file or a notebook has no such limits, so nothing to explain.
LimitHint = Callable[[BaseException], str]


def no_hint(err: BaseException) -> str:
    return ""


def not_implemented_message(ex: registry.Exercise, err: BaseException | None = None) -> str:
    """Says which function is unfinished: the exercise's own, or another one it calls (in a
    local file, an earlier exercise of the learner's that is still a stub)."""
    raiser = _raising_function(err)
    if raiser and raiser != ex.name and not raiser.startswith(f"{ex.name}."):
        return (f"`{ex.name}` calls `{raiser}`, which still raises NotImplementedError: write "
                "that one first (it comes earlier in the chapter).")
    if raiser and raiser.startswith(f"{ex.name}.") and raiser != f"{ex.name}.__init__":
        # A class written in part (say Value with + and * but no ** yet): a check stops at its
        # first failure, so what it tried before this method worked.
        return (f"`{ex.name}` still raises NotImplementedError in `{raiser}`: everything the "
                "check tried before reaching that method passed; write it next.")
    return (f"`{ex.name}` still raises NotImplementedError: replace the stub's "
            "`raise NotImplementedError()` with your answer.")


def _raising_function(err: BaseException | None) -> str | None:
    tb = err.__traceback__ if err is not None else None
    if tb is None:
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_qualname


def check_verdict(ex: registry.Exercise, check_name: str, call: Any,
                  hint: LimitHint = no_hint) -> Verdict | None:
    """Classify one check call (`call()` runs it): None when it passed, else the verdict.

    The one place that turns what a check raised into a status and a message, for the page
    editor, the local file, pytest and a notebook's check cells alike."""
    try:
        call()
    except NotImplementedError as err:
        return Verdict(Status.NOT_IMPLEMENTED, not_implemented_message(ex, err))
    except AssertionError as err:
        return Verdict(Status.FAILED, str(err) or f"{check_name} failed.")
    except LearnerCodeError as err:
        return Verdict(Status.ERROR, f"{err}\n\n{learner_traceback(err.__cause__)}"
                                     f"{hint(err.__cause__)}")
    except Exception as err:  # noqa: BLE001 - any crash is reported, never raised
        return Verdict(Status.ERROR, f"{type(err).__name__} while checking `{ex.name}`:\n"
                                     f"{learner_traceback(err)}{hint(err)}")
    return None


def run_checks(ex: registry.Exercise, obj: Any, hint: LimitHint = no_hint,
               variant: str | None = None) -> Verdict:
    """Call every check of `ex` on `obj`; stop at the first that does not pass. With `variant`,
    the checks run on that new specification's data (utils/checks/variants.py).

    The checks' own success lines are not printed: the verdict says it once, and what is left
    on stdout is what the learner's code printed."""
    registry.check_variant(ex, variant)
    checks = importlib.import_module(f"utils.checks.{ex.chapter}")
    on = _on_variant(ex, variant)
    with quiet_success(), variants.using(variant):
        for check_name in ex.check_names:
            verdict = check_verdict(ex, check_name,
                                    lambda: getattr(checks, check_name)(obj),  # noqa: B023
                                    hint)
            if verdict is not None:
                if on and verdict.status in (Status.FAILED, Status.ERROR):
                    return Verdict(verdict.status, f"{verdict.message}\n\n(Checked {on}: the "
                                   "realistic cases use its data; any hand-made edge cases are "
                                   "the same as on the chapter's.)")
                return verdict
    checks = "The check" if len(ex.check_names) == 1 else f"All {len(ex.check_names)} checks"
    return Verdict(Status.PASSED, f"{checks} for `{ex.name}` passed"
                                 f"{' ' + on if on else ''}.")


def _on_variant(ex: registry.Exercise, variant: str | None) -> str:
    """"on the new specification, <title>", or "" on the chapter's own data."""
    if variant is None:
        return ""
    title = registry.chapter(ex.chapter).variant(variant).title
    return f"on the new specification, {title.lower()}"
