"""What the garbage collector walks: the server's long-lived objects, set aside from its sweeps.

Streamlit runs a full garbage collection after every script run (runner.postScriptGC), and
Python runs more as objects are made; a full collection walks every object the server holds,
with the GIL held, so that a run's last messages wait for it too. Nearly all of those objects
live as long as the server (modules, classes, functions), so they are frozen (gc.freeze): later
collections walk only what was made since, and still free its cycles. Twice:

- At the server's first page run (`freeze_at_first_run`), before the site's own imports: what
  Streamlit and its web server hold, about 92,000 objects. Each full collection walked them all,
  55-65 ms here: a fresh server's first page paid three (two while the site's modules were
  imported, one after the run), and every rerun one, until the warm-up. Frozen, those
  collections take 7-10 ms.
- Once the warm-up has imported torch, Plotly and every chapter's modules (`spare`, from
  streamlit_app.py's warm-up): about 245,000 objects, 0.1-0.15 s per collection otherwise, most
  of a warm rerun's server work.

The cost of a freeze: a cycle alive at that moment is never collected, even once it is garbage,
nor what it refers to. What the first run froze holds that run's own script runner and, through
it, the first session's state (whatever that session stores): so `spare` first thaws it, and
collects it with the rest (95 of the 92,000 objects were garbage already, measured on a fresh
server). What `spare` freezes holds the sessions open at that moment, once per server. In the
tests' process (Streamlit's AppTest, no warm-up) the first run's freeze stays: it keeps the
first app test's page and session, once per process.
"""

from __future__ import annotations

import gc

# Whether this process has frozen at its first page run, and whether the warm-up has spared the
# collector since. (Module globals: the script's own namespace is new on every run. Not
# gc.get_freeze_count(), which counts the frozen objects one by one: milliseconds on every run.)
_frozen_at_first_run = False
_spared = False


def freeze_at_first_run() -> None:
    """Call first thing in every script run: freezes once per process, before the warm-up."""
    global _frozen_at_first_run
    if _frozen_at_first_run or _spared:
        return
    _frozen_at_first_run = True
    gc.freeze()


def spare() -> None:
    """Collect once, then freeze what is left (the warm-up calls it once its modules are in, and
    again at its end). The first time, what the first run froze is thawed first, so that what it
    held and has become garbage since is collected too."""
    global _spared
    if not _spared:
        gc.unfreeze()
        _spared = True
    gc.collect()
    gc.freeze()
