"""REINFORCE with a baseline in numpy: returns, baseline and the policy gradient (Day4 Section1, 方策勾配法).

The course's policy-gradient theorem, ∇θ J(θ) = E_π[∇θ log π(a|s, θ) Q^π(s, a)],
estimated from whole episodes (REINFORCE): Q^π(s_t, a_t) is replaced by the
return that followed, G_t = Σ_k γ^k r_{t+k+1}, and a baseline b is subtracted
(it changes the variance, not the expectation):

    ĝ = (1/N) Σ_episodes Σ_t ∇θ log π(a_t|s_t, θ) · (G_t − b)

and θ climbs it (勾配上昇法, θ ← θ + η ĝ). The policy here is a small network
with one tanh hidden layer and a softmax over the actions, the same shapes as
``nn.rl.build_policy_net`` so that a test can copy its weights and compare this
gradient with ``tf.GradientTape``. Nothing here imports TensorFlow.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

PARAM_NAMES = ("W1", "b1", "W2", "b2")


def discounted_returns(rewards: Sequence[float], gamma: float) -> np.ndarray:
    """G_t = r_{t+1} + γ G_{t+1} for every step of one episode (G after the last reward is 0)."""
    if not 0.0 < gamma <= 1.0:
        raise ValueError(f"gamma must be in (0, 1], Received: gamma={gamma}")
    rewards = np.asarray(rewards, dtype=np.float64)
    out = np.zeros_like(rewards)
    running = 0.0
    for t in range(len(rewards) - 1, -1, -1):
        running = rewards[t] + gamma * running
        out[t] = running
    return out


def advantages(returns_per_episode: Sequence[np.ndarray], *, normalize: bool = True) -> tuple[np.ndarray, float]:
    """(G − b) for every step of a batch of episodes, with b the batch's mean return-to-go.

    With ``normalize`` the differences are also divided by their standard deviation
    (a per-batch step size; the direction is the same).

    Returns:
        the weights for every step, concatenated in episode order (shape (Σ T_i,)), and b.
    """
    g = np.concatenate([np.asarray(r, dtype=np.float64) for r in returns_per_episode])
    b = float(g.mean())
    w = g - b
    if normalize:
        w = w / (w.std() + 1e-8)
    return w, b


def init_policy(n_obs: int = 4, n_hidden: int = 32, n_actions: int = 2, *, seed: int = 0) -> dict[str, np.ndarray]:
    """Glorot-uniform weights and zero biases, keyed W1, b1, W2, b2 (Keras's Dense defaults)."""
    rng = np.random.default_rng(seed)

    def glorot(fan_in, fan_out):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=(fan_in, fan_out))

    return {"W1": glorot(n_obs, n_hidden), "b1": np.zeros(n_hidden),
            "W2": glorot(n_hidden, n_actions), "b2": np.zeros(n_actions)}


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def policy_forward(params: Mapping[str, np.ndarray], obs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hidden activations h = tanh(x W1 + b1), scores z = h W2 + b2 and π(·|s) = softmax(z).

    Args:
        obs: (n, n_obs) observations.

    Returns:
        ``h`` (n, n_hidden), ``logits`` (n, n_actions), ``probs`` (n, n_actions).
    """
    h = np.tanh(obs @ params["W1"] + params["b1"])
    logits = h @ params["W2"] + params["b2"]
    return h, logits, softmax(logits)


def grad_weighted_log_prob(params: Mapping[str, np.ndarray], obs: np.ndarray, actions: np.ndarray,
                           weights: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """Σ_i w_i log π(a_i|s_i) and its gradient with respect to every parameter (back-propagation by hand).

    ∂ log softmax(z)_a / ∂z = onehot(a) − π(·|s), then through W2, tanh′ = 1 − h², and W1.

    Args:
        obs: (n, n_obs); actions: (n,) integers; weights: (n,) the factors (G − b), or 1/N of them.

    Returns:
        the objective's value and a dict of gradients with the shapes of ``params``.
    """
    obs = np.asarray(obs, dtype=np.float64)
    actions = np.asarray(actions, dtype=np.int64)
    weights = np.asarray(weights, dtype=np.float64)
    h, logits, probs = policy_forward(params, obs)
    n = len(actions)
    log_probs = np.log(probs[np.arange(n), actions])
    onehot = np.zeros_like(probs)
    onehot[np.arange(n), actions] = 1.0
    d_logits = weights[:, None] * (onehot - probs)              # ∂/∂z of Σ w log π
    grads = {"W2": h.T @ d_logits, "b2": d_logits.sum(axis=0)}
    d_pre = (d_logits @ params["W2"].T) * (1.0 - h ** 2)
    grads["W1"] = obs.T @ d_pre
    grads["b1"] = d_pre.sum(axis=0)
    return float(np.sum(weights * log_probs)), grads


def reinforce_gradient(params: Mapping[str, np.ndarray], episodes: Sequence[Mapping[str, np.ndarray]], gamma: float,
                       *, normalize: bool = True) -> tuple[dict[str, np.ndarray], dict]:
    """The REINFORCE-with-baseline estimate ĝ = (1/N) Σ ∇θ log π(a_t|s_t) (G_t − b) for a batch of episodes.

    Args:
        episodes: N dicts with ``obs`` (T, n_obs), ``actions`` (T,), ``rewards`` (T,).
        gamma: discount γ of the returns G_t.

    Returns:
        the gradient of the objective to *maximise* (ascend it), keyed like ``params``, and
        ``{"returns": [G per episode], "baseline": b, "weights": (G − b)/N per step, "objective": value}``.
    """
    returns = [discounted_returns(ep["rewards"], gamma) for ep in episodes]
    w, b = advantages(returns, normalize=normalize)
    w = w / len(episodes)
    obs = np.concatenate([np.asarray(ep["obs"], dtype=np.float64) for ep in episodes])
    actions = np.concatenate([np.asarray(ep["actions"]) for ep in episodes])
    value, grads = grad_weighted_log_prob(params, obs, actions, w)
    return grads, {"returns": returns, "baseline": b, "weights": w, "objective": value}
