"""The binary_addition generator: layout, arithmetic and a truly held-out test set."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from dl_exercises import datasets
from dl_exercises.datasets import binary_addition as ba
from dl_exercises.errors import DlxError


def test_bits_least_significant_first():
    bits = ba.int_to_bits(np.array([1, 6, 128, 255]), 8)
    assert bits.shape == (4, 8)
    assert bits[0].tolist() == [1, 0, 0, 0, 0, 0, 0, 0]
    assert bits[1].tolist() == [0, 1, 1, 0, 0, 0, 0, 0]
    assert bits[2].tolist() == [0, 0, 0, 0, 0, 0, 0, 1]
    assert bits[3].tolist() == [1] * 8


def test_bits_agree_with_numpy_unpackbits():
    values = np.arange(256, dtype=np.uint8)
    reference = np.unpackbits(values[:, None], axis=1)[:, ::-1]  # the course's own construction
    np.testing.assert_array_equal(ba.int_to_bits(values, 8), reference)


def test_round_trip_and_range_check():
    values = np.arange(256)
    np.testing.assert_array_equal(ba.bits_to_int(ba.int_to_bits(values, 8)), values)
    with pytest.raises(ValueError, match="Received"):
        ba.int_to_bits(np.array([256]), 8)


def test_layout_and_sums():
    bundle = datasets.load("binary_addition", seed=3, n_train=500, n_test=200)
    assert bundle.x_train.shape == (500, 8, 2) and bundle.y_train.shape == (500, 8, 1)
    assert bundle.x_test.shape == (200, 8, 2) and bundle.y_test.shape == (200, 8, 1)
    assert bundle.x_train.dtype == np.float32 and bundle.y_train.dtype == np.float32
    extra = bundle.extra
    for split in ("train", "test"):
        a, b = extra[f"a_{split}"], extra[f"b_{split}"]
        assert a.max() < 128 and b.max() < 128 and a.min() >= 0
        x, y = getattr(bundle, f"x_{split}"), getattr(bundle, f"y_{split}")
        np.testing.assert_array_equal(ba.bits_to_int(x[..., 0]), a)
        np.testing.assert_array_equal(ba.bits_to_int(x[..., 1]), b)
        np.testing.assert_array_equal(ba.bits_to_int(y), a + b)
    assert bundle.usage.name == "binary_addition" and bundle.usage.sizes["train"] == 500


def test_test_pairs_are_held_out_with_mirrors():
    bundle = datasets.load("binary_addition", seed=0, n_train=20000, n_test=1000)
    e = bundle.extra
    test = set(zip(e["a_test"].tolist(), e["b_test"].tolist()))
    assert len(test) == 1000  # distinct
    train = set(zip(e["a_train"].tolist(), e["b_train"].tolist()))
    mirrors = {(b, a) for a, b in test}
    assert not train & test
    assert not train & mirrors


def test_seeded_and_varied():
    one = datasets.load("binary_addition", seed=1, n_train=50, n_test=10)
    two = datasets.load("binary_addition", seed=1, n_train=50, n_test=10)
    other = datasets.load("binary_addition", seed=2, n_train=50, n_test=10)
    np.testing.assert_array_equal(one.x_train, two.x_train)
    assert not np.array_equal(one.x_train, other.x_train)


def test_other_widths_and_errors():
    bundle = datasets.load("binary_addition", seed=0, n_train=10, n_test=5, binary_dim=4)
    assert bundle.x_train.shape == (10, 4, 2)
    np.testing.assert_array_equal(ba.bits_to_int(bundle.y_test), bundle.extra["a_test"] + bundle.extra["b_test"])
    with pytest.raises(DlxError):
        datasets.load("binary_addition", n_test=64, binary_dim=4)


def test_generator_does_not_import_tensorflow():
    code = (
        "import sys; from dl_exercises import datasets; "
        "datasets.load('binary_addition', n_train=5, n_test=5); "
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
