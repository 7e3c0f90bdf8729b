"""TFLite for the compression runs (Day4 Section3, 量子化): SavedModel export, conversion, the interpreter.

The TFLite converter and interpreter print to the process's file descriptors, so their output is
captured (``quiet_native_output``) and ``--json`` stays clean.
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

from ...errors import DlxError
from .config import MODE_LABELS, TFLITE_MODES
from .measure import accuracy_of, clone_trained, keras_latency_us, weight_bytes, zipped_bytes


def _tf():
    from ...runtime import tf_keras

    return tf_keras()


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


def quantized_variants(model, label: str, x_rep, x_test, y_test, modes=TFLITE_MODES, keras_int8: bool = True):
    """Every format of one trained float32 model, measured alike.

    Returns:
        (rows, flatbuffers): rows {model, format, int8, size, accuracy, latency_us}; flatbuffers {mode: bytes}.
    """
    _, keras = _tf()
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
