"""How long every page takes to show on a freshly started server, as a learner's browser sees it.

    python benchmarks/cold_start.py                 # this checkout
    python benchmarks/cold_start.py --root /other/checkout --pages mesh lighting
    python benchmarks/cold_start.py --baseline /a/worktree/of/main --pages activations
    python benchmarks/cold_start.py --one-browser   # one learner's browser through the site
    python benchmarks/cold_start.py --cores-apart   # a one-core server, the browser on other cores
    python benchmarks/cold_start.py --first-page 4 --pages optimizers --baseline /a/worktree
                                                    # each page as a fresh server's first page
    python benchmarks/cold_start.py --first-page 3 --returning
                                                    # ... in a browser that has seen the site
    python benchmarks/cold_start.py --first-page 3 --floor --cores-apart
                                                    # ... a one-paragraph Streamlit app first

Starts `streamlit run streamlit_app.py` on 127.0.0.1 (a free port), opens every page of the
navigation in headless Chromium (Debian's, never a downloaded one), each page in a fresh browser
context, twice: the first view (nothing of that page cached yet on this server) and a second view
(a reload: a new session, the server's caches warm), then a rerun of that second view in its
session, as pressing R or using a widget does (the issue's "warm rerun"). Prints the times per
page, the slowest, and the floor (the fastest second view: what Streamlit itself costs), then
stops the server. A page is over target (*) when its first view takes over 3 s or its rerun
over 1 s; how many second views (reloads) take 1 s or less is printed too.

When is a page view done? Streamlit tells the browser over its websocket when a script run ends (a
ForwardMsg with `script_finished`). The page itself records when its websocket's frames say a run
started or ended, and what it shows, each time that changes, at the browser's next animation frame
(RECORDER_JS, installed before the page loads); this script reads the record every POLL_S. (Until
December 2026 this script asked the page every 25 ms and decoded the frames itself, which cost a
fresh browser on one core 0.1-0.4 s of "shown" on heavy pages that a learner's browser does not
pay: see RECORDER_JS.) A view is done when a run of the page has finished successfully, no new run
started for QUIET_S afterwards, and the page shows it: main content present, nothing greyed out as
stale, no skeleton, every chart drawn (of ours, utils/charts.py, every chart on the screen: they
are drawn as they come near it). Two times are printed per view, both from the navigation: "shown"
when that first held (the learner can read and use the page), "settled" when it held for the last
time (a session's first run triggers reruns: utils/browser_store.py restores the learner's work
from the browser); the quiet wait itself is not counted. A third time, "served", is when the server
finished the view's first run, as the page heard it (a page busy drawing reads its websocket
late): about what the server's own work costs, without the browser's drawing.

A learner's browser runs on the learner's machine, not on the server's cores. With --cores-apart
the server, and every process it starts (the code runners), is confined to one core
(sched_setaffinity; it then sizes its runner pool for one core: one runner, no clone), and this
script and the browser to the others: "shown" then no longer counts the browser's drawing
against the server's CPU, or the server's work against the browser's. One core for the server is
the harsh end of Community Cloud, whose apps get up to 2 shared cores.

With --first-page N each chosen page is instead the first page of a freshly started server (a
learner waking a sleeping app from a bookmark), N servers per page (alternating with --baseline
when given), and the medians are printed. Two more times are printed there: "text", when the
page first showed the element that ends it once settled (its last text: the page can be read to
its end, while its figures may still be on their way), and "screen", when the screen first held
as many drawn charts and pieces of text as it does once settled, and nothing on it was still
loading (the page looks as it will, but for widgets' controls still on their way:
utils/first_view_charts.py). With more than one page, the median of the pages' medians follows
(but for settled), and on how many pages the median was shown within 3 s.
With --floor as well, a one-paragraph Streamlit app (this site's config, nothing of ours) is
measured first the same way: what Streamlit's own front end and one script run cost on this
machine in this hour, the floor under every page's times.

With --returning as well, the browser is a returning learner's: one context per checkout, which
opened the site once (home, on a server of its own) before the pages are measured, so that its
HTTP cache holds Streamlit's front end and our modules (their names or queries carry their
content's hash) and its localStorage the learner's (empty) work. Every fresh server of a
checkout listens on the same port, since a browser's cache is kept per origin.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CHROMIUM = os.environ.get("GTF_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"]
QUIET_S = 1.0  # no new script run for this long after a finished one: the view has settled
PAGE_TIMEOUT_S = 300.0  # a page that takes longer is reported as such, and the rest go on
TARGET_FIRST_S, TARGET_RERUN_S = 3.0, 1.0

# utils/chart_snapshots.STYLE_MARK (tests/test_chart_snapshots.py checks they agree).
PICTURE_STYLE_MARK = "/* gtf-chart-picture */"
# Whether one of our charts is on view: drawn by plotly.js, or its picture (its place's
# background until then: utils/chart_snapshots.py), loaded. A place given a picture before the
# chart's element is there counts too.
CHART_SHOWN_JS = """
let picturedCache = null;  // for one check of the page (see RECORDER_JS)
function picturedPlaces() {
  if (picturedCache) return picturedCache;
  const places = picturedCache = [];
  for (const style of document.querySelectorAll('style')) {
    if (!style.textContent.includes(STYLE_MARK)) continue;
    const found = /\\.(st-key-[\\w-]+)/.exec(style.textContent);
    const place = found && document.querySelector('.' + found[1]);
    if (place) places.push(place);
  }
  return places;
}
function pictureLoaded(place) {
  const found = /url\\("?([^")]+)"?\\)/.exec(getComputedStyle(place).backgroundImage);
  return Boolean(found && performance.getEntriesByName(found[1]).length);
}
function inShownPicture(element) {
  const place = element.closest('[data-testid="stElementContainer"]');
  return Boolean(place && picturedPlaces().includes(place) && pictureLoaded(place));
}
function chartShown(chart) {
  if (chart.querySelector('.main-svg')) return true;
  const place = chart.closest('[data-testid="stElementContainer"]');
  return Boolean(place && pictureLoaded(place));
}
""".replace("STYLE_MARK", repr(PICTURE_STYLE_MARK))

# True once the page shows what its last run produced.
DRAWN_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || !main.querySelector('[data-testid="stElementContainer"]')) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  // (A chart's place shows its picture over its element's skeleton: utils/chart_snapshots.py.)
  for (const skeleton of document.querySelectorAll('[data-testid="stSkeleton"]'))
    if (!inShownPicture(skeleton)) return false;
  for (const chart of main.querySelectorAll('[data-testid="stPlotlyChart"]'))
    if (!chart.querySelector('.main-svg')) return false;
  // Ours (utils/charts.py) draw when they come near the screen: those on it must be drawn, or
  // shown as their picture until plotly.js draws them (utils/chart_snapshots.py).
  for (const chart of main.querySelectorAll('.gtf-chart')) {
    const box = chart.getBoundingClientRect();
    // (checkVisibility: not in a closed expander, whose content keeps its boxes.)
    const onScreen = chart.checkVisibility() && box.bottom > 0 && box.top < innerHeight;
    if (onScreen && !chartShown(chart)) return false;
  }
  for (const place of picturedPlaces()) {
    const box = place.getBoundingClientRect();
    if (box.bottom > 0 && box.top < innerHeight && !place.querySelector('.gtf-chart')
        && !pictureLoaded(place)) return false;
  }
  return true;
}"""

# The text of the page's last element with text (not greyed out as stale), or null: the view is
# read to its end once what ends the page when it settles was first on the screen.
LAST_TEXT_JS = """() => {
  const block = document.querySelector('[data-testid="stMain"] [data-testid="stVerticalBlock"]');
  if (!block) return null;
  // From the end: the first child with text is the last one (innerText lays out what it reads).
  for (let i = block.children.length - 1; i >= 0; i--) {
    const last = block.children[i], text = last.innerText;
    if (!text || !text.trim()) continue;
    if (last.matches('[data-stale="true"]') || last.querySelector('[data-stale="true"]'))
      return null;
    return text.trim().slice(0, 300);
  }
  return null;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_paths(root: Path) -> list[tuple[str, str]]:
    """(title, url path) of every page in the navigation, home first, as utils/navigation.py
    builds it (read in a subprocess, so that --root can point at another checkout)."""
    code = ("from utils import registry\n"
            "for ch in registry.CHAPTERS:\n"
            "    if ch.available:\n"
            "        for key, title in ch.sections:\n"
            "            print(f'{ch.number} · {title}\\t{ch.stem}_{key}')\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, check=True, text=True,
                         capture_output=True).stdout
    return [("Home", "")] + [tuple(line.split("\t")) for line in out.splitlines() if line]


class Server:
    def __init__(self, root: Path, cores: set[int] | None = None, port: int | None = None):
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
            # Set in the child before streamlit starts: every thread and process it makes
            # inherits it.
            preexec_fn=(lambda: os.sched_setaffinity(0, cores)) if cores else None)
        started = time.perf_counter()
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2)
                break
            except OSError:
                if time.perf_counter() - started > 120 or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("streamlit did not start")
                time.sleep(0.1)
        self.start_s = time.perf_counter() - started

    def descendants(self) -> list[int]:
        out, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            for task in Path(f"/proc/{pid}/task").glob("*"):
                try:
                    kids = [int(c) for c in (task / "children").read_text().split()]
                except OSError:
                    continue
                out += kids
                todo += kids
        return out

    def stop(self) -> None:
        """Stop the server and every process it started (the runner's zygotes have sessions
        of their own, so they are found through /proc, not through the process group)."""
        kids = self.descendants()
        try:
            os.killpg(self.proc.pid, 15)
            self.proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        for pid in [self.proc.pid, *kids]:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass


# What the screen shows of the page: how many charts on it are drawn, whether it is complete but
# for widgets' controls (every chart on it drawn, no place on it still waiting with its loading
# note, nothing on it greyed out or a skeleton), and how many pieces of the page's text are on it
# (Markdown, not in a widget's label or a caption). A fresh server's first page draws the charts
# kept for it (utils/first_view_charts.py) while the chapter's code imports. (Until December 2026
# the text was not counted: a screen whose top was drawn and whose rest had not arrived yet
# counted as complete, as early as 0.7 s before the page's text reached its end.)
SCREEN_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || !main.querySelector('h1')) return [0, false, 0];  // not the page yet
  const onScreen = (e) => {
    const box = e.getBoundingClientRect();
    return e.checkVisibility() && box.height > 0 && box.bottom > 0 && box.top < innerHeight;
  };
  // (Elements of no height are left stale while a first run goes on: the page's hidden ones.)
  let drawn = 0, complete = ![...main.querySelectorAll('[data-stale="true"], [data-testid="stSkeleton"]')]
    .some((e) => onScreen(e) && !inShownPicture(e));
  for (const chart of main.querySelectorAll('.gtf-chart, [data-testid="stPlotlyChart"]')) {
    if (!onScreen(chart)) continue;
    if (chart.matches('[data-testid="stPlotlyChart"]') ? chart.querySelector('.main-svg')
                                                       : chartShown(chart)) drawn++;
    else complete = false;
  }
  for (const place of picturedPlaces()) {
    if (!onScreen(place) || place.querySelector('.gtf-chart')) continue;
    if (pictureLoaded(place)) drawn++; else complete = false;
  }
  for (const caption of main.querySelectorAll('[data-testid="stCaptionContainer"]'))
    if (onScreen(caption) && caption.innerText.includes(LOADING)) complete = false;
  let texts = 0;
  for (const text of main.querySelectorAll('[data-testid="stMarkdownContainer"]'))
    if (!text.closest('[data-testid="stWidgetLabel"], [data-testid="stCaptionContainer"]')
        && onScreen(text)) texts++;
  return [drawn, complete, texts];
}""".replace("LOADING", repr("the server has just started and is importing"))


# Installed in the tab before it loads a page: records, in the page itself, Streamlit's script
# runs (from its websocket's frames: a ForwardMsg read just far enough to know its kind) and what
# the page shows (the three checks above, after the page changed, at most every CHECK_MS, at an
# animation frame: when the browser is about to draw it anyway), with the time of each.
# Why not ask the page from here every 25 ms, as this script did before: each question was a
# round trip to the tab's main thread that laid the page out and read its whole text (0.3-0.4 s
# of the page's own time in a view of 5.3's Optimizers), and every websocket frame was sent here,
# on the browser's core, to be decoded. As the first page of fresh servers, 4 each, asked vs
# recorded, in the same run: 5.3's Optimizers shown in 5.41 vs 5.23 s, 4.3's batch norm 4.50 vs
# 4.09 s, 5.5's GANs 5.81 vs 5.44 s; the browser's processes (and this script's) used 0.6-0.9 s
# less CPU. The recorder's checks themselves take about 0.2-0.3 s in such a view (`checking_ms`).
CHECK_MS = 50
POLL_S = 0.2  # how often this script reads what the page recorded
RECORDER_JS = """(() => {
  if (window !== window.top || window.__gtfView) return;  // the page, not its components' frames
  const rec = window.__gtfView = {runs: [], samples: [], checks: 0, checking_ms: 0};
  const now = () => performance.timeOrigin + performance.now();  // ms since the epoch
  // ForwardMsg: field 4 new_session (sent as each run starts), field 6 script_finished (an enum:
  // 0 is FINISHED_SUCCESSFULLY).
  const onFrame = (data) => {
    if (!(data instanceof ArrayBuffer)) return;
    const b = new Uint8Array(data);
    let i = 0;
    const varint = () => {
      let value = 0, shift = 0, byte;
      do { byte = b[i++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; }
      while (byte & 0x80 && i < b.length);
      return value;
    };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      // (After a run event, a fresh sample: what the page shows once it has handled it.)
      if (field === 4 && wire === 2) {
        rec.runs.push([now(), "start"]); seen = null; schedule(); return;
      }
      if (field === 6 && wire === 0) {
        rec.runs.push([now(), varint() === 0 ? "done" : "other"]); seen = null; schedule();
        return;
      }
      if (wire === 0) varint();
      else if (wire === 2) { const length = varint(); i += length; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return;
    }
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => onFrame(event.data));
    }
  };
  CHART_SHOWN_JS
  const lastText = LAST_TEXT_JS, screen = SCREEN_JS, drawn = DRAWN_JS;
  let scheduled = false, checkedAt = -1e9, seen = null;
  const check = () => {
    scheduled = false;
    checkedAt = performance.now();
    picturedCache = null;
    const sample = [lastText(), screen(), drawn()], key = JSON.stringify(sample);
    if (key !== seen) { seen = key; rec.samples.push([now(), ...sample]); }
    rec.checks++;
    rec.checking_ms += performance.now() - checkedAt;  // this recorder's own cost
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    const wait = CHECK_MS - (performance.now() - checkedAt);
    if (wait <= 0) requestAnimationFrame(check);
    else setTimeout(() => requestAnimationFrame(check), wait);
  };
  new MutationObserver(schedule).observe(document,
    {subtree: true, childList: true, attributes: true, characterData: true});
  setInterval(schedule, 250);  // what moves without a change to the page: a font that loaded
  // A chart's picture that loaded (a background: no load event, no change to the page).
  new PerformanceObserver(schedule).observe({ type: "resource" });
})()""".replace("CHART_SHOWN_JS", CHART_SHOWN_JS).replace("LAST_TEXT_JS", LAST_TEXT_JS) \
    .replace("SCREEN_JS", SCREEN_JS).replace("DRAWN_JS", DRAWN_JS) \
    .replace("CHECK_MS", str(CHECK_MS))

# What the recorder holds.
_RECORDED_JS = "() => window.__gtfView ? [window.__gtfView.runs, window.__gtfView.samples] : [[], []]"


def _outcome(runs: list, samples: list, now: float
             ) -> tuple[float, float, float, float, float] | None:
    """The view's times (see `view`) from what the page recorded (times in seconds since the
    navigation), once it has settled by `now`; None before."""
    timeline = sorted([(t, 0, kind) for t, kind in runs] + [(t, 1, rest) for t, *rest in samples],
                      key=lambda item: item[:2])
    last_run, is_drawn, drawn_at, shown = None, False, None, None
    for t, what, value in timeline:
        if what == 0:
            # Drawn only once a sample taken after this event says so (the page may not have
            # drawn the run's last messages yet when its end arrives).
            last_run, drawn_at = value, None
        else:
            is_drawn = value[2]
            if last_run == "done" and is_drawn and drawn_at is None:
                drawn_at = t
        if drawn_at is not None and shown is None:
            shown = drawn_at
    if last_run != "done" or drawn_at is None or now - drawn_at < QUIET_S:
        return None
    served = next(t for t, kind in runs if kind == "done")
    final_text, (final_charts, _complete, final_texts), _ = samples[-1][1:]
    to_the_end = next(t for t, text, *_ in samples if text == final_text)
    screen = next((t for t, _text, (charts, complete, texts), _ in samples
                   if complete and charts >= final_charts and texts >= final_texts), shown)
    return shown, drawn_at, served, min(to_the_end, shown), min(screen, shown)


def view(page, url: str | None) -> tuple[float, float, float, float, float]:
    """Open `url` in `page` (None: rerun the page it shows, as pressing R does); seconds until it
    is shown and until it has settled (see the module docstring), until the server had sent it
    (the first run's script_finished), until its text was there to its end (LAST_TEXT_JS: its
    figures may still be on their way), and until the screen first showed as many drawn charts
    and pieces of text as once settled, with nothing on it still loading (SCREEN_JS: widgets'
    controls may still be on their way). The page records them itself (RECORDER_JS)."""
    if not getattr(page, "gtf_recorder", False):  # from the tab's first page on
        page.add_init_script(RECORDER_JS)
        page.gtf_recorder = True
    started = time.time()
    if url is None:
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.keyboard.press("r")  # Streamlit's own shortcut: rerun, same session
    else:
        page.goto(url, wait_until="commit")
    since = lambda ms: ms / 1000 - started  # noqa: E731 - the page's clock, from the navigation
    while True:
        recorded_runs, recorded_samples = page.evaluate(_RECORDED_JS)
        runs = [(since(t), kind) for t, kind in recorded_runs if since(t) >= 0]
        # A rerun's page recorded from before it: what it showed then, it shows from the start.
        before = [rest for t, *rest in recorded_samples if since(t) < 0][-1:]
        samples = [(0.0, *rest) for rest in before] + [
            (since(t), *rest) for t, *rest in recorded_samples if since(t) >= 0]
        now = time.time() - started
        outcome = _outcome(runs, samples, now)
        if outcome is not None:
            return outcome
        if now > PAGE_TIMEOUT_S:
            raise TimeoutError(f"{url or 'the rerun'} did not settle in {PAGE_TIMEOUT_S:.0f} s")
        page.wait_for_timeout(POLL_S * 1000)


def measure(browser, server: Server, path: str,
            shared_context=None) -> tuple[tuple[float, ...], ...]:
    """The page's first view, second view and a rerun of the second (each as `view` gives it),
    in a fresh context, or in a new tab of `shared_context` (a learner's browser)."""
    context = shared_context or browser.new_context(viewport={"width": 1300, "height": 1000})
    tab = context.new_page()
    try:
        first = view(tab, f"{server.url}/{path}")
        second = view(tab, f"{server.url}/{path}")
        rerun = view(tab, None)
    except TimeoutError as err:
        print(f"{path[:44]:<44} {err}", flush=True)
        first = second = rerun = (PAGE_TIMEOUT_S,) * 5
    if shared_context is None:
        context.close()
    else:
        tab.close()
    return first, second, rerun


def over_target(first: tuple[float, ...], rerun: tuple[float, ...]) -> bool:
    return first[0] > TARGET_FIRST_S or rerun[0] > TARGET_RERUN_S


def row_text(title: str, first: tuple[float, ...], second: tuple[float, ...],
             rerun: tuple[float, ...]) -> str:
    flag = " *" if over_target(first, rerun) else ""
    return (f"{title[:40]:<40} {first[2]:7.2f}s {first[0]:7.2f}s {first[1]:8.2f}s   "
            f"{second[2]:7.2f}s {second[0]:7.2f}s {second[1]:8.2f}s   "
            f"{rerun[2]:7.2f}s {rerun[0]:7.2f}s{flag}")


def summarise(rows: list, label: str = "") -> None:
    for which, view_index, target in (("first", 1, TARGET_FIRST_S), ("second", 2, None),
                                      ("rerun", 3, TARGET_RERUN_S)):
        for what, i in (("served", 2), ("shown", 0), ("settled", 1)):
            worst = max(rows, key=lambda r: r[view_index][i])
            goal = f"  target {target:g} s" if i == 0 and target else ""
            print(f"{label}slowest {which} view, {what + ':':<8} {worst[view_index][i]:6.2f} s  "
                  f"({worst[0]}){goal}")
    floor = min(r[2][0] for r in rows)
    slowest = max(r[1][0] for r in rows)
    print(f"{label}floor (fastest second view shown: Streamlit itself): {floor:.2f} s; "
          f"the slowest first view is {slowest / floor:.1f}x that")
    over = sum(1 for r in rows if over_target(r[1], r[3]))
    print(f"{label}pages over a target (*: first view over {TARGET_FIRST_S:g} s or rerun over "
          f"{TARGET_RERUN_S:g} s): {over} of {len(rows)}")
    reloads = sum(1 for r in rows if r[2][0] <= TARGET_RERUN_S)
    print(f"{label}second views (a reload: a new session) shown within {TARGET_RERUN_S:g} s: "
          f"{reloads} of {len(rows)}")


def _returning_browsers(browser, roots: dict[str, Path],
                        cores: set[int] | None) -> dict[str, tuple[object, int]]:
    """Per checkout, a browser context that has opened the site's home page once, and the port
    every fresh server of that checkout listens on (a browser's cache is kept per origin)."""
    returning = {}
    for label, root in roots.items():
        server = Server(root, cores)
        context = browser.new_context(viewport={"width": 1300, "height": 1000})
        try:
            tab = context.new_page()
            view(tab, server.url + "/")
            tab.close()
        finally:
            server.stop()
        returning[label] = (context, server.port)
    return returning


def first_pages(browser, roots: dict[str, Path], pages: list[tuple[str, str]], tries: int,
                cores: set[int] | None, returning: bool = False) -> None:
    """Each page as the first page of `tries` fresh servers per checkout, alternating, in a
    fresh browser context or (`returning`) a new tab of one that has seen the site; prints
    every view and the medians (screen, text, shown, settled, served)."""
    contexts = _returning_browsers(browser, roots, cores) if returning else {}
    print(f"{'page':<40} {'screen':>9} {'text':>8} {'shown':>8} {'settled':>9} {'served':>8}")
    page_medians: dict[str, list] = {label: [] for label in roots}
    for title, path in pages:
        views: dict[str, list] = {label: [] for label in roots}
        for n in range(tries):
            for label in (list(roots) if n % 2 == 0 else list(roots)[::-1]):
                kept_context, port = contexts.get(label, (None, None))
                server = Server(roots[label], cores, port)
                context = kept_context or browser.new_context(
                    viewport={"width": 1300, "height": 1000})
                tab = context.new_page()
                try:
                    shown, settled, served, text, screen = view(tab, f"{server.url}/{path}")
                except TimeoutError:
                    shown = settled = served = text = screen = PAGE_TIMEOUT_S
                finally:
                    tab.close()
                    if kept_context is None:
                        context.close()
                    server.stop()
                views[label].append((screen, text, shown, settled, served))
                print(f"{title[:30] + ' (' + label + ')':<40} {screen:8.2f}s {text:7.2f}s "
                      f"{shown:7.2f}s {settled:8.2f}s {served:7.2f}s", flush=True)
        for label in roots:
            medians = [statistics.median(v[i] for v in views[label]) for i in range(5)]
            page_medians[label].append(medians)
            print(f"{'median: ' + title[:22] + ' (' + label + ')':<40} "
                  + " ".join(f"{m:7.2f}s" for m in medians), flush=True)
    if len(pages) > 1:
        for label, medians in page_medians.items():
            overall = [statistics.median(m[i] for m in medians) for i in range(5)]
            within = sum(1 for m in medians if m[2] <= TARGET_FIRST_S)
            print(f"over {len(pages)} pages ({label}), the median of their medians: screen "
                  f"{overall[0]:.2f} s, text {overall[1]:.2f} s, shown {overall[2]:.2f} s, "
                  f"served {overall[4]:.2f} s; shown within {TARGET_FIRST_S:g} s on {within} "
                  f"of {len(medians)}")


# The floor of a fresh server's first page (--floor): Streamlit's own front end and one script
# run, with this site's config (theme, static serving), and nothing of ours.
BARE_APP = '''import streamlit as st

st.set_page_config(page_title="Streamlit alone", layout="wide")
st.title("Streamlit alone")
st.markdown("One paragraph: what any Streamlit page costs a fresh server and a fresh browser.")
'''


def bare_app(root: Path, folder: Path) -> Path:
    """A one-paragraph Streamlit app in `folder`, with `root`'s .streamlit/config.toml."""
    (folder / ".streamlit").mkdir(parents=True, exist_ok=True)
    shutil.copy(root / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    (folder / "streamlit_app.py").write_text(BARE_APP, encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1],
                        help="the checkout to serve (default: this one)")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another checkout (say, a worktree of main) to serve side by side on "
                             "a fresh server of its own: each page is opened on both, back to "
                             "back, the first of the two alternating from page to page, so that "
                             "both see the same load on a shared machine")
    parser.add_argument("--pages", nargs="*", default=None,
                        help="only pages whose url path contains one of these words (and home, "
                             "which --first-page opens only when one of them is 'home')")
    parser.add_argument("--one-browser", action="store_true",
                        help="open every page in a new tab of one browser context, as a learner "
                             "going through the site does (the browser's cache and compiled "
                             "scripts carry over from page to page; each page is still new to "
                             "the server), instead of a fresh context per page (a browser that "
                             "has never seen the site, for every page)")
    parser.add_argument("--cores-apart", action="store_true",
                        help="run the server (with its code runners) on one core and this "
                             "script and the browser on the others: the browser off the "
                             "server's CPU, as a learner's is, and a one-core server")
    parser.add_argument("--first-page", type=int, default=0, metavar="N",
                        help="open each page as the first page of N fresh servers (per "
                             "checkout), instead of every page on one server")
    parser.add_argument("--floor", action="store_true",
                        help="with --first-page: first measure a one-paragraph Streamlit app "
                             "(with this site's config) the same way, as the floor that "
                             "Streamlit's own front end and a script run set on this machine")
    parser.add_argument("--returning", action="store_true",
                        help="with --first-page: in a browser that has opened the site before "
                             "(its cache holds the front end), not a fresh one each time")
    args = parser.parse_args()
    if args.returning and not args.first_page:
        parser.error("--returning goes with --first-page")
    if args.floor and not args.first_page:
        parser.error("--floor goes with --first-page")
    from playwright.sync_api import sync_playwright

    server_cores = browser_cores = None
    if args.cores_apart:
        cores = sorted(os.sched_getaffinity(0))
        if len(cores) < 2:
            parser.error("--cores-apart needs at least 2 cores")
        # Both on one core, one's warm-up would slow the other's pages (--first-page runs one
        # server at a time).
        if args.baseline and not args.first_page:
            parser.error("--cores-apart serves one checkout at a time: drop --baseline")
        server_cores, browser_cores = {cores[0]}, set(cores[1:])

    pages = page_paths(args.root)
    if args.pages:
        # Home is always opened first on a shared server; with --first-page, when asked for.
        pages = [p for p in pages if (p[1] == "" and ("home" in args.pages or not args.first_page))
                 or (p[1] and any(w in p[1] for w in args.pages))]
    roots = {"this": args.root} | ({"baseline": args.baseline} if args.baseline else {})
    load = os.getloadavg()
    for label, root in roots.items():
        print(f"checkout{' (' + label + ')' if args.baseline else ''}: {root}")
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on "
          f"{len(os.sched_getaffinity(0))} cores")
    print("browser: " + ("one context for every page, a new tab each (a learner's browser)"
                         if args.one_browser else
                         "a returning learner's: one context per checkout, which opened the site "
                         "once, a new tab each" if args.returning else
                         "a fresh context for every page"))
    if args.cores_apart:
        print(f"cores apart: the server on core {sorted(server_cores)}, this script and the "
              f"browser on {sorted(browser_cores)}")
    if args.first_page:
        if browser_cores:
            os.sched_setaffinity(0, browser_cores)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            if args.floor:
                with tempfile.TemporaryDirectory() as folder:
                    first_pages(browser, {"Streamlit alone": bare_app(args.root, Path(folder))},
                                [("one paragraph", "")], args.first_page, server_cores,
                                args.returning)
            first_pages(browser, roots, pages, args.first_page, server_cores, args.returning)
            browser.close()
        load = os.getloadavg()
        print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        return
    servers: dict[str, Server] = {}
    rows: dict[str, list] = {label: [] for label in roots}
    try:
        for label, root in roots.items():
            servers[label] = Server(root, server_cores)
            print(f"server{' (' + label + ')' if args.baseline else ''} answering its health "
                  f"check after {servers[label].start_s:.1f} s")
        print(f"{'page':<40} {'first view':>28}   {'second view':>28}   {'rerun':>17}")
        print(f"{'':<40} {'served':>8} {'shown':>8} {'settled':>9}   "
              f"{'served':>8} {'shown':>8} {'settled':>9}   {'served':>8} {'shown':>8}")
        if browser_cores:
            os.sched_setaffinity(0, browser_cores)  # the browser, started below, inherits it
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            learners = {label: browser.new_context(viewport={"width": 1300, "height": 1000})
                        for label in roots} if args.one_browser else {}
            for n, (title, path) in enumerate(pages):
                order = list(roots) if n % 2 == 0 else list(roots)[::-1]
                for label in order:
                    views = measure(browser, servers[label], path, learners.get(label))
                    rows[label].append((title, *views))
                    shown_as = title if not args.baseline else f"{title[:30]} ({label})"
                    print(row_text(shown_as, *views), flush=True)
            browser.close()
    finally:
        for server in servers.values():
            server.stop()
    for label in roots:
        summarise(rows[label], f"{label}: " if args.baseline else "")
    if args.baseline:
        for what, view_index in (("first", 1), ("second", 2), ("rerun", 3)):
            ratios = [new[view_index][0] / old[view_index][0]
                      for new, old in zip(rows["this"], rows["baseline"])]
            print(f"{what} view shown, this / baseline: median {statistics.median(ratios):.2f} "
                  f"(per page {min(ratios):.2f} to {max(ratios):.2f})")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
