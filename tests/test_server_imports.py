"""The server's first page must not wait for torch: streamlit_app.py imports it only in the
background, 3 s after that page (its _warm_up). A light module that starts importing something
heavy (utils.runner.messages once imported utils.check_runner, and so torch) slows every cold
start by about a second."""

from __future__ import annotations

import ast
import subprocess
import sys

from utils.site_config import ROOT

HEAVY = ("torch", "numpy", "sklearn", "scipy")


def test_the_entry_points_imports_load_nothing_heavy():
    tree = ast.parse((ROOT / "streamlit_app.py").read_text())
    imports = [ast.unparse(node) for node in tree.body
               if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert any("utils" in line for line in imports), imports
    code = "\n".join(["import sys", *imports,
                      f"print([m for m in {HEAVY!r} if m in sys.modules])"])
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]", out


def test_no_chapter_page_module_imports_scikit_learn_or_scipy():
    """The server imports every chapter's figures and widgets (its warm-up, or a 1 GB app's first
    page of each chapter): scikit-learn and SciPy would add about 3 s of CPU and 130 MB to it."""
    code = ("import sys\nfrom utils import registry\nregistry.import_page_modules()\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "[]", out
