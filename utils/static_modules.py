"""Our own front-end modules (static/, served by Streamlit at app/static/), imported in the page.

The code editor (utils/code_editor.py) and the chart element (utils/charts.py) each import one,
and utils/preload.py asks for them ahead (those the first screen needs first thing in a page's
run, the rest once the page is at rest): all three resolve the same address, so that the browser
fetches and runs each module once. Here too is what decides when such an element is drawn: on
the screen at once, near it once the page is at rest.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "static"
# Where static/ is served, relative to Streamlit's entry module (<base>/static/js/index.<hash>.js),
# which a site served under a path prefix (Community Cloud's) has too.
MODULE_FROM_ENTRY = "../../app/static/"
# How the browser finds Streamlit's entry module.
ENTRY_MODULE_SELECTOR = 'script[type="module"][src*="/static/js/index."]'


@cache
def streamlit_module(prefix: str) -> str | None:
    """The address, relative to Streamlit's entry module, of its front-end module
    `prefix`.<hash>.js in this install (None if there is not exactly one): Streamlit's build
    names each lazily loaded module so."""
    import streamlit

    found = list((Path(streamlit.__file__).parent / "static" / "static" / "js")
                 .glob(f"{prefix}.*.js"))
    return "./" + found[0].name if len(found) == 1 else None


# The JavaScript that resolves a module's address as the components do (data carries
# `moduleFromEntry`, `module` and `entrySelector`, from `address_data`).
RESOLVE_JS = """
function gtfModuleUrl(data) {
  const entry = document.querySelector(data.entrySelector);
  return (entry ? new URL(data.moduleFromEntry + data.module, entry.src)
                : new URL("app/static/" + data.module, document.baseURI)).href;
}
"""

# How far from the screen an element that is costly to draw (a chart, a code editor) is drawn:
# far enough that scrolling at a reading pace finds it drawn, near enough that a page's first
# view draws only what is on its first screen or two.
NEAR_SCREEN_PX = 800

# The states of Streamlit's app (its data-test-script-state attribute) in which a run is under
# way, or none has run yet: used by pageAtRest below and by the menu (utils/navigation.py).
RUN_UNDER_WAY_STATES = ["initial", "running", "rerunRequested", "stopRequested"]

# A page is at rest once its script has run (Streamlit's app says so in an attribute, which its
# tests read) and nothing in it changed for AT_REST_QUIET_MS since (what the run sent is drawn),
# or AT_REST_LATEST_MS after it was first asked (a page that never rests).
AT_REST_QUIET_MS, AT_REST_LATEST_MS = 400, 6000

# The JavaScript whose pageAtRest() resolves once the page shown is at rest: once per page (a
# rerun of the page finds it resolved; another page of the app waits anew).
AT_REST_JS = """
function pageAtRest() {
  const page = location.pathname, known = window.__gtfAtRest;
  if (known && known.page === page) return known.promise;
  // A run under way (or none yet); no such attribute (another Streamlit): not known to be.
  const running = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute("data-test-script-state");
    return RUN_UNDER_WAY_STATES.includes(state);
  };
  const promise = new Promise((resolve) => {
    let quiet = null;
    const rested = () => {
      watcher.disconnect();
      clearTimeout(quiet);
      clearTimeout(latest);
      resolve();
    };
    // (The attribute's change when the run ends is a change too: the quiet starts then.)
    const quietly = () => { if (!running()) rested(); };
    const watcher = new MutationObserver(() => {
      clearTimeout(quiet);
      quiet = setTimeout(quietly, QUIET);
    });
    watcher.observe(document.body,
                    { childList: true, subtree: true, attributes: true, characterData: true });
    quiet = setTimeout(quietly, QUIET);
    const latest = setTimeout(rested, LATEST);
  });
  window.__gtfAtRest = { page, promise };
  return promise;
}
""".replace("QUIET", str(AT_REST_QUIET_MS)).replace("LATEST", str(AT_REST_LATEST_MS)) \
    .replace("RUN_UNDER_WAY_STATES", json.dumps(RUN_UNDER_WAY_STATES))

# The JavaScript that calls `job` once `element` is on the screen, or, once the page is at rest,
# comes within NEAR_SCREEN_PX of it; and returns what to disconnect. A page's first view thus
# draws what the learner sees before what is near it: the browser does one thing at a time, and a
# fresh one has the page's text, Streamlit's elements and our modules to run first. An element in
# a closed expander or tab comes near when it is opened.
NEAR_SCREEN_JS = AT_REST_JS + """
// The box the page scrolls in (Streamlit's main area scrolls, not the window). Watched from the
// viewport, an element below it would be clipped by it, whatever the margin: watched from this
// box, the margin counts. None found (the page not yet taller than its box): the viewport, and
// the element is drawn when it shows. Only the wider watch needs it: finding it lays the page out
// (scrollHeight), which done by every chart and editor as it arrived, while the page was still
// being built, cost a fresh browser a layout of the growing page each; at rest it is laid out.
function scrollingBox(element) {
  for (let box = element.parentElement; box; box = box.parentElement) {
    if (/(auto|scroll|overlay)/.test(getComputedStyle(box).overflowY) &&
        box.scrollHeight > box.clientHeight) return box;
  }
  return null;
}

function whenNearScreen(element, job) {
  let done = false, near = null;
  const watch = (marginPx) => {
    const observer = new IntersectionObserver((entries) => {
      if (done || !entries.some((entry) => entry.isIntersecting)) return;
      stop();
      job();
    }, marginPx ? { root: scrollingBox(element), rootMargin: marginPx + "px 0px" } : {});
    observer.observe(element);
    return observer;
  };
  const stop = () => {
    done = true;
    onScreen.disconnect();
    if (near) near.disconnect();
  };
  const onScreen = watch(0);  // (the viewport: what the box clips is not on the screen either)
  pageAtRest().then(() => {
    if (done) return;
    onScreen.disconnect();  // (the wider watch sees the screen too)
    near = watch(%d);
  });
  return { disconnect: stop };
}
""".replace("%d", str(NEAR_SCREEN_PX))


def key_class(key: str) -> str:
    """The class Streamlit gives the place of an element with this key: our styles select an
    element's place by it (a code editor's text, a chart's picture, before their code runs)."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


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
