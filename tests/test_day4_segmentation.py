"""Day 4 segmentation (Day4 Section6 セグメンテーション): SegNet's unpooling, the pixel metrics, receptive fields, the models.

Independent references: ``keras.layers.MaxPooling2D`` and a numpy loop (pooling and unpooling,
exact), ``keras.metrics.MeanIoU`` and ``keras.metrics.Accuracy`` (1e-6), hand-computed numbers,
and the receptive field measured by gradients against the formula. The quick target (U-Net
mIoU ≥ 0.8 on held-out shapes_segmentation images) runs as a slow test at seeds 0, 1 and 2.
"""

from __future__ import annotations

import numpy as np
import pytest

from dl_exercises.nn import segmentation as sg


def _numpy_pool_and_unpool(x):
    """2×2 max-pooling by loops, with the unpooled map (each maximum back in place, first maximum on ties)."""
    n, h, w, c = x.shape
    pooled = np.zeros((n, h // 2, w // 2, c), x.dtype)
    unpooled = np.zeros_like(x)
    for b in range(n):
        for i in range(h // 2):
            for j in range(w // 2):
                for k in range(c):
                    window = x[b, 2 * i:2 * i + 2, 2 * j:2 * j + 2, k]
                    di, dj = np.unravel_index(np.argmax(window), (2, 2))
                    pooled[b, i, j, k] = window[di, dj]
                    unpooled[b, 2 * i + di, 2 * j + dj, k] = window[di, dj]
    return pooled, unpooled


def test_argmax_pooling_and_unpooling_round_trip():
    import keras

    rng = np.random.default_rng(0)
    x = np.abs(rng.normal(size=(2, 6, 8, 3))).astype(np.float32)
    pooled, argmax = sg.MaxPoolingWithArgmax2D(2)(x)
    np.testing.assert_array_equal(pooled.numpy(), keras.layers.MaxPooling2D(2)(x).numpy())
    unpooled = sg.MaxUnpooling2D(2)([pooled, argmax]).numpy()
    ref_pooled, ref_unpooled = _numpy_pool_and_unpool(x)
    np.testing.assert_array_equal(pooled.numpy(), ref_pooled)
    np.testing.assert_array_equal(unpooled, ref_unpooled)
    # the round trip: pooling the unpooled map gives the pooled map back (x ≥ 0, as after a ReLU)
    np.testing.assert_array_equal(keras.layers.MaxPooling2D(2)(unpooled).numpy(), pooled.numpy())
    assert np.count_nonzero(unpooled) == pooled.numpy().size


def test_unpooling_passes_gradients_to_the_pooled_values():
    import tensorflow as tf

    x = tf.constant(np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        pooled, argmax = sg.MaxPoolingWithArgmax2D(2)(x)
        out = sg.MaxUnpooling2D(2)([pooled * 2.0, argmax])
        total = tf.reduce_sum(out * tf.reshape(tf.range(16, dtype=tf.float32), (1, 4, 4, 1)))
    grad = tape.gradient(total, x).numpy()[0, :, :, 0]
    # only the four maxima (the bottom-right pixel of each window) receive gradient: 2 × their own position
    expected = np.zeros((4, 4))
    for i, j in ((1, 1), (1, 3), (3, 1), (3, 3)):
        expected[i, j] = 2.0 * (4 * i + j)
    np.testing.assert_array_equal(grad, expected)


def test_pixel_accuracy_and_mean_iou_by_hand():
    truth = np.array([[0, 0], [1, 1]])
    pred = np.array([[0, 1], [1, 1]])
    cm = sg.confusion_matrix(truth, pred, 3)
    assert cm.tolist() == [[1, 1, 0], [0, 2, 0], [0, 0, 0]]
    assert sg.pixel_accuracy(cm) == 0.75
    iou = sg.class_iou(cm)
    assert iou[0] == 0.5 and iou[1] == pytest.approx(2 / 3) and np.isnan(iou[2])  # class 2 appears nowhere
    assert sg.mean_iou(cm) == pytest.approx(7 / 12)
    wrong = sg.confusion_matrix(np.array([0, 0, 2]), np.array([0, 1, 1]), 3)
    assert sg.mean_iou(wrong) == pytest.approx((1 / 2 + 0 + 0) / 3)  # predicted-only and missed classes count as 0


def test_metrics_equal_keras_mean_iou_and_accuracy():
    import keras

    rng = np.random.default_rng(2)
    truth = rng.integers(0, 4, (5, 16, 16))
    pred = np.where(rng.random((5, 16, 16)) < 0.7, truth, rng.integers(0, 4, (5, 16, 16)))
    pred[pred == 3] = 2  # a class that is never predicted
    cm = sg.confusion_matrix(truth, pred, 4)
    miou = keras.metrics.MeanIoU(num_classes=4)
    miou.update_state(truth.reshape(-1), pred.reshape(-1))
    acc = keras.metrics.Accuracy()
    acc.update_state(truth.reshape(-1), pred.reshape(-1))
    assert sg.mean_iou(cm) == pytest.approx(float(miou.result()), abs=1e-6)
    assert sg.pixel_accuracy(cm) == pytest.approx(float(acc.result()), abs=1e-6)


@pytest.mark.parametrize("rates", [(1, 1, 1), (1, 2, 4, 8, 1), (2, 3), (1, 2, 5, 9)])
def test_receptive_field_formula_equals_measurement(rates):
    formula = sg.receptive_field([3] * len(rates), list(rates))
    assert formula[-1] == 1 + 2 * sum(rates)
    assert sg.measured_receptive_field(list(rates), size=2 * formula[-1] + 3) == formula


def test_receptive_field_with_strides_by_hand():
    # 3×3 stride 2: 3 (jump 2); then 3×3: 3 + 2·2 = 7; then a 2×2 pool: 7 + 1·2 = 9 (jump 4)
    assert sg.receptive_field([3, 3, 2], [1, 1, 1], [2, 1, 2]) == [3, 7, 9]
    with pytest.raises(ValueError, match="too small"):
        sg.measured_receptive_field([1, 2, 4], size=9)


@pytest.mark.parametrize("key, kind", [("fcn", "Conv2DTranspose"), ("segnet", "MaxUnpooling2D"),
                                       ("unet", "Concatenate"), ("dilated", "Conv2D")])
def test_builders_give_full_resolution_class_maps(key, kind):
    model = sg.BUILDERS[key]((32, 32, 3), 4, 8, name=f"t{key}")
    out = model(np.zeros((2, 32, 32, 3), np.float32))
    assert tuple(out.shape) == (2, 32, 32, 4)
    assert any(type(layer).__name__ == kind for layer in model.layers)
    assert all(layer.name.startswith(f"t{key}_") for layer in model.layers)
    if key == "fcn":
        assert sum(type(layer).__name__ == "Add" for layer in model.layers) == 2  # two skip sums
    if key == "dilated":
        assert [layer.dilation_rate[0] for layer in model.layers
                if type(layer).__name__ == "Conv2D" and layer.kernel_size == (3, 3)] == list(sg.DILATION_RATES)


def test_segnet_saves_and_loads(tmp_path):
    import keras

    model = sg.segnet((16, 16, 3), 3, 4, name="s")
    x = np.random.default_rng(0).random((1, 16, 16, 3)).astype(np.float32)
    path = tmp_path / "segnet.keras"
    model.save(path)
    again = keras.saving.load_model(path)
    np.testing.assert_allclose(again(x).numpy(), model(x).numpy(), atol=1e-6)
    assert sg.MaxUnpooling2D(3).get_config()["size"] == 3
    with pytest.raises(ValueError, match="Received: pool_size=0"):
        sg.MaxPoolingWithArgmax2D(0)
    with pytest.raises(ValueError, match="multiples of 8"):
        sg.fcn((20, 20, 3))


def test_shapes_segmentation_masks():
    from dl_exercises.datasets.shapes import load_segmentation

    data = load_segmentation(seed=1, n_train=20, n_test=5)
    assert data.x_train.shape == (20, 32, 32, 3) and data.y_train.shape == (20, 32, 32)
    assert set(np.unique(data.y_train)) == {0, 1, 2, 3}
    assert data.extra["class_names"] == ("background", "circle", "square", "triangle")
    np.testing.assert_array_equal(data.y_test, load_segmentation(seed=1, n_train=20, n_test=5).y_test)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_segmentation_quick_target(seed):
    from dl_exercises import run

    result = run("day4.segmentation", budget="quick", seed=seed)
    assert result.status == "ok", result.targets
    assert result.metrics["unet_mIoU"].value >= 0.8
    assert result.metrics["dilated_receptive_field"].value == 33
