"""Keras 3 layers and block builders used by the exercises."""

from ..runtime import tf_keras as _tf_keras

_tf_keras()  # configure and import TensorFlow quietly before any layer module imports Keras

from .attention import MultiHeadAttention, look_ahead_mask, padding_mask, scaled_dot_product_attention  # noqa: E402,F401
from .positional_encoding import PositionalEncoding, positional_encoding_table  # noqa: E402,F401
