"""Day4 Section3 model compression: number formats, quantization, distillation, pruning, TFLite files.

Every cross-check compares with an independent reference: numpy's and ml_dtypes'
casts and ``finfo``, TensorFlow's fake-quantization op, Keras's own int8 Dense
kernel, a hand-written numpy distillation loss, the Keras model a .tflite file
was made from.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

from dl_exercises.scratch.quantization import (FLOAT_FORMATS, dequantize_affine, quantize_affine,
                                               quantize_symmetric, round_to_float, weight_precision_table)


@pytest.fixture(scope="module")
def tfk():
    from dl_exercises.runtime import tf_keras

    return tf_keras()


# --- number formats (numpy) --------------------------------------------------------------------


def _reference_dtypes():
    import ml_dtypes

    return {"float64": np.float64, "float32": np.float32, "float16": np.float16, "bfloat16": ml_dtypes.bfloat16,
            "float8_e5m2": ml_dtypes.float8_e5m2}


@pytest.mark.parametrize("name", list(FLOAT_FORMATS))
def test_round_to_float_equals_the_dtype_cast(name):
    """Exactly the value numpy / ml_dtypes store, subnormals, ties and overflow to inf included."""
    rng = np.random.default_rng(0)
    x = rng.normal(0, 1, 20000) * 10.0 ** rng.integers(-45, 39, 20000)
    x = np.concatenate([x, [0.1, -0.1, 0.0, 65504.0, 65519.99, 65520.0, 1e-8, 2.98e-8, 6e-8, 3.39e38, 3.5e38, 57344.0,
                            61439.0, 61440.0]])
    with np.errstate(over="ignore"):
        reference = x.astype(_reference_dtypes()[name]).astype(np.float64)
    np.testing.assert_array_equal(round_to_float(x, FLOAT_FORMATS[name]), reference)


@pytest.mark.parametrize("name", list(FLOAT_FORMATS))
def test_float_format_constants_match_finfo(name):
    import ml_dtypes

    dtype = _reference_dtypes()[name]
    info = ml_dtypes.finfo(dtype) if name in ("bfloat16", "float8_e5m2") else np.finfo(dtype)
    fmt = FLOAT_FORMATS[name]
    assert (fmt.max, fmt.eps, fmt.smallest_normal, fmt.smallest_subnormal, fmt.bits) == (
        float(info.max), float(info.eps), float(info.smallest_normal), float(info.smallest_subnormal), info.bits)


def test_the_course_one_bit_weight():
    """a = 0.1 in one bit holding 0 or 1 becomes 0: y = 0·x (the course's example); wider codes keep more."""
    rows = {r["format"]: r for r in weight_precision_table(0.1, 0.0, 1.0, x=10.0)}
    one_bit = rows["1-bit code on [0, 1] ({0, 1})"]
    assert one_bit["stored"] == 0.0 and one_bit["y"] == 0.0 and one_bit["relative_error"] == 1.0
    assert quantize_affine(0.6, 1, 0.0, 1.0)[0] == 1  # the other value: y = x
    for bits in (8, 4, 2):
        row = rows[f"{bits}-bit code on [0, 1] ({2 ** bits} levels)"]
        assert abs(row["error"]) <= 0.5 / (2**bits - 1) + 1e-15
    for name, fmt in FLOAT_FORMATS.items():
        assert rows[name]["relative_error"] <= fmt.eps / 2


def test_affine_codes_equal_tensorflow_fake_quant(tfk):
    tf, _ = tfk
    x = np.random.default_rng(1).uniform(-0.2, 1.2, 5000).astype(np.float32)
    codes, scale, lo = quantize_affine(x, 8, 0.0, 1.0)
    ours = dequantize_affine(codes, scale, lo)
    theirs = tf.quantization.fake_quant_with_min_max_args(x, min=0.0, max=1.0, num_bits=8).numpy()
    np.testing.assert_allclose(ours, theirs, atol=1e-6)  # float32 op vs float64: same level for every value


def test_symmetric_codes_equal_keras_int8_dense(tfk):
    """Keras quantize("int8") stores each output column as round(w / s) with s = max|w| / 127: ours, per column."""
    _, keras = tfk
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(7)])
    kernel = np.asarray(model.layers[0].kernel.numpy(), np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.quantize("int8")
    layer = model.layers[0]
    keras_codes = np.asarray(layer._kernel.numpy() if hasattr(layer, "_kernel") else layer.kernel.numpy())
    keras_scale = np.asarray(layer.kernel_scale.numpy()).reshape(-1)
    for j in range(kernel.shape[1]):
        codes, scale = quantize_symmetric(kernel[:, j], 8)
        np.testing.assert_array_equal(codes, keras_codes[:, j].astype(np.int64))
        np.testing.assert_allclose(scale, 1.0 / keras_scale[j], rtol=1e-6)  # Keras keeps 127 / max|w|


# --- distillation ------------------------------------------------------------------------------


def _numpy_distillation_loss(labels, zs, zt, alpha, temperature):
    """By hand, in float64: log-softmax, cross-entropy, KL(p_t ‖ p_s)."""
    def log_softmax(z):
        z = z - z.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))

    hard = -log_softmax(zs)[np.arange(len(labels)), labels].mean()
    lt, ls = log_softmax(zt / temperature), log_softmax(zs / temperature)
    kl = (np.exp(lt) * (lt - ls)).sum(axis=1).mean()
    return alpha * hard + (1 - alpha) * temperature**2 * kl


@pytest.mark.parametrize("alpha,temperature", [(0.1, 4.0), (0.5, 1.0), (1.0, 2.0), (0.0, 10.0)])
def test_distillation_loss_matches_a_hand_computation(tfk, alpha, temperature):
    from dl_exercises.nn.compression import distillation_loss

    rng = np.random.default_rng(4)
    labels = rng.integers(0, 10, 32)
    zs, zt = rng.normal(0, 3, (32, 10)), rng.normal(0, 5, (32, 10))
    ours = float(distillation_loss(labels, zs.astype("float32"), zt.astype("float32"), alpha, temperature))
    np.testing.assert_allclose(ours, _numpy_distillation_loss(labels, zs, zt, alpha, temperature), rtol=2e-5)


def test_distillation_loss_of_a_perfect_copy_is_the_hard_term(tfk):
    """KL(p ‖ p) = 0: a student equal to its teacher pays only α·CE."""
    from dl_exercises.nn.compression import distillation_loss

    rng = np.random.default_rng(5)
    labels, z = rng.integers(0, 10, 16), rng.normal(0, 2, (16, 10)).astype("float32")
    hard = _numpy_distillation_loss(labels, z.astype(np.float64), z.astype(np.float64), 1.0, 1.0)
    np.testing.assert_allclose(float(distillation_loss(labels, z, z, 0.3, 5.0)), 0.3 * hard, rtol=2e-5)


def test_distiller_updates_the_student_only(tfk):
    _, keras = tfk
    from dl_exercises.nn.compression import Distiller, mnist_cnn

    keras.utils.set_random_seed(6)
    teacher, student = mnist_cnn((4, 8), 8, name="t"), mnist_cnn((2, 4), 8, name="s")
    t_before, s_before = teacher.get_weights(), student.get_weights()
    x = np.random.default_rng(6).random((64, 28, 28, 1)).astype("float32")
    y = np.random.default_rng(7).integers(0, 10, 64)
    distiller = Distiller(student, teacher, alpha=0.1, temperature=4.0)
    distiller.compile(optimizer=keras.optimizers.Adam(1e-2))
    distiller.fit(x, y, batch_size=32, epochs=1, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(t_before, teacher.get_weights()))
    assert any(not np.array_equal(a, b) for a, b in zip(s_before, student.get_weights()))
    config = distiller.get_config()
    assert config["alpha"] == 0.1 and config["temperature"] == 4.0
    with pytest.raises(ValueError, match="Received: temperature=0"):
        Distiller(student, teacher, temperature=0)


def test_distiller_with_teacher_logits_given_trains_as_with_the_teacher_run(tfk):
    """y = (labels, the frozen teacher's logits) gives the same student as the teacher run on every batch."""
    _, keras = tfk
    from dl_exercises.nn.compression import Distiller, mnist_mlp

    x = np.random.default_rng(8).random((64, 28, 28, 1)).astype("float32")
    y = np.random.default_rng(9).integers(0, 10, 64)
    keras.utils.set_random_seed(8)
    teacher = mnist_mlp((16,), dropout=0.5, name="t")  # dropout: the teacher must be called in inference mode
    logits = teacher.predict(x, verbose=0)
    students = []
    for given in (False, True):
        keras.utils.set_random_seed(9)
        student = mnist_mlp((8,), name="s")
        initial = student.get_weights()
        distiller = Distiller(student, teacher, alpha=0.3, temperature=5.0)
        distiller.compile(optimizer=keras.optimizers.SGD(0.5))
        distiller.fit(x, (y, logits) if given else y, batch_size=16, epochs=2, shuffle=False, verbose=0)
        students.append(student.get_weights())
    for a, b in zip(*students):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert not np.allclose(students[1][0], initial[0])  # it did learn


# --- pruning -----------------------------------------------------------------------------------


def test_magnitude_mask_removes_exactly_the_smallest():
    from dl_exercises.nn.compression import magnitude_mask

    w = np.random.default_rng(8).normal(size=(30, 20))
    for sparsity in (0.0, 0.5, 0.8, 0.95):
        mask = magnitude_mask(w, sparsity)
        k = round(sparsity * w.size)
        assert int((mask == 0).sum()) == k
        if 0 < k < w.size:
            assert np.abs(w[mask == 0]).max() <= np.abs(w[mask == 1]).min()
    with pytest.raises(ValueError, match="Received: sparsity=1"):
        magnitude_mask(w, 1.0)


def test_global_masks_use_one_threshold():
    from dl_exercises.nn.compression import global_magnitude_masks

    rng = np.random.default_rng(13)
    small, large = rng.normal(0, 0.01, (40, 40)), rng.normal(0, 1.0, (3, 3))
    masks = global_magnitude_masks([small, large], 0.5)
    assert sum(int((m == 0).sum()) for m in masks) == round(0.5 * (small.size + large.size))
    kept = np.concatenate([np.abs(w)[m == 1] for w, m in zip((small, large), masks)])
    cut = np.concatenate([np.abs(w)[m == 0] for w, m in zip((small, large), masks)])
    assert cut.max() <= kept.min()
    assert masks[1].all()  # the large-scale kernel keeps every weight


def test_polynomial_schedule_ends():
    from dl_exercises.nn.compression import polynomial_sparsity

    assert polynomial_sparsity(0, 0.8, 0, 100) == 0.0
    assert polynomial_sparsity(100, 0.8, 0, 100) == pytest.approx(0.8)
    assert polynomial_sparsity(500, 0.8, 0, 100) == pytest.approx(0.8)
    mid = polynomial_sparsity(50, 0.8, 0, 100)
    assert mid == pytest.approx(0.8 + (0 - 0.8) * 0.5**3)
    values = [polynomial_sparsity(t, 0.9, 0, 60) for t in range(61)]
    assert all(b >= a for a, b in zip(values, values[1:]))


@pytest.mark.parametrize("schedule", ["one_shot", "gradual"])
def test_pruning_callback_keeps_the_pruned_weights_zero(tfk, schedule):
    _, keras = tfk
    from dl_exercises.nn.compression import MagnitudePruning, count_nonzero, mnist_cnn, prunable_kernels

    keras.utils.set_random_seed(9)
    model = mnist_cnn((4, 8), 16, name="p")
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = np.random.default_rng(9).random((96, 28, 28, 1)).astype("float32")
    y = np.random.default_rng(10).integers(0, 10, 96)
    start = model.get_weights()
    results = {}
    for scope in ("layer", "global"):
        model.set_weights(start)
        callback = MagnitudePruning(0.8, schedule, end_step=6, frequency=2, scope=scope)
        model.fit(x, y, batch_size=16, epochs=2, verbose=0, callbacks=[callback])
        kernels = prunable_kernels(model)
        assert [k.path for k in kernels] == [f"p/p_{n}/kernel" for n in ("conv1", "conv2", "dense", "logits")]
        zeros = [int((k.numpy() == 0).sum()) for k in kernels]
        sizes = [k.numpy().size for k in kernels]
        if scope == "layer":
            assert zeros == [round(0.8 * n) for n in sizes]
        else:
            assert sum(zeros) == round(0.8 * sum(sizes))
        nonzero_kernels, _ = count_nonzero(model)
        assert nonzero_kernels == sum(sizes) - sum(zeros)
        results[scope] = zeros
    assert results["global"] != results["layer"]  # one threshold prunes the layers unevenly


def test_zipped_size_shrinks_with_zeros():
    from dl_exercises.nn.compression import zipped_size

    w = np.random.default_rng(11).normal(size=(200, 200)).astype("float32")
    sparse = w * (np.abs(w) > np.quantile(np.abs(w), 0.9))
    assert zipped_size([sparse]) < 0.3 * zipped_size([w])
    assert zipped_size([w]) > 0.9 * w.nbytes  # random float32 barely compresses


def test_both_schedules_run_at_the_target_sparsity_and_the_chosen_one_elsewhere():
    from dl_exercises.studies.compression.loops import pruning_schedules

    assert pruning_schedules(0.0, 0.8, "gradual") == ("one_shot",)  # 0 %: nothing to schedule
    assert pruning_schedules(0.8, 0.8, "gradual") == ("one_shot", "gradual")
    assert pruning_schedules(0.5, 0.8, "gradual") == ("gradual",)
    assert pruning_schedules(0.5, 0.8, "one_shot") == ("one_shot",)
    assert pruning_schedules(0.5, 0.8, "both") == ("one_shot", "gradual")


def test_pruning_target_takes_the_worse_schedule_at_the_target_sparsity():
    from dl_exercises import run

    result = run("day4.pruning", budget="smoke", seed=0)
    m = {k: v.value for k, v in result.metrics.items()}
    worse = min(m["accuracy_80_gradual"], m["accuracy_80_one_shot"])
    assert m["accuracy_drop"] == pytest.approx(m["finetuned_dense_accuracy"] - worse)
    rows = result.tables[0].rows
    assert [r[1] for r in rows if r[0] == "80%"] == ["one-shot", "gradual"]


# --- TFLite ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_cnn(tfk):
    tf, keras = tfk
    from dl_exercises.nn.compression import mnist_cnn

    keras.utils.set_random_seed(12)
    model = mnist_cnn((4, 8), 16, name="tfl")
    x = np.random.default_rng(12).random((256, 28, 28, 1)).astype("float32")
    y = (x.reshape(256, -1)[:, :10].argmax(1)).astype("int64")
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, epochs=2, batch_size=32, verbose=0)
    return model, x


def test_tflite_float32_equals_keras_and_int8_stays_close(small_cnn, tmp_path, capfd):
    from dl_exercises.studies.compression.tflite import TFLiteModel, export_saved_model, tflite_convert

    model, x = small_cnn
    capfd.readouterr()
    saved = export_saved_model(model, tmp_path / "sm")
    f32 = tflite_convert(saved, "float32")
    i8 = tflite_convert(saved, "full_int8", x[:50])
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == "", "the converter's chatter must not reach stdout/stderr"
    keras_out = np.asarray(model(x[:40], training=False))
    runner32, runner8 = TFLiteModel(f32), TFLiteModel(i8)
    assert list(runner32.input["shape"]) == [1, 28, 28, 1] and runner32.input["dtype"] == np.float32
    assert list(runner8.input["shape"]) == [1, 28, 28, 1] and runner8.input["dtype"] == np.float32
    out32 = np.stack([runner32(image) for image in x[:40]])
    out8 = np.stack([runner8(image) for image in x[:40]])
    np.testing.assert_allclose(out32, keras_out, atol=1e-5)
    spread = keras_out.max() - keras_out.min()
    assert np.max(np.abs(out8 - keras_out)) < 0.1 * spread  # 8-bit activations: a few percent of the range
    assert len(i8) < 0.5 * len(f32)


def test_quantization_out_writes_the_two_tflite_files(tmp_path, tfk):
    from dl_exercises import run
    from dl_exercises.studies.compression.tflite import TFLiteModel

    result = run("day4.quantization", budget="smoke", seed=0, out=tmp_path)
    assert result.status == "ok", result.error
    assert sorted(p.name for p in tmp_path.glob("*.tflite")) == ["model_float32.tflite", "model_int8.tflite"]
    image = np.random.default_rng(0).random((1, 28, 28, 1)).astype("float32")
    for name in ("model_float32.tflite", "model_int8.tflite"):
        runner = TFLiteModel((tmp_path / name).read_bytes())
        assert list(runner.input["shape"]) == [1, 28, 28, 1] and runner.input["dtype"] == np.float32
        assert runner(image).shape == (10,)
    assert "int8_accuracy_drop" in result.metrics
    rows = next(t for t in result.tables if t.title.startswith("float32 and quantized")).rows
    assert any(r[1] == 'Keras quantize("int8")' and r[2] == "Dense only" for r in rows)


def test_the_quick_distillation_student_is_lighter_than_its_teacher(tfk):
    """The point of 蒸留: the student costs less memory and arithmetic per image than the teacher it learns from."""
    from dl_exercises.nn.compression import mnist_mlp
    from dl_exercises.nn.flops import count_multiply_adds
    from dl_exercises.registry import get_exercise
    from dl_exercises.studies.compression.config import hidden_widths

    quick = get_exercise("day4.distillation").plan("quick").params
    teacher = mnist_mlp(hidden_widths(quick["teacher_hidden"], "teacher_hidden"), dropout=quick["teacher_dropout"])
    student = mnist_mlp(hidden_widths(quick["student_hidden"], "student_hidden"))
    assert student.count_params() * 4 < teacher.count_params() * quick["members"]
    assert count_multiply_adds(student) * 4 < count_multiply_adds(teacher) * quick["members"]


def test_mnist_mlp_puts_dropout_after_each_hidden_layer(tfk):
    from dl_exercises.nn.compression import mnist_mlp

    names = [layer.name for layer in mnist_mlp((16, 8), dropout=0.25, name="t").layers]
    assert names == ["t_flatten", "t_dense1", "t_dropout1", "t_dense2", "t_dropout2", "t_logits"]
    assert all("dropout" not in n for n in (layer.name for layer in mnist_mlp((16, 8)).layers))
    with pytest.raises(ValueError, match="dropout"):
        mnist_mlp((16,), dropout=1.0)


# --- bad --set values exit 2 with the allowed range ---------------------------------------------


@pytest.mark.parametrize("ident,setting,allowed", [
    ("day4.pruning", "sparsity=1.0", "< 1.0"),
    ("day4.pruning", "sparsity=-0.1", ">= 0.0"),
    ("day4.pruning", "sparsities=0.5,1.2", "[0, 1)"),
    ("day4.distillation", "temperature=0", "> 0.0"),
    ("day4.distillation", "temperatures=2,-1", "> 0"),
    ("day4.distillation", "student_hidden=0,8", ">= 1"),
    ("day4.distillation", "teacher_hidden=wide", ">= 1"),
    ("bench.compression", "temperature=-2", "> 0.0"),
    ("bench.compression", "sparsities=1", "[0, 1)"),
])
def test_bad_settings_exit_2_with_the_allowed_range(ident, setting, allowed):
    from dl_exercises.cli.app import app

    result = CliRunner().invoke(app, ["run", ident, "--budget", "smoke", "--set", setting])
    assert result.exit_code == 2, result.output
    assert allowed in result.stderr


# --- quick targets (make test-slow) -------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("ident", ["day4.quantization", "day4.pruning", "day4.distillation"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_quick_targets(ident, seed):
    from dl_exercises import run

    result = run(ident, budget="quick", seed=seed)
    assert result.status == "ok", [(t.metric, t.value, t.bound) for t in result.targets if not t.met]
