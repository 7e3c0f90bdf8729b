"""The course's fully connected ``MultiLayerNet`` with back-propagation (Day2 Sections 1–3).

Affine → [BatchNormalization] → activation → [Dropout], repeated for each
hidden layer, then Affine → SoftmaxWithLoss. Weight decay (L2 or L1) adds its
penalty to the loss and its gradient to every weight matrix. ``params`` maps
"W1", "b1", "gamma1", "beta1", … to the very arrays the layers use, so an
optimizer from ``scratch.optimizers`` updates them in place.
"""

from __future__ import annotations

import numpy as np

from .batch_norm import COURSE_EPS, BatchNormalization
from .init import init_weights
from .layers import Affine, Relu, Sigmoid, SoftmaxWithLoss, Tanh
from .regularization import Dropout, weight_decay_gradient, weight_decay_penalty

_ACTIVATION_LAYERS = {"relu": Relu, "sigmoid": Sigmoid, "tanh": Tanh}


class MultiLayerNet:
    """Fully connected net with the course's options (Day2 Section1–3).

    Args:
        input_size: features per sample (784 for MNIST).
        hidden_size_list: hidden layer widths, e.g. [40, 20].
        output_size: classes.
        activation: "relu", "sigmoid" or "tanh".
        weight_init_std: "gaussian" (std ``gaussian_std``), "xavier", "he", the course aliases
            "sigmoid"/"relu", or a number (the std).
        gaussian_std: std for "gaussian".
        weight_decay_lambda: λ of the weight decay (0 = none).
        weight_decay_kind: "l2" (λ/2 Σ‖W‖²) or "l1" (λ Σ|W|).
        use_batchnorm: insert BatchNormalization after each hidden Affine.
        bn_momentum, bn_eps: its running-statistics momentum and variance epsilon.
        use_dropout: insert Dropout after each hidden activation.
        dropout_ratio: drop probability.
        seed: seeds the initial weights and the dropout masks.
        dtype: parameter dtype (float32 trains faster; float64 for gradient checks).
    """

    def __init__(
        self,
        input_size: int,
        hidden_size_list,
        output_size: int,
        activation: str = "relu",
        weight_init_std="he",
        gaussian_std: float = 0.01,
        weight_decay_lambda: float = 0.0,
        weight_decay_kind: str = "l2",
        use_batchnorm: bool = False,
        bn_momentum: float = 0.9,
        bn_eps: float = COURSE_EPS,
        use_dropout: bool = False,
        dropout_ratio: float = 0.5,
        seed: int = 0,
        dtype=np.float64,
    ) -> None:
        if activation not in _ACTIVATION_LAYERS:
            raise ValueError(f"MultiLayerNet: unknown activation, Received: activation={activation!r}")
        if weight_decay_lambda < 0:
            raise ValueError(f"MultiLayerNet: weight_decay_lambda must be >= 0, Received: {weight_decay_lambda}")
        self.sizes = [int(input_size), *[int(h) for h in hidden_size_list], int(output_size)]
        self.hidden_layer_num = len(self.sizes) - 2
        self.activation = activation
        self.weight_decay_lambda = float(weight_decay_lambda)
        self.weight_decay_kind = weight_decay_kind
        rng = np.random.default_rng(seed)
        self.layers: list[tuple[str, object]] = []
        self.params: dict[str, np.ndarray] = {}
        self._param_owner: dict[str, tuple[object, str]] = {}
        for idx in range(1, len(self.sizes)):
            fan_in, fan_out = self.sizes[idx - 1], self.sizes[idx]
            W = init_weights(fan_in, fan_out, weight_init_std, rng, gaussian_std, dtype=dtype)
            affine = Affine(W, np.zeros(fan_out, dtype=dtype))
            self._add(f"Affine{idx}", affine, {"W": f"W{idx}", "b": f"b{idx}"})
            if idx == len(self.sizes) - 1:
                break
            if use_batchnorm:
                bn = BatchNormalization(np.ones(fan_out, dtype=dtype), np.zeros(fan_out, dtype=dtype), bn_momentum, bn_eps)
                self._add(f"BatchNorm{idx}", bn, {"gamma": f"gamma{idx}", "beta": f"beta{idx}"})
            self._add(f"Activation{idx}", _ACTIVATION_LAYERS[activation](), {})
            if use_dropout:
                self._add(f"Dropout{idx}", Dropout(dropout_ratio, rng=np.random.default_rng(seed + 1000 + idx)), {})
        self.last_layer = SoftmaxWithLoss()

    def _add(self, name: str, layer, names: dict[str, str]) -> None:
        self.layers.append((name, layer))
        for local, public in names.items():
            self.params[public] = layer.params[local]
            self._param_owner[public] = (layer, local)

    def weights(self) -> list[np.ndarray]:
        """The weight matrices W1 … W(L) (the arrays weight decay acts on)."""
        return [self.params[f"W{i}"] for i in range(1, len(self.sizes))]

    def predict(self, x, train: bool = False, record: list | None = None):
        """Scores before softmax, shape (N, output_size); appends each activation's output to ``record``."""
        out = np.asarray(x).reshape(len(x), -1)
        for name, layer in self.layers:
            out = layer.forward(out, train=train)
            if record is not None and name.startswith("Activation"):
                record.append(out)
        return out

    def loss(self, x, t, train: bool = True) -> float:
        """Cross-entropy of the batch plus the weight-decay penalty."""
        scores = self.predict(x, train=train)
        penalty = weight_decay_penalty(self.weights(), self.weight_decay_lambda, self.weight_decay_kind) if self.weight_decay_lambda else 0.0
        return float(self.last_layer.forward(scores, t)) + penalty

    def accuracy(self, x, t, batch_size: int = 2000) -> float:
        """Fraction of samples whose arg-max score equals the label (inference mode, in batches)."""
        labels = np.asarray(t)
        labels = labels.argmax(axis=1) if labels.ndim == 2 else labels
        correct = 0
        for start in range(0, len(x), batch_size):
            scores = self.predict(x[start : start + batch_size], train=False)
            correct += int(np.sum(scores.argmax(axis=1) == labels[start : start + batch_size]))
        return correct / max(len(x), 1)

    def gradient(self, x, t) -> tuple[float, dict[str, np.ndarray]]:
        """Loss (training mode) and back-propagated gradients of every parameter, keyed like ``params``."""
        loss = self.loss(x, t, train=True)
        dout = self.last_layer.backward(1.0)
        for _, layer in reversed(self.layers):
            dout = layer.backward(dout)
        grads = {}
        for public, (layer, local) in self._param_owner.items():
            grad = layer.grads[local]
            if self.weight_decay_lambda and public.startswith("W"):
                grad = grad + weight_decay_gradient(self.params[public], self.weight_decay_lambda, self.weight_decay_kind)
            grads[public] = grad
        return loss, grads
