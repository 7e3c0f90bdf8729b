"""SGD, Momentum, AdaGrad, RMSProp and Adam: the course's update rules beside Keras's (Day2 Section2, 学習率最適化手法).

The course's 2_4_optimizer notebook: the same MNIST net, starting weights and
batches for every rule, in numpy (``scratch.optimizers``) and with
``keras.optimizers``; and each rule's path on f(x, y) = x²/20 + y².
``day2.optimizers`` (alias ``bench.optimizers``) runs ``run_optimizer_comparison``.
"""

from __future__ import annotations

from ..params import choice, data_sizes, flag, fraction, learning_rate, positive
from .common import or_dash, r4, secs, twin_curves_figure, twin_hooks

OPTIMIZER_COURSE = {"SGD": None, "Momentum": 0.938, "AdaGrad": 0.9375, "RMSProp": 0.9408, "Adam": 0.9437}
PARAMS = {
    "iters": positive(1000, "iterations (course: 1000)"),
    "batch_size": positive(100, "mini-batch size (course: 100)"),
    "lr": learning_rate(0.01, "learning rate of every optimizer (course: 0.01)"),
    "momentum": fraction(0.9, "Momentum's μ (course: 0.9)", upper=0.999),
    "decay_rate": fraction(0.99, "RMSProp's ρ (course: 0.99)", upper=0.9999),
    "activation": choice("relu", ("relu", "sigmoid")),
    "init": choice("he", ("gaussian", "xavier", "he")),
    **data_sizes(60000, 10000),
    "keras": flag(True, "also train with Keras's optimizers"),
    "path_steps": positive(30, "steps of each optimizer on f(x, y) = x²/20 + y²"),
}
BUDGETS = {
    "smoke": {"iters": 10, "n_train": 500, "n_test": 200, "path_steps": 5},
    "quick": {"iters": 1000, "n_test": 1000},
    "full": {"iters": 1000},
}
TARGETS = {"quick": {"test_accuracy_adam": ">= 0.85"}}
COURSE_FIGURES = {
    f"test_accuracy_{k.lower()}": (v, f"Day2 Section2 実装演習 (2_4_optimizer), {k}, 1000 iterations")
    for k, v in OPTIMIZER_COURSE.items() if v is not None
}
DECLARATION = {"section": "Day2 Section2", "tags": ("numpy", "keras"), "data": ("mnist",), "params": PARAMS, "budgets": BUDGETS, "targets": TARGETS, "course": COURSE_FIGURES}
#: Learning rates for the 2-D paths (a plain 0.01 barely moves on x²/20 + y² in 30 steps).
PATH_LR = {"SGD": 0.95, "Momentum": 0.1, "AdaGrad": 1.5, "RMSProp": 0.2, "Adam": 0.3}


def run_optimizer_comparison(ctx) -> None:
    """SGD, Momentum, AdaGrad, RMSProp, Adam on the same net and batches, numpy and Keras (Day2 Section2)."""
    import numpy as np
    from ..train.batches import with_replacement
    from .images import load_images
    from ..train.twins import train_keras_twin, train_scratch_net
    from ..nn.mlp import copy_weights_to_keras, course_optimizer, multilayer_net_twin
    from ..scratch.multilayer_net import MultiLayerNet
    from ..scratch.optimizers import OPTIMIZER_NAMES, make_optimizer

    p = ctx.params
    *arrays, usage = load_images(ctx, p["n_train"], p["n_test"], "flat")
    data = tuple(arrays)
    schedule = with_replacement(len(data[0]), p["batch_size"], p["iters"], ctx.seed)
    sizes = [data[0].shape[1], 40, 20, 10]
    extra = {"Momentum": {"momentum": p["momentum"]}, "RMSProp": {"decay_rate": p["decay_rate"]}}
    rows, curves = [], {}
    for name in OPTIMIZER_NAMES:
        net = MultiLayerNet(sizes[0], sizes[1:-1], sizes[-1], activation=p["activation"], weight_init_std=p["init"],
                            seed=ctx.seed, dtype=np.float32)
        kmodel = None
        if p["keras"]:
            kmodel = multilayer_net_twin(sizes, p["activation"], name=f"mlp_{name.lower()}")
            copy_weights_to_keras(net, kmodel)  # identical starting weights
        res = train_scratch_net(net, make_optimizer(name, p["lr"], **extra.get(name, {})), data, schedule, name,
                                **twin_hooks(ctx, "numpy", name, len(schedule)))
        curves[("numpy", name)] = res["curve"]
        ctx.metric(f"test_accuracy_{name.lower()}", r4(res["test_acc"]))
        rows.append([name, "numpy", r4(res["train_acc"]), r4(res["test_acc"]), secs(res["time_s"]),
                     or_dash(OPTIMIZER_COURSE[name])])
        if kmodel is not None:
            kopt = course_optimizer(name, p["lr"], momentum=p["momentum"], decay_rate=p["decay_rate"])
            kres = train_keras_twin(kmodel, kopt, data, schedule, name, **twin_hooks(ctx, "keras", name, len(schedule)))
            curves[("keras", name)] = kres["curve"]
            ctx.metric(f"keras_test_accuracy_{name.lower()}", r4(kres["test_acc"]))
            rows.append([name, "keras", r4(kres["train_acc"]), r4(kres["test_acc"]),
                         secs(kres["time_s"]), or_dash(OPTIMIZER_COURSE[name])])
    title = (f"optimizers on MNIST, hidden [40, 20] {p['activation']}+{p['init']}, lr {p['lr']}, {p['iters']} iterations "
             f"of batch {p['batch_size']} ({ctx.budget} budget); data {usage.describe()}")
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
    import numpy as np
    from ..scratch.optimizers import OPTIMIZER_NAMES, descent_path, make_optimizer, saddle_function

    paths = {name: descent_path(make_optimizer(name, PATH_LR[name]), steps=p["path_steps"]) for name in OPTIMIZER_NAMES}
    ctx.table(
        f"paths on f(x, y) = x²/20 + y² from (−7, 2), {p['path_steps']} steps",
        ["optimizer", "lr", "end x", "end y", "f(end)"],
        [[n, PATH_LR[n], r4(path[-1, 0]), r4(path[-1, 1]), r4(saddle_function(*path[-1]), 6)] for n, path in paths.items()],
    )
    if not ctx.wants_figures:
        return
    plt, fig = twin_curves_figure(ctx, curves, figsize=(7, 4.5), legend={"fontsize": 7, "ncol": 2},
                                  title="learning curves: course update rules (numpy) vs keras.optimizers")
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
