"""The garbage collector's freezes (utils/collector.py), in a process of their own: the tests'
own process has frozen already, at its first app test's run."""

from __future__ import annotations

import subprocess
import sys

from utils.site_config import ROOT

_SCRIPT = """
import gc, weakref
from utils import collector

class Box:
    pass

box = Box()
box.itself = box  # a cycle, alive as the first page runs (a session's state, say)
kept = weakref.ref(box)
collector.freeze_at_first_run()
frozen = gc.get_freeze_count()
collector.freeze_at_first_run()  # every later run: nothing more is frozen
assert gc.get_freeze_count() == frozen, (gc.get_freeze_count(), frozen)
del box
gc.collect()
assert kept() is not None, "a frozen cycle is not collected"
collector.spare()  # the warm-up: thaws what the first run froze, collects, freezes the rest
assert kept() is None, "the first run's frozen garbage outlived the warm-up"
assert gc.get_freeze_count() > 0
leftover = Box()
leftover.itself = leftover
later = weakref.ref(leftover)
del leftover
collector.spare()  # again, at the warm-up's end: what was made since is collected
assert later() is None
print("ok")
"""


def test_the_first_run_freezes_once_and_the_warm_up_thaws_it():
    done = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
