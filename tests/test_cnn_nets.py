"""The course's conv nets: numpy back-prop vs numeric gradients, numpy vs Keras twins with the same weights (Day2 Section3)."""

from __future__ import annotations

import numpy as np
import pytest

from dl_exercises.scratch.day2_convnets import NETS, SequentialNet, deep_conv_net, double_conv_net, simple_conv_net
from dl_exercises.scratch.gradient import numerical_gradient

SMALL = {  # small inputs keep numeric differentiation cheap; every pool still divides evenly
    "simple": lambda: simple_conv_net(input_dim=(2, 10, 10), filter_num=3, hidden_size=7, output_size=4,
                                      weight_init_std=0.3, dtype=np.float64),
    "double": lambda: double_conv_net(input_dim=(1, 14, 14), filters=(3, 4), sizes=(3, 3), hidden_size=6,
                                      output_size=4, weight_init_std=0.3, dtype=np.float64),
    "deep": lambda: deep_conv_net(input_dim=(1, 12, 12), hidden_size=6, output_size=4, dropout=0.0, dtype=np.float64),
}


def _exact_cross_entropy(scores, t):
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(t)), t].mean())


@pytest.mark.parametrize("kind", list(SMALL))
def test_backprop_matches_numeric_gradient(kind):
    net: SequentialNet = SMALL[kind]()
    c, h, w = net.layers[0][1].params["W"].shape[1], *((10, 10) if kind == "simple" else (14, 14) if kind == "double" else (12, 12))
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, c, h, w))
    t = rng.integers(0, 4, 3)
    grads = net.gradient(x, t)
    # exact cross-entropy (the course's adds 1e-7 inside the log, a 1e-5-sized bias in its derivative)
    loss = lambda _=None: _exact_cross_entropy(net.predict(x, train=True), t)  # noqa: E731
    # element by element for the first conv layer (its gradient passes through every later layer) and the last layer
    last = len(net.params) // 2
    for key in ("W1", "b1", f"W{last}", f"b{last}"):
        np.testing.assert_allclose(grads[key], numerical_gradient(loss, net.params[key], h=1e-6),
                                   rtol=1e-5, atol=1e-7)


def _copy_to_keras(net: SequentialNet, model, feature_shape):
    """numpy (NCHW, filters (FN,C,FH,FW)) -> Keras (NHWC, kernels (FH,FW,C,FN)); the first dense layer's
    rows are reordered from Flatten over (C, H, W) to Flatten over (H, W, C)."""
    convs = [l for l in model.layers if l.__class__.__name__ == "Conv2D"]
    dense = [l for l in model.layers if l.__class__.__name__ == "Dense"]
    for i, layer in enumerate(convs, start=1):
        layer.set_weights([net.params[f"W{i}"].transpose(2, 3, 1, 0), net.params[f"b{i}"]])
    c, h, w = feature_shape
    for j, layer in enumerate(dense):
        W = net.params[f"W{len(convs) + j + 1}"]
        if j == 0:
            W = W.reshape(c, h, w, -1).transpose(1, 2, 0, 3).reshape(c * h * w, -1)
        layer.set_weights([W, net.params[f"b{len(convs) + j + 1}"]])


@pytest.mark.parametrize("kind, features", [("simple", (30, 12, 12)), ("double", (20, 5, 5)), ("deep", (64, 4, 4))])
def test_numpy_net_equals_keras_twin(kind, features):
    from dl_exercises.nn.day2_convnets import COURSE_CNNS

    net = NETS[kind](seed=3, **({"dropout": 0.0} if kind == "deep" else {"weight_init_std": 0.1}))
    model = COURSE_CNNS[kind]()
    _copy_to_keras(net, model, features)
    x = np.random.default_rng(4).random((5, 1, 28, 28)).astype(np.float32)
    expected = np.asarray(model(x.transpose(0, 2, 3, 1), training=False))
    np.testing.assert_allclose(net.predict(x), expected, rtol=1e-4, atol=1e-4)
    assert model.count_params() == sum(v.size for v in net.params.values())


def test_dropout_is_off_at_inference_and_scales_like_the_course():
    net = deep_conv_net(seed=0)
    x = np.random.default_rng(1).random((2, 1, 28, 28)).astype(np.float32)
    np.testing.assert_array_equal(net.predict(x), net.predict(x))
    assert not np.array_equal(net.predict(x, train=True), net.predict(x, train=True))
