"""The 3s and 7s the chapter's first sections classify, as fastbook's lesson sets them up:
images flattened or not, targets 1.0 for a 3 and 0.0 for a 7."""

from __future__ import annotations

from dataclasses import dataclass

import torch as t
from jaxtyping import Float
from torch import Tensor

from utils import data
from utils.caching import cache_resource


@dataclass(frozen=True)
class ThreesAndSevens:
    train_images: Float[Tensor, "n_train 28 28"]
    train_targets: Float[Tensor, "n_train 1"]  # 1.0 for a 3, 0.0 for a 7
    valid_images: Float[Tensor, "n_valid 28 28"]
    valid_targets: Float[Tensor, "n_valid 1"]
    source: str  # "MNIST", or the offline digits' description

    def flat(self, split: str) -> tuple[Float[Tensor, "n 784"], Float[Tensor, "n 1"]]:
        """(images as rows of 784 pixels, targets) of "train" or "valid"."""
        images = self.train_images if split == "train" else self.valid_images
        targets = self.train_targets if split == "train" else self.valid_targets
        return images.reshape(len(images), -1), targets


def _pick(images: Tensor, labels: Tensor) -> tuple[Tensor, Tensor]:
    keep = (labels == 3) | (labels == 7)
    return images[keep][:, 0], (labels[keep] == 3).float()[:, None]


@cache_resource(show_spinner="Loading the 3s and 7s…")
def threes_and_sevens(allow_download: bool = False) -> ThreesAndSevens:
    """MNIST's 3s and 7s (its test set as the validation set, as fastbook uses it) when MNIST is
    cached or, with allow_download, can be fetched; else the offline digits' 3s and 7s."""
    images = data.get_mnist(allow_download=allow_download)
    train_x, train_y = _pick(images.train_images, images.train_labels)
    valid_x, valid_y = _pick(images.test_images, images.test_labels)
    return ThreesAndSevens(train_x, train_y, valid_x, valid_y, images.source)


def training_batches(x: Tensor, y: Tensor, batch_size: int, seed: int) -> list[tuple[Tensor, Tensor]]:
    """Shuffled minibatches (a list, so a loop over them is a DataLoader's epoch)."""
    order = t.randperm(len(x), generator=t.Generator().manual_seed(seed))
    return [(x[order[i:i + batch_size]], y[order[i:i + batch_size]])
            for i in range(0, len(x), batch_size)]
