"""Simple RNN with BPTT in numpy, the course's binary-addition network (Day3 Section1).

Equations (course notation, row-vector form, batch first):

    u^t = x^t W_in + z^{t-1} W + b        z^t = f(u^t)
    v^t = z^t W_out + c                   y^t = sigmoid(v^t)
    E   = Σ_t ½ (y^t − d^t)², averaged over the batch

BPTT runs δ backwards through time: δ^t = (δ^{out,t} W_outᵀ + δ^{t+1} Wᵀ) ⊙ f'(u^t),
and each weight's gradient is the sum over time of its per-step gradient.
The course applies ``d_sigmoid`` to the output ``y`` instead of to ``v``; here the
exact derivative y(1 − y) is used, so the gradients pass a numeric check.
"""

from __future__ import annotations

import numpy as np

from . import functions as F

ACTIVATIONS = {
    "sigmoid": (F.sigmoid, F.d_sigmoid),
    "tanh": (F.tanh, F.d_tanh),
    "relu": (F.relu, F.d_relu),
}
INITS = ("std", "xavier", "he")
PARAM_NAMES = ("W_in", "W", "b", "W_out", "c")


def init_rnn_params(
    input_size: int,
    hidden_size: int,
    output_size: int,
    *,
    init: str = "std",
    weight_init_std: float = 1.0,
    rng: np.random.Generator | None = None,
) -> dict[str, np.ndarray]:
    """Random weights as in the course notebook (Day3 Section1, Jupyter演習).

    ``std``: every array ~ weight_init_std · N(0, 1). ``xavier``: the three weight
    matrices ~ N(0, 1)/√(fan_in). ``he``: N(0, 1)·√2/√(fan_in). Biases keep
    weight_init_std · N(0, 1) in every variant, as in the course.

    Args:
        input_size, hidden_size, output_size: layer sizes.
        init: one of ``std``, ``xavier``, ``he``.
        weight_init_std: scale of the ``std`` variant and of the biases.
        rng: numpy generator.
    Returns:
        dict with ``W_in`` (in, H), ``W`` (H, H), ``b`` (H,), ``W_out`` (H, out), ``c`` (out,), float64.
    """
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}; Received: init={init!r}")
    rng = rng or np.random.default_rng(0)

    def weight(fan_in: int, shape: tuple[int, int]) -> np.ndarray:
        w = rng.standard_normal(shape)
        if init == "xavier":
            return w / np.sqrt(fan_in)
        if init == "he":
            return w * np.sqrt(2.0) / np.sqrt(fan_in)
        return weight_init_std * w

    return {
        "W_in": weight(input_size, (input_size, hidden_size)),
        "W": weight(hidden_size, (hidden_size, hidden_size)),
        "b": weight_init_std * rng.standard_normal(hidden_size),
        "W_out": weight(hidden_size, (hidden_size, output_size)),
        "c": weight_init_std * rng.standard_normal(output_size),
    }


def rnn_forward(params: dict, x: np.ndarray, activation: str = "sigmoid") -> tuple[np.ndarray, dict]:
    """Forward pass over whole sequences (Day3 Section1).

    Args:
        params: weights from ``init_rnn_params``.
        x: inputs, shape (N, T, in).
        activation: hidden activation f: ``sigmoid`` (course), ``tanh`` or ``relu``.
    Returns:
        ``y`` sigmoid outputs (N, T, out) and a cache with ``u``, ``z`` (N, T+1, H; z[:, 0] = 0).
    """
    f, _ = ACTIVATIONS[activation]
    n, steps, _ = x.shape
    hidden = params["W"].shape[0]
    dtype = np.result_type(x.dtype, params["W"].dtype)
    u = np.zeros((n, steps + 1, hidden), dtype)
    z = np.zeros((n, steps + 1, hidden), dtype)
    y = np.zeros((n, steps, params["W_out"].shape[1]), dtype)
    for t in range(steps):
        u[:, t + 1] = x[:, t] @ params["W_in"] + z[:, t] @ params["W"] + params["b"]
        z[:, t + 1] = f(u[:, t + 1])
        y[:, t] = F.sigmoid(z[:, t + 1] @ params["W_out"] + params["c"])
    return y, {"u": u, "z": z, "x": x, "y": y}


def rnn_loss(params: dict, x: np.ndarray, d: np.ndarray, activation: str = "sigmoid") -> float:
    """E = Σ_t ½‖y^t − d^t‖², averaged over the batch.

    Args:
        x: (N, T, in); d: targets (N, T, out).
    Returns:
        float.
    """
    y, _ = rnn_forward(params, x, activation)
    return float(0.5 * np.sum((y - d) ** 2) / x.shape[0])


def rnn_bptt(params: dict, x: np.ndarray, d: np.ndarray, activation: str = "sigmoid") -> tuple[float, dict]:
    """Loss and gradients of every weight by back-propagation through time (Day3 Section1, BPTT).

    Args:
        params: weights; x: (N, T, in); d: (N, T, out).
        activation: hidden activation.
    Returns:
        ``(loss, grads)`` with ``grads`` keyed like ``params``.
    """
    _, df = ACTIVATIONS[activation]
    y, cache = rnn_forward(params, x, activation)
    u, z = cache["u"], cache["z"]
    n, steps, _ = x.shape
    loss = float(0.5 * np.sum((y - d) ** 2) / n)
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    delta_next = np.zeros((n, params["W"].shape[0]), dtype=z.dtype)
    for t in reversed(range(steps)):
        delta_out = (y[:, t] - d[:, t]) / n * y[:, t] * (1.0 - y[:, t])
        grads["W_out"] += z[:, t + 1].T @ delta_out
        grads["c"] += delta_out.sum(axis=0)
        delta = (delta_out @ params["W_out"].T + delta_next @ params["W"].T) * df(u[:, t + 1])
        grads["W_in"] += x[:, t].T @ delta
        grads["W"] += z[:, t].T @ delta
        grads["b"] += delta.sum(axis=0)
        delta_next = delta
    return loss, grads


def sgd_step(params: dict, grads: dict, lr: float) -> None:
    """In-place W ← W − lr · ∂E/∂W for every array (Day3 Section1, パラメータ更新式)."""
    for key in params:
        params[key] -= lr * grads[key]
