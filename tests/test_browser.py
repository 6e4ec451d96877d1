"""The real site in headless Chromium: solve an exercise in the page editor as a learner would.

Starts `streamlit run` on 127.0.0.1, drives Debian's Chromium with Playwright, and stops the server
at the end. The editor is our CodeMirror component (utils/code_editor.py), drawn in the page: we set
its text through the handle it leaves on its element (typing key by key fights auto-indent), and
click its Run button; one test types into it key by key.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.browser_harness import CHROMIUM, CHROMIUM_FLAGS, needs_chromium, serving
from utils import (browser_store, chart_snapshots, code_editor, registry, section_view, sources,
                   store_code)
from utils.site_config import ROOT, section_path

pytestmark = needs_chromium

EX = registry.get("part1_ray_tracing.intersect_ray_1d")
CORRECT = sources.solution_source(EX)
WRONG = CORRECT.replace("(u >= 0) & ", "")
assert WRONG != CORRECT


@pytest.fixture(scope="module")
def site_url():
    with serving("streamlit_app.py", ROOT) as url:
        yield url


@pytest.fixture(scope="module")
def page(site_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1300, "height": 1000})
        yield context.new_page()
        browser.close()


def _in_front(page):
    """`page`, its tab brought to the front, as a learner's click or key does. Headless Chromium
    gives a tab behind another almost no animation frames (3 in 3 s, measured), though it calls
    it visible; and Playwright, which waits for an element to hold still over two frames before
    it scrolls to or clicks it, waited seconds there."""
    page.bring_to_front()
    return page


def _editor(page, name: str, timeout_s: float = 30):
    return code_editor.find_in_browser(_in_front(page), name, timeout_s)


def _set_code(editor, code: str) -> None:
    editor.evaluate("(e, code) => e.gtfEditor.setValue(code)", code)


def _editor_text(editor) -> str:
    return editor.evaluate("(e) => e.gtfEditor.getValue()")


def _run(editor) -> None:
    _in_front(editor.page)
    editor.locator(".gtf-editor-run").click()


def _open_section(page, site_url: str, key: str, stem: str = "part1_ray_tracing") -> None:
    _in_front(page).goto(f"{site_url}/{stem}_{key}")
    page.wait_for_selector("h1", timeout=60_000)
    _assert_no_page_not_found(page)


def _assert_no_page_not_found(page, timeout_s: float = 10) -> None:
    """No "Page not found" dialog over the page. On a fresh server Streamlit sends one for the
    first deep link (its pages/ relic, see utils/deep_links.py) and the site closes it: allow it
    a few seconds after the page's run. The module's first test opens a deep link on a freshly
    started server."""
    dialog = page.get_by_test_id("stDialog").filter(has_text="Page not found")
    # Streamlit sends the dialog before the run that draws the page, and the site's closer is
    # drawn by that run: once the run has ended, the dialog is up, closed or never sent.
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                           timeout=60_000)
    deadline = time.time() + timeout_s
    while dialog.count() and time.time() < deadline:
        page.wait_for_timeout(300)
    assert not dialog.count(), "a 'Page not found' dialog covers the page"


def _wait_until_stored(page, holds: str, what: str, timeout_s: float = 30) -> None:
    """Until the browser's copy of the learner's work (utils/browser_store.py, written at the end
    of a run) satisfies `holds`, a JavaScript function of that copy: a reload before then would
    rightly lose the last run's work."""
    deadline = time.time() + timeout_s
    while not page.evaluate(f"""() => {{
            let saved = {{}};
            try {{ saved = JSON.parse(window.localStorage.getItem({browser_store.STORAGE_KEY!r})
                                      || "{{}}"); }} catch (err) {{ return false; }}
            return Boolean(({holds})(saved));
        }}"""):
        assert time.time() < deadline, f"the browser never stored {what}"
        page.wait_for_timeout(100)


def _stored_code_has(needle: str) -> str:
    """A `holds` for _wait_until_stored: some exercise's stored code contains `needle`."""
    return f"(saved) => Object.values(saved.code || {{}}).some(t => t.includes({needle!r}))"


def test_solve_an_exercise_in_the_page(page, site_url):
    _open_section(page, site_url, "rays_and_segments")
    # The server's first page: its figures were drawn last, in places kept for them, which show
    # the charts kept for them meanwhile (see utils/section_view.py). Once its run is over, no
    # place's note is left, and its charts draw.
    page.locator('[data-testid="stMain"] .gtf-chart .main-svg').first.wait_for(timeout=60_000)
    _wait_for_the_page_to_settle(page)
    for note in (section_view.LOADING_NOTE, section_view.CONTROLS_NOTE):
        assert page.get_by_text(note).count() == 0, note

    # A correct answer passes, also when Run is clicked again while its first run is going:
    # the second click's run waits for the first (no "not finished" verdict).
    frame = _editor(page, EX.name)
    _set_code(frame, CORRECT)
    _run(frame)
    page.get_by_test_id("stSpinner").first.wait_for(timeout=30_000)
    _run(frame)
    page.get_by_text("Passed", exact=False).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    assert not page.get_by_text("has not finished yet", exact=False).count()

    # The chapter's answers file, downloaded right away, holds the code just passed.
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Your answers for this chapter").click()
    with page.expect_download(timeout=60_000) as download:
        sidebar.get_by_role("button", name="Download as a .py file").click()
    answers_text = Path(download.value.path()).read_text()
    assert CORRECT.strip() in answers_text, answers_text[:2000]

    # A wrong answer shows the check's message.
    frame = _editor(page, EX.name)
    _set_code(frame, WRONG)
    _run(frame)
    page.get_by_text("Not yet", exact=False).first.wait_for(timeout=60_000)
    page.get_by_text("behind the ray's origin", exact=False).first.wait_for(timeout=10_000)

    # Switch to another section and back: the code is still in the editor.
    page.get_by_role("link", name="Triangles").click()
    page.get_by_text("barycentric coordinates", exact=False).first.wait_for(timeout=30_000)
    page.get_by_role("link", name="Rays and segments").click()
    frame = _editor(page, EX.name)
    assert _editor_text(frame).strip() == WRONG.strip()


def _wait_for_editor_text(page, name: str, needle: str, timeout_s: float = 30) -> None:
    deadline = time.time() + timeout_s
    while needle not in _editor_text(_editor(page, name)):
        assert time.time() < deadline, f"the editor for {name} never showed {needle!r}"
        page.wait_for_timeout(500)


def test_code_survives_a_browser_reload(page, site_url):
    # A new visit (a new session) restores what the previous test submitted from localStorage.
    _open_section(page, site_url, "rays_and_segments")
    _wait_for_editor_text(page, EX.name, WRONG.strip())

    frame = _editor(page, EX.name)
    marked = WRONG + "\n# kept across reloads\n"
    _set_code(frame, marked)
    _run(frame)
    page.get_by_text("Not yet", exact=False).first.wait_for(timeout=60_000)
    _wait_until_stored(page, _stored_code_has("# kept across reloads"), "the code run")
    page.reload()
    page.wait_for_selector("h1", timeout=60_000)
    _assert_no_page_not_found(page)
    _wait_for_editor_text(page, EX.name, "# kept across reloads")


def _script_runs(tab) -> list[str]:
    """A list that fills with the starts of the tab's script runs and how they ended, as the
    browser is told (a run stopped for a rerun is not reported as finished: the next starts)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    runs: list[str] = []

    def listen(socket):
        def on_frame(payload):
            if isinstance(payload, (bytes, bytearray)):
                msg = ForwardMsg.FromString(payload)
                kind = msg.WhichOneof("type")
                if kind == "new_session":
                    runs.append("started")
                elif kind == "script_finished":
                    runs.append(ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished))
        socket.on("framereceived", on_frame)

    tab.on("websocket", listen)
    return runs


def _saved_work_cookie(tab) -> str | None:
    return next((c["value"] for c in tab.context.cookies()
                 if c["name"] == store_code.SAVED_COOKIE), None)


def test_a_new_visit_draws_the_page_once_with_the_learners_work_in_it(page, site_url):
    # A new session in a browser that keeps some of the learner's work (it has the cookie that
    # says so) waits for the browser's copy before the page draws anything
    # (utils/browser_store.py): its first run stops early for the run that restores it, so one
    # whole run draws the page, the learner's code already in it.
    tab = page.context.new_page()  # the same browser storage as the earlier tests'
    runs = _script_runs(tab)
    try:
        _open_section(tab, site_url, "rays_and_segments")
        _wait_for_editor_text(tab, EX.name, "# kept across reloads")
        tab.wait_for_timeout(2000)  # time for any later run to show up
    finally:
        tab.close()
    # (A run stopped for a rerun is not reported as finished: the next one just starts.)
    assert runs == ["started", "started", "FINISHED_SUCCESSFULLY"], runs


def _holding_the_stores_answers(held: list):
    """A handler for Playwright's route_web_socket: what the page sends Streamlit goes on at
    once, but for a rerun with a browser store's value in it, which waits in `held` (as a call
    that sends it)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    def route(ws):
        server = ws.connect_to_server()

        def to_server(message):
            msg = BackMsg.FromString(message) if isinstance(message, bytes) else None
            if msg is not None and msg.WhichOneof("type") == "rerun_script" and any(
                    browser_store._KEY in w.id for w in msg.rerun_script.widget_states.widgets):
                held.append(lambda: server.send(message))
            else:
                server.send(message)
        ws.on_message(to_server)
    return route


def test_a_new_browser_is_not_asked_and_its_word_is_checked(page, site_url):
    """A browser with no cookie of ours says it keeps none of the learner's work: the page is
    drawn by the session's first run, with no question to the browser (utils/store_code.py).
    Once the browser keeps some work, it has the cookie. Without the cookie but with work kept
    (cookies cleared, say), the browser's check finds the work and the page is drawn again with
    it."""
    context = page.context.browser.new_context(viewport={"width": 1300, "height": 1000})
    try:
        tab = context.new_page()
        runs = _script_runs(tab)
        _open_section(tab, site_url, "rays_and_segments")
        editor = _editable_editor(tab, EX.name)
        tab.wait_for_timeout(2000)  # time for any later run to show up
        assert runs == ["started", "FINISHED_SUCCESSFULLY"], runs
        assert _saved_work_cookie(tab) is None  # nothing kept yet

        _set_code(editor, WRONG + "\n# kept without a cookie\n")
        _run(editor)
        tab.get_by_text("Not yet", exact=False).first.wait_for(timeout=60_000)
        _wait_until_stored(tab, _stored_code_has("# kept without a cookie"), "the code run")
        assert _saved_work_cookie(tab) == "1"

        # The check's answer is held back a while on its way to the server: meanwhile the
        # editor shows the stub, read-only (what is typed there would win over the kept code).
        held: list = []
        tab.route_web_socket("**/_stcore/stream", _holding_the_stores_answers(held))
        context.clear_cookies()
        runs.clear()
        _reload(tab)
        editor = _editor(tab, EX.name)
        deadline = time.time() + 30
        while not held:
            assert time.time() < deadline, "the store never checked the browser's copy"
            tab.wait_for_timeout(100)
        tab.wait_for_timeout(1000)
        assert "# kept without a cookie" not in _editor_text(editor)
        assert not editor.locator('.cm-content[contenteditable="true"]').count()
        for send in held:
            send()
        _wait_for_editor_text(tab, EX.name, "# kept without a cookie")
        _editable_editor(tab, EX.name)
        tab.wait_for_timeout(2000)
        # The first run, then the one the browser's copy asked for.
        assert runs == ["started", "FINISHED_SUCCESSFULLY"] * 2, runs
        deadline = time.time() + 10
        while _saved_work_cookie(tab) != "1":  # noted again by the next save
            assert time.time() < deadline, "the cookie never came back"
            tab.wait_for_timeout(100)
    finally:
        context.close()


def test_two_tabs_keep_each_others_work(page, site_url):
    """The site open in two tabs of one browser: both save the learner's work to the same
    browser copy at the end of their runs. Tab B, opened first, holds an older copy of tab A's
    exercise; its save after its own run must not bring that older code back, and a reload of
    either tab shows both tabs' work (utils/browser_store.py MERGE_JS)."""
    other = registry.get("part1_ray_tracing.intersect_rays_1d")
    tab_b = page.context.new_page()
    try:
        _open_section(tab_b, site_url, other.section)
        _editable_editor(tab_b, other.name)
        _open_section(page, site_url, "rays_and_segments")
        frame = _editable_editor(page, EX.name)
        _set_code(frame, WRONG + "\n# saved by tab A\n")
        _run(frame)
        _wait_until_stored(page, _stored_code_has("# saved by tab A"), "tab A's run")

        frame_b = _editable_editor(tab_b, other.name)
        _set_code(frame_b, sources.stub_source(other) + "\n# saved by tab B\n")
        _run(frame_b)
        _wait_until_stored(tab_b, _stored_code_has("# saved by tab B"), "tab B's run")
        assert page.evaluate(f"""() => JSON.parse(window.localStorage.getItem(
            {browser_store.STORAGE_KEY!r})).code[{EX.id!r}]""").endswith("# saved by tab A\n")

        _reload(page)
        _wait_for_editor_text(page, EX.name, "# saved by tab A")
        _reload(tab_b)
        _wait_for_editor_text(tab_b, other.name, "# saved by tab B")
    finally:
        tab_b.close()


def test_a_tab_is_told_when_another_saves_newer_code(page, site_url):
    """Two tabs on the same exercise: once tab B runs other code, tab A (not reloaded) says so
    above its editor, through the browser's storage event (utils/browser_store.py WATCH_JS).
    Running A's code, even unchanged, keeps it: A's notice goes, B's comes, and B's reload
    brings A's code in."""
    notice = "Another open tab of this site has saved other code for this exercise"
    tab_b = page.context.new_page()
    try:
        _open_section(page, site_url, "rays_and_segments")
        frame_a = _editable_editor(page, EX.name)
        _set_code(frame_a, WRONG + "\n# from tab A\n")
        _run(frame_a)
        _wait_until_stored(page, _stored_code_has("# from tab A"), "tab A's run")
        _open_section(tab_b, site_url, "rays_and_segments")
        frame_b = _editable_editor(tab_b, EX.name)
        _set_code(frame_b, WRONG + "\n# saved by tab B\n")
        _run(frame_b)
        _wait_until_stored(tab_b, _stored_code_has("# saved by tab B"), "tab B's run")
        page.get_by_text(notice).wait_for(timeout=60_000)  # A told while behind B (B ran last)
        # Each tab's save wakes the other: both still come to rest (no reruns back and forth).
        _wait_for_the_page_to_settle(page)
        _wait_for_the_page_to_settle(tab_b)
        assert page.get_by_text(notice).count() == 1  # only above that exercise's editor
        assert tab_b.get_by_text(notice).count() == 0

        _run(_editable_editor(page, EX.name))  # A's code as it was
        _wait_until_stored(page, _stored_code_has("# from tab A"), "tab A's second run")
        tab_b.get_by_text(notice).wait_for(timeout=60_000)  # and B while behind A
        _wait_for_the_page_to_settle(page)
        assert page.get_by_text(notice).count() == 0
        _reload(tab_b)
        _wait_for_editor_text(tab_b, EX.name, "# from tab A")
        _wait_for_the_page_to_settle(tab_b)
        assert tab_b.get_by_text(notice).count() == 0
    finally:
        tab_b.close()


def test_the_sidebar_menu_changes_pages_in_the_same_document(page, site_url):
    """The menu is one element of plain links (utils/navigation.py): a click changes the page
    without loading the site again, as st.page_link did, from the new page's top; the page you
    are on is marked, and the browser's Back button returns."""
    _open_section(page, site_url, "graph", stem="part4_backprop")
    sections = dict(registry.chapter("part4_backprop").sections)
    sidebar = page.get_by_test_id("stSidebar")
    current = sidebar.locator('a[aria-current="page"]')
    assert current.inner_text() == sections["graph"]
    assert page.evaluate("""() => {
        window.gtfSameDocument = true;
        const main = document.querySelector('[data-testid="stMain"]');
        let scrolled = false;
        for (let box = main; box; box = box.parentElement) {
            box.scrollTop = 2000;
            scrolled = scrolled || box.scrollTop > 0;
        }
        return scrolled;
    }"""), "the page could not be scrolled down first"
    sidebar.get_by_role("link", name=sections["backward_by_hand"], exact=True).click()
    page.get_by_role("heading", name=sections["backward_by_hand"], level=1).wait_for(
        timeout=60_000)
    assert page.url.endswith("/" + section_path("part4_backprop", "backward_by_hand"))
    assert page.evaluate("() => window.gtfSameDocument === true"), "the site was loaded again"
    assert current.inner_text() == sections["backward_by_hand"]
    assert page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]');
        for (let box = main; box; box = box.parentElement) if (box.scrollTop) return false;
        return true;
    }"""), "the new page was not shown from its top"
    page.go_back()
    page.get_by_role("heading", name=sections["graph"], level=1).wait_for(timeout=60_000)
    assert page.evaluate("() => window.gtfSameDocument === true")
    _assert_no_page_not_found(page)


def test_a_menu_click_streamlit_leaves_unanswered_loads_the_page(page, site_url):
    """Should Streamlit not answer the menu's history change (utils/navigation.py), the click
    loads the new page as any link would; an embedded site's parameters go with it."""
    stem = "part4_backprop"
    sections = dict(registry.chapter(stem).sections)
    tab = page.context.new_page()
    try:
        # A listener on window before Streamlit's own, which then never hears of the change.
        tab.add_init_script("""window.addEventListener(
            "popstate", (event) => event.stopImmediatePropagation());""")
        tab.goto(f"{site_url}/{section_path(stem, 'graph')}?embed=true&embed_options=show_toolbar")
        tab.wait_for_selector("h1", timeout=60_000)
        _assert_no_page_not_found(tab)
        tab.evaluate("() => { window.gtfSameDocument = true; }")
        tab.get_by_test_id("stSidebar").get_by_role(
            "link", name=sections["backward_by_hand"], exact=True).click()
        tab.get_by_role("heading", name=sections["backward_by_hand"], level=1).wait_for(
            timeout=60_000)
        assert tab.evaluate("() => window.gtfSameDocument === undefined"), "not loaded anew"
        assert tab.url.endswith(f"/{section_path(stem, 'backward_by_hand')}"
                                "?embed=true&embed_options=show_toolbar"), tab.url
        _assert_no_page_not_found(tab)
    finally:
        tab.close()


def test_type_an_expression_and_see_its_graph(page, site_url):
    """Chapter 5.4: the graph of a typed expression, with backprop's gradients on its nodes."""
    _open_section(page, site_url, "graph", stem="part4_backprop")
    # The sidebar shows the page you are on among its chapter's sections, with nothing hidden.
    chapter = registry.chapter("part4_backprop")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("link", name=chapter.sections[0][1], exact=True).wait_for(timeout=30_000)
    for _, title in chapter.sections:
        assert sidebar.get_by_role("link", name=title, exact=True).is_visible(), title
    assert sidebar.get_by_role("link", name="5.1 · Ray tracing").is_visible()
    assert sidebar.get_by_text(re.compile(r"View \d+ more")).count() == 0
    box = page.get_by_label("Expression")
    box.fill("a * a")
    box.press("Enter")
    # a = [1, 2, 3] is used twice: its gradient is 2a.
    page.get_by_text("grad [2., 4., 6.]", exact=False).first.wait_for(timeout=60_000)
    box.fill("a ** 2")
    box.press("Enter")
    page.get_by_text("is not supported", exact=False).first.wait_for(timeout=30_000)


def _wait_for_the_page_to_settle(page, timeout_s: float = 150, quiet_s: float = 1.5) -> None:
    """Until the script has stopped running and no element is left stale for `quiet_s` on end.

    A section's first load is more than one script run: the browser store hands back what this
    browser kept and the app reruns (utils/browser_store.py). While a rerun draws, the elements of
    the run before stay in the page, greyed (data-stale), until each is replaced or the run ends;
    what is counted then is not what the learner is left with (on a page's first visit since the
    server started, until utils/caching.py kept cached charts' ids, 10 or 11 charts for 6). The
    bound is the test's earlier one: runs have taken over a minute on 2 busy cores while the code
    runner starts its zygotes."""
    app = page.get_by_test_id("stApp")
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    while time.monotonic() < deadline:
        settled = (app.get_attribute("data-test-script-state") == "notRunning"
                   and page.locator("[data-stale=true]").count() == 0)
        if not settled:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"the page was still running after {timeout_s:g} s")


# Installed before the page loads: each place given a chart's picture (utils/chart_snapshots.py),
# by its class, with its background when first seen and whether the chart's element was there.
_PICTURE_WATCH = """
window.__gtfPictures = {};
new MutationObserver(() => {
  for (const style of document.querySelectorAll('style')) {
    if (!style.textContent.includes(MARK)) continue;
    const found = /\\.(st-key-[\\w-]+)/.exec(style.textContent);
    const place = found && document.querySelector('.' + found[1]);
    if (!place || window.__gtfPictures[found[1]]) continue;
    window.__gtfPictures[found[1]] = {
      background: getComputedStyle(place).backgroundImage,
      chartDrawn: Boolean(place.querySelector('.gtf-chart .main-svg, .gtf-chart canvas')) };
  }
}).observe(document, { childList: true, subtree: true });
""".replace("MARK", repr(chart_snapshots.STYLE_MARK))


def test_a_first_screen_chart_is_its_picture_until_plotly_draws_it(page, site_url):
    """utils/chart_snapshots.py: the mesh page's 3D bunny, on its first screen, is shown as its
    picture from the moment its place is (usually before the chart's own element is there, which
    can come in the same update when its modules are quick); once the page is at rest plotly.js
    draws the chart, and the picture goes."""
    context = page.context.browser.new_context(viewport={"width": 1300, "height": 1000})
    try:
        tab = context.new_page()
        tab.add_init_script(_PICTURE_WATCH)
        _open_section(tab, site_url, "mesh")
        chart = tab.locator(".gtf-chart").first
        chart.locator(".gl-container canvas").first.wait_for(timeout=60_000)  # the live chart
        pictures = tab.evaluate("() => window.__gtfPictures")
        assert len(pictures) == 1, pictures
        (place, seen), = pictures.items()
        assert "/app/static/snapshots/" in seen["background"], seen
        assert not seen["chartDrawn"], seen  # the picture came with the place, before plotly.js
        url = seen["background"].split('"')[1]
        answer = tab.request.get(url)
        assert answer.ok and answer.headers["content-type"] == "image/png"
        assert tab.locator(f".{place} .gtf-chart").count() == 1
        tab.wait_for_function(f"() => getComputedStyle(document.querySelector('.{place}'))"
                              ".backgroundImage === 'none'", timeout=30_000)
        assert tab.locator(".gtf-chart-error").count() == 0
    finally:
        context.close()


# Every chart on a page, drawn or not yet (ours draw as they come near the screen: utils/charts.py).
_CHARTS = "[data-testid=stPlotlyChart], .gtf-chart"


def _draw_every_chart(page) -> None:
    """Scroll each chart of ours into view, and wait until it is drawn."""
    for chart in page.locator(".gtf-chart").all():
        if chart.evaluate("(e) => e.checkVisibility()"):  # not in a closed expander
            chart.scroll_into_view_if_needed()
            chart.locator(".main-svg").first.wait_for(timeout=30_000)


def test_walk_through_a_vae_latent_space(page, site_url):
    """Chapter 5.5: moving a latent slider redraws the decoder's image, with no error, and every
    chart the page showed before the move is still there after it."""
    _open_section(page, site_url, "autoencoders", stem="part5_vaes_gans")
    page.get_by_text("Walk through it", exact=False).first.wait_for(timeout=60_000)
    _wait_for_the_page_to_settle(page)
    slider = page.locator("input[type=range][aria-label=\"z₁\"]")
    slider.wait_for(timeout=30_000)
    before = slider.input_value()
    charts_before = page.locator(_CHARTS).count()
    slider.focus()
    # One step at a time: a key pressed while the rerun of the last one redraws the slider can be
    # lost (seen on a busy machine), and what matters here is the redraw, not the key count.
    for step in range(1, 4):
        page.keyboard.press("ArrowRight")
        deadline = time.monotonic() + 30
        while float(slider.input_value()) <= float(before) + 0.05 * (step - 0.5) \
                and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        page.wait_for_timeout(500)
    assert float(slider.input_value()) > float(before)
    _wait_for_the_page_to_settle(page)
    assert page.get_by_text("Traceback", exact=False).count() == 0
    assert page.locator(_CHARTS).count() >= charts_before > 0
    # …and drawn, where the learner can see them.
    assert page.locator(".gtf-chart-error").count() == 0
    assert page.evaluate("""() => [...document.querySelectorAll('.gtf-chart')].every((chart) => {
      const box = chart.getBoundingClientRect();
      const shown = chart.checkVisibility() && box.bottom > 0 && box.top < innerHeight;
      return !shown || chart.querySelector('.main-svg');
    })""")


_COUNTS_BY_LOOP = """
def bigram_counts(words, stoi):
    N = torch.zeros((len(stoi), len(stoi)), dtype=torch.int64)
    for w in words:
        chs = ["."] + list(w) + ["."]
        for a, b in zip(chs, chs[1:]):
            N[stoi[a], stoi[b]] += 1
    return N
"""


def test_count_bigrams_then_draw_them_and_train_the_mlp(page, site_url):
    """Chapters 4.1-4.2: a wrong bigram_counts is named, a right one passes, "Draw my counts" runs
    it on the chapter's names in the sandbox; 4.2's "Train my model" trains an MLP there."""
    _open_section(page, site_url, "counting", stem="makemore_bigrams")
    frame = _editor(page, "bigram_counts", timeout_s=90)
    _set_code(frame, _COUNTS_BY_LOOP.replace('["."] + list(w) + ["."]', "list(w)"))
    _run(frame)
    page.get_by_text("Not yet", exact=False).first.wait_for(timeout=60_000)
    page.get_by_text("wrap each name in '.' at both ends", exact=False).first.wait_for(
        timeout=10_000)

    frame = _editor(page, "bigram_counts")
    _set_code(frame, _COUNTS_BY_LOOP)
    _run(frame)
    page.get_by_text("Passed", exact=False).first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Draw my counts").click()
    page.get_by_text("Your counts add up to", exact=False).first.wait_for(timeout=90_000)
    assert page.get_by_text("Traceback", exact=False).count() == 0

    _open_section(page, site_url, "training", stem="makemore_mlp")
    page.get_by_role("button", name="Train my model").click()
    page.get_by_text("After 3,000 steps at rate 0.1: train loss", exact=False).first.wait_for(
        timeout=90_000)
    assert page.get_by_text("Traceback", exact=False).count() == 0


def test_long_stub_is_shown_whole_and_wraps(page, site_url):
    """The longest stub (BatchNorm2d) is in view without scrolling, and its long docstring lines
    wrap under their own indentation instead of scrolling sideways."""
    _open_section(page, site_url, "resnets", stem="part2_cnns")
    page.get_by_text("BatchNorm2d", exact=False).first.scroll_into_view_if_needed()
    editor = _editable_editor(page, "BatchNorm2d", timeout_s=90)  # the learner's work restored
    editor.scroll_into_view_if_needed()
    layout = editor.evaluate("""(e) => {
        const scroller = e.querySelector('.cm-scroller');
        // a docstring line that wraps: its second row starts under its first text, not at 0
        const line = [...e.querySelectorAll('.cm-line')].find(l =>
            l.getClientRects().length && l.getBoundingClientRect().height > 30 &&
            l.textContent.startsWith('    ') && !l.textContent.trim().startsWith('def'));
        const range = document.createRange();
        range.selectNodeContents(line);
        const rows = [...range.getClientRects()];
        const firstText = rows[0].left, lowest = rows[rows.length - 1].left;
        return {scrollWidth: scroller.scrollWidth, clientWidth: scroller.clientWidth,
                scrollHeight: scroller.scrollHeight, clientHeight: scroller.clientHeight,
                lineLeft: line.getBoundingClientRect().left, firstText, lowest};
    }""")
    assert layout["scrollWidth"] <= layout["clientWidth"], layout  # wrapped, not sideways
    assert layout["scrollHeight"] <= layout["clientHeight"] + 1, layout  # the whole stub in view
    assert layout["lowest"] > layout["lineLeft"] + 20, layout  # wrapped under its indent


def test_typing_in_the_editor_indents_and_runs_with_ctrl_enter(page, site_url):
    """Typed key by key: Enter after a colon indents the next line, Enter is never taken by a
    completion, and Ctrl+Enter runs the checks on what was typed; a cleanup call while the
    editor is still in the page leaves it working."""
    from utils.checks import part1_ray_tracing as checks

    def returns_none(ray, segment):
        return None

    with pytest.raises(AssertionError) as found:
        checks.test_intersect_ray_1d(returns_none)
    expected = str(found.value).splitlines()[0][:60]

    _open_section(page, site_url, "rays_and_segments")
    editor = _editable_editor(page, EX.name, timeout_s=90)  # the learner's work restored
    # Streamlit calls a call's cleanup also when a rerun's data overtook that call (on a busy
    # page, the restore's): the editor, still in the page, must stay alive through it.
    editor.evaluate("(e) => e.gtfCleanup()")
    page.wait_for_timeout(100)
    _set_code(editor, "")
    editor.locator(".cm-content").click()
    page.keyboard.type(f"def {EX.name}(ray, segment):")
    page.keyboard.press("Enter")
    page.keyboard.type("return None")
    page.keyboard.press("Enter")
    assert _editor_text(editor) == f"def {EX.name}(ray, segment):\n    return None\n    "
    page.keyboard.press("Control+Enter")
    page.get_by_text(expected, exact=False).first.wait_for(timeout=60_000)
    # Nothing is closed for the learner: typed line by line, a call's ")" is never doubled.
    editor = _editor(page, EX.name)
    editor.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type('x = max(')
    page.keyboard.press("Enter")
    page.keyboard.type('1, 2)')
    text = _editor_text(editor)
    assert text.rstrip().endswith("1, 2)") and text.count("(") == text.count(")"), text[-60:]


def test_what_was_typed_is_kept_through_a_toggle_a_run_and_a_reload(page, site_url):
    """Text typed and left is kept when a toggle swaps the editor out (disposing of it) and back;
    text run with Ctrl+Enter after that is what a later rerun and a reload keep."""
    _open_section(page, site_url, "rays_and_segments")
    _editable_editor(page, EX.name, timeout_s=90)  # the learner's work restored
    position = [ex.name for ex in registry.chapter("part1_ray_tracing").exercises
                if ex.section == "rays_and_segments"].index(EX.name)
    editor = _editor(page, EX.name, timeout_s=90)
    _set_code(editor, CORRECT)
    editor.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("# left, then swapped")
    toggle = page.get_by_test_id("stCheckbox").filter(has_text="From memory").nth(position)
    swapped_out = editor.element_handle()
    toggle.click()  # leaves the editor and swaps it out, in one rerun
    page.get_by_text(f"{EX.title} (from memory)", exact=False).first.wait_for(timeout=30_000)
    # The editor that left the page was disposed of (CodeMirror's view removes itself).
    page.wait_for_timeout(500)
    assert swapped_out.evaluate("(e) => !e.isConnected && !e.querySelector('.cm-editor')")
    toggle.click()
    page.wait_for_timeout(1500)
    editor = _editor(page, EX.name)
    assert "# left, then swapped" in _editor_text(editor)

    editor.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("# run with ctrl+enter")
    page.keyboard.press("Control+Enter")
    page.get_by_text("Passed", exact=False).first.wait_for(timeout=60_000)
    page.get_by_test_id("stExpander").filter(has_text="Solution").first.click()  # a rerun
    page.wait_for_timeout(2000)  # the save runs at the end of the rerun
    page.reload()
    page.wait_for_selector("h1", timeout=60_000)
    _wait_for_editor_text(page, EX.name, "# run with ctrl+enter")


def _editable_editor(page, name: str, timeout_s: float = 60):
    """The editor for `name` once the session has restored the learner's work (until then it
    is read-only)."""
    deadline = time.time() + timeout_s
    while True:
        editor = _editor(page, name, timeout_s)
        if editor.locator('.cm-content[contenteditable="true"]').count():
            return editor
        assert time.time() < deadline, f"the editor for {name} never became editable"
        page.wait_for_timeout(200)


def _type_at_the_end(page, editor, text: str) -> None:
    editor.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def _reload(page) -> None:
    _in_front(page).reload()
    page.wait_for_selector("h1", timeout=60_000)


def test_nothing_typed_is_lost_to_a_reload_and_a_reset_stays_reset(page, site_url):
    """What the learner typed is kept in the browser as a draft until the browser store has it:
    a reload straight after typing, straight after leaving the editor, or during a run brings it
    back. Before the session has restored the learner's work the editor is read-only, so text
    typed over the stub then cannot win over the saved code; a draft never undoes a reset."""
    draft_key = code_editor.DRAFT_PREFIX + EX.id
    position = [ex.name for ex in registry.chapter("part1_ray_tracing").exercises
                if ex.section == "rays_and_segments"].index(EX.name)
    _open_section(page, site_url, "rays_and_segments")

    # Typed, then reloaded at once.
    _type_at_the_end(page, _editable_editor(page, EX.name), "# typed, then reloaded")
    drafted = page.evaluate("(k) => window.localStorage.getItem(k)", draft_key)
    assert drafted and "# typed, then reloaded" in drafted, drafted
    _reload(page)
    _wait_for_editor_text(page, EX.name, "# typed, then reloaded")

    # Typed, left (a click outside), reloaded 50 ms later.
    _type_at_the_end(page, _editable_editor(page, EX.name), "# typed, left, reloaded")
    page.locator("h1").first.click()
    page.wait_for_timeout(50)
    _reload(page)
    _wait_for_editor_text(page, EX.name, "# typed, left, reloaded")

    # Typed, run with Ctrl+Enter, reloaded during the run.
    _type_at_the_end(page, _editable_editor(page, EX.name), "# typed, run, reloaded")
    page.keyboard.press("Control+Enter")
    page.wait_for_timeout(100)
    _reload(page)
    _wait_for_editor_text(page, EX.name, "# typed, run, reloaded")

    # The store has it in the end, and the draft goes: a later reload still shows it.
    _editable_editor(page, EX.name)
    deadline = time.time() + 30
    while page.evaluate("(k) => window.localStorage.getItem(k)", draft_key) is not None:
        assert time.time() < deadline, "the draft was never dropped"
        page.wait_for_timeout(300)
    _reload(page)
    _wait_for_editor_text(page, EX.name, "# typed, run, reloaded")

    # Straight after a reload, before the restore, the editor holds the stub and is read-only.
    page.reload()
    seen = []
    deadline = time.time() + 60
    while not any("# typed, run, reloaded" in text for text, _ in seen):
        assert time.time() < deadline, "the saved code never came back"
        # (An editor is made when it comes near the screen: the one not made yet is scrolled to.)
        seen += page.evaluate('''(name) => {
            const seen = [];
            for (const e of document.querySelectorAll('.gtf-editor')) {
              const editor = e.gtfEditor;
              const text = editor ? editor.getValue()
                                  : e.querySelector('.gtf-editor-waiting').textContent;
              if (!text.includes(`def ${name}(`)) continue;
              if (!editor) { e.scrollIntoView(); continue; }
              seen.push([text, !!e.querySelector('.cm-content[contenteditable="true"]')]);
            }
            return seen;
        }''', EX.name)
        page.wait_for_timeout(30)
    assert not [text for text, editable in seen if editable and "# typed, run" not in text]

    # Reset, then reload: the stub stays.
    page.get_by_role("button", name="Reset to the stub").nth(position).click()
    deadline = time.time() + 30
    while "# typed, run, reloaded" in _editor_text(_editor(page, EX.name)):
        assert time.time() < deadline, "Reset never put the stub back"
        page.wait_for_timeout(300)
    _wait_until_stored(page, f"(saved) => !(saved.code?.[{EX.id!r}] || '').includes("
                             "'# typed, run, reloaded')", "the reset")
    _reload(page)
    _editor_text(_editable_editor(page, EX.name))
    page.wait_for_timeout(2000)
    assert _editor_text(_editable_editor(page, EX.name)).strip() == sources.stub_source(EX).strip()


@pytest.mark.parametrize("slow_first", [EX.name, "make_rays_1d"])
def test_run_on_another_exercise_during_a_run_keeps_both_verdicts(page, site_url, slow_first):
    """Run pressed under one exercise while another's run is going: Streamlit starts a rerun at
    once and stops the first run's thread, after its run, at its next Streamlit call; the first
    verdict is still kept and shown without the learner doing anything, whichever exercise is
    higher on the page, and also after a reload. (Run on its own, on a fresh server, the
    runners start with the first run.)"""
    other = registry.get("part1_ray_tracing.make_rays_1d")
    _open_section(page, site_url, "rays_and_segments")
    # The browser forgets both verdicts (an earlier case left the same ones), so that only this
    # case's runs can bring them back: then what a reload shows comes from them.
    _editable_editor(page, EX.name)  # the session's runs are over: none will save over this
    page.evaluate(f"""() => {{
        const saved = JSON.parse(window.localStorage.getItem({browser_store.STORAGE_KEY!r})
                                 || "{{}}");
        delete (saved.status || {{}})[{EX.id!r}];
        delete (saved.status || {{}})[{other.id!r}];
        window.localStorage.setItem({browser_store.STORAGE_KEY!r}, JSON.stringify(saved));
    }}""")
    _reload(page)
    sleep = "import time\ntime.sleep(2)\n"
    mine = _editable_editor(page, EX.name)
    _set_code(mine, (sleep if slow_first == EX.name else "") + WRONG)
    theirs = _editable_editor(page, other.name)
    _set_code(theirs, (sleep if slow_first == other.name else "") + sources.solution_source(other))
    then = other.name if slow_first == EX.name else EX.name
    # By the buttons' names: while a run redraws the page, an editor's position among the
    # page's editors can point at another one for a moment.
    page.get_by_role("button", name=f"Run the checks on {slow_first}").click()
    page.get_by_text(f"Running the checks for {slow_first}", exact=False).first.wait_for(
        timeout=30_000)
    # The exercise keeps its title while its run goes (it once vanished until the run ended).
    assert page.get_by_text(f"Exercise: {slow_first}", exact=False).first.is_visible()
    # Straight to the button: a mouse click there can land on what was under the button a
    # moment before (seen: the rerun moved it 108 px up between the click's aim and the click;
    # with the exercise's title kept during runs, mouse clicks still missed 2 times in 16).
    button = page.get_by_role("button", name=f"Run the checks on {then}")
    assert button.is_enabled()
    button.dispatch_event("click")
    page.get_by_text(f"for {other.name} passed", exact=False).first.wait_for(timeout=60_000)
    page.get_by_text("behind the ray's origin", exact=False).first.wait_for(timeout=30_000)
    _wait_until_stored(page, f"(saved) => saved.status?.[{EX.id!r}] === 'failed' && "
                             f"saved.status?.[{other.id!r}] === 'passed'", "both verdicts")
    _reload(page)
    _editable_editor(page, EX.name)  # the session has restored the learner's work
    title = page.get_by_text(f"Exercise: {EX.name}", exact=False).first
    deadline = time.time() + 10
    while "❌" not in title.inner_text():
        assert time.time() < deadline, title.inner_text()
        page.wait_for_timeout(300)


def test_without_the_editor_module_a_plain_box_still_runs(page, site_url):
    """If the editor's module cannot load, a plain text box with the learner's code takes its
    place, says so, and runs the checks like the editor."""
    page.route("**/gtf_editor.js*", lambda route: route.abort())
    try:
        _open_section(page, site_url, "rays_and_segments")
        page.get_by_text("The code editor could not load", exact=False).first.wait_for(
            timeout=60_000)
        page.wait_for_timeout(3000)  # the session's first run reruns once (restored work)
        editor = _editor(page, EX.name)
        assert editor.locator("textarea").count() == 1
        _set_code(editor, CORRECT)
        _run(editor)
        page.get_by_text("Passed", exact=False).first.wait_for(timeout=60_000)
    finally:
        page.unroute("**/gtf_editor.js*")


def test_a_code_block_is_highlighted_without_streamlits_highlighter_and_copies(page, site_url):
    # utils/code_block.py: Pygments' HTML in Streamlit's colours, and one listener for the
    # copy buttons; Streamlit's 1.6 MB highlighter is never fetched.
    from utils import sources

    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    _open_section(page, site_url, "together", stem="part4_backprop")
    block = page.get_by_test_id("gtfCode").filter(has_text="class MLP").first
    block.scroll_into_view_if_needed()
    keyword = block.locator("span.k").first
    assert keyword.inner_text() == "class"
    assert keyword.evaluate("(e) => getComputedStyle(e).color") == "rgb(28, 131, 225)"
    copy = block.locator(".gtf-code-copy")
    block.hover()
    copy.click()
    copy.filter(has_text="Copied").wait_for(timeout=10_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == sources.given_source("part4_backprop", "MLP").rstrip("\n")
    fetched = page.evaluate("performance.getEntriesByType('resource').map((r) => r.name)")
    assert fetched and not [name for name in fetched if "StreamlitSyntaxHighlighter" in name]


_EDITORS_JS = """() => [...document.querySelectorAll('.gtf-editor')].map((e) => {
  const waiting = e.querySelector('.gtf-editor-waiting');
  return { top: e.getBoundingClientRect().top, made: Boolean(e.gtfEditor),
           codeMirror: Boolean(e.querySelector('.cm-editor')),
           shown: Boolean(waiting && (waiting.textContent ||
                                      getComputedStyle(waiting, '::before').content !== 'none')) };
})"""


def test_an_editor_is_made_when_it_comes_near_the_screen(page, site_url):
    # utils/code_editor.py: a first view makes the editors near its first screen only; one far
    # below shows its code in the placeholder, and is made once scrolled near.
    _open_section(page, site_url, "gans", stem="part5_vaes_gans")
    _editor(page, "Tanh")  # the page's first editor, on its first screen
    page.wait_for_timeout(1000)
    editors = page.evaluate(_EDITORS_JS)
    near = [e for e in editors if e["top"] < 1000]
    far = [e for e in editors if e["top"] > 1000 + 800 + 200]
    assert near and all(e["made"] and e["codeMirror"] for e in near), editors
    assert far and not any(e["made"] or e["codeMirror"] for e in far), editors
    assert all(e["shown"] for e in far), editors  # the code, in the placeholder
    # Reached with Tab (focused without scrolling): made, and the focus is in its text.
    last = len(editors) - 1
    page.evaluate("(i) => document.querySelectorAll('.gtf-editor')[i]"
                  ".querySelector('.gtf-editor-waiting').focus({ preventScroll: true })", last)
    page.wait_for_function("(i) => document.querySelectorAll('.gtf-editor')[i]"
                           ".querySelector('.cm-editor')?.contains(document.activeElement)",
                           arg=last, timeout=30_000)
    # Scrolled to: made.
    first_far = next(i for i, e in enumerate(editors) if e["top"] > 1000 + 800 + 200)
    assert first_far < last
    page.locator(".gtf-editor").nth(first_far).scroll_into_view_if_needed()
    page.wait_for_function("(i) => document.querySelectorAll('.gtf-editor')[i]"
                           ".querySelector('.cm-editor') !== null", arg=first_far,
                           timeout=30_000)


def test_a_surface_in_a_closed_tab_is_drawn_only_when_its_tab_is_opened(page, site_url):
    # Chapter 5.3's landscapes: the heatmap is drawn on the first view; the surface (WebGL, about
    # a second of a browser without a graphics card) and plotly.js's 3D module only once the
    # learner opens its tab.
    requested = []

    def note(request) -> None:
        requested.append(request.url)

    page.on("request", note)
    _open_section(page, site_url, "optimizers", stem="part3_optimization")
    widget = page.locator("[data-testid=stTabs]").first
    charts = widget.locator(".gtf-chart")
    charts.nth(0).locator(".main-svg").first.wait_for(timeout=60_000)
    _wait_for_the_page_to_settle(page)
    assert charts.count() == 2
    assert charts.nth(0).locator(".heatmaplayer").count() == 1
    assert charts.nth(1).locator(".main-svg").count() == 0  # not drawn
    assert not [url for url in requested if "gtf_plotly_3d" in url]
    widget.get_by_role("tab", name="As a surface").click()
    charts.nth(1).locator(".gl-container canvas").first.wait_for(timeout=60_000)
    assert [url for url in requested if "gtf_plotly_3d" in url]
    page.remove_listener("request", note)


def test_the_wheel_over_a_3d_chart_scrolls_the_page(page, site_url):
    # plotly.js's 3D camera would take the wheel (and zoom): utils/charts.py leaves it to the page.
    _open_section(page, site_url, "mesh")
    canvas = page.locator(".gtf-chart .gl-container canvas").first
    canvas.wait_for(timeout=60_000)
    _wait_for_the_page_to_settle(page)
    camera_js = ("() => JSON.stringify(document.querySelector('.gtf-chart .js-plotly-plot')"
                 "._fullLayout.scene._scene.getCamera())")
    # The box Streamlit's main area scrolls in: the chart's nearest scrolling ancestor.
    scrolled_js = ("() => { for (let box = document.querySelector('.gtf-chart').parentElement;"
                   " box; box = box.parentElement) if (/(auto|scroll|overlay)/.test("
                   "getComputedStyle(box).overflowY) && box.scrollHeight > box.clientHeight)"
                   " return box.scrollTop; return window.scrollY; }")
    camera, top = page.evaluate(camera_js), page.evaluate(scrolled_js)
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(800)
    assert page.evaluate(scrolled_js) > top
    assert page.evaluate(camera_js) == camera



_RAW_LATEX_JS = r"""
() => {
  const hits = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el || el.closest('.katex, code, pre, script, style, textarea')) continue;
    if (/\$|\\[a-zA-Z]/.test(node.textContent)) hits.push(node.textContent.slice(0, 120));
  }
  document.querySelectorAll('.katex-error').forEach(e => hits.push(e.textContent.slice(0, 120)));
  document.querySelectorAll('.katex-mathml annotation').forEach(e => {
    if (/\\\\[a-zA-Z]/.test(e.textContent)) hits.push(e.textContent.slice(0, 120));
  });
  document.querySelectorAll('.js-plotly-plot text').forEach(e => {
    if (/\$|\\[a-zA-Z]/.test(e.textContent)) hits.push(e.textContent.slice(0, 120));
  });
  return {hits: hits, rendered: document.querySelectorAll('.katex').length};
}
"""


def test_the_gan_page_shows_no_raw_latex(page, site_url):
    """Every formula on chapter 5.5's GAN page (hints and solutions opened too) is typeset: no
    `$`, no backslash command and no KaTeX error left in what the learner reads."""
    _open_section(page, site_url, "gans", stem="part5_vaes_gans")
    page.get_by_text("Mode collapse", exact=False).first.wait_for(timeout=60_000)
    # Clicked in one go (one Playwright click at a time, waiting for each: 25 s).
    page.evaluate("() => document.querySelectorAll('details summary').forEach(s => s.click())")
    page.wait_for_timeout(2000)
    assert page.evaluate("() => [...document.querySelectorAll('details')].every(d => d.open)")
    _draw_every_chart(page)  # their labels are checked too
    found = page.evaluate(_RAW_LATEX_JS)
    assert found["rendered"] > 20 and not found["hits"], found


def test_review_a_card_keep_it_across_a_reload_and_export_the_deck(page, site_url, tmp_path):
    from utils.cards import all_cards, chapter_cards

    first = chapter_cards("micrograd")[0]
    page.goto(f"{site_url}/review")
    page.wait_for_selector("h1", timeout=60_000)
    _assert_no_page_not_found(page)
    chooser = page.get_by_test_id("stMultiSelect")
    chooser.click()
    page.get_by_role("option", name=re.compile(r"^3 · micrograd")).click()
    page.keyboard.press("Escape")
    page.get_by_text(first.prompt.split("$")[0][:30], exact=False).first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Show the answer").click()
    page.get_by_role("button", name=re.compile(r"^Good · ")).click()
    page.get_by_text("1 of 18 started" if len(chapter_cards("micrograd")) == 18 else "1 of ",
                     exact=False).first.wait_for(timeout=30_000)
    _wait_until_stored(page, f"(saved) => Boolean(saved.review?.cards?.[{first.id!r}])",
                       "the reviewed card")
    page.reload()
    page.wait_for_selector("h1", timeout=60_000)
    page.get_by_text("1 of ", exact=False).first.wait_for(timeout=30_000)  # still started
    assert page.get_by_text("3 · micrograd", exact=False).count()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the Anki deck (.apkg)").click()
    path = tmp_path / "deck.apkg"
    download.value.save_as(path)
    import sqlite3
    import zipfile

    with zipfile.ZipFile(path) as package:
        (tmp_path / "collection.anki2").write_bytes(package.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        assert db.execute("select count(*) from notes").fetchone()[0] == len(all_cards())
    finally:
        db.close()


def test_do_an_exercise_again_on_a_new_specification_and_find_it_after_a_reload(page, site_url):
    """The practice ladder's last rung: train_step again on two circles, checked on the circles,
    with its own code and status that a reload keeps."""
    step = registry.get("micrograd.train_step")
    label = "New specification: Two circles instead of two moons"
    title = step.title

    def rung_on() -> None:
        # The section's three exercises each have this toggle; train_step's is the second.
        page.get_by_test_id("stCheckbox").filter(has_text=label).nth(1).click()
        page.get_by_text("make_circles", exact=False).first.wait_for(timeout=30_000)
        page.get_by_text(f"{title} (new specification").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)  # the first answer's editor gives way to the rung's

    _open_section(page, site_url, "training", stem="micrograd")
    rung_on()
    frame = _editor(page, step.name)
    assert "raise NotImplementedError" in _editor_text(frame)  # a fresh stub
    _set_code(frame, sources.solution_source(step) + "\n# on the circles\n")
    _run(frame)
    passed = page.get_by_text(f"✅ Exercise: {step.name} — {title} (new specification: Two "
                              "circles instead of two moons)")
    passed.wait_for(timeout=120_000)
    page.get_by_test_id("stAlertContentSuccess").filter(has_text="Passed").wait_for()
    _wait_until_stored(page, "(saved) => Object.entries(saved.code || {}).some(([id, t]) => "
                             "t.includes('# on the circles') && saved.status?.[id] === 'passed')",
                       "the rung's code and verdict")
    page.reload()
    page.wait_for_selector("h1", timeout=60_000)
    _assert_no_page_not_found(page)
    rung_on()
    _wait_for_editor_text(page, step.name, "# on the circles")
    passed.wait_for(timeout=30_000)  # its status came back with it
