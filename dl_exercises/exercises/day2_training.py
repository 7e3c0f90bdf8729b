"""Day 2 training techniques: vanishing gradients, batch normalization, optimizers, overfitting.

Day2 Section1–3 of the course (勾配消失問題, 学習率最適化手法, 過学習). Each
exercise trains the course's from-scratch ``MultiLayerNet`` (numpy back-prop,
``dl_exercises.scratch``) and the same network in Keras on the same mini-batches
(the course draws each batch with ``np.random.choice(train_size, batch_size)``,
i.e. with replacement), and puts the results beside the course's figures.
The bench suites ``optimizers``, ``init`` and ``regularization`` present the
same runs (``dl_exercises/bench``). TensorFlow, Keras and matplotlib are
imported inside functions only.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..registry import Param, exercise

# --- shared helpers ---------------------------------------------------------------------------


def load_flat_mnist(ctx, n_train: int, n_test: int):
    """MNIST (or its offline fallback) as flat float32 rows; returns ``(x_train, y_train, x_test, y_test, usage)``."""
    data = ctx.load_data("mnist", n_train=n_train, n_test=n_test)
    flat = lambda x: np.asarray(x, dtype=np.float32).reshape(len(x), -1)  # noqa: E731
    return flat(data.x_train), np.asarray(data.y_train), flat(data.x_test), np.asarray(data.y_test), data.usage


def describe_data(usage) -> str:
    """'mnist5k (fallback for mnist): 4000 train / 1000 test' for table titles."""
    note = f" ({usage.note})" if usage.note else ""
    return f"{usage.name}{note}: {usage.sizes.get('train', '?')} train / {usage.sizes.get('test', '?')} test"


def batch_schedule(n_train: int, batch_size: int, iters: int, seed: int) -> np.ndarray:
    """Indices of every mini-batch, shape (iters, batch_size), drawn with replacement as the course does."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, n_train, size=(iters, batch_size))


def eval_points(iters: int, n_points: int | None = None) -> list[int]:
    """Iterations (1-based) after which test accuracy is recorded: every k-th, k dividing ``iters``, up to 20 points."""
    n_points = n_points or min(20, max(2, iters // 10))
    every = max(d for d in range(1, max(1, iters // n_points) + 1) if iters % d == 0)
    return list(range(every, iters + 1, every))


def train_numpy(ctx, net, optimizer, data, schedule, label: str) -> dict[str, Any]:
    """Train a scratch ``MultiLayerNet`` on the given batches; returns accuracies, loss and curve.

    Args:
        data: (x_train, y_train, x_test, y_test).
        schedule: batch indices, shape (iters, batch_size).
    Returns:
        dict with train_acc, test_acc, loss (last batch), time_s, curve [(iteration, test_acc)].
    """
    from threadpoolctl import threadpool_limits

    x_train, y_train, x_test, y_test = data
    points = set(eval_points(len(schedule)))
    curve = []
    loss = float("nan")
    start = time.perf_counter()
    # One BLAS thread: these matrices are small, and on a busy 2-core machine a second
    # OpenBLAS thread made the loop about 30x slower (measured: 300 Adam steps 27.7 s vs 0.8 s).
    with ctx.training(), threadpool_limits(limits=1):
        for i in ctx.progress(range(len(schedule)), f"numpy {label}"):
            idx = schedule[i]
            loss, grads = net.gradient(x_train[idx], y_train[idx])
            ctx.check_finite(loss, f"in numpy {label} at iteration {i + 1}")
            optimizer.update(net.params, grads)
            if i + 1 in points:
                acc = net.accuracy(x_test, y_test)
                curve.append((i + 1, acc))
                ctx.log(run=f"numpy {label}", iteration=i + 1, loss=float(loss), test_accuracy=acc)
    elapsed = time.perf_counter() - start
    return {
        "train_acc": net.accuracy(x_train, y_train),
        "test_acc": curve[-1][1],
        "loss": float(loss),
        "time_s": elapsed,
        "curve": curve,
    }


def build_keras_mlp(
    keras,
    sizes: list[int],
    activation: str,
    kernel_initializer="glorot_uniform",
    use_batchnorm: bool = False,
    bn_momentum: float = 0.9,
    bn_eps: float = 1e-6,
    dropout: float = 0.0,
    weight_decay: float = 0.0,
    weight_decay_kind: str = "l2",
    name: str = "mlp",
):
    """The Keras twin of ``MultiLayerNet``: Dense → [BatchNormalization] → activation → [Dropout] …, logits out.

    Weight decay λ: L2 as ``regularizers.L2(λ/2)`` (penalty λ/2·ΣW², gradient λW), L1 as ``L1(λ)``.
    """
    reg = None
    if weight_decay:
        reg = keras.regularizers.L2(weight_decay / 2.0) if weight_decay_kind == "l2" else keras.regularizers.L1(weight_decay)
    layers = [keras.Input((sizes[0],), name=f"{name}_input")]
    for i, width in enumerate(sizes[1:], start=1):
        last = i == len(sizes) - 1
        init = kernel_initializer if isinstance(kernel_initializer, str) else keras.initializers.get(kernel_initializer)
        layers.append(keras.layers.Dense(width, kernel_initializer=init, kernel_regularizer=reg, name=f"{name}_affine{i}"))
        if last:
            break
        if use_batchnorm:
            layers.append(keras.layers.BatchNormalization(momentum=bn_momentum, epsilon=bn_eps, name=f"{name}_bn{i}"))
        layers.append(keras.layers.Activation(activation, name=f"{name}_{activation}{i}"))
        if dropout:
            layers.append(keras.layers.Dropout(dropout, name=f"{name}_dropout{i}"))
    return keras.Sequential(layers, name=name)


def copy_weights_to_keras(net, model) -> None:
    """Give the Keras twin the scratch net's current W, b (and γ, β) so both start identical."""
    dense = [l for l in model.layers if l.__class__.__name__ == "Dense"]
    for i, layer in enumerate(dense, start=1):
        layer.set_weights([net.params[f"W{i}"], net.params[f"b{i}"]])
    norms = [l for l in model.layers if l.__class__.__name__ == "BatchNormalization"]
    for i, layer in enumerate(norms, start=1):
        gamma, beta, mean, var = layer.get_weights()
        layer.set_weights([net.params[f"gamma{i}"], net.params[f"beta{i}"], mean, var])


def keras_optimizer(keras, name: str, lr: float, momentum: float = 0.9, decay_rate: float = 0.99,
                    beta1: float = 0.9, beta2: float = 0.999):
    """The Keras optimizer nearest to the course's rule ``name`` (see ``scratch.optimizers`` for the differences)."""
    key = name.lower()
    if key == "sgd":
        return keras.optimizers.SGD(lr)
    if key == "momentum":
        return keras.optimizers.SGD(lr, momentum=momentum)
    if key == "adagrad":
        return keras.optimizers.Adagrad(lr, initial_accumulator_value=0.0, epsilon=1e-7)
    if key == "rmsprop":
        return keras.optimizers.RMSprop(lr, rho=decay_rate, epsilon=1e-7)
    if key == "adam":
        return keras.optimizers.Adam(lr, beta_1=beta1, beta_2=beta2, epsilon=1e-7)
    raise ValueError(f"keras_optimizer: unknown optimizer, Received: name={name!r}")


def train_keras(ctx, model, optimizer, data, schedule, label: str) -> dict[str, Any]:
    """Train a Keras model on exactly the batches of ``schedule`` (in order); same dict as ``train_numpy``."""
    tf, keras = ctx.keras()
    x_train, y_train, x_test, y_test = data
    model.compile(
        optimizer=optimizer,
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    points = eval_points(len(schedule))
    every = points[0]
    xs, ys = tf.constant(x_train), tf.constant(y_train)
    ds = tf.data.Dataset.from_tensor_slices(schedule.astype(np.int32))
    ds = ds.map(lambda i: (tf.gather(xs, i), tf.gather(ys, i))).prefetch(4)
    start = time.perf_counter()
    with ctx.training():
        # steps_per_epoch makes Keras continue one iterator across epochs: batch k is schedule[k].
        history = model.fit(
            ds, epochs=len(points), steps_per_epoch=every, verbose=0, shuffle=False,
            validation_data=(x_test, y_test), validation_batch_size=2000,
            callbacks=ctx.callbacks(epochs=len(points), label=f"keras {label}", run=f"keras {label}"),
        )
    elapsed = time.perf_counter() - start
    losses = history.history["loss"]
    ctx.check_finite(losses[-1], f"in keras {label}")
    curve = [(it, float(a)) for it, a in zip(points, history.history["val_accuracy"])]
    train_acc = float(model.evaluate(x_train, y_train, batch_size=2000, verbose=0, return_dict=True)["accuracy"])
    return {"train_acc": train_acc, "test_acc": curve[-1][1], "loss": float(losses[-1]), "time_s": elapsed, "curve": curve}


def _r(x: float, digits: int = 4) -> float:
    return round(float(x), digits)


def _secs(x: float) -> str:
    return f"{x:.1f}"


def _course(value) -> Any:
    return "—" if value is None else value


# --- day2.vanishing_gradient / bench init ------------------------------------------------------

INIT_GRID = (("sigmoid", "gaussian"), ("relu", "gaussian"), ("sigmoid", "xavier"), ("relu", "he"), ("relu", "xavier"), ("sigmoid", "he"))
INIT_COURSE = {
    ("sigmoid", "gaussian"): 0.1135,
    ("relu", "gaussian"): 0.9258,
    ("sigmoid", "xavier"): 0.8762,
    ("relu", "he"): 0.9523,
    ("relu", "xavier"): 0.9502,
}
TIE_TOLERANCE = 0.01  # ≈ one standard error of an accuracy near 0.93 on 1,000 test images

INIT_PARAMS = {
    "iters": Param(int, 2000, min=1, help="SGD iterations (course: 2000)"),
    "batch_size": Param(int, 100, min=1, help="mini-batch size (course: 100)"),
    "lr": Param(float, 0.1, min=0.0, min_inclusive=False, help="SGD learning rate (course: 0.1)"),
    "gaussian_std": Param(float, 0.01, min=0.0, min_inclusive=False, help="std of the 'Gaussian' initialisation"),
    "n_train": Param(int, 60000, min=10, help="training images (all available when larger)"),
    "n_test": Param(int, 10000, min=10, help="test images (all available when larger)"),
    "keras": Param(bool, True, help="also train the Keras twin"),
    "hist_layers": Param(int, 5, min=1, max=10, help="hidden layers (width 100) of the activation-histogram net"),
}
INIT_BUDGETS = {
    "smoke": {"iters": 20, "n_train": 500, "n_test": 200, "hist_layers": 2},
    "quick": {"iters": 2000, "n_test": 1000},
    "full": {"iters": 2000},
}
INIT_TARGETS = {"quick": {"test_accuracy_sigmoid_gaussian": "<= 0.2", "relu_he_shortfall": "<= 0.01"}}
INIT_COURSE_FIGURES = {
    f"test_accuracy_{a}_{i}": (v, f"Day2 Section1 実装演習 (2_2_2), {a}+{i}, 2000 iterations of batch 100")
    for (a, i), v in INIT_COURSE.items()
}


def run_init_grid(ctx) -> None:
    """Activation × initialisation grid on MNIST with [40, 20] hidden units, numpy and Keras (Day2 Section1)."""
    from ..scratch.init import keras_initializer_config
    from ..scratch.multilayer_net import MultiLayerNet
    from ..scratch.optimizers import SGD

    p = ctx.params
    *arrays, usage = load_flat_mnist(ctx, p["n_train"], p["n_test"])
    data = tuple(arrays)
    schedule = batch_schedule(len(data[0]), p["batch_size"], p["iters"], ctx.seed)
    sizes = [data[0].shape[1], 40, 20, 10]
    rows, results = [], {}
    for act, init in INIT_GRID:
        tag = f"{act}_{init}"
        net = MultiLayerNet(sizes[0], sizes[1:-1], sizes[-1], activation=act, weight_init_std=init,
                            gaussian_std=p["gaussian_std"], seed=ctx.seed, dtype=np.float32)
        res = train_numpy(ctx, net, SGD(p["lr"]), data, schedule, f"{act}+{init}")
        kres = None
        if p["keras"]:
            _, keras = ctx.keras()
            init_cfg = keras.initializers.get(keras_initializer_config(init, p["gaussian_std"]))
            model = build_keras_mlp(keras, sizes, act, kernel_initializer=init_cfg, name=f"{act}_{init}")
            kres = train_keras(ctx, model, keras.optimizers.SGD(p["lr"]), data, schedule, f"{act}+{init}")
        results[(act, init)] = (res, kres)
        ctx.metric(f"test_accuracy_{tag}", _r(res["test_acc"]))
        if kres:
            ctx.metric(f"keras_test_accuracy_{tag}", _r(kres["test_acc"]))
        rows.append([
            act, init, _r(res["train_acc"]), _r(res["test_acc"]),
            _r(kres["test_acc"]) if kres else "—",
            _secs(res["time_s"] + (kres["time_s"] if kres else 0.0)),
            _course(INIT_COURSE.get((act, init))),
        ])
    best = max(r[0]["test_acc"] for r in results.values())
    ctx.metric("relu_he_shortfall", _r(best - results[("relu", "he")][0]["test_acc"]),
               note=f"best numpy test accuracy minus ReLU+He's; 'tied' means <= {TIE_TOLERANCE}")
    title = (f"activation × initialisation, hidden [40, 20], SGD lr {p['lr']}, {p['iters']} iterations of batch "
             f"{p['batch_size']} ({ctx.budget} budget); data {describe_data(usage)}")
    ctx.table(title, ["activation", "init", "numpy train acc", "numpy test acc", "keras test acc", "time (s)", "course test acc"], rows)
    ctx.note("Gaussian = N(0, 0.01²); Xavier = N(0, 1/n) and He = N(0, 2/n) with n = fan-in, as in the course; the Keras "
             "twin draws its own weights with RandomNormal / VarianceScaling(fan_in, untruncated_normal) (not "
             "glorot_normal, which uses fan_in+fan_out and a truncated normal).")
    ctx.note("train acc is measured on the whole training set (the course printed the last mini-batch's accuracy).")
    _activation_histograms(ctx, data[2], p, usage)


def _activation_histograms(ctx, x, p, usage) -> None:
    """Per-layer activation statistics (and histograms with --out) of a deep net at initialisation."""
    from ..scratch.multilayer_net import MultiLayerNet

    x = x[:1000]
    depth = p["hist_layers"]
    rows, records = [], {}
    for act, init in INIT_GRID:
        net = MultiLayerNet(x.shape[1], [100] * depth, 10, activation=act, weight_init_std=init,
                            gaussian_std=p["gaussian_std"], seed=ctx.seed)
        record: list[np.ndarray] = []
        net.predict(x, train=False, record=record)
        records[(act, init)] = record
        rows.append([act, init, *[_r(a.std(), 4) for a in record]])
    ctx.table(f"std of each hidden layer's activations at initialisation ({depth} layers of 100, no training; "
              f"first {len(x)} test images of {usage.name})",
              ["activation", "init", *[f"layer {i + 1}" for i in range(depth)]], rows)
    if ctx.out is None:
        return
    plt = ctx.pyplot()
    fig, axes = plt.subplots(len(INIT_GRID), depth, figsize=(2.2 * depth, 1.8 * len(INIT_GRID)), squeeze=False)
    for r, key in enumerate(INIT_GRID):
        for c, acts in enumerate(records[key]):
            ax = axes[r][c]
            hi = 1.0 if key[0] == "sigmoid" else max(float(acts.max()), 1e-3)
            ax.hist(acts.ravel(), bins=30, range=(0.0, hi))
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f"layer {c + 1}", fontsize=8)
            if c == 0:
                ax.set_ylabel(f"{key[0]}\n{key[1]}", fontsize=8)
            ax.tick_params(labelsize=6)
    fig.suptitle("activation histograms at initialisation")
    ctx.save_figure(fig, "activation_histograms.png")


@exercise(
    "day2.vanishing_gradient",
    title="Vanishing gradients: activation × weight initialisation",
    title_ja="勾配消失問題: 活性化関数と重みの初期値",
    section="Day2 Section1",
    data=("mnist",),
    tags=("numpy", "keras", "bench:init"),
    params=INIT_PARAMS,
    budgets=INIT_BUDGETS,
    targets=INIT_TARGETS,
    course=INIT_COURSE_FIGURES,
)
def vanishing_gradient(ctx):
    """Sigmoid/ReLU × Gaussian 0.01/Xavier/He on MNIST, hidden [40, 20]: sigmoid+Gaussian stays at chance (Day2 Section1)."""
    run_init_grid(ctx)


# --- day2.optimizers / bench optimizers --------------------------------------------------------

OPTIMIZER_COURSE = {"SGD": None, "Momentum": 0.938, "AdaGrad": 0.9375, "RMSProp": 0.9408, "Adam": 0.9437}
OPT_PARAMS = {
    "iters": Param(int, 1000, min=1, help="iterations (course: 1000)"),
    "batch_size": Param(int, 100, min=1, help="mini-batch size (course: 100)"),
    "lr": Param(float, 0.01, min=0.0, min_inclusive=False, help="learning rate of every optimizer (course: 0.01)"),
    "momentum": Param(float, 0.9, min=0.0, max=0.999, help="Momentum's μ (course: 0.9)"),
    "decay_rate": Param(float, 0.99, min=0.0, max=0.9999, help="RMSProp's ρ (course: 0.99)"),
    "activation": Param(str, "relu", choices=("relu", "sigmoid")),
    "init": Param(str, "he", choices=("gaussian", "xavier", "he")),
    "n_train": Param(int, 60000, min=10, help="training images (all available when larger)"),
    "n_test": Param(int, 10000, min=10, help="test images (all available when larger)"),
    "keras": Param(bool, True, help="also train with Keras's optimizers"),
    "path_steps": Param(int, 30, min=1, help="steps of each optimizer on f(x, y) = x²/20 + y²"),
}
OPT_BUDGETS = {
    "smoke": {"iters": 10, "n_train": 500, "n_test": 200, "path_steps": 5},
    "quick": {"iters": 1000, "n_test": 1000},
    "full": {"iters": 1000},
}
OPT_TARGETS = {"quick": {"test_accuracy_adam": ">= 0.85"}}
OPT_COURSE_FIGURES = {
    f"test_accuracy_{k.lower()}": (v, f"Day2 Section2 実装演習 (2_4_optimizer), {k}, 1000 iterations")
    for k, v in OPTIMIZER_COURSE.items() if v is not None
}
#: Learning rates for the 2-D paths (a plain 0.01 barely moves on x²/20 + y² in 30 steps).
PATH_LR = {"SGD": 0.95, "Momentum": 0.1, "AdaGrad": 1.5, "RMSProp": 0.2, "Adam": 0.3}


def run_optimizer_comparison(ctx) -> None:
    """SGD, Momentum, AdaGrad, RMSProp, Adam on the same net and batches, numpy and Keras (Day2 Section2)."""
    from ..scratch.multilayer_net import MultiLayerNet
    from ..scratch.optimizers import OPTIMIZER_NAMES, make_optimizer

    p = ctx.params
    *arrays, usage = load_flat_mnist(ctx, p["n_train"], p["n_test"])
    data = tuple(arrays)
    schedule = batch_schedule(len(data[0]), p["batch_size"], p["iters"], ctx.seed)
    sizes = [data[0].shape[1], 40, 20, 10]
    extra = {"Momentum": {"momentum": p["momentum"]}, "RMSProp": {"decay_rate": p["decay_rate"]}}
    rows, curves = [], {}
    for name in OPTIMIZER_NAMES:
        net = MultiLayerNet(sizes[0], sizes[1:-1], sizes[-1], activation=p["activation"], weight_init_std=p["init"],
                            seed=ctx.seed, dtype=np.float32)
        kmodel = None
        if p["keras"]:
            _, keras = ctx.keras()
            kmodel = build_keras_mlp(keras, sizes, p["activation"], name=f"mlp_{name.lower()}")
            copy_weights_to_keras(net, kmodel)  # identical starting weights
        res = train_numpy(ctx, net, make_optimizer(name, p["lr"], **extra.get(name, {})), data, schedule, name)
        curves[("numpy", name)] = res["curve"]
        ctx.metric(f"test_accuracy_{name.lower()}", _r(res["test_acc"]))
        rows.append([name, "numpy", _r(res["train_acc"]), _r(res["test_acc"]), _secs(res["time_s"]),
                     _course(OPTIMIZER_COURSE[name])])
        if kmodel is not None:
            kopt = keras_optimizer(keras, name, p["lr"], momentum=p["momentum"], decay_rate=p["decay_rate"])
            kres = train_keras(ctx, kmodel, kopt, data, schedule, name)
            curves[("keras", name)] = kres["curve"]
            ctx.metric(f"keras_test_accuracy_{name.lower()}", _r(kres["test_acc"]))
            rows.append([name, "keras", _r(kres["train_acc"]), _r(kres["test_acc"]),
                         _secs(kres["time_s"]), _course(OPTIMIZER_COURSE[name])])
    title = (f"optimizers on MNIST, hidden [40, 20] {p['activation']}+{p['init']}, lr {p['lr']}, {p['iters']} iterations "
             f"of batch {p['batch_size']} ({ctx.budget} budget); data {describe_data(usage)}")
    ctx.table(title, ["optimizer", "impl", "final train acc", "test acc", "time (s)", "course test acc"], rows)
    ctx.note("numpy = the course's update rules (scratch.optimizers); keras = keras.optimizers SGD, SGD(momentum), "
             "Adagrad(initial_accumulator_value=0), RMSprop(rho) and Adam, all with epsilon 1e-7.")
    ctx.note("numpy and Keras start from the same weights and see the same batches; Keras's Adagrad/RMSprop put epsilon "
             "inside the square root (√(h+ε)) where the course adds 1e-7 outside (√h+ε); SGD, momentum and Adam follow "
             "the same formulas (see tests/test_scratch_optimizers.py).")
    ctx.note("Where the formulas agree the two runs still drift apart slowly: float32 arithmetic in a different order, "
             "and Keras casts Python-float hyperparameters through float32 (0.999 → 0.99900001 in Adam's bias correction).")
    ctx.note("The course report does not say which activation/initialisation gave its figures (the notebook's default "
             "is sigmoid + Gaussian 0.01); dlx uses ReLU + He by default (--set activation=sigmoid --set init=gaussian "
             "for the notebook default).")
    _optimizer_figures(ctx, curves, p)


def _optimizer_figures(ctx, curves, p) -> None:
    """Paths on x²/20 + y² (a table of where each optimizer ends) and, with --out, PNG curves and paths."""
    from ..scratch.optimizers import OPTIMIZER_NAMES, descent_path, make_optimizer, saddle_function

    paths = {name: descent_path(make_optimizer(name, PATH_LR[name]), steps=p["path_steps"]) for name in OPTIMIZER_NAMES}
    ctx.table(
        f"paths on f(x, y) = x²/20 + y² from (−7, 2), {p['path_steps']} steps",
        ["optimizer", "lr", "end x", "end y", "f(end)"],
        [[n, PATH_LR[n], _r(path[-1, 0]), _r(path[-1, 1]), _r(saddle_function(*path[-1]), 6)] for n, path in paths.items()],
    )
    if ctx.out is None:
        return
    plt = ctx.pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for (impl, name), curve in curves.items():
        its, accs = zip(*curve)
        ax.plot(its, accs, "-" if impl == "numpy" else "--", label=f"{name} ({impl})")
    ax.set_xlabel("iteration")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=7, ncol=2)
    ax.set_title("learning curves: course update rules (numpy) vs keras.optimizers")
    ctx.save_figure(fig, "optimizer_curves.png")
    fig, axes = plt.subplots(2, 3, figsize=(11, 6))
    gx, gy = np.meshgrid(np.linspace(-10, 10, 200), np.linspace(-5, 5, 200))
    for ax, (name, path) in zip(axes.ravel(), paths.items()):
        ax.contour(gx, gy, saddle_function(gx, gy), levels=20, linewidths=0.5)
        ax.plot(path[:, 0], path[:, 1], "o-", color="red", markersize=3)
        ax.plot(0, 0, "+", color="black")
        ax.set_title(f"{name} (lr {PATH_LR[name]})")
    axes.ravel()[-1].axis("off")
    ctx.save_figure(fig, "optimizer_paths.png")


@exercise(
    "day2.optimizers",
    title="Optimizers: SGD, Momentum, AdaGrad, RMSProp, Adam",
    title_ja="学習率最適化手法",
    section="Day2 Section2",
    data=("mnist",),
    tags=("numpy", "keras", "bench:optimizers"),
    params=OPT_PARAMS,
    budgets=OPT_BUDGETS,
    targets=OPT_TARGETS,
    course=OPT_COURSE_FIGURES,
)
def optimizers(ctx):
    """The five update rules on the same MNIST net and batches, and their paths on x²/20 + y² (Day2 Section2)."""
    run_optimizer_comparison(ctx)


# --- day2.batch_norm ----------------------------------------------------------------------------


@exercise(
    "day2.batch_norm",
    title="Batch normalization",
    title_ja="バッチ正規化",
    section="Day2 Section1",
    data=("mnist",),
    tags=("numpy", "keras", "bench:normalization"),
    params={
        "iters": Param(int, 1000, min=1, help="SGD iterations"),
        "batch_size": Param(int, 100, min=2, help="mini-batch size (course: 100)"),
        "lr": Param(float, 0.01, min=0.0, min_inclusive=False, help="SGD learning rate, the same with and without BN"),
        "activation": Param(str, "sigmoid", choices=("relu", "sigmoid")),
        "init": Param(str, "xavier", choices=("gaussian", "xavier", "he")),
        "n_train": Param(int, 60000, min=10, help="training images (all available when larger)"),
        "n_test": Param(int, 10000, min=10, help="test images (all available when larger)"),
        "keras": Param(bool, True, help="also train the Keras twin"),
    },
    budgets={
        "smoke": {"iters": 10, "n_train": 500, "n_test": 200},
        "quick": {"iters": 1000, "n_test": 1000},
        "full": {"iters": 1000},
    },
    targets={"quick": {"bn_gain": ">= 0.05"}},
)
def batch_norm(ctx):
    """With and without batch normalization at the same learning rate; BN vs keras.layers.BatchNormalization (Day2 Section1)."""
    from ..scratch.multilayer_net import MultiLayerNet
    from ..scratch.optimizers import SGD

    p = ctx.params
    *arrays, usage = load_flat_mnist(ctx, p["n_train"], p["n_test"])
    data = tuple(arrays)
    schedule = batch_schedule(len(data[0]), p["batch_size"], p["iters"], ctx.seed)
    sizes = [data[0].shape[1], 40, 20, 10]
    rows, curves, acc = [], {}, {}
    for use_bn in (False, True):
        label = "with BN" if use_bn else "without BN"
        net = MultiLayerNet(sizes[0], sizes[1:-1], sizes[-1], activation=p["activation"], weight_init_std=p["init"],
                            use_batchnorm=use_bn, seed=ctx.seed, dtype=np.float32)
        kmodel = None
        if p["keras"]:
            _, keras = ctx.keras()
            kmodel = build_keras_mlp(keras, sizes, p["activation"], use_batchnorm=use_bn, name="bn" if use_bn else "plain")
            copy_weights_to_keras(net, kmodel)
        res = train_numpy(ctx, net, SGD(p["lr"]), data, schedule, label)
        curves[("numpy", label)] = res["curve"]
        acc[("numpy", use_bn)] = res["test_acc"]
        rows.append([label, "numpy", _r(res["train_acc"]), _r(res["test_acc"]), _r(res["loss"]), _secs(res["time_s"])])
        if kmodel is not None:
            kres = train_keras(ctx, kmodel, keras.optimizers.SGD(p["lr"]), data, schedule, label)
            curves[("keras", label)] = kres["curve"]
            acc[("keras", use_bn)] = kres["test_acc"]
            rows.append([label, "keras", _r(kres["train_acc"]), _r(kres["test_acc"]), _r(kres["loss"]), _secs(kres["time_s"])])
    ctx.metric("test_accuracy_bn", _r(acc[("numpy", True)]))
    ctx.metric("test_accuracy_plain", _r(acc[("numpy", False)]))
    ctx.metric("bn_gain", _r(acc[("numpy", True)] - acc[("numpy", False)]), note="numpy test accuracy with BN minus without")
    if p["keras"]:
        ctx.metric("keras_bn_gain", _r(acc[("keras", True)] - acc[("keras", False)]))
    ctx.table(
        f"with vs without batch normalization, hidden [40, 20] {p['activation']}+{p['init']}, SGD lr {p['lr']}, "
        f"{p['iters']} iterations of batch {p['batch_size']} ({ctx.budget} budget); data {describe_data(usage)}",
        ["network", "impl", "train acc", "test acc", "final loss", "time (s)"], rows,
    )
    ctx.table("numpy BatchNormalization vs keras.layers.BatchNormalization (float64, momentum 0.9, epsilon 1e-6)",
              ["check", "max |difference|"], _bn_crosscheck(ctx))
    ctx.note("final loss: numpy's is the last mini-batch's, Keras's the mean over the last evaluation interval.")
    ctx.note("Inference uses the running mean and variance (momentum 0.9; Keras's default is 0.99 and epsilon 1e-3, "
             "set here to the course's 0.9 and 1e-6).")
    if ctx.out is not None:
        plt = ctx.pyplot()
        fig, ax = plt.subplots(figsize=(6.5, 4))
        for (impl, label), curve in curves.items():
            its, accs = zip(*curve)
            ax.plot(its, accs, "-" if impl == "numpy" else "--", label=f"{label} ({impl})")
        ax.set_xlabel("iteration")
        ax.set_ylabel("test accuracy")
        ax.set_ylim(0, 1)
        ax.legend(fontsize=8)
        ctx.save_figure(fig, "batch_norm_curves.png")


def _bn_crosscheck(ctx) -> list[list]:
    """Forward (training, inference) of the numpy layer vs Keras's, and a numeric gradient check."""
    from ..scratch.batch_norm import BatchNormalization
    from ..scratch.gradient import numerical_gradient

    tf, keras = ctx.keras()
    rng = np.random.default_rng(ctx.seed)
    x = rng.normal(2.0, 3.0, size=(16, 5))
    gamma, beta = rng.normal(1.0, 0.3, 5), rng.normal(0.0, 0.3, 5)
    ours = BatchNormalization(gamma.copy(), beta.copy(), momentum=0.9, eps=1e-6)
    theirs = keras.layers.BatchNormalization(momentum=0.9, epsilon=1e-6, dtype="float64")
    theirs.build((None, 5))
    theirs.set_weights([gamma, beta, np.zeros(5), np.ones(5)])
    train_diff = np.abs(ours.forward(x, train=True) - np.asarray(theirs(x, training=True))).max()
    stats_diff = max(np.abs(ours.running_mean - theirs.moving_mean.numpy()).max(),
                     np.abs(ours.running_var - theirs.moving_variance.numpy()).max())
    infer_diff = np.abs(ours.forward(x, train=False) - np.asarray(theirs(x, training=False))).max()
    weights = rng.normal(size=(16, 5))
    ours.forward(x, train=True)
    dx = ours.backward(weights)

    def objective(z):
        layer = BatchNormalization(gamma, beta, momentum=0.9, eps=1e-6)
        return float(np.sum(layer.forward(z, train=True) * weights))

    num_diff = np.abs(dx - numerical_gradient(objective, x.copy())).max()
    return [["forward, training (batch statistics)", float(f"{train_diff:.3g}")],
            ["running mean and variance after one step", float(f"{stats_diff:.3g}")],
            ["forward, inference (running statistics)", float(f"{infer_diff:.3g}")],
            ["backward dx vs numeric gradient", float(f"{num_diff:.3g}")]]


# --- day2.overfitting / bench regularization ----------------------------------------------------

REG_METHODS = ("none", "L2", "L1", "dropout", "L2+dropout")
REG_COURSE = {"none": (1.0, 0.7732), "L2": (0.8633, 0.6759), "dropout": (0.92, 0.7261), "L2+dropout": (0.8667, 0.6343)}
REG_PARAMS = {
    "iters": Param(int, 1000, min=1, help="SGD iterations (course: 1000)"),
    "iters_combined": Param(int, 5000, min=1, help="iterations of L2+dropout (course: 5000)"),
    "batch_size": Param(int, 100, min=1, help="mini-batch size (course: 100)"),
    "lr": Param(float, 0.01, min=0.0, min_inclusive=False, help="SGD learning rate (course: 0.01)"),
    "l2": Param(float, 0.1, min=0.0, help="L2 weight decay λ (course: 0.1)"),
    "l2_combined": Param(float, 0.03, min=0.0, help="L2 λ of L2+dropout (0.1 collapses the net within 5000 iterations)"),
    "l1": Param(float, 0.005, min=0.0, help="L1 weight decay λ (course: 0.005)"),
    "dropout": Param(float, 0.15, min=0.0, max=0.95, help="dropout ratio (course: 0.15)"),
    "depth": Param(int, 6, min=1, max=10, help="hidden layers of 100 units (course: 6)"),
    "n_train": Param(int, 300, min=10, help="training images (course: 300)"),
    "n_test": Param(int, 10000, min=10, help="test images (all available when larger)"),
    "keras": Param(bool, True, help="also train the Keras twin"),
}
REG_BUDGETS = {
    "smoke": {"iters": 10, "iters_combined": 10, "n_train": 100, "n_test": 200, "depth": 2},
    "quick": {"n_test": 1000, "iters_combined": 2000},
    "full": {},
}
REG_TARGETS = {
    "quick": {"gap_none": ">= 0.1", "gap_reduction_l2": "> 0", "gap_reduction_dropout": "> 0",
              "train_accuracy_l2": ">= 0.5", "train_accuracy_dropout": ">= 0.5"},
}
REG_COURSE_FIGURES = {
    **{f"test_accuracy_{k.lower().replace('+', '_')}": (v[1], f"Day2 Section3 実装演習 (2_5_overfitting), {k}") for k, v in REG_COURSE.items()},
    **{f"train_accuracy_{k.lower().replace('+', '_')}": (v[0], f"Day2 Section3 実装演習 (2_5_overfitting), {k}") for k, v in REG_COURSE.items()},
}


def run_regularization(ctx) -> None:
    """No regularization vs L2, L1, dropout, L2+dropout on 300 MNIST images, numpy and Keras (Day2 Section3)."""
    from ..scratch.multilayer_net import MultiLayerNet
    from ..scratch.optimizers import SGD

    p = ctx.params
    *arrays, usage = load_flat_mnist(ctx, p["n_train"], p["n_test"])
    data = tuple(arrays)
    sizes = [data[0].shape[1], *[100] * p["depth"], 10]
    settings = {
        "none": {},
        "L2": {"weight_decay_lambda": p["l2"], "weight_decay_kind": "l2"},
        "L1": {"weight_decay_lambda": p["l1"], "weight_decay_kind": "l1"},
        "dropout": {"use_dropout": True, "dropout_ratio": p["dropout"]},
        "L2+dropout": {"weight_decay_lambda": p["l2_combined"], "weight_decay_kind": "l2", "use_dropout": True,
                       "dropout_ratio": p["dropout"]},
    }
    rows, gaps = [], {}
    for method in REG_METHODS:
        cfg = settings[method]
        iters = p["iters_combined"] if method == "L2+dropout" else p["iters"]
        schedule = batch_schedule(len(data[0]), p["batch_size"], iters, ctx.seed)
        net = MultiLayerNet(sizes[0], sizes[1:-1], sizes[-1], activation="relu", weight_init_std="he",
                            seed=ctx.seed, dtype=np.float32, **cfg)
        kmodel = None
        if p["keras"]:
            _, keras = ctx.keras()
            kmodel = build_keras_mlp(keras, sizes, "relu", dropout=cfg.get("dropout_ratio", 0.0),
                                     weight_decay=cfg.get("weight_decay_lambda", 0.0),
                                     weight_decay_kind=cfg.get("weight_decay_kind", "l2"),
                                     name=f"mlp_{method.lower().replace('+', '_')}")
            copy_weights_to_keras(net, kmodel)
        res = train_numpy(ctx, net, SGD(p["lr"]), data, schedule, method)
        key = method.lower().replace("+", "_")
        gap = res["train_acc"] - res["test_acc"]
        gaps[method] = gap
        ctx.metric(f"train_accuracy_{key}", _r(res["train_acc"]))
        ctx.metric(f"test_accuracy_{key}", _r(res["test_acc"]))
        ctx.metric(f"gap_{key}", _r(gap))
        course = REG_COURSE.get(method)
        course_cols = [f"{course[0]}/{course[1]}" if course else "—"]
        rows.append([method, "numpy", iters, _r(res["train_acc"]), _r(res["test_acc"]), _r(gap), _secs(res["time_s"]), *course_cols])
        if kmodel is not None:
            kres = train_keras(ctx, kmodel, keras.optimizers.SGD(p["lr"]), data, schedule, method)
            kgap = kres["train_acc"] - kres["test_acc"]
            ctx.metric(f"keras_gap_{key}", _r(kgap))
            rows.append([method, "keras", iters, _r(kres["train_acc"]), _r(kres["test_acc"]), _r(kgap), _secs(kres["time_s"]), *course_cols])
    for method in ("L2", "dropout"):
        ctx.metric(f"gap_reduction_{method.lower()}", _r(gaps["none"] - gaps[method]),
                   note=f"numpy train−test gap without regularization minus the gap with {method}")
    title = (f"regularization on {p['n_train']} training images, hidden {p['depth']}×100 ReLU+He, SGD lr {p['lr']}, batch "
             f"{p['batch_size']}; λ L2 {p['l2']} (L2+dropout {p['l2_combined']}), L1 {p['l1']}, dropout {p['dropout']} ({ctx.budget} budget); data {describe_data(usage)}")
    ctx.table(title, ["method", "impl", "iters", "train acc", "test acc", "gap", "time (s)", "course train / test"], rows)
    ctx.note("Weight decay adds λ/2·ΣW² (L2) or λ·Σ|W| (L1) to the loss of every weight matrix; the course notebook's "
             "hand-written L2 loop skipped the output layer and logged √ΣW² — the gradient λW is the same.")
    ctx.note("The numpy Dropout is the course's (survivors unscaled in training, outputs × (1 − ratio) at inference); "
             "Keras's is inverted (survivors × 1/(1 − rate) in training). Same expectation, different gradient scale.")
    ctx.note("The course does not state λ for L2+dropout; with its L2 value 0.1 this 6-layer net (decay on every weight "
             "matrix, output layer included) collapsed to chance within 5000 iterations, so dlx uses 0.03.")


@exercise(
    "day2.overfitting",
    title="Overfitting: L2, L1, dropout",
    title_ja="過学習: 正則化とドロップアウト",
    section="Day2 Section3",
    data=("mnist",),
    tags=("numpy", "keras", "bench:regularization"),
    params=REG_PARAMS,
    budgets=REG_BUDGETS,
    targets=REG_TARGETS,
    course=REG_COURSE_FIGURES,
)
def overfitting(ctx):
    """300 training images, a deep MLP: regularization shrinks the train/test gap (Day2 Section3)."""
    run_regularization(ctx)
