"""Chapter 5.4: the NumPy engine's MLP against the same MLP in torch, on the same data.

    python benchmarks/part4_engine_vs_torch.py

Both train 784 -> 64 -> 64 -> 10 with SGD (lr 0.1, batch 32, the same shuffles) on the offline
digits for 10 epochs; the table gives seconds per epoch, the ratio engine / torch, and final test
accuracy. Also the page demo's full run (train_digits: data loading excluded) against the ~15 s
target, and an MNIST-sized epoch (60 000 random images), so the cost on real MNIST is known.
"""

from _common import timings  # noqa: F401 - sets up the import path

import time

import numpy as np
import torch as t
from torch import nn

from solutions import part4_backprop as engine
from utils.data import offline_digits
from utils.demos.part4_backprop import _as_arrays, train_on

EPOCHS, LR, BATCH = 10, 0.1, 32


def torch_mlp_epochs(train_x, train_y, test_x, test_y) -> tuple[list[float], float]:
    t.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 64),
                          nn.ReLU(), nn.Linear(64, 10)).double()
    optimizer = t.optim.SGD(model.parameters(), lr=LR)
    x, y = t.tensor(train_x), t.tensor(train_y)
    order = np.random.default_rng(0)
    times = []
    for _ in range(EPOCHS):
        started = time.perf_counter()
        shuffle = t.tensor(order.permutation(len(x)))
        for start in range(0, len(x), BATCH):
            batch = shuffle[start:start + BATCH]
            loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        times.append(time.perf_counter() - started)
    with t.no_grad():
        accuracy = (model(t.tensor(test_x)).argmax(1) == t.tensor(test_y)).double().mean()
    return times, float(accuracy)


def engine_epochs(train_x, train_y, test_x, test_y) -> tuple[list[float], float]:
    times, last = [], [time.perf_counter()]

    def on_epoch(epoch, losses, accuracy):
        now = time.perf_counter()
        times.append(now - last[0])
        last[0] = now

    history = train_on(vars(engine), train_x, train_y, test_x, test_y, epochs=EPOCHS, lr=LR,
                       batch_size=BATCH, on_epoch=on_epoch)
    return times, history["test_accuracy"]


def main() -> None:
    t.set_num_threads(2)
    arrays = _as_arrays(offline_digits())
    print(f"offline digits: {len(arrays[0])} training, {len(arrays[2])} test images; "
          f"{EPOCHS} epochs, batch {BATCH}, lr {LR}, float64, {t.get_num_threads()} threads")
    print(f"{'':<20} {'s / epoch (median)':>20} {'total s':>9} {'test acc':>9}")
    results = {}
    for name, fn in (("NumPy engine", engine_epochs), ("torch (baseline)", torch_mlp_epochs)):
        times, accuracy = fn(*arrays)
        results[name] = np.median(times)
        print(f"{name:<20} {np.median(times):>20.4f} {sum(times):>9.2f} {accuracy:>9.3f}")
    print(f"engine / torch time per epoch: {results['NumPy engine'] / results['torch (baseline)']:.2f}x")

    started = time.perf_counter()
    history = train_on(vars(engine), *arrays, epochs=EPOCHS, lr=LR, batch_size=BATCH)
    print(f"page demo (train_on, {EPOCHS} epochs incl. validation accuracy each epoch): "
          f"{time.perf_counter() - started:.2f} s, test accuracy "
          f"{history['test_accuracy']:.3f} (target: >= 0.85 within ~15 s)")

    rng = np.random.default_rng(0)
    big = (rng.random((60_000, 28, 28)), rng.integers(0, 10, 60_000), arrays[2], arrays[3])
    started = time.perf_counter()
    train_on(vars(engine), *big, epochs=1, lr=LR, batch_size=BATCH)
    print(f"one MNIST-sized epoch (60 000 images, batch {BATCH}) with the engine: "
          f"{time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
