import os
import sys
from pathlib import Path

# The app run in this process (AppTest) does not warm up in the background (streamlit_app.py); the
# servers the tests start (tests/browser_harness.py) do, as in production.
os.environ["GTF_WARM_UP"] = "0"

# Tests import the project's packages (utils, solutions, exercises) from the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _scan_installed_components_once() -> None:
    """Each new AppTest scans every installed distribution for Streamlit component manifests
    (about 0.5 s here, with some 600 distributions), and the suite makes a few hundred of them.
    The installed packages do not change while the tests run, so the first scan serves them all.
    Where Streamlit moves the scanner, this does nothing and the tests are only slower."""
    import functools

    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:
        return
    scan = getattr(manifest_scanner, "scan_component_manifests", None)
    if scan is not None and not hasattr(scan, "cache_info"):
        manifest_scanner.scan_component_manifests = functools.cache(scan)


_scan_installed_components_once()


def pytest_configure(config) -> None:
    """On two pytest workers (the README's command), each worker's torch computes on one thread.
    Two threads per worker on two cores made each wait for the other's: tests/test_checks.py
    beside a busy core took 139-186 s on two threads, 106-125 s on one."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        import torch

        torch.set_num_threads(1)
