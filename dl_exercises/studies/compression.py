"""Model compression runs shared by day4.quantization, day4.distillation, day4.pruning and bench.compression.

Day4 Section3 (軽量化・高速化技術: 量子化, 蒸留, プルーニング). One MNIST CNN
(``nn.compression.mnist_cnn``) is trained in float32; the quantization run
converts it (and an MLP) to TFLite float16 / dynamic-range int8 / full int8 and
to Keras's own int8, the pruning run removes its smallest weights and
fine-tunes it, and the distillation run teaches a smaller CNN from it. Every
size is counted in bytes, every accuracy on the same test images.

TensorFlow is imported inside functions (``ctx.keras()``); the TFLite
converter and interpreter print to the process's file descriptors, so their
output is captured (``quiet_native_output``) and ``--json`` stays clean.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from ..errors import DlxError
from ..train.layout import load_images
from .common import r4

TFLITE_MODES = ("float32", "float16", "dynamic_int8", "full_int8")
MODE_LABELS = {"float32": "TFLite float32", "float16": "TFLite float16 weights",
               "dynamic_int8": "TFLite dynamic-range int8", "full_int8": "TFLite full int8"}
CNN_FILTERS, CNN_DENSE = (16, 32), 64


# --- plumbing ----------------------------------------------------------------------------------


@contextlib.contextmanager
def quiet_native_output(what: str):
    """Send file descriptors 1 and 2 (C++ logging, MLIR notices) and Python warnings to a scratch file.

    On an exception the last line written there is added to a one-line ``DlxError`` naming ``what``.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    with tempfile.TemporaryFile(mode="w+b") as sink:
        saved = [os.dup(1), os.dup(2)]
        failure: BaseException | None = None
        try:
            os.dup2(sink.fileno(), 1)
            os.dup2(sink.fileno(), 2)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield
        except (KeyboardInterrupt, DlxError):
            raise
        except Exception as exc:  # noqa: BLE001 (re-raised as one line below)
            failure = exc
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
        if failure is not None:
            sink.seek(0)
            lines = [ln for ln in sink.read().decode("utf-8", "replace").splitlines() if ln.strip()]
            detail = str(failure).strip().splitlines()[-1:] or lines[-1:] or [type(failure).__name__]
            raise DlxError(f"{what} failed: {detail[0][:300]}") from failure


def load_mnist(ctx, n_train: int, n_test: int):
    """MNIST (or the offline mnist5k) as NHWC float32 in [0, 1]: (x_train, y_train, x_test, y_test)."""
    x_train, y_train, x_test, y_test, _ = load_images(ctx, n_train, n_test, "nhwc")
    return x_train, y_train, x_test, y_test


def train_model(ctx, model, x, y, *, epochs: int, batch_size: int, lr: float, label: str, callbacks=(),
                jit_compile: bool = False, steps_per_execution: int = 1):
    """Adam on sparse cross-entropy from logits; the progress bar and history come from ``ctx.callbacks``.

    Returns:
        the per-epoch training losses.
    """
    _, keras = ctx.keras()
    model.compile(optimizer=keras.optimizers.Adam(lr), jit_compile=jit_compile, steps_per_execution=steps_per_execution,
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    steps = int(np.ceil(len(x) / batch_size))
    with ctx.training():
        history = model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0, shuffle=True,
                            callbacks=[*callbacks, *ctx.callbacks(epochs, label, steps_per_epoch=steps)])
    losses = [float(v) for v in history.history["loss"]]
    for i, loss in enumerate(losses):
        ctx.check_finite(loss, f"in {label} at epoch {i + 1}")
    return losses


def accuracy_of(model, x, y) -> float:
    """Test accuracy from logits, one batched call per 1,000 images."""
    correct = 0
    for start in range(0, len(x), 1000):
        logits = np.asarray(model(x[start:start + 1000], training=False))
        correct += int(np.sum(logits.argmax(-1) == y[start:start + 1000]))
    return correct / len(x)


def clone_trained(model, name: str | None = None):
    """A new model of the same architecture holding a copy of ``model``'s weights."""
    from ..runtime import tf_keras

    _, keras = tf_keras()
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    return copy


def weight_bytes(model) -> int:
    """Bytes of the model's variables as held in memory (int8 kernels count one byte per weight)."""
    return int(sum(np.asarray(v.numpy()).nbytes for v in model.weights))


def keras_latency_us(model, images, repeats: int = 200) -> float:
    """Median µs of one compiled call on a single (1, 28, 28, 1) image (the first calls warm it up)."""
    tf, _ = _tf()
    call = tf.function(lambda image: model(image, training=False), reduce_retracing=True)
    times = []
    for i in range(repeats + 5):
        image = images[i % len(images)][None]
        start = time.perf_counter()
        np.asarray(call(image))
        times.append(time.perf_counter() - start)
    return float(np.median(times[5:]) * 1e6)


def _tf():
    from ..runtime import tf_keras

    return tf_keras()


# --- TFLite ------------------------------------------------------------------------------------


def export_saved_model(model, directory: Path) -> Path:
    """The model's inference call on one (1, 28, 28, 1) float32 image as a SavedModel (Keras's ExportArchive)."""
    import functools

    tf, keras = _tf()
    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint("serve", functools.partial(model.__call__, training=False),
                         input_signature=[tf.TensorSpec((1, 28, 28, 1), tf.float32, name="image")])
    with quiet_native_output("SavedModel export"):
        archive.write_out(str(directory), verbose=False)
    return directory


def tflite_convert(saved_model_dir: Path, mode: str, representative=None) -> bytes:
    """Convert with ``tf.lite.TFLiteConverter``; the input stays a float32 (1, 28, 28, 1) image.

    Args:
        mode: "float32"; "float16" (weights stored as float16); "dynamic_int8" (int8 weights,
            activations quantized on the fly); "full_int8" (weights and activations int8, ranges
            calibrated on ``representative`` images; only int8 built-in kernels).
        representative: (N, 28, 28, 1) float32 images for the calibration of "full_int8".
    Returns:
        the .tflite flatbuffer.
    """
    tf, _ = _tf()
    if mode not in TFLITE_MODES:
        raise ValueError(f"tflite_convert: mode must be one of {TFLITE_MODES}, Received: mode={mode!r}")
    converter = tf.lite.TFLiteConverter.from_saved_model(str(saved_model_dir))
    if mode != "float32":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "float16":
        converter.target_spec.supported_types = [tf.float16]
    if mode == "full_int8":
        if representative is None or not len(representative):
            raise ValueError("tflite_convert: full_int8 needs representative images")
        images = np.asarray(representative, np.float32)

        def representative_dataset():
            for image in images:
                yield [image[None]]

        converter.representative_dataset = representative_dataset
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    with quiet_native_output(f"TFLite conversion ({mode})"):
        return converter.convert()


class TFLiteModel:
    """A .tflite flatbuffer in ``tf.lite.Interpreter``, called one image at a time."""

    def __init__(self, flatbuffer: bytes) -> None:
        tf, _ = _tf()
        with quiet_native_output("TFLite interpreter"):
            self.interpreter = tf.lite.Interpreter(model_content=flatbuffer)
            self.interpreter.allocate_tensors()
        self.input = self.interpreter.get_input_details()[0]
        self.output = self.interpreter.get_output_details()[0]

    def __call__(self, image: np.ndarray) -> np.ndarray:
        self.interpreter.set_tensor(self.input["index"], np.asarray(image, np.float32).reshape(1, 28, 28, 1))
        self.interpreter.invoke()
        return self.interpreter.get_tensor(self.output["index"])[0]

    def evaluate(self, x, y) -> tuple[float, float, np.ndarray]:
        """(accuracy, median µs per invoke, outputs (N, 10)) over every image of ``x``."""
        outputs, times = [], []
        for image in x:
            self.interpreter.set_tensor(self.input["index"], image[None])
            start = time.perf_counter()
            self.interpreter.invoke()
            times.append(time.perf_counter() - start)
            outputs.append(np.array(self.interpreter.get_tensor(self.output["index"])[0]))
        outputs = np.stack(outputs)
        return float(np.mean(outputs.argmax(-1) == y)), float(np.median(times) * 1e6), outputs


def quantized_variants(ctx, model, label: str, x_rep, x_test, y_test, modes=TFLITE_MODES, keras_int8: bool = True):
    """Every format of one trained float32 model, measured alike.

    Returns:
        (rows, flatbuffers): rows {model, format, int8, size, accuracy, latency_us}; flatbuffers {mode: bytes}.
    """
    _, keras = ctx.keras()
    kernels = "all (Dense)" if not any(isinstance(l, keras.layers.Conv2D) for l in model.layers) else \
        "Dense only"
    rows = [{"model": label, "format": "Keras float32", "int8": "—", "size": weight_bytes(model), "size_of": "weights",
             "accuracy": accuracy_of(model, x_test, y_test), "latency_us": keras_latency_us(model, x_test)}]
    if keras_int8:
        q = clone_trained(model)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Layer Conv2D does not have a `quantize` method": said in the table
            q.quantize("int8")
        rows.append({"model": label, "format": 'Keras quantize("int8")', "int8": kernels, "size": weight_bytes(q),
                     "size_of": "weights", "accuracy": accuracy_of(q, x_test, y_test),
                     "latency_us": keras_latency_us(q, x_test)})
    buffers = {}
    with tempfile.TemporaryDirectory(prefix="dlx-tflite-") as tmp:
        saved = export_saved_model(model, Path(tmp) / "saved_model")
        for mode in modes:
            buffers[mode] = tflite_convert(saved, mode, x_rep)
            acc, latency, _ = TFLiteModel(buffers[mode]).evaluate(x_test, y_test)
            rows.append({"model": label, "format": MODE_LABELS[mode], "size": len(buffers[mode]), "size_of": "file",
                         "int8": {"float32": "—", "float16": "—", "dynamic_int8": "weights",
                                  "full_int8": "weights, activations"}[mode],
                         "accuracy": acc, "latency_us": latency})
    return rows, buffers


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
    from ..scratch.quantization import weight_precision_table

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
    from ..nn.compression import mnist_cnn, mnist_mlp

    p = ctx.params
    one_bit_table(ctx)
    x_train, y_train, x_test, y_test = load_mnist(ctx, p["n_train"], p["n_test"])
    x_rep = x_train[:p["calibration"]]
    ctx.reseed(0)
    cnn = mnist_cnn(CNN_FILTERS, CNN_DENSE, name="cnn")
    train_model(ctx, cnn, x_train, y_train, epochs=p["cnn_epochs"], batch_size=p["batch_size"], lr=p["lr"], label="CNN")
    ctx.reseed(1)
    mlp = mnist_mlp((300, 100), name="mlp")
    train_model(ctx, mlp, x_train, y_train, epochs=p["mlp_epochs"], batch_size=p["batch_size"], lr=p["lr"], label="MLP")
    cnn_rows, buffers = quantized_variants(ctx, cnn, "CNN", x_rep, x_test, y_test)
    mlp_rows, _ = quantized_variants(ctx, mlp, "MLP", x_rep, x_test, y_test, modes=("float32", "full_int8"))
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


def parse_fractions(text: str, key: str) -> list[float]:
    """"0,0.5,0.8" → [0.0, 0.5, 0.8]; each must be in [0, 1) (``UsageError``, exit 2, otherwise)."""
    from ..errors import UsageError

    values = []
    for part in (p.strip() for p in str(text).split(",")):
        if not part:
            continue
        try:
            value = float(part)
        except ValueError:
            raise UsageError(f"--set {key}={text}: {part!r} is not a number (allowed: numbers in [0, 1), "
                             "comma-separated)") from None
        if not 0.0 <= value < 1.0:
            raise UsageError(f"--set {key}={text}: {value:g} is out of range (allowed: numbers in [0, 1), comma-separated)")
        values.append(value)
    if not values:
        raise UsageError(f"--set {key}={text}: give at least one value (allowed: numbers in [0, 1), comma-separated)")
    return sorted(set(values))


def prune_and_finetune(ctx, base, x_train, y_train, x_test, y_test, sparsity: float, schedule: str, *,
                       epochs: int, batch_size: int, lr: float, scope: str = "global", cosine: bool = False) -> dict:
    """Copy the trained ``base``, prune its kernels by magnitude (``schedule``), fine-tune with the masks held.

    ``cosine``: the fine-tuning's Adam rate decays from ``lr`` to 0 (cosine) instead of staying at ``lr``.

    Returns:
        {sparsity, schedule, before, after, nonzero_kernels, kernels, nonzero, zip_bytes, measured_sparsity}.
    """
    from ..nn.compression import MagnitudePruning, count_nonzero, prunable_kernels, pruning_masks, zipped_size

    model = clone_trained(base)
    kernels = prunable_kernels(model)
    if schedule == "one_shot":
        for kernel, mask in zip(kernels, pruning_masks([k.numpy() for k in kernels], sparsity, scope)):
            kernel.assign(kernel.numpy() * mask)
    before = accuracy_of(model, x_test, y_test)
    steps = int(np.ceil(len(x_train) / batch_size)) * epochs
    pruning = MagnitudePruning(sparsity, schedule, end_step=max(1, (2 * steps) // 3), frequency=max(1, steps // 30),
                               scope=scope)
    if epochs:
        _, keras = ctx.keras()
        rate = keras.optimizers.schedules.CosineDecay(lr, steps) if cosine else lr
        train_model(ctx, model, x_train, y_train, epochs=epochs, batch_size=batch_size, lr=rate,
                    label=f"fine-tune {sparsity:.0%} {schedule}", callbacks=[pruning])
    nonzero_kernels, nonzero = count_nonzero(model)
    size = sum(int(np.prod(k.shape)) for k in kernels)
    per_layer = [1.0 - np.count_nonzero(k.numpy()) / k.numpy().size for k in kernels]
    return {"sparsity": sparsity, "schedule": schedule, "before": before, "after": accuracy_of(model, x_test, y_test),
            "per_layer": per_layer, "layer_names": [k.path.split("/")[-2] for k in kernels],
            "nonzero_kernels": nonzero_kernels, "kernels": size, "nonzero": nonzero,
            "measured_sparsity": 1.0 - nonzero_kernels / size, "zip_bytes": zipped_size(model.get_weights()),
            "model": model}


def pruning_schedules(sparsity: float, target: float, schedule: str) -> tuple[str, ...]:
    """The schedules run at one sparsity: none to speak of at 0 %, both at the target sparsity (the target takes
    the worse), ``schedule`` ("both": one-shot and gradual) everywhere else."""
    if sparsity == 0:
        return ("one_shot",)
    if sparsity == target:
        return ("one_shot", "gradual")
    return ("one_shot", "gradual") if schedule == "both" else (schedule,)


def run_pruning(ctx) -> list[dict]:
    """Magnitude pruning of the trained MNIST CNN at each sparsity (gradual, one-shot or both), then fine-tuning."""
    from ..nn.compression import mnist_cnn, zipped_size

    p = ctx.params
    sparsities = sorted(set(parse_fractions(p["sparsities"], "sparsities")) | {p["sparsity"]})
    x_train, y_train, x_test, y_test = load_mnist(ctx, p["n_train"], p["n_test"])
    ctx.reseed(0)
    base = mnist_cnn(CNN_FILTERS, CNN_DENSE, name="cnn")
    train_model(ctx, base, x_train, y_train, epochs=p["epochs"], batch_size=p["batch_size"], lr=p["lr"], label="dense CNN")
    base_accuracy = accuracy_of(base, x_test, y_test)
    base_zip = zipped_size(base.get_weights())
    runs = []
    for sparsity in sparsities:
        for schedule in pruning_schedules(sparsity, p["sparsity"], p["schedule"]):
            ctx.reseed(10)  # every fine-tuning sees the same batches
            run = prune_and_finetune(ctx, base, x_train, y_train, x_test, y_test, sparsity, schedule,
                                     epochs=p["finetune_epochs"], batch_size=p["batch_size"], lr=p["finetune_lr"],
                                     scope=p["scope"], cosine=True)
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
    return runs


# --- day4.distillation -------------------------------------------------------------------------


def shifted_batches(tf, x, y, batch_size: int, shift: int, seed: int):
    """A shuffled tf.data stream of (images shifted by up to ``shift`` pixels, targets); ``shift`` 0: unchanged.

    ``y``: the labels, or a tuple of arrays (labels, teacher logits) kept together with their images.
    """
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x), seed=seed).batch(batch_size)
    if shift:
        from ..runtime import tf_keras

        _, keras = tf_keras()
        move = keras.layers.RandomTranslation(shift / 28, shift / 28, fill_mode="constant", seed=seed)
        dataset = dataset.map(lambda a, b: (move(a, training=True), b))
    return dataset.prefetch(2)


def ensemble_teacher(keras, members, name: str = "teacher"):
    """The members' mean log-probabilities as one model: the accurate, expensive teacher (an ensemble)."""
    inputs = keras.Input((28, 28, 1), name=f"{name}_image")
    outs = [keras.layers.Activation("log_softmax", name=f"{name}_logp{i}")(m(inputs)) for i, m in enumerate(members)]
    merged = outs[0] if len(outs) == 1 else keras.layers.Average(name=f"{name}_mean")(outs)
    return keras.Model(inputs, merged, name=name)


def fit_student(ctx, student, x_train, y_train, *, teacher, alpha: float, temperature: float, epochs: int,
                batch_size: int, lr: float, label: str, shift: int = 0, cosine: bool = False,
                steps_per_execution: int = 1, teacher_logits=None) -> list[float]:
    """Train ``student`` from scratch (``teacher`` None: hard labels only) or distilled through ``Distiller``.

    ``teacher_logits``: the frozen teacher's logits of ``x_train``, when the caller has them (several students of
    one teacher); computed here otherwise. Unused with ``shift`` (the teacher labels each shifted batch itself).
    ``cosine``: Adam's learning rate decays from ``lr`` to 0 over the run (cosine) instead of staying at ``lr``.
    ``steps_per_execution``: batches per graph call (the same steps, less Python overhead for small models).
    """
    tf, keras = ctx.keras()
    from ..nn.compression import Distiller

    targets = y_train
    if teacher is not None and not shift:
        # unshifted images: the frozen teacher's logits are the same every epoch, so compute them once. Measured
        # (a 256-256 student of an 800-800 teacher, batch 64, 2 cores): 0.44 s an epoch with the teacher run on
        # every step, 0.20 s with its logits computed once.
        if teacher_logits is None:
            teacher_logits = teacher.predict(x_train, batch_size=1000, verbose=0)
        targets = (y_train, teacher_logits)
    stream = shifted_batches(tf, x_train, targets, batch_size, shift, ctx.seed)
    steps = int(np.ceil(len(x_train) / batch_size))
    rate = keras.optimizers.schedules.CosineDecay(lr, epochs * steps) if cosine else lr
    if teacher is None:
        model = student
        model.compile(optimizer=keras.optimizers.Adam(rate), jit_compile=False, steps_per_execution=steps_per_execution,
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    else:
        model = Distiller(student, teacher, alpha=alpha, temperature=temperature, name=f"distiller_{student.name}")
        model.compile(optimizer=keras.optimizers.Adam(rate), jit_compile=False, steps_per_execution=steps_per_execution)
    with ctx.training():
        history = model.fit(stream, epochs=epochs, verbose=0, shuffle=False,  # the stream is shuffled
                            callbacks=ctx.callbacks(epochs, label, steps_per_epoch=steps))
    losses = [float(v) for v in history.history["loss"]]
    for i, loss in enumerate(losses):
        ctx.check_finite(loss, f"in {label} at epoch {i + 1}")
    return losses


def parse_temperatures(text: str, key: str = "temperatures") -> list[float]:
    """"1,4,10" → [1.0, 4.0, 10.0]; each must be > 0 (``UsageError``, exit 2, otherwise)."""
    from ..errors import UsageError

    values = []
    for part in (p.strip() for p in str(text).split(",")):
        if not part:
            continue
        try:
            value = float(part)
        except ValueError:
            raise UsageError(f"--set {key}={text}: {part!r} is not a number (allowed: numbers > 0, comma-separated)") from None
        if not (value > 0 and np.isfinite(value)):
            raise UsageError(f"--set {key}={text}: {value:g} is out of range (allowed: numbers > 0, comma-separated)")
        values.append(value)
    return sorted(set(values))


def parse_widths(text: str, key: str) -> tuple[int, ...]:
    """"800,800" → (800, 800): hidden widths, each a whole number ≥ 1 (``UsageError``, exit 2, otherwise)."""
    from ..errors import UsageError

    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    if not parts or not all(p.isdigit() and int(p) >= 1 for p in parts):
        raise UsageError(f"--set {key}={text}: expected hidden widths, whole numbers >= 1, comma-separated (e.g. 256,256)")
    return tuple(int(p) for p in parts)


# 16 batches per graph call: the same steps with less Python overhead for these small MLPs. Measured (AMD EPYC,
# 2 busy cores, a 1-epoch teacher and two 50-epoch students): 47.8 s user+sys CPU at 1, 37.7 s at 16, same accuracies.
DISTILL_STEPS_PER_EXECUTION = 16


def train_teacher(ctx, x_train, y_train, p) -> tuple:
    """``p["members"]`` large MLPs with dropout, trained on shifted images (one, or an ensemble); (teacher, members)."""
    tf, keras = ctx.keras()
    from ..nn.compression import mnist_mlp

    hidden = parse_widths(p["teacher_hidden"], "teacher_hidden")
    members = []
    steps = int(np.ceil(len(x_train) / p["batch_size"]))
    for i in range(p["members"]):
        ctx.reseed(100 + i)
        member = mnist_mlp(hidden, dropout=p["teacher_dropout"], name=f"teacher{i + 1}")
        rate = keras.optimizers.schedules.CosineDecay(p["lr"], p["teacher_epochs"] * steps)
        member.compile(optimizer=keras.optimizers.Adam(rate), jit_compile=False,
                       steps_per_execution=DISTILL_STEPS_PER_EXECUTION,
                       loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        with ctx.training():
            member.fit(shifted_batches(tf, x_train, y_train, p["batch_size"], p["teacher_shift"], ctx.seed + 100 + i),
                       epochs=p["teacher_epochs"], verbose=0, shuffle=False,
                       callbacks=ctx.callbacks(p["teacher_epochs"], f"teacher {i + 1}", steps_per_epoch=steps))
        members.append(member)
    return ensemble_teacher(keras, members), members


def run_distillation(ctx) -> dict:
    """A large MLP teacher, a small MLP from scratch, the same MLP distilled at each temperature (Hinton et al. §3)."""
    from ..nn.compression import mnist_mlp
    from ..nn.flops import count_multiply_adds

    p = ctx.params
    temperatures = sorted(set(parse_temperatures(p["temperatures"])) | {p["temperature"]})
    student_hidden = parse_widths(p["student_hidden"], "student_hidden")
    teacher_shape = "-".join(map(str, parse_widths(p["teacher_hidden"], "teacher_hidden")))  # checked before training
    x_train, y_train, x_test, y_test = load_mnist(ctx, p["n_train"], p["n_test"])
    teacher, members = train_teacher(ctx, x_train, y_train, p)
    teacher_acc = accuracy_of(teacher, x_test, y_test)
    member_accs = [accuracy_of(m, x_test, y_test) for m in members]

    def student(name):
        ctx.reseed(1)  # every student starts from the same weights and sees the same batches
        return mnist_mlp(student_hidden, name=name)

    teacher_logits = teacher.predict(x_train, batch_size=1000, verbose=0)  # one teacher for every distilled student

    def fit(model, teacher_model, t, label):
        fit_student(ctx, model, x_train, y_train, teacher=teacher_model, alpha=p["alpha"] if teacher_model else 1.0,
                    temperature=t, epochs=p["student_epochs"], batch_size=p["student_batch_size"], lr=p["lr"], label=label,
                    cosine=True, steps_per_execution=DISTILL_STEPS_PER_EXECUTION, teacher_logits=teacher_logits)
        return accuracy_of(model, x_test, y_test)

    scratch = student("scratch")
    scratch_acc = fit(scratch, None, 1.0, "student from scratch")
    distilled = {}
    for t in temperatures:
        model = student(f"distilled_T{t:g}".replace(".", "_"))
        distilled[t] = (fit(model, teacher, t, f"distilled T={t:g}"), model)
    main_acc, main_model = distilled[p["temperature"]]
    teacher_params = sum(m.count_params() for m in members)
    teacher_macs = sum(count_multiply_adds(m) for m in members)
    student_macs = count_multiply_adds(scratch)
    what = "MLP" if len(members) == 1 else f"{len(members)} MLPs"
    student_shape = "-".join(map(str, student_hidden))
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
    return {"teacher": (teacher, teacher_acc, teacher_params), "scratch": (scratch, scratch_acc),
            "distilled": (main_model, main_acc)}


# --- bench.compression -------------------------------------------------------------------------


def zipped_bytes(data: bytes) -> int:
    """Bytes of ``data`` as the one entry of a zip archive (deflate, level 9)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("model.tflite", data)
    return len(buffer.getvalue())


def tflite_point(model, modes, x_rep, x_test, y_test) -> dict:
    """{mode: (file bytes, zipped bytes, TFLite test accuracy)} of ``model`` converted to each mode."""
    points = {}
    with tempfile.TemporaryDirectory(prefix="dlx-tflite-") as tmp:
        saved = export_saved_model(model, Path(tmp) / "saved_model")
        for mode in modes:
            flatbuffer = tflite_convert(saved, mode, x_rep)
            acc, _, _ = TFLiteModel(flatbuffer).evaluate(x_test, y_test)
            points[mode] = (len(flatbuffer), zipped_bytes(flatbuffer), acc)
    return points


def run_bench(ctx) -> None:
    """One trained CNN, quantized, pruned and distilled; every variant as a .tflite file: zipped size vs accuracy."""
    from ..nn.compression import mnist_cnn

    p = ctx.params
    x_train, y_train, x_test, y_test = load_mnist(ctx, p["n_train"], p["n_test"])
    x_rep = x_train[:p["calibration"]]
    ctx.reseed(0)
    base = mnist_cnn(CNN_FILTERS, CNN_DENSE, name="cnn")
    train_model(ctx, base, x_train, y_train, epochs=p["epochs"], batch_size=p["batch_size"], lr=p["lr"], label="CNN")
    points = []  # (technique, label, parameters (nonzero), file bytes, zipped bytes, accuracy)
    nonzero = sum(int(np.count_nonzero(w)) for w in base.get_weights())
    for mode, (size, zipped, acc) in tflite_point(base, TFLITE_MODES, x_rep, x_test, y_test).items():
        points.append(("float32" if mode == "float32" else "quantization", MODE_LABELS[mode], nonzero, size, zipped, acc))
    for sparsity in parse_fractions(p["sparsities"], "sparsities"):
        if sparsity == 0:
            continue
        ctx.reseed(10)
        run = prune_and_finetune(ctx, base, x_train, y_train, x_test, y_test, sparsity, "one_shot",
                                 epochs=p["finetune_epochs"], batch_size=p["batch_size"], lr=p["finetune_lr"])
        modes = ("float32", "full_int8") if sparsity == max(parse_fractions(p["sparsities"], "sparsities")) else ("float32",)
        for mode, (size, zipped, acc) in tflite_point(run["model"], modes, x_rep, x_test, y_test).items():
            label = f"pruned {sparsity:.0%}" + (" + full int8" if mode == "full_int8" else "")
            points.append(("pruning", label, run["nonzero"], size, zipped, acc))
    for label, teacher in (("student from scratch", None), (f"distilled student, T = {p['temperature']:g}", base)):
        ctx.reseed(1)
        student = mnist_cnn((p["student_filters"], 2 * p["student_filters"]), p["student_dense"],
                            name="scratch" if teacher is None else "distilled")
        fit_student(ctx, student, x_train, y_train, teacher=teacher, alpha=p["alpha"], temperature=p["temperature"],
                    epochs=p["student_epochs"], batch_size=p["batch_size"], lr=p["lr"], label=label)
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
