"""Keras pieces of deep reinforcement learning: policy and Q networks, compiled acting and DQN updates (Day4 Section1).

- ``build_policy_net``: π(a|s, θ) as scores (logits) over the actions, for REINFORCE (方策勾配法).
- ``build_q_net``: Q(s, ·; w), one value per action, for DQN (Q学習 + DNN).
- ``make_greedy_fn`` / ``make_probs_fn``: compiled ``tf.function`` s that act for a batch of
  environments at once (never ``model.predict`` inside an environment loop).
- ``make_reinforce_step``: one gradient-ascent step on Σ log π(a|s)(G − b).
- ``make_dqn_train_step``: k DQN updates in one compiled call, with the course's
  tricks as switches: a fixed target network (or the online net itself), Huber
  or squared error, and Double DQN as an option; ``make_sync_fn`` copies the
  online weights into the target network.

Both networks are plain ``keras.Sequential`` stacks of ``Dense`` layers, so a
saved ``.keras`` file loads with ``keras.models.load_model`` and no custom objects.
"""

from __future__ import annotations

from typing import Sequence

import keras
import tensorflow as tf

LOSSES = ("huber", "mse")


def _mlp(n_obs: int, hidden: Sequence[int], n_out: int, activation: str, out_name: str, name: str,
         dtype: str) -> keras.Model:
    if n_obs < 1 or n_out < 1:
        raise ValueError(f"n_obs and n_actions must be >= 1, Received: n_obs={n_obs}, n_actions={n_out}")
    if any(int(h) < 1 for h in hidden):
        raise ValueError(f"hidden sizes must be >= 1, Received: hidden={tuple(hidden)}")
    layers = [keras.Input((n_obs,), dtype=dtype, name=f"{name}_obs")]
    for i, units in enumerate(hidden, start=1):
        layers.append(keras.layers.Dense(int(units), activation=activation, dtype=dtype, name=f"{name}_hidden{i}"))
    layers.append(keras.layers.Dense(n_out, dtype=dtype, name=f"{name}_{out_name}"))
    return keras.Sequential(layers, name=name)


def build_policy_net(n_obs: int = 4, n_actions: int = 2, hidden: Sequence[int] = (32,), *,
                     activation: str = "tanh", dtype: str = "float32", name: str = "policy") -> keras.Model:
    """The policy network of REINFORCE: observations → one score (logit) per action (Day4 Section1, 方策関数).

    π(a|s, θ) = softmax(scores)_a; the greedy action is argmax of the scores.
    With one hidden layer it has the shapes of ``scratch.policy_gradient``
    (W1 (n_obs, h), b1, W2 (h, n_actions), b2), so the two can share weights.

    Args:
        n_obs: observation length (CartPole: 4).
        n_actions: number of actions (CartPole: 2).
        hidden: units of each hidden layer.
        activation: hidden activation.
        dtype: weights and inputs ("float32"; "float64" for exact gradient checks).
        name: model name, prefixed to every layer.

    Returns:
        a ``keras.Sequential`` mapping float32 (n, n_obs) → (n, n_actions) scores.
    """
    return _mlp(n_obs, hidden, n_actions, activation, "scores", name, dtype)


def build_q_net(n_obs: int = 4, n_actions: int = 2, hidden: Sequence[int] = (64, 64), *,
                activation: str = "relu", name: str = "q_net") -> keras.Model:
    """The Q network of DQN: observations → Q(s, a) for every action (Day4 Section1, 行動価値関数 by a DNN).

    Args:
        n_obs: observation length (CartPole: 4).
        n_actions: number of actions (CartPole: 2).
        hidden: units of each hidden layer.
        activation: hidden activation.
        name: model name, prefixed to every layer.

    Returns:
        a ``keras.Sequential`` mapping float32 (n, n_obs) → (n, n_actions) action values.
    """
    return _mlp(n_obs, hidden, n_actions, activation, "q", name, "float32")


def make_greedy_fn(model: keras.Model, *, jit_compile: bool = True):
    """A compiled ``f(obs) → argmax_a model(obs)`` for a float32 batch (n, n_obs); returns int32 (n,).

    The concrete function is returned (calling it skips ``tf.function``'s signature
    matching: 0.33 ms instead of 0.75 ms of CPU per call measured here, 0.22 ms with XLA).
    With ``jit_compile`` XLA compiles once per batch size, so callers keep n fixed.
    """
    n_obs = model.input_shape[-1]

    @tf.function(input_signature=[tf.TensorSpec((None, n_obs), tf.float32)], jit_compile=jit_compile)
    def greedy(obs):
        return tf.argmax(model(obs, training=False), axis=1, output_type=tf.int32)

    return greedy.get_concrete_function()


def make_probs_fn(model: keras.Model, *, jit_compile: bool = True):
    """A compiled ``f(obs) → softmax(model(obs))`` for a float32 batch (n, n_obs); returns (n, n_actions).

    As ``make_greedy_fn``: a concrete function, compiled by XLA once per batch size.
    """
    n_obs = model.input_shape[-1]

    @tf.function(input_signature=[tf.TensorSpec((None, n_obs), tf.float32)], jit_compile=jit_compile)
    def probs(obs):
        return tf.nn.softmax(model(obs, training=False), axis=-1)

    return probs.get_concrete_function()


def weighted_log_prob(model: keras.Model, obs, actions, weights):
    """Σ_i w_i log π(a_i|s_i) from the model's scores (the objective REINFORCE ascends)."""
    logits = model(obs, training=True)
    log_pi = tf.nn.log_softmax(logits, axis=-1)
    chosen = tf.gather(log_pi, tf.cast(actions, tf.int32), axis=1, batch_dims=1)
    return tf.reduce_sum(tf.cast(weights, chosen.dtype) * chosen)


def policy_gradient_tape(model: keras.Model, obs, actions, weights) -> list:
    """∇θ Σ w log π(a|s) by ``tf.GradientTape``, one tensor per trainable variable (W1, b1, W2, b2 order)."""
    with tf.GradientTape() as tape:
        objective = weighted_log_prob(model, obs, actions, weights)
    return tape.gradient(objective, model.trainable_variables)


def make_reinforce_step(model: keras.Model, optimizer: keras.optimizers.Optimizer):
    """A compiled step: loss = −Σ w log π(a|s) (w = (G − b)/N), gradient, optimizer update; returns the loss."""
    n_obs = model.input_shape[-1]
    optimizer.build(model.trainable_variables)

    @tf.function(input_signature=[tf.TensorSpec((None, n_obs), tf.float32), tf.TensorSpec((None,), tf.int32),
                                  tf.TensorSpec((None,), tf.float32)])
    def step(obs, actions, weights):
        with tf.GradientTape() as tape:
            loss = -weighted_log_prob(model, obs, actions, weights)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    return step


def make_sync_fn(online: keras.Model, target: keras.Model):
    """A compiled ``sync()`` that copies every online weight into the target network (Fixed Target Q-Network)."""
    pairs = list(zip(target.weights, online.weights))

    @tf.function
    def sync():
        for t, o in pairs:
            t.assign(o)

    return sync


def dqn_targets(rewards, terminated, q_next, gamma: float, *, q_online_next=None):
    """y = r + γ (1 − terminated) max_a' Q(s', a'); with ``q_online_next``, Double DQN's Q(s', argmax_a' Q_online(s', a')).

    Args:
        rewards, terminated: (B,) float; terminated is 1 only where s' is terminal (not at truncation).
        q_next: (B, n_actions) the bootstrap network's values at s'.
        q_online_next: (B, n_actions) the online network's values at s' (Double DQN), or None.

    Returns:
        (B,) targets.
    """
    if q_online_next is None:
        next_value = tf.reduce_max(q_next, axis=1)
    else:
        pick = tf.argmax(q_online_next, axis=1, output_type=tf.int32)
        next_value = tf.gather(q_next, pick, axis=1, batch_dims=1)
    return rewards + gamma * (1.0 - terminated) * next_value


def make_dqn_train_step(online: keras.Model, target: keras.Model | None, optimizer: keras.optimizers.Optimizer, *,
                        gamma: float, loss: str = "huber", double: bool = False, jit_compile: bool = False):
    """k DQN updates in one compiled call: ``step(obs, actions, rewards, next_obs, terminated) → mean loss``.

    Each of the k mini-batches (leading axis) makes one update of the online net:
    y = r + γ (1 − terminated) max_a' Q_target(s', a') — with ``double``,
    Q_target(s', argmax_a' Q_online(s', a')) — and the loss between Q_online(s, a)
    and y is Huber (δ = 1) or squared error. ``target=None`` bootstraps from the
    online net itself (the ablation "no target network"). A truncated transition
    carries terminated = 0, so its target still bootstraps from s'.

    Args:
        online: the Q network being trained.
        target: the fixed target network, or None.
        optimizer: its optimizer.
        gamma: discount γ in (0, 1].
        loss: "huber" or "mse".
        double: Double DQN targets.
        jit_compile: compile the k updates with XLA.

    Returns:
        the compiled function; its inputs have shapes (k, B, n_obs), (k, B), (k, B), (k, B, n_obs), (k, B).
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, Received: loss={loss!r}")
    if not 0.0 < gamma <= 1.0:
        raise ValueError(f"gamma must be in (0, 1], Received: gamma={gamma}")
    n_obs = online.input_shape[-1]
    bootstrap = target if target is not None else online
    optimizer.build(online.trainable_variables)
    huber = keras.losses.Huber(delta=1.0)
    mse = keras.losses.MeanSquaredError()
    loss_fn = huber if loss == "huber" else mse

    def one_update(obs, actions, rewards, next_obs, terminated):
        q_online_next = online(next_obs, training=False) if double else None
        y = tf.stop_gradient(dqn_targets(rewards, terminated, bootstrap(next_obs, training=False), gamma,
                                         q_online_next=q_online_next))
        with tf.GradientTape() as tape:
            q = tf.gather(online(obs, training=True), actions, axis=1, batch_dims=1)
            value = loss_fn(y[:, None], q[:, None])
        grads = tape.gradient(value, online.trainable_variables)
        optimizer.apply_gradients(zip(grads, online.trainable_variables))
        return value

    @tf.function(input_signature=[
        tf.TensorSpec((None, None, n_obs), tf.float32), tf.TensorSpec((None, None), tf.int32),
        tf.TensorSpec((None, None), tf.float32), tf.TensorSpec((None, None, n_obs), tf.float32),
        tf.TensorSpec((None, None), tf.float32)], jit_compile=jit_compile)
    def step(obs, actions, rewards, next_obs, terminated):
        total = tf.constant(0.0)
        k = tf.shape(obs)[0]
        for i in tf.range(k):
            total += one_update(obs[i], actions[i], rewards[i], next_obs[i], terminated[i])
        return total / tf.cast(k, tf.float32)

    return step.get_concrete_function()
