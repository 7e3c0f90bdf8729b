"""Day 2 training techniques: vanishing gradients, batch normalization, optimizers, overfitting.

Day2 Section1–3 of the course (勾配消失問題, 学習率最適化手法, 過学習). Each
exercise trains the course's from-scratch ``MultiLayerNet`` (numpy back-prop,
``dl_exercises.scratch``) and the same network in Keras on the same mini-batches
(the course draws each batch with ``np.random.choice(train_size, batch_size)``,
i.e. with replacement), and puts the results beside the course's figures.
The experiments shared with ``dlx bench init | optimizers | regularization``
live in ``dl_exercises.studies``. TensorFlow, Keras and matplotlib are
imported inside functions only.
"""

from __future__ import annotations

from ..params import at_least, choice, data_sizes, flag, learning_rate, positive
from ..registry import exercise
from ..studies import init_grid, optimizers as optimizer_study, regularization
from ..studies.common import r4, secs, twin_curves_figure, twin_hooks

# The three comparisons that ``dlx bench init | optimizers | regularization`` also show: one run function each,
# registered once; the suite is an alias of the exercise.
exercise("day2.vanishing_gradient", title="Vanishing gradients: activation × weight initialisation",
         title_ja="勾配消失問題: 活性化関数と重みの初期値", aliases=("bench.init",),
         **init_grid.DECLARATION)(init_grid.run_init_grid)
exercise("day2.optimizers", title="Optimizers: SGD, Momentum, AdaGrad, RMSProp, Adam", title_ja="学習率最適化手法",
         aliases=("bench.optimizers",), **optimizer_study.DECLARATION)(optimizer_study.run_optimizer_comparison)
exercise("day2.overfitting", title="Overfitting: L2, L1, dropout", title_ja="過学習: 正則化とドロップアウト",
         aliases=("bench.regularization",), **regularization.DECLARATION)(regularization.run_regularization)


@exercise(
    "day2.batch_norm",
    title="Batch normalization",
    title_ja="バッチ正規化",
    section="Day2 Section1",
    data=("mnist",),
    tags=("numpy", "keras"),
    params={
        "iters": positive(1000, "SGD iterations"),
        "batch_size": at_least(2, 100, "mini-batch size (course: 100)"),
        "lr": learning_rate(0.01, "SGD learning rate, the same with and without BN"),
        "activation": choice("sigmoid", ("relu", "sigmoid")),
        "init": choice("xavier", ("gaussian", "xavier", "he")),
        **data_sizes(60000, 10000),
        "keras": flag(True, "also train the Keras twin"),
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
    import numpy as np
    from ..train.batches import with_replacement
    from ..studies.images import load_images
    from ..train.twins import train_keras_twin, train_scratch_net
    from ..nn.mlp import copy_weights_to_keras, multilayer_net_twin
    from ..scratch.multilayer_net import MultiLayerNet
    from ..scratch.optimizers import SGD

    p = ctx.params
    *arrays, usage = load_images(ctx, p["n_train"], p["n_test"], "flat")
    data = tuple(arrays)
    schedule = with_replacement(len(data[0]), p["batch_size"], p["iters"], ctx.seed)
    sizes = [data[0].shape[1], 40, 20, 10]
    rows, curves, acc = [], {}, {}
    for use_bn in (False, True):
        label = "with BN" if use_bn else "without BN"
        net = MultiLayerNet(sizes[0], sizes[1:-1], sizes[-1], activation=p["activation"], weight_init_std=p["init"],
                            use_batchnorm=use_bn, seed=ctx.seed, dtype=np.float32)
        kmodel = None
        if p["keras"]:
            _, keras = ctx.tf_keras()
            kmodel = multilayer_net_twin(sizes, p["activation"], use_batchnorm=use_bn, name="bn" if use_bn else "plain")
            copy_weights_to_keras(net, kmodel)
        res = train_scratch_net(net, SGD(p["lr"]), data, schedule, label,
                                **twin_hooks(ctx, "numpy", label, len(schedule)))
        curves[("numpy", label)] = res["curve"]
        acc[("numpy", use_bn)] = res["test_acc"]
        rows.append([label, "numpy", r4(res["train_acc"]), r4(res["test_acc"]), r4(res["loss"]), secs(res["time_s"])])
        if kmodel is not None:
            kres = train_keras_twin(kmodel, keras.optimizers.SGD(p["lr"]), data, schedule, label,
                                    **twin_hooks(ctx, "keras", label, len(schedule)))
            curves[("keras", label)] = kres["curve"]
            acc[("keras", use_bn)] = kres["test_acc"]
            rows.append([label, "keras", r4(kres["train_acc"]), r4(kres["test_acc"]), r4(kres["loss"]), secs(kres["time_s"])])
    ctx.metric("test_accuracy_bn", r4(acc[("numpy", True)]))
    ctx.metric("test_accuracy_plain", r4(acc[("numpy", False)]))
    ctx.metric("bn_gain", r4(acc[("numpy", True)] - acc[("numpy", False)]), note="numpy test accuracy with BN minus without")
    if p["keras"]:
        ctx.metric("keras_bn_gain", r4(acc[("keras", True)] - acc[("keras", False)]))
    ctx.table(
        f"with vs without batch normalization, hidden [40, 20] {p['activation']}+{p['init']}, SGD lr {p['lr']}, "
        f"{p['iters']} iterations of batch {p['batch_size']} ({ctx.budget} budget); data {usage.describe()}",
        ["network", "impl", "train acc", "test acc", "final loss", "time (s)"], rows,
    )
    ctx.table("numpy BatchNormalization vs keras.layers.BatchNormalization (float64, momentum 0.9, epsilon 1e-6)",
              ["check", "max |difference|"], _bn_crosscheck(ctx))
    ctx.note("final loss: numpy's is the last mini-batch's, Keras's the mean over the last evaluation interval.")
    ctx.note("Inference uses the running mean and variance (momentum 0.9; Keras's default is 0.99 and epsilon 1e-3, "
             "set here to the course's 0.9 and 1e-6).")
    if ctx.wants_figures:
        _, fig = twin_curves_figure(ctx, curves, figsize=(6.5, 4), legend={"fontsize": 8})
        ctx.save_figure(fig, "batch_norm_curves.png")


def _bn_crosscheck(ctx) -> list[list]:
    """Forward (training, inference) of the numpy layer vs Keras's, and a numeric gradient check."""
    import numpy as np
    from ..scratch.batch_norm import BatchNormalization
    from ..scratch.gradient import numerical_gradient

    tf, keras = ctx.tf_keras()
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
