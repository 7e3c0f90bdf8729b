"""Iris and digits, as scikit-learn ships them (offline), split once with a fixed seed."""

from __future__ import annotations

import numpy as np

from ..result import DataUsage
from . import Bundle, dataset

SPLIT_SEED = 0


def _split(x: np.ndarray, y: np.ndarray, test_fraction: float) -> tuple[np.ndarray, ...]:
    """A stratified train/test split that does not depend on the run's seed."""
    from sklearn.model_selection import train_test_split

    return train_test_split(x, y, test_size=test_fraction, stratify=y, random_state=SPLIT_SEED)


@dataset("iris", description="Fisher's iris: 150 flowers, 4 features, 3 species (scikit-learn)", kind="package",
         status=lambda: (True, "shipped by scikit-learn (offline)"))
def load_iris(seed: int = 0, test_fraction: float = 0.2) -> Bundle:
    """Features (N, 4) float32 as measured (cm), labels 0–2; 80/20 stratified split."""
    from sklearn.datasets import load_iris as sk_iris

    data = sk_iris()
    x_train, x_test, y_train, y_test = _split(data.data.astype(np.float32), data.target.astype(np.int64), test_fraction)
    usage = DataUsage("iris", "sklearn.datasets.load_iris", {"train": len(x_train), "test": len(x_test)})
    return Bundle(x_train, y_train, x_test, y_test, usage,
                  {"feature_names": list(data.feature_names), "class_names": list(data.target_names)})


@dataset("digits", description="8×8 handwritten digits: 1,797 images (scikit-learn)", kind="package",
         status=lambda: (True, "shipped by scikit-learn (offline)"))
def load_digits(seed: int = 0, test_fraction: float = 0.25) -> Bundle:
    """Images (N, 8, 8) float32 in [0, 1], labels 0–9; 75/25 stratified split."""
    from sklearn.datasets import load_digits as sk_digits

    data = sk_digits()
    images = (data.images / 16.0).astype(np.float32)
    x_train, x_test, y_train, y_test = _split(images, data.target.astype(np.int64), test_fraction)
    usage = DataUsage("digits", "sklearn.datasets.load_digits", {"train": len(x_train), "test": len(x_test)})
    return Bundle(x_train, y_train, x_test, y_test, usage)
