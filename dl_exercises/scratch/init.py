"""Weight initialisation of the course: Gaussian with a fixed std, Xavier and He (Day2 Section1).

The course (勾配消失問題, 重みの初期値設定) draws weights from a normal
distribution with mean 0 and

- a fixed standard deviation, e.g. 0.01 ("Gaussian"),
- Xavier: std = 1/√n (n = number of nodes of the previous layer, the fan-in),
- He: std = √(2/n).

Keras's own families differ in two ways: ``glorot_normal`` uses
√(2/(fan_in + fan_out)) rather than 1/√fan_in, and both ``glorot_normal`` and
``he_normal`` draw from a normal truncated at two standard deviations, scaled
so that the variance equals the stated one. The course's Xavier has the
variance of Keras's ``lecun_normal``; its He has the variance of ``he_normal``.
``keras_initializer_config`` names the Keras initialiser with the course's
exact (untruncated) distribution.
"""

from __future__ import annotations

import numpy as np

INIT_METHODS = ("gaussian", "xavier", "he")


def init_scale(method: str | float, fan_in: int, gaussian_std: float = 0.01) -> float:
    """Standard deviation of the initial weights of a layer with ``fan_in`` inputs (Day2 Section1).

    Args:
        method: "gaussian" (std ``gaussian_std``), "xavier" (1/√fan_in), "he" (√(2/fan_in)),
            the course's aliases "sigmoid" (= xavier) and "relu" (= he), or a number (the std itself).
        fan_in: nodes of the previous layer, > 0.
        gaussian_std: the std used for "gaussian".
    Returns:
        float, the standard deviation.
    """
    if fan_in <= 0:
        raise ValueError(f"init_scale: fan_in must be positive, Received: fan_in={fan_in}")
    if isinstance(method, (int, float)) and not isinstance(method, bool):
        if method <= 0:
            raise ValueError(f"init_scale: a numeric std must be positive, Received: method={method}")
        return float(method)
    key = str(method).lower()
    if key in ("xavier", "sigmoid"):
        return float(np.sqrt(1.0 / fan_in))
    if key in ("he", "relu"):
        return float(np.sqrt(2.0 / fan_in))
    if key == "gaussian":
        return float(gaussian_std)
    raise ValueError(f"init_scale: unknown method, Received: method={method!r} (choose {', '.join(INIT_METHODS)} or a number)")


def init_weights(
    fan_in: int,
    fan_out: int,
    method: str | float,
    rng: np.random.Generator,
    gaussian_std: float = 0.01,
    dtype=np.float64,
) -> np.ndarray:
    """Weights of shape (fan_in, fan_out) drawn from N(0, init_scale²) (Day2 Section1).

    Args:
        fan_in, fan_out: layer sizes.
        method: see ``init_scale``.
        rng: numpy random generator.
        gaussian_std: std for "gaussian".
        dtype: array dtype.
    Returns:
        array, shape (fan_in, fan_out).
    """
    scale = init_scale(method, fan_in, gaussian_std)
    return (rng.standard_normal((fan_in, fan_out)) * scale).astype(dtype)


def keras_initializer_config(method: str | float, gaussian_std: float = 0.01) -> dict:
    """The Keras initialiser (as ``{"class_name", "config"}``) with the course's exact distribution.

    Gaussian → ``RandomNormal(stddev)``; Xavier → ``VarianceScaling(1, "fan_in", "untruncated_normal")``;
    He → ``VarianceScaling(2, "fan_in", "untruncated_normal")``. Pure data, so this module stays free
    of TensorFlow; pass the result to ``keras.initializers.get``.
    """
    if isinstance(method, (int, float)) and not isinstance(method, bool):
        return {"class_name": "RandomNormal", "config": {"mean": 0.0, "stddev": float(method)}}
    key = str(method).lower()
    if key == "gaussian":
        return {"class_name": "RandomNormal", "config": {"mean": 0.0, "stddev": float(gaussian_std)}}
    if key in ("xavier", "sigmoid"):
        scale = 1.0
    elif key in ("he", "relu"):
        scale = 2.0
    else:
        raise ValueError(f"keras_initializer_config: unknown method, Received: method={method!r}")
    return {
        "class_name": "VarianceScaling",
        "config": {"scale": scale, "mode": "fan_in", "distribution": "untruncated_normal"},
    }
