"""Tests of the shared numpy building blocks: functions, numerical gradient, layers."""

from __future__ import annotations

import numpy as np
import pytest

from dl_exercises.scratch import functions as F
from dl_exercises.scratch.gradient import numerical_derivative, numerical_gradient
from dl_exercises.scratch.layers import Affine, IdentityWithLoss, Relu, Sigmoid, SoftmaxWithLoss, Tanh

# avoid kinks (0 for relu/step) where central differences are not defined
GRID = np.concatenate([np.linspace(-5, -0.05, 40), np.linspace(0.05, 5, 40)])


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "step"])
def test_activation_derivative_matches_central_difference(name):
    f, df = F.ACTIVATIONS[name]
    np.testing.assert_allclose(df(GRID), numerical_derivative(f, GRID), atol=1e-7)


def test_sigmoid_derivative_peaks_at_zero_with_quarter():
    x = np.linspace(-6, 6, 1201)
    d = F.d_sigmoid(x)
    assert x[np.argmax(d)] == pytest.approx(0.0, abs=1e-12)
    assert d.max() == pytest.approx(0.25, abs=1e-12)


def test_d_tanh_is_inverse_cosh_squared():
    np.testing.assert_allclose(F.d_tanh(GRID), 1.0 / np.cosh(GRID) ** 2, rtol=1e-12)


def test_sigmoid_is_overflow_safe():
    with np.errstate(over="raise", invalid="raise"):
        out = F.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_allclose(out, [0.0, 0.5, 1.0])


def test_softmax_rows_sum_to_one_and_overflow_safe():
    x = np.array([[1000.0, 1001.0, 1002.0], [-5.0, 0.0, 5.0]])
    with np.errstate(over="raise", invalid="raise"):
        y = F.softmax(x)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(y[0], F.softmax(np.array([0.0, 1.0, 2.0])), atol=1e-12)


def test_softmax_jacobian_matches_numeric():
    x = np.array([0.3, -1.2, 2.0, 0.5])
    numeric = np.stack([numerical_derivative(lambda v, i=i: F.softmax(np.where(np.arange(4) == i, v, x)), np.full(4, x[i]))
                        for i in range(4)], axis=1)
    np.testing.assert_allclose(F.d_softmax(x), numeric, atol=1e-8)


def test_mse_course_form_has_half():
    y = np.array([[1.0, 2.0], [3.0, 5.0]])
    d = np.array([[0.0, 2.0], [3.0, 3.0]])
    # ½ (1 + 0 + 0 + 4) / 2 samples
    assert F.mean_squared_error(y, d) == pytest.approx(1.25)


def test_cross_entropy_one_hot_and_sparse_agree():
    rng = np.random.default_rng(0)
    y = F.softmax(rng.normal(size=(5, 4)))
    labels = rng.integers(0, 4, size=5)
    one_hot = F.one_hot(labels, 4)
    expected = -np.mean(np.log(y[np.arange(5), labels] + 1e-7))
    assert F.cross_entropy_error(y, one_hot) == pytest.approx(expected, rel=1e-12)
    assert F.cross_entropy_error(y, labels) == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_single_sample_and_log_eps():
    assert F.cross_entropy_error(np.array([0.0, 1.0]), np.array([1.0, 0.0])) == pytest.approx(-np.log(1e-7))
    assert F.cross_entropy_error(np.array([0.2, 0.8]), 1) == pytest.approx(-np.log(0.8 + 1e-7))


def test_binary_cross_entropy():
    y = np.array([0.9, 0.2, 0.6])
    t = np.array([1, 0, 1])
    expected = -(np.log(0.9) + np.log(0.8) + np.log(0.6)) / 3
    assert F.binary_cross_entropy(y, t) == pytest.approx(expected, rel=1e-12)


def test_numerical_gradient_of_quadratic():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = numerical_gradient(lambda v: float(np.sum(v**2 * np.array([[1, 2], [3, 4]]))), x)
    np.testing.assert_allclose(grad, 2 * x * np.array([[1, 2], [3, 4]]), atol=1e-8)
    np.testing.assert_array_equal(x, [[1.0, -2.0], [0.5, 3.0]])  # restored


def test_numerical_gradient_rejects_float32():
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda v: float(v.sum()), np.ones(3, dtype=np.float32))


def _net_loss(layers, last, x, t):
    h = x
    for layer in layers:
        h = layer.forward(h)
    return last.forward(h, t)


def _backward(layers, last):
    d = last.backward(1.0)
    for layer in reversed(layers):
        d = layer.backward(d)
    return d


@pytest.mark.parametrize("act", [Relu, Sigmoid, Tanh])
@pytest.mark.parametrize("sparse", [False, True])
def test_layers_backprop_matches_numeric_gradient(act, sparse):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(4, 2, 3))  # N-D input: Affine flattens to 6 features
    labels = rng.integers(0, 3, size=4)
    t = labels if sparse else F.one_hot(labels, 3)
    # weights of scale 0.3 keep every probability moderate (> 0.05), so the course's
    # +1e-7 inside the log moves the loss gradient by < 1e-6 relative
    layers = [Affine(0.3 * rng.normal(size=(6, 5)), rng.normal(size=5) * 0.1), act(),
              Affine(0.3 * rng.normal(size=(5, 3)), rng.normal(size=3) * 0.1)]
    last = SoftmaxWithLoss()
    _net_loss(layers, last, x, t)
    dx = _backward(layers, last)
    assert dx.shape == x.shape
    for layer in (layers[0], layers[2]):
        for key, param in layer.params.items():
            numeric = numerical_gradient(lambda _: _net_loss(layers, last, x, t), param)
            # the course loss has +1e-7 inside log; the analytic (y - t)/N ignores it
            np.testing.assert_allclose(layer.grads[key], numeric, atol=1e-6)
    numeric_x = numerical_gradient(lambda v: _net_loss(layers, last, v, t), x.copy())
    np.testing.assert_allclose(dx, numeric_x, atol=1e-6)


def test_identity_with_loss_gradient():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(6, 2))
    d = rng.normal(size=(6, 1))
    layers = [Affine(rng.normal(size=(2, 4)), np.zeros(4)), Tanh(), Affine(rng.normal(size=(4, 1)), np.zeros(1))]
    last = IdentityWithLoss()
    _net_loss(layers, last, x, d)
    _backward(layers, last)
    for layer in (layers[0], layers[2]):
        for key, param in layer.params.items():
            numeric = numerical_gradient(lambda _: _net_loss(layers, last, x, d), param)
            np.testing.assert_allclose(layer.grads[key], numeric, atol=1e-7)


def test_affine_validates_shapes():
    with pytest.raises(ValueError, match="Received: b.shape"):
        Affine(np.zeros((2, 3)), np.zeros(2))
