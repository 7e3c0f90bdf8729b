"""CNN builders: parameter counts equal keras.applications, multiply-adds, GoogLeNet heads, DenseNet growth (Day2 Section4, Day4 Section3)."""

from __future__ import annotations

import gc

import numpy as np
import pytest

EXPECTED = {  # keras.applications(weights=None), 224×224×3, 1000 classes
    "VGG16": 138_357_544, "ResNet50": 25_636_712, "ResNet50V2": 25_613_800, "MobileNet": 4_253_864, "DenseNet121": 8_062_504,
}


def _count(build):
    import keras

    model = build()
    params = model.count_params()
    del model
    gc.collect()
    keras.backend.clear_session()
    return params


def _builders():
    from dl_exercises.nn.densenet import densenet
    from dl_exercises.nn.mobilenet import mobilenet
    from dl_exercises.nn.resnet import resnet
    from dl_exercises.nn.vgg import vgg

    return {"VGG16": vgg, "ResNet50": lambda: resnet(version=1), "ResNet50V2": lambda: resnet(version=2),
            "MobileNet": mobilenet, "DenseNet121": densenet}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_params_equal_keras_applications(name):
    import keras

    ours = _count(_builders()[name])
    theirs = _count(lambda: getattr(keras.applications, name)(weights=None))
    assert ours == theirs == EXPECTED[name]


def test_builder_names_prefix_every_layer():
    from dl_exercises.nn.resnet import wide_resnet

    model = wide_resnet((16, 16, 3), 10, depth=10, width=2, name="wrn_test")
    assert all(layer.name.startswith("wrn_test_") for layer in model.layers)


def test_alexnet_params_by_hand():
    from dl_exercises.nn.alexnet import alexnet

    convs = [(3, 96, 11), (96, 256, 5), (256, 384, 3), (384, 384, 3), (384, 256, 3)]
    dense = [(6 * 6 * 256, 4096), (4096, 4096), (4096, 1000)]
    by_hand = sum(k * k * cin * cout + cout for cin, cout, k in convs) + sum(i * o + o for i, o in dense)
    assert _count(alexnet) == by_hand == 62_378_344


def test_googlenet_aux_heads_train_and_drop():
    import keras

    from dl_exercises.nn.googlenet import drop_auxiliary, googlenet, googlenet_loss_weights, inception_module

    model = googlenet((28, 28, 1), 10, stages=((("3a", (4, 4, 8, 2, 4, 4)),), (("4a", (8, 4, 8, 2, 4, 4)), ("4b", (8, 4, 8, 2, 4, 4)))),
                      aux_after=("4a", "4b"), stem="small", aux_conv=8, aux_dense=16, name="g")
    assert len(model.outputs) == 3
    assert googlenet_loss_weights(model) == [1.0, 0.3, 0.3]
    inference = drop_auxiliary(model)
    assert len(inference.outputs) == 1
    assert not any("aux" in layer.name for layer in inference.layers)
    assert inference.count_params() < model.count_params()
    x = np.random.default_rng(0).random((2, 28, 28, 1)).astype("float32")
    np.testing.assert_allclose(np.asarray(inference(x)), np.asarray(model(x)[0]), atol=1e-6)
    # the 1×1 reductions: concat width = 1×1 + 3×3 + 5×5 + pool projection
    inputs = keras.Input((7, 7, 32))
    assert inception_module(inputs, (64, 96, 128, 16, 32, 32), "m").shape[-1] == 256
    with pytest.raises(ValueError, match="aux_after"):
        googlenet((28, 28, 1), 10, aux_after=("9z",), stem="small")


def test_multiply_adds_match_formulas():
    import keras

    from dl_exercises.nn.flops import count_multiply_adds
    from dl_exercises.nn.mobilenet import separable_conv_cost, standard_conv_cost

    d_k, m, n, d_f = 3, 16, 24, 10
    inputs = keras.Input((d_f, d_f, m))
    std = keras.Model(inputs, keras.layers.Conv2D(n, d_k, padding="same")(inputs))
    sep = keras.Model(inputs, keras.layers.SeparableConv2D(n, d_k, padding="same")(inputs))
    assert count_multiply_adds(std) == standard_conv_cost(d_k, m, n, d_f) == 3 * 3 * 16 * 24 * 100
    assert count_multiply_adds(sep) == separable_conv_cost(d_k, m, n, d_f) == 3 * 3 * 16 * 100 + 16 * 24 * 100
    ratio = separable_conv_cost(d_k, m, n, d_f) / standard_conv_cost(d_k, m, n, d_f)
    assert ratio == pytest.approx(1 / n + 1 / d_k**2)


def test_dense_block_channels_grow_by_k():
    import keras

    from dl_exercises.nn.densenet import dense_block, dense_layer_input_channels, transition_layer

    inputs = keras.Input((8, 8, 10))
    out = dense_block(inputs, 5, 4, "d")
    model = keras.Model(inputs, out)
    seen = [model.get_layer(f"d_block{l}_0_bn").input.shape[-1] for l in range(1, 6)]
    assert seen == dense_layer_input_channels(10, 4, 5) == [10, 14, 18, 22, 26]
    assert out.shape[-1] == 30
    assert transition_layer(out, 0.5, "t").shape[1:] == (4, 4, 15)


@pytest.mark.parametrize("exercise_id, metric, name", [
    ("day4.mobilenet", "params", "MobileNet"), ("day4.densenet", "params", "DenseNet121"),
    ("day2.cnn_architectures", "vgg16_params", "VGG16"), ("day2.cnn_architectures", "resnet50_params", "ResNet50"),
    ("day2.cnn_architectures", "resnet50v2_params", "ResNet50V2"),
])
def test_reference_column_states_the_keras_applications_count(exercise_id, metric, name):
    """The 'reference' column shows keras.applications' count (measured above), labelled as such, not as the course's."""
    from dl_exercises.registry import get_exercise

    spec = get_exercise(exercise_id)
    assert spec.references[metric].value == EXPECTED[name]
    assert "keras.applications" in spec.references[metric].source
    assert metric not in spec.course
