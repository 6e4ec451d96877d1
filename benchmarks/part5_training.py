"""Chapter 5.5: how long the demo models take to train, and where their losses end, on 2 threads.

    python benchmarks/part5_training.py

The autoencoder, the VAE and the DCGAN are trained exactly as `python -m utils.pretrained`
trains the committed ones (offline digits, seed 0), then the sandbox-sized runs the pages start
("Train my model", "Train my GAN"), single-threaded as in the sandbox. The baseline is the
reconstruction error of drawing the average digit for every input, measured in the same run.
"""

from _common import timings  # noqa: F401 - sets up the import path

import time

import torch as t
import torch.nn.functional as F

from utils.data import offline_digits
from utils.pretrained import DEMO_MODELS, train_demo_gan, train_demo_model


def test_mse(model, images) -> float:
    with t.no_grad():
        out = model(images)
    return F.mse_loss(out[0] if isinstance(out, tuple) else out, images).item()


def main() -> None:
    data = offline_digits()
    train, test = data.train_images, data.test_images
    baseline = F.mse_loss(test.mean(0, keepdim=True).expand_as(test), test).item()
    print(f"offline digits: {len(train)} training, {len(test)} test images")
    print(f"baseline (the average digit for every input): test MSE {baseline:.4f}")
    for threads in (2, 1):
        t.set_num_threads(threads)
        print(f"\n{threads} thread(s)")
        for kind in DEMO_MODELS:
            for epochs in ((None, 8) if threads == 1 else (None,)):
                started = time.perf_counter()
                model = train_demo_model(kind, train, epochs=epochs)
                label = f"{kind}, {epochs or DEMO_MODELS[kind][2]} epochs"
                print(f"  {label:<24} {time.perf_counter() - started:6.1f} s   test MSE "
                      f"{test_mse(model, test):.4f} ({test_mse(model, test) / baseline:.2f}x "
                      "baseline)")
        for epochs in ((30,) if threads == 2 else (8,)):
            started = time.perf_counter()
            _, _, history = train_demo_gan(train, epochs=epochs)
            last = t.tensor(history[-20:]).mean(0).tolist()
            print(f"  gan, {epochs} epochs{'':<12} {time.perf_counter() - started:6.1f} s   "
                  f"last 20 steps: loss D {last[0]:.3f}, loss G {last[1]:.3f}")


if __name__ == "__main__":
    main()
