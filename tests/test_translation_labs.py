"""The course's two translation labs on the real corpus at smoke size: what each epoch records, and re-decoding.

``day4.transformer`` records the course's measure (teacher-forced dev BLEU) and greedy
dev BLEU every epoch; ``day3.seq2seq`` records greedy dev BLEU, its lab's measure. The
course's figure stands beside the metric it matches, and only that one.
"""

from __future__ import annotations

import csv
import dataclasses

import numpy as np
import pytest

from dl_exercises.registry import get_exercise
from dl_exercises.runner import run_plan


def _plan(exercise_id, enja_dir, resume=None, **sets):
    plan = get_exercise(exercise_id).plan("smoke", 0, {"data_dir": str(enja_dir), "epochs": 2, **sets}, "enja")
    return dataclasses.replace(plan, resume=str(resume) if resume else None)


def _history(folder):
    with open(folder / "history.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_transformer_records_the_courses_measure_and_greedy_dev_bleu_every_epoch(enja_dir, tmp_path):
    result = run_plan(_plan("day4.transformer", enja_dir), out=tmp_path)
    rows = _history(tmp_path)
    assert [int(r["epoch"]) for r in rows] == [1, 2]
    for row in rows:
        assert 0.0 <= float(row["dev_bleu_teacher_forced"]) <= 100.0 and 0.0 <= float(row["dev_bleu"]) <= 100.0
    assert result.metrics["dev_bleu_teacher_forced"].value == float(rows[-1]["dev_bleu_teacher_forced"])
    assert result.metrics["dev_bleu"].value == float(rows[-1]["dev_bleu"])
    assert "dev_bleu_beam" in result.metrics
    assert set(result.course) == {"dev_bleu_teacher_forced"}  # 35.9 is teacher forced: beside that metric only
    assert any("teacher" in n and "decoded" in n for n in result.notes)
    assert (tmp_path / "bleu_curve.png").stat().st_size > 0


def test_seq2seq_records_greedy_dev_bleu_with_the_courses_figure_beside_it(enja_dir, tmp_path):
    result = run_plan(_plan("day3.seq2seq", enja_dir), out=tmp_path)
    rows = _history(tmp_path)
    assert [int(r["epoch"]) for r in rows] == [1, 2] and "dev_bleu_teacher_forced" not in rows[0]
    assert result.metrics["dev_bleu"].value == float(rows[-1]["dev_bleu"])
    assert set(result.course) == {"dev_bleu"}  # the seq2seq lab's 18.1 is decoded BLEU


def test_a_finished_run_can_be_decoded_again_with_another_beam(enja_dir, tmp_path):
    """--resume of a finished run trains nothing; decoding settings may differ, the per-epoch record stays."""
    first = run_plan(_plan("day4.transformer", enja_dir), out=tmp_path / "run")
    again = run_plan(_plan("day4.transformer", enja_dir, resume=tmp_path / "run", length_penalty=1.0, beam_width=3),
                     out=tmp_path / "again")
    assert any("resumed from epoch 2" in n for n in again.notes)
    assert "seconds_per_epoch" not in again.metrics  # no epoch ran
    for name in ("dev_bleu_teacher_forced", "dev_bleu", "bleu"):  # the same weights: the same greedy and forced scores
        assert again.metrics[name].value == first.metrics[name].value, name
    assert "length penalty 1" in again.metrics["dev_bleu_beam"].note


def test_the_moving_average_is_scored_and_the_trained_weights_beside_it(enja_dir, tmp_path):
    result = run_plan(_plan("day4.transformer", enja_dir, ema=0.9), out=tmp_path)
    rows = _history(tmp_path)
    assert all("dev_bleu_teacher_forced_trained" in r for r in rows)
    assert any("moving average" in n for n in result.notes)


def test_averaged_weights_are_lent_and_given_back():
    import keras

    from dl_exercises.train.averaging import averaged_weights

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    optimizer = keras.optimizers.Adam(0.1, use_ema=True, ema_momentum=0.5)
    model.compile(optimizer=optimizer, loss="mse")
    x, y = np.ones((8, 3), "float32"), np.zeros((8, 2), "float32")
    for _ in range(3):
        model.train_on_batch(x, y)
    trained = [v.numpy().copy() for v in model.trainable_variables]
    averages = [v.numpy().copy() for v in optimizer._model_variables_moving_average]
    assert not np.allclose(trained[0], averages[0])
    with averaged_weights(model, optimizer):
        for v, a in zip(model.trainable_variables, averages):
            np.testing.assert_array_equal(v.numpy(), a)
    for v, t in zip(model.trainable_variables, trained):
        np.testing.assert_array_equal(v.numpy(), t)


@pytest.mark.parametrize("exercise_id", ["day4.transformer", "day3.seq2seq"])
def test_the_full_budget_is_the_lab_on_its_corpus(exercise_id):
    """--budget full without --dataset runs the course's lab on small_parallel_enja, with its targets."""
    spec = get_exercise(exercise_id)
    assert {t.data for t in spec.targets_for("full")} == {"enja"}
    assert all(c.data == "enja" for c in spec.course.values())
