"""Activation × weight initialisation on MNIST: the vanishing-gradient experiment (Day2 Section1, 勾配消失問題).

The course's 2_2_2 notebook: hidden [40, 20], 2000 SGD iterations of batch 100,
sigmoid or ReLU with Gaussian 0.01, Xavier or He weights. The numpy
``MultiLayerNet`` and its Keras twin see the same batches (drawn with
replacement, as the notebook does). ``day2.vanishing_gradient`` (alias
``bench.init``) runs ``run_init_grid``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for annotations; numpy itself loads when an exercise runs
    import numpy as np

from ..params import Param, data_sizes, flag, learning_rate, positive
from .common import or_dash, r4, secs, twin_hooks

INIT_GRID = (("sigmoid", "gaussian"), ("relu", "gaussian"), ("sigmoid", "xavier"), ("relu", "he"), ("relu", "xavier"), ("sigmoid", "he"))
INIT_COURSE = {
    ("sigmoid", "gaussian"): 0.1135,
    ("relu", "gaussian"): 0.9258,
    ("sigmoid", "xavier"): 0.8762,
    ("relu", "he"): 0.9523,
    ("relu", "xavier"): 0.9502,
}
TIE_TOLERANCE = 0.01  # ≈ one standard error of an accuracy near 0.93 on 1,000 test images

PARAMS = {
    "iters": positive(2000, "SGD iterations (course: 2000)"),
    "batch_size": positive(100, "mini-batch size (course: 100)"),
    "lr": learning_rate(0.1, "SGD learning rate (course: 0.1)"),
    "gaussian_std": positive(0.01, "std of the 'Gaussian' initialisation"),
    **data_sizes(60000, 10000),
    "draws": positive(1, "independent draws of the initial weights and batches; relu_he_shortfall compares their means"),
    "keras": flag(True, "also train the Keras twin"),
    "hist_layers": Param(int, 5, "hidden layers (width 100) of the activation-histogram net", min=1, max=10),
}
BUDGETS = {
    "smoke": {"iters": 20, "n_train": 500, "n_test": 200, "hist_layers": 2},
    # quick: relu_he_shortfall compares means over 3 draws. ReLU+He and ReLU+Xavier tie (the course: 0.9523 vs
    # 0.9502), so one draw's shortfall is the noise of their difference. Single draws at seeds 0-7, numpy, AMD EPYC:
    # ReLU+He 0.927, 0.926, 0.925, 0.927, 0.934, 0.933, 0.930, 0.922; ReLU+Xavier 0.924, 0.933, 0.923, 0.925, 0.914,
    # 0.929, 0.935, 0.926; shortfall 0, 0.007, 0, 0, 0, 0, 0.005, 0.004 against the tie tolerance of 0.01.
    "quick": {"iters": 2000, "n_test": 1000, "draws": 3},
    "full": {"iters": 2000},
}
TARGETS = {"quick": {"test_accuracy_sigmoid_gaussian": "<= 0.2", "relu_he_shortfall": "<= 0.01"}}
COURSE_FIGURES = {
    f"test_accuracy_{a}_{i}": (v, f"Day2 Section1 実装演習 (2_2_2), {a}+{i}, 2000 iterations of batch 100")
    for (a, i), v in INIT_COURSE.items()
}
DECLARATION = {"section": "Day2 Section1", "tags": ("numpy", "keras"), "data": ("mnist",), "params": PARAMS, "budgets": BUDGETS, "targets": TARGETS, "course": COURSE_FIGURES}


def run_init_grid(ctx) -> None:
    """Activation × initialisation grid on MNIST with [40, 20] hidden units, numpy and Keras (Day2 Section1)."""
    import numpy as np
    from ..train.batches import draw_seeds, with_replacement
    from .images import load_images
    from ..train.twins import train_keras_twin, train_scratch_net
    from ..nn.mlp import multilayer_net_twin
    from ..scratch.init import keras_initializer_config
    from ..scratch.multilayer_net import MultiLayerNet
    from ..scratch.optimizers import SGD

    p = ctx.params
    *arrays, usage = load_images(ctx, p["n_train"], p["n_test"], "flat")
    data = tuple(arrays)
    schedule = with_replacement(len(data[0]), p["batch_size"], p["iters"], ctx.seed)
    sizes = [data[0].shape[1], 40, 20, 10]
    rows, results = [], {}
    for act, init in INIT_GRID:
        tag = f"{act}_{init}"
        net = MultiLayerNet(sizes[0], sizes[1:-1], sizes[-1], activation=act, weight_init_std=init,
                            gaussian_std=p["gaussian_std"], seed=ctx.seed, dtype=np.float32)
        res = train_scratch_net(net, SGD(p["lr"]), data, schedule, f"{act}+{init}",
                                **twin_hooks(ctx, "numpy", f"{act}+{init}", len(schedule)))
        kres = None
        if p["keras"]:
            ctx.reseed()  # every Keras twin starts from the same seed state
            _, keras = ctx.tf_keras()
            init_cfg = keras.initializers.get(keras_initializer_config(init, p["gaussian_std"]))
            model = multilayer_net_twin(sizes, act, kernel_initializer=init_cfg, name=f"{act}_{init}")
            kres = train_keras_twin(model, keras.optimizers.SGD(p["lr"]), data, schedule, f"{act}+{init}",
                                    **twin_hooks(ctx, "keras", f"{act}+{init}", len(schedule)))
        results[(act, init)] = (res, kres)
        ctx.metric(f"test_accuracy_{tag}", r4(res["test_acc"]))
        if kres:
            ctx.metric(f"keras_test_accuracy_{tag}", r4(kres["test_acc"]))
        rows.append([
            act, init, r4(res["train_acc"]), r4(res["test_acc"]),
            r4(kres["test_acc"]) if kres else "—",
            secs(res["time_s"] + (kres["time_s"] if kres else 0.0)),
            or_dash(INIT_COURSE.get((act, init))),
        ])
    title = (f"activation × initialisation, hidden [40, 20], SGD lr {p['lr']}, {p['iters']} iterations of batch "
             f"{p['batch_size']} ({ctx.budget} budget); data {usage.describe()}")
    ctx.table(title, ["activation", "init", "numpy train acc", "numpy test acc", "keras test acc", "time (s)", "course test acc"], rows)
    ctx.note("Gaussian = N(0, 0.01²); Xavier = N(0, 1/n) and He = N(0, 2/n) with n = fan-in, as in the course; the Keras "
             "twin draws its own weights with RandomNormal / VarianceScaling(fan_in, untruncated_normal) (not "
             "glorot_normal, which uses fan_in+fan_out and a truncated normal).")
    ctx.note("train acc is measured on the whole training set (the course printed the last mini-batch's accuracy).")
    accuracies = {key: [res["test_acc"]] for key, (res, _) in results.items()}
    seeds = draw_seeds(ctx.seed, p["draws"])
    for d, seed in enumerate(seeds[1:], start=2):
        draw_schedule = with_replacement(len(data[0]), p["batch_size"], p["iters"], seed)
        for act, init in INIT_GRID:
            net = MultiLayerNet(sizes[0], sizes[1:-1], sizes[-1], activation=act, weight_init_std=init,
                                gaussian_std=p["gaussian_std"], seed=seed, dtype=np.float32)
            res = train_scratch_net(net, SGD(p["lr"]), data, draw_schedule, f"{act}+{init} draw {d}",
                                    **twin_hooks(ctx, "numpy", f"{act}+{init} draw {d}", len(draw_schedule)))
            accuracies[(act, init)].append(res["test_acc"])
    _record_shortfall(ctx, accuracies, len(seeds))
    _activation_histograms(ctx, data[2], p, usage)


def _record_shortfall(ctx, accuracies: dict, draws: int) -> None:
    """relu_he_shortfall: the best mean numpy test accuracy over the draws minus ReLU+He's (0 when He is the best)."""
    import numpy as np

    means = {key: float(np.mean(v)) for key, v in accuracies.items()}
    how = f"means over {draws} draws" if draws > 1 else "one draw"
    ctx.metric("relu_he_shortfall", r4(max(means.values()) - means[("relu", "he")]),
               note=f"best numpy test accuracy minus ReLU+He's ({how}); 'tied' means <= {TIE_TOLERANCE}")
    if draws < 2:
        return
    ctx.table(f"numpy test accuracy over {draws} draws of the initial weights and batches (draw 1 is the table "
              "above)",
              ["activation", "init", *[f"draw {d + 1}" for d in range(draws)], "mean ± std"],
              [[act, init, *[r4(a) for a in accuracies[(act, init)]],
                f"{means[(act, init)]:.4f} ± {np.std(accuracies[(act, init)], ddof=1):.4f}"] for act, init in INIT_GRID])


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
        rows.append([act, init, *[r4(a.std(), 4) for a in record]])
    ctx.table(f"std of each hidden layer's activations at initialisation ({depth} layers of 100, no training; "
              f"first {len(x)} test images of {usage.name})",
              ["activation", "init", *[f"layer {i + 1}" for i in range(depth)]], rows)
    if not ctx.wants_figures:
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
