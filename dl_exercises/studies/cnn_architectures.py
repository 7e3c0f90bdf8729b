"""Modern CNN architectures side by side: small variants trained alike, full-size parameter counts (Day2 Section4, Day4 Section3).

Every small model is a thin call into the full-size builder of
``dl_exercises.nn`` with smaller widths and a stem for 28×28 images; each is
trained with the same optimizer, batches and epochs, and the table shows
parameters, multiply-adds per image, seconds per epoch and test accuracy.
``day2.cnn_architectures`` and ``bench.cnn`` both run ``compare_architectures``.
"""

from __future__ import annotations

from ..errors import UsageError

# XLA (jit_compile) per model, decided from a side-by-side measurement on this machine (2 CPU cores shared
# with other jobs, TF 2.21 / Keras 3.15, 2000 mnist5k images, batch 100, one warm-up fit, then 2 epochs;
# process CPU seconds per epoch, without -> with XLA; wall times were dominated by other jobs' load):
#   DeepConvNet 1.66 -> 2.89 (1.74x slower), AlexNet 1.76 -> 2.93 (1.66x), VGG 3.81 -> 6.08 (1.59x),
#   GoogLeNet 1.79 -> 3.93 (2.19x).
# The BatchNorm models, side by side in one run on an otherwise idle machine (wall seconds per steady epoch,
# `dlx bench cnn --budget quick --set xla=measure --set epochs=3 --set models=resnet,resnet_v2,wrn,mobilenet,densenet`):
#   ResNet 4.90 -> 5.54 (1.13x slower), bottleneck ResNet v2 7.80 -> 9.75 (1.25x), WRN-10-2 10.15 -> 9.09
#   (1.12x faster), MobileNet 2.10 -> 18.03 (8.6x slower), DenseNet 8.99 -> 11.16 (1.24x).
# Rule: XLA on only where it was at least 1.2x faster; no CNN cleared it (WRN's 1.12x is within run-to-run noise
# and its first epoch pays the compilation), so every model trains without it. The measurement ran with TensorFlow's
# op determinism off, as dlx now runs by default: with DLX_DETERMINISTIC=1, Keras silently turns
# compile(jit_compile=True) off (keras trainer.model_supports_jit).
# The table's XLA column shows what the compiled model really uses (model.jit_compile).
XLA_CHOICE: dict[str, bool] = {
    "deep_cnn": False, "alexnet": False, "vgg": False, "googlenet": False, "resnet": False,
    "resnet_v2": False, "wrn": False, "mobilenet": False, "densenet": False,
}


LABELS = {
    "deep_cnn": "DeepConvNet (course)", "alexnet": "AlexNet", "vgg": "VGG", "googlenet": "GoogLeNet (2 aux heads)",
    "resnet": "ResNet (basic, v1)", "resnet_v2": "ResNet (bottleneck, v2)", "wrn": "WideResNet WRN-10-2",
    "mobilenet": "MobileNet (α=0.5)", "densenet": "DenseNet-BC (k=12)",
}


def small_builders() -> dict:
    """name -> builder(input_shape, num_classes) of the small variant; imports Keras lazily."""
    from ..nn.alexnet import alexnet
    from ..nn.day2_convnets import deep_cnn
    from ..nn.densenet import densenet
    from ..nn.googlenet import googlenet
    from ..nn.mobilenet import mobilenet
    from ..nn.resnet import resnet, wide_resnet
    from ..nn.vgg import vgg

    return {
        "deep_cnn": lambda s, k: deep_cnn(s, k, name="deep_cnn"),
        "alexnet": lambda s, k: alexnet(
            s, k, convs=((32, 5, 1), (64, 3, 1), (96, 3, 1), (96, 3, 1), (64, 3, 1)), dense=(256, 256),
            first_padding="same", name="alexnet_small"),
        "vgg": lambda s, k: vgg(s, k, blocks=((32, 2), (64, 2), (128, 2)), dense=(256,), dropout=0.5, name="vgg_small"),
        "googlenet": lambda s, k: googlenet(
            s, k, stages=((("3a", (16, 16, 32, 8, 16, 16)),),
                          (("4a", (32, 24, 48, 8, 16, 16)), ("4b", (32, 24, 48, 8, 16, 16)))),
            aux_after=("4a", "4b"), stem="small", aux_conv=32, aux_dense=128, name="googlenet_small"),
        "resnet": lambda s, k: resnet(s, k, (2, 2, 2), "basic", 1, 16, 1, "cifar", name="resnet_small"),
        "resnet_v2": lambda s, k: resnet(s, k, (1, 1, 1), "bottleneck", 2, 16, 1, "cifar", name="resnet_v2_small"),
        "wrn": lambda s, k: wide_resnet(s, k, depth=10, width=2, name="wrn_10_2"),
        "mobilenet": lambda s, k: mobilenet(
            s, k, alpha=0.5, blocks=((64, 1), (128, 2), (128, 1), (256, 2), (256, 1)), first_stride=1, name="mobilenet_small"),
        "densenet": lambda s, k: densenet(
            s, k, blocks=(4, 4, 4), growth_rate=12, compression=0.5, init_filters=24, stem="small", name="densenet_small"),
    }


def compile_for(model, lr: float, jit_compile: bool):
    """Adam and sparse cross-entropy; GoogLeNet's auxiliary outputs get loss weight 0.3."""
    import keras

    from ..nn.googlenet import googlenet_loss_weights

    n_out = len(model.outputs)
    from_logits = model.name == "deep_cnn"
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits)
    model.compile(
        optimizer=keras.optimizers.Adam(lr),
        loss=[loss] * n_out if n_out > 1 else loss,
        loss_weights=googlenet_loss_weights(model) if n_out > 1 else None,
        jit_compile=jit_compile,
    )


def train_one(ctx, label, build, data, epochs, batch_size, lr, jit_compile):
    """Build, train and evaluate one model; returns a dict of its row's values and its loss curves."""
    from ..train.metrics import accuracy
    from ..train.timing import EpochTimes
    from ..nn.batch_norm_stats import batch_norm_layers, recompute_batch_norm_statistics
    from ..nn.flops import count_multiply_adds
    from ..nn.googlenet import drop_auxiliary

    x_train, y_train, x_test, y_test = data
    model = build(x_train.shape[1:], 10)
    compile_for(model, lr, jit_compile)
    inference = drop_auxiliary(model) if len(model.outputs) > 1 else model
    n_out = len(model.outputs)
    targets = [y_train] * n_out if n_out > 1 else y_train
    val_targets = [y_test] * n_out if n_out > 1 else y_test
    times = EpochTimes()
    with ctx.training():
        history = model.fit(x_train, targets, batch_size=batch_size, epochs=epochs, verbose=0, shuffle=True,
                            validation_data=(x_test, val_targets),
                            callbacks=[times.callback(), *ctx.callbacks(epochs=epochs, label=label, run=label)])
    moving_stats_accuracy = None
    if batch_norm_layers(inference):
        # short runs leave BN's moving averages behind the weights: measure, then re-estimate them
        moving_stats_accuracy = accuracy(inference, x_test, y_test, batch_size=500)
        recompute_batch_norm_statistics(model, x_train, batch_size=max(batch_size, 200))
    return {
        "bn_moving_stats_accuracy": moving_stats_accuracy,
        "xla": bool(getattr(model, "jit_compile", False)),
        "params": int(inference.count_params()),
        "train_params": int(model.count_params()),
        "mult_adds": int(count_multiply_adds(inference)),
        "s_per_epoch": times.seconds_per_epoch,
        "first_epoch_s": float(times.times[0]),
        "test_accuracy": accuracy(inference, x_test, y_test, batch_size=500),
        "loss": [float(v) for v in history.history["loss"]],
        "val_loss": [float(v) for v in history.history["val_loss"]],
    }


def _plot_curves(ctx, rows) -> None:
    """Training and test loss per epoch of every model (drawn only where figures are kept: ``--out``, a notebook)."""
    if not ctx.wants_figures:
        return
    plt = ctx.pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for r in rows:
        epochs = range(1, len(r["loss"]) + 1)
        axes[0].plot(epochs, r["loss"], marker="o", label=LABELS[r["name"]])
        axes[1].plot(epochs, r["val_loss"], marker="o", label=LABELS[r["name"]])
    for ax, title in zip(axes, ("training loss", "test loss")):
        ax.set_xlabel("epoch")
        ax.set_title(title)
    axes[1].legend(fontsize=7)
    ctx.save_figure(fig, "cnn_curves.png")


def _still_learning(rows, drop: float = 0.05) -> list[str]:
    """Labels whose training loss fell by more than ``drop`` (relative) in their last epoch.

    Training loss, not test loss: during training Keras evaluates BN models with the
    moving averages that ``recompute_batch_norm_statistics`` replaces afterwards.
    """
    found = []
    for r in rows:
        losses = r["loss"]
        if len(losses) >= 2 and losses[-2] > 0 and (losses[-2] - losses[-1]) / losses[-2] > drop:
            found.append(LABELS[r["name"]])
    return found


def compare_architectures(ctx, models, *, dataset, n_train, n_test, epochs, batch_size=100, lr=1e-3, xla="auto"):
    """Train each named small variant on the same data; fills the main table and metrics.

    Args:
        models: names from ``small_builders()`` ("all" for every one).
        xla: "auto" (the measured per-model choice in ``XLA_CHOICE``), "on", "off",
            or "measure" (train each model both ways and report both times).
    Returns:
        list of row dicts (name plus the values of ``train_one``).
    """
    from .images import load_cnn_images

    builders = small_builders()
    names = list(builders) if models == ["all"] else models
    unknown = [m for m in names if m not in builders]
    if unknown:
        raise UsageError(f"unknown model(s) {', '.join(unknown)}; choose from {', '.join(builders)}")
    *arrays, usage = load_cnn_images(ctx, n_train, n_test, name=dataset)
    data = tuple(arrays)
    rows = []
    for name in names:
        modes = [False, True] if xla == "measure" else [{"on": True, "off": False}.get(xla, XLA_CHOICE.get(name, False))]
        results = {}
        for jit in modes:
            results[jit] = train_one(ctx, f"{LABELS[name]}{' XLA' if jit else ''}", builders[name], data, epochs, batch_size, lr, jit)
        row = dict(results[modes[-1]], name=name)
        if xla == "measure":
            row["s_per_epoch_no_xla"] = results[False]["s_per_epoch"]
            row["s_per_epoch_xla"] = results[True]["s_per_epoch"]
        rows.append(row)
        ctx.metric(f"{name}_test_accuracy", row["test_accuracy"])
    columns = ["model", "params", "mult-adds / image", "s / epoch", "XLA", "test accuracy",
               "accuracy, BN averages from training"]
    table = [[LABELS[r["name"]], r["params"], r["mult_adds"], round(r["s_per_epoch"], 2), "on" if r["xla"] else "off",
              round(r["test_accuracy"], 4),
              "—" if r["bn_moving_stats_accuracy"] is None else round(r["bn_moving_stats_accuracy"], 4)] for r in rows]
    if xla == "measure":
        columns += ["s / epoch without XLA", "s / epoch with XLA"]
        for line, r in zip(table, rows):
            line += [round(r["s_per_epoch_no_xla"], 2), round(r["s_per_epoch_xla"], 2)]
    sizes = f"{usage.sizes.get('train')} train / {usage.sizes.get('test')} test"
    ctx.table(f"Small CNN variants on {usage.name} ({sizes}), {epochs} epochs, Adam lr {lr}, batch {batch_size}",
              columns, table)
    _plot_curves(ctx, rows)
    ctx.note("params and mult-adds are of the inference network (GoogLeNet without its auxiliary heads); "
             "mult-adds count conv and dense layers only; s / epoch is the median epoch after the first (which traces the graph).")
    still_learning = _still_learning(rows)
    if still_learning:
        ctx.note(f"still learning at epoch {epochs} (training loss fell more than 5% in the last epoch): "
                 + ", ".join(still_learning) + "; their accuracy is of an unfinished run (more: --set epochs=N)")
    if any(r["bn_moving_stats_accuracy"] is not None for r in rows):
        ctx.note("BatchNorm models: after training, one more pass over the training images (weights fixed) sets each "
                 "BN layer's moving mean/variance to the average batch statistics of the final weights; the last "
                 "column is the accuracy with the moving averages training left behind (momentum 0.99).")
    return rows


def reference_parameter_counts(ctx) -> None:
    """Build the full-size models and their ``keras.applications`` twins; table of parameter counts."""
    import gc

    from ..nn.flops import count_multiply_adds
    from ..nn.googlenet import drop_auxiliary, googlenet
    from ..nn.alexnet import alexnet
    from ..nn.resnet import resnet
    from ..nn.vgg import vgg

    tf, keras = ctx.tf_keras()
    apps = keras.applications
    rows = []
    for label, mine, reference in [
        ("AlexNet (one tower, 227×227)", lambda: alexnet(), None),
        ("VGG16", lambda: vgg(), lambda: apps.VGG16(weights=None)),
        ("GoogLeNet (inference, aux dropped)", lambda: drop_auxiliary(googlenet()), None),
        ("ResNet50 (v1)", lambda: resnet(version=1), lambda: apps.ResNet50(weights=None)),
        ("ResNet50V2 (pre-activation)", lambda: resnet(version=2, name="resnet50v2"), lambda: apps.ResNet50V2(weights=None)),
    ]:
        model = mine()
        ours, flops = model.count_params(), count_multiply_adds(model)
        del model
        theirs = None
        if reference is not None:
            ref = reference()
            theirs = ref.count_params()
            del ref
        gc.collect()
        keras.backend.clear_session()
        rows.append([label, ours, "—" if theirs is None else theirs, "—" if theirs is None else ours - theirs, flops])
        key = label.split(" ")[0].lower()
        ctx.metric(f"{key}_params", ours)
        if theirs is not None:
            ctx.metric(f"{key}_keras_applications_params", theirs, note="reference: keras.applications, weights=None")
    ctx.table("Full-size builders vs keras.applications (weights=None, 1000 classes, 224×224 unless stated)",
              ["model", "dlx params", "keras.applications (reference)", "difference", "mult-adds / image"], rows)
