"""The site's pages, built from the registry: used by the entry point and by links between pages.

Every page is registered with st.navigation (so every URL works), but the menu is ours: the home
page, the current chapter's sections, and each other chapter as one entry (its overview). With
Streamlit's own menu, 31 pages collapse to "View 21 more" and hide the page you are on.
"""

from __future__ import annotations

import html
import json

import streamlit as st

from utils import page_icons, registry, static_modules
from utils.review_page import render_review_page
from utils.preload import preload
from utils.section_view import preload_section, render_section
from utils.site_config import section_path


# The menu's own (HTML, not an icon Streamlit checks: see utils/page_icons.py).
HOME_ICON, REVIEW_ICON = "🏠", "🔁"


def home_page() -> st.Page:
    return st.Page("pages/home.py", title="Home", icon=page_icons.HOME, default=True)


def review_page() -> st.Page:
    """The spaced-repetition page (utils/review_page.py)."""
    def review() -> None:
        render_review_page()

    return st.Page(review, title="Review", icon=page_icons.REVIEW, url_path="review")


def section_page(stem: str, key: str) -> st.Page:
    """The page drawn from pages/<stem>/<n>_<key>.md (utils/section_view.py)."""
    def draw() -> None:
        render_section(stem, key)

    draw.__name__ = section_path(stem, key)  # st.Page names a callable's page after it
    return st.Page(draw, title=dict(registry.chapter(stem).sections)[key],
                   url_path=section_path(stem, key))


def section_at(url_path: str) -> tuple[str, str] | None:
    """The (chapter stem, section key) whose page is at `url_path`, or None (Home, Review)."""
    return next(((ch.stem, key) for ch in registry.CHAPTERS if ch.available
                 for key, _ in ch.sections if section_path(ch.stem, key) == url_path), None)


def preload_page(page: st.Page) -> None:
    """Start the browser loading what the page will draw with (utils/preload.py): a section's
    modules; on Home and Review, nothing (but the place, which every page draws)."""
    section = section_at(page.url_path)
    if section is not None:
        preload_section(*section)
    else:
        preload([])


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
    Home (stem None, key ""), Review (stem None, key "review"), then each chapter as one entry
    (its overview), except the current chapter, whose title is a heading (key None) above all
    its sections."""
    section = section_at(current_url_path)
    here = registry.chapter(section[0]) if section else None
    rows: list[tuple[str, str | None, str | None]] = [("Home", None, ""),
                                                      ("Review", None, "review")]
    for ch in registry.CHAPTERS:
        if not ch.available:
            continue
        if ch is here:
            rows.append((chapter_label(ch), ch.stem, None))
            rows += [(title, ch.stem, key) for key, title in ch.sections]
        else:
            rows.append((chapter_label(ch), ch.stem, "overview"))
    return rows


# The menu is one element of ours, not a st.page_link per entry: each of those is a React element
# of Streamlit's whose module a fresh browser loads, and which shows as a grey bar until the rest
# of the page is drawn. A click on one of our links changes the page as st.page_link's does,
# without loading the site anew: the script below puts the page's URL in the browser's history
# and tells Streamlit, which changes pages that way when the browser's Back and Forward buttons
# are used (its "popstate" handler). A click with a modifier key (a new tab), or one before the
# script has run, follows the link as any link does; so does a click while the connection is
# down, or one Streamlit leaves unanswered (no run that draws the new page). Links are relative
# ("review", "./"): a page's URL is one step below the site's, wherever it is served.
_MENU_STYLE = """
.gtf-menu { display: flex; flex-direction: column; gap: 0.25rem; }
.gtf-menu p { margin: 0.5rem 0 0.25rem 0; font-weight: 600; }
.gtf-menu a {
  display: flex; gap: 0.5rem; padding: 0.25rem 0.5rem; border-radius: 0.5rem;
  color: inherit; text-decoration: none; font-size: 0.875rem; line-height: 1.6;
}
.gtf-menu a:hover { background: color-mix(in srgb, currentColor 4%, transparent); }
.gtf-menu a:focus-visible { outline: 2px solid currentColor; outline-offset: -2px; }
.gtf-menu a[aria-current="page"] {
  background: color-mix(in srgb, currentColor 6%, transparent); font-weight: 600;
}
"""

_MENU_JS = """
if (!window.__gtfMenu) {  // one listener per page, whatever the runs
  window.__gtfMenu = true;
  // Streamlit's own links keep these when the site is embedded in another page.
  const KEPT_PARAMS = ["embed", "embed_options"];
  const isRunning = (app) => RUN_UNDER_WAY_STATES.includes(app.dataset.testScriptState);
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a.gtf-menu-link");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey
        || event.shiftKey || event.altKey) return;
    event.preventDefault();
    const target = new URL(link.getAttribute("href"), window.location.href);
    const here = new URLSearchParams(window.location.search);
    for (const name of KEPT_PARAMS)
      for (const value of here.getAll(name)) target.searchParams.append(name, value);
    const app = document.querySelector('[data-testid="stApp"]');
    // Without a connection Streamlit cannot change the page: load it as any link would.
    if (!app || app.dataset.testConnectionState !== "CONNECTED") {
      window.location.assign(target.href);
      return;
    }
    if (target.href !== window.location.href) window.history.pushState(null, "", target.href);
    window.dispatchEvent(new PopStateEvent("popstate"));
    // The new page is read from its top, as after Streamlit's own links.
    const main = document.querySelector('[data-testid="stMain"]');
    for (let box = main; box; box = box.parentElement) if (box.scrollTop) box.scrollTop = 0;
    // On a phone the sidebar covers the page: close it, as Streamlit's own menu does.
    if (window.matchMedia("(max-width: 767.98px)").matches)
      document.querySelector('[data-testid="stSidebarCollapseButton"] button')?.click();
    // Should Streamlit not take the change, load the page as any link would, rather than leave
    // a new URL over the old page. It took it once the new page is marked in this menu (drawn
    // first thing in a run). Until then, a run under way may be the one that marks it, and on a
    // busy server the run may start late (Streamlit shows it only when the server says so):
    // wait for a run to end, or up to 10 s for one to start, then decide.
    const clickedAt = Date.now();
    let runSeen = false;  // a run that started after the click (one under way then may go on)
    const runs = new MutationObserver(() => { runSeen = runSeen || isRunning(app); });
    runs.observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
    const decide = () => {
      const marked = document.querySelector('a.gtf-menu-link[aria-current="page"]');
      if (window.location.href !== target.href  // the learner has moved on
          || (marked && new URL(marked.href).pathname === target.pathname)) {
        runs.disconnect();
        return;
      }
      if (isRunning(app) || (!runSeen && Date.now() - clickedAt < 10000)) {
        setTimeout(decide, 500);
        return;
      }
      runs.disconnect();
      window.location.assign(target.href);
    };
    setTimeout(decide, 1000);
  });
}
""".replace("RUN_UNDER_WAY_STATES", json.dumps(static_modules.RUN_UNDER_WAY_STATES))


def entry_path(stem: str | None, key: str) -> str:
    """A menu entry's URL path: Home "", Review "review", or a section's."""
    return key if stem is None else section_path(stem, key)


def menu_href(stem: str | None, key: str) -> str:
    """A menu entry's link, relative to the page it is on."""
    return entry_path(stem, key) or "./"


def menu_html(current_url_path: str) -> str:
    """The sidebar menu as one piece of HTML (see _MENU_JS for what a click does)."""
    rows = []
    for label, stem, key in menu_entries(current_url_path):
        if key is None:
            rows.append(f"<p>{html.escape(label)}</p>")
            continue
        icon = ""
        if stem is None:  # a page of the site's own: Home or Review
            icon = f'<span aria-hidden="true">{HOME_ICON if key == "" else REVIEW_ICON}</span>'
        here = entry_path(stem, key) == current_url_path
        rows.append(f'<a class="gtf-menu-link" href="{html.escape(menu_href(stem, key))}"'
                    + (' aria-current="page"' if here else "")
                    + f">{icon}<span>{html.escape(label)}</span></a>")
    return (f"<style>{_MENU_STYLE}</style><nav class=\"gtf-menu\" aria-label=\"Site menu\">"
            + "".join(rows) + f"</nav><script>{_MENU_JS}</script>")


def sidebar_menu(current: st.Page) -> None:
    """Draw the menu at the top of the sidebar (call before the page runs)."""
    with st.sidebar:
        # (Our own HTML and script, with labels escaped: nothing of a learner's.)
        st.html(menu_html(current.url_path), unsafe_allow_javascript=True)
        st.divider()
