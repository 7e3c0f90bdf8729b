"""AlphaGo's networks in miniature: SL/RL policy net, value net, and AlphaGo Zero's residual policy-value net (Day4 Section2).

- ``policy_net``: AlphaGo Lee's policy network p_σ / p_ρ: a stack of 3×3 convolutions with ReLU
  over the feature planes, a 1×1 convolution to one plane, and a fully connected layer to one
  logit per action (the paper's 19×19 net ends in a 1×1 convolution and a softmax over points;
  connect-four's actions are columns, so one dense layer maps the board plane to the actions).
- ``value_net``: AlphaGo Lee's value network v_θ: the same trunk, a 1×1 convolution (linear here: a
  single ReLU filter can die and leave v_θ constant), a 256-unit (here ``hidden``) ReLU layer and one
  tanh output.
- ``policy_value_net``: AlphaGo Zero's single network: a 3×3 conv–BN–ReLU stem, residual blocks
  (conv–BN–ReLU–conv–BN, add the input, ReLU), a policy head (1×1 conv with 2 filters, BN, ReLU,
  dense to the action logits) and a value head (1×1 conv with 1 filter, BN, ReLU, dense ``hidden``
  ReLU, dense 1, tanh).

The input planes are described in ``dl_exercises.scratch.board_games`` (``LEE_PLANES``,
``VALUE_PLANES``, ``ZERO_PLANES``). Networks output logits; illegal actions are masked where the
logits are used (``masked_log_softmax``). ``forward_function`` wraps a model in one ``tf.function``
for search and self-play: the model is called directly on a batch, never through ``predict``.
"""

from __future__ import annotations

import weakref

import keras
import tensorflow as tf
from keras import layers


def _check_sizes(**sizes) -> None:
    bad = {k: v for k, v in sizes.items() if not isinstance(v, int) or v < 1}
    if bad:
        raise ValueError("sizes must be positive integers, Received: "
                         + ", ".join(f"{k}={v!r}" for k, v in bad.items()))


def _trunk(x, filters: int, n_layers: int, l2: float, name: str):
    reg = keras.regularizers.L2(l2) if l2 else None
    for i in range(1, n_layers + 1):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu", kernel_regularizer=reg,
                          name=f"{name}_conv{i}")(x)
    return x


def policy_net(input_shape: tuple[int, int, int], n_actions: int, filters: int = 32, n_layers: int = 3,
               l2: float = 0.0, name: str = "sl_policy") -> keras.Model:
    """AlphaGo Lee's policy network (SL policy p_σ; the RL policy p_ρ starts as a copy of it).

    Args:
        input_shape: (rows, cols, planes); n_actions: actions of the game.
        filters: channels of each 3×3 convolution; n_layers: how many; l2: kernel L2 factor (0: none).
        name: model name and prefix of every layer name.
    Returns:
        ``keras.Model`` mapping (N, rows, cols, planes) to (N, n_actions) logits.
    """
    _check_sizes(filters=filters, n_layers=n_layers, n_actions=n_actions)
    inputs = keras.Input(input_shape, name=f"{name}_planes")
    x = _trunk(inputs, filters, n_layers, l2, name)
    x = layers.Conv2D(1, 1, name=f"{name}_conv_out")(x)
    x = layers.Flatten(name=f"{name}_flatten")(x)
    logits = layers.Dense(n_actions, name=f"{name}_logits")(x)
    return keras.Model(inputs, logits, name=name)


def value_net(input_shape: tuple[int, int, int], filters: int = 32, n_layers: int = 3, hidden: int = 64,
              l2: float = 0.0, name: str = "value") -> keras.Model:
    """AlphaGo Lee's value network v_θ(s): the expected result for the player to move.

    Args:
        input_shape: (rows, cols, planes); filters, n_layers: the 3×3 trunk; hidden: the ReLU layer's width.
        name: model name and prefix of every layer name.
    Returns:
        ``keras.Model`` mapping (N, rows, cols, planes) to (N, 1) values in (−1, 1).
    """
    _check_sizes(filters=filters, n_layers=n_layers, hidden=hidden)
    inputs = keras.Input(input_shape, name=f"{name}_planes")
    x = _trunk(inputs, filters, n_layers, l2, name)
    # a linear 1×1 convolution: with a single filter a ReLU here can die and leave v_θ constant
    x = layers.Conv2D(1, 1, name=f"{name}_conv_out")(x)
    x = layers.Flatten(name=f"{name}_flatten")(x)
    x = layers.Dense(hidden, activation="relu", name=f"{name}_hidden")(x)
    value = layers.Dense(1, activation="tanh", name=f"{name}_value")(x)
    return keras.Model(inputs, value, name=name)


def residual_block(x, filters: int, l2: float, name: str):
    """conv 3×3 – BN – ReLU – conv 3×3 – BN, plus the input, then ReLU (AlphaGo Zero's residual block).

    Args:
        x: (N, H, W, filters). Returns: (N, H, W, filters).
    """
    reg = keras.regularizers.L2(l2) if l2 else None
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False, kernel_regularizer=reg, name=f"{name}_conv1")(x)
    y = layers.ReLU(name=f"{name}_relu1")(layers.BatchNormalization(name=f"{name}_bn1")(y))
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False, kernel_regularizer=reg, name=f"{name}_conv2")(y)
    y = layers.BatchNormalization(name=f"{name}_bn2")(y)
    return layers.ReLU(name=f"{name}_out")(layers.Add(name=f"{name}_add")([x, y]))


def policy_value_net(input_shape: tuple[int, int, int], n_actions: int, filters: int = 32, blocks: int = 2,
                     hidden: int = 32, l2: float = 1e-4, name: str = "zero") -> keras.Model:
    """AlphaGo Zero's residual policy-value network f_θ(s) = (p, v).

    Args:
        input_shape: (rows, cols, planes); n_actions: actions of the game.
        filters: channels of the stem and of every block; blocks: residual blocks; hidden: value-head width.
        l2: kernel L2 factor c of the loss term c‖θ‖² (0: none).
        name: model name and prefix of every layer name.
    Returns:
        ``keras.Model`` mapping (N, rows, cols, planes) to [(N, n_actions) logits, (N, 1) values in (−1, 1)].
    """
    _check_sizes(filters=filters, blocks=blocks, hidden=hidden, n_actions=n_actions)
    reg = keras.regularizers.L2(l2) if l2 else None
    inputs = keras.Input(input_shape, name=f"{name}_planes")
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, kernel_regularizer=reg, name=f"{name}_stem_conv")(inputs)
    x = layers.ReLU(name=f"{name}_stem_relu")(layers.BatchNormalization(name=f"{name}_stem_bn")(x))
    for b in range(1, blocks + 1):
        x = residual_block(x, filters, l2, f"{name}_block{b}")
    p = layers.Conv2D(2, 1, use_bias=False, kernel_regularizer=reg, name=f"{name}_policy_conv")(x)
    p = layers.ReLU(name=f"{name}_policy_relu")(layers.BatchNormalization(name=f"{name}_policy_bn")(p))
    p = layers.Flatten(name=f"{name}_policy_flatten")(p)
    logits = layers.Dense(n_actions, kernel_regularizer=reg, name=f"{name}_policy_logits")(p)
    v = layers.Conv2D(1, 1, use_bias=False, kernel_regularizer=reg, name=f"{name}_value_conv")(x)
    v = layers.ReLU(name=f"{name}_value_relu")(layers.BatchNormalization(name=f"{name}_value_bn")(v))
    v = layers.Flatten(name=f"{name}_value_flatten")(v)
    v = layers.Dense(hidden, activation="relu", kernel_regularizer=reg, name=f"{name}_value_hidden")(v)
    value = layers.Dense(1, activation="tanh", kernel_regularizer=reg, name=f"{name}_value")(v)
    return keras.Model(inputs, [logits, value], name=name)


# --- losses and compiled calls ---------------------------------------------------------------------


def masked_log_softmax(logits, legal):
    """log-probabilities over the legal actions only (illegal actions get about −1e9).

    Args:
        logits: (N, A); legal: (N, A) with 1 for legal actions. Returns: (N, A).
    """
    logits = tf.where(legal > 0, logits, tf.fill(tf.shape(logits), tf.constant(-1e9, logits.dtype)))
    return tf.nn.log_softmax(logits, axis=-1)


def policy_value_loss(logits, value, target_pi, target_z, legal):
    """AlphaGo Zero's loss without the L2 term: (z − v)² − πᵀ log p, averaged over the batch.

    Returns:
        (total, policy cross-entropy, value MSE), scalars.
    """
    log_p = masked_log_softmax(logits, legal)
    policy = -tf.reduce_mean(tf.reduce_sum(target_pi * log_p, axis=-1))
    mse = tf.reduce_mean(tf.square(target_z - tf.reshape(value, [-1])))
    return policy + mse, policy, mse


_FORWARDS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def forward_function(model: keras.Model):
    """One ``tf.function`` calling ``model(x, training=False)`` on float32 batches of any size.

    Traced once per model: asking again for the same model returns the same function.
    """
    forward = _FORWARDS.get(model)
    if forward is None:
        spec = tf.TensorSpec([None, *model.input_shape[1:]], tf.float32)
        forward = tf.function(lambda x: model(x, training=False), input_signature=[spec])
        _FORWARDS[model] = forward
    return forward


def _specs(model: keras.Model, n_actions: int | None = None):
    planes = tf.TensorSpec([None, *model.input_shape[1:]], tf.float32)
    vector = tf.TensorSpec([None], tf.float32)
    matrix = tf.TensorSpec([None, n_actions], tf.float32) if n_actions else None
    return planes, vector, matrix


def policy_train_step(model: keras.Model, optimizer):
    """A compiled step of −mean(w · log p(a|s)) over legal actions.

    With w = 1 and a the expert's move (or a target distribution π) it is supervised
    learning of the SL policy; with w = the game's result z it is REINFORCE for the RL policy.

    Returns:
        ``step(planes, target, weight, legal) -> loss``; ``target`` is (N, A): one-hot moves or distributions.
    """

    planes, vector, matrix = _specs(model, model.output_shape[-1])

    @tf.function(input_signature=[planes, matrix, vector, matrix], autograph=False)
    def step(planes, target, weight, legal):
        with tf.GradientTape() as tape:
            log_p = masked_log_softmax(model(planes, training=True), legal)
            loss = -tf.reduce_mean(weight * tf.reduce_sum(target * log_p, axis=-1))
            total = loss + tf.add_n(model.losses) if model.losses else loss
        grads = tape.gradient(total, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    return step


def value_train_step(model: keras.Model, optimizer):
    """A compiled step of the value net's mean squared error to the game results z.

    Returns:
        ``step(planes, z) -> mse``.
    """

    planes, vector, _ = _specs(model)

    @tf.function(input_signature=[planes, vector], autograph=False)
    def step(planes, z):
        with tf.GradientTape() as tape:
            mse = tf.reduce_mean(tf.square(z - tf.reshape(model(planes, training=True), [-1])))
            total = mse + tf.add_n(model.losses) if model.losses else mse
        grads = tape.gradient(total, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return mse

    return step


def policy_value_train_step(model: keras.Model, optimizer):
    """A compiled step of AlphaGo Zero's loss (z − v)² − πᵀ log p + c‖θ‖² (c in the layers' L2).

    Returns:
        ``step(planes, pi, z, legal) -> (total, cross-entropy, mse)``.
    """

    planes, vector, matrix = _specs(model, model.output_shape[0][-1])

    @tf.function(input_signature=[planes, matrix, vector, matrix], autograph=False)
    def step(planes, pi, z, legal):
        with tf.GradientTape() as tape:
            logits, value = model(planes, training=True)
            total, ce, mse = policy_value_loss(logits, value, pi, z, legal)
            with_l2 = total + tf.add_n(model.losses) if model.losses else total
        grads = tape.gradient(with_l2, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return with_l2, ce, mse

    return step
