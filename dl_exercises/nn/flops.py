"""Count the multiply-adds of a built Keras model, layer by layer (Day4 Section3, MobileNet cost).

Only layers with weights that multiply inputs count: Conv2D (including
grouped), DepthwiseConv2D, SeparableConv2D and Dense. Bias additions,
normalization, pooling and activations are left out, as in the papers'
multiply-add figures.
"""

from __future__ import annotations

import math

import keras


def layer_multiply_adds(layer) -> int:
    """Multiply-adds of one forward pass of ``layer`` for one example (0 for layers without kernels).

    Returns:
        Conv2D: OH·OW·N·(KH·KW·M/groups); DepthwiseConv2D: OH·OW·M·dm·KH·KW;
        SeparableConv2D: depthwise + pointwise; Dense: in·units per position.
    """
    if isinstance(layer, keras.layers.SeparableConv2D):
        in_ch = layer.input.shape[-1]
        out_h, out_w = layer.output.shape[1:3]
        kh, kw = layer.kernel_size
        depthwise = out_h * out_w * in_ch * layer.depth_multiplier * kh * kw
        return int(depthwise + out_h * out_w * in_ch * layer.depth_multiplier * layer.filters)
    if isinstance(layer, keras.layers.DepthwiseConv2D):
        in_ch = layer.input.shape[-1]
        out_h, out_w = layer.output.shape[1:3]
        kh, kw = layer.kernel_size
        return int(out_h * out_w * in_ch * layer.depth_multiplier * kh * kw)
    if isinstance(layer, keras.layers.Conv2D):
        in_ch = layer.input.shape[-1]
        out_h, out_w, out_ch = layer.output.shape[1:4]
        kh, kw = layer.kernel_size
        return int(out_h * out_w * out_ch * kh * kw * in_ch // layer.groups)
    if isinstance(layer, keras.layers.Dense):
        in_shape = layer.input.shape
        positions = math.prod(d for d in in_shape[1:-1]) if len(in_shape) > 2 else 1
        return int(positions * in_shape[-1] * layer.units)
    return 0


def count_multiply_adds(model) -> int:
    """Total multiply-adds of one forward pass for one example (the papers' "Mult-Adds")."""
    return sum(layer_multiply_adds(layer) for layer in model.layers)


def multiply_adds_by_layer(model) -> list[tuple[str, str, int]]:
    """(layer name, class name, multiply-adds) for every counted layer, in model order."""
    rows = []
    for layer in model.layers:
        count = layer_multiply_adds(layer)
        if count:
            rows.append((layer.name, type(layer).__name__, count))
    return rows
