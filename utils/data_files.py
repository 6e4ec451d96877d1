"""Where the site's datasets and weights live once downloaded, and which of them are there.

No torch here: a fresh server's first page asks `downloaded()` before it has imported torch
(utils/first_view_charts.py: a chart recorded with no data on disk is only shown where there is
none). utils/data.py downloads, verifies and reads the files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def data_dir() -> Path:
    return Path(os.environ.get("GTF_DATA_DIR") or
                Path.home() / ".cache" / "grokking-the-fundamentals")


def offline() -> bool:
    return os.environ.get("GTF_OFFLINE", "") not in ("", "0", "false")


@dataclass(frozen=True)
class RemoteFile:
    """One file of a dataset, with the mirrors it can be fetched from and its checksum."""

    filename: str
    md5: str | None  # None: no published checksum; the reader checks the content instead
    mirrors: tuple[str, ...]  # base URLs; the file is at <mirror><filename>
    subdir: str  # folder inside the data directory


MNIST_MIRRORS = ("https://ossci-datasets.s3.amazonaws.com/mnist/",
                 "http://yann.lecun.com/exdb/mnist/")
MNIST_FILES = {
    "train_images": RemoteFile("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                               MNIST_MIRRORS, "mnist"),
    "train_labels": RemoteFile("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
                               MNIST_MIRRORS, "mnist"),
    "test_images": RemoteFile("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
                              MNIST_MIRRORS, "mnist"),
    "test_labels": RemoteFile("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c",
                              MNIST_MIRRORS, "mnist"),
}
CIFAR10_FILE = RemoteFile("cifar-10-python.tar.gz", "c58f30108f718f92721af3b95e74349a",
                          ("https://www.cs.toronto.edu/~kriz/",), "cifar10")
RESNET34_URL = "https://download.pytorch.org/models/resnet34-b627a593.pth"
# The aligned CelebA faces as Hugging Face serves them (nielsr/CelebA-faces): the first of three
# parquet shards, about 67 000 JPEGs in 462 MB. It has no published md5, so read_face_parquet
# checks the content (and a truncated download is caught by its length). CelebA's licence allows
# non-commercial research use only.
CELEBA_FILE = RemoteFile("train-00000-of-00003.parquet", None,
                         ("https://huggingface.co/datasets/nielsr/CelebA-faces/resolve/main/data/",),
                         "celeba")

# The Titanic passenger list as OpenML serves it (dataset 40945, file 16826755): an ARFF text file
# of 1309 passengers, 14 columns, '?' for a missing value. The md5 is the one OpenML publishes in
# the dataset's description.
TITANIC_FILE = RemoteFile("Titanic.arff", "60ac7205eee0ba5045c90b3bba95b1c4",
                          ("https://www.openml.org/data/v1/download/16826755/",
                           "https://api.openml.org/data/v1/download/16826755/"), "openml")

# Karpathy's makemore names: github serves the file from the repository; it has no published
# checksum, so `read_names` checks the content (one lowercase a-z name per line, 32 033 of them).
NAMES_FILE = RemoteFile("names.txt", None,
                        ("https://raw.githubusercontent.com/karpathy/makemore/master/",),
                        "makemore")


def torch_hub_dir() -> Path:
    """torch.hub.get_dir() without importing torch: $TORCH_HOME/hub, where TORCH_HOME defaults to
    $XDG_CACHE_HOME/torch, else ~/.cache/torch."""
    home = os.environ.get("TORCH_HOME") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "torch"
    return Path(home).expanduser() / "hub"  # (torch expands a "~" too)


def resnet34_checkpoint() -> Path:
    """Where torch.hub keeps the ImageNet ResNet34 weights once downloaded."""
    return torch_hub_dir() / "checkpoints" / RESNET34_URL.rsplit("/", 1)[-1]


DATASET_FILES = (*MNIST_FILES.values(), CIFAR10_FILE, CELEBA_FILE, TITANIC_FILE, NAMES_FILE)


def downloaded() -> list[Path]:
    """Every dataset file and weights file that is on disk (a partial download is not)."""
    found = [data_dir() / f.subdir / f.filename for f in DATASET_FILES]
    return [path for path in [*found, resnet34_checkpoint()] if path.exists()]
