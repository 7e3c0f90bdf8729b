"""Semantic segmentation in Keras: FCN, SegNet, U-Net and a dilated-convolution net (Day4 Section6 セグメンテーション).

- **FCN**: a convolutional encoder down to 1/8; 1×1 convolutions score each stage in
  classes; the coarsest scores are upsampled ×2 by transposed convolutions and summed
  with the scores of the finer stages (skip sums), then brought to full size.
- **SegNet**: an encoder whose max-poolings keep the positions of their maxima
  (``tf.nn.max_pool_with_argmax``); the decoder unpools by scattering each value back to
  the position its maximum came from (zeros elsewhere), then convolves.
- **U-Net**: an encoder–decoder whose decoder concatenates, at each scale, the encoder's
  feature map with its transposed-convolution upsampling.
- **Dilated**: no downsampling; a stack of 3×3 convolutions with dilation rates d_l, whose
  receptive field 1 + Σ_l (k − 1)·d_l grows with the rates at full resolution.

Every convolution block is conv–BatchNorm–ReLU, so the four differ in how they recover
resolution, not in their normalisation. The pixel metrics (pixel accuracy, mean IoU)
are plain numpy functions at the end of this module.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers


@keras.saving.register_keras_serializable(package="dlx")
class MaxPoolingWithArgmax2D(layers.Layer):
    """Max-pooling that also returns where each maximum was (SegNet's encoder).

    Args:
        pool_size: window and stride (the input's height and width must be multiples of it).
    Call:
        inputs (N, H, W, C) → ``[pooled (N, H/p, W/p, C), argmax int64 (N, H/p, W/p, C)]``; argmax is the
        flat index ((n·H + y)·W + x)·C + c of the maximum in the input (``include_batch_in_index=True``).
    """

    def __init__(self, pool_size: int = 2, **kwargs):
        super().__init__(**kwargs)
        if int(pool_size) < 1:
            raise ValueError(f"MaxPoolingWithArgmax2D: pool_size must be >= 1, Received: pool_size={pool_size}")
        self.pool_size = int(pool_size)

    def call(self, inputs):
        p = self.pool_size
        pooled, argmax = tf.nn.max_pool_with_argmax(inputs, ksize=p, strides=p, padding="VALID",
                                                    include_batch_in_index=True)
        return [pooled, tf.stop_gradient(argmax)]

    def compute_output_shape(self, input_shape):
        n, h, w, c = input_shape
        p = self.pool_size
        shape = (n, None if h is None else h // p, None if w is None else w // p, c)
        return [shape, shape]

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size}


@keras.saving.register_keras_serializable(package="dlx")
class MaxUnpooling2D(layers.Layer):
    """SegNet's unpooling: each value goes back to the position its maximum came from, zeros elsewhere.

    Args:
        size: the pooling factor undone (the output is ``size`` times larger in height and width).
    Call:
        ``[values (N, h, w, C), argmax (N, h, w, C)]`` from ``MaxPoolingWithArgmax2D`` → (N, h·size, w·size, C).
    """

    def __init__(self, size: int = 2, **kwargs):
        super().__init__(**kwargs)
        if int(size) < 1:
            raise ValueError(f"MaxUnpooling2D: size must be >= 1, Received: size={size}")
        self.size = int(size)

    def call(self, inputs):
        values, argmax = inputs
        shape = tf.shape(values, out_type=tf.int64)
        out_shape = tf.stack([shape[0], shape[1] * self.size, shape[2] * self.size, shape[3]])
        flat = tf.scatter_nd(tf.reshape(argmax, (-1, 1)), tf.reshape(values, (-1,)),
                             tf.reshape(tf.reduce_prod(out_shape), (1,)))
        out = tf.reshape(flat, out_shape)
        n, h, w, c = values.shape
        out.set_shape((n, None if h is None else h * self.size, None if w is None else w * self.size, c))
        return out

    def compute_output_shape(self, input_shape):
        n, h, w, c = input_shape[0]
        return (n, None if h is None else h * self.size, None if w is None else w * self.size, c)

    def get_config(self):
        return {**super().get_config(), "size": self.size}


def _block(x, filters, name, convs=2, dilation=1):
    for i in range(1, convs + 1):
        x = layers.Conv2D(filters, 3, padding="same", dilation_rate=dilation, use_bias=False, name=f"{name}_conv{i}")(x)
        x = layers.BatchNormalization(momentum=0.9, name=f"{name}_bn{i}")(x)
        x = layers.ReLU(name=f"{name}_relu{i}")(x)
    return x


def _check(input_shape, num_classes, levels, who):
    h, w = input_shape[:2]
    if h % 2**levels or w % 2**levels or num_classes < 2:
        raise ValueError(f"{who}: height and width must be multiples of {2**levels} and num_classes >= 2, "
                         f"Received: input_shape={input_shape}, num_classes={num_classes}")


def fcn(input_shape=(32, 32, 3), num_classes: int = 4, width: int = 16, name: str = "fcn") -> keras.Model:
    """FCN with transposed-convolution upsampling and skip sums (FCN-8s on a three-stage encoder).

    Args:
        input_shape: (H, W, ch), H and W multiples of 8; num_classes: with background.
        width: channels of the first stage (doubled at each of the next two).
        name: model name and layer prefix.
    Returns:
        ``keras.Model`` (N, H, W, ch) → logits (N, H, W, num_classes).
    """
    _check(input_shape, num_classes, 3, "fcn")
    inputs = keras.Input(input_shape, name=f"{name}_image")
    pools, x = [], inputs
    for s in range(3):
        x = _block(x, width * 2**s, f"{name}_stage{s + 1}")
        x = layers.MaxPooling2D(name=f"{name}_pool{s + 1}")(x)
        pools.append(x)  # 1/2, 1/4, 1/8
    x = _block(pools[-1], width * 8, f"{name}_head", convs=1)  # the "fully convolutional" layers at 1/8
    score = layers.Conv2D(num_classes, 1, name=f"{name}_score3")(x)
    for s in (2, 1):  # ×2 up, then add the finer stage's scores
        up = layers.Conv2DTranspose(num_classes, 4, strides=2, padding="same", name=f"{name}_up{s + 1}")(score)
        skip = layers.Conv2D(num_classes, 1, name=f"{name}_score{s}")(pools[s - 1])
        score = layers.Add(name=f"{name}_sum{s}")([up, skip])
    outputs = layers.Conv2DTranspose(num_classes, 4, strides=2, padding="same", name=f"{name}_up1")(score)
    return keras.Model(inputs, outputs, name=name)


def segnet(input_shape=(32, 32, 3), num_classes: int = 4, width: int = 16, name: str = "segnet") -> keras.Model:
    """SegNet: encoder max-pooling with indices, decoder max-unpooling with the same indices.

    Args:
        input_shape: (H, W, ch), H and W multiples of 8; num_classes: with background;
        width: channels of the first stage (doubled at each of the next two); name: model name and layer prefix.
    Returns:
        ``keras.Model`` (N, H, W, ch) → logits (N, H, W, num_classes).
    """
    _check(input_shape, num_classes, 3, "segnet")
    inputs = keras.Input(input_shape, name=f"{name}_image")
    x, indices = inputs, []
    for s in range(3):
        x = _block(x, width * 2**s, f"{name}_enc{s + 1}")
        x, argmax = MaxPoolingWithArgmax2D(2, name=f"{name}_pool{s + 1}")(x)
        indices.append(argmax)
    for s in (2, 1, 0):
        x = MaxUnpooling2D(2, name=f"{name}_unpool{s + 1}")([x, indices[s]])
        x = _block(x, width * 2 ** max(s - 1, 0), f"{name}_dec{s + 1}")
    outputs = layers.Conv2D(num_classes, 1, name=f"{name}_classes")(x)
    return keras.Model(inputs, outputs, name=name)


def unet(input_shape=(32, 32, 3), num_classes: int = 4, width: int = 16, name: str = "unet") -> keras.Model:
    """U-Net: at each scale the decoder concatenates the encoder's features with its upsampling.

    Args:
        input_shape: (H, W, ch), H and W multiples of 4; num_classes: with background;
        width: channels of the first stage (doubled at each of the next two); name: model name and layer prefix.
    Returns:
        ``keras.Model`` (N, H, W, ch) → logits (N, H, W, num_classes).
    """
    _check(input_shape, num_classes, 2, "unet")
    inputs = keras.Input(input_shape, name=f"{name}_image")
    x, skips = inputs, []
    for s in range(2):
        x = _block(x, width * 2**s, f"{name}_enc{s + 1}")
        skips.append(x)
        x = layers.MaxPooling2D(name=f"{name}_pool{s + 1}")(x)
    x = _block(x, width * 4, f"{name}_bottom")
    for s in (1, 0):
        x = layers.Conv2DTranspose(width * 2**s, 2, strides=2, name=f"{name}_up{s + 1}")(x)
        x = layers.Concatenate(name=f"{name}_concat{s + 1}")([skips[s], x])
        x = _block(x, width * 2**s, f"{name}_dec{s + 1}")
    outputs = layers.Conv2D(num_classes, 1, name=f"{name}_classes")(x)
    return keras.Model(inputs, outputs, name=name)


DILATION_RATES = (1, 2, 4, 8, 1)


def dilated_net(input_shape=(32, 32, 3), num_classes: int = 4, width: int = 16, rates=DILATION_RATES,
                name: str = "dilated") -> keras.Model:
    """Full-resolution 3×3 convolutions with dilation rates ``rates`` (no pooling), then 1×1 class scores.

    Args:
        input_shape: (H, W, ch); num_classes: with background; width: channels of every layer;
        rates: one dilation rate per 3×3 layer; name: model name and layer prefix.
    Returns:
        ``keras.Model`` (N, H, W, ch) → logits (N, H, W, num_classes).
    """
    if num_classes < 2 or not rates or min(rates) < 1:
        raise ValueError(f"dilated_net: num_classes >= 2 and rates >= 1 needed, Received: num_classes={num_classes}, rates={rates}")
    inputs = keras.Input(input_shape, name=f"{name}_image")
    x = inputs
    for i, d in enumerate(rates, start=1):
        x = _block(x, width, f"{name}_layer{i}_d{d}", convs=1, dilation=d)
    outputs = layers.Conv2D(num_classes, 1, name=f"{name}_classes")(x)
    return keras.Model(inputs, outputs, name=name)


def receptive_field(kernel_sizes, dilations, strides=None) -> list[int]:
    """Receptive field after each layer: r_l = r_{l−1} + (k_l − 1)·d_l·j_{l−1}, j_l = j_{l−1}·s_l, r_0 = j_0 = 1.

    Args:
        kernel_sizes, dilations: one per layer; strides: one per layer (default all 1).
    Returns:
        the receptive field (pixels per side) after each layer.
    """
    strides = strides or [1] * len(kernel_sizes)
    r, j, out = 1, 1, []
    for k, d, s in zip(kernel_sizes, dilations, strides):
        r += (k - 1) * d * j
        j *= s
        out.append(r)
    return out


def measured_receptive_field(rates, size: int = 64) -> list[int]:
    """Receptive field of a stack of 3×3 convolutions with ``rates``, measured layer by layer.

    The stack is built with every weight 1 and no activation, so every path adds and none
    cancels; the input pixels with a non-zero gradient of the centre output pixel are its
    receptive field. ``size`` must exceed the largest field.

    Returns:
        the side of that region after each layer.
    """
    x = tf.ones((1, size, size, 1))
    stack = [layers.Conv2D(1, 3, padding="same", dilation_rate=d, use_bias=False, kernel_initializer="ones")
             for d in rates]
    out = []
    for depth in range(1, len(stack) + 1):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x
            for layer in stack[:depth]:
                y = layer(y)
            centre = y[0, size // 2, size // 2, 0]
        grad = tape.gradient(centre, x).numpy()[0, :, :, 0]
        rows = np.flatnonzero(np.abs(grad).sum(1) > 0)
        cols = np.flatnonzero(np.abs(grad).sum(0) > 0)
        side = int(rows.max() - rows.min() + 1)
        if side != int(cols.max() - cols.min() + 1) or rows.min() == 0 or rows.max() == size - 1:
            raise ValueError(f"measured_receptive_field: size={size} is too small for rates={tuple(rates)}")
        out.append(side)
    return out


BUILDERS = {"fcn": fcn, "segnet": segnet, "unet": unet, "dilated": dilated_net}


# --- pixel metrics (numpy) ------------------------------------------------------------------


def confusion_matrix(truth: np.ndarray, predicted: np.ndarray, num_classes: int) -> np.ndarray:
    """(num_classes, num_classes) int64 counts, rows the true class, columns the predicted class."""
    t = np.asarray(truth, np.int64).reshape(-1)
    p = np.asarray(predicted, np.int64).reshape(-1)
    return np.bincount(t * num_classes + p, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def pixel_accuracy(confusion: np.ndarray) -> float:
    """Share of pixels whose predicted class is the true class."""
    return float(np.trace(confusion) / max(confusion.sum(), 1))


def class_iou(confusion: np.ndarray) -> np.ndarray:
    """IoU of each class, TP / (TP + FP + FN) over all pixels; NaN for a class absent from truth and prediction."""
    tp = np.diag(confusion).astype(np.float64)
    union = confusion.sum(0) + confusion.sum(1) - tp
    return np.where(union > 0, tp / np.maximum(union, 1), np.nan)


def mean_iou(confusion: np.ndarray) -> float:
    """Mean of ``class_iou`` over the classes present in truth or prediction (background included)."""
    return float(np.nanmean(class_iou(confusion)))
