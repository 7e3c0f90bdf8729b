"""Dense networks: Keras twins of the course's numpy nets (Day1, Day2) and the Playground classifiers.

- ``dense_stack``: Dense layers holding copies of numpy ``(W, b, activation)`` layers (Day1 Section1, 5).
- ``multilayer_net_twin``: the twin of ``scratch.multilayer_net.MultiLayerNet`` (Day2: BN, dropout, weight decay).
- ``copy_weights_to_keras``: give a twin the numpy net's current weights, so both start identical.
- ``playground_model``: the intro course's Playground classifier on 2-D points.
"""

from __future__ import annotations

import keras
import numpy as np

_KERAS_ACTIVATION = {"relu": "relu", "identity": "linear", "softmax": "softmax", "sigmoid": "sigmoid",
                     "tanh": "tanh"}


def dense_stack(layers, dtype: str = "float64", name: str = "mlp") -> keras.Sequential:
    """A Sequential of Dense layers holding copies of numpy ``layers`` [(W, b, activation)].

    Args:
        layers: list of (W (in, out), b (out,), activation name: relu, identity, softmax, sigmoid, tanh).
        dtype: layer dtype ("float64" for exact comparison with numpy).
        name: prefix of every layer name.
    Returns:
        a built ``keras.Sequential``.
    """
    n_in = np.asarray(layers[0][0]).shape[0]
    model = keras.Sequential(name=name)
    model.add(keras.Input(shape=(n_in,), dtype=dtype))
    for i, (W, b, act) in enumerate(layers):
        if act not in _KERAS_ACTIVATION:
            raise ValueError(f"dense_stack: unknown activation, Received: activation={act!r}")
        model.add(keras.layers.Dense(np.asarray(W).shape[1], activation=_KERAS_ACTIVATION[act], dtype=dtype,
                                     name=f"{name}_dense{i + 1}"))
    for layer, (W, b, _) in zip(model.layers, layers):
        layer.set_weights([np.asarray(W, dtype=dtype), np.asarray(b, dtype=dtype)])
    return model


def multilayer_net_twin(
    sizes: list[int],
    activation: str,
    kernel_initializer="glorot_uniform",
    use_batchnorm: bool = False,
    bn_momentum: float = 0.9,
    bn_eps: float = 1e-6,
    dropout: float = 0.0,
    weight_decay: float = 0.0,
    weight_decay_kind: str = "l2",
    name: str = "mlp",
) -> keras.Sequential:
    """The Keras twin of ``MultiLayerNet``: Dense → [BatchNormalization] → activation → [Dropout] …, logits out.

    Args:
        sizes: [inputs, hidden…, classes].
        weight_decay: λ; L2 as ``regularizers.L2(λ/2)`` (penalty λ/2·ΣW², gradient λW), L1 as ``L1(λ)``.
    Returns:
        ``keras.Sequential`` mapping (N, inputs) to (N, classes) logits.
    """
    reg = None
    if weight_decay:
        reg = keras.regularizers.L2(weight_decay / 2.0) if weight_decay_kind == "l2" else keras.regularizers.L1(weight_decay)
    layers = [keras.Input((sizes[0],), name=f"{name}_input")]
    for i, width in enumerate(sizes[1:], start=1):
        last = i == len(sizes) - 1
        init = kernel_initializer if isinstance(kernel_initializer, str) else keras.initializers.get(kernel_initializer)
        layers.append(keras.layers.Dense(width, kernel_initializer=init, kernel_regularizer=reg, name=f"{name}_affine{i}"))
        if last:
            break
        if use_batchnorm:
            layers.append(keras.layers.BatchNormalization(momentum=bn_momentum, epsilon=bn_eps, name=f"{name}_bn{i}"))
        layers.append(keras.layers.Activation(activation, name=f"{name}_{activation}{i}"))
        if dropout:
            layers.append(keras.layers.Dropout(dropout, name=f"{name}_dropout{i}"))
    return keras.Sequential(layers, name=name)


def copy_weights_to_keras(net, model) -> None:
    """Give the Keras twin the numpy net's current W, b (and γ, β), so both start identical.

    Args:
        net: an object with ``params`` {"W1", "b1", …, "gamma1", "beta1", …} (``MultiLayerNet``).
        model: its twin from ``multilayer_net_twin``.
    """
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    for i, layer in enumerate(dense, start=1):
        layer.set_weights([net.params[f"W{i}"], net.params[f"b{i}"]])
    norms = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    for i, layer in enumerate(norms, start=1):
        _, _, mean, var = layer.get_weights()
        layer.set_weights([net.params[f"gamma{i}"], net.params[f"beta{i}"], mean, var])


def playground_model(hidden: tuple, activation: str, name: str) -> keras.Sequential:
    """Dense classifier on 2-D points: hidden layers of ``hidden`` units, sigmoid output (intro course, Playground)."""
    model = keras.Sequential(name=name)
    model.add(keras.Input(shape=(2,)))
    for i, units in enumerate(hidden):
        model.add(keras.layers.Dense(units, activation=activation, name=f"{name}_dense{i + 1}"))
    model.add(keras.layers.Dense(1, activation="sigmoid", name=f"{name}_out"))
    return model


def course_optimizer(name: str, lr: float, momentum: float = 0.9, decay_rate: float = 0.99,
                     beta1: float = 0.9, beta2: float = 0.999):
    """The Keras optimizer nearest to the course's rule ``name`` (``scratch.optimizers`` states the differences)."""
    key = name.lower()
    if key == "sgd":
        return keras.optimizers.SGD(lr)
    if key == "momentum":
        return keras.optimizers.SGD(lr, momentum=momentum)
    if key == "adagrad":
        return keras.optimizers.Adagrad(lr, initial_accumulator_value=0.0, epsilon=1e-7)
    if key == "rmsprop":
        return keras.optimizers.RMSprop(lr, rho=decay_rate, epsilon=1e-7)
    if key == "adam":
        return keras.optimizers.Adam(lr, beta_1=beta1, beta_2=beta2, epsilon=1e-7)
    raise ValueError(f"course_optimizer: unknown optimizer, Received: name={name!r}")
