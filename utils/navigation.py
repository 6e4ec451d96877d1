"""The site's pages, built from the registry: used by the entry point and by links between pages.

Every page is registered with st.navigation (so every URL works), but the menu is ours: the home
page, the current chapter's sections, and each other chapter as one entry (its overview). With
Streamlit's own menu, 31 pages collapse to "View 21 more" and hide the page you are on.
"""

from __future__ import annotations

import streamlit as st

from utils import registry
from utils.site_config import section_path


def home_page() -> st.Page:
    return st.Page("pages/home.py", title="Home", icon="🏠", default=True)


def section_page(stem: str, key: str) -> st.Page:
    ch = registry.chapter(stem)
    keys = [k for k, _ in ch.sections]
    return st.Page(f"pages/{stem}/{keys.index(key)}_{key}.py", title=dict(ch.sections)[key],
                   url_path=section_path(stem, key))


def chapter_label(ch: registry.Chapter) -> str:
    return f"{ch.number}. {ch.title}"


def all_pages() -> dict[str, list[st.Page]]:
    pages = {"": [home_page()]}
    for ch in registry.CHAPTERS:
        if ch.available:
            pages[chapter_label(ch)] = [section_page(ch.stem, key) for key, _ in ch.sections]
    return pages


def current_chapter(page: st.Page) -> registry.Chapter | None:
    """The chapter a page belongs to (None for the home page)."""
    for ch in registry.CHAPTERS:
        if ch.available and any(page.url_path == section_path(ch.stem, key)
                                for key, _ in ch.sections):
            return ch
    return None


def menu_entries(current: st.Page) -> list[tuple[str, str | None, st.Page]]:
    """(kind, label, page) rows of the sidebar menu: "page" rows are links, "heading" rows
    (page None) are the current chapter's title above its sections."""
    here = current_chapter(current)
    rows: list[tuple[str, str | None, st.Page | None]] = [("page", "Home", home_page())]
    for ch in registry.CHAPTERS:
        if not ch.available:
            continue
        if ch is here:
            rows.append(("heading", chapter_label(ch), None))
            rows += [("page", title, section_page(ch.stem, key)) for key, title in ch.sections]
        else:
            rows.append(("page", chapter_label(ch), section_page(ch.stem, "overview")))
    return rows


def sidebar_menu(current: st.Page) -> None:
    """Draw the menu at the top of the sidebar (call before the page runs)."""
    with st.sidebar:
        for kind, label, page in menu_entries(current):
            if kind == "heading":
                st.markdown(f"**{label}**")
            else:
                st.page_link(page, label=label)
        st.divider()
