"""Transformer blocks, decoding and training pieces: masks in the whole model, beam vs greedy, loss, schedule."""

from __future__ import annotations

import math

import numpy as np
import pytest

import keras  # noqa: E402

from dl_exercises.nn.decoding import beam_search_decode, greedy_decode, sequence_log_prob  # noqa: E402
from dl_exercises.nn.masked_losses import MaskedSparseCrossentropy  # noqa: E402
from dl_exercises.nn.schedules import TransformerSchedule  # noqa: E402
from dl_exercises.nn.transformer import build_transformer, make_log_probs_fn  # noqa: E402
from dl_exercises.text.vocab import BOS, EOS, PAD  # noqa: E402


@pytest.fixture(scope="module")
def tiny():
    keras.utils.set_random_seed(0)
    models = build_transformer(23, 17, num_layers=2, d_model=16, num_heads=2, d_ff=32, dropout=0.0, max_steps=20,
                               name="tiny")
    rng = np.random.default_rng(0)
    src = rng.integers(4, 23, size=(6, 9)).astype("int32")
    src[:, 7:] = PAD
    src[1, 4:] = PAD
    return models, src


def test_step_decoder_equals_training_model_at_every_position(tiny):
    models, src = tiny
    tgt = np.random.default_rng(1).integers(3, 17, size=(6, 8)).astype("int32")
    tgt[:, 0] = BOS
    full = keras.ops.convert_to_numpy(models.model([src, tgt]))
    memory = keras.ops.convert_to_numpy(models.encoder(src))
    for t in range(tgt.shape[1]):
        step, _ = models.decoder([tgt[:, : t + 1], memory, src])
        np.testing.assert_allclose(keras.ops.convert_to_numpy(step), full[:, t], atol=1e-5)


def test_future_targets_and_padded_sources_do_not_matter(tiny):
    models, src = tiny
    rng = np.random.default_rng(2)
    tgt = rng.integers(3, 17, size=(6, 8)).astype("int32")
    changed = tgt.copy()
    changed[:, 5:] = rng.integers(3, 17, size=(6, 3))
    a = keras.ops.convert_to_numpy(models.model([src, tgt]))
    b = keras.ops.convert_to_numpy(models.model([src, changed]))
    np.testing.assert_allclose(a[:, :5], b[:, :5], atol=1e-5)  # look-ahead mask
    assert not np.allclose(a[:, 5:], b[:, 5:], atol=1e-3)
    longer = np.concatenate([src, np.zeros((6, 4), "int32")], axis=1)  # more padding
    c = keras.ops.convert_to_numpy(models.model([longer, tgt]))
    np.testing.assert_allclose(a, c, atol=1e-5)  # padding mask


def test_attention_weights_ignore_padding(tiny):
    models, src = tiny
    memory = keras.ops.convert_to_numpy(models.encoder(src))
    _, weights = models.decoder([np.full((6, 3), BOS, "int32"), memory, src])
    weights = keras.ops.convert_to_numpy(weights)
    assert weights.shape == (6, 2, 3, 9)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-5)
    assert np.all(weights[1, :, :, 4:] < 1e-6) and np.all(weights[:, :, :, 7:] < 1e-6)


def test_beam_width_one_is_greedy_and_wider_beams_score_at_least_as_high(tiny):
    models, src = tiny
    fn = make_log_probs_fn(models, src)
    greedy = greedy_decode(fn, len(src), 10)
    np.testing.assert_array_equal(beam_search_decode(fn, len(src), 10, beam_width=1), greedy)
    beam, scores = beam_search_decode(fn, len(src), 10, beam_width=4, return_scores=True)
    np.testing.assert_allclose(sequence_log_prob(fn, beam), scores, atol=1e-4)
    assert np.all(sequence_log_prob(fn, beam) >= sequence_log_prob(fn, greedy) - 1e-4)


def toy_log_probs(prefix, rows, t):
    """Vocab: 0 pad, 1 <s>, 2 </s>, 3 'a', 4 'b'. First token a (0.6) or b (0.4);
    after a, three equally likely continuations; after b, </s> with 0.9."""
    out = np.full((len(prefix), 5), 1e-9)
    for i, row in enumerate(prefix):
        last = row[t]
        if last == BOS:
            out[i, 3], out[i, 4] = 0.6, 0.4
        elif last == 3:
            out[i, 2] = out[i, 3] = out[i, 4] = 1 / 3
        else:
            out[i, 2], out[i, 3] = 0.9, 0.1
    return np.log(out / out.sum(1, keepdims=True))


def test_beam_search_finds_the_sequence_greedy_misses():
    greedy = greedy_decode(toy_log_probs, 1, 4)
    assert list(greedy[0][:1]) == [3]  # greedy commits to 'a' (0.6) and ends below 0.6 * 1/3
    beam = beam_search_decode(toy_log_probs, 1, 4, beam_width=2)
    assert list(beam[0]) == [4, EOS, PAD, PAD]  # 'b </s>': 0.4 * 0.9 = 0.36
    assert sequence_log_prob(toy_log_probs, beam)[0] == pytest.approx(math.log(0.36), abs=1e-6)


def test_label_smoothed_loss_equals_keras_categorical_crossentropy():
    rng = np.random.default_rng(4)
    logits = rng.normal(size=(3, 5, 7)).astype("float32")
    labels = rng.integers(1, 7, size=(3, 5))
    labels[0, 3:] = PAD
    labels[2, 1:] = PAD
    keep = labels != PAD
    for eps in (0.0, 0.1):
        ours = float(MaskedSparseCrossentropy(eps)(labels, logits))
        ref = keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=eps, reduction=None)
        per_token = keras.ops.convert_to_numpy(ref(np.eye(7)[labels[keep]], logits[keep]))
        assert ours == pytest.approx(float(per_token.mean()), rel=1e-5)


def test_schedule_is_the_papers_formula():
    schedule = TransformerSchedule(512, warmup_steps=4000)
    for step in (1, 100, 3999, 4000, 4001, 100000):
        expected = 512 ** -0.5 * min(step ** -0.5, step * 4000 ** -1.5)
        assert float(schedule(step - 1)) == pytest.approx(expected, rel=1e-5)  # keras counts from 0
    assert TransformerSchedule.from_config(schedule.get_config()).get_config() == schedule.get_config()


def test_whole_model_saves_and_loads(tiny, tmp_path):
    models, src = tiny
    tgt = np.full((6, 4), BOS, "int32")
    path = tmp_path / "transformer.keras"
    models.model.save(path)
    loaded = keras.models.load_model(path, compile=False)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded([src, tgt])),
                               keras.ops.convert_to_numpy(models.model([src, tgt])), atol=1e-6)


def test_shared_embeddings_use_one_table_and_bad_arguments_are_named():
    shared = build_transformer(30, 30, num_layers=1, d_model=8, num_heads=2, d_ff=8, share_embeddings=True, name="s")
    separate = build_transformer(30, 30, num_layers=1, d_model=8, num_heads=2, d_ff=8, name="p")
    assert shared.model.count_params() == separate.model.count_params() - 30 * 8
    with pytest.raises(ValueError, match="share_embeddings"):
        build_transformer(30, 20, share_embeddings=True)
    with pytest.raises(ValueError, match="Received: d_model=10, num_heads=4"):
        build_transformer(30, 20, d_model=10, num_heads=4)


def test_tied_output_projection_is_the_target_embedding_table():
    """The course lab's tying: logits = h Eᵀ with E the target embedding (no second V × d_model matrix, no bias)."""
    tied = build_transformer(30, 40, num_layers=1, d_model=8, num_heads=2, d_ff=8, tie_output=True, name="t")
    untied = build_transformer(30, 40, num_layers=1, d_model=8, num_heads=2, d_ff=8, name="u")
    assert tied.model.count_params() == untied.model.count_params() - (8 * 40 + 40)
    projection = tied.model.get_layer("t_output_projection")
    table = tied.model.get_layer("t_target_embedding").embedding.embeddings
    hidden = np.random.default_rng(0).normal(size=(3, 8)).astype("float32")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(projection(hidden)), hidden @ np.asarray(table).T, atol=1e-5)


def test_heads_of_their_own_width_project_back_to_d_model():
    """The course lab's 6 heads of d_k = 32 over d_model 128: Q, K, V project to 6 × 32, W^O back to d_model."""
    models = build_transformer(30, 30, num_layers=1, d_model=8, num_heads=3, head_dim=4, d_ff=8, name="h")
    attention = models.model.get_layer("h_encoder_1").self_attention
    assert tuple(attention.query_dense.kernel.shape) == (8, 12)
    assert tuple(attention.output_dense.kernel.shape) == (12, 8)
    src = np.ones((2, 5), "int32")
    assert models.model([src, src]).shape == (2, 5, 30)


def test_beam_search_keeps_the_k_best_in_order_on_a_random_table():
    """One step of beam search against brute force over every two-token sequence."""
    rng = np.random.default_rng(9)
    table = np.log(rng.dirichlet(np.ones(6), size=(7,)))  # next-token distribution given the last token

    def fn(prefix, rows, t):
        return table[prefix[:, t]]

    tokens, scores = beam_search_decode(fn, 1, 2, beam_width=3, return_scores=True)
    best = max(((a, b) for a in range(6) for b in range(6)),
               key=lambda ab: table[BOS, ab[0]] + (0.0 if ab[0] == EOS else table[ab[0], ab[1]]))
    a, b = best
    expected = table[BOS, a] + (0.0 if a == EOS else table[a, b])
    assert scores[0] == pytest.approx(expected)
    assert tokens[0, 0] == a
