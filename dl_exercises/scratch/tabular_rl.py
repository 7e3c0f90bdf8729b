"""Tabular reinforcement learning in numpy: ε-greedy, Q-learning, Sarsa, value iteration (Day4 Section1).

The course's update rules for the action-value function Q(s, a) (行動価値関数),
with step size α and discount γ:

- Q-learning (off-policy): Q(s, a) ← Q(s, a) + α [r + γ max_a' Q(s', a') − Q(s, a)]
- Sarsa (on-policy):      Q(s, a) ← Q(s, a) + α [r + γ Q(s', a') − Q(s, a)],  a' the action ε-greedy takes next

The bootstrap term γ·Q(s', ·) is dropped when the episode *terminated* (s' is a
terminal state, its value is 0) and kept when it was *truncated* by a time
limit (s' still has a future; the limit only stopped our watching).

ε-greedy (探索と利用): with probability ε a uniformly random action (exploration),
otherwise the greedy argmax_a Q(s, a) (exploitation), ties broken at random.

The environment is anything with gymnasium's API (``reset(seed=)``, ``step(a)``
→ ``(s', r, terminated, truncated, info)``); nothing here imports gymnasium or
TensorFlow. ``value_iteration`` and ``policy_success`` read a transition table
in gymnasium's toy-text form, ``P[s][a] = [(p, s', r, terminated), ...]``
(``env.unwrapped.P``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

METHODS = ("q_learning", "sarsa")


def epsilon_greedy(q_row: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    """One ε-greedy action for the action values ``q_row`` (shape (n_actions,)); greedy ties broken at random."""
    if not 0.0 <= epsilon <= 1.0:
        raise ValueError(f"epsilon must be in [0, 1], Received: epsilon={epsilon}")
    if rng.random() < epsilon:
        return int(rng.integers(len(q_row)))
    values = q_row.tolist()  # four Python floats: faster than numpy for so few
    top = max(values)
    best = [i for i, v in enumerate(values) if v == top]
    return best[0] if len(best) == 1 else best[int(rng.integers(len(best)))]


def greedy_action(q_row: np.ndarray) -> int:
    """argmax_a Q(s, a), the lowest index on ties (deterministic, for evaluation)."""
    return int(np.argmax(q_row))


def q_learning_update(q: np.ndarray, s: int, a: int, r: float, s_next: int, terminated: bool,
                      alpha: float, gamma: float) -> float:
    """Q(s,a) ← Q(s,a) + α[r + γ max_a' Q(s',a') − Q(s,a)] in place (no bootstrap if terminated); returns the TD error."""
    target = r + (0.0 if terminated else gamma * max(q[s_next].tolist()))
    td = target - q[s, a]
    q[s, a] += alpha * td
    return float(td)


def sarsa_update(q: np.ndarray, s: int, a: int, r: float, s_next: int, a_next: int, terminated: bool,
                 alpha: float, gamma: float) -> float:
    """Q(s,a) ← Q(s,a) + α[r + γ Q(s',a') − Q(s,a)] in place (no bootstrap if terminated); returns the TD error."""
    target = r + (0.0 if terminated else gamma * float(q[s_next, a_next]))
    td = target - q[s, a]
    q[s, a] += alpha * td
    return float(td)


def linear_schedule(start: float, end: float, fraction: float, total: int):
    """``f(i)``: ``start`` at i = 0, linearly to ``end`` at i = fraction·total, then ``end``."""
    span = max(1.0, fraction * total)

    def value(i: int) -> float:
        return float(end + (start - end) * max(0.0, 1.0 - i / span))

    return value


@dataclass
class TabularRun:
    """What one tabular training run produced."""

    q: np.ndarray                       # (n_states, n_actions)
    returns: np.ndarray                 # online (ε-greedy) return of every training episode
    lengths: np.ndarray                 # steps of every training episode
    steps: int = 0                      # environment steps in all
    capped: int = 0                     # training episodes stopped by ``max_steps`` (treated as truncated)
    extra: dict[str, Any] = field(default_factory=dict)


def train_tabular(env, method: str, episodes: int, *, alpha: float, gamma: float, epsilon: float,
                  seed: int, epsilon_end: float | None = None, epsilon_fraction: float = 0.0,
                  alpha_end: float | None = None, alpha_power: float = 0.0, max_steps: int = 10_000,
                  env_seed: int | None = None) -> TabularRun:
    """Train Q-learning or Sarsa with ε-greedy behaviour on a discrete gymnasium environment.

    Args:
        env: a gymnasium environment with Discrete observation and action spaces.
        method: "q_learning" or "sarsa".
        episodes: training episodes.
        alpha, gamma, epsilon: step size, discount, exploration rate. With
            ``epsilon_end`` the rate falls linearly from ``epsilon`` to it over the first
            ``epsilon_fraction`` of the episodes; with ``alpha_end`` α falls linearly over all of them.
        alpha_power: ω > 0 gives every pair its own step size α·n(s, a)^−ω, n(s, a) the updates of the
            pair so far (the first update takes α); ``alpha_end`` is then unused. 0: one α for all pairs.
        seed: seeds the agent's random numbers (ε-greedy).
        max_steps: a safety cap on a training episode (a stop there counts as truncation).
        env_seed: seed of the environment's first reset (later resets continue its generator).

    Returns:
        ``TabularRun`` with Q of shape (n_states, n_actions) and per-episode online returns.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, Received: method={method!r}")
    rng = np.random.default_rng(seed)
    n_s, n_a = int(env.observation_space.n), int(env.action_space.n)
    q = np.zeros((n_s, n_a))
    eps_at = linear_schedule(epsilon, epsilon if epsilon_end is None else epsilon_end, epsilon_fraction, episodes)
    alpha_at = linear_schedule(alpha, alpha if alpha_end is None else alpha_end, 1.0, episodes)
    if alpha_power < 0:
        raise ValueError(f"alpha_power must be >= 0, Received: alpha_power={alpha_power}")
    updates = np.zeros((n_s, n_a), dtype=np.int64)
    returns, lengths = np.zeros(episodes), np.zeros(episodes, dtype=np.int64)
    total, capped = 0, 0
    for ep in range(episodes):
        eps, lr = eps_at(ep), alpha_at(ep)
        s, _ = env.reset(seed=env_seed if ep == 0 else None)
        a = epsilon_greedy(q[s], eps, rng)
        ret, t = 0.0, 0
        while True:
            s_next, r, terminated, truncated, _ = env.step(a)
            t += 1
            ret += r
            if t >= max_steps and not (terminated or truncated):
                truncated = True
                capped += 1
            if alpha_power:
                updates[s, a] += 1
                lr = alpha * float(updates[s, a]) ** -alpha_power
            if method == "q_learning":
                q_learning_update(q, s, a, r, s_next, terminated, lr, gamma)
                a_next = epsilon_greedy(q[s_next], eps, rng)
            else:
                a_next = epsilon_greedy(q[s_next], eps, rng)
                sarsa_update(q, s, a, r, s_next, a_next, terminated, lr, gamma)
            if terminated or truncated:
                break
            s, a = s_next, a_next
        returns[ep], lengths[ep] = ret, t
        total += t
    return TabularRun(q=q, returns=returns, lengths=lengths, steps=total, capped=capped)


@dataclass
class Rollout:
    """One greedy episode."""

    ret: float
    steps: int
    states: list[int]
    terminated: bool
    capped: bool                        # stopped by the rollout cap, not by the environment


def greedy_rollout(env, q: np.ndarray, *, seed: int | None = None, max_steps: int = 200) -> Rollout:
    """Follow argmax_a Q(s, a) for at most ``max_steps`` steps (a greedy Sarsa policy can loop forever)."""
    s, _ = env.reset(seed=seed)
    states, ret = [int(s)], 0.0
    for t in range(1, max_steps + 1):
        s, r, terminated, truncated, _ = env.step(greedy_action(q[s]))
        ret += r
        states.append(int(s))
        if terminated or truncated:
            return Rollout(ret, t, states, bool(terminated), False)
    return Rollout(ret, max_steps, states, False, True)


def evaluate_greedy(env, q: np.ndarray, seeds: Sequence[int], *, max_steps: int = 200) -> tuple[np.ndarray, int]:
    """Returns of greedy episodes, one per environment seed, and how many hit the cap."""
    runs = [greedy_rollout(env, q, seed=int(s), max_steps=max_steps) for s in seeds]
    return np.array([r.ret for r in runs]), sum(r.capped for r in runs)


def _table_arrays(P: Mapping[int, Mapping[int, list]], n_s: int, n_a: int):
    """Dense T[s, a, s'] (probabilities), R[s, a] (expected reward) and D[s, a, s'] (terminal mass) from P."""
    T = np.zeros((n_s, n_a, n_s))
    R = np.zeros((n_s, n_a))
    D = np.zeros((n_s, n_a, n_s))
    for s in range(n_s):
        for a in range(n_a):
            for p, s_next, r, term in P[s][a]:
                s_next = int(s_next)
                T[s, a, s_next] += p
                R[s, a] += p * r
                if term:
                    D[s, a, s_next] += p
    return T, R, D


def value_iteration(P: Mapping[int, Mapping[int, list]], n_states: int, n_actions: int, *,
                    horizon: int = 100, gamma: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Finite-horizon value iteration on a gymnasium transition table.

    V_0 = 0;  Q_k(s, a) = Σ_s' P(s'|s, a) [r + γ V_{k-1}(s') · (s' not terminal)];  V_k = max_a Q_k.
    V_k(s) is the best expected return with k steps left, so with FrozenLake's
    rewards (1 at the goal) V_100(start) is the highest success rate any policy
    reaches under the 100-step limit.

    Returns:
        ``V`` of shape (horizon + 1, n_states) (row k: k steps left) and ``Q`` of shape
        (horizon, n_states, n_actions) (row k: k + 1 steps left).
    """
    T, R, D = _table_arrays(P, n_states, n_actions)
    cont = T - D                                  # probability of landing in s' and going on
    V = np.zeros((horizon + 1, n_states))
    Q = np.zeros((horizon, n_states, n_actions))
    for k in range(1, horizon + 1):
        Q[k - 1] = R + gamma * cont @ V[k - 1]
        V[k] = Q[k - 1].max(axis=1)
    return V, Q


def epsilon_greedy_optimum(P: Mapping[int, Mapping[int, list]], n_states: int, n_actions: int, *, epsilon: float,
                           gamma: float = 1.0, tol: float = 1e-10, max_iterations: int = 100_000) -> np.ndarray:
    """The fixed point of Sarsa with ε-greedy behaviour, exactly, on a gymnasium transition table.

    Q(s, a) = Σ_s' P(s'|s, a) [r + γ Σ_a' π_ε(a'|s') Q(s', a') · (s' not terminal)], π_ε ε-greedy in Q itself:
    the best policy among the ε-greedy ones, which Sarsa with a fixed ε approaches. ε = 0 gives Q*, the fixed
    point of Q-learning. Iterated from Q = 0 until no entry moves by more than ``tol``.

    Returns:
        ``Q`` of shape (n_states, n_actions).
    """
    if not 0.0 <= epsilon <= 1.0:
        raise ValueError(f"epsilon must be in [0, 1], Received: epsilon={epsilon}")
    T, R, D = _table_arrays(P, n_states, n_actions)
    cont = T - D
    q = np.zeros((n_states, n_actions))
    for _ in range(max_iterations):
        v = epsilon * q.mean(axis=1) + (1.0 - epsilon) * q.max(axis=1)
        new = R + gamma * cont @ v
        if np.max(np.abs(new - q)) < tol:
            return new
        q = new
    raise RuntimeError(f"no fixed point within {max_iterations} iterations (a policy that never ends with γ = 1?)")


def policy_success(P: Mapping[int, Mapping[int, list]], policy: np.ndarray, n_states: int, *,
                   horizon: int = 100, gamma: float = 1.0) -> np.ndarray:
    """Exact expected return of a stationary deterministic ``policy`` (shape (n_states,)) within ``horizon`` steps.

    On FrozenLake this is the probability that the greedy policy reaches the goal
    within the time limit: what 1,000 sampled episodes estimate, without the sampling noise.
    """
    n_a = max(len(P[s]) for s in range(n_states))
    T, R, D = _table_arrays(P, n_states, n_a)
    idx = np.arange(n_states)
    Tp, Rp, Dp = T[idx, policy], R[idx, policy], D[idx, policy]
    v = np.zeros(n_states)
    for _ in range(horizon):
        v = Rp + gamma * (Tp - Dp) @ v
    return v


def grid_path(states: Sequence[int], shape: tuple[int, int]) -> list[tuple[int, int]]:
    """(row, col) of each visited state index on a grid of ``shape`` (CliffWalking: (4, 12))."""
    return [tuple(int(v) for v in np.unravel_index(int(s), shape)) for s in states]


def path_picture(states: Sequence[int], shape: tuple[int, int] = (4, 12), cliff_row: int = 3) -> list[str]:
    """Text rows of a CliffWalking grid: S start, G goal, C cliff, * visited, . elsewhere."""
    rows, cols = shape
    grid = [["." for _ in range(cols)] for _ in range(rows)]
    for c in range(1, cols - 1):
        grid[cliff_row][c] = "C"
    for r, c in grid_path(states, shape):
        if grid[r][c] == ".":
            grid[r][c] = "*"
    grid[cliff_row][0], grid[cliff_row][cols - 1] = "S", "G"
    return ["".join(row) for row in grid]
