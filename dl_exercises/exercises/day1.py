"""Day 1 exercises: forward propagation, activations, losses, back-propagation, SGD, MNIST MLP, Playground.

Day1 Section1–5 of the course (ラビットチャレンジ 深層学習 Day1) and the
Playground exercise of the introductory lecture. Each exercise computes the
course's numpy version (``dl_exercises.scratch``) and the Keras version side
by side and reports how far apart they are. TensorFlow, Keras and matplotlib
are imported inside the exercise functions only.
"""

from __future__ import annotations

import numpy as np

from ..registry import Param, exercise
from ..scratch import functions as F

# --- the course's networks (Day1 Section1, 1_1_forward_propagation) --------------------------

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


def _activate(name: str, u):
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
        z = _activate(act, u)
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


_KERAS_ACTIVATION = {"relu": "relu", "identity": "linear", "softmax": "softmax", "sigmoid": "sigmoid",
                     "tanh": "tanh"}


def keras_mlp(keras, layers, dtype: str = "float64", name: str = "mlp"):
    """A Keras Sequential of Dense layers holding copies of numpy ``layers`` [(W, b, activation)].

    Args:
        keras: the keras module.
        layers: list of (W (in, out), b (out,), activation name).
        dtype: layer dtype ("float64" for exact comparison with numpy).
        name: prefix of every layer name.
    Returns:
        a built ``keras.Sequential``.
    """
    n_in = np.asarray(layers[0][0]).shape[0]
    model = keras.Sequential(name=name)
    model.add(keras.Input(shape=(n_in,), dtype=dtype))
    for i, (W, b, act) in enumerate(layers):
        model.add(keras.layers.Dense(np.asarray(W).shape[1], activation=_KERAS_ACTIVATION[act], dtype=dtype,
                                     name=f"{name}_dense{i + 1}"))
    for layer, (W, b, _) in zip(model.layers, layers):
        layer.set_weights([np.asarray(W, dtype=dtype), np.asarray(b, dtype=dtype)])
    return model


def _one_blas_thread():
    """Limit BLAS to one thread: small numpy matmuls in a loop slow down badly when threads contend."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


_NET_TITLES = {"single_unit": "single unit (ReLU)", "single_layer_multi_unit": "single layer, 3 units (ReLU)",
               "three_layer": "3 layers (ReLU, identity out)", "multiclass_2_3_4": "multi-class (softmax)",
               "regression_2_3_2": "regression (identity)", "binary_2_3_1": "binary (sigmoid)"}
_LOSS_ABBREV = {"mse": "½MSE", "cross_entropy": "CE", "binary_cross_entropy": "BCE"}


def _r(values, digits: int = 8):
    """Round for display in the result (the computation is not rounded)."""
    arr = np.round(np.asarray(values, dtype=np.float64), digits)
    return arr.tolist() if arr.ndim else float(arr)


# --- day1.forward ------------------------------------------------------------------------------


@exercise(
    "day1.forward",
    title="Forward propagation", title_ja="順伝播", section="Day1 Section1",
    tags=("numpy", "keras", "golden"),
    course={
        "single_unit_z": (1.3, "Day1 Section1, 順伝播(単層・単ユニット): W=[[0.1],[0.2]], b=0.5, x=[2,3], ReLU"),
        "u1": ([0.6, 1.3, 2.0], "Day1 Section3, 多クラス分類 2-3-4, 総入力1"),
        "u2": ([1.02, 2.29, 3.56, 4.83], "Day1 Section3, 多クラス分類 2-3-4, 総入力2"),
        "y": ([0.01602796, 0.05707321, 0.20322929, 0.72366954], "Day1 Section3, 多クラス分類 2-3-4, 出力"),
        "cross_entropy": (0.32342029, "Day1 Section3, 多クラス分類 2-3-4, 誤差 (d=[0,0,0,1])"),
    },
)
def forward(ctx):
    """Forward propagation of the course's six small networks in numpy and in Keras with the same weights (Day1 Section1, 3)."""
    _, keras = ctx.keras()
    nets = course_networks()
    rows, worst = [], 0.0
    for name, net in nets.items():
        us, zs = forward_numpy(net["layers"], net["x"])
        model = keras_mlp(keras, net["layers"], name=name)
        y_keras = np.asarray(model(net["x"][None, :]))[0]
        diff = float(np.max(np.abs(y_keras - zs[-1])))
        worst = max(worst, diff)
        loss = numpy_loss(net["loss"], zs[-1], net["d"])
        shape = "-".join(str(np.asarray(W).shape[0]) for W, _, _ in net["layers"])
        shape += f"-{np.asarray(net['layers'][-1][0]).shape[1]}"
        rows.append([_NET_TITLES[name], shape, _r(zs[-1], 6), _r(y_keras, 6), f"{diff:.1e}",
                     "" if loss is None else f"{_LOSS_ABBREV[net['loss']]} {loss:.8f}"])
        if name == "single_unit":
            ctx.metric("single_unit_z", _r(zs[0][0]))
        if name == "multiclass_2_3_4":
            ctx.metric("u1", _r(us[0]))
            ctx.metric("u2", _r(us[1]))
            ctx.metric("y", _r(zs[1]))
            ctx.metric("cross_entropy", _r(loss))
    ctx.metric("keras_max_abs_diff", worst, note="numpy vs Keras Dense (float64), same weights; tested <= 1e-6")
    ctx.table("Forward propagation: numpy vs Keras", ["network", "shape", "numpy output", "keras output", "max |diff|", "loss"], rows)
    ctx.note("The course's cross_entropy_error adds 1e-7 inside the log: -log(0.72366954 + 1e-7) = 0.32342029.")


# --- day1.activations --------------------------------------------------------------------------


def _keras_activation_fns(keras, tf):
    acts = keras.activations
    return {
        "sigmoid": acts.sigmoid,
        "tanh": acts.tanh,
        "relu": acts.relu,
        "leaky_relu": lambda x: acts.leaky_relu(x, negative_slope=0.01),
        "identity": acts.linear,
    }


def activation_comparison(tf, keras, x):
    """Max |numpy − keras| of each activation and max |numpy derivative − tf.GradientTape| on ``x``.

    Args:
        x: float64 points, shape (n,).
    Returns:
        dict name -> (value diff, derivative diff or None).
    """
    out = {}
    xt = tf.constant(x, dtype=tf.float64)
    for name, fn in _keras_activation_fns(keras, tf).items():
        f, df = F.ACTIVATIONS[name]
        with tf.GradientTape() as tape:
            tape.watch(xt)
            yt = fn(xt)
            total = tf.reduce_sum(yt)
        grad = tape.gradient(total, xt).numpy()
        out[name] = (float(np.max(np.abs(f(x) - yt.numpy()))), float(np.max(np.abs(df(x) - grad))))
    # step: no Keras activation and no gradient; checked against numpy's heaviside
    out["step"] = (float(np.max(np.abs(F.step(x) - np.heaviside(x, 0.0)))), None)
    # softmax: rows, and its Jacobian against tape.batch_jacobian
    rng = np.random.default_rng(0)
    scores = rng.normal(0.0, 3.0, size=(8, 5))
    st = tf.constant(scores, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(st)
        yt = keras.activations.softmax(st, axis=-1)
    jac = tape.batch_jacobian(yt, st).numpy()
    out["softmax"] = (float(np.max(np.abs(F.softmax(scores) - yt.numpy()))),
                      float(np.max(np.abs(F.d_softmax(scores) - jac))))
    return out


@exercise(
    "day1.activations",
    title="Activation functions and their derivatives", title_ja="活性化関数", section="Day1 Section2",
    tags=("numpy", "keras", "plot"),
    course={
        "d_sigmoid_max": (0.25, "Day1 Section2 確認テスト: sigmoid′ = σ(1−σ) is largest at x=0"),
        "d_sigmoid_argmax": (0.0, "Day1 Section2 確認テスト"),
    },
)
def activations(ctx):
    """Step, sigmoid, tanh, ReLU, leaky ReLU, softmax, identity vs keras.activations; derivatives vs tf.GradientTape (Day1 Section2)."""
    tf, keras = ctx.keras()
    x = np.linspace(-6.0, 6.0, 1201)
    comparison = activation_comparison(tf, keras, x)
    rows = [[name, f"{v:.1e}", "n/a (not differentiable)" if d is None else f"{d:.1e}"] for name, (v, d) in comparison.items()]
    ctx.table("numpy vs keras.activations (float64)", ["activation", "max |f − keras|", "max |f′ − GradientTape|"], rows)
    ctx.metric("keras_max_abs_diff", max(v for v, _ in comparison.values()))
    ctx.metric("tape_max_abs_diff", max(d for _, d in comparison.values() if d is not None))
    ds = F.d_sigmoid(x)
    ctx.metric("d_sigmoid_max", float(ds.max()))
    ctx.metric("d_sigmoid_argmax", float(x[np.argmax(ds)]))
    ctx.metric("d_tanh_vs_inv_cosh2", float(np.max(np.abs(F.d_tanh(x) - 1.0 / np.cosh(x) ** 2))),
               note="max |d tanh − 1/cosh²| on [-6, 6]")
    ctx.note("ReLU′(0) and step′ are taken as 0 (TensorFlow's choice); leaky ReLU uses slope 0.01 (Keras' default is 0.2).")
    if ctx.out is not None:
        plt = ctx.pyplot()
        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        for name, (f, df) in F.ACTIVATIONS.items():
            axes[0].plot(x, f(x), label=name)
            axes[1].plot(x, df(x), label=name)
        axes[0].set_ylim(-1.5, 3)
        axes[1].set_ylim(-0.1, 1.2)
        axes[0].set_title("activation f(x)")
        axes[1].set_title("derivative f′(x)")
        for ax in axes:
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8)
        ctx.save_figure(fig, "activations.png")


# --- day1.losses -------------------------------------------------------------------------------


def loss_comparison(keras, seed: int = 0) -> list[tuple[str, float, float]]:
    """(loss name, course/numpy value, Keras value) on shared random inputs (Day1 Section3).

    Returns:
        rows for MSE with 1 and with 3 outputs, CE one-hot, CE sparse, CE of the 2-3-4 example, BCE.
    """
    rng = np.random.default_rng(seed)
    y1, d1 = rng.normal(size=(16, 1)), rng.normal(size=(16, 1))
    y3, d3 = rng.normal(size=(16, 3)), rng.normal(size=(16, 3))
    probs = F.softmax(rng.normal(size=(16, 4)))
    labels = rng.integers(0, 4, size=16)
    onehot = F.one_hot(labels, 4)
    _, zs = forward_numpy(course_networks()["multiclass_2_3_4"]["layers"], np.array([1.0, 2.0]))
    p_bin = F.sigmoid(rng.normal(size=(16, 1)))
    t_bin = rng.integers(0, 2, size=(16, 1)).astype(np.float64)
    L = keras.losses

    def k(loss, t, y):
        return float(loss(np.asarray(t, np.float64), np.asarray(y, np.float64)))

    return [
        ("mse (1 output)", F.mean_squared_error(y1, d1), k(L.MeanSquaredError(), d1, y1)),
        ("mse (3 outputs)", F.mean_squared_error(y3, d3), k(L.MeanSquaredError(), d3, y3)),
        ("cross-entropy one-hot", F.cross_entropy_error(probs, onehot), k(L.CategoricalCrossentropy(), onehot, probs)),
        ("cross-entropy sparse", F.cross_entropy_error(probs, labels), k(L.SparseCategoricalCrossentropy(), labels, probs)),
        ("cross-entropy 2-3-4 example", F.cross_entropy_error(zs[-1], [0.0, 0.0, 0.0, 1.0]),
         k(L.CategoricalCrossentropy(), [[0.0, 0.0, 0.0, 1.0]], zs[-1][None, :])),
        ("binary cross-entropy", F.binary_cross_entropy(p_bin, t_bin), k(L.BinaryCrossentropy(), t_bin, p_bin)),
    ]


@exercise(
    "day1.losses",
    title="Loss functions", title_ja="誤差関数", section="Day1 Section3",
    tags=("numpy", "keras"),
    course={"cross_entropy_2_3_4": (0.32342029, "Day1 Section3, 多クラス分類 2-3-4, 誤差")},
)
def losses(ctx):
    """Course MSE (with ½), cross-entropy (one-hot and sparse) and binary cross-entropy vs keras.losses (Day1 Section3)."""
    _, keras = ctx.keras()
    rows = loss_comparison(keras, seed=ctx.seed)
    table = []
    for name, ours, theirs in rows:
        relation = "course = ½·K·keras" if name.startswith("mse") else "equal up to the 1e-7 in the log"
        table.append([name, f"{ours:.8f}", f"{theirs:.8f}", f"{ours / theirs:.6f}", relation])
    ctx.table("course (numpy) vs keras.losses", ["loss", "course", "keras", "ratio", "relation"], table)
    values = {name: (ours, theirs) for name, ours, theirs in rows}
    ctx.metric("mse_course_over_keras", values["mse (1 output)"][0] / values["mse (1 output)"][1],
               note="1 output: course ½Σ(y−d)²/N is half of Keras' mean((y−d)²)")
    ctx.metric("cross_entropy_2_3_4", values["cross-entropy 2-3-4 example"][0])
    ce_diffs = [abs(a - b) for n, (a, b) in values.items() if not n.startswith("mse")]
    ctx.metric("ce_max_abs_diff", max(ce_diffs), note="course cross-entropies vs Keras")
    ctx.note("½ factor: the course MSE is ½Σ_k(y−d)² averaged over the batch; Keras' MeanSquaredError is "
             "mean_k (y−d)² averaged over the batch, so course = ½·K·keras for K outputs (½ for one output).")
    ctx.note("確認テスト: the error is squared so that positive and negative errors do not cancel; the ½ "
             "cancels the 2 from differentiating, so dE/dy = y − d.")
    ctx.note("Cross-entropy: the course adds 1e-7 inside the log; Keras clips probabilities to [1e-7, 1 − 1e-7]. "
             "The two agree to about 1e-7 unless a probability is near 0.")


# --- day1.backprop -----------------------------------------------------------------------------


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
    from ..scratch.layers import Affine, Relu, SoftmaxWithLoss

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
    from ..scratch.gradient import numerical_gradient

    return {k: numerical_gradient(lambda _: course_loss(params, x, d), v) for k, v in params.items()}


def tape_gradients(tf, params, x, d):
    """Gradients by ``tf.GradientTape`` of the same loss written in TensorFlow ops (float64).

    Returns:
        (grads dict, dE/du2 array, variables dict of tf.Variable).
    """
    variables = {k: tf.Variable(v, dtype=tf.float64, name=k) for k, v in params.items()}
    with tf.GradientTape(persistent=True) as tape:
        u1 = tf.matmul(tf.constant(x), variables["W1"]) + variables["b1"]
        u2 = tf.matmul(tf.nn.relu(u1), variables["W2"]) + variables["b2"]
        y = tf.nn.softmax(u2)
        loss = -tf.reduce_sum(d * tf.math.log(y + 1e-7)) / x.shape[0]
    grads = {k: tape.gradient(loss, v).numpy() for k, v in variables.items()}
    du2 = tape.gradient(loss, u2).numpy()
    del tape
    return grads, du2, variables


@exercise(
    "day1.backprop",
    title="Back-propagation", title_ja="誤差逆伝播法", section="Day1 Section5",
    tags=("numpy", "keras", "golden"),
    params={"lr": Param(float, 0.01, min=0.0, min_inclusive=False, help="learning rate of the SGD update")},
    course={
        "u1": ([1.2, 2.5, 3.8], "Day1 Section5, 誤差逆伝播 notebook, 総入力1"),
        "u2": ([1.86, 4.21], "Day1 Section5, 総入力2"),
        "y": ([0.08706577, 0.91293423], "Day1 Section5, 出力"),
        "dE_du2": ([0.08706577, -0.08706577], "Day1 Section5, 偏微分 dE/du2"),
        "b2_after_sgd": ([0.09912934, 0.20087066], "Day1 Section5, 更新後バイアス2 (learning rate 0.01)"),
    },
)
def backprop(ctx):
    """Analytic (layers), numeric (central difference) and tf.GradientTape gradients of the course net agree; one SGD step (Day1 Section5)."""
    tf, keras = ctx.keras()
    lr = ctx.params["lr"]
    params, x, d = backprop_course_net()
    analytic, inter = analytic_gradients(params, x, d)
    numeric = numeric_gradients(params, x, d)
    tape, du2_tape, variables = tape_gradients(tf, params, x, d)
    rows = []
    for key in params:
        rows.append([key, str(params[key].shape), f"{np.max(np.abs(analytic[key] - numeric[key])):.1e}",
                     f"{np.max(np.abs(analytic[key] - tape[key])):.1e}", _r(analytic[key].ravel(), 6)])
    rows.append(["dE/du2", str(inter["dE_du2"].shape), "", f"{np.max(np.abs(inter['dE_du2'] - du2_tape)):.1e}",
                 _r(inter["dE_du2"].ravel(), 8)])
    ctx.table("gradients: analytic vs numeric vs GradientTape (float64)",
              ["parameter", "shape", "|analytic − numeric|", "|analytic − tape|", "analytic"], rows)
    for name in ("u1", "u2", "y", "dE_du2"):
        ctx.metric(name, _r(inter[name][0]))
    ctx.metric("dE_du1", _r(inter["dE_du1"][0]), note="ReLU′(u1) = 1 for all three units")
    ctx.metric("max_diff_analytic_numeric", max(float(np.max(np.abs(analytic[k] - numeric[k]))) for k in params))
    ctx.metric("max_diff_analytic_tape", max(float(np.max(np.abs(analytic[k] - tape[k]))) for k in params))
    # one SGD update: numpy in place vs keras.optimizers.SGD on the tf.Variables
    updated = {k: v - lr * analytic[k] for k, v in params.items()}
    optimizer = keras.optimizers.SGD(learning_rate=lr)
    optimizer.apply_gradients([(tf.constant(tape[k]), variables[k]) for k in params])
    sgd_diff = max(float(np.max(np.abs(updated[k] - variables[k].numpy()))) for k in params)
    ctx.metric("b2_after_sgd", _r(updated["b2"]))
    ctx.metric("sgd_update_diff_keras", sgd_diff, note="numpy w − lr·∇E vs keras.optimizers.SGD")
    ctx.metric("loss_before", _r(inter["loss"]))
    ctx.metric("loss_after", _r(course_loss(updated, x, d)), note="same sample after one update (lower)")
    ctx.table("one SGD update (w ← w − ε∇E)", ["parameter", "before", "after"],
              [[k, _r(params[k].ravel(), 4), _r(updated[k].ravel(), 8)] for k in params])


# --- day1.sgd ----------------------------------------------------------------------------------


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
    from ..scratch.layers import Affine, IdentityWithLoss, Relu

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


@exercise(
    "day1.sgd",
    title="Stochastic gradient descent", title_ja="確率的勾配降下法", section="Day1 Section4",
    tags=("numpy", "keras", "plot"),
    params={
        "n_train": Param(int, 1000, min=10, help="training points x ~ U[0,1)²"),
        "epochs": Param(int, 20, min=1, help="epochs for every mode"),
        "lr": Param(float, 0.05, min=0.0, min_inclusive=False, help="learning rate (all modes)"),
        "hidden": Param(int, 10, min=1, help="hidden units"),
        "minibatch": Param(int, 32, min=2, help="mini-batch size"),
    },
    budgets={"smoke": {"n_train": 200, "epochs": 2}, "quick": {"epochs": 20}, "full": {"epochs": 100, "n_train": 10000}},
    targets={"quick": {"test_mse_sgd": "<= 0.05", "test_mse_minibatch": "<= 0.05", "keras_test_mse_sgd": "<= 0.05",
                       "keras_test_mse_minibatch": "<= 0.05"},
             "full": {"test_mse_sgd": "<= 0.05", "test_mse_minibatch": "<= 0.05"}},
)
def sgd(ctx):
    """Learn f(x)=3x1+2x2 with a 2-10-1 ReLU net: batch GD vs SGD vs mini-batch, in numpy and Keras (Day1 Section4)."""
    p = ctx.params
    rng = np.random.default_rng(ctx.seed)
    x = rng.uniform(0.0, 1.0, size=(p["n_train"], 2))
    d = linear_target(x)
    x_test = rng.uniform(0.0, 1.0, size=(500, 2))
    d_test = linear_target(x_test)
    init = init_regression_net(rng, p["hidden"])
    sizes = {"batch": p["n_train"], "sgd": 1, "minibatch": min(p["minibatch"], p["n_train"])}
    curves, rows = {}, []
    for mode, batch_size in sizes.items():
        params = {k: v.copy() for k, v in init.items()}
        with ctx.training(), _one_blas_thread():
            curve = train_regression_numpy(
                params, x, d, batch_size=batch_size, epochs=p["epochs"], lr=p["lr"],
                rng=np.random.default_rng(ctx.seed + 1),
                on_epoch=lambda e, loss, mode=mode: ctx.log(run=f"numpy {mode}", epoch=e + 1, loss=loss))
        ctx.check_finite(curve[-1], f"numpy {mode} after {p['epochs']} epochs")
        mse = float(np.mean((predict_regression(params, x_test) - d_test) ** 2))
        curves[f"numpy {mode}"] = curve
        ctx.metric(f"test_mse_{mode}", mse, note=f"numpy, batch size {batch_size}, mean (f̂ − f)² on 500 test points")
        rows.append(["numpy", mode, batch_size, p["epochs"] * -(-p["n_train"] // batch_size), f"{curve[-1]:.5f}", f"{mse:.5f}"])

    tf, keras = ctx.keras()

    def half_mse(y_true, y_pred):
        # the course's ½(y − d)² for one output, so Keras follows the same gradient as numpy
        return 0.5 * keras.ops.mean(keras.ops.square(y_pred - y_true), axis=-1)

    for mode, batch_size in sizes.items():
        layers = [(init["W1"], init["b1"], "relu"), (init["W2"], init["b2"], "identity")]
        model = keras_mlp(keras, layers, dtype="float32", name=f"sgd_{mode}")
        steps = -(-p["n_train"] // batch_size)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=p["lr"]), loss=half_mse, steps_per_execution=steps,
                      jit_compile=False)
        with ctx.training():
            hist = model.fit(x.astype(np.float32), d.astype(np.float32), batch_size=batch_size, epochs=p["epochs"],
                             shuffle=True, verbose=0,
                             callbacks=ctx.callbacks(epochs=p["epochs"], label=f"keras {mode}", run=f"keras {mode}"))
        pred = np.asarray(model.predict(x_test.astype(np.float32), verbose=0), dtype=np.float64)
        mse = float(np.mean((pred - d_test) ** 2))
        curves[f"keras {mode}"] = hist.history["loss"]
        ctx.metric(f"keras_test_mse_{mode}", mse, note=f"Keras SGD, batch size {batch_size}")
        rows.append(["keras", mode, batch_size, p["epochs"] * steps, f"{hist.history['loss'][-1]:.5f}", f"{mse:.5f}"])
    ctx.table("batch GD vs SGD vs mini-batch (same epochs, same learning rate)",
              ["impl", "mode", "batch size", "updates", "last epoch's mean batch loss (½MSE)", "test MSE"], rows)
    ctx.note("With the same number of epochs, SGD makes N updates per epoch and batch GD one, so batch GD "
             "lags far behind; mini-batches trade update count for smoother gradients.")
    if ctx.out is not None:
        plt = ctx.pyplot()
        fig, ax = plt.subplots(figsize=(6, 4))
        for label, curve in curves.items():
            ax.plot(range(1, len(curve) + 1), curve, "-" if label.startswith("numpy") else "--", label=label)
        ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel("train loss ½(y−d)²")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        ctx.save_figure(fig, "sgd_curves.png")


# --- day1.mnist_mlp ----------------------------------------------------------------------------


def batch_schedule(n: int, batch_size: int, iters: int, seed: int) -> np.ndarray:
    """Indices of every mini-batch, shape (iters, batch_size): shuffled epochs, shared by numpy and Keras."""
    rng = np.random.default_rng(seed)
    per_epoch = n // batch_size
    epochs = -(-iters // per_epoch)
    order = np.concatenate([rng.permutation(n)[: per_epoch * batch_size] for _ in range(epochs)])
    return order[: iters * batch_size].reshape(iters, batch_size)


def keras_two_layer_net(keras, params: dict, name: str = "two_layer_net"):
    """Keras twin of ``TwoLayerNet`` (float64): Dense(hidden, relu) → Dense(classes) giving logits."""
    return keras_mlp(keras, [(params["W1"], params["b1"], "relu"), (params["W2"], params["b2"], "identity")],
                     dtype="float64", name=name)


@exercise(
    "day1.mnist_mlp",
    title="Two-layer net on MNIST, numpy backprop and Keras", title_ja="MNIST 2層ネットワーク", section="Day1 Section5",
    data=("mnist", "mnist5k"),
    tags=("numpy", "keras", "mnist"),
    params={
        "n_train": Param(int, 4000, min=100, help="training images"),
        "n_test": Param(int, 1000, min=10, help="test images"),
        "hidden": Param(int, 50, min=1, help="hidden units"),
        "iters": Param(int, 2000, min=2, help="SGD iterations (mini-batches)"),
        "batch_size": Param(int, 100, min=1, help="mini-batch size"),
        "lr": Param(float, 0.1, min=0.0, min_inclusive=False, help="learning rate"),
        "weight_init_std": Param(float, 0.01, min=0.0, min_inclusive=False, help="std of the initial weights"),
    },
    budgets={"smoke": {"n_train": 300, "n_test": 200, "iters": 20}, "quick": {},
             "full": {"n_train": 60000, "n_test": 10000, "iters": 10000}},
    targets={"quick": {"test_accuracy": ">= 0.90", "keras_test_accuracy": ">= 0.90"}},
    course={"test_accuracy": (0.9258, "Day2 Section1 勾配消失 notebook, nearest printed setting: ReLU, Gaussian "
                                      "init std 0.01, 2000 iterations of batch 100, lr 0.1, full MNIST, 784-40-20-10")},
)
def mnist_mlp(ctx):
    """The course's TwoLayerNet (784-50-10) trained by numpy backprop and its Keras twin on the same batches (Day1 Section5)."""
    from ..scratch.two_layer_net import TwoLayerNet

    p = ctx.params
    data = ctx.load_data("mnist", n_train=p["n_train"], n_test=p["n_test"])
    x = np.asarray(data.x_train, dtype=np.float64).reshape(len(data.x_train), -1)
    x_test = np.asarray(data.x_test, dtype=np.float64).reshape(len(data.x_test), -1)
    t = F.one_hot(data.y_train, 10)
    y_test = np.asarray(data.y_test)
    batch_size = min(p["batch_size"], x.shape[0])
    schedule = batch_schedule(x.shape[0], batch_size, p["iters"], ctx.seed)

    net = TwoLayerNet(x.shape[1], p["hidden"], 10, weight_init_std=p["weight_init_std"], rng=np.random.default_rng(ctx.seed))
    init = {k: v.copy() for k, v in net.params.items()}
    numpy_losses = []
    with ctx.training(), _one_blas_thread():
        for i in ctx.progress(range(p["iters"]), "numpy TwoLayerNet"):
            idx = schedule[i]
            grads = net.gradient(x[idx], t[idx])
            numpy_losses.append(net.last.loss)
            net.sgd_step(grads, p["lr"])
            if i % 100 == 0 or i == p["iters"] - 1:
                ctx.check_finite(numpy_losses[-1], f"numpy step {i + 1}")
                ctx.log(run="numpy", step=i + 1, loss=numpy_losses[-1])
    acc = net.accuracy(x_test, y_test)

    tf, keras = ctx.keras()
    model = keras_two_layer_net(keras, init)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=p["lr"]),
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True), jit_compile=False)
    with ctx.training():
        first = float(model.train_on_batch(x[schedule[0]], t[schedule[0]]))
        second = float(model.train_on_batch(x[schedule[1]], t[schedule[1]]))
        rest = schedule[2:]
        if len(rest):
            ds = tf.data.Dataset.from_tensor_slices(rest).map(lambda idx: (tf.gather(x, idx), tf.gather(t, idx)))
            model.compile(optimizer=model.optimizer, loss=model.loss, steps_per_execution=min(len(rest), 100),
                          jit_compile=False)
            model.fit(ds, epochs=1, verbose=0, shuffle=False,
                      callbacks=ctx.callbacks(epochs=1, label="keras TwoLayerNet", run="keras"))
    logits = np.asarray(model.predict(x_test, verbose=0))
    keras_acc = float(np.mean(logits.argmax(axis=1) == y_test))
    final_diff = max(float(np.max(np.abs(w - net.params[k]))) for w, k in
                     zip(model.get_weights(), ("W1", "b1", "W2", "b2")))

    ctx.metric("test_accuracy", acc, note="numpy TwoLayerNet")
    ctx.metric("keras_test_accuracy", keras_acc, note="Keras twin, same init and batches")
    ctx.metric("first_step_loss", numpy_losses[0])
    ctx.metric("first_step_loss_diff", abs(first - numpy_losses[0]), note="numpy vs Keras, batch 1, before any update")
    ctx.metric("second_step_loss_diff", abs(second - numpy_losses[1]), note="after one SGD update each, batch 2")
    ctx.metric("final_weight_max_diff", final_diff, note=f"after {p['iters']} identical SGD steps (float64)")
    ctx.table("numpy vs Keras", ["", "numpy", "keras"], [
        ["loss step 1", f"{numpy_losses[0]:.8f}", f"{first:.8f}"],
        ["loss step 2", f"{numpy_losses[1]:.8f}", f"{second:.8f}"],
        ["test accuracy", f"{acc:.4f}", f"{keras_acc:.4f}"],
    ])
    ctx.note("Keras uses from-logits cross-entropy; the course adds 1e-7 inside the log, "
             "so the losses differ by about 1e-6 at the start.")
    ctx.note("The course figure is the nearest printed run (a 784-40-20-10 net on all 60,000 images); "
             "this run trains 784-50-10 on the data set shown above.")


# --- day1.playground ---------------------------------------------------------------------------

PLAYGROUND_CONFIGS = (
    ("linear (no hidden layer)", (), "linear"),
    ("1×4 tanh", (4,), "tanh"),
    ("2×8 tanh", (8, 8), "tanh"),
    ("2×16 relu", (16, 16), "relu"),
    ("3×32 relu", (32, 32, 32), "relu"),
)


def fit_epochs_at_once(ctx, tf, model, x, y, *, batch_size: int, epochs: int, label: str) -> None:
    """Fit ``epochs`` reshuffled passes over (x, y) as one long Keras epoch.

    Tiny models on tiny data spend most of Keras' time in per-epoch overhead;
    one pass over pre-shuffled indices (every epoch a fresh permutation, as
    ``shuffle=True`` would draw) runs the same updates much faster.
    """
    rng = np.random.default_rng(ctx.seed)
    n = len(x)
    batches = []
    for _ in range(epochs):
        order = rng.permutation(n)
        batches.extend(order[i:i + batch_size] for i in range(0, n, batch_size))
    x_t, y_t = tf.constant(x), tf.constant(y)
    ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant(batches)).map(
        lambda idx: (tf.gather(x_t, idx), tf.gather(y_t, idx)))
    model.compile(optimizer=model.optimizer, loss=model.loss, steps_per_execution=min(len(batches), 200),
                  jit_compile=False)
    model.fit(ds, epochs=1, verbose=0, shuffle=False, callbacks=ctx.callbacks(epochs=1, label=label, run=label))


def _binary_accuracy(model, x, y) -> float:
    prob = np.asarray(model(np.asarray(x, dtype=np.float32), training=False)).reshape(-1)
    return float(np.mean((prob > 0.5) == (np.asarray(y).reshape(-1) == 1)))


def playground_model(keras, hidden: tuple, activation: str, name: str):
    """Dense classifier on 2-D points: hidden layers of ``hidden`` units, sigmoid output."""
    model = keras.Sequential(name=name)
    model.add(keras.Input(shape=(2,)))
    for i, units in enumerate(hidden):
        model.add(keras.layers.Dense(units, activation=activation, name=f"{name}_dense{i + 1}"))
    model.add(keras.layers.Dense(1, activation="sigmoid", name=f"{name}_out"))
    return model


@exercise(
    "day1.playground",
    title="TensorFlow Playground: XOR and spiral", title_ja="深層学習体験 (Playground)", section="Intro 演習(1)",
    data=("xor", "spiral"),
    tags=("keras", "plot"),
    params={
        "epochs": Param(int, 200, min=1, help="epochs per configuration"),
        "lr": Param(float, 0.02, min=0.0, min_inclusive=False, help="Adam learning rate"),
        "batch_size": Param(int, 32, min=1, help="mini-batch size"),
        "configs": Param(str, "all", choices=("all", "minimal"),
                         help="networks to try: all five, or minimal (linear and 2×16 relu)"),
    },
    budgets={"smoke": {"epochs": 3, "configs": "minimal"}, "quick": {"epochs": 200}, "full": {"epochs": 600}},
    targets={"quick": {"xor_test_accuracy": ">= 0.95", "spiral_test_accuracy": ">= 0.95"}},
)
def playground(ctx):
    """Which depth/width/activation separates XOR and the spiral; decision boundaries (intro course, Playground exercise)."""
    p = ctx.params
    tf, keras = ctx.keras()
    names = (ctx.dataset,) if ctx.dataset else ("xor", "spiral")
    if ctx.dataset:
        ctx.note(f"--dataset {ctx.dataset}: only that data set was run; the other's target has no value.")
    rows, best = [], {}
    for data_name in names:
        data = ctx.load_data(data_name)
        configs = PLAYGROUND_CONFIGS if p["configs"] == "all" else (PLAYGROUND_CONFIGS[0], PLAYGROUND_CONFIGS[3])
        for label, hidden, act in configs:
            keras.utils.set_random_seed(ctx.seed)
            model = playground_model(keras, hidden, act, name=f"{data_name}_{len(hidden)}x{hidden[0] if hidden else 0}_{act}")
            model.compile(optimizer=keras.optimizers.Adam(p["lr"]), loss="binary_crossentropy", jit_compile=False)
            with ctx.training():
                fit_epochs_at_once(ctx, tf, model, data.x_train, data.y_train.reshape(-1, 1).astype(np.float32),
                                   batch_size=p["batch_size"], epochs=p["epochs"], label=f"{data_name} {label}")
            train_acc = _binary_accuracy(model, data.x_train, data.y_train)
            test_acc = _binary_accuracy(model, data.x_test, data.y_test)
            rows.append([data_name, label, model.count_params(), f"{train_acc:.3f}", f"{test_acc:.3f}"])
            # choose by training accuracy (ties: fewer parameters), report its test accuracy
            key = (train_acc, -model.count_params())
            if data_name not in best or key > best[data_name][0]:
                best[data_name] = (key, label, test_acc, model, data)
    ctx.table("Playground: which network separates the data", ["data", "network", "params", "train acc", "test acc"], rows)
    for data_name, (_, label, test_acc, _, _) in best.items():
        ctx.metric(f"{data_name}_test_accuracy", test_acc, note=f"{label}, chosen by training accuracy")
    ctx.note("A network without hidden layers draws one straight line and cannot separate XOR; one small tanh "
             "layer can. The spiral needs more depth and width.")
    if ctx.out is not None:
        plt = ctx.pyplot()
        fig, axes = plt.subplots(1, len(best), figsize=(5 * len(best), 4.5), squeeze=False)
        for ax, (data_name, (_, label, test_acc, model, data)) in zip(axes[0], best.items()):
            grid = np.linspace(-1.3, 1.3, 200)
            gx, gy = np.meshgrid(grid, grid)
            prob = np.asarray(model.predict(np.stack([gx.ravel(), gy.ravel()], 1).astype(np.float32), verbose=0))
            ax.contourf(gx, gy, prob.reshape(gx.shape), levels=20, cmap="RdBu", alpha=0.6)
            ax.scatter(data.x_test[:, 0], data.x_test[:, 1], c=data.y_test, cmap="RdBu", s=8, edgecolors="k", linewidths=0.2)
            ax.set_title(f"{data_name}: {label}, test acc {test_acc:.3f}")
        ctx.save_figure(fig, "decision_boundary.png")
