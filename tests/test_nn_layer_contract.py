"""Every public layer in ``dl_exercises.nn`` passes Keras's own layer-test harness.

``keras.src.testing.TestCase.run_layer_test`` builds each layer symbolically and
eagerly, checks its output shapes and weights, round-trips its config and
serialization, trains it one step, and runs it under the ``mixed_float16``
policy (sublayers must follow the layer's dtype policy). The list below must
name every ``register_keras_serializable`` layer of the package: a new layer
without an entry fails ``test_every_public_layer_is_covered``.
"""

from __future__ import annotations

import inspect
import pkgutil

import keras
import pytest
from keras.src.testing import TestCase

import dl_exercises.nn as nn_package
from dl_exercises.nn.attention import MultiHeadAttention
from dl_exercises.nn.hred import GaussianKL, RepeatOverTime
from dl_exercises.nn.positional_encoding import PositionalEncoding
from dl_exercises.nn.rnn_attention import RNNAttention
from dl_exercises.nn.segmentation import MaxPoolingWithArgmax2D, MaxUnpooling2D
from dl_exercises.nn.transformer import (AddNorm, PaddingMask, PositionwiseFeedForward, TokenEmbedding,
                                         TransformerDecoderLayer, TransformerEncoderLayer)
from dl_exercises.nn.vae import KLDivergence, Sampling
from dl_exercises.nn.wavenet import GatedResidualBlock


def _unpool_inputs():
    """Pooled values and the argmax of a real pooling, so every index points into the output."""
    import numpy as np
    import tensorflow as tf

    x = np.random.default_rng(0).normal(size=(2, 4, 4, 3)).astype("float32")
    pooled, argmax = tf.nn.max_pool_with_argmax(x, ksize=2, strides=2, padding="VALID", include_batch_in_index=True)
    return [pooled.numpy(), argmax.numpy()]

# The harness fits with a generator and shuffle=True; Keras warns that it ignores the shuffle.
pytestmark = pytest.mark.filterwarnings("ignore:`shuffle=True` was passed")

LATENT = {"q_mean_shape": (2, 3), "q_log_var_shape": (2, 3), "p_mean_shape": (2, 3), "p_log_var_shape": (2, 3)}

CASES = {
    "PositionalEncoding": dict(layer_cls=PositionalEncoding, init_kwargs={"max_steps": 10, "max_dims": 8},
                               input_shape=(2, 6, 8), expected_output_shape=(2, 6, 8), supports_masking=True),
    "MultiHeadAttention": dict(layer_cls=MultiHeadAttention, init_kwargs={"num_heads": 2, "key_dim": 4},
                               input_shape={"query_shape": (2, 5, 8), "value_shape": (2, 3, 8)},
                               expected_output_shape=(2, 5, 8), run_training_check=False),
    "AddNorm": dict(layer_cls=AddNorm, init_kwargs={"dropout": 0.1}, input_shape=((2, 5, 8), (2, 5, 8)),
                    expected_output_shape=(2, 5, 8)),
    "PositionwiseFeedForward": dict(layer_cls=PositionwiseFeedForward, init_kwargs={"d_model": 8, "d_ff": 16},
                                    input_shape=(2, 5, 8), expected_output_shape=(2, 5, 8)),
    "TransformerEncoderLayer": dict(layer_cls=TransformerEncoderLayer,
                                    init_kwargs={"d_model": 8, "num_heads": 2, "d_ff": 16, "dropout": 0.1},
                                    input_shape=(2, 5, 8), expected_output_shape=(2, 5, 8)),
    "TransformerDecoderLayer": dict(layer_cls=TransformerDecoderLayer,
                                    init_kwargs={"d_model": 8, "num_heads": 2, "d_ff": 16, "dropout": 0.1},
                                    input_shape={"y_shape": (2, 4, 8), "memory_shape": (2, 5, 8)},
                                    expected_output_shape=(2, 4, 8), run_training_check=False),
    "TokenEmbedding": dict(layer_cls=TokenEmbedding, init_kwargs={"vocab_size": 20, "d_model": 8, "max_steps": 10},
                           input_shape=(2, 6), input_dtype="int32", expected_output_shape=(2, 6, 8)),
    "PaddingMask": dict(layer_cls=PaddingMask, init_kwargs={"pad_id": 0}, input_shape=(2, 6), input_dtype="int32",
                        expected_output_shape=(2, 1, 6), expected_output_dtype="bool", run_training_check=False,
                        run_mixed_precision_check=False),  # an integer → bool mask: no float computation to cast
    "RNNAttention": dict(layer_cls=RNNAttention, init_kwargs={"score": "additive", "units": 8},
                         input_shape={"query_shape": (2, 4, 6), "value_shape": (2, 5, 6)},
                         expected_output_shape=((2, 4, 6), (2, 4, 5)), run_training_check=False),
    "Sampling": dict(layer_cls=Sampling, init_kwargs={"seed": 1},
                     input_shape={"mean_shape": (2, 3), "log_var_shape": (2, 3)}, expected_output_shape=(2, 3),
                     expected_num_seed_generators=1, run_training_check=False),
    "KLDivergence": dict(layer_cls=KLDivergence, init_kwargs={"beta": 0.5},
                         input_shape={"mean_shape": (2, 3), "log_var_shape": (2, 3)},
                         expected_output_shape=((2, 3), (2, 3)), expected_num_losses=1, run_training_check=False),
    "GaussianKL": dict(layer_cls=GaussianKL, init_kwargs={"initial_weight": 0.5}, input_shape=LATENT,
                       expected_output_shape=((2, 3), (2, 3)), expected_num_losses=1,
                       expected_num_non_trainable_weights=1, run_training_check=False),
    "RepeatOverTime": dict(layer_cls=RepeatOverTime, init_kwargs={},
                           input_shape={"vector_shape": (2, 3), "like_shape": (2, 4, 5)},
                           expected_output_shape=(2, 4, 3), run_training_check=False),
    "GatedResidualBlock": dict(layer_cls=GatedResidualBlock,
                               init_kwargs={"channels": 8, "skip_channels": 6, "dilation_rate": 2},
                               input_shape=(2, 10, 8), expected_output_shape=((2, 10, 8), (2, 10, 6))),
    # argmax pooling and unpooling have no weights and route int64 indices: no training or float16 check
    "MaxPoolingWithArgmax2D": dict(layer_cls=MaxPoolingWithArgmax2D, init_kwargs={"pool_size": 2},
                                   input_shape=(2, 4, 4, 3), expected_output_shape=[(2, 2, 2, 3), (2, 2, 2, 3)],
                                   run_training_check=False, run_mixed_precision_check=False),
    "MaxUnpooling2D": dict(layer_cls=MaxUnpooling2D, init_kwargs={"size": 2}, input_data=_unpool_inputs(),
                           expected_output_shape=(2, 4, 4, 3), run_training_check=False,
                           run_mixed_precision_check=False),
}
# The harness trains a layer by calling it on one positional argument, which keyword multi-input
# layers cannot take; those with trainable weights get the same one-step training check below.
# (Sampling, KLDivergence, GaussianKL and RepeatOverTime have no trainable weights.)
TRAIN_BY_HAND = {
    "MultiHeadAttention": lambda layer, a, b: layer(a, b),
    "TransformerDecoderLayer": lambda layer, a, b: layer(a, b),
    "RNNAttention": lambda layer, a, b: layer(a, b)[0],
}


class _Harness(TestCase):
    def runTest(self):  # unittest needs one test method to instantiate the case
        pass


def _public_layers() -> set[str]:
    """Names of the keras.layers.Layer subclasses defined (and registered) in dl_exercises.nn."""
    import importlib

    names = set()
    for info in pkgutil.iter_modules(nn_package.__path__):
        module = importlib.import_module(f"{nn_package.__name__}.{info.name}")
        for name, obj in vars(module).items():
            if (inspect.isclass(obj) and issubclass(obj, keras.layers.Layer) and not issubclass(obj, keras.Model)
                    and obj.__module__ == module.__name__ and not name.startswith("_")
                    and keras.saving.get_registered_name(obj).startswith("dlx>")):
                names.add(name)
    return names


def test_every_public_layer_is_covered():
    assert _public_layers() <= set(CASES), sorted(_public_layers() - set(CASES))


@pytest.mark.parametrize("name", sorted(CASES))
def test_keras_layer_harness(name):
    case = dict(CASES[name])
    shape = case.get("input_shape")
    if isinstance(shape, dict) and "input_dtype" not in case:
        case["input_dtype"] = {k: "float32" for k in shape}
    case.setdefault("custom_objects", {case["layer_cls"].__name__: case["layer_cls"]})
    _Harness().run_layer_test(**case)


@pytest.mark.parametrize("name", sorted(TRAIN_BY_HAND))
def test_multi_input_layer_trains_one_step(name):
    """One optimizer step through a functional model moves every kernel and keeps the loss finite.

    (Kernels, not biases: a key projection's bias adds the same amount to every score of a query,
    which softmax ignores, so its gradient is zero by construction.)
    """
    import numpy as np

    case = CASES[name]
    (_, a_shape), (_, b_shape) = case["input_shape"].items()
    layer = case["layer_cls"](**case["init_kwargs"])
    a, b = keras.Input(a_shape[1:]), keras.Input(b_shape[1:])
    model = keras.Model([a, b], TRAIN_BY_HAND[name](layer, a, b))
    model.compile(keras.optimizers.SGD(0.1), loss="mse")  # random targets: a post-norm output has constant Σy²
    rng = np.random.default_rng(0)
    xa, xb = rng.normal(size=a_shape).astype("float32"), rng.normal(size=b_shape).astype("float32")
    kernels = [w for w in layer.trainable_weights if len(w.shape) >= 2]
    before = [np.array(w) for w in kernels]
    loss = model.train_on_batch([xa, xb], rng.normal(size=(2, *model.output.shape[1:])).astype("float32"))
    assert np.isfinite(loss)
    assert kernels and all(not np.allclose(w0, np.array(w)) for w0, w in zip(before, kernels))
