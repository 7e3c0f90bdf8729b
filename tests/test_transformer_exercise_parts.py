"""Pieces of the day4.transformer exercise that need no training: accuracies and the joint vocabulary."""

from __future__ import annotations

import numpy as np

from dl_exercises.datasets import dates
from dl_exercises.exercises.day4_transformer import _accuracies, _joint_vocab


def test_accuracies_count_whole_sequences_and_real_tokens():
    ref = np.array([[5, 6, 2, 0], [5, 6, 7, 2]])
    dec = np.array([[5, 6, 2, 0, 0], [5, 9, 7, 2, 0]])
    seq, tok = _accuracies(dec, ref)
    assert seq == 0.5
    assert tok == 6 / 7
    assert _accuracies(np.array([[5, 6, 2, 4]]), np.array([[5, 6, 2, 0]]))[0] == 0.0  # junk after </s> is wrong


def test_joint_vocabulary_reencodes_both_sides():
    b = dates.load(seed=0, n_train=50, n_test=10)
    joint, same, src_train, tgt_train, src_test, tgt_test = _joint_vocab(b, "char")
    assert joint is same
    assert src_train.shape == b.extra["src_train"].shape and tgt_test.shape == b.extra["tgt_test"].shape
    assert "".join(joint.decode(src_test[3])) == b.x_test[3]
    assert "".join(joint.decode(tgt_train[7])) == b.y_train[7]


def test_train_clock_counts_steps_and_stops_only_past_its_limit():
    import keras

    from dl_exercises.exercises.day4_transformer import _train_clock

    class FakeModel:
        stop_training = False

    unlimited = _train_clock(keras, 0.0)
    unlimited.set_model(FakeModel())
    for i in range(3):
        unlimited.on_train_batch_end(i)
    assert unlimited.steps == 3 and not unlimited.stopped and not unlimited.model.stop_training
    tight = _train_clock(keras, 1e-9)
    tight.set_model(FakeModel())
    tight.on_train_batch_end(0)
    assert tight.stopped and tight.model.stop_training and tight.steps == 1
