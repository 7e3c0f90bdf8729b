"""Day3 Section5: attention layers vs Keras's built-in ones, seq2seq decoding, copy task."""

from __future__ import annotations

import numpy as np
import pytest

from dl_exercises.exercises.day3_seq2seq import digit_copy_task
from tests.conftest import run_smoke


@pytest.fixture(scope="module")
def keras():
    from dl_exercises.runtime import tf_keras

    return tf_keras()[1]


def _inputs(rng):
    query = rng.normal(size=(2, 3, 6)).astype("float32")
    value = rng.normal(size=(2, 5, 6)).astype("float32")
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], dtype=bool)
    return query, value, mask


def test_additive_attention_matches_keras_additive_attention(keras):
    """dlx's vᵀtanh(W_q s + W_k h) vs keras.layers.AdditiveAttention fed the projected query and key."""
    from dl_exercises.nn.rnn_attention import RNNAttention

    query, value, mask = _inputs(np.random.default_rng(0))
    ours = RNNAttention("additive", units=4)
    context, weights = (np.asarray(a) for a in ours(query, value, value_mask=mask))
    q = np.asarray(ours.query_dense(query))
    k = np.asarray(ours.key_dense(value))
    ref = keras.layers.AdditiveAttention(use_scale=True)
    ref.build([q.shape, value.shape, k.shape])
    ref.set_weights([np.asarray(ours.v)])
    ref_context, ref_weights = ref([q, value, k], mask=[None, mask], return_attention_scores=True)
    np.testing.assert_allclose(context, np.asarray(ref_context), atol=1e-5)
    np.testing.assert_allclose(weights, np.asarray(ref_weights), atol=1e-6)
    assert np.all(weights[0, :, 3:] < 1e-6)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-6)


def test_dot_attention_matches_keras_attention(keras):
    from dl_exercises.nn.rnn_attention import RNNAttention

    query, value, mask = _inputs(np.random.default_rng(1))
    context, weights = (np.asarray(a) for a in RNNAttention("dot")(query, value, value_mask=mask))
    ref_context, ref_weights = keras.layers.Attention(score_mode="dot")([query, value], mask=[None, mask], return_attention_scores=True)
    np.testing.assert_allclose(context, np.asarray(ref_context), atol=1e-5)
    np.testing.assert_allclose(weights, np.asarray(ref_weights), atol=1e-6)


def test_attention_layer_validates_and_round_trips_config(keras):
    from dl_exercises.nn.rnn_attention import RNNAttention

    with pytest.raises(ValueError, match="Received: score='cosine'"):
        RNNAttention("cosine")
    with pytest.raises(ValueError, match="Received: units=0"):
        RNNAttention("additive", units=0)
    layer = RNNAttention("dot", units=7, name="att")
    clone = RNNAttention.from_config(layer.get_config())
    assert (clone.score, clone.units, clone.name) == ("dot", 7, "att")


@pytest.mark.parametrize("attention", [None, "additive", "dot"])
def test_decoder_is_causal_and_greedy_decode_shapes(keras, attention):
    """Greedy decoding relies on position k's logits ignoring later target positions."""
    from dl_exercises.nn.seq2seq import build_seq2seq, greedy_decode

    keras.utils.set_random_seed(0)
    model, weights_model = build_seq2seq(12, 9, embed_dim=4, units=8, attention=attention, name="t")
    assert all(layer.name.startswith("t") for layer in model.layers)
    rng = np.random.default_rng(0)
    src = rng.integers(1, 12, (3, 6)).astype("int32")
    src[0, 4:] = 0
    tgt = rng.integers(1, 9, (3, 5)).astype("int32")
    changed = tgt.copy()
    changed[:, 3:] = rng.integers(1, 9, (3, 2))
    a, b = np.asarray(model([src, tgt])), np.asarray(model([src, changed]))
    np.testing.assert_allclose(a[:, :3], b[:, :3], atol=1e-6)
    out = greedy_decode(model, src, 4, bos=1)
    assert out.shape == (3, 4)
    if attention:
        w = np.asarray(weights_model([src, tgt]))
        assert w.shape == (3, 5, 6) and np.all(w[0, :, 4:] < 1e-6)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_unrolled_seq2seq_computes_the_same(keras, cell):
    """``unroll=True`` is a speed choice only: same weights, same logits (padding masked alike)."""
    from dl_exercises.nn.seq2seq import build_seq2seq

    keras.utils.set_random_seed(0)
    looped, _ = build_seq2seq(12, 9, embed_dim=4, units=8, cell=cell, attention="additive", name="l")
    unrolled, _ = build_seq2seq(12, 9, embed_dim=4, units=8, cell=cell, attention="additive", unroll=True, name="u")
    unrolled.set_weights(looped.get_weights())
    rng = np.random.default_rng(0)
    src = rng.integers(1, 12, (3, 6)).astype("int32")
    src[0, 4:] = 0
    tgt = rng.integers(1, 9, (3, 5)).astype("int32")
    np.testing.assert_allclose(np.asarray(unrolled([src, tgt])), np.asarray(looped([src, tgt])), atol=1e-5)


def test_cosine_schedule_ends_at_a_twentieth(keras):
    from dl_exercises.nn.seq2seq import build_seq2seq, compile_seq2seq

    model, _ = build_seq2seq(12, 9, embed_dim=4, units=8, name="c")
    compile_seq2seq(model, 0.01, decay_steps=100, clipnorm=1.0)
    optimizer = model.optimizer
    assert abs(float(optimizer.learning_rate) - 0.01) < 1e-7
    optimizer.iterations.assign(100)
    assert abs(float(optimizer.learning_rate) - 0.0005) < 1e-7
    assert optimizer.clipnorm == 1.0


def test_digit_copy_task_lengths():
    strings = digit_copy_task(200, 3, 9, np.random.default_rng(0))
    lengths = {len(s) for s in strings}
    assert min(lengths) == 3 and max(lengths) == 9
    assert all(s.isdigit() for s in strings)


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", ["day3.seq2seq", "day3.attention"])
def test_quick_targets(exercise_id):
    from dl_exercises import run

    result = run(exercise_id, budget="quick", seed=0)
    assert not result.missed, [t for t in result.targets if not t.met]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("exercise_id", ["day3.seq2seq", "day3.attention"])
def test_quick_targets_hold_at_other_seeds(exercise_id, seed):
    """The quick budgets were cut to save CPU time: the targets must still hold beyond seed 0."""
    from dl_exercises import run

    result = run(exercise_id, budget="quick", seed=seed)
    assert not result.missed, [t for t in result.targets if not t.met]


def test_seq2seq_on_the_real_enja_corpus_reports_bleu(enja_dir, tmp_path, monkeypatch):
    """The full budget's word-level path (enja, BLEU) at smoke size, on the real corpus from ../shared."""
    (tmp_path / "enja").symlink_to(enja_dir.resolve(), target_is_directory=True)
    monkeypatch.setenv("DLX_DATA_DIR", str(tmp_path))
    result = run_smoke("day3.seq2seq", dataset="enja")
    assert result.status == "ok"
    assert [d.name for d in result.data] == ["enja"]
    bleu = result.metrics["bleu"].value
    assert 0.0 <= bleu <= 100.0
    assert "dev_bleu" in result.course  # the course's 18.1 is shown beside enja runs only
