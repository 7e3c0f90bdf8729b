"""Batch normalization layer with forward and backward passes in numpy (Day2 Section1, バッチ正規化).

Training: each feature is normalised with the mini-batch mean μ and the biased
variance σ² (mean of squared deviations): x̂ = (x − μ)/√(σ² + eps),
y = γ x̂ + β; the running statistics move as
``running = momentum · running + (1 − momentum) · batch``. Inference uses the
running statistics instead. These are the rules of
``keras.layers.BatchNormalization`` with the same ``momentum`` and
``epsilon`` (Keras's defaults are 0.99 and 1e-3; the course's are 0.9 and 1e-6).
"""

from __future__ import annotations

import numpy as np

from .layers import Layer

#: The course's code adds 10e-7 (= 1e-6) to the variance.
COURSE_EPS = 1e-6


class BatchNormalization(Layer):
    """Normalise each feature over the batch, then scale by γ and shift by β (Day2 Section1).

    Inputs with more than two axes are flattened to (N, features) and restored.

    Args:
        gamma: scale, shape (features,).
        beta: shift, shape (features,).
        momentum: weight of the old running statistics, in [0, 1).
        eps: added to the variance.
        running_mean, running_var: initial running statistics (zeros and ones by default).
    Call arguments:
        x: shape (N, features) or (N, ...).
        train: batch statistics (True) or running statistics (False).
    Returns:
        forward: same shape as x; backward: dx, same shape as x (grads hold dgamma, dbeta).
    """

    def __init__(self, gamma, beta, momentum: float = 0.9, eps: float = COURSE_EPS, running_mean=None, running_var=None):
        super().__init__()
        gamma = np.asarray(gamma, dtype=np.result_type(np.asarray(gamma).dtype, np.float32))
        beta = np.asarray(beta, dtype=gamma.dtype)
        if gamma.ndim != 1 or beta.shape != gamma.shape:
            raise ValueError(f"BatchNormalization: gamma and beta must be 1-D of equal shape, Received: {gamma.shape}, {beta.shape}")
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"BatchNormalization: momentum must be in [0, 1), Received: momentum={momentum}")
        if not eps > 0:
            raise ValueError(f"BatchNormalization: eps must be positive, Received: eps={eps}")
        self.params = {"gamma": gamma, "beta": beta}
        self.grads = {"gamma": np.zeros_like(gamma), "beta": np.zeros_like(beta)}
        self.momentum = float(momentum)
        self.eps = float(eps)
        self.running_mean = np.zeros_like(gamma) if running_mean is None else np.array(running_mean, dtype=gamma.dtype)
        self.running_var = np.ones_like(gamma) if running_var is None else np.array(running_var, dtype=gamma.dtype)
        self._cache = None

    def forward(self, x, train: bool = True):
        x = np.asarray(x)
        shape = x.shape
        x2 = x.reshape(shape[0], -1)
        if train:
            mean = x2.mean(axis=0)
            var = ((x2 - mean) ** 2).mean(axis=0)
            self.running_mean = self.momentum * self.running_mean + (1.0 - self.momentum) * mean
            self.running_var = self.momentum * self.running_var + (1.0 - self.momentum) * var
        else:
            mean, var = self.running_mean, self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = (x2 - mean) * inv_std
        self._cache = (x_hat, inv_std, shape, train)
        out = self.params["gamma"] * x_hat + self.params["beta"]
        return out.reshape(shape)

    def backward(self, dout):
        x_hat, inv_std, shape, train = self._cache
        dout = np.asarray(dout).reshape(x_hat.shape)
        self.grads["beta"] = dout.sum(axis=0)
        self.grads["gamma"] = (dout * x_hat).sum(axis=0)
        dx_hat = dout * self.params["gamma"]
        if not train:  # fixed statistics: a per-feature affine map
            return (dx_hat * inv_std).reshape(shape)
        n = x_hat.shape[0]
        # μ and σ² depend on every sample: subtract the mean of dx̂ and its projection on x̂.
        dx = inv_std / n * (n * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
        return dx.reshape(shape)
