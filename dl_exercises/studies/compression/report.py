"""What a learner sees of day4.quantization, day4.pruning and day4.distillation (Day4 Section3): metrics, tables, files.

One MNIST CNN (``nn.compression.mnist_cnn``) is trained in float32; the quantization run converts
it (and an MLP) to TFLite float16 / dynamic-range int8 / full int8 and to Keras's own int8, the
pruning run removes its smallest weights and fine-tunes it, and the distillation run teaches a
smaller MLP from a large one. Every size is counted in bytes, every accuracy on the same test
images. The training is in ``loops``, the conversions in ``tflite``.
"""

from __future__ import annotations

from ..images import load_images
from ..common import r4
from .config import CNN_DENSE, CNN_FILTERS, MODE_LABELS, DistillationConfig, PruningConfig, QuantizationConfig
from .loops import (DISTILL_STEPS_PER_EXECUTION, FitHooks, fit_classifier, fit_student, prune_and_finetune,
                    pruning_schedules, steps_of, train_teacher)
from .measure import accuracy_of
from .tflite import quantized_variants


def load_mnist(ctx, n_train: int, n_test: int):
    """MNIST (or the offline mnist5k) as NHWC float32 in [0, 1]: (x_train, y_train, x_test, y_test)."""
    x_train, y_train, x_test, y_test, _ = load_images(ctx, n_train, n_test, "nhwc")
    return x_train, y_train, x_test, y_test


def quantization_table(ctx, rows, title: str) -> None:
    """One row per format; sizes are compared with the float32 row of the same kind (weights or file)."""
    acc = {r["model"]: r["accuracy"] for r in rows if r["format"] == "Keras float32"}
    size = {(r["model"], r["size_of"]): r["size"] for r in rows if r["format"] in ("Keras float32", MODE_LABELS["float32"])}
    ctx.table(title, ["model", "format", "int8", "bytes", "of", "× smaller", "accuracy", "Δ", "µs / image"],
              [[r["model"], r["format"], r["int8"], r["size"], r["size_of"],
                r4(size[(r["model"], r["size_of"])] / r["size"], 2), r4(r["accuracy"]),
                f'{r["accuracy"] - acc[r["model"]]:+.3f}', round(r["latency_us"], 1)] for r in rows])


def one_bit_table(ctx) -> None:
    """The course's a = 0.1 in y = a·x in every number format (numpy, ``scratch.quantization``)."""
    from ...scratch.quantization import weight_precision_table

    rows = weight_precision_table(0.1, 0.0, 1.0, x=10.0)
    ctx.table("The course's weight a = 0.1 in y = a·x, stored in each format (y at x = 10; true y = 1)",
              ["format", "bits", "stored a", "error", "relative error", "y(10)"],
              [[r["format"], r["bits"], f'{r["stored"]:.10g}', f'{r["error"]:+.3g}', f'{r["relative_error"]:.3g}',
                f'{r["y"]:.6g}'] for r in rows])
    one_bit = rows[-1]
    ctx.metric("one_bit_stored_a", one_bit["stored"], note="1 bit holds only 0 or 1: y = 0·x (the course's example)")
    ctx.metric("float16_relative_error", next(r for r in rows if r["format"] == "float16")["relative_error"])


# --- day4.quantization -------------------------------------------------------------------------


def run_quantization(ctx) -> None:
    """Train an MNIST CNN and an MLP in float32, quantize both every way, compare size, accuracy, latency."""
    from ...nn.compression import mnist_cnn, mnist_mlp

    c = QuantizationConfig.from_params(ctx.params)
    one_bit_table(ctx)
    x_train, y_train, x_test, y_test = load_mnist(ctx, c.n_train, c.n_test)
    x_rep = x_train[:c.calibration]
    hooks = FitHooks(ctx.callbacks, ctx.training)
    steps = steps_of(len(x_train), c.batch_size)
    ctx.reseed(0)
    cnn = mnist_cnn(CNN_FILTERS, CNN_DENSE, name="cnn")
    fit_classifier(cnn, (x_train, y_train), epochs=c.cnn_epochs, steps_per_epoch=steps, batch_size=c.batch_size,
                   lr=c.lr, label="CNN", hooks=hooks)
    ctx.reseed(1)
    mlp = mnist_mlp((300, 100), name="mlp")
    fit_classifier(mlp, (x_train, y_train), epochs=c.mlp_epochs, steps_per_epoch=steps, batch_size=c.batch_size,
                   lr=c.lr, label="MLP", hooks=hooks)
    cnn_rows, buffers = quantized_variants(cnn, "CNN", x_rep, x_test, y_test)
    mlp_rows, _ = quantized_variants(mlp, "MLP", x_rep, x_test, y_test, modes=("float32", "full_int8"))
    rows = cnn_rows + mlp_rows
    quantization_table(ctx, rows, f"float32 and quantized formats ({len(x_test):,} test images; latency: one image "
                                  "per call, median, this run)")
    drops = {}
    for r in rows:
        key = f'{r["model"].lower()}_{r["format"]}'
        if "int8" in r["format"]:
            float_acc = next(q["accuracy"] for q in rows if q["model"] == r["model"] and q["format"] == "Keras float32")
            drops[key] = float_acc - r["accuracy"]
    names = {"Keras float32": "float32", 'Keras quantize("int8")': "keras_int8", MODE_LABELS["float16"]: "tflite_float16",
             MODE_LABELS["dynamic_int8"]: "tflite_dynamic_int8", MODE_LABELS["full_int8"]: "tflite_int8",
             MODE_LABELS["float32"]: "tflite_float32"}
    for r in rows:
        ctx.metric(f'{r["model"].lower()}_{names[r["format"]]}_accuracy', r["accuracy"])
    ctx.metric("cnn_tflite_float32_bytes", next(r["size"] for r in cnn_rows if r["format"] == MODE_LABELS["float32"]), "B")
    ctx.metric("cnn_tflite_int8_bytes", next(r["size"] for r in cnn_rows if r["format"] == MODE_LABELS["full_int8"]), "B")
    worst = max(drops, key=drops.get)
    ctx.metric("int8_accuracy_drop", drops[worst], note=f"largest float32 − int8 test accuracy, at {worst}")
    ctx.note("Keras's quantize(\"int8\") covers Dense, EinsumDense and Embedding layers only: in the CNN the "
             "convolutions stay float32 (the 'int8' column says what became int8)")
    ctx.note("bytes: Keras rows count the variables in memory (of: weights), TFLite rows the .tflite file (of: file); "
             "× smaller is against the float32 row of the same kind")
    ctx.note("µs / image: median of one image per call, measured in this run on this machine; a Keras call "
             "(compiled tf.function) is mostly framework overhead at batch 1, and int8 is faster than float32 only "
             "where the CPU's int8 kernels are")
    for mode, name in (("float32", "model_float32.tflite"), ("full_int8", "model_int8.tflite")):
        path = ctx.artifact_path(name)
        if path is not None:
            path.write_bytes(buffers[mode])


# --- day4.pruning ------------------------------------------------------------------------------


def run_pruning(ctx) -> None:
    """Magnitude pruning of the trained MNIST CNN at each sparsity (gradual, one-shot or both), then fine-tuning."""
    from ...nn.compression import mnist_cnn, zipped_size

    p = ctx.params
    c = PruningConfig.from_params(p)
    x_train, y_train, x_test, y_test = load_mnist(ctx, c.n_train, c.n_test)
    hooks = FitHooks(ctx.callbacks, ctx.training)
    ctx.reseed(0)
    base = mnist_cnn(CNN_FILTERS, CNN_DENSE, name="cnn")
    fit_classifier(base, (x_train, y_train), epochs=c.epochs, steps_per_epoch=steps_of(len(x_train), c.batch_size),
                   batch_size=c.batch_size, lr=c.lr, label="dense CNN", hooks=hooks)
    base_accuracy = accuracy_of(base, x_test, y_test)
    base_zip = zipped_size(base.get_weights())
    runs = []
    for sparsity in c.sparsities:
        for schedule in pruning_schedules(sparsity, c.sparsity, c.schedule):
            ctx.reseed(10)  # every fine-tuning sees the same batches
            run = prune_and_finetune(base, x_train, y_train, x_test, y_test, sparsity, schedule,
                                     epochs=c.finetune_epochs, batch_size=c.batch_size, lr=c.finetune_lr,
                                     hooks=hooks, scope=c.scope, cosine=True)
            run.pop("model")
            runs.append(run)
    dense = next((r for r in runs if r["sparsity"] == 0), None)
    reference = dense["after"] if dense else base_accuracy

    ctx.table(f"Magnitude pruning of the CNN's kernels, fine-tuned {p['finetune_epochs']} epochs with the masks held, "
              f"Adam's rate decaying from {p['finetune_lr']:g} to 0 (dense CNN before: {base_accuracy:.4f}; zip of its "
              f"float32 weights: {base_zip:,} bytes)",
              ["sparsity", "schedule", "nonzero kernels", "nonzero (all)", "acc. before FT", "after FT", "Δ vs 0 %",
               "zip bytes", "× smaller"],
              [[f'{r["sparsity"]:.0%}', "—" if r["sparsity"] == 0 else r["schedule"].replace("_", "-"),
                r["nonzero_kernels"], r["nonzero"], "—" if r["schedule"] == "gradual" else r4(r["before"]), r4(r["after"]),
                f'{r["after"] - reference:+.3f}', r["zip_bytes"], r4(base_zip / r["zip_bytes"], 2)] for r in runs])
    ctx.metric("dense_accuracy", base_accuracy, note="before fine-tuning")
    if dense:
        ctx.metric("finetuned_dense_accuracy", dense["after"], note="0 %: the same fine-tuning without masks")
    for r in runs:
        if r["sparsity"] > 0:
            tag = f'{round(r["sparsity"] * 100):d}_{r["schedule"]}'
            ctx.metric(f"accuracy_{tag}", r["after"])
            ctx.metric(f"zip_bytes_{tag}", r["zip_bytes"], "B")
    at_target = [r for r in runs if r["sparsity"] == p["sparsity"]]
    worst = min(at_target, key=lambda r: r["after"])
    ctx.metric("accuracy_drop", reference - worst["after"],
               note=f"0 % − {p['sparsity']:.0%} ({worst['schedule'].replace('_', '-')}, the worse of the two schedules), "
                    "both fine-tuned alike")
    ctx.metric("measured_sparsity", worst["measured_sparsity"],
               note=f"zeros counted in all the pruned kernels at {p['sparsity']:.0%}")
    how = ("one magnitude threshold over all of them" if p["scope"] == "global" else "each kernel to the same fraction")
    ctx.note(f"pruned: the {runs[0]['kernels']:,} kernel weights of the Conv2D and Dense layers, {how} (biases kept); "
             "a callback multiplies them by their masks after every step, so pruned weights stay zero; FT = "
             "fine-tuning; gradual pruning has no 'before' (it prunes while fine-tuning); at the target sparsity both "
             "schedules run and the target takes the worse")
    ctx.note(f"sparsity of each kernel at {p['sparsity']:.0%} ({worst['schedule'].replace('_', '-')}): "
             + ", ".join(f"{n} {s:.0%}" for n, s in zip(worst["layer_names"], worst["per_layer"])))
    ctx.note("zip bytes: the float32 weights deflated in a zip archive — zeros compress, so sparsity shrinks the file "
             "even though the arrays keep their shape")
    for r in runs:
        ctx.log(run=f'{r["sparsity"]:.2f} {r["schedule"]}', sparsity=r["sparsity"], accuracy_before=r["before"],
                accuracy_after=r["after"], nonzero_kernels=r["nonzero_kernels"], zip_bytes=r["zip_bytes"])


# --- day4.distillation -------------------------------------------------------------------------


def run_distillation(ctx) -> None:
    """A large MLP teacher, a small MLP from scratch, the same MLP distilled at each temperature (Hinton et al. §3)."""
    from ...nn.compression import mnist_mlp
    from ...nn.flops import count_multiply_adds

    p = ctx.params
    c = DistillationConfig.from_params(p)  # every comma list checked before training
    teacher_shape = "-".join(map(str, c.teacher_hidden))
    x_train, y_train, x_test, y_test = load_mnist(ctx, c.n_train, c.n_test)
    hooks = FitHooks(ctx.callbacks, ctx.training)
    teacher, members = train_teacher(x_train, y_train, c, seed=ctx.seed, hooks=hooks)
    teacher_acc = accuracy_of(teacher, x_test, y_test)
    member_accs = [accuracy_of(m, x_test, y_test) for m in members]

    def student(name):
        ctx.reseed(1)  # every student starts from the same weights and sees the same batches
        return mnist_mlp(c.student_hidden, name=name)

    teacher_logits = teacher.predict(x_train, batch_size=1000, verbose=0)  # one teacher for every distilled student

    def fit(model, teacher_model, t, label):
        fit_student(model, x_train, y_train, teacher=teacher_model, alpha=c.alpha if teacher_model else 1.0,
                    temperature=t, epochs=c.student_epochs, batch_size=c.student_batch_size, lr=c.lr, label=label,
                    seed=ctx.seed, hooks=hooks, cosine=True, steps_per_execution=DISTILL_STEPS_PER_EXECUTION,
                    teacher_logits=teacher_logits)
        return accuracy_of(model, x_test, y_test)

    scratch = student("scratch")
    scratch_acc = fit(scratch, None, 1.0, "student from scratch")
    distilled = {}
    for t in c.temperatures:
        model = student(f"distilled_T{t:g}".replace(".", "_"))
        distilled[t] = (fit(model, teacher, t, f"distilled T={t:g}"), model)
    main_acc, main_model = distilled[p["temperature"]]
    teacher_params = sum(m.count_params() for m in members)
    teacher_macs = sum(count_multiply_adds(m) for m in members)
    student_macs = count_multiply_adds(scratch)
    what = "MLP" if len(members) == 1 else f"{len(members)} MLPs"
    student_shape = "-".join(map(str, c.student_hidden))
    rows = [[f"teacher: {what} {teacher_shape}", teacher_params, teacher_macs, "—",
             r4(teacher_acc), "—", "—"],
            [f"student {student_shape}: scratch", scratch.count_params(), student_macs, "—",
             r4(scratch_acc), f"{scratch_acc - teacher_acc:+.3f}", "—"]]
    rows += [[f"student {student_shape}: distilled{' (main)' if t == p['temperature'] else ''}",
              main_model.count_params(), student_macs, f"{t:g}", r4(acc), f"{acc - teacher_acc:+.3f}",
              f"{acc - scratch_acc:+.3f}"] for t, (acc, _) in distilled.items()]
    ctx.table(f"Distillation: teacher with dropout {p['teacher_dropout']:g}; students trained on hard labels only "
              f"(scratch) or α = {p['alpha']:g} hard + soft targets at T (distilled), {p['student_epochs']} epochs each; "
              f"{len(x_test):,} test images",
              ["model", "parameters", "mult-adds / image", "T", "test acc", "vs teacher", "vs scratch"], rows)
    ctx.metric("teacher_accuracy", teacher_acc, note=f"members: {', '.join(f'{a:.3f}' for a in member_accs)}")
    ctx.metric("scratch_accuracy", scratch_acc)
    ctx.metric("distilled_accuracy", main_acc, note=f"T = {p['temperature']:g}")
    for t, (acc, _) in distilled.items():
        ctx.metric(f"distilled_accuracy_T{t:g}".replace(".", "_"), acc)
    ctx.metric("teacher_minus_distilled", teacher_acc - main_acc)
    ctx.metric("distilled_minus_scratch", main_acc - scratch_acc)
    ctx.metric("student_parameters", main_model.count_params(), note=f"teacher: {teacher_params:,}")
    ctx.note("loss of the distilled student: α·CE(labels, student) + (1 − α)·T²·KL(softmax(teacher/T) ‖ "
             "softmax(student/T)); the teacher is frozen inside the Distiller and labels every batch the student sees")
    ctx.note(f"the teacher saw images shifted by up to {p['teacher_shift']} pixels and dropout; the students see the "
             "training images as they are, without dropout, so the student from scratch overfits its labels while the "
             "teacher's soft targets (the probabilities it gives the wrong classes) carry what it learned beyond them")
