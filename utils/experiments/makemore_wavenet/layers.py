"""Runs and data for chapter 4.5's sections 0-3 (no drawing): what batch norm keeps when it is
given (N, T, C) inputs, with chapter 4.3's statistics over dim 0 only (the bug) and with the
statistics over dims 0 and 1 (the fix).

Both versions of the chapter's hierarchical model (built here from the reference layers, so this
file does not depend on sections 4-6) train for `STEPS` minibatches from the same seed on chapter
4.2's names with contexts of 8; then each batch norm layer's running mean is kept, with the
shapes and the number of values behind each statistic. Training takes several seconds, so the
result is computed once by

    python -m utils.experiments.makemore_wavenet.layers

into assets/makemore_wavenet/layers_batchnorm.pt (computed at first use if missing).
"""

from __future__ import annotations

import functools
from pathlib import Path

import torch
import torch.nn.functional as F
from jaxtyping import Float
from torch import Tensor

from solutions import makemore_wavenet as reference
from utils.experiments.saved import saved_torch
from utils.experiments.makemore_mlp.model import names_split
from utils.torch_threads import one_thread

ROOT = Path(__file__).resolve().parents[3]
BATCHNORM_PATH = ROOT / "assets" / "makemore_wavenet" / "layers_batchnorm.pt"

BLOCK_SIZE, N_EMBD, N_HIDDEN, BATCH_SIZE = 8, 24, 128, 32
STEPS, LR, SEED = 2_000, 0.1, 42
SHOWN_CHANNELS = 16  # the figure shows the first level's first channels


class PerPositionBatchNorm1d(reference.BatchNorm1d):
    """Chapter 4.3's batch norm applied to (N, T, C) as it stands: statistics over dim 0 only, so
    one mean and variance per position and channel, running statistics of shape (T, C)."""

    def __call__(self, x: Float[Tensor, "*batch dim"]) -> Float[Tensor, "*batch dim"]:
        if self.training:
            mean, var = x.mean(0), x.var(0, unbiased=False)
            n = x.shape[0]
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
                self.running_var = ((1 - self.momentum) * self.running_var
                                    + self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        self.out = self.gamma * (x - mean) / torch.sqrt(var + self.eps) + self.beta
        return self.out


def build_model(norm: type, generator: torch.Generator) -> reference.Sequential:
    """The chapter's model (24-d embeddings, three levels of FlattenConsecutive(2), Linear without
    bias, batch norm, tanh; 128 units) with `norm` as its batch norm."""
    layers: list = [reference.Embedding(27, N_EMBD, generator=generator)]
    fan_in = 2 * N_EMBD
    for _ in range(3):
        layers += [reference.FlattenConsecutive(2),
                   reference.Linear(fan_in, N_HIDDEN, bias=False, generator=generator),
                   norm(N_HIDDEN), reference.Tanh()]
        fan_in = 2 * N_HIDDEN
    layers.append(reference.Linear(N_HIDDEN, 27, generator=generator))
    model = reference.Sequential(layers)
    with torch.no_grad():
        layers[-1].weight *= 0.1
    for p in model.parameters():
        p.requires_grad_()
    return model


def _train(model: reference.Sequential, X: Tensor, Y: Tensor, generator: torch.Generator) -> None:
    params = model.parameters()
    for _ in range(STEPS):
        ix = torch.randint(0, X.shape[0], (BATCH_SIZE,), generator=generator)
        loss = F.cross_entropy(model(X[ix]), Y[ix])
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad


def _dev_loss(model: reference.Sequential, X: Tensor, Y: Tensor) -> float:
    for layer in model.layers:
        if hasattr(layer, "training"):
            layer.training = False
    with torch.no_grad():
        return F.cross_entropy(model(X), Y).item()


def compute_batchnorm() -> dict:
    """Train the model with each batch norm, then keep what their running statistics became."""
    data = names_split(BLOCK_SIZE)
    runs = {}
    with one_thread():
        for key, norm in (("bug", PerPositionBatchNorm1d), ("fix", reference.BatchNorm1d)):
            generator = torch.Generator().manual_seed(SEED)
            model = build_model(norm, generator)
            _train(model, data.Xtr, data.Ytr, generator)
            norms = [layer for layer in model.layers if isinstance(layer, norm)]
            # one more training-mode batch, to read each batch norm's input shape
            for layer in model.layers:
                if hasattr(layer, "training"):
                    layer.training = True
            with torch.no_grad():
                model(data.Xtr[:BATCH_SIZE])
            linears = [model.layers[i - 1] for i, layer in enumerate(model.layers)
                       if isinstance(layer, norm)]
            runs[key] = {
                "input_shapes": [tuple(linear.out.shape) for linear in linears],
                "running_mean_shapes": [tuple(layer.running_mean.shape) for layer in norms],
                "first_running_mean": norms[0].running_mean[..., :SHOWN_CHANNELS].clone(),
                "dev_loss": _dev_loss(model, data.Xdev, data.Ydev),
            }
    return {"runs": runs, "steps": STEPS, "lr": LR, "seed": SEED, "batch_size": BATCH_SIZE,
            "block_size": BLOCK_SIZE, "n_embd": N_EMBD, "n_hidden": N_HIDDEN,
            "shown_channels": SHOWN_CHANNELS, "source": data.source, "n_words": len(data.words)}


@functools.lru_cache(maxsize=1)
def batchnorm_measurements() -> dict:
    """The saved measurements (computed and saved first if the file is missing)."""
    return saved_torch(BATCHNORM_PATH, compute_batchnorm)


def main() -> None:
    import time

    started = time.perf_counter()
    saved = compute_batchnorm()
    BATCHNORM_PATH.parent.mkdir(parents=True, exist_ok=True)
    torch.save(saved, BATCHNORM_PATH)
    print(f"{time.perf_counter() - started:.1f} s on {saved['source']}")
    for key, run in saved["runs"].items():
        print(key, run["input_shapes"], run["running_mean_shapes"], f"dev {run['dev_loss']:.4f}")


if __name__ == "__main__":
    main()
