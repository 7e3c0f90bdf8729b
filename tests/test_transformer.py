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


def test_smoke_run_on_enja_writes_one_hypothesis_per_test_line(enja_dir, tmp_path):
    from dl_exercises.text.bleu import corpus_bleu

    result = run_smoke("day4.transformer", dataset="enja", out=tmp_path, overrides={"data_dir": str(enja_dir)})
    assert result.status == "ok"  # the dates target does not apply to an enja run
    assert result.data[0].name == "enja" and "sequence_accuracy" not in result.metrics
    lines = (tmp_path / "hypotheses.ja.txt").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) - 1 == result.params["n_test"]
    assert all("  " not in line and line == line.strip() for line in lines[:-1])
    refs = (enja_dir / "test.ja").read_text(encoding="utf-8").splitlines()[: result.params["n_test"]]
    best = max(result.metrics["bleu"].value, result.metrics["bleu_beam"].value)
    assert corpus_bleu(lines[:-1], refs).score == pytest.approx(best, abs=0.01)


@pytest.mark.slow
def test_quick_budget_reaches_target():
    from dl_exercises import run

    result = run("day4.transformer", budget="quick", seed=0)
    assert result.metrics["sequence_accuracy"].value >= 0.99
    assert result.status == "ok"



def test_one_declaration_serves_the_exercise_and_the_bench():
    """The bench's quick Transformer is the exercise's: the same parameters at every budget, one settings type."""
    import dataclasses

    from dl_exercises.registry import get_exercise
    from dl_exercises.studies.translation.config import TransformerSettings, transformer_params

    spec = get_exercise("day4.transformer")
    for budget in ("smoke", "quick", "full"):
        params = spec.params_for(budget)
        assert transformer_params(budget) == params, budget
        settings = TransformerSettings.from_params(params)
        assert all(getattr(settings, f.name) == params[f.name] for f in dataclasses.fields(settings)), budget
