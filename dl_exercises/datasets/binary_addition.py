"""Binary addition a + b = d as bit sequences, the RNN task of Day3 Section1.

The course's RNN notebook adds two 8-bit numbers bit by bit: operands are
drawn from ``[0, 2**(binary_dim - 1))`` so that the sum always fits in
``binary_dim`` bits, and time step ``t`` sees bit ``t`` of each operand,
least-significant bit first (the course reverses ``np.unpackbits``' order),
so the carry flows forward in time.

Array layout (shared by ``examples.rnn_addition`` and ``day3.simple_rnn``):

- ``x``: float32, shape ``(N, binary_dim, 2)``; ``x[n, t, 0]`` is bit ``t`` of
  ``a``, ``x[n, t, 1]`` bit ``t`` of ``b`` (bit 0 = least significant).
- ``y``: float32, shape ``(N, binary_dim, 1)``; ``y[n, t, 0]`` is bit ``t`` of
  ``d = a + b``.
- ``Bundle.extra``: ``a_train``, ``b_train``, ``a_test``, ``b_test`` (int64,
  shape ``(N,)``) and ``binary_dim``.

Held-out means held out: no test pair ``(a, b)``, nor its mirror ``(b, a)``,
appears among the training pairs. Pure numpy; no TensorFlow here.
"""

from __future__ import annotations

import numpy as np

from ..errors import DlxError
from ..result import DataUsage
from . import Bundle, dataset

BINARY_DIM = 8


def int_to_bits(values: np.ndarray, binary_dim: int = BINARY_DIM) -> np.ndarray:
    """Non-negative integers to bits, least-significant first (Day3 Section1).

    Args:
        values: integers, shape ``(N,)``, each below ``2**binary_dim``.
        binary_dim: number of bits.

    Returns:
        uint8 array of shape ``(N, binary_dim)``; column ``t`` holds bit ``t``.
    """
    values = np.asarray(values, dtype=np.int64)
    if values.size and (values.min() < 0 or values.max() >= 2**binary_dim):
        raise ValueError(f"values must lie in [0, {2**binary_dim}); Received: min={values.min()}, max={values.max()}")
    shifts = np.arange(binary_dim, dtype=np.int64)
    return ((values[:, None] >> shifts[None, :]) & 1).astype(np.uint8)


def bits_to_int(bits: np.ndarray) -> np.ndarray:
    """Bits (least-significant first) back to integers; the inverse of ``int_to_bits``.

    Args:
        bits: array of shape ``(N, binary_dim)`` or ``(N, binary_dim, 1)`` holding 0/1
            (values are rounded, so sigmoid outputs may be passed after thresholding).

    Returns:
        int64 array of shape ``(N,)``.
    """
    bits = np.asarray(bits)
    if bits.ndim == 3:
        bits = bits[..., 0]
    bits = np.rint(bits).astype(np.int64)
    weights = np.int64(1) << np.arange(bits.shape[1], dtype=np.int64)
    return bits @ weights


def encode(a: np.ndarray, b: np.ndarray, binary_dim: int = BINARY_DIM) -> tuple[np.ndarray, np.ndarray]:
    """Operand pairs to the network's input and target sequences (Day3 Section1).

    Args:
        a, b: integer operands, shape ``(N,)``, with ``a + b < 2**binary_dim``.
        binary_dim: number of bits (time steps).

    Returns:
        ``x`` float32 ``(N, binary_dim, 2)`` and ``y`` float32 ``(N, binary_dim, 1)``,
        least-significant bit first.
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    x = np.stack([int_to_bits(a, binary_dim), int_to_bits(b, binary_dim)], axis=-1).astype(np.float32)
    y = int_to_bits(a + b, binary_dim)[..., None].astype(np.float32)
    return x, y


def split_pairs(
    n_train: int, n_test: int, binary_dim: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Draw held-out test pairs, then training pairs that avoid them and their mirrors.

    Args:
        n_train: training pairs, drawn with replacement (the course draws each
            iteration's pair at random, so repeats are expected).
        n_test: distinct test pairs, drawn without replacement.
        binary_dim: operands lie in ``[0, 2**(binary_dim - 1))``.
        rng: numpy random generator.

    Returns:
        ``a_train, b_train, a_test, b_test``: int64 arrays of shapes ``(n_train,)``, ``(n_test,)``.
    """
    half = 2 ** (binary_dim - 1)
    total = half * half
    if n_test >= total:
        raise DlxError(f"binary_addition: n_test={n_test} leaves no training pairs ({total} pairs for {binary_dim} bits)")
    test_ids = rng.choice(total, size=n_test, replace=False)
    a_test, b_test = np.divmod(test_ids, half)
    forbidden = np.zeros(total, dtype=bool)
    forbidden[test_ids] = True
    forbidden[b_test * half + a_test] = True  # the mirror (b, a) is the same sum
    allowed = np.flatnonzero(~forbidden)
    if allowed.size == 0:
        raise DlxError(f"binary_addition: n_test={n_test} with mirrors covers every pair; use fewer test pairs")
    train_ids = rng.choice(allowed, size=n_train, replace=True)
    a_train, b_train = np.divmod(train_ids, half)
    return a_train, b_train, a_test, b_test


@dataset(
    "binary_addition",
    description="a + b as bit sequences, least-significant bit first (Day3 RNN); generated",
    kind="generated",
)
def load(seed: int = 0, n_train: int = 10000, n_test: int = 1000, binary_dim: int = BINARY_DIM) -> Bundle:
    """Generate the binary-addition task (Day3 Section1; the course uses 8 bits).

    Args:
        seed: random seed.
        n_train: training sequences (pairs drawn with replacement from non-test pairs).
        n_test: held-out sequences (distinct pairs; neither they nor their mirrors are trained on).
        binary_dim: bits per number (time steps).

    Returns:
        ``Bundle`` with ``x_*`` ``(N, binary_dim, 2)`` and ``y_*`` ``(N, binary_dim, 1)``
        float32 arrays (layout in the module docstring) and the integer operands in ``extra``.
    """
    if binary_dim < 2:
        raise DlxError(f"binary_addition: binary_dim must be at least 2; Received: binary_dim={binary_dim}")
    if n_train < 1 or n_test < 1:
        raise DlxError(f"binary_addition: need n_train >= 1 and n_test >= 1; Received: n_train={n_train}, n_test={n_test}")
    rng = np.random.default_rng(seed)
    a_train, b_train, a_test, b_test = split_pairs(n_train, n_test, binary_dim, rng)
    x_train, y_train = encode(a_train, b_train, binary_dim)
    x_test, y_test = encode(a_test, b_test, binary_dim)
    usage = DataUsage(
        name="binary_addition",
        source="generated by dlx",
        sizes={"train": int(n_train), "test": int(n_test), "binary_dim": int(binary_dim)},
    )
    extra = {"a_train": a_train, "b_train": b_train, "a_test": a_test, "b_test": b_test, "binary_dim": binary_dim}
    return Bundle(x_train, y_train, x_test, y_test, usage, extra)
