"""The gymnasium environments of Day4 Section1: CartPole-v1 stepped in lockstep, greedy evaluation and validation.

One compiled greedy or probability call serves every environment of a step (never ``model.predict``
in the loop). Training environments start from ``train_seed``, validation from ``VALIDATION_SEED``,
the reported evaluation from ``EVAL_SEED`` (``config``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Callable

from .config import CARTPOLE_ID, CARTPOLE_MAX, EVAL_SEED, TRAIN_SEED, VALIDATION_SEED

if TYPE_CHECKING:  # for annotations; numpy itself loads when an exercise runs
    import numpy as np


def make_env(env_id: str, **kwargs):
    """``gymnasium.make(env_id)``; FrozenLake-v1 is slippery by default, as gymnasium registers it."""
    import gymnasium as gym

    return gym.make(env_id, **kwargs)


def train_seed(seed: int, i: int) -> int:
    """The first-reset seed of training environment ``i`` of a run with ``seed`` (i < 1000)."""
    return TRAIN_SEED + int(seed) * 1000 + int(i)


def rollout_batch(act: Callable[[np.ndarray], np.ndarray], seeds, *, max_steps: int = CARTPOLE_MAX,
                  env_id: str = CARTPOLE_ID) -> tuple[np.ndarray, int]:
    """One episode per environment seed, all environments stepped in lockstep with one ``act`` call per step.

    ``act`` maps a float32 batch of observations (n, 4) to n actions (a compiled greedy
    function). Each episode ends at termination, at the environment's truncation, or at
    ``max_steps`` (the cap). Returns the episodes' returns and the environment steps taken.
    """
    import numpy as np
    envs = [make_env(env_id) for _ in seeds]
    obs = np.stack([env.reset(seed=int(s))[0] for env, s in zip(envs, seeds)]).astype(np.float32)
    returns = np.zeros(len(envs))
    active = np.ones(len(envs), dtype=bool)
    steps = 0
    for _ in range(max_steps):
        idx = np.flatnonzero(active)
        if len(idx) == 0:
            break
        actions = np.asarray(act(obs))    # the whole batch: one shape, one XLA compilation
        for i in idx:
            o, r, terminated, truncated, _ = envs[i].step(int(actions[i]))
            obs[i] = o
            returns[i] += r
            steps += 1
            if terminated or truncated:
                active[i] = False
    for env in envs:
        env.close()
    return returns, steps


def evaluate_cartpole(act, n_episodes: int, *, first_seed: int = EVAL_SEED) -> dict:
    """Greedy returns on environment seeds ``first_seed … first_seed + n − 1`` (never used in training)."""
    seeds = list(range(first_seed, first_seed + n_episodes))
    start = time.perf_counter()
    returns, steps = rollout_batch(act, seeds)
    return {"returns": returns, "mean": float(returns.mean()), "std": float(returns.std()),
            "seeds": f"{seeds[0]}–{seeds[-1]}", "steps": steps, "seconds": time.perf_counter() - start}


class VectorCartPole:
    """n ``CartPole-v1`` environments stepped together; a finished episode restarts at once.

    ``step`` returns the *real* next observation of each transition (the terminal or
    truncated one for a finished episode, which the learner needs) and the observation
    to act on next (the reset one there), with terminated and truncated kept apart.
    """

    def __init__(self, n: int, seed: int) -> None:
        import numpy as np
        self.envs = [make_env(CARTPOLE_ID) for _ in range(n)]
        self.obs = np.stack([env.reset(seed=train_seed(seed, i))[0] for i, env in enumerate(self.envs)]).astype(np.float32)
        self.episode_return = np.zeros(n)
        self.finished: list[float] = []

    def step(self, actions):
        import numpy as np
        n = len(self.envs)
        next_obs = np.empty_like(self.obs)
        rewards = np.zeros(n, np.float32)
        terminated = np.zeros(n, np.float32)
        truncated = np.zeros(n, dtype=bool)
        for i, env in enumerate(self.envs):
            o, r, te, tr, _ = env.step(int(actions[i]))
            next_obs[i], rewards[i], terminated[i], truncated[i] = o, r, float(te), tr
            self.episode_return[i] += r
            if te or tr:
                self.finished.append(float(self.episode_return[i]))
                self.episode_return[i] = 0.0
                o, _ = env.reset()
            self.obs[i] = o
        return next_obs, rewards, terminated, truncated

    def close(self) -> None:
        for env in self.envs:
            env.close()


def validate(act, episodes: int, confirm: int, stop_at: float) -> float:
    """Greedy mean return on ``episodes`` validation seeds; a score reaching ``stop_at`` is confirmed
    on ``confirm`` further seeds, and the mean over all of them is returned."""
    import numpy as np
    first = evaluate_cartpole(act, episodes, first_seed=VALIDATION_SEED)
    if first["mean"] < stop_at or not confirm:
        return first["mean"]
    more = evaluate_cartpole(act, confirm, first_seed=VALIDATION_SEED + episodes)
    return float(np.concatenate([first["returns"], more["returns"]]).mean())


def collect_episodes(probs_fn, envs, rng: np.random.Generator, seeds=None, *, max_steps: int = CARTPOLE_MAX):
    """One episode of the stochastic policy in each of ``envs``, in lockstep (one compiled ``probs_fn`` call per step).

    Actions are sampled in numpy from π(·|s) with ``rng``; the environments are reset with
    ``seeds`` (their first time) or continue their own generators, so a run repeats exactly.
    Returns a list of dicts with ``obs`` (T, 4), ``actions`` (T,), ``rewards`` (T,).
    """
    import numpy as np
    n = len(envs)
    seeds = [None] * n if seeds is None else seeds
    obs = np.stack([env.reset(seed=s)[0] for env, s in zip(envs, seeds)]).astype(np.float32)
    traj = [{"obs": [], "actions": [], "rewards": []} for _ in range(n)]
    active = np.ones(n, dtype=bool)
    for _ in range(max_steps):
        idx = np.flatnonzero(active)
        if len(idx) == 0:
            break
        probs = np.asarray(probs_fn(obs), dtype=np.float64)[idx]   # the whole batch: one shape
        u = rng.random(len(idx))
        actions = (u > probs[:, 0]).astype(np.int32)     # two actions: a = 1 with probability π(1|s)
        for j, i in enumerate(idx):
            traj[i]["obs"].append(obs[i].copy())
            traj[i]["actions"].append(int(actions[j]))
            o, r, terminated, truncated, _ = envs[i].step(int(actions[j]))
            traj[i]["rewards"].append(float(r))
            obs[i] = o
            if terminated or truncated:
                active[i] = False
    return [{k: np.asarray(v, dtype=np.float32 if k != "actions" else np.int32) for k, v in t.items()} for t in traj]
