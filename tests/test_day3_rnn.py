"""Day3 Sections 1–4 exercises: data generators, in-run cross-checks at smoke, quick targets (slow)."""

from __future__ import annotations

import numpy as np
import pytest

from dl_exercises.datasets.sine import load as load_sine
from dl_exercises.exercises.day3_rnn import majority_task
from tests.conftest import run_smoke


def test_sine_windows_predict_the_following_value():
    bundle = load_sine(seed=1, n_periods=3, maxlen=25)
    series = bundle.extra["series"]
    assert bundle.x_train.shape[1:] == (25, 1)
    np.testing.assert_allclose(bundle.x_train[3, :, 0], series[3:28], rtol=1e-6)
    np.testing.assert_allclose(bundle.y_train[3, 0], series[28], rtol=1e-6)
    # the test windows come after the training windows in time
    n = len(bundle.x_train)
    np.testing.assert_allclose(bundle.y_test[0, 0], series[25 + n], rtol=1e-6)
    assert np.max(np.abs(series - bundle.extra["clean"])) <= 0.05


def test_majority_task_labels():
    x, y = majority_task(50, 9, np.random.default_rng(0))
    bits = x[..., 0].astype(int)
    for t in range(1, 8):
        expected = (bits[:, t - 1] + bits[:, t] + bits[:, t + 1]) >= 2
        np.testing.assert_array_equal(y[:, t, 0], expected)


def test_clipping_matches_keras_clipnorm_inside_the_run():
    result = run_smoke("day3.gradient_clipping")
    assert result.metrics["keras_clipnorm_max_abs_diff"].value < 1e-4


def test_simple_rnn_variants_selectable():
    result = run_smoke("day3.simple_rnn", overrides={"init": "he", "activation": "tanh"})
    assert result.params["init"] == "he" and result.params["activation"] == "tanh"
    assert result.metrics["keras_forward_max_abs_diff"].value < 1e-4


@pytest.mark.slow
@pytest.mark.parametrize(
    "exercise_id",
    ["day3.simple_rnn", "day3.gradient_clipping", "day3.lstm", "day3.gru", "day3.bidirectional"],
)
def test_quick_targets(exercise_id):
    from dl_exercises import run

    result = run(exercise_id, budget="quick", seed=0)
    assert not result.missed, [t for t in result.targets if not t.met]


@pytest.mark.slow
def test_clipping_rescues_the_exploding_relu_rnn():
    from dl_exercises import run

    result = run("day3.gradient_clipping", budget="quick", seed=0)
    assert result.metrics["unclipped_test_exact"].value < 0.5
    assert result.metrics["clipped_test_exact"].value >= 0.99
