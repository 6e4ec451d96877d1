"""Open one page of the whole site (navigation included) under Streamlit's AppTest."""

from streamlit.testing.v1 import AppTest

from utils.site_config import ROOT


def open_page(page: str, timeout: float = 300) -> AppTest:
    """The app, switched to `page` (e.g. "pages/part4_backprop/2_graph.py") and run."""
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=timeout)
    app.run()
    app.switch_page(page)
    return app.run()
