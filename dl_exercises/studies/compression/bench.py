"""``bench.compression``: quantization, pruning and distillation of one MNIST CNN side by side (Day4 Section3).

Every variant is converted to a .tflite file and run by the TFLite interpreter: zipped size against
accuracy, in a table and a figure (tradeoff.png). Built from the same loops as the three exercises.
"""

from __future__ import annotations

import numpy as np

from ..common import r4
from .config import CNN_DENSE, CNN_FILTERS, MODE_LABELS, TFLITE_MODES, CompressionBenchConfig
from .loops import FitHooks, fit_classifier, fit_student, prune_and_finetune, steps_of
from .report import load_mnist
from .tflite import tflite_point


def run_bench(ctx) -> None:
    """One trained CNN, quantized, pruned and distilled; every variant as a .tflite file: zipped size vs accuracy."""
    from ...nn.compression import mnist_cnn

    p = ctx.params
    c = CompressionBenchConfig.from_params(p)
    x_train, y_train, x_test, y_test = load_mnist(ctx, c.n_train, c.n_test)
    x_rep = x_train[:c.calibration]
    hooks = FitHooks(ctx.callbacks, ctx.training)
    ctx.reseed(0)
    base = mnist_cnn(CNN_FILTERS, CNN_DENSE, name="cnn")
    fit_classifier(base, (x_train, y_train), epochs=c.epochs, steps_per_epoch=steps_of(len(x_train), c.batch_size),
                   batch_size=c.batch_size, lr=c.lr, label="CNN", hooks=hooks)
    points = []  # (technique, label, parameters (nonzero), file bytes, zipped bytes, accuracy)
    nonzero = sum(int(np.count_nonzero(w)) for w in base.get_weights())
    for mode, (size, zipped, acc) in tflite_point(base, TFLITE_MODES, x_rep, x_test, y_test).items():
        points.append(("float32" if mode == "float32" else "quantization", MODE_LABELS[mode], nonzero, size, zipped, acc))
    for sparsity in c.sparsities:
        if sparsity == 0:
            continue
        ctx.reseed(10)
        run = prune_and_finetune(base, x_train, y_train, x_test, y_test, sparsity, "one_shot",
                                 epochs=c.finetune_epochs, batch_size=c.batch_size, lr=c.finetune_lr, hooks=hooks)
        modes = ("float32", "full_int8") if sparsity == max(c.sparsities) else ("float32",)
        for mode, (size, zipped, acc) in tflite_point(run["model"], modes, x_rep, x_test, y_test).items():
            label = f"pruned {sparsity:.0%}" + (" + full int8" if mode == "full_int8" else "")
            points.append(("pruning", label, run["nonzero"], size, zipped, acc))
    for label, teacher in (("student from scratch", None), (f"distilled student, T = {c.temperature:g}", base)):
        ctx.reseed(1)
        student = mnist_cnn((c.student_filters, 2 * c.student_filters), c.student_dense,
                            name="scratch" if teacher is None else "distilled")
        fit_student(student, x_train, y_train, teacher=teacher, alpha=c.alpha, temperature=c.temperature,
                    epochs=c.student_epochs, batch_size=c.batch_size, lr=c.lr, label=label, seed=ctx.seed, hooks=hooks)
        size, zipped, acc = tflite_point(student, ("float32",), x_rep, x_test, y_test)["float32"]
        points.append(("distillation", label, student.count_params(), size, zipped, acc))
    reference = points[0]
    ctx.table(f"Compression of one MNIST CNN ({len(x_test):,} test images, every model run by the TFLite interpreter)",
              ["technique", "model", "nonzero parameters", ".tflite bytes", "zipped bytes", "× smaller (zipped)",
               "test accuracy", "Δ vs float32"],
              [[t, label, n, size, zipped, r4(reference[4] / zipped, 2), r4(acc), f"{acc - reference[5]:+.3f}"]
               for t, label, n, size, zipped, acc in points])
    for t, label, n, size, zipped, acc in points:
        key = "".join(c if c.isalnum() else "_" for c in label.lower()).strip("_")
        while "__" in key:
            key = key.replace("__", "_")
        ctx.metric(f"{key}_accuracy", acc)
        ctx.metric(f"{key}_zipped_bytes", zipped, "B")
        ctx.log(run=label, technique=t, nonzero_parameters=n, tflite_bytes=size, zipped_bytes=zipped, accuracy=acc)
    ctx.note("size: each model converted to a .tflite file and deflated in a zip archive, so pruning's zeros count as "
             "they would when the file is shipped; accuracy: the same file in tf.lite.Interpreter")
    ctx.note(f"the pruned CNNs were fine-tuned {p['finetune_epochs']} more epochs than the float32 one; the students are "
             f"trained from scratch ({p['student_epochs']} epochs), the distilled one taught by the float32 CNN")
    plt = ctx.pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    markers = {"float32": "*", "quantization": "o", "pruning": "s", "distillation": "^"}
    for technique, marker in markers.items():
        chosen = [pt for pt in points if pt[0] == technique]
        if chosen:
            ax.scatter([pt[4] for pt in chosen], [pt[5] for pt in chosen], marker=marker, s=60, label=technique)
            for i, pt in enumerate(chosen):
                short = (pt[1].replace("TFLite ", "").replace(" weights", "").replace("dynamic-range", "dyn.")
                         .replace("student from scratch", "scratch").replace("distilled student", "distilled"))
                ax.annotate(short, (pt[4], pt[5]), textcoords="offset points", xytext=(4, 4 - 9 * (i % 2)), fontsize=7)
    ax.set(xscale="log", xlabel="zipped .tflite size (bytes)", ylabel="test accuracy",
           title="Size against accuracy: quantization, pruning, distillation")
    ax.legend(loc="lower right")
    ctx.save_figure(fig, "tradeoff.png")
