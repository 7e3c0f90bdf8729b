"""μ-law companding and 8-bit quantisation of audio, in numpy (Day4, WaveNet).

WaveNet models raw audio as a categorical distribution over 256 values per
sample. Quantising amplitudes x ∈ [−1, 1] linearly into 256 levels would waste
levels on loud values; μ-law first compresses them (ITU-T G.711's continuous
curve, μ = 255):

    F(x) = sign(x) · ln(1 + μ|x|) / ln(1 + μ),            F: [−1, 1] → [−1, 1]
    F⁻¹(y) = sign(y) · ((1 + μ)^|y| − 1) / μ,

and then quantises y = F(x) into μ + 1 = 256 equal bins. Quiet samples get fine
steps (2/256 of y is about 1.7e-4 of x near 0), loud ones coarse steps (about 0.04 near |x| = 1).
"""

from __future__ import annotations

import numpy as np

MU = 255


def compress(x, mu: int = MU) -> np.ndarray:
    """F(x) = sign(x)·ln(1 + μ|x|)/ln(1 + μ), elementwise; x is clipped to [−1, 1].

    Args:
        x: amplitudes; mu: μ.
    Returns:
        float64 array in [−1, 1], the shape of ``x``.
    """
    x = np.clip(np.asarray(x, dtype=np.float64), -1.0, 1.0)
    return np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)


def expand(y, mu: int = MU) -> np.ndarray:
    """F⁻¹(y) = sign(y)·((1 + μ)^|y| − 1)/μ, elementwise (the inverse of ``compress``).

    Args:
        y: compressed values in [−1, 1]; mu: μ.
    Returns:
        float64 array in [−1, 1].
    """
    y = np.clip(np.asarray(y, dtype=np.float64), -1.0, 1.0)
    return np.sign(y) * np.expm1(np.abs(y) * np.log1p(mu)) / mu


def encode(x, mu: int = MU) -> np.ndarray:
    """Amplitudes → μ-law classes 0 … μ: the bin of F(x) among μ + 1 equal bins of [−1, 1].

    Args:
        x: amplitudes in [−1, 1] (clipped); mu: μ (255 gives 256 classes).
    Returns:
        int64 array of classes, the shape of ``x``.
    """
    y = compress(x, mu)
    return np.clip(np.floor((y + 1.0) / 2.0 * (mu + 1)), 0, mu).astype(np.int64)


def decode(classes, mu: int = MU) -> np.ndarray:
    """μ-law classes → amplitudes: F⁻¹ of each bin's centre.

    Args:
        classes: ints 0 … μ; mu: μ.
    Returns:
        float64 amplitudes in (−1, 1).
    """
    c = np.asarray(classes, dtype=np.float64)
    return expand((c + 0.5) / (mu + 1) * 2.0 - 1.0, mu)


def bin_edges(classes, mu: int = MU) -> tuple[np.ndarray, np.ndarray]:
    """The amplitude interval [lo, hi) that each class stands for (F⁻¹ of its bin's edges).

    Args:
        classes: ints 0 … μ; mu: μ.
    Returns:
        ``(lo, hi)`` float64 arrays: a sample x of the class comes back as ``decode(c)`` ∈ [lo, hi),
        so its round-trip error is at most max(hi − decode(c), decode(c) − lo).
    """
    c = np.asarray(classes, dtype=np.float64)
    return expand(c / (mu + 1) * 2.0 - 1.0, mu), expand((c + 1.0) / (mu + 1) * 2.0 - 1.0, mu)
