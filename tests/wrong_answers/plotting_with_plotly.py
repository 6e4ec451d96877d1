"""Plausible wrong answers for chapter 1 (plotting with Plotly); each check must reject them.

RIGHT_ANSWERS holds other correct ways to build the same figures (plotly.express instead of
graph_objects, a symmetric range instead of a midpoint, subplots instead of an overlay, lists
instead of tensors), which the checks must accept.
"""

import math

import plotly.express as px
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from solutions import plotting_with_plotly as ref

# --- line_plot -------------------------------------------------------------------------------


def line_sorted_keys(x, ys, title):
    return ref.line_plot(x, {k: ys[k] for k in sorted(ys)}, title)


def line_unnamed(x, ys, title):
    fig = go.Figure([go.Scatter(x=x, y=y, mode="lines") for y in ys.values()])
    return fig.update_layout(title=title)


def line_x_ignored(x, ys, title):
    fig = go.Figure([go.Scatter(y=y, mode="lines", name=k) for k, y in ys.items()])
    return fig.update_layout(title=title)


def line_no_title(x, ys, title):
    return go.Figure([go.Scatter(x=x, y=y, mode="lines", name=k) for k, y in ys.items()])


def line_markers_only(x, ys, title):
    fig = go.Figure([go.Scatter(x=x, y=y, mode="markers", name=k) for k, y in ys.items()])
    return fig.update_layout(title=title)


def line_no_return(x, ys, title):
    ref.line_plot(x, ys, title)  # builds the figure, then drops it


# --- labelled_scatter ------------------------------------------------------------------------


def scatter_no_labels(points, labels):
    return go.Figure(go.Scatter(x=points[:, 0], y=points[:, 1], mode="markers"))


def scatter_customdata_unused(points, labels):
    return go.Figure(go.Scatter(x=points[:, 0], y=points[:, 1], mode="markers",
                                customdata=labels, hovertemplate="x = %{x}<br>y = %{y}"))


def scatter_template_without_customdata(points, labels):
    return go.Figure(go.Scatter(x=points[:, 0], y=points[:, 1], mode="markers",
                                hovertemplate="%{customdata}<br>%{x}, %{y}"))


def scatter_sorted_labels(points, labels):
    return ref.labelled_scatter(points, sorted(labels))


def scatter_label_only(points, labels):
    return go.Figure(go.Scatter(x=points[:, 0], y=points[:, 1], mode="markers",
                                customdata=labels, hovertemplate="%{customdata}<extra></extra>"))


def scatter_swapped_axes(points, labels):
    return ref.labelled_scatter(points.flip(1), labels)


# --- signed_heatmap --------------------------------------------------------------------------


def heatmap_not_centred(M):
    fig = go.Figure(go.Heatmap(z=M, colorscale="RdBu"))
    return fig.update_yaxes(autorange="reversed")


def heatmap_sequential(M):
    fig = go.Figure(go.Heatmap(z=M, colorscale="Viridis", zmid=0))
    return fig.update_yaxes(autorange="reversed")


def heatmap_rainbow(M):
    fig = go.Figure(go.Heatmap(z=M, colorscale="Jet", zmid=0))  # light middle, but not neutral
    return fig.update_yaxes(autorange="reversed")


def histograms_unflattened(acts):
    fig = go.Figure()
    for name, values in acts.items():  # a 2-D x: Plotly bins its rows' positions, not the values
        fig.add_trace(go.Histogram(x=values, name=name, opacity=0.6))
    return fig.update_layout(barmode="overlay")


def heatmap_rows_count_down(M):
    # Right: row 0 at the top by giving the rows falling y values, not by reversing the axis.
    return go.Figure(go.Heatmap(z=M, y=list(range(M.shape[0]))[::-1], colorscale="RdBu", zmid=0))


def heatmap_default_scale(M):
    return px.imshow(M, color_continuous_midpoint=0)


def heatmap_row_zero_at_bottom(M):
    return go.Figure(go.Heatmap(z=M, colorscale="RdBu", zmid=0))


def heatmap_asymmetric_range(M):
    fig = go.Figure(go.Heatmap(z=M, colorscale="RdBu", zmin=float(M.min()), zmax=float(M.max())))
    return fig.update_yaxes(autorange="reversed")


def heatmap_range_cut(M):
    fig = go.Figure(go.Heatmap(z=M, colorscale="RdBu", zmin=-1, zmax=1))
    return fig.update_yaxes(autorange="reversed")


def heatmap_midpoint_overruled(M):
    fig = go.Figure(go.Heatmap(z=M, colorscale="RdBu", zmid=0, zmin=float(M.min()),
                               zmax=float(M.max())))  # with both ends set, zmid has no effect
    return fig.update_yaxes(autorange="reversed")


def heatmap_transposed(M):
    return ref.signed_heatmap(M.T)


# --- image_grid ------------------------------------------------------------------------------


def grid_titles_shifted(images, labels, cols):
    return ref.image_grid(images, labels[1:] + labels[:1], cols)


def grid_column_major(images, labels, cols):
    n = len(images)
    rows = math.ceil(n / cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=list(labels))
    for i, image in enumerate(images):  # fills columns first; the titles still go row by row
        fig.add_trace(go.Heatmap(z=image, showscale=False), row=i % rows + 1, col=i // rows + 1)
    return fig.update_yaxes(autorange="reversed")


def grid_upside_down(images, labels, cols):
    fig = ref.image_grid(images, labels, cols)
    return fig.update_yaxes(autorange=True)


def grid_one_row(images, labels, cols):
    return ref.image_grid(images, labels, len(images))


def grid_no_titles(images, labels, cols):
    fig = make_subplots(rows=math.ceil(len(images) / cols), cols=cols)
    for i, image in enumerate(images):
        fig.add_trace(go.Heatmap(z=image, showscale=False), row=i // cols + 1, col=i % cols + 1)
    return fig.update_yaxes(autorange="reversed")


def grid_px_facet_titles(images, labels, cols):
    return px.imshow(images, facet_col=0, facet_col_wrap=cols)  # titles left as "facet_col=0"


# --- histograms_by_layer ---------------------------------------------------------------------


def hist_merged(acts):
    import torch as t
    return go.Figure(go.Histogram(x=t.cat([a.flatten() for a in acts.values()]), name="all"))


def hist_stacked(acts):
    fig = go.Figure([go.Histogram(x=a.flatten(), name=k, opacity=0.6) for k, a in acts.items()])
    return fig.update_layout(barmode="stack")


def hist_opaque_overlay(acts):
    fig = go.Figure([go.Histogram(x=a.flatten(), name=k) for k, a in acts.items()])
    return fig.update_layout(barmode="overlay")


def hist_first_row_only(acts):
    return ref.histograms_by_layer({k: a.reshape(-1, a.shape[-1])[0] for k, a in acts.items()})


def hist_sorted_layers(acts):
    return ref.histograms_by_layer({k: acts[k] for k in sorted(acts)})


def hist_unnamed(acts):
    fig = go.Figure([go.Histogram(x=a.flatten(), opacity=0.6) for a in acts.values()])
    return fig.update_layout(barmode="overlay")


# --- animate ---------------------------------------------------------------------------------


def _slider(names):
    return [{"steps": [{"method": "animate", "label": n, "args": [[n], {"mode": "immediate"}]}
                       for n in names]}]


def animate_no_slider(frames):
    fig = ref.animate(frames)
    fig.layout.sliders = ()  # frames and a play button only
    return fig


def animate_range_per_frame(frames):
    names = [str(k) for k in range(len(frames))]
    fig = go.Figure(data=[go.Heatmap(z=frames[0])],
                    frames=[go.Frame(data=[go.Heatmap(z=f)], name=n) for f, n in zip(frames, names)])
    return fig.update_layout(sliders=_slider(names))


def animate_first_frame_range(frames):
    lo, hi = float(frames[0].min()), float(frames[0].max())
    names = [str(k) for k in range(len(frames))]
    fig = go.Figure(data=[go.Heatmap(z=frames[0], zmin=lo, zmax=hi)],
                    frames=[go.Frame(data=[go.Heatmap(z=f)], name=n) for f, n in zip(frames, names)])
    return fig.update_layout(sliders=_slider(names))


def animate_reversed(frames):
    fig = ref.animate(frames.flip(0))
    fig.data[0].z = frames[0]  # starts right, then plays backwards
    return fig


def animate_missing_last(frames):
    return ref.animate(frames[:-1])


def animate_px_without_range(frames):
    return px.imshow(frames, animation_frame=0)


def animate_slider_steps_restyle(frames):
    fig = ref.animate(frames)
    steps = [{"method": "restyle", "label": str(k), "args": [{"z": [frames[k]]}]}
             for k in range(len(frames))]
    return fig.update_layout(sliders=[{"steps": steps}])


WRONG_ANSWERS = [
    ("line_plot", "keys sorted instead of in the dict's order", line_sorted_keys),
    ("line_plot", "traces not named", line_unnamed),
    ("line_plot", "x ignored (0, 1, 2, ... instead)", line_x_ignored),
    ("line_plot", "no title", line_no_title),
    ("line_plot", "markers only, no lines", line_markers_only),
    ("line_plot", "forgets to return the figure", line_no_return),
    ("labelled_scatter", "labels never reach the plot", scatter_no_labels),
    ("labelled_scatter", "customdata set but not in the hovertemplate", scatter_customdata_unused),
    ("labelled_scatter", "hovertemplate uses customdata that is not set",
     scatter_template_without_customdata),
    ("labelled_scatter", "labels sorted, so attached to the wrong points", scatter_sorted_labels),
    ("labelled_scatter", "hover box shows only the label", scatter_label_only),
    ("labelled_scatter", "x and y swapped", scatter_swapped_axes),
    ("signed_heatmap", "diverging scale but not centred on 0", heatmap_not_centred),
    ("signed_heatmap", "sequential colour scale", heatmap_sequential),
    ("signed_heatmap", "a rainbow scale (Jet) centred on 0", heatmap_rainbow),
    ("histograms_by_layer", "each tensor passed unflattened", histograms_unflattened),
    ("signed_heatmap", "px.imshow's default (sequential) scale", heatmap_default_scale),
    ("signed_heatmap", "go.Heatmap with row 0 at the bottom", heatmap_row_zero_at_bottom),
    ("signed_heatmap", "zmin/zmax from the data (not symmetric)", heatmap_asymmetric_range),
    ("signed_heatmap", "symmetric range that cuts values off", heatmap_range_cut),
    ("signed_heatmap", "matrix transposed", heatmap_transposed),
    ("signed_heatmap", "zmid=0 overruled by an asymmetric zmin/zmax", heatmap_midpoint_overruled),
    ("image_grid", "titles shifted by one", grid_titles_shifted),
    ("image_grid", "images fill columns first", grid_column_major),
    ("image_grid", "images upside down", grid_upside_down),
    ("image_grid", "all images in one row", grid_one_row),
    ("image_grid", "no subplot titles", grid_no_titles),
    ("image_grid", "px facets keep their 'facet_col=0' titles", grid_px_facet_titles),
    ("histograms_by_layer", "all layers merged into one histogram", hist_merged),
    ("histograms_by_layer", "stacked bars", hist_stacked),
    ("histograms_by_layer", "overlay of opaque histograms", hist_opaque_overlay),
    ("histograms_by_layer", "only the first row of each tensor", hist_first_row_only),
    ("histograms_by_layer", "layers sorted by name", hist_sorted_layers),
    ("histograms_by_layer", "traces not named", hist_unnamed),
    ("animate", "frames without a slider", animate_no_slider),
    ("animate", "colour range fitted to each frame", animate_range_per_frame),
    ("animate", "colour range of the first frame only", animate_first_frame_range),
    ("animate", "frames in reverse order", animate_reversed),
    ("animate", "last frame missing", animate_missing_last),
    ("animate", "px.imshow animation without range_color", animate_px_without_range),
    ("animate", "slider steps restyle instead of animating to frames",
     animate_slider_steps_restyle),
]


# --- other correct answers ---------------------------------------------------------------------


def line_px(x, ys, title):
    fig = px.line(x=x.tolist(), y=[y.tolist() for y in ys.values()], title=title)
    for trace, name in zip(fig.data, ys):
        trace.name = name
    return fig


def line_lists(x, ys, title):
    fig = go.Figure()
    for name, y in ys.items():
        fig.add_scatter(x=x.tolist(), y=y.tolist(), name=name)  # mode left to Plotly
    return fig.update_layout(title_text=title)


def scatter_px_hover_name(points, labels):
    return px.scatter(x=points[:, 0].numpy(), y=points[:, 1].numpy(), hover_name=labels)


def scatter_text_default_hover(points, labels):
    return go.Figure(go.Scatter(x=points[:, 0], y=points[:, 1], mode="markers+text", text=labels))


def scatter_customdata_columns(points, labels):
    data = [[label, i] for i, label in enumerate(labels)]
    return go.Figure(go.Scatter(x=points[:, 0], y=points[:, 1], mode="markers", customdata=data,
                                hovertemplate="%{customdata[0]} (#%{customdata[1]}): %{x}, %{y}"))


def heatmap_px(M):
    return px.imshow(M, color_continuous_scale="RdBu_r", color_continuous_midpoint=0)


def heatmap_symmetric_range(M):
    limit = float(M.abs().max())
    fig = go.Figure(go.Heatmap(z=M.tolist(), colorscale="PiYG", zmin=-limit, zmax=limit))
    return fig.update_yaxes(autorange="reversed")


def heatmap_custom_scale(M):
    fig = go.Figure(go.Heatmap(z=M, zmid=0, colorscale=[[0, "#2166ac"], [0.5, "#f7f7f7"],
                                                       [1, "#b2182b"]]))
    return fig.update_yaxes(range=[M.shape[0] - 0.5, -0.5])


def heatmap_px_tensor(M):
    return px.imshow(M, color_continuous_scale="balance", zmin=-float(M.abs().max()),
                     zmax=float(M.abs().max()))


def grid_px_facets(images, labels, cols):
    fig = px.imshow(images, facet_col=0, facet_col_wrap=cols)
    return fig.for_each_annotation(lambda a: a.update(text=labels[int(a.text.split("=")[1])]))


def hist_subplots(acts):
    fig = make_subplots(rows=len(acts), cols=1, subplot_titles=list(acts))
    for i, (name, values) in enumerate(acts.items()):
        fig.add_trace(go.Histogram(x=values.flatten().tolist(), name=name), row=i + 1, col=1)
    return fig


def hist_px_overlay(acts):
    import pandas as pd
    table = pd.DataFrame({"value": [float(v) for a in acts.values() for v in a.flatten()],
                          "layer": [k for k, a in acts.items() for _ in range(a.numel())]})
    return px.histogram(table, x="value", color="layer", barmode="overlay", opacity=0.5)


def animate_px(frames):
    return px.imshow(frames, animation_frame=0,
                     range_color=[float(frames.min()), float(frames.max())])


RIGHT_ANSWERS = [
    ("signed_heatmap", "falling y values instead of a reversed axis", heatmap_rows_count_down),
    ("line_plot", "px.line with names set", line_px),
    ("line_plot", "lists, mode left to Plotly", line_lists),
    ("labelled_scatter", "px.scatter(hover_name=...)", scatter_px_hover_name),
    ("labelled_scatter", "text with the default hover box", scatter_text_default_hover),
    ("labelled_scatter", "customdata columns", scatter_customdata_columns),
    ("signed_heatmap", "px.imshow with a midpoint", heatmap_px),
    ("signed_heatmap", "symmetric zmin/zmax", heatmap_symmetric_range),
    ("signed_heatmap", "a hand-made diverging scale and a descending range", heatmap_custom_scale),
    ("signed_heatmap", "px.imshow of the tensor with a symmetric zmin/zmax", heatmap_px_tensor),
    ("image_grid", "px.imshow facets, retitled", grid_px_facets),
    ("histograms_by_layer", "one subplot per layer", hist_subplots),
    ("histograms_by_layer", "px.histogram overlay", hist_px_overlay),
    ("animate", "px.imshow(animation_frame=0, range_color=...)", animate_px),
]
