"""The server's first page must not wait for torch: streamlit_app.py imports it only in the
background, 3 s after that page (its _warm_up). A light module that starts importing something
heavy (utils.runner.messages once imported utils.check_runner, and so torch) slows every cold
start by about a second."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

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


# Opens chapter 5.3's Optimizers under AppTest in a fresh process, as a freshly started server's
# first page, then reruns it (the modules now imported), and notes what each run sent.
_FIRST_PAGE = r'''
import json, logging, os, sys
os.environ["GTF_WARM_UP"] = "0"
logging.getLogger("streamlit").setLevel(logging.ERROR)
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext
from tests.app_charts import chart_specs
from utils import charts, first_views

sent = []  # (delta path, what was sent there: the text of a Markdown element, "empty", "block")
original = ScriptRunContext.enqueue
def enqueue(self, msg):
    if msg.HasField("delta"):
        path = list(msg.metadata.delta_path)
        kind = msg.delta.WhichOneof("type")
        if kind == "new_element":
            element = msg.delta.new_element
            if element.HasField("markdown"):
                sent.append((path, element.markdown.body))
            elif (element.HasField("bidi_component")  # a chart: its figure
                  and element.bidi_component.component_name.endswith(charts.NAME)):
                sent.append((path, {"chart": json.loads(element.bidi_component.json)["figure"]}))
            else:
                sent.append((path, element.WhichOneof("type")))
        elif kind == "add_block":
            sent.append((path, "block"))
    return original(self, msg)
ScriptRunContext.enqueue = enqueue

before_torch = []
def hook(event, args):
    if event == "import" and args[0].split(".")[0] == "torch" and not before_torch:
        before_torch.append([what for _, what in sent])
assert "torch" not in sys.modules
sys.addaudithook(hook)

def emptied_then_filled(run):
    """Paths first sent as an empty place, then as a block: the browser drops what was there."""
    return sorted({str(p) for p, what in run if what == "empty"}
                  & {str(p) for p, what in run if what == "block"})

app = first_views.open_page("pages/part3_optimization/1_optimizers.md")
cold, sent[:] = list(sent), []
runs = [(app.exception, app.caption, chart_specs(app))]
app.run()
runs.append((app.exception, app.caption, chart_specs(app)))
print(json.dumps({
    "sent_before_torch": before_torch[0] if before_torch else None,
    "exceptions": [e.value for exceptions, _, _ in runs for e in exceptions],
    "captions_at_the_end": [c.value for _, captions, _ in runs for c in captions],
    "charts": [len(charts) for _, _, charts in runs],
    "first_charts_at_the_end": runs[0][2],
    "charts_sent": [[(p, what["chart"]) for p, what in run if isinstance(what, dict)]
                    for run in (cold, sent)],
    "emptied_then_filled": [emptied_then_filled(cold), emptied_then_filled(sent)],
    "first_run_sent": [what if isinstance(what, str) else "a chart" for _, what in cold],
}))
'''


def _run_as_a_fresh_server(code: str, on_disk: str | None = None):
    """What `code` prints last (JSON), run in a process of its own with empty data and torch
    folders, as on a fresh server (kept charts are drawn only where nothing is downloaded);
    with `on_disk`, a file at that path inside the data folder."""
    with tempfile.TemporaryDirectory() as empty:
        if on_disk:
            Path(empty, "data", on_disk).parent.mkdir(parents=True)
            Path(empty, "data", on_disk).write_text("emma\n")
        env = {**os.environ, "GTF_DATA_DIR": f"{empty}/data", "TORCH_HOME": f"{empty}/torch"}
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                              text=True, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _first_page(page: str) -> str:
    """_FIRST_PAGE, opening `page` instead."""
    code = _FIRST_PAGE.replace('"pages/part3_optimization/1_optimizers.md"', repr(page))
    assert code != _FIRST_PAGE
    return code


def _as_if_it_needed_torch(code: str, stem: str) -> str:
    """`code`, with chapter `stem` drawn as a chapter whose first views need torch is: text
    first, then a place for each figure and widget, filled once the chapter's code is in."""
    override = ("from utils import registry\n"
                f"object.__setattr__(registry.chapter({stem!r}), 'first_view_without_torch', "
                "False)\n")
    return code.replace("app = first_views.open_page(", override + "app = first_views.open_page(")


def _prose(source) -> list[str]:
    """A section's prose as Streamlit sends it (Markdown dedented and stripped), code left out."""
    from utils import literate

    return [textwrap.dedent(text).strip() for block in source.blocks
            if isinstance(block, literate.Prose)
            for text, language in block.pieces() if language is None]


def test_a_fresh_servers_first_section_sends_its_text_before_importing_torch():
    """A learner who wakes the app on a bookmarked section reads its text and sees its exercises
    while the server imports the chapter's modules (torch: seconds on a cold start), and the
    charts its figures and widgets draw, kept for it; a widget's place is filled by the end of
    the same run. Once the modules are in, a rerun draws each figure and widget where it is, in
    its container: it does not empty the place first, which would make the browser drop and
    redraw every chart and widget on every rerun."""
    from utils import first_view_charts, literate, registry, section_view

    # (5.3's first views need no torch now: drawn as a chapter whose first views did, its figure
    # imports the chapter's figures module, and torch.)
    seen = _run_as_a_fresh_server(_as_if_it_needed_torch(_FIRST_PAGE, "part3_optimization"))
    assert seen["exceptions"] == []
    assert seen["sent_before_torch"] is not None, "torch was never imported: pick another page"
    sent = seen["sent_before_torch"]
    source = registry.chapter("part3_optimization").section_source("optimizers")
    prose = _prose(source)
    assert [text for text in prose if text not in sent] == []
    directives = [b for b in source.blocks if isinstance(b, literate.Directive)]
    # (Each exercise block's heading names it: "Exercise: `name` — ...".)
    exercises = [b.argument for b in directives if b.name == "exercise"]
    assert exercises and [e for e in exercises
                          if not any(f"Exercise: `{e}`" in str(what) for what in sent)] == []
    places = [b for b in directives if b.name in ("figure", "widget")]
    # Each place shows the charts its first view draws, kept in a file (utils/first_view_charts),
    # a widget's with a note that its controls are coming; a place with none kept says why it is
    # empty. This section has both kinds of directive, and every place has charts kept.
    kept = {index: drawn for index, drawn in first_view_charts.matching(
        "part3_optimization", "optimizers", source.blocks).items()
        if first_view_charts.charts_of(drawn)}
    assert {source.blocks[i].name for i in kept} == {"figure", "widget"}
    widgets_kept = sum(1 for i in kept if source.blocks[i].name == "widget")
    assert sent.count(section_view.CONTROLS_NOTE) == widgets_kept
    assert sent.count(section_view.LOADING_NOTE) == len(places) - len(kept)
    # The charts drawn ahead are the figures' and each widget's first (if 2D: the landscapes'
    # surface, in a second tab, is left to the live widget), and those the run then draws live.
    ahead = [what["chart"] for what in sent if isinstance(what, dict)]
    assert ahead == [chart.figure for i in sorted(kept) for chart in (
        kept[i] if source.blocks[i].name == "figure" else section_view.widget_charts_ahead(kept[i]))]
    assert len(ahead) == len(kept)
    # (Compared as figures: a trained model's numbers may differ in their last bits.)
    def same(a: str, b: str) -> bool:
        return first_view_charts.same_figure(a, b)

    live = seen["first_charts_at_the_end"]
    matched = [chart for chart in live if any(same(chart, a) for a in ahead)]
    assert len(matched) == len(ahead) and all(map(same, matched, ahead))
    assert section_view.LOADING_NOTE not in seen["captions_at_the_end"]
    assert section_view.CONTROLS_NOTE not in seen["captions_at_the_end"]
    assert min(seen["charts"]) >= len(places)
    # A figure is drawn from its kept chart where and as the live one is: once in the first run,
    # and the rerun draws the live one at the same path (its chart is updated, not redrawn). A
    # widget's place is filled by the live widget by the end of the run. Every place was sent
    # empty first, in the first run (nothing was there to drop).
    figures = [kept[i][0].figure for i in sorted(kept) if source.blocks[i].name == "figure"]
    cold_charts, warm_charts = seen["charts_sent"]
    for figure in figures:
        [cold_path] = [path for path, chart in cold_charts if chart == figure]
        assert [path for path, chart in warm_charts if same(chart, figure)] == [cold_path]
    cold, warm = seen["emptied_then_filled"]
    assert len(cold) == len(places) and warm == []
    # The charts come after the text: sent before it, they would hold it back in the browser.
    first_chart = min(i for i, what in enumerate(sent) if isinstance(what, dict))
    assert max(sent.index(text) for text in prose) < first_chart


def test_a_chapter_that_says_so_draws_its_first_views_without_torch():
    # chapter.toml's first_view_without_torch: every section of the chapter, opened one after
    # another in a fresh process as on a fresh server (nothing downloaded), and run again, draws
    # all its figures and widgets (from the charts kept for them) without importing torch, or
    # the chapter's figures module (micrograd's imports no torch, but costs a cold first page
    # about a second to import and compute).
    from utils import first_view_charts, registry

    chapters = [ch for ch in registry.CHAPTERS if ch.first_view_without_torch]
    assert chapters, "no chapter says its first view needs no torch"
    sections = [(ch.stem, source) for ch in chapters for source in ch.section_sources()]
    pages = [str(source.path.relative_to(ROOT)) for _, source in sections]
    kept_charts = sum(len(first_view_charts.charts_of(drawn)) for stem, source in sections
                      for drawn in
                      first_view_charts.matching(stem, source.key, source.blocks).values())
    code = ("import json, logging, os, sys\n"
            "os.environ['GTF_WARM_UP'] = '0'\n"
            "logging.getLogger('streamlit').setLevel(logging.ERROR)\n"
            "from tests.app_charts import chart_specs\n"
            "from utils import first_views\n"
            "seen = []\n"
            f"for page in {pages!r}:\n"
            "    app = first_views.open_page(page)\n"
            "    first = chart_specs(app)\n"
            "    app.run()\n"
            "    figures = 'utils.figures.' + page.split('/')[1]\n"
            "    imported = [m for m in ('torch', figures) if m in sys.modules]\n"
            "    seen.append([page, imported,\n"
            "                 [e.value for e in app.exception], len(first), chart_specs(app) == first])\n"
            "print(json.dumps(seen))\n")
    seen = _run_as_a_fresh_server(code)
    assert [(page, imported) for page, imported, *_ in seen if imported] == []
    assert [(page, errors) for page, _, errors, *_ in seen if errors] == []
    # Every figure and widget drew the charts its first view draws (as many as were kept for
    # them), and a rerun drew the same.
    assert sum(charts for *_, charts, _ in seen) == kept_charts >= 15
    assert all(same for *_, same in seen)


def test_such_a_chapter_sends_its_text_first_then_reruns_update_charts_in_place():
    # On the page's first run in a session, its figures and widgets (drawn from kept charts, no
    # torch) come after all its text; a rerun draws them in order, in the containers the first
    # run left, so that no place is emptied and redrawn.
    from utils import registry

    seen = _run_as_a_fresh_server(_first_page("pages/neural_network_basics/3_training.md"))
    assert seen["exceptions"] == [] and seen["sent_before_torch"] is None
    source = registry.chapter("neural_network_basics").section_source("training")
    prose = _prose(source)
    sent = seen["first_run_sent"]
    first_chart = sent.index("a chart")
    assert [text for text in prose if text not in sent[:first_chart]] == []
    assert seen["charts"][0] == seen["charts"][1] >= 2
    assert seen["emptied_then_filled"][1] == []


def test_where_data_is_on_disk_such_a_chapter_still_sends_its_text_first():
    # Kept charts are not used where a dataset is on disk: then such a chapter's widgets import
    # torch as they compute, and the text must not wait for it (drawn last, as other chapters').
    from utils import data_files, registry

    names = data_files.NAMES_FILE
    seen = _run_as_a_fresh_server(_first_page("pages/plotting_with_plotly/2_hover.md"),
                                  on_disk=f"{names.subdir}/{names.filename}")
    assert seen["exceptions"] == [] and seen["sent_before_torch"] is not None

    source = registry.chapter("plotting_with_plotly").section_source("hover")
    prose = _prose(source)
    assert [text for text in prose if text not in seen["sent_before_torch"]] == []


def test_the_warm_up_imports_no_pandas():
    """The server's warm-up (every chapter's modules, then every first view's cached calls)
    imports in a background thread while pages run. A module half imported there is visible to
    the pages (it is in sys.modules before it has run): Plotly looks pandas up in sys.modules
    whenever it builds a figure, and a page that drew one while the warm-up was importing pandas
    failed with "partially initialized module 'pandas' has no attribute 'Series'" (the offline
    names were summed with pyarrow's group_by, which imports pandas). So nothing in it may
    import pandas; nothing else the warm-up imports is looked up that way."""
    code = ("import json, sys\n"
            "from utils import first_views, registry\n"
            "for step in registry.page_module_imports() + first_views.replay_steps():\n"
            "    step()\n"
            "print(json.dumps('pandas' in sys.modules))\n")
    assert _run_as_a_fresh_server(code) is False, "the warm-up imports pandas: see the docstring"
