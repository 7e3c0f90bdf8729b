"""Day 1 exercises: forward propagation, activations, losses, back-propagation.

Day1 Section1–3 and 5 of the course (ラビットチャレンジ 深層学習 Day1). Each
exercise computes the course's numpy version (``scratch.day1_nets``,
``scratch.functions``) and the Keras or ``tf.GradientTape`` version side by
side and reports how far apart they are. TensorFlow, Keras and matplotlib are
imported inside the exercise functions only.
"""

from __future__ import annotations

from ..params import learning_rate
from ..registry import exercise

_NET_TITLES = {"single_unit": "single unit (ReLU)", "single_layer_multi_unit": "single layer, 3 units (ReLU)",
               "three_layer": "3 layers (ReLU, identity out)", "multiclass_2_3_4": "multi-class (softmax)",
               "regression_2_3_2": "regression (identity)", "binary_2_3_1": "binary (sigmoid)"}
_LOSS_ABBREV = {"mse": "½MSE", "cross_entropy": "CE", "binary_cross_entropy": "BCE"}


def _r(values, digits: int = 8):
    """Round for display in the result (the computation is not rounded)."""
    import numpy as np
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
    import numpy as np
    from ..scratch.day1_nets import course_networks, forward_numpy, numpy_loss
    ctx.tf_keras()
    from ..nn.mlp import dense_stack

    nets = course_networks()
    rows, worst = [], 0.0
    for name, net in nets.items():
        us, zs = forward_numpy(net["layers"], net["x"])
        model = dense_stack(net["layers"], name=name)
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


def _keras_activation_fns(keras):
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
    import numpy as np
    from ..scratch import functions as F
    out = {}
    xt = tf.constant(x, dtype=tf.float64)
    for name, fn in _keras_activation_fns(keras).items():
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
    import numpy as np
    from ..scratch import functions as F
    tf, keras = ctx.tf_keras()
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
    if ctx.wants_figures:
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
    import numpy as np
    from ..scratch import functions as F
    from ..scratch.day1_nets import course_networks, forward_numpy
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
    _, keras = ctx.tf_keras()
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
    params={"lr": learning_rate(0.01, "learning rate of the SGD update")},
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
    import numpy as np
    from ..scratch.day1_nets import analytic_gradients, backprop_course_net, course_loss, numeric_gradients
    tf, keras = ctx.tf_keras()
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
