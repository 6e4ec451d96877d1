"""The site's pages, built from the registry: used by the entry point and by links between pages."""

from __future__ import annotations

import streamlit as st

from utils import registry


def home_page() -> st.Page:
    return st.Page("pages/home.py", title="Home", icon="🏠", default=True)


def section_page(stem: str, key: str) -> st.Page:
    ch = registry.chapter(stem)
    keys = [k for k, _ in ch.sections]
    return st.Page(f"pages/{stem}/{keys.index(key)}_{key}.py", title=dict(ch.sections)[key],
                   url_path=f"{stem}_{key}")


def all_pages() -> dict[str, list[st.Page]]:
    pages = {"": [home_page()]}
    for ch in registry.CHAPTERS:
        if ch.available:
            pages[f"{ch.number}. {ch.title}"] = [section_page(ch.stem, key)
                                                 for key, _ in ch.sections]
    return pages
