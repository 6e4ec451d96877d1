"""Checks for chapter 1 (plotting with Plotly). Use from a local file or notebook:

    from utils.checks import plotting_with_plotly as tests
    tests.test_line_plot(line_plot)

Every exercise returns a `plotly.graph_objects.Figure`, and every check reads it as data, never
as a picture: the traces in `fig.data` (their type, name, order and values) and the fields of
`fig.layout` (title, axes, colour scale, sliders), plus `fig.frames` for the animation. So a
figure built with plotly.express passes as well as one built trace by trace with graph_objects,
and tensors, arrays and lists in the data are all the same to it. Inputs are seeded, and chosen
so the usual slips show: dict keys that are not in sorted order, x values that are not
0, 1, 2, ..., matrices whose values are not symmetric about 0.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any, Callable

import numpy as np
import plotly.express as px
import plotly.graph_objects as go
import torch as t
from torch import Tensor

from utils.checks.assertions import call, passed

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def _ordinal(i: int) -> str:
    return ORDINALS[i] if i < len(ORDINALS) else f"{i + 1}th"


def _figure(got: Any, what: str) -> go.Figure:
    if not isinstance(got, go.Figure):
        hint = " Did you forget to `return fig`?" if got is None else ""
        raise AssertionError(f"{what}: expected a plotly.graph_objects.Figure, got "
                             f"{type(got).__name__}.{hint}")
    return got


def _array(values: Any) -> np.ndarray | None:
    """A trace's data field as a float array (Plotly keeps tensors as NumPy arrays, lists as
    tuples); None when the field is not set."""
    if values is None:
        return None
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return np.asarray(values, dtype=object)


def _short(values: np.ndarray, n: int = 4) -> str:
    flat = np.asarray(values).ravel()
    shown = ", ".join(f"{v:.4g}" if isinstance(v, (float, np.floating)) else repr(v)
                      for v in flat[:n])
    return f"[{shown}{', ...' if flat.size > n else ''}]"


def _assert_values(got: Any, expected: Tensor, what: str, field: str) -> None:
    """A trace's data field holds `expected` (any array-like form, same shape)."""
    want = expected.detach().double().numpy()
    have = _array(got)
    if have is None:
        raise AssertionError(f"{what}: its {field} is not set; expected {_short(want)}.")
    if have.dtype == object:
        raise AssertionError(f"{what}: its {field} holds {_short(have)}, not numbers.")
    if have.shape != want.shape:
        hint = ""
        if have.shape == want.shape[::-1] and have.ndim == 2:
            hint = " The same sizes the other way round: is it transposed?"
        raise AssertionError(f"{what}: its {field} has shape {have.shape}; expected "
                             f"{want.shape}.{hint}")
    if not np.allclose(have, want, rtol=1e-4, atol=1e-6):
        bad = np.argwhere(~np.isclose(have, want, rtol=1e-4, atol=1e-6))[0]
        where = tuple(int(i) for i in bad)
        where_text = where[0] if len(where) == 1 else where
        raise AssertionError(f"{what}: its {field} differs from the data at index {where_text}: "
                             f"expected {want[where]:.6g}, got {have[where]:.6g}.")


def _axis(fig: go.Figure, name: str | None, letter: str) -> Any:
    """The layout axis a trace refers to: 'x' is layout.xaxis, 'x3' is layout.xaxis3."""
    name = name or letter
    return fig.layout[f"{letter}axis{name[1:]}"]


def _rows_count_down(trace: Any) -> bool:
    """Whether a heatmap gives its rows y values that fall (`y=[r-1, ..., 0]`): another way to
    put row 0 at the top of an axis that grows upwards."""
    y = _array(trace.y)
    return y is not None and y.ndim == 1 and len(y) > 1 and bool(np.all(np.diff(y) < 0))


def _reversed(fig: go.Figure, yname: str | None) -> bool:
    """Whether a y axis runs downwards: autorange 'reversed', a descending range, or `matches`
    an axis that does (plotly.express facets match their first axis)."""
    seen = set()
    axis = _axis(fig, yname, "y")
    while True:
        autorange = axis.autorange
        if isinstance(autorange, str) and "reversed" in autorange:
            return True
        if axis.range is not None and None not in axis.range and axis.range[0] > axis.range[1]:
            return True
        if not axis.matches or axis.matches in seen:
            return False
        seen.add(axis.matches)
        axis = _axis(fig, axis.matches, "y")


def _domain(axis: Any) -> tuple[float, float]:
    return tuple(axis.domain) if axis.domain is not None else (0.0, 1.0)


def _labels_order_hint(got: list[str], expected: list[str], keep: str) -> str:
    if sorted(map(str, got)) == sorted(expected) and list(got) != list(expected):
        return f" The same names in another order: keep {keep}."
    return ""


def _assert_names_in_order(fig: go.Figure, keys: list[str], what: str, whose: str) -> None:
    names = [trace.name for trace in fig.data]
    for i, (name, key) in enumerate(zip(names, keys)):
        if name != key:
            unnamed = " (traces are named with `name=`)" if name is None else ""
            raise AssertionError(
                f"{what}: trace {i} is named {name!r}{unnamed} but {whose} {_ordinal(i)} key is "
                f"{key!r}.{_labels_order_hint(names, keys, 'the dict order')}")


# ---------------------------------------------------------------------------------------------
# Line plots


def _line_cases() -> list[tuple[Tensor, dict[str, Tensor], str]]:
    gen = t.Generator().manual_seed(0)
    steps = t.arange(0, 500, 25, dtype=t.float32)  # not 0, 1, 2, ...: leaving x out shows
    train = 2.3 * t.exp(-steps / 150) + 0.05 * t.rand(len(steps), generator=gen)
    val = train + 0.1 + 0.05 * t.rand(len(steps), generator=gen)
    rates = t.logspace(-4, 0, 9)
    return [
        (steps, {"val": val, "train": train}, "Loss while training"),  # not in sorted order
        (rates, {"sgd": t.rand(9, generator=gen), "adam": t.rand(9, generator=gen),
                 "momentum": t.rand(9, generator=gen)}, "Final loss by learning rate"),
        (t.linspace(-1, 1, 7), {"tanh": t.tanh(t.linspace(-1, 1, 7))}, "tanh"),
    ]


def test_line_plot(line_plot: Callable) -> None:
    for x, ys, title in _line_cases():
        keys = list(ys)
        what = f"line_plot(x, ys with keys {keys}, {title!r})"
        fig = _figure(call(line_plot, x.clone(), {k: v.clone() for k, v in ys.items()}, title,
                           context=f"on ys with keys {keys}"), what)
        if len(fig.data) != len(keys):
            raise AssertionError(f"{what}: expected {len(keys)} traces (one per key of ys), got "
                                 f"{len(fig.data)}.")
        for i, trace in enumerate(fig.data):
            if trace.type not in ("scatter", "scattergl"):
                raise AssertionError(f"{what}: trace {i} is a {trace.type!r} trace; a line is a "
                                     "'scatter' trace (go.Scatter, or px.line).")
            if trace.mode is not None and "lines" not in trace.mode:
                raise AssertionError(f"{what}: trace {i} has mode {trace.mode!r}, so it draws no "
                                     "line; use mode='lines'.")
        _assert_names_in_order(fig, keys, what, "the dict's")
        for i, (trace, key) in enumerate(zip(fig.data, keys)):
            xs = _array(trace.x)
            if xs is not None and xs.shape == x.shape and len(x) > 1 and \
                    np.allclose(xs, np.arange(len(x))) and not t.allclose(x, t.arange(len(x)).float()):
                raise AssertionError(f"{what}: trace {i}'s x values are 0, 1, 2, ...: did you "
                                     f"leave out x? Expected x = {_short(x.numpy())}.")
            _assert_values(trace.x, x, f"{what}, trace {i} ({key!r})", "x")
            _assert_values(trace.y, ys[key], f"{what}, trace {i} ({key!r})", "y")
        if fig.layout.title.text != title:
            raise AssertionError(f"{what}: the layout's title is {fig.layout.title.text!r}; "
                                 f"expected {title!r} (fig.update_layout(title=...)).")
    passed("test_line_plot")


# ---------------------------------------------------------------------------------------------
# Hover text

_FIELD = re.compile(r"%\{(customdata|text|hovertext)(?:\[(\d+)\])?")


def _hover_labels(trace: Any, n: int, what: str) -> list[str]:
    """The label the hover box shows for each point, read the way Plotly would find it."""
    template = trace.hovertemplate
    if isinstance(template, (list, tuple)):
        raise AssertionError(f"{what}: use one hovertemplate for all points (a string), with "
                             "the label coming from customdata.")
    if template:
        for coordinate in ("x", "y"):
            if f"%{{{coordinate}" not in template:
                raise AssertionError(f"{what}: the hovertemplate {template!r} never shows the "
                                     f"{coordinate} coordinate; add %{{{coordinate}}}.")
        fields = _FIELD.findall(template)
        if not fields:
            raise AssertionError(f"{what}: the hovertemplate {template!r} never shows the label; "
                                 "put the labels in customdata and add %{customdata}.")
        field, index = fields[0]
        source = trace[field]
    else:
        info = trace.hoverinfo
        parts = set(info.split("+")) if info and info != "all" else {"x", "y", "text"}
        if info in ("none", "skip"):
            raise AssertionError(f"{what}: hoverinfo={info!r} hides the hover box.")
        missing = [p for p in ("x", "y", "text") if p not in parts]
        if missing:
            raise AssertionError(f"{what}: hoverinfo={info!r} leaves out {missing}; the hover box "
                                 "should show the label (text) and both coordinates.")
        field, index = ("hovertext", "") if trace.hovertext is not None else ("text", "")
        source = trace[field]
        if source is None:
            raise AssertionError(f"{what}: no labels reach the hover box: set customdata and a "
                                 "hovertemplate that uses %{customdata}.")
    if source is None:
        raise AssertionError(f"{what}: the hovertemplate uses %{{{field}}} but the trace's "
                             f"{field} is not set; pass the labels as {field}=labels.")
    if isinstance(source, str):
        raise AssertionError(f"{what}: the trace's {field} is one string, {source!r}; it should "
                             "hold one label per point.")
    rows = list(source)
    if len(rows) != n:
        raise AssertionError(f"{what}: the trace's {field} has {len(rows)} entries for {n} "
                             "points; it should hold one label per point.")
    if index:
        rows = [row[int(index)] for row in rows]
    return [str(r[0]) if isinstance(r, (list, tuple, np.ndarray)) and len(r) == 1 else str(r)
            for r in rows]


def test_labelled_scatter(labelled_scatter: Callable) -> None:
    gen = t.Generator().manual_seed(1)
    cases = [
        (t.randn(12, 2, generator=gen), list("qwertyuiopas")),
        (t.randn(5, 2, generator=gen) * 3, ["five", "three", "seven", "one", "two"]),
    ]
    for points, labels in cases:
        n = len(labels)
        what = f"labelled_scatter(points of shape {tuple(points.shape)}, labels {labels[:3]}...)"
        fig = _figure(call(labelled_scatter, points.clone(), list(labels),
                           context=f"on {n} points"), what)
        if len(fig.data) != 1:
            raise AssertionError(f"{what}: expected one scatter trace holding every point, got "
                                 f"{len(fig.data)} traces.")
        trace = fig.data[0]
        if trace.type not in ("scatter", "scattergl"):
            raise AssertionError(f"{what}: the trace is a {trace.type!r}; expected a 'scatter'.")
        if trace.mode is not None and "markers" not in trace.mode:
            raise AssertionError(f"{what}: mode {trace.mode!r} draws no markers; use "
                                 "mode='markers'.")
        xs, ys = _array(trace.x), _array(trace.y)
        if xs is not None and ys is not None and xs.shape == ys.shape == (n,) and \
                np.allclose(xs, points[:, 1].numpy()) and np.allclose(ys, points[:, 0].numpy()):
            raise AssertionError(f"{what}: x and y are swapped: x should be points[:, 0].")
        _assert_values(trace.x, points[:, 0], what, "x")
        _assert_values(trace.y, points[:, 1], what, "y")
        shown = _hover_labels(trace, n, what)
        for i, (got, want) in enumerate(zip(shown, labels)):
            if got != want:
                raise AssertionError(f"{what}: hovering over point {i} shows the label {got!r}, "
                                     f"but labels[{i}] is {want!r}."
                                     f"{_labels_order_hint(shown, labels, 'the order of labels, which matches the points')}")
    passed("test_labelled_scatter")


# ---------------------------------------------------------------------------------------------
# Heatmaps and colour scales

def _colour_settings(fig: go.Figure, trace: Any, letter: str = "z") -> dict[str, Any]:
    """Colour scale, midpoint and range of a trace, from its coloraxis if it uses one (as
    px.imshow does), else from the trace (zmid, zmin, zmax)."""
    if getattr(trace, "coloraxis", None):
        axis = fig.layout[trace.coloraxis]
        return {"scale": axis.colorscale, "mid": axis.cmid, "min": axis.cmin, "max": axis.cmax,
                "where": f"layout.{trace.coloraxis}", "names": ("cmid", "cmin", "cmax")}
    return {"scale": trace.colorscale, "mid": trace[f"{letter}mid"],
            "min": trace[f"{letter}min"], "max": trace[f"{letter}max"], "where": "the heatmap",
            "names": (f"{letter}mid", f"{letter}min", f"{letter}max")}


def _rgb(colour: str) -> np.ndarray | None:
    colour = colour.strip().lower()
    if colour.startswith("#") and len(colour) in (4, 7):
        digits = colour[1:] if len(colour) == 7 else "".join(c * 2 for c in colour[1:])
        return np.array([int(digits[i:i + 2], 16) for i in (0, 2, 4)], dtype=float)
    match = re.match(r"rgba?\(([^)]*)\)", colour)
    if match:
        return np.array([float(v) for v in match[1].split(",")[:3]])
    return None


def _scale_key(scale: Any) -> tuple:
    return tuple((round(float(p), 3), tuple(_rgb(c).round()) if _rgb(c) is not None else c)
                 for p, c in scale)


@functools.lru_cache(maxsize=1)
def _named_diverging() -> frozenset[tuple]:
    names = [n for n in dir(px.colors.diverging)
             if not n.startswith("_") and not n.startswith("swatches")]
    return frozenset(_scale_key(go.Heatmap(colorscale=name).colorscale) for name in names)


def _colour_at(scale: Any, at: float) -> np.ndarray | None:
    """The RGB colour (0..255) of a colour scale at a position, interpolated."""
    points = [(float(p), _rgb(c)) for p, c in scale]
    if any(c is None for _, c in points):
        return None
    for (p0, c0), (p1, c1) in zip(points, points[1:]):
        if p0 <= at <= p1:
            return c0 + (c1 - c0) * ((at - p0) / (p1 - p0) if p1 > p0 else 0.0)
    return None


def _luminance(scale: Any, at: float) -> float | None:
    """Perceived brightness (0..1) of a colour scale at a position, interpolated."""
    colour = _colour_at(scale, at)
    return None if colour is None else float(colour @ np.array([0.299, 0.587, 0.114]) / 255)


def _is_diverging(scale: Any) -> bool:
    """A known diverging scale, or one whose middle is clearly lighter than both of its ends,
    which differ from each other, and nearly grey (two hues that meet at a light, neutral middle:
    not a rainbow such as Jet, whose light middle is a saturated yellow-green)."""
    if _scale_key(scale) in _named_diverging():
        return True
    ends = [_rgb(scale[0][1]), _rgb(scale[-1][1])]
    lum = [_luminance(scale, at) for at in (0.0, 0.5, 1.0)]
    if None in lum or any(e is None for e in ends):
        return False
    middle = _colour_at(scale, 0.5)
    neutral = middle is not None and float(middle.max() - middle.min()) < 60
    return (lum[1] > max(lum[0], lum[2]) + 0.2 and neutral
            and float(np.abs(ends[0] - ends[1]).sum()) > 120)


def _assert_centred_diverging(fig: go.Figure, trace: Any, M: Tensor, what: str) -> None:
    colour = _colour_settings(fig, trace)
    mid_name, min_name, max_name = colour["names"]
    limit = float(M.abs().max())
    # With both ends of the range set, Plotly ignores the midpoint: judge by the range then.
    if colour["min"] is not None and colour["max"] is not None:
        lo, hi = colour["min"], colour["max"]
        if not math.isclose(lo, -hi, rel_tol=1e-6, abs_tol=1e-9):
            overruled = (f" ({mid_name} has no effect once both {min_name} and {max_name} are "
                         "set)" if colour["mid"] is not None else "")
            raise AssertionError(f"{what}: {min_name}={lo:.4g} and {max_name}={hi:.4g} are not "
                                 f"symmetric about 0, so the middle colour is not 0{overruled}.")
        if hi < limit * (1 - 1e-4):
            raise AssertionError(f"{what}: the range [{lo:.4g}, {hi:.4g}] cuts off values: "
                                 f"max |M| is {limit:.4g}.")
    elif colour["mid"] is not None:
        if abs(colour["mid"]) > 1e-9:
            raise AssertionError(f"{what}: {mid_name} is {colour['mid']}, so the middle colour "
                                 "is not 0; set it to 0.")
    else:
        raise AssertionError(
            f"{what}: the colour range is not centred on 0 (no {mid_name}, and no symmetric "
            f"{min_name}/{max_name} in {colour['where']}): Plotly then spans min(M) to max(M), "
            f"and 0 gets whatever colour lands there. Set {mid_name}=0"
            + (" (color_continuous_midpoint=0 in px.imshow)." if mid_name == "cmid" else "."))
    scale = colour["scale"]
    if scale is None:
        raise AssertionError(f"{what}: no colour scale is set, so Plotly uses its default, a "
                             "sequential scale (dark to light), in which a negative and a positive "
                             "number look like two shades of one thing. Choose a diverging scale, "
                             "e.g. colorscale='RdBu'.")
    if not _is_diverging(scale):
        raise AssertionError(f"{what}: the colour scale (from {scale[0][1]} to {scale[-1][1]}) is "
                             "not diverging: a diverging scale has two hues that meet at a light "
                             "middle colour, e.g. 'RdBu', 'RdBu_r', 'PiYG' or 'balance' (any of "
                             "px.colors.diverging).")


def test_signed_heatmap(signed_heatmap: Callable) -> None:
    gen = t.Generator().manual_seed(2)
    cases = [
        t.randn(5, 7, generator=gen) + 0.8,  # more positive than negative: not centred by itself
        -3 * t.rand(3, 4, generator=gen) + 0.5,
    ]
    for M in cases:
        what = f"signed_heatmap(M of shape {tuple(M.shape)})"
        fig = _figure(call(signed_heatmap, M.clone(), context=f"on a {tuple(M.shape)} matrix"),
                      what)
        if len(fig.data) != 1 or fig.data[0].type != "heatmap":
            kinds = [trace.type for trace in fig.data]
            raise AssertionError(f"{what}: expected one 'heatmap' trace, got {kinds}.")
        trace = fig.data[0]
        _assert_values(trace.z, M, what, "z")
        if _reversed(fig, trace.yaxis) == _rows_count_down(trace):
            raise AssertionError(f"{what}: row 0 of M is drawn at the bottom; reverse the y axis "
                                 "(fig.update_yaxes(autorange='reversed')) so that it is at the "
                                 "top, as the matrix is written.")
        _assert_centred_diverging(fig, trace, M, what)
    passed("test_signed_heatmap")


# ---------------------------------------------------------------------------------------------
# Subplots


def _grid_position(fig: go.Figure, trace: Any, columns: list[float],
                   rows: list[float]) -> tuple[int, int]:
    x0 = _domain(_axis(fig, trace.xaxis, "x"))[0]
    y1 = _domain(_axis(fig, trace.yaxis, "y"))[1]
    return (min(range(len(rows)), key=lambda r: abs(rows[r] - y1)),
            min(range(len(columns)), key=lambda c: abs(columns[c] - x0)))


def _title_above(fig: go.Figure, trace: Any) -> str | None:
    """The text of the annotation that sits as a subplot title over this trace's axes."""
    x0, x1 = _domain(_axis(fig, trace.xaxis, "x"))
    y1 = _domain(_axis(fig, trace.yaxis, "y"))[1]
    found = [(abs(a.y - y1), a.text) for a in fig.layout.annotations
             if a.text is not None and a.x is not None and a.y is not None and
             "paper" in (a.xref or "") and
             "paper" in (a.yref or "") and x0 - 1e-6 <= a.x <= x1 + 1e-6 and
             y1 - 0.02 <= a.y <= y1 + 0.15]
    return min(found)[1] if found else None


def test_image_grid(image_grid: Callable) -> None:
    gen = t.Generator().manual_seed(3)
    cases = [
        (t.rand(5, 4, 6, generator=gen), ["7", "2", "1", "0", "4"], 3),
        (t.rand(6, 3, 3, generator=gen), ["cat", "dog", "ship", "frog", "car", "deer"], 2),
    ]
    for images, labels, cols in cases:
        n = len(images)
        what = f"image_grid({n} images of shape {tuple(images.shape[1:])}, {labels}, cols={cols})"
        fig = _figure(call(image_grid, images.clone(), list(labels), cols,
                           context=f"on {n} images, cols={cols}"), what)
        if len(fig.data) != n:
            raise AssertionError(f"{what}: expected {n} traces (one heatmap per image), got "
                                 f"{len(fig.data)}.")
        for i, trace in enumerate(fig.data):
            if trace.type != "heatmap":
                raise AssertionError(f"{what}: trace {i} is a {trace.type!r}; draw each image as "
                                     "a 'heatmap' (go.Heatmap, or px.imshow without "
                                     "binary_string).")
        shows = {}
        for i, image in enumerate(images):
            for trace in fig.data:
                z = _array(trace.z)
                if z is not None and z.shape == tuple(image.shape) and \
                        np.allclose(z, image.double().numpy(), atol=1e-6):
                    shows[i] = trace
                    break
            else:
                raise AssertionError(f"{what}: no heatmap shows image {i} (images[{i}], shape "
                                     f"{tuple(image.shape)}) as it is; is one transposed or "
                                     "changed?")
        axes = {(trace.xaxis or "x", trace.yaxis or "y") for trace in fig.data}
        if len(axes) != n:
            raise AssertionError(f"{what}: the {n} images share {len(axes)} set(s) of axes; "
                                 "give each image a subplot of its own (make_subplots, and "
                                 "add_trace(..., row=, col=)).")
        columns = sorted({_domain(_axis(fig, tr.xaxis, "x"))[0] for tr in fig.data})
        rows = sorted({_domain(_axis(fig, tr.yaxis, "y"))[1] for tr in fig.data}, reverse=True)
        expected_rows = math.ceil(n / cols)
        if len(columns) != min(cols, n) or len(rows) != expected_rows:
            raise AssertionError(f"{what}: the subplots form {len(rows)} row(s) of "
                                 f"{len(columns)} column(s); with cols={cols} there should be "
                                 f"{expected_rows} row(s) of {cols}.")
        for i in range(n):
            where = _grid_position(fig, shows[i], columns, rows)
            want = (i // cols, i % cols)
            if where != want:
                raise AssertionError(f"{what}: image {i} is in row {where[0]}, column {where[1]}, "
                                     f"but with cols={cols} it belongs in row {want[0]}, column "
                                     f"{want[1]} (filling rows from the top left).")
        for i in range(n):
            title = _title_above(fig, shows[i])
            if title is None:
                raise AssertionError(f"{what}: image {i}'s subplot has no title; pass "
                                     "subplot_titles=labels to make_subplots.")
            if str(title).strip() != labels[i]:
                raise AssertionError(f"{what}: the subplot of image {i} is titled {title!r}, but "
                                     f"labels[{i}] is {labels[i]!r}.")
            if not _reversed(fig, shows[i].yaxis):
                raise AssertionError(f"{what}: image {i} is upside down (row 0 at the bottom); "
                                     "reverse the y axes: fig.update_yaxes(autorange='reversed').")
    passed("test_image_grid")


def _opacity(trace: Any) -> float:
    values = [v for v in (trace.opacity, trace.marker.opacity) if isinstance(v, (int, float))]
    return min(values) if values else 1.0


def test_histograms_by_layer(histograms_by_layer: Callable) -> None:
    gen = t.Generator().manual_seed(4)
    cases = [
        {"layer 3": t.tanh(2 * t.randn(20, 8, generator=gen)),
         "embedding": t.randn(4, 5, 6, generator=gen),
         "layer 1": t.rand(30, 4, generator=gen) - 0.5},
        {"relu": t.relu(t.randn(50, generator=gen)), "output": t.randn(10, 3, generator=gen)},
    ]
    for acts in cases:
        keys = list(acts)
        what = f"histograms_by_layer(acts with keys {keys})"
        fig = _figure(call(histograms_by_layer, {k: v.clone() for k, v in acts.items()},
                           context=f"on layers {keys}"), what)
        if len(fig.data) != len(keys):
            merged = " (all layers in one histogram?)" if len(fig.data) == 1 else ""
            raise AssertionError(f"{what}: expected {len(keys)} histogram traces (one per layer), "
                                 f"got {len(fig.data)}{merged}.")
        for i, trace in enumerate(fig.data):
            if trace.type != "histogram":
                raise AssertionError(f"{what}: trace {i} is a {trace.type!r}; use a 'histogram' "
                                     "trace (go.Histogram), which bins the values for you.")
        _assert_names_in_order(fig, keys, what, "acts'")
        for i, (trace, key) in enumerate(zip(fig.data, keys)):
            values = trace.x if trace.x is not None else trace.y
            got = _array(values)
            want = acts[key].flatten()
            label = f"{what}, trace {i} ({key!r})"
            if got is not None and got.ndim != 1:
                raise AssertionError(f"{label}: x is a {tuple(got.shape)} array; Plotly bins a "
                                     "flat list of values (a nested one is drawn as wrong bins), "
                                     "so flatten the tensor first.")
            if got is None or got.size != want.numel():
                count = 0 if got is None else got.size
                raise AssertionError(f"{label}: it counts {count} values, but acts[{key!r}] has "
                                     f"{want.numel()}; flatten the whole tensor.")
            _assert_values(np.sort(got.ravel()), want.sort().values, label,
                           "values (sorted)")
        axes = [(trace.xaxis or "x", trace.yaxis or "y") for trace in fig.data]
        if len(set(axes)) == 1 and len(axes) > 1:
            if fig.layout.barmode != "overlay":
                raise AssertionError(f"{what}: the histograms share one set of axes with "
                                     f"barmode={fig.layout.barmode!r}, which puts their bars side "
                                     "by side or on top of each other; use barmode='overlay'.")
            for i, trace in enumerate(fig.data):
                if _opacity(trace) >= 1:
                    raise AssertionError(f"{what}: trace {i} ({keys[i]!r}) is opaque, so it hides "
                                         "the layers drawn before it; set opacity below 1.")
        elif len(set(axes)) != len(axes):
            raise AssertionError(f"{what}: some layers share axes and others don't; overlay all "
                                 "of them, or give each its own subplot.")
    passed("test_histograms_by_layer")


# ---------------------------------------------------------------------------------------------
# Animations


def _frame_heatmap(frame: Any) -> Any | None:
    return next((trace for trace in frame.data if trace.type == "heatmap"), None)


def test_animate(animate: Callable) -> None:
    gen = t.Generator().manual_seed(5)
    # Values grow over time, so a colour range fitted to each frame would hide the growth.
    clip = t.randn(6, 4, 5, generator=gen) * t.linspace(0.5, 3, 6)[:, None, None]
    cases = [clip, t.rand(3, 2, 2, generator=gen) + 1]
    for frames in cases:
        n = len(frames)
        what = f"animate(frames of shape {tuple(frames.shape)})"
        fig = _figure(call(animate, frames.clone(), context=f"on {n} frames"), what)
        if not fig.data or fig.data[0].type != "heatmap":
            raise AssertionError(f"{what}: the figure should start with a heatmap of frames[0]; "
                                 f"its traces are {[tr.type for tr in fig.data]}.")
        _assert_values(fig.data[0].z, frames[0], f"{what}, the first heatmap (before playing)",
                       "z")
        if len(fig.frames) != n:
            hint = " Pass frames=[go.Frame(...), ...] to go.Figure." if not fig.frames else ""
            raise AssertionError(f"{what}: the figure has {len(fig.frames)} animation frames; "
                                 f"expected {n}, one per time step.{hint}")
        for k, frame in enumerate(fig.frames):
            heatmap = _frame_heatmap(frame)
            if heatmap is None:
                raise AssertionError(f"{what}: animation frame {k} holds no heatmap.")
            z = _array(heatmap.z)
            for j in range(n):
                if j != k and z is not None and z.shape == tuple(frames[j].shape) and \
                        np.allclose(z, frames[j].double().numpy()) and \
                        not t.allclose(frames[j], frames[k]):
                    raise AssertionError(f"{what}: animation frame {k} shows frames[{j}]; frame "
                                         f"{k} should show frames[{k}] (frames in order).")
            _assert_values(heatmap.z, frames[k], f"{what}, animation frame {k}", "z")
        names = [frame.name for frame in fig.frames]
        if None in names or len(set(names)) != n:
            raise AssertionError(f"{what}: the frames' names are {names}; give each frame its own "
                                 "name (go.Frame(..., name=str(k))) so a slider step can point "
                                 "at it.")
        if not fig.layout.sliders:
            raise AssertionError(f"{what}: the figure has frames but no slider, so they can only "
                                 "be played, not scrubbed through; add layout.sliders with one "
                                 "step per frame.")
        steps = fig.layout.sliders[0].steps
        if len(steps) != n:
            raise AssertionError(f"{what}: the slider has {len(steps)} steps; expected {n}, one "
                                 "per frame.")
        for k, step in enumerate(steps):
            target = step.args[0] if step.args else None
            targets = [target] if isinstance(target, str) else list(target or [])
            if step.method != "animate" or targets != [names[k]]:
                shown = repr(target) if len(repr(target)) < 60 else repr(target)[:57] + "..."
                raise AssertionError(f"{what}: slider step {k} has method {step.method!r} and "
                                     f"args[0] {shown}; it should be method 'animate' with "
                                     f"args[0] = [{names[k]!r}], the name of frame {k}.")
        lo, hi = float(frames.min()), float(frames.max())
        colour = _colour_settings(fig, fig.data[0])
        _, min_name, max_name = colour["names"]
        if colour["min"] is None or colour["max"] is None:
            raise AssertionError(f"{what}: no fixed colour range ({min_name}/{max_name} in "
                                 f"{colour['where']}), so each frame is coloured by its own min "
                                 "and max and the same colour means different numbers in "
                                 f"different frames; set {min_name}={lo:.4g} and "
                                 f"{max_name}={hi:.4g}, the whole clip's (in px.imshow: range_color).")
        ranges = [(colour["min"], colour["max"])]
        ranges += [(tr.zmin, tr.zmax) for frame in fig.frames for tr in frame.data
                   if tr.type == "heatmap" and tr.zmin is not None and tr.zmax is not None]
        for low, high in ranges:
            if low > lo + 1e-6 or high < hi - 1e-6:
                raise AssertionError(f"{what}: the colour range [{low:.4g}, {high:.4g}] does not "
                                     f"hold the whole clip, [{lo:.4g}, {hi:.4g}]: use the clip's "
                                     "min and max, not the first frame's.")
    passed("test_animate")
