"""``precision="auto"``: mixed bfloat16 only where the CPU computes it natively and TensorFlow's oneDNN kernels use it."""

from __future__ import annotations

import pytest

from dl_exercises.train import precision


@pytest.fixture
def bf16_cpu(monkeypatch):
    monkeypatch.setattr(precision, "cpu_flags", lambda: frozenset({"avx2", "avx512f", "avx512_bf16"}))
    monkeypatch.delenv("DLX_PRECISION", raising=False)
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)
    return monkeypatch


def test_auto_is_mixed_bfloat16_on_a_bfloat16_cpu(bf16_cpu):
    assert precision.resolve("auto") == "mixed_bfloat16"


@pytest.mark.parametrize("value", ["0", "false", "False"])
def test_auto_is_float32_when_onednn_is_off(bf16_cpu, value):
    """Eigen's kernels emulate bfloat16 (12x slower than float32 measured on DeepConvNet): no GPU here, so float32."""
    bf16_cpu.setenv("TF_ENABLE_ONEDNN_OPTS", value)
    pytest.importorskip("tensorflow")
    from dl_exercises.runtime import tf_keras

    tf, _ = tf_keras()
    if tf.config.list_physical_devices("GPU"):
        pytest.skip("a GPU computes bfloat16 natively whatever the CPU kernels")
    assert precision.resolve("auto") == "float32"


def test_dlx_precision_float32_forces_float32(bf16_cpu):
    bf16_cpu.setenv("DLX_PRECISION", "float32")
    assert precision.resolve("auto") == "float32"


def test_explicit_choices_are_kept_and_bad_ones_refused(bf16_cpu):
    assert precision.resolve("float32") == "float32"
    assert precision.resolve("mixed_bfloat16") == "mixed_bfloat16"
    with pytest.raises(ValueError, match="precision must be one of"):
        precision.resolve("float16")
