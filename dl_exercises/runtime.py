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

from .errors import NonFiniteLoss
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
        with _quiet_native_stderr():
            import tensorflow  # noqa: F401 (deliberately lazy)
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
    random.seed(seed)
    np.random.seed(seed % (2**32))
    if "keras" in sys.modules:
        import keras

        keras.utils.set_random_seed(seed)


def environment(tf_loaded: bool | None = None) -> dict[str, Any]:
    """Versions, backend, devices, threads and determinism settings (``dlx env``)."""
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
        info.update(
            {
                "tensorflow": tf.__version__,
                "keras": keras.__version__,
                "backend": keras.backend.backend(),
                "devices": [d.name for d in tf.config.list_logical_devices()],
                "gpus": len(tf.config.list_physical_devices("GPU")),
                "intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads() or "auto",
                "inter_op_threads": tf.config.threading.get_inter_op_parallelism_threads() or "auto",
                "op_determinism": _OP_DETERMINISM,
            }
        )
    return info


def check_finite(value: float, where: str) -> float:
    """Raise ``NonFiniteLoss`` (one line, exit 1) when a loss is NaN or Inf."""
    value = float(value)
    if not math.isfinite(value):
        raise NonFiniteLoss(f"loss became {value} {where}; training stopped (try a smaller learning rate)")
    return value
