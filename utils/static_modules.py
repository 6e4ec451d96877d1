"""Our own front-end modules (static/, served by Streamlit at app/static/), imported in the page.

The code editor (utils/code_editor.py) and the chart element (utils/charts.py) each import one,
and utils/preload.py asks for them first thing in a page's run: all three resolve the same
address, so that the browser fetches and runs each module once.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "static"
# Where static/ is served, relative to Streamlit's entry module (<base>/static/js/index.<hash>.js),
# which a site served under a path prefix (Community Cloud's) has too.
MODULE_FROM_ENTRY = "../../app/static/"
# How the browser finds Streamlit's entry module.
ENTRY_MODULE_SELECTOR = 'script[type="module"][src*="/static/js/index."]'

# The JavaScript that resolves a module's address as the components do (data carries
# `moduleFromEntry`, `module` and `entrySelector`, from `address_data`).
RESOLVE_JS = """
function gtfModuleUrl(data) {
  const entry = document.querySelector(data.entrySelector);
  return (entry ? new URL(data.moduleFromEntry + data.module, entry.src)
                : new URL("app/static/" + data.module, document.baseURI)).href;
}
"""


@cache
def versioned_name(module: str) -> str:
    """static/`module`'s name with its content's hash as a query, so a browser never runs a
    stale copy of it after an update."""
    bundle = STATIC / module
    digest = hashlib.sha256(bundle.read_bytes()).hexdigest()[:12] if bundle.exists() else "none"
    return f"{module}?v={digest}"


def address_data(module: str) -> dict[str, str]:
    """What a component's JavaScript needs to import static/`module` (see RESOLVE_JS)."""
    return {"module": versioned_name(module), "moduleFromEntry": MODULE_FROM_ENTRY,
            "entrySelector": ENTRY_MODULE_SELECTOR}
