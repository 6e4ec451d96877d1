"""Entry point: `streamlit run streamlit_app.py`. Builds the navigation from the registry."""

import streamlit as st

from utils import browser_store
from utils.navigation import all_pages

st.set_page_config(page_title="Grokking the Fundamentals", page_icon="🧠", layout="wide")
st.navigation(all_pages()).run()
# After the page: save (or, on a session's first run, restore) the learner's work in the browser.
browser_store.sync()
