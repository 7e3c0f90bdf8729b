"""Data layer: splits, fallbacks, verified downloads that never leave a half file."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest

from dl_exercises import datasets
from dl_exercises.datasets import cache, fashion_mnist
from dl_exercises.errors import DataUnavailable, DlxError


def test_mnist5k_split_is_fixed_and_balanced():
    a = datasets.load("mnist5k", seed=1)
    b = datasets.load("mnist5k", seed=2)
    assert a.usage.sizes == {"train": 4000, "test": 1000}
    assert np.bincount(a.y_test).tolist() == [100] * 10
    assert np.bincount(a.y_train).tolist() == [400] * 10
    np.testing.assert_array_equal(a.x_test, b.x_test)  # every seed scores on the same test images
    assert a.x_train.shape == (4000, 28, 28) and a.x_train.dtype == np.float32
    assert 0.0 <= a.x_train.min() and a.x_train.max() <= 1.0


def test_subsets_are_stratified_and_seeded():
    a = datasets.load("mnist5k", seed=1, n_train=500, n_test=200)
    b = datasets.load("mnist5k", seed=2, n_train=500, n_test=200)
    assert np.bincount(a.y_train).tolist() == [50] * 10
    assert not np.array_equal(a.x_train, b.x_train)
    np.testing.assert_array_equal(a.x_test, b.x_test)


def test_mnist_falls_back_to_mnist5k_offline_and_says_so(monkeypatch):
    from dl_exercises.datasets import mnist

    monkeypatch.setattr(mnist, "keras_dataset_dirs", lambda: [])
    notices = []

    class Reporter:
        def notice(self, text):
            notices.append(text)

    bundle = datasets.load("mnist", reporter=Reporter(), n_train=100, n_test=100)
    assert bundle.usage.name == "mnist5k" and "fallback for mnist" in bundle.usage.note
    assert notices and "using mnist5k" in notices[0]
    with pytest.raises(DataUnavailable, match="dlx data fetch mnist"):
        datasets.load("mnist", strict=True)


def test_unknown_dataset_suggests():
    from dl_exercises.errors import UsageError

    with pytest.raises(UsageError, match="did you mean mnist"):
        datasets.get("mnsit")


def test_generated_sets_depend_on_seed_only():
    a, b, c = (datasets.load("spiral", seed=s) for s in (0, 0, 1))
    np.testing.assert_array_equal(a.x_train, b.x_train)
    assert not np.array_equal(a.x_train, c.x_train)
    xor = datasets.load("xor", n_train=200)
    assert ((xor.x_train[:, 0] * xor.x_train[:, 1] < 0).astype(int) == xor.y_train).all()


def test_iris_and_digits():
    iris = datasets.load("iris")
    assert iris.x_train.shape[1] == 4 and len(iris.x_train) + len(iris.x_test) == 150
    digits = datasets.load("digits")
    assert digits.x_train.shape[1:] == (8, 8) and digits.x_train.max() <= 1.0


@pytest.mark.skipif(not fashion_mnist.DEBIAN_DIR.exists(), reason="Debian's dataset-fashion-mnist is not installed")
def test_fashion_mnist_from_debian_files_verified():
    bundle = datasets.load("fashion_mnist", n_train=1000, n_test=500)
    assert bundle.usage.sizes == {"train": 1000, "test": 500}
    assert bundle.x_train.shape == (1000, 28, 28) and set(np.unique(bundle.y_train)) == set(range(10))
    full = fashion_mnist.read_idx(fashion_mnist.DEBIAN_DIR / "t10k-labels-idx1-ubyte.gz")
    assert full.shape == (10000,) and np.bincount(full).tolist() == [1000] * 10


def _serve(tmp_path: Path, content: bytes) -> tuple[str, str]:
    src = tmp_path / "source.bin"
    src.write_bytes(content)
    return src.as_uri(), hashlib.sha256(content).hexdigest()


@pytest.fixture
def online(monkeypatch):
    monkeypatch.delenv("DLX_OFFLINE", raising=False)
    cache.clear_unreachable()
    yield
    cache.clear_unreachable()


def test_download_verifies_and_renames(tmp_path, online):
    url, digest = _serve(tmp_path, b"real data")
    dest = tmp_path / "cache" / "file.bin"
    assert cache.download(url, dest, digest) == dest
    assert dest.read_bytes() == b"real data"
    assert list(dest.parent.iterdir()) == [dest]  # no temporary file left


def test_corrupted_download_leaves_nothing(tmp_path, online):
    url, _ = _serve(tmp_path, b"tampered data")
    dest = tmp_path / "cache" / "file.bin"
    with pytest.raises(DlxError, match="corrupted"):
        cache.download(url, dest, hashlib.sha256(b"real data").hexdigest())
    assert not dest.exists() and list(dest.parent.iterdir()) == []


def test_interrupted_download_leaves_nothing(tmp_path, online, monkeypatch):
    url, digest = _serve(tmp_path, b"x" * (3 << 20))
    dest = tmp_path / "cache" / "file.bin"
    real_sha = cache.sha256_file

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cache, "sha256_file", interrupt)
    with pytest.raises(KeyboardInterrupt):
        cache.download(url, dest, digest)
    monkeypatch.setattr(cache, "sha256_file", real_sha)
    assert not dest.exists() and list(dest.parent.iterdir()) == []


def test_a_cached_file_with_wrong_content_is_downloaded_again(tmp_path, online):
    url, digest = _serve(tmp_path, b"good")
    dest = tmp_path / "cache" / "file.bin"
    dest.parent.mkdir()
    dest.write_bytes(b"half")
    cache.download(url, dest, digest)
    assert dest.read_bytes() == b"good"


def test_gzip_content_hash_ignores_recompression(tmp_path):
    payload = b"idx content" * 100
    a, b = tmp_path / "a.gz", tmp_path / "b.gz"
    a.write_bytes(gzip.compress(payload, compresslevel=1))
    b.write_bytes(gzip.compress(payload, compresslevel=9, mtime=12345))
    digest = hashlib.sha256(payload).hexdigest()
    assert cache.verify(a, digest, decompress_gzip=True) and cache.verify(b, digest, decompress_gzip=True)
    assert not cache.verify(a, digest)


def test_offline_download_refuses(tmp_path):
    with pytest.raises(DataUnavailable, match="DLX_OFFLINE"):
        cache.download("file:///nonexistent", tmp_path / "x", "0" * 64)


def test_data_verify_flags_a_corrupted_cached_file(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from dl_exercises.cli.app import app
    from dl_exercises.datasets import mnist

    bad = tmp_path / "datasets"
    bad.mkdir()
    (bad / "mnist.npz").write_bytes(b"not mnist")
    monkeypatch.setattr(mnist, "keras_dataset_dirs", lambda: [bad])
    result = CliRunner().invoke(app, ["data", "verify"])
    assert result.exit_code == 1
    assert "MISMATCH" in result.stdout and "failed verification" in result.stderr


def test_a_failed_connection_is_not_retried_automatically_for_a_while(tmp_path, online):
    dest = tmp_path / "cache" / "file.bin"
    with pytest.raises(DataUnavailable, match="cannot download"):
        cache.download("file:///no/such/file/anywhere", dest, "0" * 64)
    with pytest.raises(DataUnavailable, match="unreachable"):
        cache.download("file:///no/such/file/anywhere", dest, "0" * 64)
    cache.clear_unreachable()
    url, digest = _serve(tmp_path, b"back online")
    assert cache.download(url, dest, digest).read_bytes() == b"back online"
