"""Chapter 5.2's figures: Plotly figures (and one table) drawn from the reference solutions and from
the experiments' results (utils/experiments/part2_cnns.py).

Streamlit-free, so that the notebook's figure cells run them too (in Colab, which has no
Streamlit); measurements that take a moment are cached with utils/caching.py.
"""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import torch as t
from plotly.subplots import make_subplots

from solutions import part2_cnns as sol
from utils.caching import cache_data
# INIT_WIDTHS and NONLINEARITIES are the widget's choices (offered by the names in
# utils/demos/part2_cnns_settings.py), INIT_SCHEMES the figure's lines.
from utils.experiments.part2_cnns import (INIT_BATCH, INIT_DEPTH, INIT_SCHEMES,  # noqa: F401
                                          INIT_SEED, INIT_WIDTHS, MLP_DEMO, NONLINEARITIES,
                                          demo_data, measure_activation_stds, sample_photos,
                                          saved_activation_stds, top_predictions)

# ---------------------------------------------------------------------------------------------
# Initialisation: how the spread of activations changes with depth


def activation_std_by_depth(width: int, nonlinearity: str, batch: int = INIT_BATCH,
                            seed: int = INIT_SEED) -> dict[str, list[float]]:
    """For each of INIT_SCHEMES, the standard deviation of every layer's output at
    initialisation, in a stack of INIT_DEPTH linear layers of `width` units (no biases, so that
    only the weights' scale shows) with `nonlinearity` between them, on a batch of
    standard-normal inputs. Layer l's output is what the l-th nonlinearity receives.

    The widget's widths and nonlinearities at the default batch and seed are read from the
    saved measurements (utils/experiments/part2_cnns.py); anything else is measured now."""
    saved = saved_activation_stds(width, nonlinearity, batch, seed)
    return saved if saved is not None else _measured(width, nonlinearity, batch, seed)


@cache_data(show_spinner=f"Measuring {INIT_DEPTH} layers at initialisation…")
def _measured(width: int, nonlinearity: str, batch: int, seed: int) -> dict[str, list[float]]:
    return measure_activation_stds(width, nonlinearity, batch, seed)


def init_depth_figure(width: int, nonlinearity: str) -> go.Figure:
    """The standard deviation of each layer's output against depth, one line per scheme."""
    stds = activation_std_by_depth(width, nonlinearity)
    colours = ("#d9480f", "#868e96", "#2b8a3e", "#4c6ef5")
    fig = go.Figure()
    for (scheme, values), colour, dash in zip(stds.items(), colours,
                                              ("solid", "solid", "solid", "dot")):
        fig.add_trace(go.Scatter(x=list(range(1, len(values) + 1)), y=values, name=scheme,
                                 mode="lines", line={"color": colour, "dash": dash, "width": 2.5}))
    fig.update_yaxes(type="log", title_text="std of the layer's output (log scale)",
                     exponentformat="power")
    fig.update_xaxes(title_text="layer")
    fig.update_layout(height=420, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend={"orientation": "h", "y": -0.22},
                      title=f"{INIT_DEPTH} layers of width {width}, nonlinearity: {nonlinearity}")
    return fig


def training_curves(losses: list[float], accuracies: list[float], title: str) -> go.Figure:
    """Loss per batch and validation accuracy per epoch, on two y axes."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(y=losses, name="training loss (per batch)", mode="lines",
                             line={"color": "#4c6ef5"}), secondary_y=False)
    per_epoch = len(losses) // max(len(accuracies), 1)
    fig.add_trace(go.Scatter(x=[per_epoch * (i + 1) - 1 for i in range(len(accuracies))],
                             y=accuracies, name="validation accuracy (per epoch)",
                             mode="lines+markers", line={"color": "#d9480f"}), secondary_y=True)
    fig.update_layout(title=title, height=380, margin={"l": 10, "r": 10, "t": 50, "b": 10},
                      legend={"orientation": "h", "y": -0.2})
    fig.update_xaxes(title_text="batch")
    fig.update_yaxes(title_text="loss", secondary_y=False)
    # Ticks of its own (0 %, 20 %, ...), not ones placed on the loss axis's grid lines.
    fig.update_yaxes(title_text="validation accuracy", range=[0, 1], tickmode="linear", tick0=0,
                     dtick=0.2, tickformat=".0%", showgrid=False, secondary_y=True)
    return fig


def digit_probabilities(index: int, trained: t.nn.Module) -> go.Figure:
    """A test digit, and the class probabilities of an untrained and the trained model."""
    data = demo_data()
    image = data.test_images[index:index + 1]
    t.manual_seed(MLP_DEMO.seed)
    untrained = type(trained)()
    with t.inference_mode():
        before = untrained(image).softmax(-1)[0]
        after = trained.eval()(image).softmax(-1)[0]
    fig = make_subplots(rows=1, cols=2, column_widths=[0.3, 0.7],
                        subplot_titles=[f"test image {index} (label {int(data.test_labels[index])})",
                                        "class probabilities"])
    fig.add_trace(go.Heatmap(z=image[0, 0].flip(0).numpy(), colorscale="gray", showscale=False),
                  row=1, col=1)
    for probs, name, colour in ((before, "before training", "#adb5bd"),
                                (after, "after training", "#d9480f")):
        fig.add_trace(go.Bar(x=[str(d) for d in range(10)], y=probs.numpy(), name=name,
                             marker_color=colour), row=1, col=2)
    fig.update_xaxes(showticklabels=False, row=1, col=1)
    fig.update_yaxes(showticklabels=False, scaleanchor="x", row=1, col=1)
    fig.update_yaxes(range=[0, 1], row=1, col=2)
    fig.update_layout(height=330, barmode="group", margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def feature_maps(index: int, convnet: t.nn.Module) -> go.Figure:
    """What the trained ConvNet's first layer sees: its 32 channels after ReLU, for one digit."""
    image = demo_data().test_images[index:index + 1]
    with t.inference_mode():
        maps = convnet.relu1(convnet.conv1(image))[0]  # (32, 28, 28)
    fig = px.imshow(maps.flip(1).numpy(), facet_col=0, facet_col_wrap=8,
                    color_continuous_scale="viridis", origin="lower")
    fig.for_each_annotation(lambda a: a.update(text=f"channel {a.text.split('=')[-1]}"))
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False)
    fig.update_layout(height=520, coloraxis_showscale=False,
                      margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return fig


def kernels(convnet: t.nn.Module) -> go.Figure:
    """The 32 learned 3x3 kernels of conv1."""
    weights = convnet.conv1.weight.detach()[:, 0]
    fig = px.imshow(weights.flip(1).numpy(), facet_col=0, facet_col_wrap=16,
                    color_continuous_scale="RdBu", color_continuous_midpoint=0.0, origin="lower")
    fig.for_each_annotation(lambda a: a.update(text=""))
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False)
    fig.update_layout(height=180, coloraxis_showscale=False,
                      margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


@cache_data
def architecture_table() -> list[dict[str, object]]:
    """Each stage of the reference ResNet34 on a 224x224 image: output shape and parameters."""
    model = sol.ResNet34().eval()
    x = t.zeros(1, 3, 224, 224)
    rows = []
    stages = [("conv1 + bn1 + relu", lambda x: model.relu(model.bn1(model.conv1(x))),
               [model.conv1, model.bn1]), ("maxpool", model.maxpool, [])]
    stages += [(f"layer{i} ({len(getattr(model, f'layer{i}'))} blocks)", getattr(model, f"layer{i}"),
                [getattr(model, f"layer{i}")]) for i in range(1, 5)]
    stages += [("avgpool", model.avgpool, []), ("fc", model.fc, [model.fc])]
    with t.inference_mode():
        for name, stage, modules in stages:
            x = stage(x)
            rows.append({"stage": name, "output shape": str(tuple(x.shape[1:])),
                         "parameters": f"{sum(p.numel() for m in modules for p in m.parameters()):,}"})
    return rows


def architecture_figure() -> go.Figure:
    """architecture_table() drawn as a Plotly table (for the notebook, where the page has a
    Markdown table)."""
    rows = architecture_table()
    columns = list(rows[0])
    fig = go.Figure(go.Table(header={"values": columns, "align": "left"},
                             cells={"values": [[row[c] for row in rows] for c in columns],
                                    "align": "left"}))
    fig.update_layout(height=330, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


def photo_predictions(model: t.nn.Module | None, k: int = 3, columns: int = 3) -> go.Figure:
    """The sample photos, each titled with the model's k most likely ImageNet classes; without a
    model (the weights could not be downloaded), the photos alone, and a title saying why."""
    photos = sample_photos()
    if model is None:
        titles = [f"<b>{name}</b>" for name in photos]
    else:
        titles = [f"<b>{name}</b><br>" + "<br>".join(f"{label}: {prob:.1%}" for label, prob in top)
                  for name, top in top_predictions(model, k)]
    rows = -(-len(photos) // columns)
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles, vertical_spacing=0.18)
    for i, photo in enumerate(photos.values()):
        step = max(1, max(photo.shape[:2]) // 200)  # at most ~200 pixels a side: a light figure
        fig.add_trace(go.Image(z=photo[::step, ::step]), row=i // columns + 1,
                      col=i % columns + 1)
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False)
    fig.update_annotations(font_size=12)
    fig.update_layout(height=330 * rows, margin={"l": 10, "r": 10, "t": 80, "b": 10})
    if model is None:
        fig.update_layout(title="No predictions: the ImageNet weights can't be downloaded here",
                          margin={"t": 120})
    return fig


def strided_view(size: tuple[int, ...], stride: tuple[int, ...]) -> tuple[go.Figure, str]:
    """Which elements of t.arange(20) (drawn as the 4 x 5 matrix) a view reads, and the view.

    Returns the figure and the view as text; raises ValueError with a readable message for a
    view that reaches outside the 20 elements."""
    if len(size) != len(stride):
        raise ValueError(f"size has {len(size)} dimensions but stride has {len(stride)}.")
    if any(s < 0 for s in size + stride):
        raise ValueError("sizes and strides must not be negative.")
    last = sum((n - 1) * s for n, s in zip(size, stride)) if all(size) else 0
    if last >= 20:
        raise ValueError(f"this view would read element {last}, past the end of the 20.")
    view = t.arange(20).as_strided(size, stride)
    counts = t.bincount(view.flatten(), minlength=20).reshape(4, 5)
    fig = go.Figure(go.Heatmap(
        z=counts.numpy(), text=t.arange(20).reshape(4, 5).numpy(), texttemplate="%{text}",
        colorscale=[[0, "#f1f3f5"], [1, "#d9480f"]], showscale=False,
        hovertemplate="element %{text}: read %{z} time(s)<extra></extra>"))
    fig.update_yaxes(autorange="reversed", showticklabels=False)
    fig.update_xaxes(showticklabels=False, scaleanchor="y")
    fig.update_layout(height=260, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig, str(view.tolist())


def accuracy_curve(accuracies: list[float], title: str) -> go.Figure:
    fig = go.Figure(go.Scatter(x=list(range(1, len(accuracies) + 1)), y=accuracies,
                               mode="lines+markers", line={"color": "#d9480f"}))
    fig.update_layout(title=title, height=300, xaxis_title="epoch",
                      yaxis_title="validation accuracy", yaxis_range=[0, 1],
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig
