"""The code editor's component (utils/code_editor.py) and its bundled module (static/).

The editor itself, typed into and run, is tested in the browser (test_browser.py); here: the
committed bundle is built from the committed sources, its licences are beside it, Streamlit serves
it, the page asks for it by the address the editors import it from, and what the component hands
back becomes the right event.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from types import SimpleNamespace

import pytest

from utils import code_editor, preload
from utils.site_config import ROOT

SOURCES = ROOT / "frontend" / "editor"


def test_the_bundle_is_built_from_the_committed_sources():
    digest = hashlib.sha256()
    for name in ("editor.js", "package-lock.json"):
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
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True
    assert code_editor.BUNDLE.parent == ROOT / "static"  # the folder Streamlit serves


def test_the_page_preloads_the_module_the_editors_import():
    digest = hashlib.sha256(code_editor.BUNDLE.read_bytes()).hexdigest()[:12]
    assert code_editor.module_url_name() == f"gtf_editor.js?v={digest}"
    assert preload.module_file(preload.EDITOR) == (code_editor.MODULE_FROM_ENTRY
                                                    + code_editor.module_url_name())


@pytest.mark.parametrize("returned, expected", [
    ({}, None),  # nothing happened
    ({"code": "x = 1"}, None),  # the text it already holds
    ({"code": "x = 2"}, code_editor.EditorEvent(text="x = 2", run=False)),  # left with new text
    ({"code": "x = 2", "run": "x = 3"}, code_editor.EditorEvent(text="x = 3", run=True)),
    ({"run": "x = 1"}, code_editor.EditorEvent(text="x = 1", run=True)),  # a run of the same
])
def test_what_the_component_hands_back_becomes_an_event(monkeypatch, returned, expected):
    mounted = {}

    def component(**kwargs):
        mounted.update(kwargs)
        return SimpleNamespace(**returned)

    monkeypatch.setattr(code_editor, "_component", component)
    assert code_editor.code_editor("x = 1", key="editor:k") == expected
    assert mounted["key"] == "editor:k" and mounted["data"]["code"] == "x = 1"
    assert mounted["data"]["module"] == code_editor.module_url_name()
