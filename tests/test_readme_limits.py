"""The README states the runner's limits; they are defined once, in utils/runner/limits.py and
utils/runner/wall_limits.py. A figure changed there and not in the README fails here."""

from utils.runner import limits, wall_limits
from utils.runner.limits import DEFAULT_LIMITS, size_text
from utils.site_config import ROOT

GIB = 2**30
COMMUNITY_CLOUD = (2, int(2.7 * GIB))  # cores, memory: what the README's figures are for
LAPTOP = (2, 8 * GIB)
SMALL_APP = (2, GIB)


def readme_text() -> str:
    return " ".join((ROOT / "README.md").read_text().split())  # lines wrap anywhere


def stated_figures() -> list[str]:
    """Each phrase of the README that states a limit, written from its definition."""
    small_workers = limits.workers_for(*SMALL_APP)
    small_run = limits.run_memory_bytes(SMALL_APP[1], small_workers)
    walls = f"{wall_limits.SHORTEST_S:g}–{wall_limits.LONGEST_S:g} s"
    return [
        f"`pool_size()` in `utils/runner/limits.py`: {limits.workers_for(*COMMUNITY_CLOUD)} on "
        f"Community Cloud and on a {LAPTOP[0]}-core laptop",
        f"({walls}; see *How learner code is run*), {DEFAULT_LIMITS.cpu_seconds} s of CPU and a "
        f"{size_text(limits.MOST_RUN_BYTES)} address-space limit",
        f"about {round(small_run / GIB)} GB of address space on a 1 GB app, of which about "
        f"{size_text(limits.FORKED_CHILD_BYTES)} is what a forked runner already maps",
        f"With a 2.7 GB limit `pool_size()` starts {limits.workers_for(*COMMUNITY_CLOUD)} runners",
        f"With a 1 GB limit it starts {small_workers},",
        f"({size_text(small_run)} at 1 GB, of which a forked runner already maps about "
        f"{size_text(limits.FORKED_CHILD_BYTES)})",
        f"{wall_limits.FACTOR:g} × the reference solution's CPU time + {wall_limits.MARGIN_S:g} s, "
        f"{walls};",
        f"a scratch quota ({size_text(DEFAULT_LIMITS.scratch_bytes)}, "
        f"{DEFAULT_LIMITS.scratch_entries:,} entries, on top of the "
        f"{size_text(DEFAULT_LIMITS.file_size_bytes)} per file)",
        f"after {limits.DEFAULT_QUEUE_WAIT_SECONDS:g} s (`GTF_RUNNER_QUEUE_SECONDS`)",
    ]


def test_the_readme_states_the_runners_limits_as_defined():
    text = readme_text()
    stale = [phrase for phrase in stated_figures() if phrase not in text]
    assert not stale, f"README.md no longer states these as defined: {stale}"
    # One figure stands for both hosts.
    assert limits.workers_for(*LAPTOP) == limits.workers_for(*COMMUNITY_CLOUD)
