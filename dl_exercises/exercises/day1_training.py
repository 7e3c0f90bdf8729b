"""Day 1 exercises: stochastic gradient descent, the two-layer MNIST net, the Playground.

Day1 Section4–5 of the course and the Playground exercise of the introductory
lecture. The numpy training loops are the course's (``scratch.day1_nets``,
``scratch.two_layer_net``); their Keras twins start from the same weights and
see the same batches. TensorFlow, Keras and matplotlib are imported inside the
exercise functions only.
"""

from __future__ import annotations

from ..params import at_least, choice, data_sizes, learning_rate, positive
from ..registry import exercise

# --- day1.sgd ----------------------------------------------------------------------------------


@exercise(
    "day1.sgd",
    title="Stochastic gradient descent", title_ja="確率的勾配降下法", section="Day1 Section4",
    tags=("numpy", "keras", "plot"),
    params={
        "n_train": at_least(10, 1000, "training points x ~ U[0,1)²"),
        "epochs": positive(20, "epochs for every mode"),
        "lr": learning_rate(0.05, "learning rate (all modes)"),
        "hidden": positive(10, "hidden units"),
        "minibatch": at_least(2, 32, "mini-batch size"),
    },
    budgets={"smoke": {"n_train": 200, "epochs": 2}, "quick": {"epochs": 20}, "full": {"epochs": 100, "n_train": 10000}},
    targets={"quick": {"test_mse_sgd": "<= 0.05", "test_mse_minibatch": "<= 0.05", "keras_test_mse_sgd": "<= 0.05",
                       "keras_test_mse_minibatch": "<= 0.05"},
             "full": {"test_mse_sgd": "<= 0.05", "test_mse_minibatch": "<= 0.05"}},
)
def sgd(ctx):
    """Learn f(x)=3x1+2x2 with a 2-10-1 ReLU net: batch GD vs SGD vs mini-batch, in numpy and Keras (Day1 Section4)."""
    import numpy as np
    from threadpoolctl import threadpool_limits
    from ..scratch.day1_nets import init_regression_net, linear_target, predict_regression, train_regression_numpy
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
        with ctx.training(), threadpool_limits(limits=1):  # small numpy matmuls in a loop slow down badly when BLAS threads contend
            curve = train_regression_numpy(
                params, x, d, batch_size=batch_size, epochs=p["epochs"], lr=p["lr"],
                rng=np.random.default_rng(ctx.seed + 1),
                on_epoch=lambda e, loss, mode=mode: ctx.log(run=f"numpy {mode}", epoch=e + 1, loss=loss))
        ctx.check_finite(curve[-1], f"numpy {mode} after {p['epochs']} epochs")
        mse = float(np.mean((predict_regression(params, x_test) - d_test) ** 2))
        curves[f"numpy {mode}"] = curve
        ctx.metric(f"test_mse_{mode}", mse, note=f"numpy, batch size {batch_size}, mean (f̂ − f)² on 500 test points")
        rows.append(["numpy", mode, batch_size, p["epochs"] * -(-p["n_train"] // batch_size), f"{curve[-1]:.5f}", f"{mse:.5f}"])

    tf, keras = ctx.tf_keras()
    from ..nn.mlp import dense_stack

    def half_mse(y_true, y_pred):
        # the course's ½(y − d)² for one output, so Keras follows the same gradient as numpy
        return 0.5 * keras.ops.mean(keras.ops.square(y_pred - y_true), axis=-1)

    for mode, batch_size in sizes.items():
        layers = [(init["W1"], init["b1"], "relu"), (init["W2"], init["b2"], "identity")]
        model = dense_stack(layers, dtype="float32", name=f"sgd_{mode}")
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
    if ctx.wants_figures:
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


@exercise(
    "day1.mnist_mlp",
    title="Two-layer net on MNIST, numpy backprop and Keras", title_ja="MNIST 2層ネットワーク", section="Day1 Section5",
    data=("mnist", "mnist5k"),
    tags=("numpy", "keras", "mnist"),
    params={
        **data_sizes(4000, 1000, min_train=100),
        "hidden": positive(50, "hidden units"),
        "iters": at_least(2, 2000, "SGD iterations (mini-batches)"),
        "batch_size": positive(100, "mini-batch size"),
        "lr": learning_rate(0.1),
        "weight_init_std": positive(0.01, "std of the initial weights"),
    },
    budgets={"smoke": {"n_train": 300, "n_test": 200, "iters": 20}, "quick": {},
             "full": {"n_train": 60000, "n_test": 10000, "iters": 10000}},
    targets={"quick": {"test_accuracy": ">= 0.90", "keras_test_accuracy": ">= 0.90"}},
    course={"test_accuracy": (0.9258, "Day2 Section1 勾配消失 notebook, nearest printed setting: ReLU, Gaussian "
                                      "init std 0.01, 2000 iterations of batch 100, lr 0.1, full MNIST, 784-40-20-10")},
)
def mnist_mlp(ctx):
    """The course's TwoLayerNet (784-50-10) trained by numpy backprop and its Keras twin on the same batches (Day1 Section5)."""
    import numpy as np
    from threadpoolctl import threadpool_limits
    from ..scratch import functions as F
    from ..train.batches import without_replacement
    from ..train.fit import fit_on_batches
    from ..studies.images import load_images
    from ..train.metrics import accuracy
    from ..scratch.two_layer_net import TwoLayerNet

    p = ctx.params
    x, y_train, x_test, y_test, _ = load_images(ctx, p["n_train"], p["n_test"], "flat")
    x, x_test = x.astype(np.float64), x_test.astype(np.float64)
    t = F.one_hot(y_train, 10)
    batch_size = min(p["batch_size"], x.shape[0])
    schedule = without_replacement(x.shape[0], batch_size, p["iters"], ctx.seed)

    net = TwoLayerNet(x.shape[1], p["hidden"], 10, weight_init_std=p["weight_init_std"], rng=np.random.default_rng(ctx.seed))
    init = {k: v.copy() for k, v in net.params.items()}
    numpy_losses = []
    with ctx.training(), threadpool_limits(limits=1):  # small numpy matmuls in a loop slow down badly when BLAS threads contend
        for i in ctx.progress(range(p["iters"]), "numpy TwoLayerNet"):
            idx = schedule[i]
            grads = net.gradient(x[idx], t[idx])
            numpy_losses.append(net.last.loss)
            net.sgd_step(grads, p["lr"])
            if i % 100 == 0 or i == p["iters"] - 1:
                ctx.check_finite(numpy_losses[-1], f"numpy step {i + 1}")
                ctx.log(run="numpy", step=i + 1, loss=numpy_losses[-1])
    acc = net.accuracy(x_test, y_test)

    tf, keras = ctx.tf_keras()
    from ..nn.mlp import dense_stack

    # the Keras twin of TwoLayerNet (float64): Dense(hidden, relu) → Dense(classes) logits, same initial weights
    model = dense_stack([(init["W1"], init["b1"], "relu"), (init["W2"], init["b2"], "identity")], name="two_layer_net")
    loss = keras.losses.CategoricalCrossentropy(from_logits=True)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=p["lr"]), loss=loss, jit_compile=False)
    with ctx.training():  # the first two steps one by one, to compare their losses with numpy's
        first = float(model.train_on_batch(x[schedule[0]], t[schedule[0]]))
        second = float(model.train_on_batch(x[schedule[1]], t[schedule[1]]))
    if len(schedule) > 2:
        fit_on_batches(model, x, t, schedule[2:], **ctx.fit_hooks("keras TwoLayerNet", run="keras"),
                       compile_kwargs={"optimizer": model.optimizer, "loss": loss, "jit_compile": False})
    keras_acc = accuracy(model, x_test, y_test)
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


@exercise(
    "day1.playground",
    title="TensorFlow Playground: XOR and spiral", title_ja="深層学習体験 (Playground)", section="Intro 演習(1)",
    data=("xor", "spiral"),
    tags=("keras", "plot"),
    params={
        "epochs": positive(200, "epochs per configuration"),
        "lr": learning_rate(0.02, "Adam learning rate at the start (cosine decay to 0)"),
        "batch_size": positive(32, "mini-batch size"),
        "configs": choice("all", ("all", "minimal"), "networks to try: all five, or minimal (linear and 2×16 relu)"),
    },
    budgets={"smoke": {"epochs": 3, "configs": "minimal"}, "quick": {"epochs": 200}, "full": {"epochs": 600}},
    targets={"quick": {"xor_test_accuracy": ">= 0.95", "spiral_test_accuracy": ">= 0.95"}},
)
def playground(ctx):
    """Which depth/width/activation separates XOR and the spiral; decision boundaries (intro course, Playground exercise)."""
    import numpy as np
    from ..train.batches import epochs_of_batches
    from ..train.fit import fit_on_batches
    from ..train.metrics import binary_accuracy
    from ..nn.mlp import playground_model

    p = ctx.params
    tf, keras = ctx.tf_keras()
    names = (ctx.dataset,) if ctx.dataset else ("xor", "spiral")
    if ctx.dataset:
        ctx.note(f"--dataset {ctx.dataset}: only that data set was run; the other's target has no value.")
    rows, best = [], {}
    for data_name in names:
        data = ctx.load_data(data_name)
        configs = PLAYGROUND_CONFIGS if p["configs"] == "all" else (PLAYGROUND_CONFIGS[0], PLAYGROUND_CONFIGS[3])
        for label, hidden, act in configs:
            ctx.reseed()  # every network starts from the same seed state
            model = playground_model(hidden, act, name=f"{data_name}_{len(hidden)}x{hidden[0] if hidden else 0}_{act}")
            # Tiny models on tiny data spend most of Keras' time in per-epoch overhead: every epoch's
            # reshuffled batches (as shuffle=True would draw them) are laid out in advance and fitted as one run.
            batches = epochs_of_batches(len(data.x_train), p["batch_size"], p["epochs"], ctx.seed)
            # Cosine decay to 0 over the run: the spiral's chosen network no longer ends on a noisy step.
            # Spiral test accuracy, seeds 0/1/2 (AMD EPYC): constant lr 0.986/0.966/0.978, cosine 0.986/0.982/0.974.
            lr = keras.optimizers.schedules.CosineDecay(p["lr"], len(batches))
            fit_on_batches(model, data.x_train, data.y_train.reshape(-1, 1).astype(np.float32), batches,
                           compile_kwargs={"optimizer": keras.optimizers.Adam(lr), "loss": "binary_crossentropy",
                                           "jit_compile": False},
                           **ctx.fit_hooks(f"{data_name} {label}", run=f"{data_name} {label}"), steps_per_call=200)
            train_acc = binary_accuracy(model, data.x_train, data.y_train)
            test_acc = binary_accuracy(model, data.x_test, data.y_test)
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
    if ctx.wants_figures:
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
