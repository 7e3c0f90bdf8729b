"""PositionalEncoding against the course's formula, multi-head attention against Keras, masks."""

from __future__ import annotations

import math

import numpy as np
import pytest

import keras  # noqa: E402

from dl_exercises.nn import MultiHeadAttention, PositionalEncoding  # noqa: E402
from dl_exercises.nn.attention import look_ahead_mask, padding_mask, scaled_dot_product_attention  # noqa: E402
from dl_exercises.nn.positional_encoding import positional_encoding_table  # noqa: E402


def course_table(max_steps, max_dims):
    """The numpy construction of Day4 Section5 example 5.1, as the course writes it."""
    if max_dims % 2 == 1:
        max_dims += 1
    p, i = np.meshgrid(np.arange(max_steps), np.arange(max_dims // 2))
    pos_emb = np.empty((1, max_steps, max_dims))
    pos_emb[0, :, ::2] = np.sin(p / 10000 ** (2 * i / max_dims)).T
    pos_emb[0, :, 1::2] = np.cos(p / 10000 ** (2 * i / max_dims)).T
    return pos_emb


@pytest.mark.parametrize("max_steps,max_dims", [(50, 16), (30, 7), (1, 2)])
def test_table_matches_formula_value_by_value(max_steps, max_dims):
    table = positional_encoding_table(max_steps, max_dims)
    width = max_dims + max_dims % 2
    assert table.shape == (max_steps, width)
    for p in range(max_steps):
        for d in range(width):
            i = d // 2
            angle = p / 10000 ** (2 * i / width)
            expected = math.sin(angle) if d % 2 == 0 else math.cos(angle)
            assert table[p, d] == pytest.approx(expected, abs=1e-12), (p, d)


@pytest.mark.parametrize("max_steps,max_dims", [(500, 512), (40, 9)])
def test_table_matches_course_numpy_construction(max_steps, max_dims):
    np.testing.assert_allclose(positional_encoding_table(max_steps, max_dims), course_table(max_steps, max_dims)[0], atol=1e-12)


def test_layer_adds_slice_matching_input_length_and_width():
    layer = PositionalEncoding(max_steps=20, max_dims=11)  # rounded up to 12
    x = np.random.default_rng(0).normal(size=(3, 6, 11)).astype("float32")
    out = keras.ops.convert_to_numpy(layer(x))
    expected = x + course_table(20, 11)[:, :6, :11]
    np.testing.assert_allclose(out, expected, atol=1e-6)
    zeros = keras.ops.convert_to_numpy(layer(np.zeros((1, 20, 12), "float32")))
    np.testing.assert_allclose(zeros[0], course_table(20, 12)[0], atol=1e-6)


def test_layer_rejects_bad_arguments_and_too_long_inputs():
    with pytest.raises(ValueError, match="Received: max_steps=0"):
        PositionalEncoding(0, 8)
    with pytest.raises(ValueError, match="Received: max_dims=-2"):
        PositionalEncoding(8, -2)
    with pytest.raises(ValueError, match="max_steps=4"):
        PositionalEncoding(4, 8)(np.zeros((1, 5, 8), "float32"))


def test_layer_serializes_round_trip(tmp_path):
    inputs = keras.Input((None, 8))
    model = keras.Model(inputs, PositionalEncoding(32, 8, name="pe")(inputs))
    path = tmp_path / "pe.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    layer = loaded.get_layer("pe")
    assert isinstance(layer, PositionalEncoding)
    assert (layer.max_steps, layer.max_dims) == (32, 8)
    x = np.ones((2, 10, 8), "float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-7)


def test_scaled_dot_product_attention_equals_numpy_eq8():
    rng = np.random.default_rng(1)
    q, k, v = rng.normal(size=(2, 4, 8)), rng.normal(size=(2, 6, 8)), rng.normal(size=(2, 6, 3))
    out, weights = scaled_dot_product_attention(*(x.astype("float32") for x in (q, k, v)))
    scores = q @ k.transpose(0, 2, 1) / np.sqrt(8)
    expected_w = np.exp(scores - scores.max(-1, keepdims=True))
    expected_w /= expected_w.sum(-1, keepdims=True)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(weights), expected_w, atol=1e-5)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(out), expected_w @ v, atol=1e-5)


def test_masks_shapes_and_values():
    ids = np.array([[5, 3, 0, 0], [7, 0, 0, 0]])
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(padding_mask(ids)), (ids != 0)[:, None, :]
    )
    causal = keras.ops.convert_to_numpy(look_ahead_mask(4))
    np.testing.assert_array_equal(causal, np.tril(np.ones((4, 4), bool)))


def test_masked_keys_get_zero_weight_and_do_not_change_output():
    rng = np.random.default_rng(2)
    q, k, v = (rng.normal(size=s).astype("float32") for s in ((1, 3, 4), (1, 5, 4), (1, 5, 2)))
    mask = np.array([[[True, True, True, False, False]]])
    out, weights = scaled_dot_product_attention(q, k, v, mask)
    assert np.all(keras.ops.convert_to_numpy(weights)[..., 3:] == 0.0)
    out_short, _ = scaled_dot_product_attention(q, k[:, :3], v[:, :3])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(out), keras.ops.convert_to_numpy(out_short), atol=1e-6)


def copy_into_keras(mine: MultiHeadAttention, ref) -> None:
    """Our (d, h*dk) kernels reshaped into Keras's (d, h, dk) EinsumDense layout."""
    h = mine.num_heads
    values = []
    for dense in (mine.query_dense, mine.key_dense, mine.value_dense):
        kernel, bias = (keras.ops.convert_to_numpy(w) for w in dense.weights)
        values += [kernel.reshape(kernel.shape[0], h, -1), bias.reshape(h, -1)]
    kernel, bias = (keras.ops.convert_to_numpy(w) for w in mine.output_dense.weights)
    values += [kernel.reshape(h, -1, kernel.shape[1]), bias]
    ref.set_weights(values)


@pytest.mark.parametrize("mask_kind", ["none", "padding", "causal", "padding+causal"])
def test_multi_head_attention_equals_keras_with_same_weights(mask_kind):
    rng = np.random.default_rng(3)
    batch, t, d, heads, dk = 3, 6, 16, 4, 8
    s = t if "causal" in mask_kind else 9
    query = rng.normal(size=(batch, t, d)).astype("float32")
    value = rng.normal(size=(batch, s, d)).astype("float32")
    key = rng.normal(size=(batch, s, d)).astype("float32")
    mine = MultiHeadAttention(heads, dk, value_dim=5)
    ref = keras.layers.MultiHeadAttention(heads, dk, value_dim=5)
    mine(query, value, key)
    ref(query, value, key)
    copy_into_keras(mine, ref)
    mask = None
    if "padding" in mask_kind:
        lengths = np.array([s, s - 2, 1])
        mask = np.broadcast_to((np.arange(s)[None, :] < lengths[:, None])[:, None, :], (batch, t, s))
    causal = "causal" in mask_kind
    out, w = mine(query, value, key, attention_mask=mask, use_causal_mask=causal, return_attention_scores=True)
    ref_out, ref_w = ref(query, value, key, attention_mask=mask, use_causal_mask=causal, return_attention_scores=True)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(out), keras.ops.convert_to_numpy(ref_out), atol=1e-5)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(w), keras.ops.convert_to_numpy(ref_w), atol=1e-6)
    if mask_kind != "none":  # the mask really changed something, so the comparison covered it
        unmasked = keras.ops.convert_to_numpy(mine(query, value, key))
        assert not np.allclose(keras.ops.convert_to_numpy(out), unmasked, atol=1e-4)


def test_multi_head_attention_validates_and_serializes():
    with pytest.raises(ValueError, match="Received: num_heads=0"):
        MultiHeadAttention(0, 8)
    with pytest.raises(ValueError, match="Received: dropout=1.5"):
        MultiHeadAttention(2, 8, dropout=1.5)
    layer = MultiHeadAttention(2, 8, value_dim=4, dropout=0.1, use_bias=False, output_dim=6, name="mha")
    clone = MultiHeadAttention.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
