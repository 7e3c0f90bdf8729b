"""The same seed in the same environment gives the same metrics """

from __future__ import annotations

import pytest

from dl_exercises.registry import list_exercises
from tests.conftest import run_smoke

# Keras training (graph mode, seeded initialisers and shuffling) and numpy training.
CANDIDATES = ("examples.linear_regression", "examples.mnist_keras", "day1.mnist_mlp")
REGISTERED = {s.id for s in list_exercises()}


@pytest.mark.parametrize("exercise_id", [c for c in CANDIDATES if c in REGISTERED])
def test_same_seed_same_metrics(exercise_id):
    first = run_smoke(exercise_id, seed=7)
    second = run_smoke(exercise_id, seed=7)
    values = lambda r: {k: m.value for k, m in r.metrics.items() if "time" not in k and "per_s" not in k}  # noqa: E731
    assert values(first) == values(second)


def test_a_different_seed_changes_training():
    if "examples.linear_regression" not in REGISTERED:
        pytest.skip("examples.linear_regression not registered")
    a = run_smoke("examples.linear_regression", seed=1)
    b = run_smoke("examples.linear_regression", seed=2)
    assert a.metrics["w"].value != b.metrics["w"].value
