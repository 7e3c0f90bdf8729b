"""Convolution and Pooling (numpy, via im2col) against Keras, scipy and numeric gradients (Day2 Section3)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from dl_exercises.scratch.conv_layers import Convolution, Pooling
from dl_exercises.scratch.gradient import numerical_gradient

CASES = [  # (N, C, H, W, FN, FH, FW, stride, pad)
    (2, 3, 7, 7, 4, 3, 3, 1, 0),
    (2, 2, 9, 7, 3, 3, 3, 2, 1),
    (1, 1, 28, 28, 5, 5, 5, 1, 2),
    (2, 3, 8, 8, 2, 2, 4, 2, 1),
]


def _layer(case, seed=0, dtype=np.float64):
    n, c, h, w, fn, fh, fw, s, p = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, c, h, w)).astype(dtype)
    W = rng.standard_normal((fn, c, fh, fw)).astype(dtype)
    b = rng.standard_normal(fn).astype(dtype)
    return x, Convolution(W, b, stride=s, pad=p)


@pytest.mark.parametrize("case", CASES)
def test_convolution_equals_scipy_correlate(case):
    x, conv = _layer(case)
    out = conv.forward(x)
    W, b, s, p = conv.params["W"], conv.params["b"], conv.stride, conv.pad
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    for n in range(x.shape[0]):
        for f in range(W.shape[0]):
            full = sum(signal.correlate(xp[n, c], W[f, c], mode="valid") for c in range(x.shape[1]))
            np.testing.assert_allclose(out[n, f], full[::s, ::s] + b[f], rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("case", CASES)
def test_convolution_equals_keras_conv2d(case):
    import keras

    x, conv = _layer(case, dtype=np.float32)
    fn, _, fh, fw = conv.params["W"].shape
    p = conv.pad
    model = keras.Sequential([
        keras.Input(x.shape[2:] + x.shape[1:2]),  # NHWC
        keras.layers.ZeroPadding2D(p),
        keras.layers.Conv2D(fn, (fh, fw), strides=conv.stride),
    ])
    # numpy filters (FN, C, FH, FW) -> keras kernel (FH, FW, C, FN)
    model.layers[-1].set_weights([conv.params["W"].transpose(2, 3, 1, 0), conv.params["b"]])
    expected = np.asarray(model(x.transpose(0, 2, 3, 1))).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(conv.forward(x), expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("pool, stride, shape", [(2, 2, (2, 3, 8, 6)), (3, 1, (1, 2, 5, 7)), (3, 2, (2, 1, 7, 9))])
def test_pooling_equals_keras_maxpooling(pool, stride, shape):
    import keras

    x = np.random.default_rng(3).standard_normal(shape).astype(np.float32)
    layer = Pooling(pool, pool, stride=stride)
    expected = np.asarray(keras.layers.MaxPooling2D(pool, strides=stride)(x.transpose(0, 2, 3, 1)))
    np.testing.assert_array_equal(layer.forward(x), expected.transpose(0, 3, 1, 2))


def test_convolution_refuses_shapes_that_do_not_fit():
    conv = Convolution(np.zeros((2, 1, 3, 3)), np.zeros(2), stride=2)
    with pytest.raises(ValueError, match="not an integer"):
        conv.forward(np.zeros((1, 1, 6, 6)))
    with pytest.raises(ValueError, match="channels"):
        conv.forward(np.zeros((1, 2, 7, 7)))
    with pytest.raises(ValueError, match="Received: stride=0"):
        Convolution(np.zeros((2, 1, 3, 3)), np.zeros(2), stride=0)


@pytest.mark.parametrize("case", CASES[:2] + CASES[3:])
def test_convolution_backward_matches_numeric_gradient(case):
    x, conv = _layer(case, seed=4)
    dout = np.random.default_rng(5).standard_normal(conv.forward(x).shape)

    def loss(_=None):
        return float((conv.forward(x) * dout).sum())

    loss()
    dx = conv.backward(dout)
    for key in ("W", "b"):
        np.testing.assert_allclose(conv.grads[key], numerical_gradient(loss, conv.params[key]), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(dx, numerical_gradient(loss, x), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("pool, stride", [(2, 2), (3, 1)])
def test_pooling_backward_matches_numeric_gradient(pool, stride):
    # distinct values keep every window's maximum unique, so the max is differentiable here
    rng = np.random.default_rng(6)
    x = rng.permutation(2 * 2 * 6 * 6).reshape(2, 2, 6, 6).astype(np.float64) / 10.0
    layer = Pooling(pool, pool, stride=stride)
    dout = rng.standard_normal(layer.forward(x).shape)

    def loss(_=None):
        return float((layer.forward(x) * dout).sum())

    loss()
    np.testing.assert_allclose(layer.backward(dout), numerical_gradient(loss, x), rtol=1e-6, atol=1e-8)
