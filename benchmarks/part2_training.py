"""Chapter 5.2's training demos: time and test accuracy on the offline digits, on 2 threads.

    python benchmarks/part2_training.py

The baseline is the same ConvNet trained with torch's own nn.Conv2d/nn.Linear layers, in the
same run: it shows what our hand-written modules cost.
"""

from _common import timings  # noqa: F401 - sets up the import path

import time
from dataclasses import replace

import torch as t
from torch import nn

from solutions import part2_cnns as sol
from utils.experiments.part2_cnns import CONVNET_DEMO, MLP_DEMO


class TorchConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1, bias=False), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))

    def forward(self, x):
        return self.net(x)


def run(name: str, args) -> None:
    started = time.perf_counter()
    losses, accuracies, _ = sol.train(replace(args, dataset="digits"))
    elapsed = time.perf_counter() - started
    print(f"{name:<34} {args.epochs} epochs  {elapsed:6.2f} s   validation accuracy per epoch: "
          + ", ".join(f"{a:.3f}" for a in accuracies))


def main() -> None:
    t.set_num_threads(2)
    data = sol.get_training_data(replace(MLP_DEMO, dataset="digits"))
    print(f"data: {data.source}; {len(data.train_images)} train / {len(data.val_images)} "
          f"validation / {len(data.test_images)} test")
    run("SimpleMLP demo", MLP_DEMO)
    run("ConvNet demo (our modules)", CONVNET_DEMO)
    run("baseline: same ConvNet, torch layers", replace(CONVNET_DEMO, model_class=TorchConvNet))


if __name__ == "__main__":
    main()
