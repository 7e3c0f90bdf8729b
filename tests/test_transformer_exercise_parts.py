"""Pieces of the day4.transformer exercise that need no training: accuracies, the joint vocabulary, the train clock."""

from __future__ import annotations

import numpy as np

from dl_exercises.datasets import dates
from dl_exercises.studies.translation.loops import accuracies, joint_vocabulary, train_clock


def test_accuracies_count_whole_sequences_and_real_tokens():
    ref = np.array([[5, 6, 2, 0], [5, 6, 7, 2]])
    dec = np.array([[5, 6, 2, 0, 0], [5, 9, 7, 2, 0]])
    seq, tok = accuracies(dec, ref)
    assert seq == 0.5
    assert tok == 6 / 7
    assert accuracies(np.array([[5, 6, 2, 4]]), np.array([[5, 6, 2, 0]]))[0] == 0.0  # junk after </s> is wrong


def test_joint_vocabulary_reencodes_both_sides():
    b = dates.load(seed=0, n_train=50, n_test=10)
    joint, arrays = joint_vocabulary(b, {"train": (b.x_train, b.y_train), "test": (b.x_test, b.y_test)}, "char")
    src_train, tgt_train, src_test, tgt_test = (arrays[k] for k in ("src_train", "tgt_train", "src_test", "tgt_test"))
    assert src_train.shape == b.extra["src_train"].shape and tgt_test.shape == b.extra["tgt_test"].shape
    assert "".join(joint.decode(src_test[3])) == b.x_test[3]
    assert "".join(joint.decode(tgt_train[7])) == b.y_train[7]


def test_train_clock_counts_steps_and_stops_only_past_its_limit():
    class FakeModel:
        stop_training = False

    unlimited = train_clock(0.0)
    unlimited.set_model(FakeModel())
    for i in range(3):
        unlimited.on_train_batch_end(i)
    assert unlimited.steps == 3 and not unlimited.stopped and not unlimited.model.stop_training
    unlimited.on_epoch_begin(1)
    unlimited.on_train_batch_end(7)  # one compiled call of 8 steps (steps_per_execution)
    unlimited.on_train_batch_end(5)  # a call that finished earlier, reported late by a worker thread
    assert unlimited.steps == 3 + 8
    tight = train_clock(1e-9)
    tight.set_model(FakeModel())
    tight.on_train_batch_end(0)
    assert tight.stopped and tight.model.stop_training and tight.steps == 1
