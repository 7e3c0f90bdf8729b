"""``dlx bench normalization``: batch, layer, instance and group normalization at batch sizes 1, 8 and 64 (Day4 Section3).

The course's point about batch normalization: its statistics come from the
mini-batch, so with small batches they are noisy in training and differ from
the statistics used at inference, and accuracy suffers; layer, instance and
group normalization compute theirs per sample and do not depend on the batch.
The same small CNN (``nn.norm_cnn``) is trained with each normalization on the
same batches at each batch size, from the same start, for the same number of
epochs (the same images seen at every batch size), with Adam's learning rate
scaled by √(batch / smallest batch) so the few steps of a large batch still
converge. Batch norm then predicts with statistics re-estimated over the training
images (``nn.batch_norm_stats``), so a large batch is not judged by running
averages that a few hundred steps leave behind; the table also shows it with
the averages training left.
"""

from __future__ import annotations

from ..params import data_sizes, learning_rate, positive, string
from ..registry import exercise

NORM_LABELS = {"batch": "batch norm", "layer": "layer norm", "instance": "instance norm", "group": "group norm"}


@exercise(
    "bench.normalization",
    title="Batch, Layer, Instance and Group normalization at small and large batches",
    title_ja="正規化手法の比較 (バッチサイズ 1, 8, 64)",
    section="Day4 Section3",
    data=("mnist", "fashion_mnist", "mnist5k"),
    tags=("bench", "keras", "cnn"),
    params={
        **data_sizes(2000, 1000, min_train=64, min_test=10),
        "epochs": positive(2, "epochs at every batch size (the same images seen)"),
        "batch_sizes": string("1,8,64", "comma-separated batch sizes"),
        "lr": learning_rate(1e-3, "Adam learning rate at the smallest batch size (× √(batch / smallest) at the others)"),
        "groups": positive(4, "G of group normalization (divides 16 and 32)"),
    },
    budgets={
        "smoke": {"n_train": 128, "n_test": 50, "epochs": 1, "batch_sizes": "64"},
        "quick": {},
        "full": {"n_train": 20000, "n_test": 10000, "epochs": 3},
    },
    # Measured (quick, mnist5k, 2 CPU cores shared with other jobs), seeds 0 / 1 / 2 / seed 0 with oneDNN off:
    # at batch 1 batch norm trails the per-sample norms' mean by 0.455 / 0.430 / 0.408 / 0.438 (it scores 0.21,
    # they 0.45-0.88); at batch 64 it leads them by 0.148 / 0.094 / 0.046 / 0.151. Penalty (the difference):
    # 0.603 / 0.523 / 0.454 / 0.589. CPU 90-103 s per run on the shared machine.
    targets={"quick": {"bn_shortfall_small_batch": ">= 0.2", "bn_small_batch_penalty": ">= 0.2"}},
)
def normalization_suite(ctx):
    """One table: normalization × batch size → test accuracy, s / epoch; BN's drop at batch 1 against the others' (Day4 Section3)."""
    from ..errors import UsageError
    from ..nn.batch_norm_stats import recompute_batch_norm_statistics
    from ..nn.norm_cnn import norm_cnn
    from ..train.batches import epochs_of_batches
    from ..train.fit import fit_on_batches
    from ..studies.images import load_images
    from ..train.metrics import accuracy

    p = ctx.params
    try:
        sizes = sorted({int(b) for b in p["batch_sizes"].split(",") if b.strip()})
    except ValueError:
        raise UsageError(f"--set batch_sizes={p['batch_sizes']}: expected comma-separated integers") from None
    if not sizes or sizes[0] < 1:
        raise UsageError(f"--set batch_sizes={p['batch_sizes']}: batch sizes must be >= 1")
    x_train, y_train, x_test, y_test, usage = load_images(ctx, p["n_train"], p["n_test"], "nhwc", name=ctx.dataset or "mnist")
    _, keras = ctx.tf_keras()
    acc, curves, bn_running = {}, {}, {}
    lrs = {b: p["lr"] * (b / sizes[0]) ** 0.5 for b in sizes}
    for batch in sizes:
        batches = epochs_of_batches(len(x_train), min(batch, len(x_train)), p["epochs"], ctx.seed)
        for kind in NORM_LABELS:
            ctx.reseed()  # the same initial weights for every normalization
            model = norm_cnn(kind, groups=p["groups"], name=f"{kind}_b{batch}")
            label = f"{NORM_LABELS[kind]}, batch {batch}"
            history = fit_on_batches(
                model, x_train, y_train, batches, **ctx.fit_hooks(label, run=label), rows=10,
                compile_kwargs={"optimizer": keras.optimizers.Adam(lrs[batch]), "jit_compile": False,
                                "loss": keras.losses.SparseCategoricalCrossentropy(from_logits=True)})
            curves[kind, batch] = history.history["loss"]
            if kind == "batch":
                bn_running[batch] = accuracy(model, x_test, y_test)
                recompute_batch_norm_statistics(model, x_train, batch_size=200)
            acc[kind, batch] = ctx.metric(f"{kind}_b{batch}_test_accuracy", accuracy(model, x_test, y_test))
    small, large = sizes[0], sizes[-1]
    others = [k for k in NORM_LABELS if k != "batch"]
    shortfall = {b: sum(acc[k, b] for k in others) / len(others) - acc["batch", b] for b in sizes}
    rows = [[NORM_LABELS[k], *[round(acc[k, b], 4) for b in sizes]] for k in NORM_LABELS]
    rows.append(["batch norm, training's running averages", *[round(bn_running[b], 4) for b in sizes]])
    rows.append(["per-sample norms' mean − batch norm", *[round(shortfall[b], 4) for b in sizes]])
    ctx.table(f"test accuracy after {p['epochs']} epochs at each batch size; data {usage.describe()}",
              ["normalization", *[f"batch {b} (lr {lrs[b]:.2g})" for b in sizes]], rows)
    ctx.metric("bn_shortfall_small_batch", shortfall[small],
               note=f"at batch {small}: mean accuracy of layer, instance and group norm minus batch norm's")
    ctx.metric("bn_shortfall_large_batch", shortfall[large], note=f"the same at batch {large}")
    ctx.metric("bn_small_batch_penalty", shortfall[small] - shortfall[large],
               note=f"how much more batch norm falls behind at batch {small} than at batch {large}")
    ctx.note("Batch norm trains on each batch's statistics and predicts with population statistics; at batch 1 the "
             "training statistics are one image's (as in instance norm), so training and inference disagree. The "
             "per-sample normalizations compute the same statistics in training and inference at any batch size.")
    if ctx.wants_figures:
        plt = ctx.pyplot()
        fig, axes = plt.subplots(1, 2, figsize=(11, 4))
        for k in NORM_LABELS:
            axes[0].plot(sizes, [acc[k, b] for b in sizes], marker="o", label=NORM_LABELS[k])
            axes[1].plot(range(1, len(curves[k, small]) + 1), curves[k, small], marker="o", label=NORM_LABELS[k])
        axes[0].set(xscale="log", xlabel="batch size", ylabel="test accuracy", title="accuracy by batch size")
        axes[0].set_xticks(sizes, [str(b) for b in sizes])
        axes[1].set(xlabel="history row (a tenth of the training)", ylabel="training loss",
                    title=f"training loss at batch {small}")
        for ax in axes:
            ax.legend(fontsize=8)
            ax.grid(alpha=0.3)
        ctx.save_figure(fig, "normalization_batch_sizes.png")
