"""Course examples (Day4 Section5 例題解説): the TensorFlow 1 and Keras 2 notebooks in Keras 3.

The course closes with worked TensorFlow 1 notebooks (linear and non-linear
regression, MNIST with 1 layer, 3 layers and a CNN) and Keras 2 notebooks
(OR perceptron, iris, MNIST MLP, SimpleRNN binary addition). Each exercise
here keeps the notebook's data, model, initialisation, optimiser, learning
rate and iteration count as its defaults (the ``full`` budget), and states
where a quick run differs. TF1 ``sess.run(train)`` loops become ``model.fit``
with one Keras step per course iteration.

No TensorFlow, Keras or matplotlib at module level (``dlx list`` imports this).
"""

from __future__ import annotations

import math

import numpy as np

from ..registry import Param, exercise
from ..result import DataUsage

SECTION = "Day4 Section5"

# XLA (jit_compile) measured on this 2-core CPU, shared with other jobs (load ~14), interleaving
# rounds with and without XLA and taking the median ms per training step after compilation:
#   784-600-300-10 sigmoid MLP, batch 100 (mnist_3layer): 15.3 → 11.6 ms (XLA 1.3× faster; the whole
#       quick run: 44.4 s → 26.1 s of training, 1.7×; identical accuracies)
#   784-512-512-10 ReLU MLP, batch 128 (mnist_keras):      32.0 → 21.7 ms (XLA 1.5× faster)
#   the course CNN, batch 100 (mnist_cnn):                 244 → 353 ms (XLA 1.45× slower)
# The 784-10 softmax regression (mnist_1layer) showed no difference (5.9 s vs 5.7 s); it follows the MLPs.
# Keras's own "auto" turns XLA off on CPU-only machines, so the choice is explicit (``--set xla=...``).
XLA_MLP = True
XLA_CNN = False


# --------------------------------------------------------------------------- helpers
def _largest_divisor_at_most(n: int, limit: int) -> int:
    """Largest divisor of ``n`` that is ``<= limit`` (at least 1)."""
    for d in range(max(1, min(n, limit)), 0, -1):
        if n % d == 0:
            return d
    return 1


def _fit_full_batch(ctx, model, x: np.ndarray, y: np.ndarray, iterations: int, label: str) -> None:
    """Full-batch gradient descent for ``iterations`` steps, as the TF1 regression loops do.

    Each Keras step sees the whole training set (``batch_size = len(x)``); ``chunk``
    steps run inside one compiled call (``steps_per_execution``) so that thousands
    of tiny steps do not pay Python overhead each. History is logged every chunk.

    Args:
        model: compiled with ``steps_per_execution = chunk`` (see ``_full_batch_chunk``).
        x: inputs ``(n, features)``; y: targets ``(n, 1)``.
        iterations: gradient steps.
    """
    chunk = _full_batch_chunk(iterations)
    epochs = iterations // chunk
    xs = np.tile(x, (chunk, 1))
    ys = np.tile(y, (chunk, 1))
    with ctx.training():
        model.fit(
            xs, ys, batch_size=len(x), epochs=epochs, shuffle=False, verbose=0,
            callbacks=ctx.callbacks(epochs=epochs, label=label),
        )


def _full_batch_chunk(iterations: int) -> int:
    return _largest_divisor_at_most(iterations, 100)


def _fit_steps(ctx, model, x, y, *, iterations: int, batch_size: int, label: str, run: str | None = None) -> None:
    """``iterations`` mini-batch steps drawn epoch by epoch without replacement (``next_batch``).

    The course's TF1 loops call ``mnist.train.next_batch(batch_size)`` ``iters_num``
    times; here an infinite, reshuffled ``tf.data`` stream gives the same batches
    statistics, and one Keras "epoch" is about one pass over the data (so history
    rows come once per pass).

    Args:
        x: inputs ``(N, ...)``; y: integer labels ``(N,)`` or one-hot ``(N, classes)``.
        iterations: optimizer steps; batch_size: samples per step.
    """
    tf, _ = ctx.keras()
    steps_per_pass = max(1, math.ceil(len(x) / batch_size))
    steps_per_epoch = _largest_divisor_at_most(iterations, steps_per_pass)
    epochs = iterations // steps_per_epoch
    stream = (
        tf.data.Dataset.from_tensor_slices((x, y))
        .shuffle(len(x), seed=ctx.seed, reshuffle_each_iteration=True)
        .repeat()
        .batch(batch_size)
        .prefetch(2)
    )
    with ctx.training():
        model.fit(
            stream, epochs=epochs, steps_per_epoch=steps_per_epoch, verbose=0, shuffle=False,  # the stream is shuffled
            callbacks=ctx.callbacks(epochs=epochs, label=label, run=run, steps_per_epoch=steps_per_epoch),
        )


def _fit_epochs(ctx, model, x, y, *, epochs: int, batch_size: int, label: str, run: str | None = None,
                compile_kwargs: dict) -> None:
    """``epochs`` shuffled passes, as Keras 2's ``fit(shuffle=True)``, in few compiled calls.

    Tiny models (OR, iris, the 8-step RNN) spend nearly all of a step in Python
    and per-epoch overhead, so the whole schedule is laid out in advance (one
    permutation of the data per epoch, batches gathered by index), Keras runs
    up to 100 steps per call (``steps_per_execution``), and a history row is
    written about every ``epochs / 20`` passes. When ``batch_size`` does not divide
    ``N``, one batch may hold the end of one pass and the start of the next.

    Args:
        model: uncompiled; compiled here with ``compile_kwargs`` and ``steps_per_execution``.
        x, y: training arrays ``(N, ...)``.
        epochs: passes over the data; batch_size: samples per step.
    """
    tf, _ = ctx.keras()
    rng = np.random.default_rng(ctx.seed)
    order = np.concatenate([rng.permutation(len(x)) for _ in range(epochs)])
    total = math.ceil(len(order) / batch_size)
    steps_per_epoch = _largest_divisor_at_most(total, math.ceil(total / min(epochs, 20)))
    keras_epochs = total // steps_per_epoch
    model.compile(**compile_kwargs, steps_per_execution=_largest_divisor_at_most(steps_per_epoch, 100))
    xs, ys = tf.constant(x), tf.constant(y)
    stream = (
        tf.data.Dataset.from_tensor_slices(order)
        .batch(batch_size)
        .map(lambda idx: (tf.gather(xs, idx), tf.gather(ys, idx)))
        .repeat()
        .prefetch(4)
    )
    with ctx.training():
        model.fit(stream, epochs=keras_epochs, steps_per_epoch=steps_per_epoch, verbose=0, shuffle=False,
                  callbacks=ctx.callbacks(epochs=keras_epochs, label=label, run=run, steps_per_epoch=steps_per_epoch))


def _accuracy(model, x, labels) -> float:
    """Share of samples whose arg-max prediction equals the integer label."""
    probs = model.predict(x, batch_size=1000, verbose=0)
    return float(np.mean(np.argmax(probs, axis=-1) == labels))


def _mnist(ctx, n_train: int, n_test: int, flat: bool):
    """MNIST (or its offline fallback) as float32 images in [0, 1] and integer labels."""
    data = ctx.load_data("mnist", n_train=n_train, n_test=n_test)
    shape = (-1, 784) if flat else (-1, 28, 28, 1)
    return (
        data.x_train.reshape(shape).astype(np.float32),
        data.y_train.astype(np.int64),
        data.x_test.reshape(shape).astype(np.float32),
        data.y_test.astype(np.int64),
    )


# --------------------------------------------------------------------------- linear regression
@exercise(
    "examples.linear_regression",
    title="Linear regression with gradient descent (TensorFlow example)",
    title_ja="線形回帰 (TensorFlow)",
    section=SECTION,
    tags=("keras", "regression", "tensorflow1"),
    params={
        "slope": Param(float, 3.0, help="true W in d = W x + b (the course also tries 5)"),
        "intercept": Param(float, 2.0, help="true b"),
        "noise": Param(float, 0.1, min=0.0, help="std of the Gaussian noise; the course starts at 0.3, then tries 0.1"),
        "n": Param(int, 100, min=2, help="training points, x ~ U[0, 1)"),
        "iterations": Param(int, 300, min=1, help="full-batch gradient-descent steps (course: 300)"),
        "lr": Param(float, 0.1, min=0.0, min_inclusive=False, help="learning rate (course: 0.1)"),
    },
    budgets={"smoke": {"iterations": 10}, "quick": {}, "full": {}},
    targets={"quick": {"w_error": "<= 0.1", "b_error": "<= 0.1"}},
)
def linear_regression(ctx):
    """Learn W and b of d = 3x + 2 + noise with full-batch gradient descent (Day4 Section5, 線形回帰)."""
    p = ctx.params
    rng = np.random.default_rng(ctx.seed)
    x = rng.random(p["n"])
    d = p["slope"] * x + p["intercept"] + p["noise"] * rng.standard_normal(p["n"])
    ctx.record_data(
        DataUsage(name="linear", source="generated by dlx", sizes={"train": p["n"]},
                  note=f"d = {p['slope']:g}x + {p['intercept']:g} + {p['noise']:g}·N(0,1), x ~ U[0,1)")
    )
    tf, keras = ctx.keras()
    model = keras.Sequential(
        [keras.Input((1,)), keras.layers.Dense(1, kernel_initializer="zeros", bias_initializer="zeros", name="linear")],
        name="linear_regression",
    )
    # The course's loss is tf.reduce_mean(tf.square(y - d)): Keras's "mse" exactly.
    model.compile(optimizer=keras.optimizers.SGD(p["lr"]), loss="mse",
                  steps_per_execution=_full_batch_chunk(p["iterations"]))
    _fit_full_batch(ctx, model, x[:, None].astype(np.float32), d[:, None].astype(np.float32), p["iterations"], "gradient descent")
    kernel, bias = model.get_layer("linear").get_weights()
    w, b = float(kernel[0, 0]), float(bias[0])
    # Independent reference: the closed-form least-squares line through the same points.
    ls_w, ls_b = np.polyfit(x, d, 1)
    train_mse = float(np.mean((w * x + b - d) ** 2))
    ctx.check_finite(train_mse, "after training")
    ctx.metric("w", w)
    ctx.metric("b", b)
    ctx.metric("w_error", abs(w - p["slope"]), note="|learned W - true W|")
    ctx.metric("b_error", abs(b - p["intercept"]), note="|learned b - true b|")
    ctx.metric("train_mse", train_mse)
    ctx.metric("lstsq_w", float(ls_w), note="closed-form least squares on the same points")
    ctx.metric("lstsq_b", float(ls_b), note="closed-form least squares on the same points")
    ctx.table(
        "W and b: truth, gradient descent, least squares",
        ["parameter", "truth", "gradient descent (Keras)", "least squares (numpy)"],
        [["W", p["slope"], round(w, 4), round(float(ls_w), 4)], ["b", p["intercept"], round(b, 4), round(float(ls_b), 4)]],
    )
    ctx.note(
        "Gradient descent should land on the least-squares line; what is left between that line and the truth "
        "is the noise (about noise·√(12/n) for W), which is why the 0.1 target is checked at noise 0.1."
    )
    if ctx.out is not None:
        plt = ctx.pyplot()
        fig, ax = plt.subplots(figsize=(5, 4))
        ax.scatter(x, d, s=10, label="data")
        line = np.linspace(0, 1, 2)
        ax.plot(line, w * line + b, color="C1", label=f"learned: {w:.3f}x + {b:.3f}")
        ax.plot(line, p["slope"] * line + p["intercept"], "k--", lw=1, label="truth")
        ax.set_xlabel("x")
        ax.set_ylabel("d")
        ax.legend()
        ctx.save_figure(fig, "linear_regression.png")


# --------------------------------------------------------------------------- non-linear regression
_CURVES = {
    # name: (coefficients of x**0, x**1, ... of the truth, the course's feature degree)
    "cubic": ((1.0, -2.8, 1.6, -0.4), 3),
    "quadratic": ((0.2, 0.5, 30.0), 2),
}


@exercise(
    "examples.nonlinear_regression",
    title="Non-linear regression on polynomial features (TensorFlow example)",
    title_ja="非線形回帰 (TensorFlow)",
    section=SECTION,
    tags=("keras", "regression", "tensorflow1"),
    params={
        "function": Param(str, "cubic", choices=tuple(_CURVES),
                          help="cubic: d = -0.4x³ + 1.6x² - 2.8x + 1; quadratic: the course's try d = 30x² + 0.5x + 0.2"),
        "noise": Param(float, 0.05, min=0.0, help="std of the Gaussian noise (course: 0.05, try 0.6)"),
        "n": Param(int, 100, min=5, help="training points, x ~ U[-2, 2)"),
        "n_test": Param(int, 1000, min=10, help="fresh test points from the same process"),
        "iterations": Param(int, 10000, min=1, help="full-batch Adam steps (course: 10000; 30000 for the quadratic try)"),
        "lr": Param(float, 0.001, min=0.0, min_inclusive=False, help="Adam learning rate (course: 0.001; 0.01 for the quadratic try)"),
    },
    budgets={"smoke": {"iterations": 20, "n_test": 50}, "quick": {}, "full": {}},
    # A perfect model's test MSE is the noise variance (the floor). Least squares on
    # 4 coefficients from 100 points adds about 4/100 of it in expectation, and
    # 1,000 test points measure an MSE to about ±4.5% (√(2/1000)); 1.5× the floor
    # leaves room for Adam stopping short of the exact minimum, yet a fit that
    # misses the cubic (the best quadratic has excess MSE ≈ 0.23 ≈ 94× the 0.05²
    # floor) fails it by far.
    targets={"quick": {"mse_over_noise": "<= 1.5"}},
)
def nonlinear_regression(ctx):
    """Fit a cubic with a bias-free linear model on [1, x, x², x³] and Adam (Day4 Section5, 非線形回帰)."""
    p = ctx.params
    truth, degree = _CURVES[p["function"]]
    rng = np.random.default_rng(ctx.seed)

    def sample(n):
        x = rng.random(n) * 4 - 2
        clean = np.polyval(truth[::-1], x)
        return x, clean, clean + p["noise"] * rng.standard_normal(n)

    x, _, d = sample(p["n"])
    x_test, clean_test, d_test = sample(p["n_test"])
    ctx.record_data(
        DataUsage(name=f"{p['function']}", source="generated by dlx",
                  sizes={"train": p["n"], "test": p["n_test"]}, note=f"noise std {p['noise']:g}, x ~ U[-2,2)")
    )

    def features(values):  # the course's x_train[i, j] = x[i]**j
        return np.stack([values**j for j in range(degree + 1)], axis=1).astype(np.float32)

    tf, keras = ctx.keras()
    model = keras.Sequential(
        [
            keras.Input((degree + 1,)),
            # The course's y = tf.matmul(xt, W), W ~ N(0, 0.01²), no bias ("bを使っていないことに注意").
            keras.layers.Dense(1, use_bias=False, kernel_initializer=keras.initializers.RandomNormal(stddev=0.01),
                               name="coefficients"),
        ],
        name="polynomial_regression",
    )
    model.compile(optimizer=keras.optimizers.Adam(p["lr"]), loss="mse",
                  steps_per_execution=_full_batch_chunk(p["iterations"]))
    _fit_full_batch(ctx, model, features(x), d[:, None].astype(np.float32), p["iterations"], "Adam")
    coef = model.get_layer("coefficients").get_weights()[0][:, 0].astype(np.float64)
    pred_test = features(x_test).astype(np.float64) @ coef
    test_mse = float(np.mean((pred_test - d_test) ** 2))
    ctx.check_finite(test_mse, "on the test points")
    noise_var = p["noise"] ** 2
    ctx.metric("test_mse", test_mse, note="vs noisy test targets")
    ctx.metric("noise_variance", noise_var, note="the floor: a perfect model's expected test MSE")
    ctx.metric("fit_mse", float(np.mean((pred_test - clean_test) ** 2)), note="vs the noise-free curve")
    if noise_var > 0:
        ctx.metric("mse_over_noise", test_mse / noise_var, note="test MSE / noise variance; 1 is the floor")
    ctx.metric("coefficients", [round(float(c), 4) for c in coef], note="learned W for x⁰, x¹, ...")
    ls_coef = np.linalg.lstsq(features(x).astype(np.float64), d, rcond=None)[0]
    ctx.metric("lstsq_coefficients", [round(float(c), 4) for c in ls_coef], note="closed-form least squares")
    ctx.table(
        "Coefficients: truth, Adam (Keras), least squares (numpy)",
        ["term", "truth", "Adam", "least squares"],
        [[f"x^{j}", truth[j], round(float(coef[j]), 4), round(float(ls_coef[j]), 4)] for j in range(degree + 1)],
    )
    if p["function"] == "quadratic":
        ctx.note("The course's try: with lr 0.001 Adam moves each weight about 0.001 per step, so 30x² needs "
                 "--set lr=0.01 --set iterations=30000 (the course's own settings for it).")
    if ctx.out is not None:
        plt = ctx.pyplot()
        fig, ax = plt.subplots(figsize=(5, 4))
        ax.scatter(x, d, s=10, label="training data")
        grid = np.linspace(-2, 2, 200)
        ax.plot(grid, features(grid) @ coef.astype(np.float32), color="C1", label="learned")
        ax.plot(grid, np.polyval(truth[::-1], grid), "k--", lw=1, label="truth")
        ax.set_xlabel("x")
        ax.set_ylabel("d")
        ax.set_title(f"test MSE {test_mse:.4g} (noise variance {noise_var:.4g})")
        ax.legend()
        ctx.save_figure(fig, "nonlinear_regression.png")


# --------------------------------------------------------------------------- MNIST, TensorFlow examples
@exercise(
    "examples.mnist_1layer",
    title="MNIST with one layer: softmax regression (TensorFlow example)",
    title_ja="分類1層 (mnist)",
    section=SECTION,
    data=("mnist", "mnist5k"),
    tags=("keras", "mnist", "tensorflow1"),
    params={
        "iterations": Param(int, 100, min=1, help="SGD steps (course: 100)"),
        "batch_size": Param(int, 100, min=1, help="images per step (course: 100)"),
        "lr": Param(float, 0.1, min=0.0, min_inclusive=False, help="SGD learning rate (course: 0.1)"),
        "n_train": Param(int, 60000, min=10, help="training images (at most what the data set has)"),
        "n_test": Param(int, 10000, min=10, help="test images (at most what the data set has)"),
        "xla": Param(bool, XLA_MLP, help="compile the train step with XLA (measured faster for MLPs on CPU)"),
    },
    # quick: 1,000 steps (25 passes over mnist5k's 4,000 images) instead of the course's 100, which see only
    # 10,000 images. Measured on mnist5k, seed 0: 0.903 (XLA on or off); the target leaves 2 points of margin.
    budgets={"smoke": {"iterations": 2, "n_train": 200, "n_test": 100}, "quick": {"iterations": 1000}, "full": {}},
    targets={"quick": {"test_accuracy": ">= 0.88"}},
)
def mnist_1layer(ctx):
    """Softmax regression y = softmax(xW + b) on MNIST with plain SGD (Day4 Section5, 分類1層)."""
    p = ctx.params
    x_train, y_train, x_test, y_test = _mnist(ctx, p["n_train"], p["n_test"], flat=True)
    tf, keras = ctx.keras()
    model = keras.Sequential(
        [
            keras.Input((784,)),
            # W ~ N(0, 0.01²), b = 0, as the course's tf.random_normal / tf.zeros.
            keras.layers.Dense(10, activation="softmax", kernel_initializer=keras.initializers.RandomNormal(stddev=0.01),
                               bias_initializer="zeros", name="softmax"),
        ],
        name="mnist_1layer",
    )
    # -Σ d·log y with one-hot d (the course) equals Keras's sparse cross-entropy on labels
    # (examples.mnist_keras shows the two agree).
    model.compile(optimizer=keras.optimizers.SGD(p["lr"]), loss="sparse_categorical_crossentropy", jit_compile=p["xla"])
    _fit_steps(ctx, model, x_train, y_train, iterations=p["iterations"], batch_size=p["batch_size"], label="SGD")
    ctx.metric("test_accuracy", _accuracy(model, x_test, y_test))
    if ctx.budget == "quick" and p["iterations"] != 100:
        ctx.note(f"quick runs {p['iterations']} steps; the course's 100 steps (--budget full) see only 10,000 images")


_OPTIMIZERS_3LAYER = ("adam", "momentum")


@exercise(
    "examples.mnist_3layer",
    title="MNIST with three layers: Adam vs Momentum (TensorFlow example)",
    title_ja="分類3層 (mnist): Adam と Momentum",
    section=SECTION,
    data=("mnist", "mnist5k"),
    tags=("keras", "mnist", "tensorflow1", "optimizers"),
    params={
        "iterations": Param(int, 3000, min=1, help="steps per optimizer (course: 3000)"),
        "batch_size": Param(int, 100, min=1, help="images per step (course: 100)"),
        "hidden1": Param(int, 600, min=1, help="first hidden layer (course: 600)"),
        "hidden2": Param(int, 300, min=1, help="second hidden layer (course: 300)"),
        "dropout_rate": Param(float, 0.5, min=0.0, max=0.95, help="dropout after the second layer (course: 0.5)"),
        "adam_lr": Param(float, 1e-4, min=0.0, min_inclusive=False, help="Adam learning rate (course: 1e-4)"),
        "momentum_lr": Param(float, 0.1, min=0.0, min_inclusive=False, help="Momentum learning rate (course: 0.1)"),
        "momentum": Param(float, 0.9, min=0.0, max=0.999, help="momentum (course: 0.9)"),
        "n_train": Param(int, 60000, min=10, help="training images (at most what the data set has)"),
        "n_test": Param(int, 10000, min=10, help="test images (at most what the data set has)"),
        "xla": Param(bool, XLA_MLP, help="compile the train step with XLA (measured faster for MLPs on CPU)"),
    },
    # quick runs the course's own 3,000 steps per optimizer (measured on mnist5k, seed 0: Adam 0.910,
    # Momentum 0.922; at 1,200 steps Adam 1e-4 had only reached 0.846). Targets leave 2–3 points of margin.
    budgets={"smoke": {"iterations": 2, "n_train": 200, "n_test": 100}, "quick": {}, "full": {}},
    targets={"quick": {"test_accuracy_adam": ">= 0.88", "test_accuracy_momentum": ">= 0.88"}},
)
def mnist_3layer(ctx):
    """784-600-300-10 sigmoid network with dropout, trained once with Adam and once with Momentum (Day4 Section5, 分類3層)."""
    p = ctx.params
    x_train, y_train, x_test, y_test = _mnist(ctx, p["n_train"], p["n_test"], flat=True)
    tf, keras = ctx.keras()

    def build(name):
        init = keras.initializers.RandomNormal(stddev=0.01)  # the course's tf.random_normal(stddev=0.01); biases 0
        return keras.Sequential(
            [
                keras.Input((784,)),
                keras.layers.Dense(p["hidden1"], activation="sigmoid", kernel_initializer=init, name=f"{name}_hidden1"),
                keras.layers.Dense(p["hidden2"], activation="sigmoid", kernel_initializer=init, name=f"{name}_hidden2"),
                keras.layers.Dropout(p["dropout_rate"], name=f"{name}_dropout"),
                keras.layers.Dense(10, activation="softmax", kernel_initializer=init, name=f"{name}_softmax"),
            ],
            name=name,
        )

    optimizers = {
        "adam": (lambda: keras.optimizers.Adam(p["adam_lr"]), f"lr {p['adam_lr']:g}"),
        # tf.train.MomentumOptimizer(lr, m): v = m·v + g, w -= lr·v; Keras SGD(momentum=m) is the same update.
        "momentum": (lambda: keras.optimizers.SGD(p["momentum_lr"], momentum=p["momentum"]),
                     f"lr {p['momentum_lr']:g}, momentum {p['momentum']:g}"),
    }
    rows = []
    for name in _OPTIMIZERS_3LAYER:
        make, settings = optimizers[name]
        keras.utils.set_random_seed(ctx.seed)  # both optimizers start from the same weights
        model = build(f"mlp_{name}")
        model.compile(optimizer=make(), loss="sparse_categorical_crossentropy", jit_compile=p["xla"])
        _fit_steps(ctx, model, x_train, y_train, iterations=p["iterations"], batch_size=p["batch_size"],
                   label=name, run=name)
        acc = _accuracy(model, x_test, y_test)
        ctx.metric(f"test_accuracy_{name}", acc)
        rows.append([name, settings, p["iterations"], round(acc, 4)])
    ctx.table("Optimizers on the 3-layer network", ["optimizer", "settings", "steps", "test accuracy"], rows)
    ctx.note("Sigmoid layers with N(0, 0.01²) weights start almost flat; Adam moves each weight by about its "
             "learning rate (1e-4) per step, Momentum by up to lr/(1 - momentum) times the gradient.")


@exercise(
    "examples.mnist_cnn",
    title="MNIST CNN with and without dropout (TensorFlow example)",
    title_ja="分類CNN (mnist): dropout_rate 0 と 0.5",
    section=SECTION,
    data=("mnist", "mnist5k"),
    tags=("keras", "mnist", "cnn", "tensorflow1", "dropout"),
    params={
        "iterations": Param(int, 300, min=1, help="Adam steps per model (course: 300)"),
        "batch_size": Param(int, 100, min=1, help="images per step (course: 100)"),
        "dropout_rate": Param(float, 0.5, min=0.0, max=0.95, help="dropout before the output layer (course: 0.5; try 0)"),
        "lr": Param(float, 1e-4, min=0.0, min_inclusive=False, help="Adam learning rate (course: 1e-4)"),
        "n_train": Param(int, 60000, min=10, help="training images (at most what the data set has)"),
        "n_test": Param(int, 10000, min=10, help="test images (at most what the data set has)"),
        "xla": Param(bool, XLA_CNN, help="compile the train step with XLA (measured slower for this CNN on CPU)"),
    },
    # quick keeps the course's 300 steps of 100 images but uses Adam's usual lr 1e-3: at the course's
    # 1e-4 the network is still far from converged after 300 steps (measured on mnist5k with lr 1e-3:
    # dropout 0 → 0.973, dropout 0.5 → 0.977; 200 steps of 50 images fell short at 0.961/0.967).
    budgets={
        "smoke": {"iterations": 2, "n_train": 200, "n_test": 100, "batch_size": 20},
        "quick": {"lr": 1e-3},
        "full": {},
    },
    targets={"quick": {"test_accuracy": ">= 0.97"}},
)
def mnist_cnn(ctx):
    """conv-relu-pool ×2, 1024-unit dense, dropout, softmax; trained with dropout 0 and with dropout_rate (Day4 Section5, 分類CNN)."""
    p = ctx.params
    x_train, y_train, x_test, y_test = _mnist(ctx, p["n_train"], p["n_test"], flat=False)
    tf, keras = ctx.keras()
    layers = keras.layers

    def build(rate, name):
        # tf.truncated_normal(stddev=0.1) weights and tf.constant(0.1) biases, 'SAME' padding, 2×2 max pools.
        w = keras.initializers.TruncatedNormal(stddev=0.1)
        b = keras.initializers.Constant(0.1)
        return keras.Sequential(
            [
                keras.Input((28, 28, 1)),
                layers.Conv2D(32, 5, padding="same", activation="relu", kernel_initializer=w, bias_initializer=b, name=f"{name}_conv1"),
                layers.MaxPooling2D(2, padding="same", name=f"{name}_pool1"),
                layers.Conv2D(64, 5, padding="same", activation="relu", kernel_initializer=w, bias_initializer=b, name=f"{name}_conv2"),
                layers.MaxPooling2D(2, padding="same", name=f"{name}_pool2"),
                layers.Flatten(name=f"{name}_flatten"),
                layers.Dense(1024, activation="relu", kernel_initializer=w, bias_initializer=b, name=f"{name}_fc1"),
                layers.Dropout(rate, name=f"{name}_dropout"),
                layers.Dense(10, activation="softmax", kernel_initializer=w, bias_initializer=b, name=f"{name}_fc2"),
            ],
            name=name,
        )

    rows = []
    rates = [0.0] + ([p["dropout_rate"]] if p["dropout_rate"] != 0.0 else [])
    for rate in rates:
        keras.utils.set_random_seed(ctx.seed)  # same initial weights and batches for both rates
        run = f"dropout {rate:g}"
        model = build(rate, f"cnn_dropout{int(round(rate * 100))}")
        model.compile(optimizer=keras.optimizers.Adam(p["lr"]), loss="sparse_categorical_crossentropy", jit_compile=p["xla"])
        _fit_steps(ctx, model, x_train, y_train, iterations=p["iterations"], batch_size=p["batch_size"], label=run, run=run)
        acc = _accuracy(model, x_test, y_test)
        rows.append([rate, p["iterations"], round(acc, 4)])
        if rate == 0.0:
            ctx.metric("test_accuracy_no_dropout", acc)
        if rate == p["dropout_rate"]:
            ctx.metric("test_accuracy", acc, note=f"dropout_rate {rate:g}")
    ctx.table("Dropout on the CNN", ["dropout_rate", "steps", "test accuracy"], rows)
    ctx.note("The course sums the cross-entropy over the batch (tf.reduce_sum); Keras averages it. Adam's update is "
             "almost invariant to that constant factor, so the mean is used.")
    ctx.note("The course prints accuracy on the current training batch; dlx reports held-out test accuracy.")


# --------------------------------------------------------------------------- Keras examples
_GATES = {
    "or": (0, 1, 1, 1),
    "and": (0, 0, 0, 1),
    "xor": (0, 1, 1, 0),
}


@exercise(
    "examples.or_perceptron",
    title="A single sigmoid unit learns OR (Keras example)",
    title_ja="単純パーセプトロン (OR回路)",
    section=SECTION,
    tags=("keras", "perceptron"),
    params={
        "gate": Param(str, "or", choices=tuple(_GATES), help="truth table to learn (course: OR; try AND and XOR)"),
        "epochs": Param(int, 30, min=1, help="passes over the 4 inputs (course: 30; its try: 100)"),
        "batch_size": Param(int, 1, min=1, help="inputs per step (course: 1; its try 10 fails at 30 epochs)"),
        "lr": Param(float, 0.1, min=0.0, min_inclusive=False, help="SGD learning rate (course: 0.1)"),
    },
    # quick runs the course's [try] of 100 epochs: at its default 30 the course itself gets 3 of 4 (seed 1).
    budgets={"smoke": {"epochs": 1}, "quick": {"epochs": 100}, "full": {}},
    targets={"quick": {"correct": ">= 4"}},
    course={"correct": (4, "Day4 Section5 Keras, OR [try]: epochs 100 → True, True, True, True (30 epochs with seed 1: 3 of 4)")},
)
def or_perceptron(ctx):
    """Dense(1) + sigmoid with binary cross-entropy learns a 2-input gate (Day4 Section5, 単純パーセプトロン)."""
    p = ctx.params
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    t = np.array(_GATES[p["gate"]], dtype=np.float32)[:, None]
    ctx.record_data(DataUsage(name=f"{p['gate']}_truth_table", source="generated by dlx", sizes={"train": 4}))
    tf, keras = ctx.keras()
    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid", name="perceptron")], name="perceptron"
    )
    _fit_epochs(ctx, model, x, t, epochs=p["epochs"], batch_size=p["batch_size"], label="SGD",
                compile_kwargs={"optimizer": keras.optimizers.SGD(p["lr"]), "loss": "binary_crossentropy"})
    prob = model.predict(x, verbose=0)[:, 0]
    pred = (prob > 0.5).astype(int)
    correct = int(np.sum(pred == t[:, 0]))
    ctx.metric("correct", correct, note="of 4 inputs")
    kernel, bias = model.get_layer("perceptron").get_weights()
    ctx.metric("weights", [round(float(v), 4) for v in (*kernel[:, 0], bias[0])], note="w1, w2, b")
    ctx.table(
        f"{p['gate'].upper()} truth table",
        ["x1", "x2", "target", "sigmoid output", "predicted", "correct"],
        [[int(a), int(b), int(tt), round(float(pr), 4), int(pd), bool(pd == tt)]
         for (a, b), tt, pr, pd in zip(x, t[:, 0], prob, pred)],
    )
    if p["gate"] == "xor":
        ctx.note("XOR is not linearly separable: one unit cannot get all 4 right, whatever the epochs.")


_ACTIVATIONS_IRIS = ("relu", "sigmoid")


@exercise(
    "examples.iris",
    title="Iris with a 12-unit hidden layer: ReLU vs sigmoid (Keras example)",
    title_ja="分類 (iris): ReLU と sigmoid",
    section=SECTION,
    data=("iris",),
    tags=("keras", "iris", "activations"),
    params={
        "hidden": Param(int, 12, min=1, help="hidden units (course: 12)"),
        "lr": Param(float, 0.1, min=0.0, min_inclusive=False, help="SGD learning rate (course's try: SGD(lr=0.1))"),
        "batch_size": Param(int, 5, min=1, help="samples per step (course: 5)"),
        "epochs": Param(int, 20, min=1, help="epochs (course: 20)"),
    },
    # quick trains 100 epochs: at the course's 20, SGD(0.1) on the raw features has not settled
    # (measured: ReLU 0.87–0.97 test accuracy over seeds 0–3; 100 epochs: 0.97–1.0 over seeds 0–5).
    budgets={"smoke": {"epochs": 1}, "quick": {"epochs": 100}, "full": {}},
    targets={"quick": {"test_accuracy_relu": ">= 0.93", "test_accuracy_sigmoid": ">= 0.93"}},
)
def iris(ctx):
    """4-12-3 network on iris (raw features, 80/20 split), hidden ReLU and hidden sigmoid, SGD (Day4 Section5, 分類 iris)."""
    p = ctx.params
    data = ctx.load_data("iris")
    tf, keras = ctx.keras()
    rows = []
    for act in _ACTIVATIONS_IRIS:
        keras.utils.set_random_seed(ctx.seed)  # same initial weights for both activations
        model = keras.Sequential(
            [
                keras.Input((4,)),
                keras.layers.Dense(p["hidden"], activation=act, name=f"iris_{act}_hidden"),
                keras.layers.Dense(3, activation="softmax", name=f"iris_{act}_softmax"),
            ],
            name=f"iris_{act}",
        )
        _fit_epochs(ctx, model, data.x_train, data.y_train, epochs=p["epochs"], batch_size=p["batch_size"],
                    label=act, run=act,
                    compile_kwargs={"optimizer": keras.optimizers.SGD(p["lr"]), "loss": "sparse_categorical_crossentropy"})
        train_acc = _accuracy(model, data.x_train, data.y_train)
        acc = _accuracy(model, data.x_test, data.y_test)
        ctx.metric(f"test_accuracy_{act}", acc)
        rows.append([act, round(train_acc, 4), round(acc, 4)])
    ctx.table("Hidden-layer activation", ["activation", "train accuracy", "test accuracy"], rows)
    ctx.note(f"{len(data.y_test)} test flowers: one mistake costs {1 / len(data.y_test):.3f} of accuracy.")


_LOSSES_MNIST = (("sparse", "sparse_categorical_crossentropy"), ("categorical", "categorical_crossentropy"))


@exercise(
    "examples.mnist_keras",
    title="MNIST MLP: sparse vs one-hot categorical cross-entropy (Keras example)",
    title_ja="分類 (mnist): sparse_categorical_crossentropy と categorical_crossentropy",
    section=SECTION,
    data=("mnist", "mnist5k"),
    tags=("keras", "mnist", "losses"),
    params={
        "epochs": Param(int, 20, min=1, help="epochs (course: 20)"),
        "batch_size": Param(int, 128, min=1, help="images per step (course: 128)"),
        "lr": Param(float, 0.01, min=0.0, min_inclusive=False, help="Adam learning rate (course: 0.001, try 0.01)"),
        "n_train": Param(int, 60000, min=10, help="training images (at most what the data set has)"),
        "n_test": Param(int, 10000, min=10, help="test images (at most what the data set has)"),
        "xla": Param(bool, XLA_MLP, help="compile the train step with XLA (measured faster for MLPs on CPU)"),
    },
    # The syllabus target. Measured on mnist5k (4,000 training images), 20 epochs: lr 0.01 gives 0.943,
    # 0.935, 0.932 (seeds 0–2) and the course's default lr 0.001 gives 0.952, 0.947, 0.947, so this MLP
    # does not reliably reach 0.95 on 4,000 images; the target is kept (not lowered) and reported missed.
    budgets={"smoke": {"epochs": 1, "n_train": 256, "n_test": 100}, "quick": {"n_train": 4000, "n_test": 1000}, "full": {}},
    targets={"quick": {"test_accuracy_sparse": ">= 0.95", "test_accuracy_categorical": ">= 0.95"}},
)
def mnist_keras(ctx):
    """784-512-512-10 ReLU MLP with dropout 0.2 and Adam, once on integer labels and once on one-hot labels (Day4 Section5)."""
    p = ctx.params
    x_train, y_train, x_test, y_test = _mnist(ctx, p["n_train"], p["n_test"], flat=True)
    tf, keras = ctx.keras()
    targets = {"sparse": y_train, "categorical": np.eye(10, dtype=np.float32)[y_train]}
    rows = []
    for kind, loss in _LOSSES_MNIST:
        keras.utils.set_random_seed(ctx.seed)  # same weights, dropout masks and batches for both losses
        model = keras.Sequential(
            [
                keras.Input((784,)),
                keras.layers.Dense(512, activation="relu", name=f"mlp_{kind}_dense1"),
                keras.layers.Dropout(0.2, name=f"mlp_{kind}_dropout1"),
                keras.layers.Dense(512, activation="relu", name=f"mlp_{kind}_dense2"),
                keras.layers.Dropout(0.2, name=f"mlp_{kind}_dropout2"),
                keras.layers.Dense(10, activation="softmax", name=f"mlp_{kind}_softmax"),
            ],
            name=f"mlp_{kind}",
        )
        model.compile(optimizer=keras.optimizers.Adam(p["lr"]), loss=loss, jit_compile=p["xla"])
        with ctx.training():
            history = model.fit(x_train, targets[kind], batch_size=p["batch_size"], epochs=p["epochs"], verbose=0,
                                callbacks=ctx.callbacks(epochs=p["epochs"], label=kind, run=kind))
        acc = _accuracy(model, x_test, y_test)
        ctx.metric(f"test_accuracy_{kind}", acc)
        rows.append([loss, "integer" if kind == "sparse" else "one-hot", round(float(history.history["loss"][0]), 4), round(acc, 4)])
    ctx.table("Loss functions", ["loss", "labels", "first-epoch loss", "test accuracy"], rows)
    ctx.note("Both losses compute -log y[label]; they differ only in how the label is given. Training on one-hot "
             "labels with sparse_categorical_crossentropy (or integers with categorical) is the course's 'error' try.")


@exercise(
    "examples.rnn_addition",
    title="SimpleRNN learns 8-bit binary addition (Keras example)",
    title_ja="RNN: 2進数足し算の予測 (Keras)",
    section=SECTION,
    data=("binary_addition",),
    tags=("keras", "rnn"),
    params={
        "units": Param(int, 16, min=1, help="RNN units (course: 16; try 128)"),
        "activation": Param(str, "relu", choices=("relu", "tanh", "sigmoid"), help="RNN activation (course: relu)"),
        "optimizer": Param(str, "sgd", choices=("sgd", "adam"), help="course: SGD; try adam"),
        "lr": Param(float, 0.1, min=0.0, min_inclusive=False, help="learning rate (course: SGD lr 0.1)"),
        "epochs": Param(int, 5, min=1, help="epochs (course: 5)"),
        "batch_size": Param(int, 2, min=1, help="sequences per step (course: 2)"),
        "n_train": Param(int, 10000, min=1, help="training sums (course: 10,000)"),
        "n_test": Param(int, 1000, min=1, help="held-out sums (pairs never seen in training)"),
    },
    # quick uses the course's [try] "最適化方法をadamに変更" (Adam, lr 0.01) with batches of 16 and 10 epochs:
    # the notebook's SGD(0.1), batch 2, 5 epochs (full) is 25,000 steps and a ReLU RNN trained so sometimes
    # stalls (measured: seed 0 all sums exact, seed 1 only 0.56); the quick settings got 1.0 on seeds 0–3.
    budgets={
        "smoke": {"epochs": 1, "n_train": 64, "n_test": 50, "batch_size": 16},
        "quick": {"optimizer": "adam", "lr": 0.01, "batch_size": 16, "epochs": 10},
        "full": {},
    },
    targets={"quick": {"exact_sums": ">= 0.99"}},
)
def rnn_addition(ctx):
    """SimpleRNN(16, relu) + Dense(1, sigmoid) on bit sequences, MSE and SGD as the course's Keras notebook (Day4 Section5)."""
    from ..datasets.binary_addition import bits_to_int

    p = ctx.params
    data = ctx.load_data("binary_addition", n_train=p["n_train"], n_test=p["n_test"])
    tf, keras = ctx.keras()
    binary_dim = data.x_train.shape[1]
    model = keras.Sequential(
        [
            keras.Input((binary_dim, 2)),
            keras.layers.SimpleRNN(p["units"], activation=p["activation"], return_sequences=True, name="rnn"),
            keras.layers.Dense(1, activation="sigmoid", name="bit"),
        ],
        name="binary_adder",
    )
    opt = keras.optimizers.SGD(p["lr"]) if p["optimizer"] == "sgd" else keras.optimizers.Adam(p["lr"])
    _fit_epochs(ctx, model, data.x_train, data.y_train, epochs=p["epochs"], batch_size=p["batch_size"],
                label=p["optimizer"], compile_kwargs={"optimizer": opt, "loss": "mean_squared_error"})
    bits = (model.predict(data.x_test, batch_size=1000, verbose=0) > 0.5).astype(np.int64)
    predicted = bits_to_int(bits)
    truth = data.extra["a_test"] + data.extra["b_test"]
    ctx.metric("exact_sums", float(np.mean(predicted == truth)), note="held-out sums with every bit right")
    ctx.metric("bit_accuracy", float(np.mean(bits == data.y_test.astype(np.int64))), note="Keras's 'accuracy' in the course")
    show = min(5, len(truth))
    ctx.table(
        "Held-out sums",
        ["a", "b", "a + b", "predicted"],
        [[int(a), int(b), int(s), int(q)] for a, b, s, q in
         zip(data.extra["a_test"][:show], data.extra["b_test"][:show], truth[:show], predicted[:show])],
    )
    ctx.note("The course's test pairs may repeat training pairs; dlx holds out each test pair and its mirror.")
