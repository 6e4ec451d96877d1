"""Small files in the real on-disk formats (IDX, the CIFAR-10 pickle archive), written by our own
code, and a local HTTP server to serve them, so the real download and parsing code is tested."""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import io
import pickle
import struct
import tarfile
import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np


def write_idx(path: Path, array: np.ndarray) -> None:
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.GzipFile(path, "wb", mtime=0) as f:  # mtime=0: the same bytes every time
        f.write(header + array.astype(np.uint8).tobytes())


def write_mnist_like(folder: Path, n_train: int = 12, n_test: int = 6, seed: int = 0) -> dict:
    """The four MNIST files with random content; returns {key: (filename, md5, array)}."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train_images": rng.integers(0, 256, (n_train, 28, 28)),
        "train_labels": rng.integers(0, 10, n_train),
        "test_images": rng.integers(0, 256, (n_test, 28, 28)),
        "test_labels": rng.integers(0, 10, n_test),
    }
    names = {"train_images": "train-images-idx3-ubyte.gz",
             "train_labels": "train-labels-idx1-ubyte.gz",
             "test_images": "t10k-images-idx3-ubyte.gz", "test_labels": "t10k-labels-idx1-ubyte.gz"}
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for key, array in arrays.items():
        write_idx(folder / names[key], array)
        out[key] = (names[key], md5(folder / names[key]), array)
    return out


def write_cifar_like(folder: Path, per_batch: int = 4, seed: int = 0,
                     evil_member: str | None = None) -> tuple[str, str, dict]:
    """A cifar-10-python.tar.gz with the real layout (5 data batches, a test batch, meta)."""
    rng = np.random.default_rng(seed)
    batches = {}
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
        for name in names:
            data = rng.integers(0, 256, (per_batch, 3072)).astype(np.uint8)
            labels = rng.integers(0, 10, per_batch).tolist()
            batches[name] = (data, labels)
            _add(tar, f"cifar-10-batches-py/{name}",
                 pickle.dumps({b"data": data, b"labels": labels, b"batch_label": name.encode()}))
        _add(tar, "cifar-10-batches-py/batches.meta",
             pickle.dumps({b"label_names": [b"airplane"] * 10}))
        if evil_member:
            _add(tar, evil_member, b"pwned")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cifar-10-python.tar.gz"
    path.write_bytes(buffer.getvalue())
    return path.name, md5(path), batches


def _add(tar: tarfile.TarFile, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(payload), 0
    tar.addfile(info, io.BytesIO(payload))


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


@contextmanager
def serve(folder: Path):
    """Serve `folder` over HTTP on 127.0.0.1; yields the base URL (ending in /)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests: list[str] = []

    def log_message(self, *args) -> None:
        _QuietHandler.requests.append(self.path)


def write_face_parquet(path: Path, n: int = 6, seed: int = 0) -> list[np.ndarray]:
    """A parquet file in the Hugging Face image format (an `image` column of {bytes, path}),
    holding n random 40 x 30 RGB JPEGs (not square: the reader crops); returns the images."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from PIL import Image

    rng = np.random.default_rng(seed)
    images, records = [], []
    for i in range(n):
        pixels = rng.integers(0, 256, (30, 40, 3), dtype=np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, format="JPEG", quality=95)
        images.append(pixels)
        records.append({"bytes": buffer.getvalue(), "path": f"{i:06d}.jpg"})
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"image": records}), path)
    return images
