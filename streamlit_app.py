"""Entry point: `streamlit run streamlit_app.py`. Builds the navigation from the registry."""

import streamlit as st

from utils import browser_store, deep_links, runner
from utils.navigation import all_pages, sidebar_menu

st.set_page_config(page_title="Grokking the Fundamentals", page_icon="🧠", layout="wide")


@st.cache_resource
def _start_runner() -> bool:
    """Once per server: start the warm code runners in the background."""
    runner.warm_up()
    return True


_start_runner()
legacy_first_run = deep_links.in_legacy_first_run()
page = st.navigation(all_pages(), position="hidden")
deep_links.close_false_page_not_found(legacy_first_run, page)
sidebar_menu(page)
page.run()
# After the page: save (or, on a session's first run, restore) the learner's work in the browser.
browser_store.sync()
