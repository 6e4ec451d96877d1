"""Entry point: `streamlit run streamlit_app.py`. Builds the navigation from the registry."""

import functools
import itertools
import os
import threading

import streamlit as st

from utils import collector, deep_links, first_run_checks, page_icons, store_code

# Before the first element (utils/first_run_checks.py).
first_run_checks.skip_repl_check()
first_run_checks.known_emoji_favicon(page_icons.FAVICON)

# First of all, before the site's own imports below: a section's URL opened on a freshly started
# server is told "Page not found" until this closes it (utils/deep_links.py); a session's first
# run either takes a new browser's word that it holds none of the learner's work, or asks the
# browser for it, with a component whose code the browser starts loading now
# (utils/store_code.py).
deep_links.close_false_page_not_found()
store_code.start_the_store()

# Once per process: what the server holds as it starts (Streamlit, its web server) is set aside
# from the garbage collector's sweeps, before the site's imports below (utils/collector.py).
collector.freeze_at_first_run()

from utils import (browser_store, code_block, first_views, page_runs, registry,  # noqa: E402
                   runner, widgets)
from utils.navigation import all_pages, preload_page, sidebar_menu  # noqa: E402
from utils.runner.limits import memory_limit_bytes  # noqa: E402

# Each code runner imports torch as it starts, seconds of CPU: they start this long after the
# server's first page has run, so that page (and the reruns that restore the learner's work) keep
# the CPU. A run asked for sooner starts a runner itself.
RUNNER_WARM_UP_DELAY_S = 3.0
# Every chapter's figures and widgets, imported once the runners are started, add about 25 MB to
# the server, and what every page computes on a first view about 125 MB (90 MB of it the five
# heaviest): on an app with less memory than this they wait until a page first needs them.
PAGE_MODULES_WARM_UP_MIN_BYTES = 2 * 2**30

st.set_page_config(page_title="Grokking the Fundamentals", page_icon=page_icons.FAVICON,
                   layout="wide")


def _warm_up() -> None:
    """The server's own heavy imports first (torch takes about a second: without this, the
    first chapter page a learner opens pays it), then the code runners, then every chapter's
    figures and widgets and what every page computes on a first view (utils/first_views.py, in
    the path's order); then what they loaded is set aside from the garbage collector's sweeps
    (utils/collector.py). Each step waits until no page is being run (utils/page_runs.py),
    so a learner who opens a page meanwhile does not share the CPU with it. The runners import
    in processes of their own (about 8 s of CPU): one still importing is stopped while a page is
    being run and no one waits for it."""
    steps = [_import_torch_and_plotly,
             functools.partial(runner.warm_up, give_way_while=page_runs.busy)]
    if memory_limit_bytes() >= PAGE_MODULES_WARM_UP_MIN_BYTES:
        # The collector is spared once the modules are in (what most reruns walk), and again
        # after the first views, which may take minutes on a busy server.
        steps = itertools.chain(steps, registry.page_module_imports(), [collector.spare],
                                first_views.replay_steps())
    page_runs.in_quiet_moments(steps)
    collector.spare()


def _import_torch_and_plotly() -> None:
    import plotly.graph_objects  # noqa: F401
    import torch  # noqa: F401


@st.cache_resource(show_spinner=False)
def _start_runner_soon() -> bool:
    """Once per server: import what the chapter pages need and start the warm code runners, in
    the background, a little later. Not where GTF_WARM_UP is "0": the tests set it, because in
    their process (Streamlit's AppTest) it would start runners and fill caches behind the tests'
    back for minutes (each step waits for the tests' page runs); the servers they start warm up."""
    if os.environ.get("GTF_WARM_UP") == "0":
        return False
    timer = threading.Timer(RUNNER_WARM_UP_DELAY_S, _warm_up)
    timer.daemon = True
    timer.start()
    return True


with page_runs.page_running():  # the warm-up waits for it
    try:
        page = st.navigation(all_pages(), position="hidden")
        # The browser loads what the page will draw with while a session's first run waits here,
        # before the page draws anything, for the learner's work.
        preload_page(page)
        browser_store.ask_first()
        code_block.enable_copy_buttons()
        sidebar_menu(page)
        page.run()
        widgets.watch_for_verdicts()
        # After the page: save the learner's work in the browser.
        browser_store.save()
    finally:  # also when the page stopped early or asked for a rerun
        _start_runner_soon()
