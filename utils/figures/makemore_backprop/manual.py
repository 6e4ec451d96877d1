"""Figures for chapter 4.4's sections 1-2 (the forward pass in small steps, every gradient by
hand); Colab-safe, no Streamlit.

The table of intermediates and the computation graph are read from `forward_pass`'s own source
(each line `c["name"] = ...`, its shape comment, the names it reads), so they can't drift from
the code the page shows; their sizes are measured by running it on the section's batch
(utils/experiments/makemore_backprop/manual.py). The gradient table draws what
utils/demos/makemore_backprop/manual.py returns: the reference's, a learner's in the sandbox, or
(in a notebook) the learner's own functions from `globals()`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import torch

from solutions import makemore_backprop as reference
from utils.caching import cache_data
from utils.experiments.makemore_backprop.manual import BATCH_SIZE, N_EMBD, N_HIDDEN, setup

MARGIN = {"l": 10, "r": 10, "t": 60, "b": 10}
HEADER_FILL, OK_FILL, BAD_FILL, GREY_FILL = "#e8eef7", "#e6f4ea", "#fce8e6", "#f1f3f4"
STEP_COLOUR, PARAM_COLOUR, TWICE_COLOUR, INPUT_COLOUR = "#1f77b4", "#2ca02c", "#ff7f0e", "#7f7f7f"

_LINE = re.compile(r'^\s*c\["(\w+)"\] = (.+?)\s*(?:#\s*(.*))?$')
_READS = re.compile(r'(c|p)\["(\w+)"\]|\b(Xb|Yb)\b')


@dataclass(frozen=True)
class Step:
    """One line of forward_pass: the name it makes, its code, the shape comment, what it reads."""

    name: str
    code: str
    shape: str
    reads: tuple[str, ...]


def forward_steps() -> list[Step]:
    """forward_pass's lines `c["name"] = ...`, in order, from its source."""
    steps = []
    for line in inspect.getsource(reference.forward_pass).splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        name, code, comment = match.groups()
        shape = re.match(r"\(([^)]*)\)", comment or "")
        reads = []
        for m in _READS.finditer(code):
            read = m.group(2) or m.group(3)
            if read not in reads:
                reads.append(read)
        code = re.sub(r'(?:c|p)\["(\w+)"\]', r"\1", code)
        steps.append(Step(name, code, f"({shape.group(1)})" if shape else "()", tuple(reads)))
    return steps


@cache_data(show_spinner=False)
def intermediates_table() -> go.Figure:
    """Every intermediate of forward_pass: its code, its shape in symbols and on the batch."""
    b = setup()
    with torch.no_grad():
        cache = reference.forward_pass(b.params(), b.Xb, b.Yb)
    steps = forward_steps()
    shapes = [str(tuple(cache[s.name].shape)) for s in steps]
    fig = go.Figure(go.Table(
        columnwidth=[3, 9, 3, 3],
        header={"values": ["<b>name</b>", "<b>computed as</b>", "<b>shape</b>",
                           "<b>on the batch</b>"], "align": "left", "fill_color": HEADER_FILL},
        cells={"values": [[s.name for s in steps], [s.code for s in steps],
                          [s.shape for s in steps], shapes],
               "align": "left", "height": 24,
               "font": {"family": ["monospace", "monospace", "sans-serif", "sans-serif"]}}))
    fig.update_layout(
        title=f"forward_pass, one line per intermediate: a batch of n = {BATCH_SIZE}, block = 3, "
              f"n_embd = {N_EMBD}, hidden = {N_HIDDEN}, vocab = {b.vocab_size}",
        height=590, margin=MARGIN)
    return fig


@cache_data(show_spinner=False)
def computation_graph() -> go.Figure:
    """The forward pass as a graph, top to bottom: each intermediate below the one before,
    parameters and inputs beside the step that reads them; the tensors read by two later steps
    (where backward adds two gradients) in orange."""
    steps = forward_steps()
    row = {s.name: i for i, s in enumerate(steps)}
    readers: dict[str, list[str]] = {}
    for s in steps:
        for read in s.reads:
            readers.setdefault(read, []).append(s.name)
    pos: dict[str, tuple[float, float]] = {s.name: (0.0, -float(i)) for i, s in enumerate(steps)}
    for s in steps:  # on the right, on the row of the step that reads them: no arc crosses
        side = [r for r in s.reads if r not in row]
        for k, read in enumerate(side):
            pos.setdefault(read, (2.4 + 1.2 * k, -float(row[s.name]) + 0.3 * k))
    fig = go.Figure()
    for s in steps:
        for read in s.reads:
            x0, y0 = pos[read]
            x1, y1 = pos[s.name]
            if read in row and row[s.name] - row[read] > 1:  # skips a step: an arc
                bulge = 0.5 + 0.25 * (row[s.name] - row[read])
                xs = [x0 + (bulge) * 4 * t * (1 - t) for t in _ts()]
                ys = [y0 + (y1 - y0) * t for t in _ts()]
            else:
                xs, ys = [x0, x1], [y0, y1]
            twice = read in row and len(readers.get(read, [])) > 1
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip",
                                     showlegend=False,
                                     line={"color": TWICE_COLOUR if twice else "#b0b0b0",
                                           "width": 2 if twice else 1}))
    shapes = {s.name: s.shape for s in steps}
    groups = (
        ("intermediate", [s.name for s in steps if len(readers.get(s.name, [])) <= 1],
         STEP_COLOUR),
        ("read by two later steps: backward adds both gradients",
         [s.name for s in steps if len(readers.get(s.name, [])) > 1], TWICE_COLOUR),
        ("parameter", [n for n in pos if n in reference.PARAM_NAMES], PARAM_COLOUR),
        ("input", [n for n in pos if n in ("Xb", "Yb")], INPUT_COLOUR),
    )
    for label, names, colour in groups:
        on_the_line = colour in (STEP_COLOUR, TWICE_COLOUR)
        fig.add_trace(go.Scatter(
            x=[pos[n][0] for n in names], y=[pos[n][1] for n in names], mode="markers+text",
            name=label, text=[f"{n} {shapes.get(n, '')}".strip() for n in names],
            textposition="middle left" if on_the_line else "middle right",
            marker={"size": 12, "color": colour},
            hovertext=[_hover(n, steps) for n in names], hoverinfo="text"))
    fig.update_layout(
        title="The forward pass as a graph (hover a node for its line)",
        height=760, margin=MARGIN, plot_bgcolor="white",
        xaxis={"visible": False, "range": [-4.5, 5.5]}, yaxis={"visible": False},
        legend={"orientation": "h", "y": -0.02})
    return fig


def _ts() -> list[float]:
    return [i / 20 for i in range(21)]


def _hover(name: str, steps: list[Step]) -> str:
    for s in steps:
        if s.name == name:
            return f"{name} = {s.code}"
    return name


# --- section 2: gradients against autograd ------------------------------------------------------

def gradient_table(data: Mapping[str, Any], title: str = "") -> go.Figure:
    """Karpathy's `cmp` as a table: per name, exact (bit for bit), approximate (torch.allclose),
    the largest absolute difference from autograd's gradient; stages that didn't run say why."""
    names, stages, shapes, exact, approx, diffs, fills = [], [], [], [], [], [], []
    for row in data["rows"]:
        names.append(row["name"])
        stages.append(row["stage"])
        shape = tuple(row["shape"])
        ok = row["status"] == "ok"
        shapes.append(str(shape) if ok or row["your_shape"] is None
                      else f"{shape}, yours {tuple(row['your_shape'])}")
        exact.append("yes" if row["exact"] else ("no" if ok else "–"))
        approx.append("yes" if row["approximate"] else ("no" if ok else row["status"]))
        diffs.append(f"{row['max_diff']:.2e}" if row["max_diff"] is not None else "–")
        fills.append(OK_FILL if row["approximate"] else BAD_FILL)
    for stage, state in data["stages"].items():
        if state != "ran":
            names.append("–")
            stages.append(stage)
            shapes.append("")
            exact.append("")
            approx.append(state)
            diffs.append("")
            fills.append(GREY_FILL)
    fig = go.Figure(go.Table(
        columnwidth=[3, 4, 4, 2, 3, 2],
        header={"values": ["<b>gradient of</b>", "<b>from</b>", "<b>shape</b>", "<b>exact</b>",
                           "<b>approximate</b>", "<b>max diff</b>"],
                "align": "left", "fill_color": HEADER_FILL},
        cells={"values": [names, stages, shapes, exact, approx, diffs], "align": "left",
               "height": 22, "fill_color": [fills] * 6}))
    good = sum(r["approximate"] for r in data["rows"])
    fig.update_layout(
        title=(title or f"{good} of 26 gradients match autograd's") +
              f"<br><sup>{data['dtype']}, each stage given autograd's upstream gradient; the "
              f"batch: {BATCH_SIZE} contexts from {data.get('source', '')}</sup>",
        height=60 + 24 * (len(names) + 2) + 40, margin=MARGIN)
    return fig


@cache_data(show_spinner=False)
def reference_comparison(dtype: str = "float32") -> dict:
    """The reference solutions' rows (what a finished learner sees)."""
    from utils.demos.makemore_backprop.manual import compare_my_gradients
    return compare_my_gradients(vars(reference), dtype)


def reference_gradient_table(dtype: str = "float32") -> go.Figure:
    return gradient_table(reference_comparison(dtype),
                          f"The reference solutions against autograd, in {dtype}")


def your_gradients(namespace: Mapping[str, Any], dtype: str = "float32") -> go.Figure:
    """Notebook: your four stage functions (from `namespace`, e.g. globals()) against autograd
    on the section's batch; a stage you haven't written shows as such."""
    from utils.demos.makemore_backprop.manual import STAGES, compare_my_gradients
    own = {stage: namespace.get(stage, _not_written) for stage, _, _ in STAGES}
    return gradient_table(compare_my_gradients(own, dtype), "Your gradients against autograd's")


def _not_written(*args: Any) -> Any:
    raise NotImplementedError()
