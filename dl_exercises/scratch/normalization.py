"""Batch, Layer, Instance and Group normalization of one N×H×W×C tensor in numpy (Day4 Section3).

All four compute (x − μ) / √(σ² + ε) · γ + β; they differ only in the axes
the mean μ and (biased) variance σ² are taken over:

- Batch norm: (N, H, W), one statistic per channel, shared by the mini-batch;
- Layer norm: (H, W, C), one per sample;
- Instance norm: (H, W), one per sample and channel;
- Group norm: (H, W, channels of a group), one per sample and group of C / G channels.
"""

from __future__ import annotations

import numpy as np

# axes of an NHWC tensor each method reduces over (Group norm: H, W and the channels of one group)
AXES = {"batch": (0, 1, 2), "layer": (1, 2, 3), "instance": (1, 2), "group": (1, 2, "C/G")}


def _check(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(f"expected an (N, H, W, C) tensor, Received: shape={x.shape}")
    return x


def _normalize(x, axes, eps):
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps)


def batch_norm(x, gamma=1.0, beta=0.0, eps: float = 1e-3) -> np.ndarray:
    """Batch normalization in training mode: statistics over (N, H, W) per channel.

    Args:
        x: (N, H, W, C); gamma, beta: broadcastable to x, usually (C,).
    Returns:
        (N, H, W, C).
    """
    return _normalize(_check(x), AXES["batch"], eps) * gamma + beta


def layer_norm(x, gamma=1.0, beta=0.0, eps: float = 1e-3) -> np.ndarray:
    """Layer normalization: statistics over (H, W, C) of each sample.

    Returns:
        (N, H, W, C).
    """
    return _normalize(_check(x), AXES["layer"], eps) * gamma + beta


def instance_norm(x, gamma=1.0, beta=0.0, eps: float = 1e-3) -> np.ndarray:
    """Instance normalization: statistics over (H, W) of each sample and channel.

    Returns:
        (N, H, W, C).
    """
    return _normalize(_check(x), AXES["instance"], eps) * gamma + beta


def group_norm(x, groups: int, gamma=1.0, beta=0.0, eps: float = 1e-3) -> np.ndarray:
    """Group normalization: statistics over (H, W) and the C / groups channels of each group.

    groups = 1 is layer norm, groups = C is instance norm.

    Args:
        x: (N, H, W, C) with C divisible by ``groups``.
    Returns:
        (N, H, W, C).
    """
    x = _check(x)
    n, h, w, c = x.shape
    if groups < 1 or c % groups:
        raise ValueError(f"groups must divide the {c} channels, Received: groups={groups}")
    grouped = x.reshape(n, h, w, groups, c // groups)
    out = _normalize(grouped, (1, 2, 4), eps).reshape(x.shape)
    return out * gamma + beta


def normalize(method: str, x, gamma=1.0, beta=0.0, eps: float = 1e-3, groups: int | None = None) -> np.ndarray:
    """Dispatch by name: "batch", "layer", "instance" or "group" (``groups`` required for "group")."""
    if method == "group":
        if groups is None:
            raise ValueError("group normalization needs groups, Received: groups=None")
        return group_norm(x, groups, gamma, beta, eps)
    functions = {"batch": batch_norm, "layer": layer_norm, "instance": instance_norm}
    if method not in functions:
        raise ValueError(f"method must be one of batch, layer, instance, group, Received: method={method!r}")
    return functions[method](x, gamma, beta, eps)
