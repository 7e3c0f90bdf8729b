"""``dlx bench speed`` (Day4 Section3): the timed batches, and gains computed from epochs paired with one yardstick."""

import numpy as np
import pytest

from tests.conftest import run_smoke


def test_a_timed_epoch_goes_round_the_data_when_it_holds_fewer_batches():
    from dl_exercises.studies.speed import _take

    x = np.arange(10).reshape(5, 2)
    assert _take(x, 3, 8)[:, 0].tolist() == [6, 8, 0, 2, 4]
    first, second = _take([x, x[:, 1]], 4, 7)
    assert first[:, 0].tolist() == [8, 0, 2] and second.tolist() == [9, 1, 3]


def test_gains_are_ratios_of_ratios_to_the_same_hand_written_step(monkeypatch):
    """Every configuration is timed against the hand-written float32 pass; a gain divides two such ratios."""
    from dl_exercises.studies import speed
    from dl_exercises.train.precision import native_bfloat16

    calls = []

    def fake_pairs(ctx, model, hand_pass, x, y, batch_size, steps, label, rounds, light_arrays):
        calls.append(hand_pass)
        ratio = 1.2 if "bfloat16" in label else 0.4 if "XLA" in label else 0.8  # fit / hand-written, per epoch
        return {"dlx": 100 * ratio, "handwritten": 100.0, "ratio": ratio, "ratios": [ratio] * rounds,
                "paired_median": ratio, "cpu_ratio": 1.0}

    monkeypatch.setattr(speed, "paired_steps_per_s", fake_pairs)
    metrics = run_smoke("bench.speed").metrics
    assert len(calls) == (3 if native_bfloat16() else 2)
    assert len({id(hand) for hand in calls}) == 1, "one hand-written yardstick for every configuration"
    assert metrics["mlp_dlx_over_handwritten"].value == pytest.approx(0.8)
    assert metrics["mlp_xla_speedup"].value == pytest.approx(0.5)
    if native_bfloat16():
        assert metrics["mlp_bfloat16_speedup"].value == pytest.approx(1.5)
