"""Day3 Section5 HRED/VHRED: the dialogue generator, the Gaussian KL, and what each model can see."""

from __future__ import annotations

import numpy as np
import pytest

from dl_exercises.datasets.dialogues import load
from dl_exercises.exercises.day3_generative import distinct_n


def test_reply_depends_on_the_first_turn_only_through_its_value():
    bundle = load(seed=0, n_train=400, n_test=50)
    vocab = bundle.extra["vocab"]
    for turns, reply, valid, text in zip(bundle.x_train, bundle.y_train, bundle.extra["valid_train"], bundle.extra["text_train"]):
        reply_text = " ".join(vocab.decode(reply))
        assert reply_text in valid
        value = text[0].split()[-1]
        assert all(value in v.split() for v in valid)
    # the same last turn is followed by different right replies: the last turn alone cannot decide
    last = {}
    for text, valid in zip(bundle.extra["text_train"], bundle.extra["valid_train"]):
        last.setdefault(text[2], set()).add(frozenset(valid))
    assert all(len(v) > 1 for v in last.values())


def test_distinct_n():
    assert distinct_n(["a b", "a b"], 1) == 0.5
    assert distinct_n(["a b c", "c d"], 2) == 1.0


@pytest.fixture(scope="module")
def keras():
    from dl_exercises.runtime import tf_keras

    return tf_keras()[1]


def test_gaussian_kl_matches_closed_form(keras):
    from dl_exercises.nn.hred import GaussianKL

    rng = np.random.default_rng(0)
    qm, qv, pm, pv = (rng.normal(0, 0.7, (5, 3)).astype("float32") for _ in range(4))
    layer = GaussianKL(1.0)
    layer(qm, qv, pm, pv)
    qm, qv, pm, pv = (a.astype(np.float64) for a in (qm, qv, pm, pv))
    expected = 0.5 * np.sum(pv - qv + (np.exp(qv) + (qm - pm) ** 2) / np.exp(pv) - 1.0, axis=1).mean()
    np.testing.assert_allclose(float(np.asarray(layer.losses[0])), expected, rtol=1e-5)
    same = GaussianKL(1.0)
    same(qm.astype("float32"), qv.astype("float32"), qm.astype("float32"), qv.astype("float32"))
    assert abs(float(np.asarray(same.losses[0]))) < 1e-5


@pytest.mark.parametrize("context", [False, True])
def test_only_the_context_model_reads_earlier_turns(keras, context):
    from dl_exercises.nn.hred import build_hred

    keras.utils.set_random_seed(0)
    parts = build_hred(30, turns=3, turn_len=5, embed_dim=4, units=6, context=context, name="h")
    model = parts["train"]
    assert all(layer.name.startswith("h") for layer in model.layers)
    rng = np.random.default_rng(0)
    turns = rng.integers(1, 30, (4, 3, 5)).astype("int32")
    other = turns.copy()
    other[:, :2] = rng.integers(1, 30, (4, 2, 5))
    reply = rng.integers(1, 30, (4, 6)).astype("int32")
    diff = np.max(np.abs(np.asarray(model([turns, reply])) - np.asarray(model([other, reply]))))
    assert (diff > 1e-4) if context else (diff < 1e-6)


def test_vhred_generation_depends_on_z(keras):
    from dl_exercises.nn.hred import build_hred

    keras.utils.set_random_seed(0)
    parts = build_hred(30, turns=3, turn_len=5, embed_dim=4, units=6, latent_dim=3, name="v")
    turns = np.ones((2, 3, 5), "int32")
    reply = np.ones((2, 4), "int32")
    a = np.asarray(parts["generate"]([turns, reply, np.zeros((2, 3), "float32")]))
    b = np.asarray(parts["generate"]([turns, reply, np.ones((2, 3), "float32")]))
    assert a.shape == (2, 4, 30) and np.max(np.abs(a - b)) > 1e-4
    mean, log_var = parts["prior"](turns)
    assert np.asarray(mean).shape == (2, 3)


def test_condition_joins_every_decoder_input(keras):
    from dl_exercises.nn.hred import RepeatOverTime, build_hred

    vector = np.arange(6, dtype="float32").reshape(2, 3)
    out = np.asarray(RepeatOverTime()(vector, np.zeros((2, 4), "int32")))
    assert out.shape == (2, 4, 3) and np.all(out == vector[:, None, :])
    for every_step, width in ((True, 4 + 6), (False, 4)):
        parts = build_hred(30, turns=3, turn_len=5, embed_dim=4, units=6, context_every_step=every_step, name="e")
        gru = parts["train"].get_layer("e_decoder_gru")
        assert gru.cell.kernel.shape == (width, 3 * 6)
