"""The course's convolutional nets in numpy: SimpleConvNet, DoubleConvNet, DeepConvNet (Day2 Section3).

Each net is a list of named layers; ``params``/``grads`` are flat dicts
("W1", "b1", ...) as the course's optimizers expect (``opt.update(params, grads)``).
Images are NCHW, shape (N, 1, 28, 28) for MNIST.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .conv_layers import Convolution, Pooling
from .im2col import conv_output_size
from .layers import Affine, Layer, Relu, SoftmaxWithLoss
from .regularization import Dropout


class SequentialNet:
    """Layers applied in order, then ``SoftmaxWithLoss``; shared by the course's conv nets (Day2 Section3).

    Args:
        layers: (name, layer) pairs; a layer with weights named "Conv3" exposes "W3", "b3".
    """

    def __init__(self, layers: Sequence[tuple[str, Layer]]) -> None:
        self.layers = list(layers)
        self.last_layer = SoftmaxWithLoss()
        self.params: dict[str, np.ndarray] = {}
        self._owners: dict[str, tuple[Layer, str]] = {}
        index = 0
        for _, layer in self.layers:
            if layer.params:
                index += 1
                for key, value in layer.params.items():
                    self.params[f"{key}{index}"] = value
                    self._owners[f"{key}{index}"] = (layer, key)

    def _sync(self) -> None:
        """Point each layer at the arrays in ``params`` (optimizers may rebind entries)."""
        for name, (layer, key) in self._owners.items():
            layer.params[key] = self.params[name]

    def predict(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        """Scores, shape (N, 10), for images (N, C, H, W)."""
        self._sync()
        for _, layer in self.layers:
            x = layer.forward(x, train)
        return x

    def loss(self, x: np.ndarray, t: np.ndarray, train: bool = True) -> float:
        """Mean cross-entropy of softmax(scores) against labels ``t`` (N,) or one-hot (N, 10)."""
        return self.last_layer.forward(self.predict(x, train), t)

    def accuracy(self, x: np.ndarray, t: np.ndarray, batch_size: int = 500) -> float:
        """Share of correctly classified images (inference mode, in batches)."""
        labels = t.argmax(axis=1) if t.ndim == 2 else t
        correct = 0
        for start in range(0, len(x), batch_size):
            scores = self.predict(x[start : start + batch_size], train=False)
            correct += int((scores.argmax(axis=1) == labels[start : start + batch_size]).sum())
        return correct / len(x)

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Back-propagated gradients of ``loss(x, t)``, same keys as ``params``."""
        self.loss(x, t, train=True)
        dout = self.last_layer.backward(1.0)
        for _, layer in reversed(self.layers):
            dout = layer.backward(dout)
        return {name: layer.grads[key] for name, (layer, key) in self._owners.items()}


def _conv(rng, c_in: int, filters: int, size: int, std: float | str, dtype, stride: int = 1, pad: int = 0) -> Convolution:
    scale = np.sqrt(2.0 / (c_in * size * size)) if std == "he" else float(std)
    W = (scale * rng.standard_normal((filters, c_in, size, size))).astype(dtype)
    return Convolution(W, np.zeros(filters, dtype=dtype), stride=stride, pad=pad)


def _affine(rng, n_in: int, n_out: int, std: float | str, dtype) -> Affine:
    scale = np.sqrt(2.0 / n_in) if std == "he" else float(std)
    return Affine((scale * rng.standard_normal((n_in, n_out))).astype(dtype), np.zeros(n_out, dtype=dtype))


def simple_conv_net(
    input_dim=(1, 28, 28), filter_num=30, filter_size=5, pad=0, stride=1, hidden_size=100, output_size=10,
    weight_init_std=0.01, seed=0, dtype=np.float32,
) -> SequentialNet:
    """SimpleConvNet: conv(30, 5×5)–ReLU–pool 2×2–affine(100)–ReLU–affine(10) (Day2 Section3, 2_6).

    Args:
        input_dim: (C, H, W).
    Returns:
        a ``SequentialNet``; for 28×28 inputs W1 (30, 1, 5, 5), W2 (4320, 100), W3 (100, 10).
    """
    rng = np.random.default_rng(seed)
    c, h, w = input_dim
    conv_h = conv_output_size(h, filter_size, stride, pad)
    conv_w = conv_output_size(w, filter_size, stride, pad)
    pooled = filter_num * (conv_h // 2) * (conv_w // 2)
    return SequentialNet([
        ("Conv1", _conv(rng, c, filter_num, filter_size, weight_init_std, dtype, stride, pad)),
        ("Relu1", Relu()),
        ("Pool1", Pooling(2, 2, stride=2)),
        ("Affine1", _affine(rng, pooled, hidden_size, weight_init_std, dtype)),
        ("Relu2", Relu()),
        ("Affine2", _affine(rng, hidden_size, output_size, weight_init_std, dtype)),
    ])


def double_conv_net(
    input_dim=(1, 28, 28), filters=(10, 20), sizes=(5, 3), hidden_size=100, output_size=10,
    weight_init_std=0.01, seed=0, dtype=np.float32,
) -> SequentialNet:
    """DoubleConvNet: (conv–ReLU–pool) × 2–affine(100)–ReLU–affine(10) (Day2 Section3, 2_7).

    Defaults: conv 10 filters 5×5, then 20 filters 3×3, no padding, chosen so
    every 2×2 pool divides evenly (the pooling layer refuses shapes that do not fit).

    Returns:
        a ``SequentialNet``; for 28×28 inputs: 28 → 24 → 12 → 10 → 5, so W3 is (500, 100).
    """
    rng = np.random.default_rng(seed)
    c, h, w = input_dim
    layers: list[tuple[str, Layer]] = []
    for i, (filters_i, size) in enumerate(zip(filters, sizes), start=1):
        layers.append((f"Conv{i}", _conv(rng, c, filters_i, size, weight_init_std, dtype)))
        layers.append((f"Relu{i}", Relu()))
        layers.append((f"Pool{i}", Pooling(2, 2, stride=2)))
        c, h, w = filters_i, conv_output_size(h, size) // 2, conv_output_size(w, size) // 2
    layers.append(("Affine1", _affine(rng, c * h * w, hidden_size, weight_init_std, dtype)))
    layers.append(("Relu3", Relu()))
    layers.append(("Affine2", _affine(rng, hidden_size, output_size, weight_init_std, dtype)))
    return SequentialNet(layers)


# DeepConvNet's conv layers: (filters, pad); every conv is 3×3, stride 1; a 2×2 pool follows convs 2, 4, 6.
DEEP_CONVS = ((16, 1), (16, 1), (32, 1), (32, 2), (64, 1), (64, 1))


def deep_conv_net(
    input_dim=(1, 28, 28), hidden_size=50, output_size=10, dropout=0.5, seed=0, dtype=np.float32,
) -> SequentialNet:
    """DeepConvNet: 3×3 convs 16,16,32,32,64,64 with ReLU, pools, affine 50, dropouts, affine 10 (Day2 Section3, 2_8).

    He initialisation. For 28×28 inputs the maps go 28, 28, pool 14, 14, 16
    (conv 4 pads 2), pool 8, 8, 8, pool 4: 64·4·4 = 1024 features into the affine layer.

    Returns:
        a ``SequentialNet`` with params W1..W8, b1..b8.
    """
    rng = np.random.default_rng(seed)
    c, h, w = input_dim
    layers: list[tuple[str, Layer]] = []
    for i, (filters, pad) in enumerate(DEEP_CONVS, start=1):
        layers.append((f"Conv{i}", _conv(rng, c, filters, 3, "he", dtype, pad=pad)))
        layers.append((f"Relu{i}", Relu()))
        c, h, w = filters, conv_output_size(h, 3, 1, pad), conv_output_size(w, 3, 1, pad)
        if i % 2 == 0:
            layers.append((f"Pool{i // 2}", Pooling(2, 2, stride=2)))
            h, w = h // 2, w // 2
    drop_rng = np.random.default_rng(seed + 1)
    layers += [
        ("Affine1", _affine(rng, c * h * w, hidden_size, "he", dtype)),
        ("Relu7", Relu()),
        ("Dropout1", Dropout(dropout, drop_rng)),
        ("Affine2", _affine(rng, hidden_size, output_size, "he", dtype)),
        ("Dropout2", Dropout(dropout, drop_rng)),
    ]
    return SequentialNet(layers)


NETS = {"simple": simple_conv_net, "double": double_conv_net, "deep": deep_conv_net}
