"""Number formats and quantization in numpy: what each precision keeps of a weight.

Day4 Section3 (軽量化・高速化技術, 量子化). The course's extreme example: a
weight whose true value is a = 0.1 in y = a·x, stored in one bit that can hold
only 0 or 1, becomes y = 0 or y = x, far from the truth; quantize only as far
as the accuracy allows. Here the same weight is stored in binary floating-point
formats (64, 32, 16 bits, bfloat16, an 8-bit float) and in k-bit integer codes
on a range [lo, hi] (k = 8, 4, 2, 1), and the error of each is computed.

- ``FloatFormat``, ``FLOAT_FORMATS``: sign / exponent / mantissa bits and what follows from them
  (largest value, machine epsilon, smallest normal).
- ``round_to_float``: round float64 values to the nearest value of such a format (half to even).
- ``quantize_affine`` / ``dequantize_affine``: k-bit unsigned codes on [lo, hi] (scale and zero point).
- ``quantize_symmetric``: signed codes in [-(2^(k-1) - 1), 2^(k-1) - 1] with scale max|w| / (2^(k-1) - 1).
- ``weight_precision_table``: the course's a = 0.1 in every format.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FloatFormat:
    """A binary floating-point format: 1 sign bit, ``exponent_bits``, ``mantissa_bits`` (IEEE-754 layout).

    Args:
        name: how the table calls it.
        exponent_bits: width of the biased exponent field.
        mantissa_bits: stored fraction bits (the leading 1 of normal numbers is implicit).
    """

    name: str
    exponent_bits: int
    mantissa_bits: int

    def __post_init__(self) -> None:
        if self.exponent_bits < 2 or self.mantissa_bits < 1:
            raise ValueError(f"FloatFormat: need >= 2 exponent and >= 1 mantissa bits, Received: "
                             f"exponent_bits={self.exponent_bits}, mantissa_bits={self.mantissa_bits}")

    @property
    def bits(self) -> int:
        return 1 + self.exponent_bits + self.mantissa_bits

    @property
    def bias(self) -> int:
        return 2 ** (self.exponent_bits - 1) - 1

    @property
    def min_exponent(self) -> int:
        """Exponent of the smallest normal number (1 − bias)."""
        return 1 - self.bias

    @property
    def max_exponent(self) -> int:
        """Exponent of the largest finite number (the all-ones exponent is kept for inf and NaN)."""
        return self.bias

    @property
    def eps(self) -> float:
        """Machine epsilon: the gap between 1 and the next larger value, 2^−mantissa_bits."""
        return 2.0 ** -self.mantissa_bits

    @property
    def max(self) -> float:
        """Largest finite value (2 − 2^−m)·2^max_exponent."""
        return (2.0 - self.eps) * 2.0 ** self.max_exponent

    @property
    def smallest_normal(self) -> float:
        return 2.0 ** self.min_exponent

    @property
    def smallest_subnormal(self) -> float:
        return 2.0 ** (self.min_exponent - self.mantissa_bits)

    @property
    def decimal_digits(self) -> float:
        """About how many significant decimal digits survive: (m + 1)·log10(2)."""
        return (self.mantissa_bits + 1) * math.log10(2)


FLOAT_FORMATS = {
    "float64": FloatFormat("float64", 11, 52),
    "float32": FloatFormat("float32", 8, 23),
    "float16": FloatFormat("float16", 5, 10),
    "bfloat16": FloatFormat("bfloat16", 8, 7),
    "float8_e5m2": FloatFormat("float8_e5m2", 5, 2),
}


def round_to_float(values, fmt: FloatFormat) -> np.ndarray:
    """Round float64 ``values`` to the nearest number of ``fmt`` (ties to even; overflow gives ±inf).

    Works in the exponent of each value: its spacing there is 2^(e − m), with e
    clamped at the smallest normal exponent so that tiny values fall on the
    subnormal grid. Division by a power of two is exact in float64, so one
    ``np.rint`` (ties to even) does the rounding.

    Args:
        values: array-like of real numbers.
        fmt: the target format.
    Returns:
        float64 array of the same shape holding representable values of ``fmt``.
    """
    x = np.asarray(values, dtype=np.float64)
    out = np.array(x, copy=True)
    finite = np.isfinite(x) & (x != 0)
    mag = np.abs(x[finite])
    exponent = np.maximum(np.floor(np.log2(mag)), fmt.min_exponent)
    spacing = np.exp2(exponent - fmt.mantissa_bits)
    rounded = np.rint(x[finite] / spacing) * spacing
    # the largest finite value rounds to inf once it passes max + half a spacing there (IEEE overflow)
    limit = fmt.max + 0.5 * 2.0 ** (fmt.max_exponent - fmt.mantissa_bits)
    rounded = np.where(np.abs(x[finite]) >= limit, np.copysign(np.inf, x[finite]), rounded)
    out[finite] = rounded
    return out


def quantize_affine(values, bits: int, lo: float, hi: float) -> tuple[np.ndarray, float, float]:
    """k-bit unsigned codes for values on [lo, hi]: code = round((x − lo) / scale), clipped to [0, 2^k − 1].

    With k = 1, lo = 0, hi = 1 the only values are 0 and 1: the course's extreme case.

    Args:
        values: array-like.
        bits: code width k ≥ 1.
        lo, hi: the range the 2^k levels cover evenly (lo < hi).
    Returns:
        (codes int64, scale = (hi − lo)/(2^k − 1), lo).
    """
    if bits < 1:
        raise ValueError(f"quantize_affine: bits must be >= 1, Received: bits={bits}")
    if not hi > lo:
        raise ValueError(f"quantize_affine: need lo < hi, Received: lo={lo}, hi={hi}")
    levels = 2**bits - 1
    scale = (hi - lo) / levels
    codes = np.clip(np.rint((np.asarray(values, dtype=np.float64) - lo) / scale), 0, levels).astype(np.int64)
    return codes, float(scale), float(lo)


def dequantize_affine(codes, scale: float, lo: float) -> np.ndarray:
    """The values the codes stand for: lo + code·scale."""
    return lo + np.asarray(codes, dtype=np.float64) * scale


def quantize_symmetric(values, bits: int = 8) -> tuple[np.ndarray, float]:
    """Signed codes round(w / scale) in [−q, q], q = 2^(k−1) − 1, scale = max|w| / q (per tensor).

    The scheme of int8 weights in Keras (``abs_max``) and TFLite: zero stays exactly zero.

    Returns:
        (codes int64, scale); the weight is ≈ code·scale.
    """
    if bits < 2:
        raise ValueError(f"quantize_symmetric: needs a sign bit and one more, Received: bits={bits}")
    w = np.asarray(values, dtype=np.float64)
    q = 2 ** (bits - 1) - 1
    peak = float(np.max(np.abs(w))) if w.size else 0.0
    scale = peak / q if peak > 0 else 1.0
    return np.clip(np.rint(w / scale), -q, q).astype(np.int64), scale


def weight_precision_table(a: float = 0.1, lo: float = 0.0, hi: float = 1.0, x: float = 10.0) -> list[dict]:
    """The course's weight a (true value 0.1 in y = a·x) stored in each format.

    Floating-point formats keep a relative error below their epsilon; k-bit codes
    on [lo, hi] keep an absolute error below half a step, (hi − lo)/(2(2^k − 1));
    one bit on [0, 1] leaves only 0 or 1, so y = 0 or y = x.

    Returns:
        rows {format, bits, stored, error, relative_error, y}: y is the model's output at ``x``.
    """
    rows = []
    for fmt in FLOAT_FORMATS.values():
        stored = float(round_to_float(a, fmt))
        rows.append(_row(fmt.name, fmt.bits, stored, a, x))
    for bits in (8, 4, 2, 1):
        codes, scale, zero = quantize_affine(a, bits, lo, hi)
        stored = float(dequantize_affine(codes, scale, zero))
        levels = "{0, 1}" if bits == 1 else f"{2 ** bits} levels"
        rows.append(_row(f"{bits}-bit code on [{lo:g}, {hi:g}] ({levels})", bits, stored, a, x))
    return rows


def _row(name: str, bits: int, stored: float, a: float, x: float) -> dict:
    error = stored - a
    return {"format": name, "bits": bits, "stored": stored, "error": error,
            "relative_error": abs(error) / abs(a) if a else float("nan"), "y": stored * x}
