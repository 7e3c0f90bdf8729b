"""Cross-checks of the Day3 numpy twins: BPTT vs numeric gradients, cells vs Keras layers."""

from __future__ import annotations

import numpy as np
import pytest

from dl_exercises.scratch.bidirectional import bidirectional_rnn_net
from dl_exercises.scratch.clipping import clip_each, gradient_clipping
from dl_exercises.scratch.gradient import numerical_gradient
from dl_exercises.scratch.gru import from_keras, gru_forward, gru_param_count
from dl_exercises.scratch.lstm import init_lstm_params, lstm_forward, lstm_param_count
from dl_exercises.scratch.rnn import init_rnn_params, rnn_bptt, rnn_forward, rnn_loss

FLOAT32_TOL = 1e-5


@pytest.fixture(scope="module")
def keras():
    from dl_exercises.runtime import tf_keras

    return tf_keras()[1]


# --- Simple RNN / BPTT ---------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("init", ["std", "xavier", "he"])
def test_bptt_matches_numeric_gradient(activation, init):
    rng = np.random.default_rng(1)
    params = init_rnn_params(2, 4, 1, init=init, weight_init_std=0.5, rng=rng)
    x = rng.integers(0, 2, (3, 6, 2)).astype(np.float64)
    d = rng.integers(0, 2, (3, 6, 1)).astype(np.float64)
    _, grads = rnn_bptt(params, x, d, activation)
    for key, value in params.items():
        numeric = numerical_gradient(lambda _: rnn_loss(params, x, d, activation), value)
        np.testing.assert_allclose(grads[key], numeric, rtol=1e-5, atol=1e-7, err_msg=key)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_rnn_forward_matches_keras_simple_rnn(keras, activation):
    rng = np.random.default_rng(2)
    params = init_rnn_params(2, 16, 1, rng=rng)
    x = rng.integers(0, 2, (5, 8, 2)).astype(np.float32)
    inputs = keras.Input((8, 2))
    hidden = keras.layers.SimpleRNN(16, activation=activation, return_sequences=True)(inputs)
    outputs = keras.layers.Dense(1, activation="sigmoid")(hidden)
    model = keras.Model(inputs, outputs)
    model.layers[1].set_weights([params["W_in"], params["W"], params["b"]])
    model.layers[2].set_weights([params["W_out"], params["c"]])
    expected = np.asarray(model(x))
    got, _ = rnn_forward(params, x.astype(np.float64), activation)
    np.testing.assert_allclose(got, expected, atol=FLOAT32_TOL)


# --- gradient clipping -----------------------------------------------------------------------


def test_gradient_clipping_is_gradient_times_rate():
    grad = np.array([3.0, 4.0])  # norm 5
    np.testing.assert_allclose(gradient_clipping(grad, 1.0), grad * (1.0 / 5.0))
    np.testing.assert_allclose(np.linalg.norm(gradient_clipping(grad, 2.0)), 2.0)
    assert gradient_clipping(grad, 10.0) is grad


def test_gradient_clipping_equals_keras_clipnorm(keras):
    rng = np.random.default_rng(3)
    grads = {"a": rng.normal(0, 5, (4, 3)), "b": rng.normal(0, 0.1, (3,)), "c": rng.normal(0, 50, (2, 2))}
    start = {k: rng.normal(size=g.shape) for k, g in grads.items()}
    threshold = 1.5
    variables = [keras.Variable(start[k].astype("float32")) for k in grads]
    optimizer = keras.optimizers.SGD(learning_rate=1.0, clipnorm=threshold)
    optimizer.apply_gradients([(keras.ops.convert_to_tensor(grads[k].astype("float32")), v) for k, v in zip(grads, variables)])
    clipped = clip_each(grads, threshold)
    for key, variable in zip(grads, variables):
        keras_step = start[key] - np.asarray(variable)
        np.testing.assert_allclose(clipped[key], keras_step, rtol=1e-5, atol=1e-5, err_msg=key)


# --- LSTM ------------------------------------------------------------------------------------


def test_lstm_matches_keras_lstm(keras):
    rng = np.random.default_rng(4)
    params = init_lstm_params(3, 5, rng=rng)
    params["bias"] = rng.normal(size=20)
    x = rng.normal(size=(4, 7, 3)).astype(np.float32)
    layer = keras.layers.LSTM(5, return_sequences=True, return_state=True)
    layer.build((None, 7, 3))
    layer.set_weights([params["kernel"], params["recurrent_kernel"], params["bias"]])
    seq, h, c = (np.asarray(a) for a in layer(x))
    got_seq, got_h, got_c = lstm_forward(params, x.astype(np.float64))
    np.testing.assert_allclose(got_seq, seq, atol=FLOAT32_TOL)
    np.testing.assert_allclose(got_h, h, atol=FLOAT32_TOL)
    np.testing.assert_allclose(got_c, c, atol=FLOAT32_TOL)
    assert layer.count_params() == lstm_param_count(3, 5)


def test_lstm_peephole_matches_keras_custom_cell(keras):
    """Peepholes vs an independent Keras cell written with keras.ops (Gers & Schmidhuber form)."""
    ops = keras.ops

    class PeepholeCell(keras.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = [units, units]

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], 4 * self.units))
            self.recurrent = self.add_weight(shape=(self.units, 4 * self.units))
            self.bias = self.add_weight(shape=(4 * self.units,))
            self.peep = self.add_weight(shape=(3, self.units))

        def call(self, x, states):
            h, c = states
            z = ops.matmul(x, self.kernel) + ops.matmul(h, self.recurrent) + self.bias
            zi, zf, zc, zo = ops.split(z, 4, axis=-1)
            i = ops.sigmoid(zi + self.peep[0] * c)
            f = ops.sigmoid(zf + self.peep[1] * c)
            c_new = f * c + i * ops.tanh(zc)
            o = ops.sigmoid(zo + self.peep[2] * c_new)
            h_new = o * ops.tanh(c_new)
            return h_new, [h_new, c_new]

    rng = np.random.default_rng(5)
    params = init_lstm_params(2, 4, peephole=True, rng=rng)
    params["bias"] = rng.normal(size=16)
    x = rng.normal(size=(3, 6, 2)).astype(np.float32)
    layer = keras.layers.RNN(PeepholeCell(4), return_sequences=True)
    layer.build((None, 6, 2))
    layer.set_weights([params["kernel"], params["recurrent_kernel"], params["bias"], params["peephole"]])
    got, _, _ = lstm_forward(params, x.astype(np.float64))
    np.testing.assert_allclose(got, np.asarray(layer(x)), atol=FLOAT32_TOL)
    plain = {k: v for k, v in params.items() if k != "peephole"}
    assert np.max(np.abs(got - lstm_forward(plain, x.astype(np.float64))[0])) > 1e-3


# --- GRU -------------------------------------------------------------------------------------


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_matches_keras_gru(keras, reset_after):
    rng = np.random.default_rng(6)
    layer = keras.layers.GRU(5, reset_after=reset_after, return_sequences=True, return_state=True)
    layer.build((None, 7, 3))
    weights = [rng.normal(0, 0.6, w.shape).astype(np.float32) for w in layer.get_weights()]
    layer.set_weights(weights)
    x = rng.normal(size=(4, 7, 3)).astype(np.float32)
    seq, h = (np.asarray(a) for a in layer(x))
    params = from_keras(*(w.astype(np.float64) for w in weights), reset_after=reset_after)
    got_seq, got_h = gru_forward(params, x.astype(np.float64))
    np.testing.assert_allclose(got_seq, seq, atol=FLOAT32_TOL)
    np.testing.assert_allclose(got_h, h, atol=FLOAT32_TOL)
    assert layer.count_params() == gru_param_count(3, 5, reset_after)


def test_lstm_has_more_parameters_than_gru(keras):
    """確認テスト (Day3 Section3): LSTM has more parameters than GRU for the same sizes."""
    lstm = keras.layers.LSTM(32)
    gru = keras.layers.GRU(32)
    lstm.build((None, 10, 8))
    gru.build((None, 10, 8))
    assert lstm.count_params() > gru.count_params()


# --- bidirectional ---------------------------------------------------------------------------


@pytest.mark.parametrize("use_bias", [False, True])
def test_bidirectional_matches_keras_bidirectional(keras, use_bias):
    rng = np.random.default_rng(7)
    n_in, hidden, n_out = 3, 4, 2
    W_f, W_b = rng.normal(size=(n_in, hidden)), rng.normal(size=(n_in, hidden))
    U_f, U_b = rng.normal(0, 0.5, (hidden, hidden)), rng.normal(0, 0.5, (hidden, hidden))
    b_f, b_b = rng.normal(size=hidden), rng.normal(size=hidden)
    V = rng.normal(size=(n_out, 2 * hidden))
    x = rng.normal(size=(5, 6, n_in)).astype(np.float32)
    inputs = keras.Input((6, n_in))
    rnn = keras.layers.SimpleRNN(hidden, activation="tanh", use_bias=use_bias, return_sequences=True)
    states = keras.layers.Bidirectional(rnn, merge_mode="concat")(inputs)
    outputs = keras.layers.Dense(n_out, use_bias=False)(states)
    model = keras.Model(inputs, outputs)
    if use_bias:
        model.layers[1].set_weights([W_f, U_f, b_f, W_b, U_b, b_b])
    else:
        model.layers[1].set_weights([W_f, U_f, W_b, U_b])
    model.layers[2].set_weights([V.T])
    biases = (b_f, b_b) if use_bias else (None, None)
    got = bidirectional_rnn_net(x.astype(np.float64), W_f, U_f, W_b, U_b, V, *biases)
    np.testing.assert_allclose(got, np.asarray(model(x)), atol=1e-4)
