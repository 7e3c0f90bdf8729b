"""The course's two-layer net (Affine → ReLU → Affine → softmax + cross-entropy) in numpy.

Day1 Section5 (誤差逆伝播法, MNIST の TwoLayerNet). ``params`` holds W1, b1,
W2, b2; the layers share those arrays, so an in-place update of ``params``
is seen by the forward pass.
"""

from __future__ import annotations

import numpy as np

from .gradient import numerical_gradient
from .layers import Affine, Relu, SoftmaxWithLoss


class TwoLayerNet:
    """input → Affine(hidden) → ReLU → Affine(output) → softmax with cross-entropy loss.

    Args:
        input_size: features per sample (784 for MNIST).
        hidden_size: hidden units.
        output_size: classes.
        weight_init_std: weights drawn from N(0, std²) as in the course (biases 0).
        rng: numpy Generator for the initial weights (default seed 0).
        params: optional dict W1, b1, W2, b2 to use instead (copied).
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_size: int,
        weight_init_std: float = 0.01,
        rng: np.random.Generator | None = None,
        params: dict | None = None,
    ) -> None:
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size), ("output_size", output_size)):
            if value < 1:
                raise ValueError(f"TwoLayerNet: {name} must be >= 1, Received: {name}={value}")
        if params is None:
            rng = rng or np.random.default_rng(0)
            params = {
                "W1": weight_init_std * rng.standard_normal((input_size, hidden_size)),
                "b1": np.zeros(hidden_size),
                "W2": weight_init_std * rng.standard_normal((hidden_size, output_size)),
                "b2": np.zeros(output_size),
            }
        self.params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
        self.affine1 = Affine(self.params["W1"], self.params["b1"])
        self.relu = Relu()
        self.affine2 = Affine(self.params["W2"], self.params["b2"])
        self.last = SoftmaxWithLoss()

    def predict(self, x):
        """Scores before softmax, shape (N, output_size); x is (N, ...) and is flattened."""
        return self.affine2.forward(self.relu.forward(self.affine1.forward(x)))

    def loss(self, x, t) -> float:
        """Batch-mean cross-entropy (course form, +1e-7 in the log); t one-hot or labels."""
        return self.last.forward(self.predict(x), t)

    def accuracy(self, x, t) -> float:
        """Fraction of samples whose arg-max score is the label (t one-hot or labels)."""
        t = np.asarray(t)
        labels = t.argmax(axis=1) if t.ndim == 2 else t
        return float(np.mean(self.predict(x).argmax(axis=1) == labels))

    def gradient(self, x, t) -> dict:
        """Back-propagated gradients of ``loss(x, t)``: dict W1, b1, W2, b2."""
        self.loss(x, t)
        d = self.last.backward(1.0)
        d = self.affine2.backward(d)
        d = self.relu.backward(d)
        self.affine1.backward(d)
        return {
            "W1": self.affine1.grads["W"], "b1": self.affine1.grads["b"],
            "W2": self.affine2.grads["W"], "b2": self.affine2.grads["b"],
        }

    def numerical_gradient(self, x, t) -> dict:
        """Central-difference gradients of ``loss(x, t)`` (slow: for checking small nets)."""
        return {k: numerical_gradient(lambda _: self.loss(x, t), v) for k, v in self.params.items()}

    def sgd_step(self, grads: dict, lr: float) -> None:
        """w ← w − lr·∇E, in place (Day1 Section4, 勾配降下法)."""
        for key, grad in grads.items():
            self.params[key] -= lr * grad
