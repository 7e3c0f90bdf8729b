"""``dlx bench rnn``: SimpleRNN vs LSTM vs GRU on the same tasks (Day3 Sections 1–3).

Parameters, seconds per epoch and error for each recurrent layer with the same
number of units, on the course's noisy sine (next-value MSE) and on 8-bit
binary addition (held-out sums exact). 確認テスト (Section3): LSTM has more
parameters than GRU.
"""

from __future__ import annotations

from ..params import at_least, data_sizes, learning_rate, positive
from ..registry import exercise

KINDS = ("SimpleRNN", "LSTM", "GRU")


def _timed_fit(ctx, model, x, y, p, label) -> float:
    """Fit and return s / epoch (``EpochTimes``: the median epoch after the first)."""
    from ..train.timing import EpochTimes
    times = EpochTimes()
    with ctx.training():
        model.fit(x, y, batch_size=p["batch_size"], epochs=p["epochs"], verbose=0,
                  callbacks=[times.callback(), *ctx.callbacks(epochs=p["epochs"], label=label, run=label)])
    return times.seconds_per_epoch


@exercise(
    "bench.rnn",
    title="SimpleRNN vs LSTM vs GRU: parameters, time per epoch, error",
    title_ja="RNN・LSTM・GRU の比較",
    section="Day3 Sections 1-3",
    data=("sine", "binary_addition"),
    tags=("bench", "keras", "rnn"),
    params={
        "epochs": positive(20, "epochs per model and task"),
        "units": positive(20, "recurrent units of every layer"),
        "batch_size": positive(32, "sequences per step"),
        "lr": learning_rate(0.01, "Adam learning rate"),
        "n_periods": at_least(2, 10, "sine periods"),
        "n_add": at_least(10, 5000, "binary-addition training sequences"),
    },
    budgets={"smoke": {"epochs": 1, "n_periods": 2, "n_add": 200}, "quick": {"epochs": 20}, "full": {"epochs": 60, "n_add": 10000}},
)
def rnn_suite(ctx):
    """SimpleRNN, LSTM and GRU with the same units on sine prediction and binary addition (Day3 Sections 1-3)."""
    import numpy as np
    p = ctx.params
    sine = ctx.load_data("sine", n_periods=p["n_periods"])
    add = ctx.load_data("binary_addition", n_train=p["n_add"], n_test=1000)
    _, keras = ctx.tf_keras()
    rows, params_by_kind = [], {}
    for kind in KINDS:
        layer_cls = getattr(keras.layers, kind)
        ctx.reseed()  # every layer starts from the same seed state
        name = kind.lower()
        inputs = keras.Input(sine.x_train.shape[1:], name=f"{name}_sine_in")
        recurrent = layer_cls(p["units"], name=f"{name}_sine_rnn")
        model = keras.Model(inputs, keras.layers.Dense(1, name=f"{name}_sine_out")(recurrent(inputs)))
        model.compile(keras.optimizers.Adam(p["lr"]), "mse")
        sine_epoch = _timed_fit(ctx, model, sine.x_train, sine.y_train, p, f"{kind} sine")
        pred = np.asarray(model.predict(sine.x_test, batch_size=1024, verbose=0))
        mse = float(np.mean((pred - sine.y_test) ** 2))
        n_params = recurrent.count_params()

        ctx.reseed()
        inputs = keras.Input(add.x_train.shape[1:], name=f"{name}_add_in")
        hidden = layer_cls(p["units"], return_sequences=True, name=f"{name}_add_rnn")(inputs)
        model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid", name=f"{name}_add_out")(hidden))
        model.compile(keras.optimizers.Adam(p["lr"]), "binary_crossentropy")
        add_epoch = _timed_fit(ctx, model, add.x_train, add.y_train, p, f"{kind} addition")
        bits = np.asarray(model.predict(add.x_test, batch_size=1024, verbose=0)) > 0.5
        exact = float(np.mean(np.all(bits == (add.y_test > 0.5), axis=(1, 2))))

        rows.append([kind, n_params, round(sine_epoch, 3), round(mse, 6), round(add_epoch, 3), round(exact, 4)])
        ctx.metric(f"{name}_params", n_params)
        params_by_kind[kind] = n_params
        ctx.metric(f"{name}_sine_mse", mse)
        ctx.metric(f"{name}_addition_exact", exact)
    ctx.table(
        f"{p['units']} units, {p['epochs']} epochs, Adam lr {p['lr']:g}",
        ["layer", "parameters", "sine s/epoch", "sine test MSE", "addition s/epoch", "addition exact"],
        rows,
    )
    ctx.note(f"確認テスト (Day3 Section3): LSTM has more parameters than GRU ({params_by_kind['LSTM']:,} vs "
             f"{params_by_kind['GRU']:,} here; `dlx check lstm_vs_gru_parameters` derives it); times are measured side by side in this run (median epoch after the first, which traces the graph).")
