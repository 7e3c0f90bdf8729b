"""The course's small Day 1 networks and their numpy forward, loss, back-propagation and training code.

Day1 Section1 (順伝播: 1_1_forward_propagation), Section3 (誤差関数), Section4
(確率的勾配降下法) and Section5 (誤差逆伝播: 1_3_stochastic_gradient_descent,
1_4_1_mnist_sample). Pure numpy: ``exercises/day1_*`` compare these numbers with
Keras and ``tf.GradientTape``.
"""

from __future__ import annotations

import numpy as np

from . import functions as F
from .gradient import numerical_gradient
from .layers import Affine, IdentityWithLoss, Relu, SoftmaxWithLoss

W1_COURSE = [[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]
B1_COURSE = [0.1, 0.2, 0.3]
W2_MULTICLASS = [[0.1, 0.4, 0.7, 1.0], [0.2, 0.5, 0.8, 1.1], [0.3, 0.6, 0.9, 1.2]]
B2_MULTICLASS = [0.1, 0.2, 0.3, 0.4]
W2_BACKPROP = [[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]
B2_BACKPROP = [0.1, 0.2]


def course_networks() -> dict[str, dict]:
    """The forward-propagation examples: name -> layers [(W, b, activation)], x, d, loss.

    Returns:
        dict; activations are names in ``functions.ACTIVATIONS`` or "softmax";
        loss is "mse", "cross_entropy", "binary_cross_entropy" or None.
    """
    a = np.asarray
    return {
        "single_unit": {
            "layers": [(a([[0.1], [0.2]]), a([0.5]), "relu")],
            "x": a([2.0, 3.0]), "d": None, "loss": None,
        },
        "single_layer_multi_unit": {
            "layers": [(a([[0.1, 0.2, 0.3], [0.2, 0.3, 0.4], [0.3, 0.4, 0.5], [0.4, 0.5, 0.6]]), a([0.1, 0.2, 0.3]), "relu")],
            "x": a([1.0, 5.0, 2.0, -1.0]), "d": None, "loss": None,
        },
        "three_layer": {
            "layers": [
                (a(W1_COURSE), a(B1_COURSE), "relu"),
                (a(W2_BACKPROP), a(B2_BACKPROP), "relu"),
                (a([[0.1, 0.3], [0.2, 0.4]]), a([1.0, 2.0]), "identity"),
            ],
            "x": a([1.0, 2.0]), "d": None, "loss": None,
        },
        "multiclass_2_3_4": {
            "layers": [(a(W1_COURSE), a(B1_COURSE), "relu"), (a(W2_MULTICLASS), a(B2_MULTICLASS), "softmax")],
            "x": a([1.0, 2.0]), "d": a([0.0, 0.0, 0.0, 1.0]), "loss": "cross_entropy",
        },
        "regression_2_3_2": {
            "layers": [(a(W1_COURSE), a(B1_COURSE), "relu"), (a(W2_BACKPROP), a(B2_BACKPROP), "identity")],
            "x": a([1.0, 2.0]), "d": a([2.0, 4.0]), "loss": "mse",
        },
        "binary_2_3_1": {
            "layers": [(a(W1_COURSE), a(B1_COURSE), "relu"), (a([[0.2], [0.4], [0.6]]), a([0.1]), "sigmoid")],
            "x": a([1.0, 2.0]), "d": a([1.0]), "loss": "binary_cross_entropy",
        },
    }


def activate(name: str, u):
    return F.softmax(u) if name == "softmax" else F.ACTIVATIONS[name][0](u)


def forward_numpy(layers, x) -> tuple[list, list]:
    """Forward pass of ``layers`` [(W, b, activation)] for one sample (Day1 Section1).

    Args:
        layers: list of (W (in, out), b (out,), activation name).
        x: input, shape (in,).
    Returns:
        (u per layer, z per layer), each a list of arrays of shape (out,).
    """
    us, zs = [], []
    z = np.asarray(x, dtype=np.float64)
    for W, b, act in layers:
        u = z @ W + b
        z = activate(act, u)
        us.append(u)
        zs.append(z)
    return us, zs


def numpy_loss(kind: str | None, y, d):
    """The course loss of one sample's output ``y`` against target ``d``."""
    if kind == "mse":
        return F.mean_squared_error(y, d)
    if kind == "cross_entropy":
        return F.cross_entropy_error(y, d)
    if kind == "binary_cross_entropy":
        return F.binary_cross_entropy(y, d)
    return None


def backprop_course_net():
    """The course's backprop example: layers for x=[1,5], d=[0,1] (Day1 Section5).

    Returns:
        (params dict W1 b1 W2 b2 as float64, x (1, 2), d (1, 2)).
    """
    params = {"W1": np.array(W1_COURSE), "b1": np.array(B1_COURSE),
              "W2": np.array(W2_BACKPROP), "b2": np.array(B2_BACKPROP)}
    return params, np.array([[1.0, 5.0]]), np.array([[0.0, 1.0]])


def analytic_gradients(params, x, d):
    """Back-propagated gradients with the scratch layers (Affine → ReLU → Affine → SoftmaxWithLoss).

    Returns:
        (grads dict W1 b1 W2 b2, intermediates dict u1 z1 u2 y loss dE_du2 dE_du1).
    """
    a1, relu, a2, last = Affine(params["W1"], params["b1"]), Relu(), Affine(params["W2"], params["b2"]), SoftmaxWithLoss()
    u1 = a1.forward(x)
    z1 = relu.forward(u1)
    u2 = a2.forward(z1)
    loss = last.forward(u2, d)
    du2 = last.backward(1.0)
    du1 = relu.backward(a2.backward(du2))
    a1.backward(du1)
    grads = {"W1": a1.grads["W"], "b1": a1.grads["b"], "W2": a2.grads["W"], "b2": a2.grads["b"]}
    return grads, {"u1": u1, "z1": z1, "u2": u2, "y": last.y, "loss": loss, "dE_du2": du2, "dE_du1": du1}


def course_loss(params, x, d) -> float:
    """The forward pass and course cross-entropy, as a function of ``params`` (for numeric gradients)."""
    z1 = F.relu(x @ params["W1"] + params["b1"])
    return F.cross_entropy_error(F.softmax(z1 @ params["W2"] + params["b2"]), d)


def numeric_gradients(params, x, d) -> dict:
    """Central-difference gradients of ``course_loss`` for every parameter (float64)."""
    return {k: numerical_gradient(lambda _: course_loss(params, x, d), v) for k, v in params.items()}


def linear_target(x):
    """The course's function to learn: f(x) = 3·x1 + 2·x2 (Day1 Section4, 確率的勾配降下法)."""
    return 3.0 * x[:, :1] + 2.0 * x[:, 1:2]


def init_regression_net(rng, hidden: int) -> dict:
    """He-normal weights of a 2-hidden-1 regression net (float64); biases 0."""
    return {"W1": rng.normal(0.0, np.sqrt(2.0 / 2), size=(2, hidden)), "b1": np.zeros(hidden),
            "W2": rng.normal(0.0, np.sqrt(2.0 / hidden), size=(hidden, 1)), "b2": np.zeros(1)}


def train_regression_numpy(params, x, d, *, batch_size: int, epochs: int, lr: float, rng, on_epoch=None):
    """Train Affine → ReLU → Affine → IdentityWithLoss with SGD on mini-batches (Day1 Section4).

    Args:
        params: W1 b1 W2 b2, updated in place.
        x: (N, 2); d: (N, 1).
        batch_size: 1 for SGD, N for batch gradient descent.
    Returns:
        list, per epoch, of the mean course loss (½ MSE) over that epoch's mini-batches, each taken
        before its update (what Keras reports as an epoch's ``loss``).
    """
    a1, relu, a2, last = Affine(params["W1"], params["b1"]), Relu(), Affine(params["W2"], params["b2"]), IdentityWithLoss()
    n = x.shape[0]
    curve = []
    for epoch in range(epochs):
        order = rng.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            total += len(idx) * last.forward(a2.forward(relu.forward(a1.forward(x[idx]))), d[idx])
            a1.backward(relu.backward(a2.backward(last.backward(1.0))))
            for layer in (a1, a2):
                for key in layer.params:
                    layer.params[key] -= lr * layer.grads[key]
        curve.append(total / n)
        if on_epoch is not None:
            on_epoch(epoch, curve[-1])
    return curve


def predict_regression(params, x):
    return F.relu(x @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
