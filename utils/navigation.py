"""The site's pages, built from the registry: used by the entry point and by links between pages.

Every page is registered with st.navigation (so every URL works), but the menu is ours: the home
page, the current chapter's sections, and each other chapter as one entry (its overview). With
Streamlit's own menu, 31 pages collapse to "View 21 more" and hide the page you are on.
"""

from __future__ import annotations

import streamlit as st

from utils import registry
from utils.review_page import render_review_page
from utils.section_view import render_section
from utils.site_config import section_path


def home_page() -> st.Page:
    return st.Page("pages/home.py", title="Home", icon="🏠", default=True)


def review_page() -> st.Page:
    """The spaced-repetition page (utils/review_page.py)."""
    def review() -> None:
        render_review_page()

    return st.Page(review, title="Review", icon="🔁", url_path="review")


def section_page(stem: str, key: str) -> st.Page:
    """The page drawn from pages/<stem>/<n>_<key>.md (utils/section_view.py)."""
    def draw() -> None:
        render_section(stem, key)

    draw.__name__ = section_path(stem, key)  # st.Page names a callable's page after it
    return st.Page(draw, title=dict(registry.chapter(stem).sections)[key],
                   url_path=section_path(stem, key))


def chapter_label(ch: registry.Chapter) -> str:
    return f"{ch.number} · {ch.title}"


def all_pages() -> dict[str, list[st.Page]]:
    pages = {"": [home_page(), review_page()]}
    for ch in registry.CHAPTERS:
        if ch.available:
            pages[chapter_label(ch)] = [section_page(ch.stem, key) for key, _ in ch.sections]
    return pages


def menu_entries(current_url_path: str) -> list[tuple[str, str, str | None]]:
    """The sidebar menu for the page at `current_url_path`, as (label, stem, section key) rows:
    Home (stem None, key ""), Review (stem None, key "review"), then each chapter as one entry (its overview), except the current
    chapter, whose title is a heading (key None) above all its sections."""
    here = next((ch for ch in registry.CHAPTERS if ch.available and any(
        current_url_path == section_path(ch.stem, key) for key, _ in ch.sections)), None)
    rows: list[tuple[str, str | None, str | None]] = [("Home", None, ""), ("Review", None, "review")]
    for ch in registry.CHAPTERS:
        if not ch.available:
            continue
        if ch is here:
            rows.append((chapter_label(ch), ch.stem, None))
            rows += [(title, ch.stem, key) for key, title in ch.sections]
        else:
            rows.append((chapter_label(ch), ch.stem, "overview"))
    return rows


_WRAP_LINKS = """
[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"] { height: auto; }
[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
"""


def sidebar_menu(current: st.Page) -> None:
    """Draw the menu at the top of the sidebar (call before the page runs)."""
    with st.sidebar:
        # Streamlit keeps a page link on one line and cuts what does not fit: long section titles
        # ("Bonus: transposed convolutions from scratch") wrap instead.
        st.html(f"<style>{_WRAP_LINKS}</style>")
        for label, stem, key in menu_entries(current.url_path):
            if key is None:
                st.markdown(f"**{label}**")
            else:
                if stem is None:  # a page of the site's own: Home or Review
                    page = home_page() if key == "" else review_page()
                    st.page_link(page, label=label, icon=page.icon)
                else:
                    st.page_link(section_page(stem, key), label=label)
        st.divider()
