"""Day 1 exercises: golden numbers from the course, numpy vs Keras cross-checks, smoke runs, quick targets."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from dl_exercises.exercises import day1_basics
from dl_exercises.scratch import day1_nets
from dl_exercises.train import batches
from dl_exercises.scratch import functions as F
from tests.conftest import run_smoke

GOLDEN_234 = {
    "u1": [0.6, 1.3, 2.0],
    "u2": [1.02, 2.29, 3.56, 4.83],
    "y": [0.01602796, 0.05707321, 0.20322929, 0.72366954],
    "cross_entropy": 0.32342029,
}
GOLDEN_BACKPROP = {
    "u1": [1.2, 2.5, 3.8],
    "u2": [1.86, 4.21],
    "y": [0.08706577, 0.91293423],
    "dE_du2": [0.08706577, -0.08706577],
}


@pytest.fixture(scope="module")
def keras():
    from dl_exercises.runtime import tf_keras

    return tf_keras()[1]


@pytest.fixture(scope="module")
def tf():
    from dl_exercises.runtime import tf_keras

    return tf_keras()[0]


def test_day1_module_does_not_import_tensorflow():
    code = ("import sys, dl_exercises.exercises.day1_basics, dl_exercises.exercises.day1_training; "
            "print('tensorflow' in sys.modules, 'matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]


# --- forward -----------------------------------------------------------------------------------


def test_forward_single_unit_golden():
    net = day1_nets.course_networks()["single_unit"]
    us, zs = day1_nets.forward_numpy(net["layers"], net["x"])
    assert us[0][0] == pytest.approx(1.3, abs=1e-12)
    assert zs[0][0] == pytest.approx(1.3, abs=1e-12)


def test_forward_multiclass_golden_numpy():
    net = day1_nets.course_networks()["multiclass_2_3_4"]
    us, zs = day1_nets.forward_numpy(net["layers"], net["x"])
    np.testing.assert_allclose(us[0], GOLDEN_234["u1"], atol=1e-12)
    np.testing.assert_allclose(us[1], GOLDEN_234["u2"], atol=1e-12)
    np.testing.assert_allclose(zs[1], GOLDEN_234["y"], atol=5e-9)
    assert F.cross_entropy_error(zs[1], net["d"]) == pytest.approx(GOLDEN_234["cross_entropy"], abs=5e-9)


@pytest.mark.parametrize("name", list(day1_nets.course_networks()))
def test_forward_numpy_equals_keras_same_weights(keras, name):
    net = day1_nets.course_networks()[name]
    _, zs = day1_nets.forward_numpy(net["layers"], net["x"])
    from dl_exercises.nn.mlp import dense_stack

    model = dense_stack(net["layers"], name=name)
    np.testing.assert_allclose(np.asarray(model(net["x"][None, :]))[0], zs[-1], atol=1e-6)


def test_forward_smoke_shows_golden_numbers():
    result = run_smoke("day1.forward")
    assert result.status == "ok"
    for key in ("u1", "u2", "y"):
        np.testing.assert_allclose(result.metrics[key].value, GOLDEN_234[key], atol=1e-8)
        np.testing.assert_allclose(result.course[key].value, GOLDEN_234[key])
    assert result.metrics["cross_entropy"].value == pytest.approx(GOLDEN_234["cross_entropy"], abs=1e-8)
    assert result.metrics["single_unit_z"].value == pytest.approx(1.3)
    assert result.metrics["keras_max_abs_diff"].value <= 1e-6
    assert len(result.tables[0].rows) == 6


# --- activations -------------------------------------------------------------------------------


def test_activations_match_keras_and_gradient_tape(tf, keras):
    comparison = day1_basics.activation_comparison(tf, keras, np.linspace(-6, 6, 601))
    assert set(comparison) == {"step", "sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax"}
    for name, (value_diff, deriv_diff) in comparison.items():
        assert value_diff <= 1e-6, name
        assert deriv_diff is None or deriv_diff <= 1e-6, name


def test_activations_smoke_confirmation_tests(tmp_path):
    result = run_smoke("day1.activations", out=tmp_path)
    assert result.metrics["d_sigmoid_max"].value == pytest.approx(0.25, abs=1e-12)
    assert result.metrics["d_sigmoid_argmax"].value == pytest.approx(0.0, abs=1e-12)
    assert result.metrics["d_tanh_vs_inv_cosh2"].value <= 1e-12
    assert result.metrics["keras_max_abs_diff"].value <= 1e-6
    assert result.metrics["tape_max_abs_diff"].value <= 1e-6
    assert (tmp_path / "activations.png").stat().st_size > 1000


# --- losses ------------------------------------------------------------------------------------


def test_course_mse_is_half_keras_mse_for_one_output(keras):
    rng = np.random.default_rng(3)
    y, d = rng.normal(size=(10, 1)), rng.normal(size=(10, 1))
    keras_mse = float(keras.losses.MeanSquaredError()(d, y))
    assert F.mean_squared_error(y, d) == pytest.approx(0.5 * keras_mse, rel=1e-6)


def test_course_cross_entropies_match_keras(keras):
    rows = day1_basics.loss_comparison(keras, seed=0)
    names = [name for name, _, _ in rows]
    assert "cross-entropy sparse" in names and "binary cross-entropy" in names
    for name, ours, theirs in rows:
        if name.startswith("mse"):
            continue
        # course: log(y + 1e-7); Keras: log(clip(y, 1e-7, 1 - 1e-7)); differ by about 1e-7 / y
        assert ours == pytest.approx(theirs, abs=2e-6), name


def test_losses_smoke():
    result = run_smoke("day1.losses")
    assert result.metrics["mse_course_over_keras"].value == pytest.approx(0.5, rel=1e-6)
    assert result.metrics["cross_entropy_2_3_4"].value == pytest.approx(GOLDEN_234["cross_entropy"], abs=1e-8)
    assert any("½" in note for note in result.notes)


# --- backprop ----------------------------------------------------------------------------------


def test_backprop_golden_numbers():
    params, x, d = day1_nets.backprop_course_net()
    _, inter = day1_nets.analytic_gradients(params, x, d)
    for key, value in GOLDEN_BACKPROP.items():
        np.testing.assert_allclose(inter[key][0], value, atol=5e-9, err_msg=key)


def test_backprop_analytic_numeric_and_tape_agree(tf):
    params, x, d = day1_nets.backprop_course_net()
    analytic, inter = day1_nets.analytic_gradients(params, x, d)
    numeric = day1_nets.numeric_gradients(params, x, d)
    tape, du2, _ = day1_basics.tape_gradients(tf, params, x, d)
    for key in params:
        assert analytic[key].dtype == np.float64
        np.testing.assert_allclose(analytic[key], numeric[key], atol=1e-6, err_msg=key)
        np.testing.assert_allclose(analytic[key], tape[key], atol=1e-6, err_msg=key)
    np.testing.assert_allclose(inter["dE_du2"], du2, atol=1e-6)


def test_backprop_smoke_sgd_update():
    result = run_smoke("day1.backprop")
    m = result.metrics
    for key, value in GOLDEN_BACKPROP.items():
        np.testing.assert_allclose(m[key].value, value, atol=1e-8)
    assert m["max_diff_analytic_numeric"].value <= 1e-6
    assert m["max_diff_analytic_tape"].value <= 1e-6
    assert m["sgd_update_diff_keras"].value <= 1e-6
    np.testing.assert_allclose(m["b2_after_sgd"].value, [0.1 - 0.01 * 0.08706577, 0.2 + 0.01 * 0.08706577], atol=1e-8)
    assert m["loss_after"].value < m["loss_before"].value


# --- sgd ---------------------------------------------------------------------------------------


def test_sgd_smoke_numpy_and_keras_batch_gd_agree(tmp_path):
    result = run_smoke("day1.sgd", out=tmp_path)
    m = result.metrics
    # full-batch GD from the same init with the same lr is deterministic: numpy (float64) and Keras (float32) agree
    assert m["keras_test_mse_batch"].value == pytest.approx(m["test_mse_batch"].value, rel=1e-4)
    import csv

    with open(tmp_path / "history.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    numpy_curve = [float(r["loss"]) for r in rows if r["run"] == "numpy batch"]
    keras_curve = [float(r["loss"]) for r in rows if r["run"] == "keras batch"]
    np.testing.assert_allclose(numpy_curve, keras_curve, rtol=1e-4)
    # per epoch, SGD makes N updates and batch GD one
    assert m["test_mse_sgd"].value < m["test_mse_batch"].value
    assert (tmp_path / "sgd_curves.png").exists()
    assert (tmp_path / "history.csv").exists()


def test_regression_training_reduces_loss():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(64, 2))
    d = day1_nets.linear_target(x)
    params = day1_nets.init_regression_net(rng, 10)
    curve = day1_nets.train_regression_numpy(params, x, d, batch_size=8, epochs=5, lr=0.05, rng=rng)
    assert curve[-1] < curve[0]


# --- mnist_mlp ---------------------------------------------------------------------------------


def test_two_layer_net_gradient_matches_numeric():
    from dl_exercises.scratch.two_layer_net import TwoLayerNet

    rng = np.random.default_rng(0)
    net = TwoLayerNet(6, 5, 3, weight_init_std=0.5, rng=rng)
    x = rng.normal(size=(4, 6))
    t = rng.integers(0, 3, size=4)
    analytic = net.gradient(x, t)
    numeric = net.numerical_gradient(x, t)
    for key in analytic:
        np.testing.assert_allclose(analytic[key], numeric[key], atol=1e-6, err_msg=key)


def test_batch_schedule_covers_each_epoch_once():
    schedule = batches.without_replacement(50, 10, 12, seed=0)
    assert schedule.shape == (12, 10)
    assert sorted(schedule[:5].ravel().tolist()) == list(range(50))


def test_mnist_mlp_smoke_same_first_step_loss():
    result = run_smoke("day1.mnist_mlp")
    m = result.metrics
    assert result.data[0].name in ("mnist", "mnist5k")
    assert m["first_step_loss"].value == pytest.approx(np.log(10), abs=0.05)
    # the course adds 1e-7 inside the log, Keras works from logits: ~1e-6 apart for 10 classes near 0.1
    assert m["first_step_loss_diff"].value <= 2e-6
    assert m["second_step_loss_diff"].value <= 2e-6
    # same init, same batches, float64 both: the weights stay together
    assert m["final_weight_max_diff"].value <= 1e-6


# --- playground --------------------------------------------------------------------------------


def test_playground_smoke():
    result = run_smoke("day1.playground")
    rows = result.tables[0].rows
    assert {row[0] for row in rows} == {"xor", "spiral"}
    linear_xor = next(row for row in rows if row[0] == "xor" and row[1].startswith("linear"))
    assert float(linear_xor[4]) < 0.75  # one straight line cannot separate XOR
    for key in ("xor_test_accuracy", "spiral_test_accuracy"):
        assert 0.0 <= result.metrics[key].value <= 1.0


# --- quick targets -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", ["day1.sgd", "day1.mnist_mlp", "day1.playground"])
def test_quick_targets(exercise_id):
    from dl_exercises import run

    result = run(exercise_id, budget="quick", seed=0)
    assert result.targets, "quick budget declares targets"
    assert all(check.met for check in result.targets), result.targets
    assert result.status == "ok"
