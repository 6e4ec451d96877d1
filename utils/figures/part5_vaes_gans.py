"""Chapter 5.5's figures: reconstructions, the latent plane and images decoded from it, the beta
sweep, and the demo GAN's samples; each returns a Plotly figure.

The site's pages draw them, and so does the chapter's notebook (`figures` in its cells), which
may run in Colab without Streamlit: hence utils.caching's decorators rather than Streamlit's.
The two `your_*` functions are the notebook's side of the pages' "Train yours" demos: they train
the learner's own code in the notebook's kernel, where the page runs it in the sandbox.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go
import torch as t
from plotly.subplots import make_subplots

from utils.caching import cache_data, cache_resource
from utils.data import get_mnist, offline_digits
from utils.demos.part5_vaes_gans import GRID_EXTENT, latent_grid, train_and_map, \
    train_gan_samples, validated_map, validated_samples
from utils.pretrained import VAE_BETA, load_beta_sweep, load_demo_model, to_uint8, \
    trained_on
from utils.demos.part5_vaes_gans_settings import KINDS  # noqa: F401 - the pages' name for it
from utils.plotting import message_figure
from utils.site_config import ROOT


# The GAN section's example of training on faces: the one Python block of its source, so page and
# notebook show the same code; tests/test_page_snippets.py runs it (offline, on the stand-in faces).
FACES_EXAMPLE = re.search(r"^```python\n(.*?)^```$", (
    ROOT / "pages" / "part5_vaes_gans" / "2_gans.md").read_text(), re.S | re.M)[1]


@cache_resource(show_spinner="Loading the demo models…")
def demo_model(kind: str) -> t.nn.Module:
    return load_demo_model(kind)


@cache_resource
def test_set(n: int = 1000) -> tuple[t.Tensor, t.Tensor, str]:
    """Test images from the dataset the demo models were trained on."""
    data = get_mnist(allow_download=False) if trained_on() == "MNIST" else offline_digits()
    return data.test_images[:n], data.test_labels[:n], data.source


def encode(model: t.nn.Module, images: t.Tensor) -> t.Tensor:
    """The latent point of each image: z for the autoencoder, the mean mu for the VAE."""
    with t.no_grad():
        if hasattr(model, "sample_latent_vector"):
            return model.sample_latent_vector(images)[1]
        return model.encoder(images)


def decode(model: t.nn.Module, z: t.Tensor) -> np.ndarray:
    with t.no_grad():
        return model.decoder(z).clamp(0, 1)[:, 0].numpy()


def _image_row(fig: go.Figure, images: np.ndarray, row: int) -> None:
    for i, image in enumerate(images):
        fig.add_trace(go.Heatmap(z=image[::-1], colorscale="gray", zmin=0, zmax=1,
                                 showscale=False), row=row, col=i + 1)


@cache_data
def reconstructions(kind: str, n: int = 8) -> go.Figure:
    """Test digits (top) and what the model makes of them (bottom)."""
    model = demo_model(kind)
    images, _, _ = test_set()
    inputs = images[:n]
    outputs = decode(model, encode(model, inputs))
    fig = make_subplots(rows=2, cols=n, horizontal_spacing=0.01, vertical_spacing=0.04,
                        row_titles=["input", "output"])
    _image_row(fig, inputs[:, 0].numpy(), 1)
    _image_row(fig, outputs, 2)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    fig.update_layout(height=260, margin={"l": 0, "r": 30, "t": 10, "b": 0})
    return fig


@cache_data
def latent_scatter() -> go.Figure:
    """Where each test digit lands in the 2-D latent plane, for both models side by side."""
    images, labels, _ = test_set()
    fig = make_subplots(rows=1, cols=2, subplot_titles=[f"{KINDS[k]}: latent points"
                                                         for k in KINDS])
    for col, kind in enumerate(KINDS, start=1):
        single = points_figure(encode(demo_model(kind), images).numpy(), labels.numpy(), "")
        for trace in single.data:
            trace.update(legendgroup=trace.name, showlegend=col == 1, marker_size=4)
            fig.add_trace(trace, row=1, col=col)
    fig.update_layout(height=420, legend_title_text="digit",
                      margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


_DIGIT_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                  "#7f7f7f", "#bcbd22", "#17becf")


def decoded_image(kind: str, z1: float, z2: float) -> go.Figure:
    """The decoder's image for one latent point (fast: one small forward pass)."""
    return image_figure(decode(demo_model(kind), t.tensor([[z1, z2]], dtype=t.float32))[0])


@cache_data
def decoded_grid(kind: str) -> go.Figure:
    """The demo decoder's images over a grid of the latent plane: how it fills the space."""
    return grid_figure(latent_grid(demo_model(kind).decoder), GRID_EXTENT)


# A mosaic's axes, its cells square: they shrink to the mosaic (constrain) rather than widen its
# range with empty plane around it, and draw no grid or zero lines across the images.
MOSAIC_AXES = {"constrain": "domain", "showgrid": False, "zeroline": False}


def grid_figure(grid: np.ndarray, extent: float) -> go.Figure:
    """A (steps, steps, 28, 28) grid of decoded images as one mosaic, on latent-plane axes."""
    steps = grid.shape[0]
    mosaic = grid.transpose(0, 2, 1, 3).reshape(steps * 28, steps * 28)
    fig = go.Figure(go.Heatmap(z=mosaic[::-1], colorscale="gray", zmin=0, zmax=1,
                               showscale=False, x0=-extent, dx=2 * extent / (steps * 28),
                               y0=-extent, dy=2 * extent / (steps * 28)))
    fig.update_yaxes(scaleanchor="x", title_text="z₂", **MOSAIC_AXES)
    fig.update_xaxes(title_text="z₁", **MOSAIC_AXES)
    fig.update_layout(height=460, margin={"l": 60, "r": 10, "t": 10, "b": 50})
    return fig


def points_figure(points: np.ndarray, labels: np.ndarray, title: str) -> go.Figure:
    """Latent points coloured by digit."""
    fig = go.Figure()
    for digit in range(10):
        chosen = labels == digit
        # SVG, not WebGL: 1,000 points draw in well under 0.1 s, and WebGL is drawn in software
        # where there is no GPU (and needs the full plotly.js: utils/charts.py).
        fig.add_trace(go.Scatter(x=points[chosen, 0], y=points[chosen, 1], mode="markers",
                                 name=str(digit),
                                 marker={"size": 5, "color": _DIGIT_COLOURS[digit]}))
    fig.update_layout(height=420, title=title, legend_title_text="digit",
                      margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def image_figure(image: np.ndarray) -> go.Figure:
    fig = go.Figure(go.Heatmap(z=image[::-1], colorscale="gray", zmin=0, zmax=1,
                               showscale=False))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    fig.update_layout(height=260, width=260, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return fig


def grid_cell(grid: np.ndarray, extent: float, z1: float, z2: float) -> np.ndarray:
    """The grid image nearest to (z1, z2); row 0 of the grid is the top (largest z2)."""
    steps = grid.shape[0]
    column = int(round((z1 + extent) / (2 * extent) * (steps - 1)))
    row = int(round((extent - z2) / (2 * extent) * (steps - 1)))
    return grid[min(max(row, 0), steps - 1), min(max(column, 0), steps - 1)]


def loss_figure(losses: np.ndarray, kind: str) -> go.Figure:
    fig = go.Figure(go.Scatter(y=losses, mode="lines", line={"width": 1}))
    fig.update_layout(height=260, title=f"reconstruction loss of each training step ({kind})",
                      xaxis_title="step", yaxis_title="MSE",
                      margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


@cache_resource(show_spinner="Loading the beta sweep…")
def beta_sweep() -> dict:
    """The VAE trained with several betas (`python -m utils.pretrained beta_sweep`)."""
    return load_beta_sweep()


def _beta_label(beta: float) -> str:
    return f"β = {beta:g}" + (" (default)" if beta == VAE_BETA else "")


def first_collapsed_beta(kl_below: float = 0.05) -> float:
    """The smallest beta of the sweep from which on every VAE's KL is about 0 (collapsed)."""
    sweep = beta_sweep()
    collapsed = [b for i, b in enumerate(sweep["betas"])
                 if all(kl < kl_below for kl in sweep["kl"][i:])]
    return collapsed[0] if collapsed else float("nan")


@cache_data
def beta_sweep_figure() -> go.Figure:
    """Reconstruction error and KL against beta: past a point, the KL is 0 and the error is
    that of drawing the average digit."""
    sweep = beta_sweep()
    betas = sweep["betas"]
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12, subplot_titles=[
        "reconstruction error on test digits (MSE)", "KL per latent dimension (nats)"])
    fig.add_trace(go.Scatter(x=betas, y=sweep["reconstruction"], mode="lines+markers",
                             name="VAE", showlegend=False,
                             hovertemplate="β = %{x:g}<br>MSE %{y:.4f}<extra></extra>"),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=[betas[0], betas[-1]], y=[sweep["mean_digit_error"]] * 2,
                             mode="lines", name="drawing the average digit for every image",
                             line={"dash": "dash", "color": "grey"}), row=1, col=1)
    fig.add_trace(go.Scatter(x=betas, y=sweep["kl"], mode="lines+markers", showlegend=False,
                             hovertemplate="β = %{x:g}<br>KL %{y:.3f}<extra></extra>"),
                  row=1, col=2)
    for col, values in ((1, sweep["reconstruction"]), (2, sweep["kl"])):
        fig.add_trace(go.Scatter(x=[VAE_BETA, VAE_BETA], y=[min(values), max(values)],
                                 mode="lines", name=f"the default, β = {VAE_BETA:g}",
                                 showlegend=col == 1, hoverinfo="skip",
                                 line={"dash": "dot", "color": "green"}), row=1, col=col)
    fig.update_xaxes(type="log", title_text="β (log scale)")
    fig.update_layout(height=340, legend={"orientation": "h", "y": -0.3},
                      margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


@cache_data
def beta_sweep_reconstructions() -> go.Figure:
    """The same test digits (top row) as decoded by the VAE of each beta (one row each)."""
    sweep = beta_sweep()
    rows = t.cat([sweep["inputs"][None], sweep["shown"]]).numpy()  # (1 + betas, n, 28, 28)
    return labelled_rows(rows, ["test digits"] + [_beta_label(b) for b in sweep["betas"]])


def labelled_rows(rows: np.ndarray, labels: list[str]) -> go.Figure:
    """Rows of images (rows, n, 28, 28) with values 0-255, one mosaic, each row labelled."""
    n_rows, n = rows.shape[:2]
    mosaic = rows.transpose(0, 2, 1, 3).reshape(n_rows * 28, n * 28)
    fig = go.Figure(go.Heatmap(z=mosaic[::-1], colorscale="gray", zmin=0, zmax=255,
                               showscale=False, hoverinfo="skip"))
    fig.update_yaxes(scaleanchor="x", showgrid=False, ticks="", tickvals=[
        (n_rows - 1 - i) * 28 + 13.5 for i in range(n_rows)], ticktext=labels)
    fig.update_xaxes(visible=False)
    # A fixed size with room for the labels: the images keep square pixels.
    fig.update_layout(width=150 + 60 * n, height=20 + 60 * n_rows,
                      margin={"l": 150, "r": 0, "t": 10, "b": 10})
    return fig


@cache_resource(show_spinner="Loading the demo GAN…")
def demo_gan() -> tuple[t.nn.Module, t.Tensor]:
    from utils.pretrained import load_demo_gan

    return load_demo_gan()


def sample_mosaic(images: np.ndarray, columns: int = 8) -> go.Figure:
    """Images (n, 28, 28) with values 0-255, as rows of `columns`."""
    n = len(images)
    rows = -(-n // columns)
    padded = np.zeros((rows * columns, 28, 28))
    padded[:n] = images
    mosaic = padded.reshape(rows, columns, 28, 28).transpose(0, 2, 1, 3).reshape(rows * 28, -1)
    fig = go.Figure(go.Heatmap(z=mosaic[::-1], colorscale="gray", zmin=0, zmax=255,
                               showscale=False))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    fig.update_layout(height=60 + 70 * rows, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return fig


def generated(noise: t.Tensor) -> np.ndarray:
    """The demo generator's images for a batch of noise, as 0-255."""
    model, _ = demo_gan()
    with t.no_grad():
        return to_uint8(model.netG(noise)).numpy()


def gan_losses(history: list) -> go.Figure:
    """Both networks' losses over training: a tug of war, not a descent."""
    losses = np.asarray(history, dtype=float)
    fig = go.Figure()
    for i, name in enumerate(("discriminator", "generator")):
        fig.add_trace(go.Scatter(y=losses[:, i], mode="lines", name=name, line={"width": 1}))
    fig.update_layout(height=280, xaxis_title="step", yaxis_title="loss",
                      margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


@cache_resource(show_spinner="Loading faces…")
def faces() -> tuple[np.ndarray, str]:
    """A few faces from CelebA when it is on disk, else the offline stand-in, as 0-255."""
    from utils.data import get_celeba

    data = get_celeba(allow_download=False)
    return (data.train_images[:8] * 255).permute(0, 2, 3, 1).numpy(), data.source


def png_data_uri(image: np.ndarray) -> str:
    """An (h, w, 3) image with values 0-255 as a PNG data URI: a chart that shows it as
    go.Image(source=...) sends a few KB, where its pixels as numbers (z=) took 70 KB a face."""
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.clip(np.rint(image), 0, 255).astype(np.uint8)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def face_row(images: np.ndarray) -> go.Figure:
    fig = make_subplots(rows=1, cols=len(images), horizontal_spacing=0.01)
    for i, image in enumerate(images):
        fig.add_trace(go.Image(source=png_data_uri(image)), row=1, col=i + 1)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=140, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return fig


def interpolated_samples(start_seed: int, end_seed: int, mix: float, n: int = 8) -> np.ndarray:
    """The demo generator's images for n noise vectors part of the way (mix in [0, 1]) from
    those drawn with start_seed to those drawn with end_seed."""
    model, _ = demo_gan()
    z_start, z_end = (t.randn(n, model.latent_dim_size, generator=t.Generator().manual_seed(s))
                      for s in (start_seed, end_seed))
    return generated((1 - mix) * z_start + mix * z_end)


def gan_progress(epochs: tuple[int, ...] = (1, 2, 5, 10, 30), n: int = 8) -> go.Figure:
    """The demo generator's images for the same n noise vectors after each of `epochs` (1-based)
    of its training, one row per epoch."""
    _, snapshots = demo_gan()
    chosen = [e for e in epochs if 1 <= e <= len(snapshots)]
    return labelled_rows(snapshots[[e - 1 for e in chosen], :n].numpy(),
                         [f"after epoch {e}" for e in chosen])


def noise_walk(start_seed: int, end_seed: int,
               mixes: tuple[float, ...] = (0, 0.25, 0.5, 0.75, 1)) -> go.Figure:
    """The demo generator's images part of the way from the noise drawn with start_seed to that
    drawn with end_seed (8 pairs of noise vectors, one per column), one row per step."""
    rows = np.stack([interpolated_samples(start_seed, end_seed, mix) for mix in mixes])
    return labelled_rows(rows, [f"{mix:.0%} of the way" for mix in mixes])


def _learners_frame(error: Exception) -> str:
    """The qualified name of the innermost function of the traceback that is the learner's (not
    Python's, a library's or the course's), e.g. `VAE.__init__`."""
    library = (sys.prefix, sys.base_prefix, str(ROOT / "utils"), str(ROOT / "solutions"))
    names = []
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if not code.co_filename.startswith(library) and "site-packages" not in code.co_filename:
            names.append(getattr(code, "co_qualname", code.co_name))
        tb = tb.tb_next
    return names[-1] if names else "your code"


def _not_yet(error: Exception) -> go.Figure:
    """A figure in place of a demo whose training needs an exercise the learner has not done, or
    that raised: it says which and what to do (printed too), and "Run all" goes on."""
    where = _learners_frame(error)
    if isinstance(error, NotImplementedError):
        message = (f"Not yet: `{where.split('.')[0]}` is not done ({where} raises "
                   "NotImplementedError). Finish it above, then run this cell again.")
        print(message)
    else:
        message = (f"Your code raised {type(error).__name__} in {where}: {error}. "
                   "Its check above says more; fix it, then run this cell again.")
        print(message, file=sys.stderr)
    fig = message_figure(message, height=120)
    return fig


def your_latent_map(namespace: Mapping, kind: str = "vae", epochs: int = 3) -> go.Figure:
    """For the notebook: train the learner's Autoencoder or VAE with their training step (the
    names in `namespace`, e.g. the notebook's globals()) as the page's "Train yours" does, and
    draw its loss, where it puts the test digits and its decoder over the latent plane."""
    try:
        own = validated_map(train_and_map(namespace, kind=kind, epochs=epochs))
    except Exception as error:  # an exercise not done yet, or wrong: say so, let "Run all" go on
        return _not_yet(error)
    name = KINDS[kind]
    fig = make_subplots(rows=1, cols=3, column_widths=[0.3, 0.35, 0.35], subplot_titles=[
        f"your {name}'s loss per step", f"your {name}'s latent points (test digits)",
        "your decoder over the plane"])
    fig.add_trace(go.Scatter(y=own["losses"], mode="lines", line={"width": 1},
                             showlegend=False), row=1, col=1)
    for trace in points_figure(own["points"], own["labels"], "").data:
        fig.add_trace(trace, row=1, col=2)
    for trace in grid_figure(own["grid"], own["extent"]).data:
        fig.add_trace(trace, row=1, col=3)
    fig.update_xaxes(title_text="step", row=1, col=1)
    fig.update_xaxes(title_text="z₁", row=1, col=3, **MOSAIC_AXES)
    fig.update_yaxes(title_text="z₂", scaleanchor="x3", row=1, col=3, **MOSAIC_AXES)
    fig.update_layout(height=400, legend_title_text="digit",
                      margin={"l": 50, "r": 10, "t": 40, "b": 50})
    return fig


def your_gan_samples(namespace: Mapping, epochs: int = 2, n: int = 8) -> go.Figure:
    """For the notebook: train the learner's DCGAN with their steps (the names in `namespace`)
    as the page's "Train yours" does; the generator's images for the same n noise vectors after
    each epoch, one row each, and both losses over training."""
    try:
        own = validated_samples(train_gan_samples(namespace, epochs=epochs))
    except Exception as error:  # an exercise not done yet, or wrong: say so, let "Run all" go on
        return _not_yet(error)
    rows = labelled_rows(own["snapshots"][:, :n], [f"after epoch {e + 1}"
                                                  for e in range(len(own["snapshots"]))])
    losses = gan_losses(own["losses"])
    fig = make_subplots(rows=2, cols=1, row_heights=[0.5, 0.5], vertical_spacing=0.08)
    fig.add_trace(rows.data[0], row=1, col=1)
    for trace in losses.data:
        fig.add_trace(trace, row=2, col=1)
    fig.update_xaxes(visible=False, row=1, col=1)
    fig.update_yaxes(rows.layout.yaxis.to_plotly_json() | {"scaleanchor": "x"}, row=1, col=1)
    fig.update_xaxes(title_text="step", row=2, col=1)
    fig.update_yaxes(title_text="loss", row=2, col=1)
    fig.update_layout(height=320 + 60 * len(own["snapshots"]), legend={"orientation": "h"},
                      margin={"l": 100, "r": 10, "t": 10, "b": 10})
    return fig
