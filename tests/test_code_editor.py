"""The code editor's component (utils/code_editor.py) and its bundled module (static/).

The editor itself, typed into and run, is tested in the browser (test_browser.py); here: the
committed bundle is built from the committed sources, its licences are beside it, Streamlit serves
it, the page asks for it by the address the editors import it from, and what the component hands
back becomes the right event.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.browser_harness import CHROMIUM, CHROMIUM_FLAGS, needs_chromium
from utils import code_editor, preload
from utils.site_config import ROOT

SOURCES = ROOT / "frontend" / "editor"


def test_the_bundle_is_built_from_the_committed_sources():
    digest = hashlib.sha256()
    for name in ("editor.js", "build.mjs", "package-lock.json"):
        digest.update((SOURCES / name).read_bytes())
    header = code_editor.BUNDLE.read_text().splitlines()[0]
    assert f"sources sha256 {digest.hexdigest()}" in header, (
        "static/gtf_editor.js is older than frontend/editor/: run `npm ci && node build.mjs` "
        "there and commit the bundle")
    assert "export{" in code_editor.BUNDLE.read_text()[-400:]  # an ES module with its exports


def test_every_bundled_package_has_its_licence_beside_the_bundle():
    lock = json.loads((SOURCES / "package-lock.json").read_text())
    notices = (ROOT / "static" / "gtf_editor.LICENSES.txt").read_text()
    bundled = {path.removeprefix("node_modules/"): info["version"]
               for path, info in lock["packages"].items()
               if path and not info.get("dev")}
    assert "@codemirror/view" in bundled and "@lezer/python" in bundled
    for name, version in bundled.items():
        assert f"{name} {version} (" in notices, name
    assert "esbuild" not in notices  # a build tool, not in the bundle


def test_streamlit_serves_the_static_folder():
    from streamlit import file_util

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True
    served = file_util.get_app_static_dir(str(ROOT / "streamlit_app.py"))
    assert Path(served) == code_editor.BUNDLE.parent


def _mount(monkeypatch, returned: dict) -> tuple[str | None, dict]:
    """Mount an editor on a stand-in component that hands back `returned`: what code_editor
    returns, and what it mounted the component with."""
    mounted = {}

    def component(**kwargs):
        mounted.update(kwargs)
        return SimpleNamespace(**returned)

    monkeypatch.setattr(code_editor, "_component", component)
    ran = code_editor.code_editor("x = 1", key="editor:k", label="Your code for f", draft_key="k", restored=True,
                                  on_leave=lambda text: None)
    return ran, mounted


def test_the_page_preloads_the_module_the_editors_import(monkeypatch):
    _, mounted = _mount(monkeypatch, {})
    address = mounted["data"]["moduleFromEntry"] + mounted["data"]["module"]
    assert address == preload.module_file(preload.EDITOR)
    digest = hashlib.sha256(code_editor.BUNDLE.read_bytes()).hexdigest()[:12]
    assert address.endswith(f"gtf_editor.js?v={digest}")  # a new bundle, a new address


@pytest.mark.parametrize("returned, expected", [
    ({}, None),  # nothing happened
    ({"code": {"text": "x = 2", "n": 1}}, None),  # left with new text: a callback, not a run
    ({"code": {"text": "x = 2", "n": 1}, "run": "x = 3"}, "x = 3"),
    ({"run": "x = 1"}, "x = 1"),  # a run of the same text
])
def test_a_run_is_returned_once(monkeypatch, returned, expected):
    ran, mounted = _mount(monkeypatch, returned)
    assert ran == expected
    assert mounted["key"] == "editor:k" and mounted["data"]["code"] == "x = 1"
    assert mounted["data"]["label"] == "Your code for f"
    assert mounted["data"]["runLabel"] == "Run the checks"


def test_leaving_the_editor_commits_its_text_through_the_callback(monkeypatch):
    """The text the learner left the editor with is committed by the component's change
    callback, which Streamlit calls only when that value changed, and before the rerun, drawn
    or not: a later rerun never brings back an older text over a run's."""
    import streamlit as st

    kept = []
    mounted = {}
    monkeypatch.setattr(code_editor, "_component",
                        lambda **kwargs: mounted.update(kwargs) or SimpleNamespace())
    code_editor.code_editor("x = 1", key="editor:k", label="f", on_leave=kept.append,
                            draft_key="k", restored=True)
    try:
        st.session_state["editor:k"] = {"code": {"text": "x = 2", "n": 1}}
        mounted["on_code_change"]()
        assert kept == ["x = 2"]
        st.session_state["editor:k"] = {"code": None}  # nothing left yet
        mounted["on_code_change"]()
        assert kept == ["x = 2"]
    finally:
        del st.session_state["editor:k"]


_TRICKY_STUB = ('def f(x: str) -> str:\n    """Quotes "like this", a backslash \\\\ and '
                '</style> in a docstring long enough to wrap at the width of the page\'s column, '
                'twice over, or more."""\n\treturn x  # a tab before\n' + "pass\n" * 20)


def _css_string_value(serialized: str) -> str:
    """The text of a CSS string as the browser serializes it ("…", with escapes)."""
    assert serialized.startswith('"') and serialized.endswith('"'), serialized
    return re.sub(r"\\([0-9a-fA-F]{1,6}) ?|\\(.)",
                  lambda m: chr(int(m[1], 16)) if m[1] else m[2], serialized[1:-1])


@needs_chromium
def test_the_placeholder_shows_the_code_at_its_height_before_any_script_runs():
    """The style alone (no script) shows the code in the placeholder, as tall as the text the
    script later puts there: nothing moves when it does."""
    from playwright.sync_api import sync_playwright


    key = "editor:part1_ray_tracing.intersect_ray_1d"
    page_html = (f"<style>{code_editor._CSS}</style>"
                 f"{code_editor.waiting_text_style(key, _TRICKY_STUB)}"
                 '<div class="st-key-editor-part1_ray_tracing-intersect_ray_1d" '
                 'style="width: 700px">'
                 f"{code_editor._HTML}</div>")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.set_content(page_html, wait_until="load")
            pre = page.locator(".gtf-editor-waiting")
            styled = pre.bounding_box()["height"]
            shown = page.evaluate("() => getComputedStyle(document.querySelector("
                                  "'.gtf-editor-waiting'), '::before').content")
            assert _css_string_value(shown) == _TRICKY_STUB
            pre.evaluate("(e, code) => { e.textContent = code; }", _TRICKY_STUB)
            assert page.evaluate("() => getComputedStyle(document.querySelector("
                                 "'.gtf-editor-waiting'), '::before').content") == "none"
            smallest = code_editor.MIN_LINES * code_editor.LINE_PX + 2
            assert pre.bounding_box()["height"] == styled > smallest
        finally:
            browser.close()
