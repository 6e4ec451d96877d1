"""Chapter 5.5's demo models: small autoencoders trained by our own code, with a seed, and kept
in assets/ so that a page shows them at once. `python -m utils.pretrained` retrains and saves
them (on MNIST when it is on disk, else the offline digits); a missing file is retrained on the
offline digits at first use. `python -m utils.pretrained beta_sweep` redoes only the VAE's beta
sweep (always on the offline digits: about half a minute on one core).
"""

from __future__ import annotations

import argparse
import inspect
import time
from pathlib import Path
from typing import Callable

import torch as t
from torch import nn

from solutions import part5_vaes_gans as sol
from utils.demos.part5_vaes_gans_settings import GAN_EPOCHS
from utils.site_config import ROOT

ASSETS = ROOT / "assets" / "part5_vaes_gans"
LATENT, HIDDEN = 2, 64  # two latent dimensions: a plane the page can show and explore
# The training step's own default: with a per-pixel mean MSE, a larger beta lets the KL term win
VAE_BETA = inspect.signature(sol.vae_training_step).parameters["beta_kl"].default
BATCH = 32  # small batches: more steps from the 1 438 offline digits

# kind -> (model factory, training step, epochs)
DEMO_MODELS: dict[str, tuple[Callable[[], nn.Module], Callable, int]] = {
    "autoencoder": (lambda: sol.Autoencoder(LATENT, HIDDEN), sol.ae_training_step, 20),
    "vae": (lambda: sol.VAE(LATENT, HIDDEN), sol.vae_training_step, 20),
}


def train_demo_model(kind: str, images: t.Tensor, epochs: int | None = None, seed: int = 0,
                     on_epoch: Callable[[int, list], None] | None = None) -> nn.Module:
    make, step, default_epochs = DEMO_MODELS[kind]
    t.manual_seed(seed)
    model = make()
    sol.train_generative(model, step, images, epochs=epochs or default_epochs,
                         batch_size=BATCH, seed=seed, on_epoch=on_epoch)
    return model.eval()


# The demo GAN: digit-sized, small enough to train on 2 cores in about half a minute.
GAN_CONFIG = {"latent_dim_size": 32, "img_size": 28, "img_channels": 1, "hidden_channels": [32, 64]}
GAN_SAMPLES = 16  # (and GAN_EPOCHS, from the settings: the widgets' slider needs it)


def to_uint8(images: t.Tensor) -> t.Tensor:
    """Generator output in [-1, 1], (n, 1, h, w) -> (n, h, w) as 0-255 uint8."""
    return ((images[:, 0] + 1) * 127.5).round().clamp(0, 255).to(t.uint8)


def _half(state: dict[str, t.Tensor]) -> dict[str, t.Tensor]:
    """Float tensors stored as float16 (half the file size; the demos don't notice)."""
    return {k: v.half() if v.is_floating_point() else v for k, v in state.items()}


def _float(state: dict[str, t.Tensor]) -> dict[str, t.Tensor]:
    return {k: v.float() if v.is_floating_point() else v for k, v in state.items()}


def trained_on() -> str:
    """What the saved demo models were trained on (written by main)."""
    path = ASSETS / "trained_on.txt"
    return path.read_text().strip() if path.exists() else "the offline digits"


def gan_fixed_noise(seed: int = 0) -> t.Tensor:
    return t.randn(GAN_SAMPLES, GAN_CONFIG["latent_dim_size"],
                   generator=t.Generator().manual_seed(seed))


def train_demo_gan(images: t.Tensor, epochs: int = GAN_EPOCHS, seed: int = 0,
                   on_epoch: Callable | None = None) -> tuple[nn.Module, t.Tensor, list]:
    """The demo DCGAN trained on images in [0, 1] (rescaled to [-1, 1]); also the generator's
    images for a fixed noise batch after each epoch, (epochs, 16, 28, 28) as uint8, and the
    (loss D, loss G) of every step."""
    t.manual_seed(seed)
    model = sol.DCGAN(**GAN_CONFIG)
    snapshots = []

    def keep(epoch: int, history: list, samples: t.Tensor) -> None:
        snapshots.append(to_uint8(samples))
        if on_epoch is not None:
            on_epoch(epoch, history, samples)

    history = sol.train_gan(model, images * 2 - 1, epochs=epochs, seed=seed,
                            fixed_noise=gan_fixed_noise(seed), on_epoch=keep)
    return model.eval(), t.stack(snapshots), history


def load_demo_gan() -> tuple[nn.Module, t.Tensor]:
    """The saved demo GAN and its snapshots over training, or ones trained now (offline)."""
    path = asset_path("gan")
    if path.exists():
        saved = t.load(path, map_location="cpu", weights_only=True)
        model = sol.DCGAN(**GAN_CONFIG)
        model.load_state_dict(_float(saved["model"]))
        return model.eval(), saved["snapshots"]
    from utils.data import offline_digits

    model, snapshots, _ = train_demo_gan(offline_digits().train_images)
    return model, snapshots


# The beta sweep: the same VAE trained with several betas, to show where the KL term wins
# (posterior collapse). Always on the offline digits, so a regenerated file is the committed one.
SWEEP_BETAS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1)
SWEEP_EPOCHS, SWEEP_SHOWN = 6, 8
SWEEP_DATA = "the offline digits"


def run_beta_sweep(betas: tuple[float, ...] = SWEEP_BETAS, epochs: int = SWEEP_EPOCHS,
                   seed: int = 0, log: Callable[[str], None] | None = None) -> dict:
    """Train the demo VAE once per beta (same seed, same data); measure on the test digits the
    reconstruction error (decoding mu) and the KL per latent dimension; keep the
    reconstructions of a few test digits as uint8. About 3 s per beta on one core."""
    from utils.data import offline_digits

    data = offline_digits()
    test = data.test_images
    # Drawing the average training digit for every test image: what a collapsed VAE can do.
    mean_digit = data.train_images.mean(0, keepdim=True).expand_as(test)
    result = {"betas": list(betas), "reconstruction": [], "kl": [], "epochs": epochs,
              "seed": seed, "data": SWEEP_DATA,
              "mean_digit_error": t.nn.functional.mse_loss(mean_digit, test).item(),
              "inputs": (test[:SWEEP_SHOWN, 0] * 255).round().to(t.uint8), "shown": []}
    for beta in betas:
        started = time.perf_counter()
        t.manual_seed(seed)
        model = sol.VAE(LATENT, HIDDEN)
        sol.train_generative(model, lambda m, o, x, b=beta: sol.vae_training_step(m, o, x, b),
                             data.train_images, epochs=epochs, batch_size=BATCH, seed=seed)
        model.eval()
        with t.no_grad():
            _, mu, logsigma = model.sample_latent_vector(test)
            reconstruction = model.decoder(mu).clamp(0, 1)
        result["reconstruction"].append(t.nn.functional.mse_loss(reconstruction, test).item())
        result["kl"].append(sol.kl_divergence(mu, logsigma).item())
        result["shown"].append((reconstruction[:SWEEP_SHOWN, 0] * 255).round().to(t.uint8))
        if log is not None:
            log(f"  beta {beta:g}: reconstruction {result['reconstruction'][-1]:.4f}, "
                f"KL {result['kl'][-1]:.3f} ({time.perf_counter() - started:.1f} s)")
    result["shown"] = t.stack(result["shown"])
    return result


def load_beta_sweep() -> dict:
    """The saved sweep, or one computed now (and saved, where assets/ is writable)."""
    path = asset_path("beta_sweep")
    if path.exists():
        return t.load(path, map_location="cpu", weights_only=True)
    result = run_beta_sweep()
    try:
        save_beta_sweep(result)
    except OSError:
        pass  # a read-only checkout: use it for this process only
    return result


def save_beta_sweep(result: dict) -> Path:
    ASSETS.mkdir(parents=True, exist_ok=True)
    path = asset_path("beta_sweep")
    t.save(result, path)
    return path


def asset_path(kind: str) -> Path:
    return ASSETS / f"{kind}.pt"


def load_demo_model(kind: str) -> nn.Module:
    """The saved model (float16 on disk), or one trained now on the offline digits."""
    make, _, _ = DEMO_MODELS[kind]
    path = asset_path(kind)
    if path.exists():
        model = make()
        state = t.load(path, map_location="cpu", weights_only=True)
        model.load_state_dict(_float(state))
        return model.eval()
    from utils.data import offline_digits

    return train_demo_model(kind, offline_digits().train_images)


def save(model: nn.Module, kind: str) -> Path:
    ASSETS.mkdir(parents=True, exist_ok=True)
    path = asset_path(kind)
    t.save(_half(model.state_dict()), path)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kinds", nargs="*", default=[*DEMO_MODELS, "gan", "beta_sweep"])
    args = parser.parse_args(argv)
    if args.kinds == ["beta_sweep"]:  # needs no MNIST, and keeps trained_on.txt as it is
        _sweep()
        return
    from utils.data import get_mnist

    data = get_mnist(allow_download=False)
    print(f"training on {data.source}: {len(data.train_images)} images")
    ASSETS.mkdir(parents=True, exist_ok=True)
    (ASSETS / "trained_on.txt").write_text(
        "MNIST" if data.source.startswith("MNIST") else "the offline digits")
    for kind in args.kinds:
        if kind == "beta_sweep":
            _sweep()
            continue
        if kind == "gan":
            started = time.perf_counter()
            model, snapshots, history = train_demo_gan(data.train_images, on_epoch=lambda e, h, s:
                                                       print(f"  gan epoch {e + 1}: {h[-1]}"))
            ASSETS.mkdir(parents=True, exist_ok=True)
            t.save({"model": _half(model.state_dict()), "snapshots": snapshots},
                   asset_path("gan"))
            print(f"gan: {time.perf_counter() - started:.1f} s -> {asset_path('gan')}")
            continue
        started = time.perf_counter()
        model = train_demo_model(kind, data.train_images, on_epoch=lambda e, h: print(
            f"  {kind} epoch {e + 1}: last step {h[-1]}", flush=True))
        print(f"{kind}: {time.perf_counter() - started:.1f} s -> {save(model, kind)}")


def _sweep() -> None:
    started = time.perf_counter()
    print(f"beta sweep on {SWEEP_DATA}, {SWEEP_EPOCHS} epochs per beta")
    path = save_beta_sweep(run_beta_sweep(log=lambda line: print(line, flush=True)))
    print(f"beta sweep: {time.perf_counter() - started:.1f} s -> {path}")


if __name__ == "__main__":
    main()
