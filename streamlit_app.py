"""Entry point: `streamlit run streamlit_app.py`. Builds the navigation from the registry."""

import streamlit as st

from utils import browser_store, runner
from utils.navigation import all_pages

st.set_page_config(page_title="Grokking the Fundamentals", page_icon="🧠", layout="wide")


@st.cache_resource
def _start_runner() -> bool:
    """Once per server: start the warm code runners in the background."""
    runner.warm_up()
    return True


_start_runner()
st.navigation(all_pages()).run()
# After the page: save (or, on a session's first run, restore) the learner's work in the browser.
browser_store.sync()
