"""Day3 Sections 1–4: simple RNN with BPTT, gradient clipping, LSTM, GRU, bidirectional RNN.

The numpy twins live in ``dl_exercises.scratch`` (rnn, clipping, lstm, gru,
bidirectional); tests check them against numeric gradients and Keras layers.
No TensorFlow at module level: ``dlx list`` imports this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for annotations; numpy itself loads when an exercise runs
    import numpy as np

from ..params import at_least, choice, flag, learning_rate, positive
from ..registry import exercise

_RNN_PARAMS = {
    "iters": positive(10000, "SGD iterations (the course: 10,000)"),
    "batch_size": positive(1, "sequences per iteration (the course: 1)"),
    "hidden": positive(16, "hidden units (the course: 16)"),
    "lr": learning_rate(0.1, "learning rate (the course: 0.1)"),
    "weight_init_std": positive(1.0, "scale of the 'std' init and biases"),
    "n_test": positive(1000, "held-out additions"),
}


def _train_numpy_rnn(ctx, p, activation, init, clip=None, label="numpy BPTT", bundle=None):
    """Train the scratch RNN on binary addition; returns (params, losses, grad norms, bundle)."""
    import numpy as np
    from ..scratch.clipping import clip_each
    from ..scratch.rnn import init_rnn_params, rnn_bptt, sgd_step

    if bundle is None:
        bundle = ctx.load_data("binary_addition", n_train=p["iters"] * p["batch_size"], n_test=p["n_test"])
    rng = np.random.default_rng(ctx.seed)
    params = init_rnn_params(2, p["hidden"], 1, init=init, weight_init_std=p["weight_init_std"], rng=rng)
    x = bundle.x_train.astype(np.float64)
    d = bundle.y_train.astype(np.float64)
    bs = p["batch_size"]
    losses, norms = [], []
    with ctx.training(), np.errstate(over="ignore", invalid="ignore"):
        for i in ctx.progress(range(p["iters"]), label):
            loss, grads = rnn_bptt(params, x[i * bs : (i + 1) * bs], d[i * bs : (i + 1) * bs], activation)
            norms.append(float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))))
            losses.append(loss)
            if clip is not None:
                grads = clip_each(grads, clip)
            sgd_step(params, grads, p["lr"])
            if i % 100 == 0:
                ctx.log(run=label, step=i, loss=loss, grad_norm=norms[-1])
    return params, np.array(losses), np.array(norms), bundle


def _exact_and_bits(params, bundle, activation):
    import numpy as np
    from ..scratch.rnn import rnn_forward

    y, _ = rnn_forward(params, bundle.x_test.astype(np.float64), activation)
    correct = (y > 0.5) == (bundle.y_test > 0.5)
    return float(np.mean(np.all(correct, axis=(1, 2)))), float(np.mean(correct)), y


@exercise(
    "day3.simple_rnn",
    title="Simple RNN with BPTT: 8-bit binary addition",
    title_ja="RNN と BPTT（2 進数の足し算）",
    section="Day3 Section1",
    data=("binary_addition",),
    tags=("numpy", "keras", "rnn"),
    params={
        **_RNN_PARAMS,
        "init": choice("std", ("std", "xavier", "he"), "weight init (course variants)"),
        "activation": choice("sigmoid", ("sigmoid", "tanh", "relu"), "hidden activation"),
    },
    budgets={"smoke": {"iters": 200, "n_test": 100}, "quick": {"iters": 10000}, "full": {"iters": 10000}},
    targets={"quick": {"test_exact": ">= 0.99"}},
)
def simple_rnn(ctx):
    """The course's binary-addition RNN trained by BPTT in numpy; forward checked against keras SimpleRNN (Day3 Section1)."""
    import numpy as np
    p = ctx.params
    params, losses, norms, bundle = _train_numpy_rnn(ctx, p, p["activation"], p["init"])
    ctx.check_finite(float(losses[-1]), f"at iteration {p['iters']}")
    exact, bits, y_numpy = _exact_and_bits(params, bundle, p["activation"])
    tail = losses[-min(500, len(losses)) :]
    ctx.metric("test_exact", exact, note="held-out sums with every bit right")
    ctx.metric("test_bit_accuracy", bits)
    ctx.metric("final_loss", float(np.mean(tail)), note="mean over the last 500 iterations")

    _, keras = ctx.tf_keras()
    inputs = keras.Input(bundle.x_test.shape[1:])
    rnn = keras.layers.SimpleRNN(p["hidden"], activation=p["activation"], return_sequences=True, name="rnn")
    dense = keras.layers.Dense(1, activation="sigmoid", name="out")
    model = keras.Model(inputs, dense(rnn(inputs)))
    rnn.set_weights([params["W_in"], params["W"], params["b"]])
    dense.set_weights([params["W_out"], params["c"]])
    y_keras = np.asarray(model.predict(bundle.x_test, batch_size=1024, verbose=0))
    ctx.metric("keras_forward_max_abs_diff", float(np.max(np.abs(y_keras - y_numpy))), note="float32 Keras vs float64 numpy")
    ctx.note("dE/dv uses the exact y(1 − y); the course code applies d_sigmoid to y itself.")

    a, b = bundle.extra["a_test"][:5], bundle.extra["b_test"][:5]
    from ..datasets.binary_addition import bits_to_int

    pred = bits_to_int((y_numpy[:5] > 0.5).astype(np.int64))
    ctx.table("held-out examples", ["a", "b", "a + b", "predicted"], [[int(i), int(j), int(i + j), int(k)] for i, j, k in zip(a, b, pred)])
    plt = ctx.pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.5))
    steps = np.arange(len(losses))
    ax.plot(steps[::100], losses[::100])
    ax.set(xlabel="iteration", ylabel="loss", title=f"binary addition, {p['activation']}, init {p['init']}")
    ctx.save_figure(fig, "loss.png")


@exercise(
    "day3.gradient_clipping",
    title="Gradient clipping by norm: exploding gradients in a ReLU RNN",
    title_ja="勾配のクリッピング",
    section="Day3 Section2",
    data=("binary_addition",),
    tags=("numpy", "keras", "rnn"),
    params={
        **_RNN_PARAMS,
        "hidden": positive(32, "hidden units (the course's RNN: 16)"),
        "lr": learning_rate(0.3, "learning rate (the course's RNN: 0.1)"),
        "threshold": positive(1.0, "largest gradient norm per weight array"),
        "activation": choice("relu", ("sigmoid", "tanh", "relu"), "hidden activation of the demo"),
        "init": choice("xavier", ("std", "xavier", "he"), "weight init (course variants)"),
    },
    # The demo: a ReLU RNN at a learning rate where plain SGD explodes. Held-out exact sums with clipping at 1,
    # 10,000 single-sample steps (numpy, measured at seeds 0-5): the course's std-1 init, hidden 16, lr 0.1:
    # 1.0 / 0.978 / 0.599 / 0.231 / 0.116 / 0.889 (the forward pass itself blows up and clipping only sometimes
    # rescues it); He init 1.0 / 0.586 / 0.599 / 1.0 / 0.566 / 1.0; Xavier, lr 0.1: 5 of 6 exact, but so does the
    # unclipped net; Xavier, lr 0.3: 5 of 6 (seed 4 stuck at 0.566, a dead-unit minimum), unclipped 0 of 6;
    # Xavier, lr 0.3, hidden 32: 1.0 at all of seeds 0-15 (and at 5,000 steps, seeds 0-7), unclipped 1.0 at only
    # 4 of seeds 0-7 and 0.0-0.006 at the others. The defaults are that last one.
    budgets={"smoke": {"iters": 200, "n_test": 100}, "quick": {"iters": 10000}, "full": {"iters": 10000}},
    targets={"quick": {"clipped_test_exact": ">= 0.99"}},
)
def gradient_clipping(ctx):
    """The course's gradient_clipping (grad·threshold/norm above the threshold) equals Keras clipnorm; a ReLU RNN explodes without it (Day3 Section2)."""
    import numpy as np
    from ..scratch.clipping import clip_each
    from ..scratch.rnn import init_rnn_params, rnn_bptt

    p = ctx.params
    rows = []
    results = {}
    bundle = ctx.load_data("binary_addition", n_train=p["iters"] * p["batch_size"], n_test=p["n_test"])
    for name, clip in (("no clipping", None), (f"clipping at {p['threshold']:g}", p["threshold"])):
        params, losses, norms, bundle = _train_numpy_rnn(ctx, p, p["activation"], p["init"], clip=clip, label=name, bundle=bundle)
        finite = bool(np.all(np.isfinite(losses)))
        exact, bits, _ = _exact_and_bits(params, bundle, p["activation"]) if finite else (0.0, 0.0, None)
        weight_norm = float(np.sqrt(sum(float(np.sum(v * v)) for v in params.values())))
        tail = losses[-min(500, len(losses)) :]
        results[name] = (exact, float(np.max(norms)))
        rows.append([name, round(float(np.max(norms)), 2), round(weight_norm, 2), round(float(np.mean(tail)), 4), round(exact, 4), round(bits, 4)])
    ctx.table(
        f"{p['activation']} RNN, hidden {p['hidden']}, {p['init']} init, lr {p['lr']:g}",
        ["run", "max grad norm", "final weight norm", "final loss", "held-out exact", "bit accuracy"],
        rows,
    )
    (plain_exact, plain_norm), (clip_exact, clip_norm) = results.values()
    ctx.metric("unclipped_test_exact", plain_exact)
    ctx.metric("clipped_test_exact", clip_exact)
    ctx.metric("unclipped_max_grad_norm", plain_norm)

    # the same gradients through Keras's clipnorm: SGD with lr 1 makes the update equal the clipped gradient
    _, keras = ctx.tf_keras()
    rng = np.random.default_rng(ctx.seed)
    params = init_rnn_params(2, p["hidden"], 1, init=p["init"], weight_init_std=p["weight_init_std"], rng=rng)
    x, d = bundle.x_train[:32].astype(np.float64), bundle.y_train[:32].astype(np.float64)
    _, grads = rnn_bptt(params, x, d, p["activation"])
    grads = {k: g * 100.0 for k, g in grads.items()}  # make sure several arrays exceed the threshold
    variables = [keras.Variable(params[k].astype("float32")) for k in grads]
    opt = keras.optimizers.SGD(learning_rate=1.0, clipnorm=p["threshold"])
    opt.apply_gradients([(keras.ops.convert_to_tensor(g.astype("float32")), v) for g, v in zip(grads.values(), variables)])
    ours = clip_each(grads, p["threshold"])
    diff = max(float(np.max(np.abs((params[k] - np.asarray(v)) - ours[k]))) for k, v in zip(grads, variables))
    ctx.metric("keras_clipnorm_max_abs_diff", diff, note="numpy gradient_clipping vs SGD(clipnorm) update, float32")
    ctx.note("確認テスト (演習チャレンジ): (さ) = gradient * rate, with rate = threshold / norm.")
    ctx.note("Keras clipnorm clips each variable's gradient separately (global_clipnorm clips them jointly).")


def _sine_model(keras, kind: str, units: int, maxlen: int, name: str):
    inputs = keras.Input((maxlen, 1), name=f"{name}_in")
    hidden = getattr(keras.layers, kind)(units, name=f"{name}_{kind.lower()}")(inputs)
    return keras.Model(inputs, keras.layers.Dense(1, name=f"{name}_out")(hidden), name=name)


def _fit_sine(ctx, keras, bundle, kind, p, label):
    model = _sine_model(keras, kind, p["hidden"], bundle.x_train.shape[1], label)
    return _fit_and_predict(ctx, model, bundle, p, f"keras {kind}", label)


_SINE_PARAMS = {
    "epochs": positive(30, "training epochs"),
    "hidden": positive(20, "recurrent units"),
    "lr": learning_rate(0.01, "Adam learning rate"),
    "batch_size": positive(32),
    "n_periods": at_least(2, 10, "periods of the sine series (T = 100 steps)"),
}


@exercise(
    "day3.lstm",
    title="LSTM: predicting a noisy sine wave",
    title_ja="LSTM（sin 波の予測）",
    section="Day3 Section2",
    data=("sine",),
    tags=("numpy", "keras", "rnn"),
    params=dict(_SINE_PARAMS),
    budgets={"smoke": {"epochs": 1, "n_periods": 2}, "quick": {"epochs": 30}, "full": {"epochs": 100}},
    targets={"quick": {"test_mse": "<= 0.002"}},
)
def lstm(ctx):
    """Keras LSTM predicts the next value of the course's noisy sine; the numpy LSTM twin reproduces it (Day3 Section2)."""
    import numpy as np
    from ..scratch.functions import d_sigmoid
    from ..scratch.lstm import lstm_forward

    p = ctx.params
    bundle = ctx.load_data("sine", n_periods=p["n_periods"])
    _, keras = ctx.tf_keras()
    model, mse, per_epoch, pred = _fit_sine(ctx, keras, bundle, "LSTM", p, "lstm")
    naive = float(np.mean((bundle.x_test[:, -1] - bundle.y_test) ** 2))
    ctx.metric("test_mse", mse, note="next noisy value, held-out later part of the series")
    ctx.metric("naive_last_value_mse", naive, note="baseline: repeat the last value")
    ctx.metric("noise_floor_mse", float(bundle.extra["noise_mse"]), note="variance of the noise, ampl²/3")
    ctx.metric("seconds_per_epoch", per_epoch, unit="s")

    kernel, recurrent, bias, w_out, b_out = (w.astype(np.float64) for w in model.get_weights())
    _, h, _ = lstm_forward({"kernel": kernel, "recurrent_kernel": recurrent, "bias": bias}, bundle.x_test.astype(np.float64))
    ctx.metric("numpy_vs_keras_max_abs_diff", float(np.max(np.abs(h @ w_out + b_out - pred))), note="numpy LSTM twin, trained weights")

    # closed loop: feed predictions back, as the course's predict_sin does (numpy twin: no per-step Keras call)
    maxlen = bundle.x_test.shape[1]
    lstm_params = {"kernel": kernel, "recurrent_kernel": recurrent, "bias": bias}
    window = bundle.x_test[:1].astype(np.float64)
    generated = []
    for _ in range(len(bundle.x_test)):
        nxt = float((lstm_forward(lstm_params, window)[1] @ w_out + b_out)[0, 0])
        generated.append(nxt)
        window = np.concatenate([window[:, 1:], np.full((1, 1, 1), nxt)], axis=1)
    clean = bundle.extra["clean"][-len(generated) :]
    ctx.metric("generated_mse_vs_clean", float(np.mean((np.array(generated) - clean) ** 2)), note="closed-loop generation over the test span")
    ctx.metric("d_sigmoid_max", float(d_sigmoid(np.array([0.0]))[0]), note="確認テスト: σ'(0) = 0.25, why RNN gradients vanish")
    ctx.note(f"Keras gate order i, f, c, o; numpy twin in dl_exercises/scratch/lstm.py (peepholes optional there). window = {maxlen}")

    plt = ctx.pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.5))
    t0 = len(bundle.extra["series"]) - len(generated)
    t = np.arange(len(bundle.extra["series"]))
    ax.plot(t, bundle.extra["series"], lw=0.8, label="noisy series")
    ax.plot(t[t0:], pred[:, 0], label="one-step prediction")
    ax.plot(t[t0:], generated, "--", label="closed-loop generation")
    ax.axvline(t0, color="gray", lw=0.5)
    ax.legend(fontsize=8)
    ax.set(xlabel="t", title="LSTM on sin(2πt/100) + noise")
    ctx.save_figure(fig, "sine.png")


@exercise(
    "day3.gru",
    title="GRU vs LSTM: parameters, time and error on the sine task",
    title_ja="GRU",
    section="Day3 Section3",
    data=("sine",),
    tags=("numpy", "keras", "rnn"),
    params={**_SINE_PARAMS, "reset_after": flag(True, "Keras GRU variant (True: cuDNN form)")},
    budgets={"smoke": {"epochs": 1, "n_periods": 2}, "quick": {"epochs": 30}, "full": {"epochs": 100}},
    targets={"quick": {"gru_test_mse": "<= 0.002"}},
)
def gru(ctx):
    """GRU (update and reset gates) beside LSTM on the same task; numpy GRU twin reproduces Keras (Day3 Section3)."""
    import numpy as np
    from ..scratch.gru import from_keras, gru_forward

    p = ctx.params
    bundle = ctx.load_data("sine", n_periods=p["n_periods"])
    _, keras = ctx.tf_keras()
    rows = []
    for kind in ("GRU", "LSTM"):
        ctx.reseed()
        model, mse, per_epoch, pred = _fit_gru_or_lstm(ctx, keras, bundle, kind, p)
        rows.append([kind, model.layers[1].count_params(), round(per_epoch, 3), round(mse, 6)])
        ctx.metric(f"{kind.lower()}_test_mse", mse)
        ctx.metric(f"{kind.lower()}_params", model.layers[1].count_params())
        if kind == "GRU":
            kernel, recurrent, bias, w_out, b_out = (w.astype(np.float64) for w in model.get_weights())
            _, h = gru_forward(from_keras(kernel, recurrent, bias, p["reset_after"]), bundle.x_test.astype(np.float64))
            ctx.metric("numpy_vs_keras_max_abs_diff", float(np.max(np.abs(h @ w_out + b_out - pred))), note="numpy GRU twin, trained weights")
    ctx.table(f"recurrent layer with {p['hidden']} units on the sine task", ["layer", "parameters", "s / epoch", "test MSE"], rows)
    ctx.note("確認テスト: LSTM has more parameters than GRU (4 weight blocks vs 3; `dlx check lstm_vs_gru_parameters`), "
             "so GRU computes faster; which is more accurate depends on the task.")
    ctx.note("Keras writes h = z·h_prev + (1 − z)·c: its update gate is the course's 1 − z (the numpy twin converts).")


def _fit_gru_or_lstm(ctx, keras, bundle, kind, p):
    if kind == "GRU":
        inputs = keras.Input(bundle.x_train.shape[1:], name="gru_in")
        hidden = keras.layers.GRU(p["hidden"], reset_after=p["reset_after"], name="gru_gru")(inputs)
        model = keras.Model(inputs, keras.layers.Dense(1, name="gru_out")(hidden), name="gru")
    else:
        model = _sine_model(keras, kind, p["hidden"], bundle.x_train.shape[1], kind.lower())
    return _fit_and_predict(ctx, model, bundle, p, f"keras {kind}", kind)


def _fit_and_predict(ctx, model, bundle, p, label, run):
    """Adam on MSE for ``p["epochs"]``; returns (model, test MSE, s / epoch, test predictions)."""
    import numpy as np
    from ..train.timing import EpochTimes
    _, keras = ctx.tf_keras()
    model.compile(keras.optimizers.Adam(p["lr"]), "mse")
    times = EpochTimes()
    with ctx.training():
        model.fit(bundle.x_train, bundle.y_train, batch_size=p["batch_size"], epochs=p["epochs"], verbose=0,
                  callbacks=[times.callback(), *ctx.callbacks(epochs=p["epochs"], label=label, run=run)])
    pred = np.asarray(model.predict(bundle.x_test, batch_size=1024, verbose=0))
    return model, float(np.mean((pred - bundle.y_test) ** 2)), times.seconds_per_epoch, pred


def majority_task(n: int, steps: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Random bits; the label at t is the majority of bits t − 1, t, t + 1 (edges repeat the end bit).

    A forward-only RNN cannot see bit t + 1, so it must guess whenever bits t − 1 and t
    differ (half the time): about 75 % accuracy at best. Looking ahead gives 100 %.

    Args:
        n: sequences; steps: length; rng: numpy generator.
    Returns:
        ``x`` float32 (n, steps, 1), ``y`` float32 (n, steps, 1).
    """
    import numpy as np
    bits = rng.integers(0, 2, (n, steps))
    padded = np.concatenate([bits[:, :1], bits, bits[:, -1:]], axis=1)
    y = (padded[:, :-2] + padded[:, 1:-1] + padded[:, 2:] >= 2).astype(np.float32)
    return bits[..., None].astype(np.float32), y[..., None]


@exercise(
    "day3.bidirectional",
    title="Bidirectional RNN: when the future matters",
    title_ja="双方向 RNN",
    section="Day3 Section4",
    tags=("numpy", "keras", "rnn"),
    params={
        "epochs": positive(15),
        "hidden": positive(16, "units per direction"),
        "steps": at_least(3, 20, "sequence length"),
        "n_train": at_least(10, 2000),
        "n_test": at_least(10, 500),
        "lr": learning_rate(0.01, "Adam learning rate"),
    },
    budgets={"smoke": {"epochs": 1, "n_train": 64, "n_test": 32}, "quick": {"epochs": 15}, "full": {"epochs": 40, "n_train": 10000}},
    targets={"quick": {"bidirectional_accuracy": ">= 0.95", "accuracy_gain": ">= 0.1"}},
)
def bidirectional(ctx):
    """The course's bidirectional_rnn_net equals keras Bidirectional; it beats one direction on a look-ahead task (Day3 Section4)."""
    import numpy as np
    from ..scratch.bidirectional import bidirectional_rnn_net

    p = ctx.params
    rng = np.random.default_rng(ctx.seed)
    x_train, y_train = majority_task(p["n_train"], p["steps"], rng)
    x_test, y_test = majority_task(p["n_test"], p["steps"], rng)
    from ..result import DataUsage

    ctx.record_data(DataUsage("majority3", "generated by dlx (label = majority of bits t-1, t, t+1)", {"train": p["n_train"], "test": p["n_test"], "steps": p["steps"]}))
    _, keras = ctx.tf_keras()
    rows, acc = [], {}
    for name in ("forward only", "bidirectional"):
        ctx.reseed()
        inputs = keras.Input((p["steps"], 1))
        rnn = keras.layers.SimpleRNN(p["hidden"], return_sequences=True, use_bias=False, name="rnn")
        layer = keras.layers.Bidirectional(rnn, name="birnn") if name == "bidirectional" else rnn
        out_layer = keras.layers.Dense(1, use_bias=False, name="V")
        model = keras.Model(inputs, keras.layers.Activation("sigmoid")(out_layer(layer(inputs))))
        model.compile(keras.optimizers.Adam(p["lr"]), "binary_crossentropy", metrics=["accuracy"])
        with ctx.training():
            model.fit(x_train, y_train, batch_size=32, epochs=p["epochs"], verbose=0,
                      callbacks=ctx.callbacks(epochs=p["epochs"], label=name, run=name))  # fmt: skip
        _, accuracy = model.evaluate(x_test, y_test, batch_size=1024, verbose=0)
        acc[name] = float(accuracy)
        rows.append([name, model.count_params(), round(float(accuracy), 4)])
        if name == "bidirectional":
            W_f, U_f, W_b, U_b = (w.astype(np.float64) for w in layer.get_weights())
            V = out_layer.get_weights()[0].astype(np.float64).T
            logits_np = bidirectional_rnn_net(x_test.astype(np.float64), W_f, U_f, W_b, U_b, V)
            logits_keras = np.asarray(keras.Model(inputs, out_layer(layer(inputs))).predict(x_test, batch_size=1024, verbose=0))
            ctx.metric("numpy_vs_keras_max_abs_diff", float(np.max(np.abs(logits_np - logits_keras))), note="course's bidirectional_rnn_net, trained weights")
    ctx.table("label = majority(bit t−1, bit t, bit t+1)", ["model", "parameters", "test accuracy per step"], rows)
    ctx.metric("forward_accuracy", acc["forward only"], note="about 0.75 is the best without look-ahead")
    ctx.metric("bidirectional_accuracy", acc["bidirectional"])
    ctx.metric("accuracy_gain", acc["bidirectional"] - acc["forward only"])
    ctx.note("演習チャレンジ (か): np.concatenate([h_f, h_b[::-1]], axis=1): backward states reversed back so step t lines up.")
