"""TensorFlow environment, seeding and the environment report.

``import tensorflow`` costs seconds, so nothing here imports it at module
level: ``tf_keras()`` sets the environment first (quiet logs, opt-in op
determinism) and then imports, once. A run is seeded once, at its start
(``seed_everything``); when TensorFlow is imported later in the run, the
same seed is applied to it as it loads, so a lazily imported Keras starts
from the run's seed without anything reseeding it mid-run.
"""

from __future__ import annotations

import contextlib
import math
import os
import platform
import random
import sys
from typing import Any

import numpy as np

from .errors import DlxError, NonFiniteLoss
from .version import __version__


def prepare_tf_environment() -> None:
    """Environment variables that must be set before TensorFlow is first imported."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("ABSL_MIN_LOG_LEVEL", "3")


_TF_READY = False
_OP_DETERMINISM = False
_RUN_SEED: int | None = None  # the seed of the run in progress, applied to Keras when it is first imported


def tf_keras():
    """Import and configure TensorFlow and Keras; returns ``(tf, keras)``."""
    global _TF_READY, _OP_DETERMINISM
    prepare_tf_environment()
    if "tensorflow" not in sys.modules:
        from .tensorflow_build import MISSING, check_single_build

        check_single_build()  # both builds in one environment: one line now, not a crash inside TensorFlow later
        try:
            with _quiet_native_stderr():
                import tensorflow  # noqa: F401 (deliberately lazy)
        except ModuleNotFoundError as exc:
            if exc.name != "tensorflow":
                raise
            raise DlxError(MISSING) from None
    import tensorflow as tf
    import keras

    if not _TF_READY:
        tf.get_logger().setLevel("ERROR")
        # Op determinism is opt-in: with it on, Keras silently compiles every model
        # without XLA (keras trainer's model_supports_jit), which undoes the per-model
        # XLA choices measured in the exercises. Seeded CPU runs repeat without it
        # (tests/test_determinism.py); DLX_DETERMINISTIC=1 turns it on.
        if os.environ.get("DLX_DETERMINISTIC", "") not in ("", "0"):
            try:
                tf.config.experimental.enable_op_determinism()
                _OP_DETERMINISM = True
            except Exception:  # older or unusual builds: determinism is best effort
                _OP_DETERMINISM = False
        keras.utils.disable_interactive_logging()
        _TF_READY = True
        if _RUN_SEED is not None:
            keras.utils.set_random_seed(_RUN_SEED)
    return tf, keras


@contextlib.contextmanager
def _quiet_native_stderr():
    """Silence what TensorFlow's C++ side prints while it loads.

    TF 2.21 writes absl notices (oneDNN, CPU features) to file descriptor 2
    before ``TF_CPP_MIN_LOG_LEVEL`` takes effect; a run's stderr should carry
    only dlx's own progress and notices. Python exceptions still propagate.
    """
    try:
        saved = os.dup(2)
    except OSError:  # no usable stderr descriptor (some embedded hosts)
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and Keras/TensorFlow (now if imported, else as soon as ``tf_keras`` imports them)."""
    global _RUN_SEED
    _RUN_SEED = seed
    _PRECISIONS.clear()  # a new run: no model built yet
    random.seed(seed)
    np.random.seed(seed % (2**32))
    if "keras" in sys.modules:
        import keras

        keras.utils.set_random_seed(seed)


def environment(tf_loaded: bool | None = None) -> dict[str, Any]:
    """Versions, backend, devices, threads and determinism settings, and the machine (``dlx env``, every result).

    The machine's part (CPU model, vector instructions, oneDNN, TensorFlow's build, GPUs, the git commit of a
    clone) is what a number depends on beyond the code: results name it so two runs can be told apart later.
    """
    from . import machine

    info: dict[str, Any] = {
        "dlx": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "numpy": np.__version__,
        "cpu_count": os.cpu_count(),
    }
    if tf_loaded is None:
        tf_loaded = "tensorflow" in sys.modules
    if tf_loaded:
        tf, keras = tf_keras()
        gpus = tf.config.list_physical_devices("GPU")
        info.update(
            {
                "tensorflow": tf.__version__,
                "keras": keras.__version__,
                "backend": keras.backend.backend(),
                "devices": [d.name for d in tf.config.list_logical_devices()],
                "gpus": len(gpus),
                "intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads() or "auto",
                "inter_op_threads": tf.config.threading.get_inter_op_parallelism_threads() or "auto",
                "op_determinism": _OP_DETERMINISM,
                "tensorflow_build": _tf_build(tf),
                "gpu_names": [_gpu_name(tf, gpu) for gpu in gpus],
            }
        )
    info.update({
        "cpu": machine.cpu_model(),
        "vector_instructions": machine.vector_instructions(),
        "onednn": machine.onednn_enabled(),
    })
    revision = machine.git_revision()
    if revision is not None:
        info["git_commit"] = revision["commit"]
        info["git_modified"] = revision["modified"]
    return info


def _tf_build(tf) -> str:
    """"cpu", or "cuda 12.5.1 (cuDNN 9)" / "rocm": what TensorFlow was compiled for."""
    try:
        build = dict(tf.sysconfig.get_build_info())
    except Exception:  # noqa: BLE001 - an unusual build without build info
        return "unknown"
    if build.get("is_cuda_build"):
        cuda, cudnn = build.get("cuda_version"), build.get("cudnn_version")
        return "cuda" + (f" {cuda}" if cuda else "") + (f" (cuDNN {cudnn})" if cudnn else "")
    if build.get("is_rocm_build"):
        return "rocm"
    return "cpu"


def _gpu_name(tf, gpu) -> str:
    try:
        return tf.config.experimental.get_device_details(gpu).get("device_name") or gpu.name
    except Exception:  # noqa: BLE001 - details are best effort
        return gpu.name


# The Keras dtype policies the run in progress built models under (``train.precision.precision_policy`` notes
# each); ``precision_that_ran`` reads them when the run ends.
_PRECISIONS: set[str] = set()


def note_precision(policy: str) -> None:
    """Record that the run in progress built a model under the Keras dtype policy ``policy``."""
    _PRECISIONS.add(policy)


def precision_that_ran() -> str | None:
    """The dtype policies the run built its Keras models under ("float32", "mixed_bfloat16", or both, joined);
    Keras's global policy when no exercise chose one; None when the run never imported Keras (numpy only)."""
    used = set(_PRECISIONS)
    if not used and "keras" in sys.modules:
        import keras

        used.add(keras.config.dtype_policy().name)
    return ", ".join(sorted(used)) or None


def check_finite(value: float, where: str) -> float:
    """Raise ``NonFiniteLoss`` (one line, exit 1) when a loss is NaN or Inf."""
    value = float(value)
    if not math.isfinite(value):
        raise NonFiniteLoss(f"loss became {value} {where}; training stopped (try a smaller learning rate)")
    return value
