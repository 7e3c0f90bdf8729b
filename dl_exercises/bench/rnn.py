"""``dlx bench rnn``: SimpleRNN vs LSTM vs GRU on the same tasks (Day3 Sections 1–3).

Parameters, seconds per epoch and error for each recurrent layer with the same
number of units, on the course's noisy sine (next-value MSE) and on 8-bit
binary addition (held-out sums exact). 確認テスト (Section3): LSTM has more
parameters than GRU.
"""

from __future__ import annotations

import time

import numpy as np

from ..registry import Param
from . import suite

KINDS = ("SimpleRNN", "LSTM", "GRU")


def _timed_fit(ctx, keras, model, x, y, p, label):
    """Fit and return seconds per epoch: the median over epochs after the first (which traces the graph)."""
    times: list[float] = []

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self._start)

    with ctx.training():
        model.fit(x, y, batch_size=p["batch_size"], epochs=p["epochs"], verbose=0,
                  callbacks=[EpochTimer(), *ctx.callbacks(epochs=p["epochs"], label=label, run=label)])  # fmt: skip
    return float(np.median(times[1:] if len(times) > 1 else times))


@suite(
    "rnn",
    title="SimpleRNN vs LSTM vs GRU: parameters, time per epoch, error",
    title_ja="RNN・LSTM・GRU の比較",
    section="Day3 Sections 1-3",
    data=("sine", "binary_addition"),
    params={
        "epochs": Param(int, 20, min=1, help="epochs per model and task"),
        "units": Param(int, 20, min=1, help="recurrent units of every layer"),
        "batch_size": Param(int, 32, min=1),
        "lr": Param(float, 0.01, min=0.0, min_inclusive=False, help="Adam learning rate"),
        "n_periods": Param(int, 10, min=2, help="sine periods"),
        "n_add": Param(int, 5000, min=10, help="binary-addition training sequences"),
    },
    budgets={"smoke": {"epochs": 1, "n_periods": 2, "n_add": 200}, "quick": {"epochs": 20}, "full": {"epochs": 60, "n_add": 10000}},
    targets={"quick": {"lstm_minus_gru_params": "> 0"}},
)
def rnn_suite(ctx):
    """SimpleRNN, LSTM and GRU with the same units on sine prediction and binary addition (Day3 Sections 1-3)."""
    p = ctx.params
    sine = ctx.load_data("sine", n_periods=p["n_periods"])
    add = ctx.load_data("binary_addition", n_train=p["n_add"], n_test=1000)
    _, keras = ctx.keras()
    rows = []
    for kind in KINDS:
        layer_cls = getattr(keras.layers, kind)
        keras.utils.set_random_seed(ctx.seed)
        name = kind.lower()
        inputs = keras.Input(sine.x_train.shape[1:], name=f"{name}_sine_in")
        recurrent = layer_cls(p["units"], name=f"{name}_sine_rnn")
        model = keras.Model(inputs, keras.layers.Dense(1, name=f"{name}_sine_out")(recurrent(inputs)))
        model.compile(keras.optimizers.Adam(p["lr"]), "mse")
        sine_epoch = _timed_fit(ctx, keras, model, sine.x_train, sine.y_train, p, f"{kind} sine")
        pred = np.asarray(model.predict(sine.x_test, batch_size=1024, verbose=0))
        mse = float(np.mean((pred - sine.y_test) ** 2))
        n_params = recurrent.count_params()

        keras.utils.set_random_seed(ctx.seed)
        inputs = keras.Input(add.x_train.shape[1:], name=f"{name}_add_in")
        hidden = layer_cls(p["units"], return_sequences=True, name=f"{name}_add_rnn")(inputs)
        model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid", name=f"{name}_add_out")(hidden))
        model.compile(keras.optimizers.Adam(p["lr"]), "binary_crossentropy")
        add_epoch = _timed_fit(ctx, keras, model, add.x_train, add.y_train, p, f"{kind} addition")
        bits = np.asarray(model.predict(add.x_test, batch_size=1024, verbose=0)) > 0.5
        exact = float(np.mean(np.all(bits == (add.y_test > 0.5), axis=(1, 2))))

        rows.append([kind, n_params, round(sine_epoch, 3), round(mse, 6), round(add_epoch, 3), round(exact, 4)])
        ctx.metric(f"{name}_params", n_params)
        ctx.metric(f"{name}_sine_mse", mse)
        ctx.metric(f"{name}_addition_exact", exact)
    ctx.table(
        f"{p['units']} units, {p['epochs']} epochs, Adam lr {p['lr']:g}",
        ["layer", "parameters", "sine s/epoch", "sine test MSE", "addition s/epoch", "addition exact"],
        rows,
    )
    ctx.metric("lstm_minus_gru_params", ctx.result.metrics["lstm_params"].value - ctx.result.metrics["gru_params"].value)
    ctx.note("確認テスト (Day3 Section3): LSTM has more parameters than GRU; times are measured side by side in this run (median epoch after the first, which traces the graph).")
