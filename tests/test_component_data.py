"""Our components get plain values only, so that Streamlit never imports pandas to look for a data
frame in them (utils/component_data.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from streamlit.components.v2.bidi_component import main as bidi_main
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from utils import browser_store, component_data
from utils.site_config import ROOT, section_path


def test_nested_values_are_refused_by_name():
    assert component_data.plain({"a": "x", "b": 1, "c": 0.5, "d": True, "e": None})["b"] == 1
    with pytest.raises(TypeError, match="config, modules must be plain"):
        component_data.plain({"mode": "save", "modules": ["a"], "config": {}})


def test_nested_values_go_as_compact_json():
    assert component_data.as_json({"code": {"x": "y"}, "watch": [1, 2]}) == \
        '{"code":{"x":"y"},"watch":[1,2]}'


def _given_to_components(monkeypatch, page: str | None) -> list[dict]:
    """What every component the page draws is given, on a run that also saves to the browser."""
    given: list[dict] = []
    serialize = bidi_main.serialize_mixed_data

    def recording(data, proto):
        given.append(data)
        return serialize(data, proto)

    monkeypatch.setattr(bidi_main, "serialize_mixed_data", recording)
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    if page:
        app._page_hash = calc_hash(page)
    app.session_state[browser_store._RESTORED] = True  # as once the browser has answered
    app.run()
    assert not app.exception
    return given


@pytest.mark.parametrize("page", [None, section_path("part3_optimization", "optimizers")])
def test_every_component_is_given_plain_values(monkeypatch, page):
    given = _given_to_components(monkeypatch, page)
    kinds = {"save" if d.get("mode") == "save" else "chart" if "figure" in d
             else "editor" if "code" in d else "other" for d in given}
    # The home page saves; a chapter page also draws charts and editors.
    assert kinds >= ({"save"} if page is None else {"save", "chart", "editor"})
    for data in given:
        nested = {k: type(v).__name__ for k, v in data.items()
                  if not isinstance(v, component_data.PLAIN)}
        assert not nested, f"nested component data (Streamlit would import pandas): {nested}"


def test_a_fresh_servers_first_page_imports_no_pandas():
    # The point of the above, in a process of its own (this one may have imported pandas): the
    # home page's run that saves to the browser, as a fresh server's first page makes it.
    script = f"""
import os, sys
os.environ["GTF_WARM_UP"] = "0"
from streamlit.testing.v1 import AppTest
app = AppTest.from_file({str(ROOT / "streamlit_app.py")!r}, default_timeout=120)
app.session_state[{browser_store._RESTORED!r}] = True
app.run()
assert not app.exception, app.exception
print(sorted(m for m in ("pandas", "pyarrow") if m in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
