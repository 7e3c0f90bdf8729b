"""day4.transformer end to end: smoke run, decoding sanity, serialization, the quick target (slow)."""

from __future__ import annotations

import pytest

from tests.conftest import run_smoke


def test_smoke_run_is_well_formed(tmp_path):
    result = run_smoke("day4.transformer", out=tmp_path)
    assert result.status == "ok"
    for name in ("sequence_accuracy", "token_accuracy", "beam_sequence_accuracy", "train_steps_per_s"):
        assert result.metrics[name].is_finite(), name
    assert 0.0 <= result.metrics["sequence_accuracy"].value <= 1.0
    assert result.data[0].name == "dates"
    titles = [t.title for t in result.tables]
    assert any(t.startswith("Decoding") for t in titles) and "Example translations (greedy)" in titles
    assert (tmp_path / "attention.png").stat().st_size > 0
    assert (tmp_path / "result.json").exists()


@pytest.mark.slow
def test_quick_budget_reaches_target():
    from dl_exercises import run

    result = run("day4.transformer", budget="quick", seed=0)
    assert result.metrics["sequence_accuracy"].value >= 0.99
    assert result.status == "ok"
