"""Course-style layers with ``forward``/``backward`` for back-propagation in numpy.

Day1 Section5 (誤差逆伝播法). Each layer keeps what its backward pass needs
from the last forward pass. Layers with weights expose them in ``params``
(name -> array) and, after ``backward``, their gradients in ``grads`` (same
names), so an optimizer can update ``params[k] -= lr * grads[k]`` in place.
"""

from __future__ import annotations

import numpy as np

from .functions import cross_entropy_error, mean_squared_error, sigmoid, softmax


class Layer:
    """Base class: no weights; subclasses implement ``forward`` and ``backward``."""

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x, train: bool = True):  # pragma: no cover - interface
        raise NotImplementedError

    def backward(self, dout):  # pragma: no cover - interface
        raise NotImplementedError


class Affine(Layer):
    """Fully connected layer u = x·W + b (Day1 Section1, Section5).

    Inputs with more than two axes (e.g. images (N, C, H, W)) are flattened to
    (N, features); ``backward`` returns dx in the original input shape.

    Args:
        W: weights, shape (in_features, out_features).
        b: bias, shape (out_features,).
    Call arguments:
        x: shape (N, ...) whose trailing axes multiply to in_features.
    Returns:
        forward: shape (N, out_features); backward: dx, shape of x.
    """

    def __init__(self, W, b) -> None:
        super().__init__()
        W = np.asarray(W)
        b = np.asarray(b)
        if W.ndim != 2:
            raise ValueError(f"Affine: W must be 2-D (in, out), Received: W.shape={W.shape}")
        if b.shape != (W.shape[1],):
            raise ValueError(f"Affine: b must have shape ({W.shape[1]},), Received: b.shape={b.shape}")
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}
        self._x = None
        self._x_shape = None

    def forward(self, x, train: bool = True):
        x = np.asarray(x)
        self._x_shape = x.shape
        x2 = x.reshape(x.shape[0], -1) if x.ndim != 2 else x
        if x2.shape[1] != self.params["W"].shape[0]:
            raise ValueError(
                f"Affine: input has {x2.shape[1]} features, W expects {self.params['W'].shape[0]}"
            )
        self._x = x2
        return x2 @ self.params["W"] + self.params["b"]

    def backward(self, dout):
        self.grads["W"] = self._x.T @ dout
        self.grads["b"] = np.sum(dout, axis=0)
        dx = dout @ self.params["W"].T
        return dx.reshape(self._x_shape)


class Relu(Layer):
    """ReLU layer; the mask of non-positive inputs routes the gradient (Day1 Section5)."""

    def __init__(self) -> None:
        super().__init__()
        self._mask = None

    def forward(self, x, train: bool = True):
        x = np.asarray(x)
        self._mask = x <= 0
        out = x.copy()
        out[self._mask] = 0
        return out

    def backward(self, dout):
        dx = np.array(dout, copy=True)
        dx[self._mask] = 0
        return dx


class Sigmoid(Layer):
    """Sigmoid layer; backward uses the stored output: dout · y(1 − y) (Day1 Section5)."""

    def __init__(self) -> None:
        super().__init__()
        self._out = None

    def forward(self, x, train: bool = True):
        self._out = sigmoid(x)
        return self._out

    def backward(self, dout):
        return dout * self._out * (1.0 - self._out)


class Tanh(Layer):
    """tanh layer; backward: dout · (1 − y²) (Day1 Section5)."""

    def __init__(self) -> None:
        super().__init__()
        self._out = None

    def forward(self, x, train: bool = True):
        self._out = np.tanh(x)
        return self._out

    def backward(self, dout):
        return dout * (1.0 - self._out**2)


class SoftmaxWithLoss(Layer):
    """Softmax output and cross-entropy loss in one layer (Day1 Section3, Section5).

    Call arguments:
        x: scores, shape (N, K).
        t: one-hot targets (N, K) or integer labels (N,).
    Returns:
        forward: the batch-mean loss (float); backward: dx = (y − t) / N, shape (N, K).
    """

    def __init__(self) -> None:
        super().__init__()
        self.y = None
        self.t = None
        self.loss = None

    def forward(self, x, t):
        x = np.asarray(x)
        if x.ndim == 1:
            x = x.reshape(1, -1)
        self.y = softmax(x)
        self.t = np.asarray(t)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1.0):
        batch = self.y.shape[0]
        dx = self.y.copy()
        if self.t.shape == self.y.shape:
            dx -= self.t
        else:
            dx[np.arange(batch), self.t.astype(np.int64).reshape(-1)] -= 1.0
        return dx * dout / batch


class IdentityWithLoss(Layer):
    """Identity output with the course MSE ½ Σ(y − d)² / N (Day1 Section3, regression).

    Returns:
        forward: the loss (float); backward: dx = (y − d) / N.
    """

    def __init__(self) -> None:
        super().__init__()
        self.y = None
        self.t = None
        self.loss = None

    def forward(self, x, t):
        self.y = np.asarray(x)
        self.t = np.asarray(t).reshape(self.y.shape)
        self.loss = mean_squared_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1.0):
        batch = self.y.shape[0] if self.y.ndim > 1 else 1
        return (self.y - self.t) * dout / batch
