"""The models of the course's TensorFlow 1 and Keras 2 example notebooks, as Keras 3 builders (Day4 Section5 例題解説).

Each keeps the notebook's layers and initialisation; the exercises in
``exercises/examples_tf.py`` and ``exercises/examples_keras.py`` train them.
"""

from __future__ import annotations

import keras
from keras import layers


def linear_regression(name: str = "linear_regression") -> keras.Sequential:
    """y = Wx + b with W = b = 0 at the start (the TF1 線形回帰 notebook)."""
    return keras.Sequential(
        [keras.Input((1,)), layers.Dense(1, kernel_initializer="zeros", bias_initializer="zeros", name="linear")],
        name=name,
    )


def polynomial_regression(n_features: int, name: str = "polynomial_regression") -> keras.Sequential:
    """y = x·W on the features [1, x, x², …], W ~ N(0, 0.01²), no bias (the TF1 非線形回帰 notebook: "bを使っていない")."""
    return keras.Sequential(
        [keras.Input((n_features,)),
         layers.Dense(1, use_bias=False, kernel_initializer=keras.initializers.RandomNormal(stddev=0.01),
                      name="coefficients")],
        name=name,
    )


def softmax_regression(name: str = "mnist_1layer") -> keras.Sequential:
    """y = softmax(xW + b), W ~ N(0, 0.01²), b = 0 (the TF1 分類1層 notebook)."""
    return keras.Sequential(
        [keras.Input((784,)),
         layers.Dense(10, activation="softmax", kernel_initializer=keras.initializers.RandomNormal(stddev=0.01),
                      bias_initializer="zeros", name="softmax")],
        name=name,
    )


def sigmoid_mlp(hidden1: int, hidden2: int, dropout_rate: float, name: str) -> keras.Sequential:
    """784-hidden1-hidden2-10 sigmoid network with dropout, N(0, 0.01²) weights, zero biases (the TF1 分類3層 notebook)."""
    init = keras.initializers.RandomNormal(stddev=0.01)
    return keras.Sequential(
        [
            keras.Input((784,)),
            layers.Dense(hidden1, activation="sigmoid", kernel_initializer=init, name=f"{name}_hidden1"),
            layers.Dense(hidden2, activation="sigmoid", kernel_initializer=init, name=f"{name}_hidden2"),
            layers.Dropout(dropout_rate, name=f"{name}_dropout"),
            layers.Dense(10, activation="softmax", kernel_initializer=init, name=f"{name}_softmax"),
        ],
        name=name,
    )


def tf1_cnn(dropout_rate: float, name: str) -> keras.Sequential:
    """conv(32, 5×5)–pool–conv(64, 5×5)–pool–dense(1024)–dropout–softmax (the TF1 分類CNN notebook).

    Weights tf.truncated_normal(stddev=0.1), biases tf.constant(0.1), 'SAME' padding, 2×2 max pools.
    """
    w = keras.initializers.TruncatedNormal(stddev=0.1)
    b = keras.initializers.Constant(0.1)
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 5, padding="same", activation="relu", kernel_initializer=w, bias_initializer=b, name=f"{name}_conv1"),
            layers.MaxPooling2D(2, padding="same", name=f"{name}_pool1"),
            layers.Conv2D(64, 5, padding="same", activation="relu", kernel_initializer=w, bias_initializer=b, name=f"{name}_conv2"),
            layers.MaxPooling2D(2, padding="same", name=f"{name}_pool2"),
            layers.Flatten(name=f"{name}_flatten"),
            layers.Dense(1024, activation="relu", kernel_initializer=w, bias_initializer=b, name=f"{name}_fc1"),
            layers.Dropout(dropout_rate, name=f"{name}_dropout"),
            layers.Dense(10, activation="softmax", kernel_initializer=w, bias_initializer=b, name=f"{name}_fc2"),
        ],
        name=name,
    )


def perceptron(name: str = "perceptron") -> keras.Sequential:
    """One sigmoid unit on two inputs (the Keras 単純パーセプトロン notebook)."""
    return keras.Sequential([keras.Input((2,)), layers.Dense(1, activation="sigmoid", name="perceptron")], name=name)


def iris_net(hidden: int, activation: str, name: str) -> keras.Sequential:
    """4-hidden-3 network with a softmax output (the Keras 分類 iris notebook)."""
    return keras.Sequential(
        [keras.Input((4,)), layers.Dense(hidden, activation=activation, name=f"{name}_hidden"),
         layers.Dense(3, activation="softmax", name=f"{name}_softmax")],
        name=name,
    )


def keras_mnist_mlp(name: str) -> keras.Sequential:
    """784-512-512-10 ReLU network with dropout 0.2 (the Keras 分類 mnist notebook)."""
    return keras.Sequential(
        [
            keras.Input((784,)),
            layers.Dense(512, activation="relu", name=f"{name}_dense1"),
            layers.Dropout(0.2, name=f"{name}_dropout1"),
            layers.Dense(512, activation="relu", name=f"{name}_dense2"),
            layers.Dropout(0.2, name=f"{name}_dropout2"),
            layers.Dense(10, activation="softmax", name=f"{name}_softmax"),
        ],
        name=name,
    )


def binary_adder(binary_dim: int, units: int, activation: str, name: str = "binary_adder") -> keras.Sequential:
    """SimpleRNN(units) over the bit pairs and Dense(1, sigmoid) per step (the Keras RNN 2進数足し算 notebook)."""
    return keras.Sequential(
        [keras.Input((binary_dim, 2)),
         layers.SimpleRNN(units, activation=activation, return_sequences=True, name="rnn"),
         layers.Dense(1, activation="sigmoid", name="bit")],
        name=name,
    )
