"""Memory of the real site: the server and its code runners, idle, with 10 learner sessions open,
and at the peak of two runs, against Community Cloud's memory limits.

    python benchmarks/server_memory.py

Starts `streamlit run` on 127.0.0.1 (a free port) and drives it with headless Chromium, as
benchmarks/cold_start.py does. Memory is summed over the server and every process it started
(the runners' zygotes and their run children): RSS, and PSS (shared pages counted once across
processes, which is closer to what a container's memory limit charges). Three moments:

1. idle: one session on the home page, the runners started and idle (the baseline);
2. 10 sessions: ten browser contexts on ten different pages, each settled, all still open;
3. two runs: in two of those sessions, code that allocates and writes 400 MB is run at once in
   the page editor; the peak is sampled every 20 ms.

Then, for limits of 2.7 GB and 1 GB (Community Cloud allows an app 690 MB to 2.7 GB), how many
runners `pool_size()` would start and how much room the measured figures leave.

Run it on a quiet machine: the runs use an exercise with a light check and a 3 s wall limit, and
with other work on the 2 cores (a load of 4) writing the 400 MB took longer and a run was stopped
(the script then says so and ends). An exercise with a longer limit has a heavier check, which
would be counted as part of the run.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from unittest import mock

from _common import timings  # noqa: F401 - sets up the import path
from cold_start import CHROMIUM, CHROMIUM_FLAGS, Server, page_paths, view

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("import torch, time\n"
         "big = torch.ones(100 * 2**20)  # 400 MB, written so the pages are real\n"
         "time.sleep(0.5)\n")
LIMITS = {"2.7 GB": int(2.7 * 2**30), "1 GB": 2**30}


def process_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of one process in MB; (0, 0) if it is gone."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss += int(line.split()[1])
            elif line.startswith("Pss:"):
                pss += int(line.split()[1])
    except OSError:
        pass
    return rss / 1024, pss / 1024


def tree_mb(root: int, server: Server) -> tuple[float, float, int]:
    """(RSS, PSS) in MB summed over `root` and its descendants, and how many processes."""
    pids = [root, *server.descendants()]
    sizes = [process_mb(pid) for pid in pids]
    return sum(r for r, _ in sizes), sum(p for _, p in sizes), len(pids)


# A verdict is drawn in an alert box, its status first: "Passed (ran in 1.6 s).", "Stopped — ..."
VERDICT_JS = """(name) => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || main.innerText.includes('Running the checks for ' + name)) return null;
  const alert = [...main.querySelectorAll('[data-testid="stAlert"]')].find(
    (a) => /(Passed|Not yet|Stopped|Error)\\b/.test(a.innerText));
  return alert ? alert.innerText.trim() : null;
}"""


def _verdict(tab, name: str, timeout_s: float = 180) -> str:
    """The first line of the exercise's verdict, once its run is over."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        line = tab.evaluate(VERDICT_JS, name)
        if line:
            return line
        tab.wait_for_timeout(200)
    raise TimeoutError(f"no verdict for {name} in {timeout_s:g} s")


def main() -> None:
    from playwright.sync_api import sync_playwright

    from utils import code_editor, registry, sources
    from utils.runner.limits import MAX_CONCURRENT_RUNS, pool_size

    # An exercise whose check needs little memory (raytrace_mesh's render did not fit beside the
    # 400 MB); its wall limit is 3 s, hence a short sleep: the two runs still overlap.
    ex = registry.get("part1_ray_tracing.intersect_ray_1d")
    heavy_code = HEAVY + sources.solution_source(ex)
    paths = [p for _, p in page_paths(ROOT)]
    sessions = [p for p in paths[1::3] if p][:10]
    print(f"load average {os.getloadavg()[0]:.1f}; runners on this machine: {MAX_CONCURRENT_RUNS}")
    server = Server(ROOT)
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            home = browser.new_context().new_page()
            view(home, server.url)
            # The runners start a few seconds after the first page; wait until they are up.
            deadline = time.time() + 180
            while tree_mb(server.proc.pid, server)[2] < 1 + MAX_CONCURRENT_RUNS:
                if time.time() > deadline:
                    raise RuntimeError("the runners did not start")
                time.sleep(1)
            time.sleep(5)
            rows.append(("idle: 1 session, runners idle", tree_mb(server.proc.pid, server)))
            server_alone = process_mb(server.proc.pid)[1]
            tabs = []
            for path in sessions:
                tab = browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()
                view(tab, f"{server.url}/{path}")
                tabs.append(tab)
            time.sleep(3)
            rows.append((f"{1 + len(tabs)} sessions open", tree_mb(server.proc.pid, server)))
            server_sessions = process_mb(server.proc.pid)[1]

            runners = []
            for _ in range(2):
                tab = browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()
                view(tab, f"{server.url}/part1_ray_tracing_rays_and_segments")
                editor = code_editor.find_in_browser(tab, ex.name, timeout_s=60)
                editor.evaluate("(e, c) => e.gtfEditor.setValue(c)", heavy_code)
                runners.append((tab, editor))
            peak, done = [0.0, 0.0, 0], threading.Event()

            def sample() -> None:
                while not done.is_set():
                    now = tree_mb(server.proc.pid, server)
                    if now[1] > peak[1]:
                        peak[:] = now
                    time.sleep(0.02)

            sampler = threading.Thread(target=sample)
            sampler.start()
            try:
                for _, editor in runners:
                    editor.locator(".gtf-editor-run").click()
                for tab, _ in runners:
                    verdict = _verdict(tab, ex.name)
                    if "Passed" not in verdict:
                        tab.screenshot(path="/tmp/gtf_server_memory_failed.png", full_page=True)
                        raise RuntimeError(f"a heavy run did not pass: {verdict}")
            finally:  # (a sampler left running would keep this script from ever ending)
                done.set()
                sampler.join()
            rows.append((f"peak of two 400 MB runs ({3 + len(tabs)} sessions)", tuple(peak)))
            browser.close()
    finally:
        server.stop()

    for name, (rss, pss, n) in rows:
        print(f"{name:<44} RSS {rss:7.0f} MB   PSS {pss:7.0f} MB   ({n} processes)")
    idle_pss, peak_pss = rows[0][1][1], rows[-1][1][1]
    per_runner = (idle_pss - server_alone) / MAX_CONCURRENT_RUNS
    per_run = (peak_pss - rows[1][1][1]) / 2
    print(f"the server alone: {server_alone:.0f} MB PSS idle, {server_sessions:.0f} MB with "
          f"{len(sessions) + 1} sessions; a runner (zygote; an average over the first and its "
          f"clones): {per_runner:.0f} MB; "
          f"a 400 MB run adds {per_run:.0f} MB")
    print("RSS counts pages shared by a zygote and its run child twice (an upper bound); PSS "
          "shares them out (a lower bound where other programs use the same libraries)")
    for label, limit in LIMITS.items():
        with mock.patch("utils.runner.limits.memory_limit_bytes", return_value=limit):
            workers = pool_size()
        estimate = server_sessions + workers * (per_runner + per_run)
        print(f"limit {label}: pool_size() = {workers}; {len(sessions) + 1} sessions and {workers} "
              f"400 MB run(s) at once: about {estimate:.0f} MB PSS, "
              f"{estimate / (limit / 2**20):.0%} of the limit")


if __name__ == "__main__":
    main()
