"""Which floating-point precision a run computes in: float32, or mixed bfloat16 where the hardware has it natively.

Mixed bfloat16 keeps the weights in float32 and computes matmuls and
convolutions in bfloat16. On CPUs with AMX or AVX512-BF16 (``amx_bf16``,
``avx512_bf16`` in ``/proc/cpuinfo``) a 2048² matmul ran about 4× float32;
elsewhere bfloat16 is emulated and slower, so it is used only where native,
and only by exercises whose measurement showed a gain. The precision that
ran is recorded in every result's environment (``precision``).
"""

from __future__ import annotations

import contextlib
import os

from ..machine import cpu_flags  # noqa: F401 (read here, and by name by the sweeps)

PRECISIONS = ("auto", "float32", "mixed_bfloat16")


def onednn_enabled() -> bool:
    """False under ``TF_ENABLE_ONEDNN_OPTS=0``: TensorFlow's Eigen kernels then compute bfloat16 on the CPU without
    its bfloat16 instructions (measured: day2.deep_cnn's quick run 738 s instead of 60 s on an AVX512-BF16 EPYC)."""
    return os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1").strip().lower() not in ("0", "false")


def native_bfloat16() -> bool:
    """True where bfloat16 matmuls run natively: an AMX / AVX512-BF16 CPU with TensorFlow's oneDNN kernels on, or a GPU.

    ``DLX_PRECISION=float32`` forces float32 everywhere (to reproduce a machine without it).
    """
    if os.environ.get("DLX_PRECISION", "").lower() == "float32":
        return False
    if cpu_flags() & {"amx_bf16", "avx512_bf16"} and onednn_enabled():
        return True
    from ..runtime import tf_keras

    tf, _ = tf_keras()
    return bool(tf.config.list_physical_devices("GPU"))


def resolve(choice: str) -> str:
    """"auto" → "mixed_bfloat16" where native, else "float32"; the other choices as given."""
    if choice not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, Received: precision={choice!r}")
    if choice == "auto":
        return "mixed_bfloat16" if native_bfloat16() else "float32"
    return choice


@contextlib.contextmanager
def precision_policy(policy: str):
    """Build models under Keras's global dtype policy ``policy`` ("float32" or "mixed_bfloat16"), then restore it."""
    from ..runtime import note_precision, tf_keras

    _, keras = tf_keras()
    previous = keras.config.dtype_policy().name
    keras.config.set_dtype_policy(policy)
    note_precision(policy)  # the result's environment says which precision ran
    try:
        yield policy
    finally:
        keras.config.set_dtype_policy(previous)
