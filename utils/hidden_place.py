"""A place on the page for an invisible component (one that only runs code in the browser).

Such a place must be drawn on every run of the page, even on the runs that put nothing in it: a
place drawn on some runs only moves every element after it by one place on the others, and
Streamlit then draws each of those elements anew beside its greyed old self until that run ends.
It must take no room either: an empty element still takes the gap between elements, so the place
(and Streamlit's wrapper around it) is hidden by a style that Streamlit sets aside.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from utils.static_modules import key_class


def hidden_style(key: str) -> str:
    """The style that hides the container with this key."""
    place = key_class(key)
    return (f"<style>.{place}, [data-testid=stLayoutWrapper]:has(> .{place}) "
            "{ display: none; }</style>")


def hidden_place(key: str) -> DeltaGenerator:
    """Draw the hidden container `key` where the script is, and return it (to draw into, or not)."""
    place = st.container(key=key)
    st.html(hidden_style(key))  # style only: Streamlit puts it where it takes no place
    return place
