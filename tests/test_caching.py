"""utils/caching.py on the site: a cached figure is drawn the same on the run that computed it
and on every later run that reads it from the cache."""

import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from utils import caching


def _spec(figure: go.Figure) -> str:
    # What st.plotly_chart sends and derives the chart's element id from (utils/charts.py sends
    # a function of it, and its element's id is derived from that).
    return pio.to_json(figure, validate=False)


def test_a_figure_from_the_cache_has_the_spec_of_the_one_just_computed():
    calls = []

    @caching.cache_data
    def subplots(rows: int) -> go.Figure:
        calls.append(rows)
        figure = make_subplots(rows=rows, cols=2)
        figure.add_trace(go.Heatmap(z=[[0.0, 1.0], [1.0, 0.0]]), row=1, col=1)
        figure.add_trace(go.Scatter(x=[1, 2], y=[3, 4]), row=1, col=2)
        return figure

    computed = subplots(1)  # a miss: the session's first run
    from_cache = subplots(1)  # a hit: the rerun that restores the learner's work, and later ones
    assert calls == [1]
    # Different specs give the chart another element id: the rerun drew each one anew beside the
    # old, greyed one (chapter 5.5's page showed 10 or 11 charts for its 6, on first load).
    assert _spec(from_cache) == _spec(computed)


def test_the_call_forms_and_the_key_are_streamlits():
    @caching.cache_data(show_spinner=False)
    def square(x: int, _ignored: object = None) -> int:
        return x * x

    assert square(3) == 9 and square(3, _ignored=object()) == 9
    assert square.__name__ == "square"
    square.clear()


def test_a_cached_figure_outside_a_server_logs_no_warnings():
    """A local notebook (Streamlit installed, no server) calls the figures' cached functions:
    Streamlit's "No runtime found" and "missing ScriptRunContext" would print under each cell.
    Where a runtime exists (a server), they are left alone."""
    import subprocess
    import sys
    from pathlib import Path

    def stderr_of(in_a_server: bool) -> str:
        code = ("import importlib, logging\n"
                "from streamlit import runtime\n"
                f"runtime.exists = lambda: {in_a_server}\n"
                "from utils import caching\n"
                "importlib.reload(caching)  # imported twice: still one filter per logger\n"
                "name = 'streamlit.runtime.caching.cache_data_api'\n"
                "assert len(logging.getLogger(name).filters) == (0 if runtime.exists() else 1)\n"
                "runtime.exists = lambda: False  # what Streamlit itself asks at each call\n"
                "from utils.figures import part3_optimization as f\n"
                "f.race('pathological curve', ('SGD', {'lr': 0.02}), n_iters=10)\n"
                "logging.getLogger(name).error('errors show')\n")
        done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[1],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stderr

    outside = stderr_of(in_a_server=False)
    assert "No runtime found" not in outside and "ScriptRunContext" not in outside
    assert "errors show" in outside
    served = stderr_of(in_a_server=True)  # the control: the warnings are Streamlit's to give
    assert "No runtime found" in served and "ScriptRunContext" in served
