"""The same seed in the same environment gives the same metrics """

from __future__ import annotations

import pytest

from tests.conftest import run_smoke

# Keras training (graph mode, seeded initialisers and shuffling) and numpy training. A renamed or
# removed id fails here (get_exercise raises), it does not drop the test.
CANDIDATES = ("examples.linear_regression", "examples.mnist_keras", "day1.mnist_mlp")


@pytest.mark.parametrize("exercise_id", CANDIDATES)
def test_same_seed_same_metrics(exercise_id):
    first = run_smoke(exercise_id, seed=7)
    second = run_smoke(exercise_id, seed=7)
    values = lambda r: {k: m.value for k, m in r.metrics.items() if "time" not in k and "per_s" not in k}  # noqa: E731
    assert values(first) == values(second)


def test_a_different_seed_changes_training():
    a = run_smoke("examples.linear_regression", seed=1)
    b = run_smoke("examples.linear_regression", seed=2)
    assert a.metrics["w"].value != b.metrics["w"].value
