"""Day 2 training techniques: initialisers, dropout, weight decay, the MultiLayerNet and its Keras twin, the exercises.

Cross-checks: Xavier/He against their definitions and Keras's initialiser
families (sample statistics, tolerances from the sample size); dropout's
train/inference scaling (course and inverted forms, vs keras.layers.Dropout);
weight decay in loss and gradient; the whole net's back-propagation vs
numeric gradients (float64, relative 1e-6); numpy net vs Keras twin with the
same weights (float32, 1e-5). Quick-budget targets are marked slow.
"""

from __future__ import annotations

import numpy as np
import pytest

from dl_exercises.scratch.gradient import numerical_gradient
from dl_exercises.scratch.init import init_scale, init_weights, keras_initializer_config
from dl_exercises.scratch.multilayer_net import MultiLayerNet
from dl_exercises.scratch.regularization import Dropout, weight_decay_gradient, weight_decay_penalty


@pytest.fixture(scope="module")
def keras():
    from dl_exercises.runtime import tf_keras

    return tf_keras()[1]


# --- initialisation ---------------------------------------------------------------------------


def test_init_scales_are_the_course_definitions():
    assert init_scale("xavier", 784) == pytest.approx(1 / 28)
    assert init_scale("he", 50) == pytest.approx(0.2)
    assert init_scale("sigmoid", 100) == init_scale("xavier", 100)  # course aliases
    assert init_scale("relu", 100) == init_scale("he", 100)
    assert init_scale("gaussian", 100, gaussian_std=0.01) == 0.01
    assert init_scale(0.05, 100) == 0.05
    with pytest.raises(ValueError, match="Received: method='lecun'"):
        init_scale("lecun", 10)


@pytest.mark.parametrize("method, expected_std", [("xavier", 1 / np.sqrt(400)), ("he", np.sqrt(2 / 400)), ("gaussian", 0.01)])
def test_sampled_weights_have_the_defined_std(method, expected_std):
    from scipy import stats

    w = init_weights(400, 500, method, np.random.default_rng(0))
    # 200,000 samples: the sample std is within 0.5 % of the true one with overwhelming probability
    assert w.std() == pytest.approx(expected_std, rel=0.005)
    assert abs(w.mean()) < 5 * expected_std / np.sqrt(w.size)
    assert stats.kstest(w.ravel() / expected_std, "norm").pvalue > 1e-3  # an untruncated normal


def _keras_sample(keras, initializer, fan_in, fan_out):
    return np.asarray(keras.initializers.get(initializer)((fan_in, fan_out), dtype="float64"))


def test_keras_families_vs_course_definitions(keras):
    """glorot_normal: std √(2/(fan_in+fan_out)), truncated at 2σ of the underlying normal; he_normal: std √(2/fan_in),
    truncated; the course's Xavier (1/√fan_in) has lecun_normal's variance. dlx's Keras twin uses untruncated
    VarianceScaling, which matches the course in distribution."""
    from scipy import stats

    fan_in, fan_out = 400, 500
    glorot = _keras_sample(keras, "glorot_normal", fan_in, fan_out)
    he = _keras_sample(keras, "he_normal", fan_in, fan_out)
    lecun = _keras_sample(keras, "lecun_normal", fan_in, fan_out)
    assert glorot.std() == pytest.approx(np.sqrt(2 / (fan_in + fan_out)), rel=0.01)
    assert glorot.std() != pytest.approx(init_scale("xavier", fan_in), rel=0.03)  # a different Xavier
    assert lecun.std() == pytest.approx(init_scale("xavier", fan_in), rel=0.01)
    assert he.std() == pytest.approx(init_scale("he", fan_in), rel=0.01)
    # truncated: nothing beyond 2 × (std / 0.8796), the underlying normal's σ
    assert np.abs(he).max() <= 2 * init_scale("he", fan_in) / 0.87962566103423978 + 1e-12
    assert np.abs(glorot).max() <= 2 * np.sqrt(2 / (fan_in + fan_out)) / 0.87962566103423978 + 1e-12
    for method in ("xavier", "he", "gaussian"):
        w = _keras_sample(keras, keras_initializer_config(method), fan_in, fan_out)
        std = init_scale(method, fan_in)
        assert w.std() == pytest.approx(std, rel=0.01), method
        assert stats.kstest(w.ravel() / std, "norm").pvalue > 1e-3, method
    assert stats.kstest(he.ravel() / init_scale("he", fan_in), "norm").pvalue < 1e-6  # truncation is visible


# --- dropout ----------------------------------------------------------------------------------


def test_course_dropout_scaling_matches_in_expectation():
    x = np.random.default_rng(0).normal(size=(50, 40))
    layer = Dropout(0.3, rng=np.random.default_rng(1))
    mean_train = np.mean([layer.forward(x, train=True) for _ in range(2000)], axis=0)
    np.testing.assert_allclose(layer.forward(x, train=False), 0.7 * x)
    # per element: 2000 Bernoulli(0.7) draws, std of the mean ≈ √(0.21/2000)·|x| ≈ 0.01|x|
    assert np.abs(mean_train - 0.7 * x).max() < 0.06 * np.abs(x).max()


def test_dropout_backward_uses_the_forward_mask():
    x = np.ones((4, 6))
    layer = Dropout(0.5, rng=np.random.default_rng(2))
    out = layer.forward(x, train=True)
    np.testing.assert_array_equal(layer.backward(np.full_like(x, 3.0)), 3.0 * out)
    inverted = Dropout(0.5, rng=np.random.default_rng(2), inverted=True)
    out = inverted.forward(x, train=True)
    assert set(np.unique(out)) <= {0.0, 2.0}
    np.testing.assert_array_equal(inverted.backward(np.ones_like(x)), out)
    np.testing.assert_array_equal(inverted.forward(x, train=False), x)


def test_inverted_dropout_matches_keras_dropout(keras):
    """Keras's Dropout keeps survivors × 1/(1 − rate) in training and is the identity at inference."""
    x = np.random.default_rng(3).uniform(1.0, 2.0, size=(200, 50))
    layer = keras.layers.Dropout(0.25, seed=7)
    y = np.asarray(layer(x, training=True))
    kept = y != 0
    np.testing.assert_allclose(y[kept], x[kept] / 0.75, rtol=1e-6)
    assert abs(1 - kept.mean() - 0.25) < 0.02  # 10,000 draws: std of the drop rate ≈ 0.004
    np.testing.assert_allclose(np.asarray(layer(x, training=False)), x, rtol=1e-7)
    ours = Dropout(0.25, rng=np.random.default_rng(4), inverted=True)
    ours.forward(x, train=True)
    ours._scale = kept / 0.75  # the same mask as Keras drew
    np.testing.assert_allclose(x * ours._scale, y, rtol=1e-6)


# --- weight decay -------------------------------------------------------------------------------


def test_weight_decay_penalty_and_gradient():
    rng = np.random.default_rng(5)
    ws = [rng.normal(size=(3, 4)), rng.normal(size=(4, 2))]
    lam = 0.3
    assert weight_decay_penalty(ws, lam, "l2") == pytest.approx(lam / 2 * sum(np.linalg.norm(w) ** 2 for w in ws))
    assert weight_decay_penalty(ws, lam, "l1") == pytest.approx(lam * sum(np.abs(w).sum() for w in ws))
    np.testing.assert_allclose(weight_decay_gradient(ws[0], lam, "l2"), lam * ws[0])
    np.testing.assert_allclose(weight_decay_gradient(ws[0], lam, "l1"), lam * np.sign(ws[0]))
    with pytest.raises(ValueError, match="kind='l3'"):
        weight_decay_penalty(ws, lam, "l3")


def _small_data(n=12, d=6, classes=3, seed=6):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.integers(0, classes, size=n)


def test_net_loss_and_gradient_include_weight_decay():
    x, t = _small_data()
    plain = MultiLayerNet(6, [5, 4], 3, seed=1)
    decayed = MultiLayerNet(6, [5, 4], 3, seed=1, weight_decay_lambda=0.2)
    l0, g0 = plain.gradient(x, t)
    l1, g1 = decayed.gradient(x, t)
    assert l1 - l0 == pytest.approx(0.1 * sum(np.sum(w**2) for w in plain.weights()), rel=1e-12)
    for i in (1, 2, 3):
        np.testing.assert_allclose(g1[f"W{i}"] - g0[f"W{i}"], 0.2 * plain.params[f"W{i}"], atol=1e-12)
        np.testing.assert_allclose(g1[f"b{i}"], g0[f"b{i}"], atol=1e-15)


@pytest.mark.parametrize(
    "options",
    [
        {"activation": "relu"},
        {"activation": "sigmoid", "weight_init_std": "xavier"},
        {"activation": "relu", "use_batchnorm": True},
        {"activation": "tanh", "weight_decay_lambda": 0.1},
        {"activation": "sigmoid", "weight_decay_lambda": 0.05, "weight_decay_kind": "l1", "use_batchnorm": True},
    ],
    ids=["relu", "sigmoid", "relu-bn", "tanh-l2", "sigmoid-l1-bn"],
)
def test_net_backprop_matches_numeric_gradient(options):
    """The numeric side uses an exact cross-entropy (log-sum-exp): the course's loss adds 1e-7 inside the log,
    which its analytic gradient (y − t)/N ignores (a relative error of order 1e-7/y)."""
    from scipy.special import logsumexp

    x, t = _small_data()
    net = MultiLayerNet(6, [5, 4], 3, seed=2, dtype=np.float64, **options)
    _, grads = net.gradient(x, t)

    def exact_loss(_):
        scores = net.predict(x, train=True)
        ce = np.mean(logsumexp(scores, axis=1) - scores[np.arange(len(t)), t])
        return ce + weight_decay_penalty(net.weights(), net.weight_decay_lambda, net.weight_decay_kind)

    for key, param in net.params.items():
        numeric = numerical_gradient(exact_loss, param)
        # relative 1e-6, plus 1e-9 absolute for gradients that are zero in theory (a bias before BN)
        err = np.abs(grads[key] - numeric).max()
        assert err <= 1e-6 * np.abs(numeric).max() + 1e-9, (key, err)


def test_keras_twin_with_copied_weights_gives_the_same_scores_and_penalty(keras):
    from dl_exercises.nn.mlp import copy_weights_to_keras, multilayer_net_twin

    x, _ = _small_data(n=20, d=10)
    x = x.astype(np.float32)
    for options, kw in (({}, {}), ({"use_batchnorm": True}, {"use_batchnorm": True}),
                        ({"weight_decay_lambda": 0.2}, {"weight_decay": 0.2})):
        net = MultiLayerNet(10, [8, 6], 4, activation="relu", seed=3, dtype=np.float32, **options)
        model = multilayer_net_twin([10, 8, 6, 4], "relu", **kw)
        copy_weights_to_keras(net, model)
        np.testing.assert_allclose(np.asarray(model(x, training=False)), net.predict(x, train=False), rtol=1e-5, atol=1e-5)
        if kw.get("use_batchnorm"):
            np.testing.assert_allclose(np.asarray(model(x, training=True)), net.predict(x, train=True), rtol=1e-4, atol=1e-4)
        if kw.get("weight_decay"):
            keras_penalty = float(sum(np.asarray(l) for l in model.losses))
            numpy_penalty = weight_decay_penalty(net.weights(), 0.2, "l2")
            assert keras_penalty == pytest.approx(numpy_penalty, rel=1e-5)


# --- the exercises ------------------------------------------------------------------------------


def test_optimizers_smoke_numpy_and_keras_see_the_same_batches():
    """Same starting weights, same batches: SGD and Momentum follow the same formulas, so their accuracies agree."""
    from tests.conftest import run_smoke

    result = run_smoke("day2.optimizers")
    table = result.tables[0]
    assert "mnist" in table.title and "smoke budget" in table.title
    assert len(table.rows) == 10
    for name in ("sgd", "momentum"):
        assert result.metrics[f"test_accuracy_{name}"].value == pytest.approx(
            result.metrics[f"keras_test_accuracy_{name}"].value, abs=0.02)


def test_vanishing_gradient_smoke_table_has_course_column():
    from tests.conftest import run_smoke

    result = run_smoke("day2.vanishing_gradient", overrides={"keras": "false"})
    grid = result.tables[0]
    assert grid.columns[-1] == "course test acc"
    assert [r[-1] for r in grid.rows][:5] == [0.1135, 0.9258, 0.8762, 0.9523, 0.9502]
    stds = {(r[0], r[1]): r[2:] for r in result.tables[1].rows}
    # ReLU with Gaussian 0.01: activations shrink layer by layer; He keeps their scale
    assert stds[("relu", "gaussian")][-1] < 0.1 * stds[("relu", "gaussian")][0]
    assert stds[("relu", "he")][-1] > 0.5 * stds[("relu", "he")][0]


def test_draw_seeds_start_with_the_run_seed_and_are_distinct_and_repeatable():
    from dl_exercises.train.batches import draw_seeds

    assert draw_seeds(3, 1) == [3]
    seeds = draw_seeds(3, 5)
    assert seeds[0] == 3 and len(set(seeds)) == 5 and seeds == draw_seeds(3, 5)
    assert set(seeds[1:]).isdisjoint(draw_seeds(4, 5))


def test_overfitting_gap_reductions_are_the_means_over_the_draws():
    from tests.conftest import run_smoke

    result = run_smoke("day2.overfitting", overrides={"keras": "false", "draws": "3"})
    main, draws = result.tables[0], result.tables[1]
    assert draws.title.startswith("train−test gap over 3 draws")
    per_draw = draws.rows[:-1]
    assert len(per_draw) == 3
    m = {k: v.value for k, v in result.metrics.items()}
    # draw 1 is the run's own table; the others are new draws of the images and weights
    assert per_draw[0][1:4] == [m["gap_none"], m["gap_l2"], m["gap_dropout"]]
    assert per_draw[1][1:4] != per_draw[0][1:4]
    for column, name in ((4, "gap_reduction_l2"), (5, "gap_reduction_dropout")):
        assert m[name] == pytest.approx(np.mean([r[column] for r in per_draw]), abs=1e-4)
    assert "3 draws of 100" in result.data[0].note


def test_vanishing_gradient_shortfall_compares_the_means_over_the_draws():
    from tests.conftest import run_smoke

    result = run_smoke("day2.vanishing_gradient", overrides={"keras": "false", "draws": "2"})
    table = next(t for t in result.tables if t.title.startswith("numpy test accuracy over 2 draws"))
    means = {(r[0], r[1]): np.mean(r[2:4]) for r in table.rows}
    assert [r[2] for r in table.rows] == [r[3] for r in result.tables[0].rows]  # draw 1 is the main table
    expected = max(means.values()) - means[("relu", "he")]
    assert result.metrics["relu_he_shortfall"].value == pytest.approx(expected, abs=1e-4)


def test_bench_suites_are_registered_with_the_exercise_parameters():
    from dl_exercises.registry import get_exercise

    for suite_name, exercise_id in (("optimizers", "day2.optimizers"), ("init", "day2.vanishing_gradient"),
                                    ("regularization", "day2.overfitting")):
        suite, ex = get_exercise(f"bench.{suite_name}"), get_exercise(exercise_id)
        assert suite.params == ex.params and suite.budgets == ex.budgets and suite.course == ex.course


@pytest.mark.slow
def test_vanishing_gradient_quick_reproduces_the_course_ranking():
    from dl_exercises import run

    result = run("day2.vanishing_gradient", budget="quick")
    assert result.status == "ok", [str(t) for t in result.missed]
    m = {k: v.value for k, v in result.metrics.items()}
    assert m["test_accuracy_sigmoid_gaussian"] <= 0.2
    assert m["relu_he_shortfall"] <= 0.01


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", ["day2.optimizers", "day2.batch_norm", "day2.overfitting"])
def test_quick_targets(exercise_id):
    from dl_exercises import run

    result = run(exercise_id, budget="quick")
    assert result.status == "ok", [f"{t.metric}={t.value} (target {t.bound})" for t in result.missed]
