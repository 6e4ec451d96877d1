"""The false "Page not found" closer knows the site's pages before the registry is imported."""

from __future__ import annotations

from utils import deep_links, registry
from utils.site_config import section_path


def test_the_pages_known_from_file_names_are_the_pages_the_site_registers():
    """Home, Review and every section of every available chapter (utils/navigation.py)."""
    registered = {"", "review"} | {section_path(ch.stem, key) for ch in registry.CHAPTERS
                                   if ch.available for key, _ in ch.sections}
    assert deep_links.site_url_paths() == registered


def test_the_closer_imports_nothing_heavy():
    """It runs first thing in the script, before the site's imports, as does the store code's
    request (utils/store_code.py): neither must pull them in."""
    import subprocess
    import sys

    from utils.site_config import ROOT

    code = ("import sys; import utils.deep_links, utils.store_code; "
            "print(sorted(m for m in ('utils.registry', 'utils.literate', 'markdown_it', "
            "'utils.learner_state', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]", out
