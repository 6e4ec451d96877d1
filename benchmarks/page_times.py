"""How long each page script takes under AppTest: first run (cold caches) and a rerun.

    python benchmarks/page_times.py

The baseline is the home page, which computes nothing.
"""

from _common import timings  # noqa: F401 - sets up the import path

import time

from streamlit.testing.v1 import AppTest

from utils.site_config import ROOT
from tests.test_pages import PAGES


def main() -> None:
    for page in PAGES:
        app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
        app.run()
        runs = []
        for _ in range(2):
            started = time.perf_counter()
            app.switch_page(page)
            app.run()
            runs.append(time.perf_counter() - started)
            assert not app.exception, app.exception
        print(f"{page:<50} first {runs[0] * 1000:8.0f} ms   rerun {runs[1] * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
