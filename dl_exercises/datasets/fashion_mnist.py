"""Fashion-MNIST from the ``keras.datasets`` cache, dlx's cache, or Debian's ``dataset-fashion-mnist``.

Debian recompresses the four ``.gz`` files, so they are verified by the
sha256 of their decompressed idx content, which is the same wherever the
files came from.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import DataUnavailable
from ..result import DataUsage
from . import Bundle, dataset, subsample
from .cache import data_dir, download, keras_dataset_dirs, manifest, offline, verify

DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
TEST_SUBSET_SEED = 20240101
CLASS_NAMES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


def _dirs() -> list[tuple[Path, str]]:
    keras_dirs = [(d / "fashion-mnist", "keras.datasets cache") for d in keras_dataset_dirs()]
    return keras_dirs + [(data_dir() / "fashion_mnist", "dlx cache"), (DEBIAN_DIR, "Debian dataset-fashion-mnist")]


@lru_cache(maxsize=8)
def _dir_ok(folder: Path) -> bool:
    files = manifest()["fashion_mnist"]["files"]
    return all(
        (folder / name).exists() and verify(folder / name, files[name]["sha256"], decompress_gzip=True) for name in FILES
    )


def _find() -> tuple[Path, str] | None:
    return next(((d, label) for d, label in _dirs() if _dir_ok(d)), None)


def _status() -> tuple[bool, str]:
    found = _find()
    if found:
        return True, f"{found[1]}: {found[0]}"
    return False, "not found; `apt-get install dataset-fashion-mnist` or `dlx data fetch fashion_mnist` (30 MB)"


def _fetch() -> str:
    found = _find()
    if found:
        return str(found[0])
    files = manifest()["fashion_mnist"]["files"]
    dest = data_dir() / "fashion_mnist"
    for name in FILES:
        download(files[name]["url"], dest / name, files[name]["sha256"], decompress_gzip=True)
    _dir_ok.cache_clear()
    return str(dest)


def _verify_files() -> list[tuple[str, bool, str]]:
    files = manifest()["fashion_mnist"]["files"]
    rows = []
    for folder, _ in _dirs():
        for name in FILES:
            path = folder / name
            if path.exists():
                ok = verify(path, files[name]["sha256"], decompress_gzip=True)
                rows.append((str(path), ok, "sha256 of content ok" if ok else "sha256 MISMATCH"))
    return rows


def read_idx(path: Path) -> np.ndarray:
    """An idx file (the MNIST family's format): images (N, 28, 28) uint8 or labels (N,) uint8."""
    with gzip.open(path, "rb") as fh:
        raw = fh.read()
    magic = int.from_bytes(raw[:4], "big")
    ndim = magic & 0xFF
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


@dataset(
    "fashion_mnist",
    description="Fashion-MNIST clothing images, 60,000 train / 10,000 test",
    kind="download",
    status=_status,
    fetch=_fetch,
    verify=_verify_files,
)
def load_fashion_mnist(seed: int = 0, n_train: int | None = None, n_test: int | None = None) -> Bundle:
    """Images (N, 28, 28) float32 in [0, 1] and int labels; subsets are class-stratified."""
    found = _find()
    if found is None:
        if offline():
            raise DataUnavailable("Fashion-MNIST files not found and DLX_OFFLINE is set")
        _fetch()
        found = _find()
    folder, label = found
    x_train, y_train, x_test, y_test = (read_idx(folder / name) for name in FILES)
    x_train, y_train = subsample(x_train, y_train.astype(np.int64), n_train, seed)
    x_test, y_test = subsample(x_test, y_test.astype(np.int64), n_test, TEST_SUBSET_SEED)
    usage = DataUsage("fashion_mnist", f"{label} {folder}", {"train": len(x_train), "test": len(x_test)})
    scale = lambda a: a.astype(np.float32) / 255.0  # noqa: E731
    return Bundle(scale(x_train), y_train, scale(x_test), y_test, usage, {"class_names": CLASS_NAMES})
