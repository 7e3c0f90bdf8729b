"""Day 4 semantic segmentation: FCN, SegNet, U-Net and dilated convolution on generated shapes.

Day4 Section6 セグメンテーション (FCN: transposed convolution and skip sums; SegNet:
max-unpooling with the pooling indices; U-Net: concatenated skips; dilated
convolution). Models and pixel metrics live in ``dl_exercises.nn.segmentation``.
TensorFlow, Keras and matplotlib are imported inside the exercise function only.
"""

from __future__ import annotations

import time

from ..params import Param, flag, learning_rate, positive
from ..registry import exercise

MODELS = (("fcn", "FCN"), ("segnet", "SegNet"), ("unet", "U-Net"), ("dilated", "dilated conv"))
COLOURS = ((0.1, 0.1, 0.1), (0.9, 0.3, 0.3), (0.3, 0.8, 0.3), (0.3, 0.5, 0.95))  # background, then the classes


def _figure(plt, images, truth, predictions):
    import numpy as np
    cols = 2 + len(predictions)
    fig, axes = plt.subplots(len(images), cols, figsize=(1.7 * cols, 1.7 * len(images)), squeeze=False)
    colours = np.array(COLOURS)
    for r in range(len(images)):
        panels = [("image", images[r]), ("truth", colours[truth[r]])]
        panels += [(label, colours[pred[r]]) for label, pred in predictions.items()]
        for c, (title, picture) in enumerate(panels):
            axes[r, c].imshow(picture, interpolation="nearest")
            axes[r, c].axis("off")
            if r == 0:
                axes[r, c].set_title(title, fontsize=8)
    fig.suptitle("background dark, circle red, square green, triangle blue", fontsize=8)
    return fig


@exercise(
    "day4.segmentation",
    title="Semantic segmentation: FCN, SegNet and U-Net side by side, and dilated convolution's receptive field",
    title_ja="セグメンテーション (FCN, SegNet, U-Net, Dilated convolution)",
    section="Day4 Section6",
    data=("shapes_segmentation",),
    tags=("keras", "segmentation"),
    params={
        "n_train": positive(800, "training images"),
        "n_test": positive(300, "held-out test images"),
        "epochs": positive(3, "passes over the training images, for every model"),
        "batch_size": positive(32, "images per step"),
        "lr": learning_rate(0.005, "peak Adam learning rate (cosine decay to 0)"),
        "width": Param(int, 16, "channels of each model's first stage", min=2),
        "dilated": flag(True, "also train the dilated-convolution net (off at quick, to stay within its time)"),
    },
    # quick recipe: 800 images × 3 epochs (75 steps of 32) for each model; U-Net mIoU needs the 75 steps
    # (60 steps: 0.90/0.85/0.93 at seeds 0/1/2; 50 steps: 0.45/0.64/0.69; batch 16 on 400 images: 0.87/0.70/0.97).
    # Measured with the dilated net trained too (all four, 2 shared cores, load 5–9): U-Net 0.938/0.993/0.967 at
    # seeds 0/1/2 and 0.937 with TF_ENABLE_ONEDNN_OPTS=0; 72–78 s user CPU (110–250 s wall on the loaded machine),
    # too much for 60 s, so quick leaves the dilated net out (its receptive field is still computed and measured;
    # --set dilated=true trains it: mIoU 0.57/0.60/0.58 at this budget). Without it (this recipe), same load:
    # U-Net mIoU 0.9377/0.9930/0.9667 at seeds 0/1/2 (worst margin 0.138), 0.9367 with TF_ENABLE_ONEDNN_OPTS=0;
    # FCN 0.59/0.62/0.51, SegNet 0.37/0.61/0.47; 58.4/57.0/59.9 s user+sys CPU, 130/105/116 s wall at load 6–8
    # (78 s CPU, 237 s wall at load 9–11 with oneDNN off). No idle machine was available to time the wall on.
    budgets={"smoke": {"n_train": 32, "n_test": 8, "epochs": 1},
             "quick": {"dilated": False},
             "full": {"n_train": 4000, "n_test": 1000, "epochs": 10}},
    targets={"quick": {"unet_mIoU": ">= 0.8"}},
)
def segmentation(ctx):
    """FCN, SegNet, U-Net and a dilated net trained alike: params, pixel accuracy, mIoU, time (Day4 Section6)."""
    import numpy as np
    from ..nn.segmentation import (BUILDERS, DILATION_RATES, MaxPoolingWithArgmax2D, MaxUnpooling2D, class_iou,
                                   confusion_matrix, mean_iou, measured_receptive_field, pixel_accuracy,
                                   receptive_field)
    from ..train.timing import EpochTimes

    p = ctx.params
    tf, keras = ctx.tf_keras()
    data = ctx.load_data("shapes_segmentation", n_train=p["n_train"], n_test=p["n_test"])
    names = data.extra["class_names"]
    n_classes = len(names)
    shape = data.x_train.shape[1:]

    # SegNet's unpooling, checked on a random non-negative tensor (SegNet pools ReLU outputs): pooling the
    # unpooled map gives the pooled map back, and every value sits where its maximum was (zeros elsewhere)
    x = tf.abs(tf.random.stateless_normal((2, 8, 8, 3), seed=(ctx.seed, 1)))
    pooled, argmax = MaxPoolingWithArgmax2D(2)(x)
    unpooled = MaxUnpooling2D(2)([pooled, argmax]).numpy()
    repooled = tf.nn.max_pool2d(unpooled, 2, 2, "VALID").numpy()
    expected = np.zeros(unpooled.size, np.float32)
    expected[argmax.numpy().reshape(-1)] = pooled.numpy().reshape(-1)
    ctx.metric("unpool_roundtrip_error", float(np.abs(repooled - pooled.numpy()).max()),
               note="max |pool(unpool(pool(x))) − pool(x)|, x ≥ 0")
    ctx.metric("unpool_position_error", float(np.abs(unpooled.reshape(-1) - expected).max()),
               note="unpooled values vs a numpy scatter to the argmax positions")

    kept = [(key, label) for key, label in MODELS if key != "dilated" or p["dilated"]]
    steps = p["epochs"] * -(-p["n_train"] // p["batch_size"])
    rows, predictions, scores, per_class = [], {}, {}, {}
    for key, label in kept:
        ctx.reseed()
        model = BUILDERS[key](shape, n_classes, p["width"], name=key)
        model.compile(optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(p["lr"], steps)),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), steps_per_execution=8)
        times = EpochTimes()
        start = time.perf_counter()
        with ctx.training():
            model.fit(data.x_train, data.y_train, batch_size=p["batch_size"], epochs=p["epochs"], verbose=0,
                      callbacks=[times.callback(), *ctx.callbacks(p["epochs"], label, run=key)])
        train_s = time.perf_counter() - start
        logits = model.predict(data.x_test, batch_size=100, verbose=0)
        predicted = np.argmax(logits, axis=-1)
        confusion = confusion_matrix(data.y_test, predicted, n_classes)
        miou, acc = mean_iou(confusion), pixel_accuracy(confusion)
        ctx.metric(f"{key}_mIoU", miou, note="mean over the classes, background included")
        ctx.metric(f"{key}_pixel_accuracy", acc)
        scores[key] = miou
        predictions[label] = predicted[:4]
        per_class[label] = class_iou(confusion)
        rows.append([label, model.count_params(), round(miou, 4), round(acc, 4), round(train_s, 1),
                     round(times.seconds_per_epoch, 2)])
        del model
    ctx.table(f"Trained alike: {p['epochs']} epochs of {p['n_train']} images, batch {p['batch_size']}; "
              f"{len(data.x_test)} held-out images", ["model", "params", "mIoU", "pixel accuracy", "train s",
                                                      "s / epoch"], rows)
    ctx.table("IoU per class (held-out pixels)", ["class"] + list(per_class),
              [[n] + [round(float(v[c]), 4) for v in per_class.values()] for c, n in enumerate(names)])
    best = max(scores, key=scores.get)
    ctx.note(f"highest mIoU: {dict(MODELS)[best]} ({scores[best]:.4f})")

    # receptive field of the dilated stack vs the same depth of plain 3×3 convolutions
    rates = list(DILATION_RATES)
    formula = receptive_field([3] * len(rates), rates)
    measured = measured_receptive_field(rates, size=2 * formula[-1] + 3)
    plain = receptive_field([3] * len(rates), [1] * len(rates))
    plain_measured = measured_receptive_field([1] * len(rates), size=2 * plain[-1] + 3)
    ctx.table("Receptive field of 3×3 layers: r_l = r_(l−1) + (k − 1)·d_l",
              ["layer", "dilation d_l", "formula", "measured", "plain 3×3: formula", "plain: measured"],
              [[i + 1, d, f, m, pf, pm] for i, (d, f, m, pf, pm) in
               enumerate(zip(rates, formula, measured, plain, plain_measured))])
    ctx.metric("dilated_receptive_field", measured[-1], "px", note=f"formula {formula[-1]}")
    ctx.metric("plain_receptive_field", plain_measured[-1], "px", note=f"formula {plain[-1]}")
    ctx.note("receptive fields are measured as the input pixels with a non-zero gradient of the centre output, "
             "on the same stack with all weights 1 and no activation")
    plt = ctx.pyplot()
    ctx.save_figure(_figure(plt, data.x_test[:4], data.y_test[:4], predictions), "segmentation.png")
