"""The CNN exercises' own evidence at smoke budget, and their quick-budget targets (slow) (Day2 Section3–4, Day4 Section3)."""

from __future__ import annotations

import pytest

from tests.conftest import run_smoke


def _value(result, name):
    return result.metrics[name].value


def test_im2col_exercise_reproduces_the_course_and_agrees_with_references():
    result = run_smoke("day2.im2col")
    assert _value(result, "col_shape") == [8, 9]
    assert _value(result, "rows_that_are_patches_without_transpose") < 8
    assert _value(result, "conv_vs_scipy_max_abs_diff") < 1e-10
    assert _value(result, "conv_vs_keras_max_abs_diff") < 1e-10
    assert _value(result, "pool_vs_keras_max_abs_diff") == 0.0
    assert _value(result, "conv_grad_max_rel_error") < 1e-7


def test_mobilenet_exercise_counts_equal_formulas():
    result = run_smoke("day4.mobilenet")
    assert _value(result, "counted_standard") == _value(result, "standard_cost") == 3 * 3 * 512 * 512 * 14 * 14
    assert _value(result, "counted_separable") == _value(result, "separable_cost") == 3 * 3 * 512 * 14 * 14 + 512 * 512 * 14 * 14
    assert _value(result, "cost_ratio") == pytest.approx(_value(result, "ratio_formula"), rel=1e-12)
    assert _value(result, "params") == 4_253_864
    blocks = next(t for t in result.tables if t.title.startswith("MobileNet's 13"))
    for row in blocks.rows:  # counted separable / standard equals 1/N + 1/D_K² for every block
        assert row[7] == pytest.approx(row[8], abs=1e-4)


def test_densenet_exercise_channels():
    result = run_smoke("day4.densenet")
    assert _value(result, "block_input_channels") == [64 + 32 * (l - 1) for l in range(1, 7)]
    assert _value(result, "params") == 8_062_504


def test_normalization_exercise_agrees_with_keras():
    result = run_smoke("day4.normalization")
    for method in ("batch", "layer", "instance", "group"):
        assert _value(result, f"{method}_vs_keras_max_abs_diff") < 1e-10
    assert _value(result, "batch_batch1_change") > 0.1
    assert _value(result, "layer_batch1_change") < 1e-12
    assert _value(result, "batch1_bn_minus_instance") < 1e-12


def test_deep_cnn_states_its_precision_and_recipe():
    """The quick recipe's levers reach the Keras net, and the result says which ran (Day2 Section3)."""
    plain = run_smoke("day2.deep_cnn", overrides={"numpy_iters": 0})
    assert plain.metrics["test_accuracy"].note == "Keras net in float32"
    assert not any("moved by up to" in n for n in plain.notes)

    shifted = run_smoke("day2.deep_cnn", overrides={"numpy_iters": 0, "shift": 1, "ema": 0.9,
                                                    "precision": "mixed_bfloat16"})
    assert shifted.metrics["test_accuracy"].note == "Keras net in mixed_bfloat16, moving average of its weights (momentum 0.9)"
    assert any("moved by up to 1 pixel" in n for n in shifted.notes)
    assert 0.0 <= shifted.metrics["test_accuracy"].value <= 1.0


def test_deep_cnn_refuses_a_precision_it_does_not_know():
    from dl_exercises import run
    from dl_exercises.errors import DlxError

    with pytest.raises(DlxError, match="precision"):
        run("day2.deep_cnn", budget="smoke", overrides={"precision": "float16"})


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", ["day2.simple_cnn", "day2.double_cnn", "day2.deep_cnn", "day2.transfer_learning"])
def test_quick_targets(exercise_id):
    from dl_exercises import run

    result = run(exercise_id, budget="quick", seed=0)
    assert result.targets, "quick targets are declared"
    assert not result.missed, [(t.metric, t.value, t.bound) for t in result.missed]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("exercise_id", ["day2.simple_cnn", "day2.double_cnn", "day2.deep_cnn"])
def test_quick_targets_hold_at_other_seeds(exercise_id, seed):
    from dl_exercises import run

    result = run(exercise_id, budget="quick", seed=seed, overrides={"numpy_iters": 0})
    assert not result.missed, [(t.metric, t.value, t.bound) for t in result.missed]


def test_bench_cnn_flags_models_whose_training_loss_still_falls():
    from dl_exercises.studies.cnn_architectures import _still_learning

    rows = [{"name": "vgg", "loss": [2.0, 1.0]}, {"name": "alexnet", "loss": [0.50, 0.49]},
            {"name": "resnet", "loss": [0.50]}]
    assert _still_learning(rows) == ["VGG"]
