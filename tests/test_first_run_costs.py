"""What a freshly started server's first page does not pay for: Streamlit's emoji catalogue
(utils/page_icons.py, utils/first_run_checks.py) and its check for a Python prompt
(utils/first_run_checks.py). In a process of its own, since the tests' own process has drawn
pages already."""

from __future__ import annotations

import ast
import subprocess
import sys

from utils.site_config import ROOT

_SCRIPT = """
import sys
from streamlit import delta_generator, env_util
from streamlit.commands import page_config
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash
from utils import first_run_checks as checks
from utils.navigation import section_path
from utils.page_icons import FAVICON

# Where Streamlit keeps what these change: if it moves them, they change nothing.
assert hasattr(delta_generator, checks.REPL_FLAG), "Streamlit's REPL check moved"
streamlits = getattr(page_config, checks.FAVICON_STRING, None)
assert callable(streamlits), "Streamlit's favicon lookup moved"
asked = []  # each time Streamlit asks whether it runs at a prompt
real_is_repl = env_util.is_repl
env_util.is_repl = lambda: asked.append(1) or real_is_repl()
for page in ("", section_path("part3_optimization", "optimizers"),
             section_path("part2_cnns", "resnets"), section_path("part4_backprop", "graph")):
    app = AppTest.from_file("streamlit_app.py", default_timeout=120)
    if page:
        app._page_hash = calc_hash(page)
    app.run()
    assert not app.exception, (page, app.exception)
    assert "streamlit.emojis" not in sys.modules, f"{page or 'home'}: an emoji given as an icon"
assert not asked, "Streamlit looked for a Python prompt"
ours = getattr(page_config, checks.FAVICON_STRING)
assert ours is not streamlits and ours(FAVICON) == streamlits(FAVICON) == "emoji:" + FAVICON
assert ours(":material/home:") == streamlits(":material/home:")
print("ok")
"""


def test_first_views_load_no_emoji_catalogue_and_skip_the_repl_check():
    done = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-3000:]


def test_no_icon_is_given_as_an_emoji():
    """Anywhere, not only on the pages above: an icon given as a literal is ASCII (a Material
    symbol, utils/page_icons.py). An emoji in the text of a label or of Markdown is fine."""
    found = []
    for path in [ROOT / "streamlit_app.py", *(ROOT / "utils").rglob("*.py"),
                 *(ROOT / "pages").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    value = keyword.value
                    if keyword.arg in ("icon", "page_icon") and isinstance(value, ast.Constant) \
                            and isinstance(value.value, str) and not value.value.isascii():
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, f"an emoji as an icon (use utils/page_icons.py): {found}"
