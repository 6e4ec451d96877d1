"""Chapter 5.2's notebook shows what its pages show: every widget has a stand-in the notebook runs,
and what those stand-ins import works where there is no Streamlit (Colab)."""

import inspect
import subprocess
import sys

from utils import registry
from utils.site_config import ROOT

STEM = "part2_cnns"
# Widgets with nothing to draw in a notebook (none today: the given `evaluate` is a {given}).
PAGE_ONLY: set[str] = set()


def _widget_directives():
    return [d for source in registry.chapter(STEM).section_sources()
            for d in source.directives("widget")]


def test_every_widget_has_a_notebook_stand_in_and_a_page_function():
    from pages.part2_cnns import widgets

    drawn = {name for name, obj in vars(widgets).items()
             if inspect.isfunction(obj) and obj.__module__ == widgets.__name__
             and not name.startswith("_") and name != "parse_ints"}
    directives = _widget_directives()
    assert {d.argument for d in directives} == drawn  # no widget without a directive, or back
    for directive in directives:
        has_stand_in = bool(directive.body.strip())
        assert has_stand_in != (directive.argument in PAGE_ONLY), directive.argument


def test_what_the_notebook_imports_needs_no_streamlit():
    code = ("import sys; sys.modules['streamlit'] = None\n"
            "import solutions.part2_cnns, utils.checks.part2_cnns\n"
            "import utils.figures.part2_cnns, utils.experiments.part2_cnns")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
