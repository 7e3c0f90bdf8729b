"""A tiny SSD (Single Shot Detector) and its loss in Keras (Day4 Section6 物体検知, SSD).

One small convolutional backbone; from three of its feature maps (the finest
first) a 3×3 convolution predicts, for every default box at every location,
C + 1 class logits (0 = background) and 4 box offsets. The outputs are reshaped
row by row, column by column, box by box: the order of
``dl_exercises.scratch.ssd_boxes.default_boxes``. The loss is SSD's
(L_conf + α·L_loc)/N with hard negative mining at 3:1, in ``keras.ops``; the
numpy ``scratch.ssd_boxes.ssd_loss`` is its twin (tests/test_day4_detection.py).
"""

from __future__ import annotations

import keras
from keras import layers, ops


def tiny_ssd(input_shape=(64, 64, 3), num_classes: int = 3, boxes_per_location=(4, 4, 4), width: int = 32,
             name: str = "tiny_ssd") -> keras.Model:
    """Build the tiny SSD.

    Backbone: conv(w/2)–pool–conv(w)–pool–conv(w)–conv(2w) gives the first map (S/4); two stride-2
    convs give the next (S/8, S/16). Convolutions are 3×3, "same", BatchNorm + ReLU.

    Args:
        input_shape: (S, S, channels), S divisible by 16.
        num_classes: C object classes (the background is added).
        boxes_per_location: default boxes at each location of the three maps.
        width: channels of the second backbone stage.
        name: model name and the prefix of every layer.
    Returns:
        a ``keras.Model`` image (N, S, S, ch) → [class logits (N, A, C + 1), offsets (N, A, 4)],
        A = Σ_k f_k²·boxes_per_location_k, f_k = ``feature_sizes(S)``.
    """
    size = input_shape[0]
    if input_shape[1] != size or size % 16:
        raise ValueError(f"tiny_ssd: square input with a side divisible by 16 needed, Received: input_shape={input_shape}")
    if len(boxes_per_location) != 3 or min(boxes_per_location) < 1 or num_classes < 1:
        raise ValueError(f"tiny_ssd: three maps with at least one box each and num_classes >= 1 needed, Received: "
                         f"boxes_per_location={boxes_per_location}, num_classes={num_classes}")

    def conv(x, filters, stride, label):
        x = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False, name=f"{name}_{label}_conv")(x)
        x = layers.BatchNormalization(name=f"{name}_{label}_bn")(x)
        return layers.ReLU(name=f"{name}_{label}_relu")(x)

    inputs = keras.Input(input_shape, name=f"{name}_image")
    x = conv(inputs, width // 2, 1, "stage1")
    x = layers.MaxPooling2D(name=f"{name}_pool1")(x)
    x = conv(x, width, 1, "stage2")
    x = layers.MaxPooling2D(name=f"{name}_pool2")(x)
    x = conv(x, width, 1, "stage2b")
    maps = [conv(x, 2 * width, 1, "map1")]
    maps.append(conv(maps[-1], 2 * width, 2, "map2"))
    maps.append(conv(maps[-1], 2 * width, 2, "map3"))
    logits, offsets = [], []
    for k, (fmap, n_box) in enumerate(zip(maps, boxes_per_location), start=1):
        c = layers.Conv2D(n_box * (num_classes + 1), 3, padding="same", name=f"{name}_map{k}_classes")(fmap)
        o = layers.Conv2D(n_box * 4, 3, padding="same", name=f"{name}_map{k}_offsets")(fmap)
        logits.append(layers.Reshape((-1, num_classes + 1), name=f"{name}_map{k}_classes_flat")(c))
        offsets.append(layers.Reshape((-1, 4), name=f"{name}_map{k}_offsets_flat")(o))
    outputs = [layers.Concatenate(axis=1, name=f"{name}_classes")(logits),
               layers.Concatenate(axis=1, name=f"{name}_offsets")(offsets)]
    return keras.Model(inputs, outputs, name=name)


def feature_sizes(image_size: int) -> tuple[int, int, int]:
    """f_1, f_2, f_3 of ``tiny_ssd``'s three maps for an S×S input: S/4, S/8, S/16."""
    return image_size // 4, image_size // 8, image_size // 16


def smooth_l1(x):
    """0.5·x² where |x| < 1, |x| − 0.5 elsewhere (elementwise)."""
    ax = ops.abs(x)
    return ops.where(ax < 1.0, 0.5 * ax * ax, ax - 0.5)


def ssd_loss(class_logits, offsets_pred, classes, offsets, neg_pos_ratio: float = 3.0, alpha: float = 1.0):
    """SSD's loss (L_conf + α·L_loc)/N with hard negative mining, and its parts.

    Args:
        class_logits: (N, A, C + 1); offsets_pred: (N, A, 4); classes: (N, A) int, 0 background;
        offsets: (N, A, 4) encoded targets.
        neg_pos_ratio: per image, at most this many negatives per positive, those of largest background loss.
        alpha: weight of the localisation loss.
    Returns:
        ``(loss, loc, conf)`` scalars; loc and conf are already divided by N (at least 1).
    """
    classes = ops.cast(classes, "int32")
    log_p = ops.log_softmax(ops.cast(class_logits, "float32"), axis=-1)
    ce = -ops.take_along_axis(log_p, ops.expand_dims(classes, -1), axis=-1)[..., 0]
    positive = classes > 0
    pos_f = ops.cast(positive, "float32")
    background_loss = ops.where(positive, -1e30, -log_p[..., 0])
    rank = ops.argsort(ops.argsort(-background_loss, axis=1), axis=1)
    n_pos_image = ops.sum(pos_f, axis=1, keepdims=True)
    n_neg = ops.minimum(ops.floor(neg_pos_ratio * n_pos_image), ops.sum(1.0 - pos_f, axis=1, keepdims=True))
    negative = ops.logical_and(ops.cast(rank, "float32") < n_neg, ops.logical_not(positive))
    n = ops.maximum(ops.sum(pos_f), 1.0)
    loc = ops.sum(ops.sum(smooth_l1(ops.cast(offsets_pred, "float32") - ops.cast(offsets, "float32")), -1) * pos_f) / n
    conf = ops.sum(ce * ops.cast(ops.logical_or(positive, negative), "float32")) / n
    return conf + alpha * loc, loc, conf


def train_step(model: keras.Model, optimizer, neg_pos_ratio: float = 3.0, alpha: float = 1.0):
    """A compiled step: one gradient update of ``model`` on a batch; returns ``(loss, loc, conf)``.

    Args:
        model: ``tiny_ssd``; optimizer: a Keras optimizer; neg_pos_ratio, alpha: see ``ssd_loss``.
    Returns:
        ``step(images, classes, offsets)``, a ``tf.function``.
    """
    import tensorflow as tf

    @tf.function
    def step(images, classes, offsets):
        with tf.GradientTape() as tape:
            logits, pred = model(images, training=True)
            loss, loc, conf = ssd_loss(logits, pred, classes, offsets, neg_pos_ratio, alpha)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss, loc, conf

    return step


def predict_fn(model: keras.Model):
    """A compiled inference call: images → (class probabilities (N, A, C + 1), offsets (N, A, 4))."""
    import tensorflow as tf

    @tf.function
    def predict(images):
        logits, offsets = model(images, training=False)
        return tf.nn.softmax(logits, axis=-1), offsets

    return predict
