"""The reinforcement-learning runs of Day4 Section1 as plain functions: settings and a seed in, a run out.

DQN and REINFORCE take the loop protocol (``train.loop.LoopCallbacks``): one ``on_epoch_end`` per
compiled DQN update call or REINFORCE iteration, and ``should_stop`` asked after it. The tabular
runs (Q-learning and Sarsa on CliffWalking and FrozenLake) are numpy only and report nothing while
they run. None of them sees the run context.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from ...train.loop import LoopCallbacks, LoopHistory, Silent, end_epoch
from .config import (CARTPOLE_ID, CLIFF_ID, CLIFF_SHAPE, EVAL_SEED, LAKE_HORIZON, LAKE_ID, DqnConfig,
                     PolicyGradientConfig, TabularConfig)
from .envs import VectorCartPole, collect_episodes, make_env, train_seed, validate

if TYPE_CHECKING:  # for annotations; numpy itself loads when an exercise runs
    import numpy as np


@dataclass
class DeepRun:
    """What one CartPole training run produced."""

    model: Any
    act: Callable
    episode_returns: list[float]
    curve: list[tuple[int, float]] = field(default_factory=list)       # (env steps, mean of the last 10 episodes)
    validations: list[tuple[int, float]] = field(default_factory=list)  # (env steps, greedy validation mean)
    history: LoopHistory = field(default_factory=LoopHistory)           # the rows passed to on_epoch_end
    env_steps: int = 0
    updates: int = 0
    seconds: float = 0.0
    best_step: int = 0
    stopped_early: bool = False
    best_validation: float = float("-inf")


# --- DQN -----------------------------------------------------------------------------------------


def update_chunks(gradient_steps: int, target_every: int, updates_so_far: int) -> list[int]:
    """The compiled calls of one training round: at most 32 updates each (short calls), none across a target copy.

    The target net is copied whenever the update count reaches a multiple of ``target_every``.
    """
    chunks, done = [], 0
    while done < gradient_steps:
        chunk = min(32, gradient_steps - done, target_every - (updates_so_far + done) % target_every)
        chunks.append(chunk)
        done += chunk
    return chunks


def dqn_update_calls(c: DqnConfig) -> int:
    """The compiled update calls of a run that uses all its ``c.steps`` (the progress bar's total)."""
    n, every = c.n_envs, max(1, c.train_every // c.n_envs)
    calls = updates = 0
    for vstep in range(1, -(-c.steps // n) + 1):
        if vstep * n >= c.learning_starts and vstep % every == 0:
            calls += len(update_chunks(c.gradient_steps, c.target_every, updates))
            updates += c.gradient_steps
    return calls


def dqn_where(epoch: int, logs: dict) -> str:
    """Where a DQN run was, for the one-line NaN error."""
    return f"at update {logs['update']} (environment step {logs['step']})"


def train_dqn(c: DqnConfig, seed: int, callbacks: LoopCallbacks | None = None) -> DeepRun:
    """DQN on CartPole-v1 with the course's four tricks as switches (Day4 Section1, DQN).

    Experience replay (``replay``: a buffer of ``buffer`` transitions, else only the latest
    ``batch_size``), a fixed target network synced every ``target_every`` updates (``target``:
    else the online net bootstraps itself), reward clipping to [−1, 1] (``clip_rewards``) and
    Huber or squared-error ``loss``; ε falls linearly from ``epsilon_start`` to ``epsilon_end``
    over the first ``epsilon_steps`` environment steps. ``n_envs`` environments act together through one
    compiled greedy call per step. Every ``train_every`` environment steps the online net
    makes ``gradient_steps`` updates (compiled calls of ``update_chunks``; each call is one
    ``on_epoch_end`` with ``step``, ``update``, ``loss``, ``epsilon`` and ``mean_return_10``). From
    ``val_from`` steps on, every ``val_every`` steps the greedy policy plays ``val_episodes``
    validation episodes; the best weights are kept, and training stops once the validation mean
    reaches ``stop_at`` (or when ``callbacks.should_stop()``).
    """
    import numpy as np

    from ...runtime import tf_keras
    from ...scratch.replay_buffer import ReplayBuffer
    from ...scratch.tabular_rl import linear_schedule

    tf, keras = tf_keras()
    from ...nn.rl import build_q_net, make_dqn_train_step, make_greedy_fn, make_sync_fn

    callbacks = callbacks or Silent()
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    online = build_q_net(hidden=(c.hidden, c.hidden), name="q_net")
    target = build_q_net(hidden=(c.hidden, c.hidden), name="q_target") if c.target else None
    sync = make_sync_fn(online, target) if target is not None else (lambda: None)
    sync()
    optimizer = keras.optimizers.Adam(c.lr, global_clipnorm=c.clipnorm or None)
    train_step = make_dqn_train_step(online, target, optimizer, gamma=c.gamma, loss=c.loss, double=c.double,
                                     jit_compile=c.xla)
    act = make_greedy_fn(online, jit_compile=c.xla)
    buffer = ReplayBuffer(c.buffer if c.replay else c.batch_size, 4, seed=seed)
    envs = VectorCartPole(c.n_envs, seed)
    epsilon_at = linear_schedule(c.epsilon_start, c.epsilon_end, 1.0, c.epsilon_steps)
    n = c.n_envs
    train_every = max(1, c.train_every // n)
    run = DeepRun(model=online, act=act, episode_returns=envs.finished)
    best_weights = None
    vstep, step, stop = 0, 0, False
    start = time.perf_counter()
    while step < c.steps and not stop:
        eps = epsilon_at(step)
        explore = rng.random(n) < eps
        actions = rng.integers(0, 2, size=n).astype(np.int32)
        if not explore.all():
            greedy = act(envs.obs).numpy()
            actions = np.where(explore, actions, greedy)
        obs = envs.obs.copy()
        next_obs, rewards, terminated, _ = envs.step(actions)
        if c.clip_rewards:
            rewards = np.clip(rewards, -1.0, 1.0)
        buffer.add(obs, actions, rewards, next_obs, terminated)   # truncated: terminated = 0, bootstrap
        step += n
        vstep += 1
        if step >= c.learning_starts and vstep % train_every == 0:
            for chunk in update_chunks(c.gradient_steps, c.target_every, run.updates):
                loss = float(train_step(*buffer.sample(c.batch_size, chunk)))
                run.updates += chunk
                recent = envs.finished[-10:]
                stop = end_epoch(callbacks, run.history, len(run.history), {
                    "step": step, "update": run.updates, "loss": loss, "epsilon": round(eps, 4),
                    "mean_return_10": float(np.mean(recent)) if recent else float("nan")})
                if run.updates % c.target_every == 0:
                    sync()
                if stop:
                    break
        if envs.finished and vstep % max(1, 1000 // n) == 0:
            run.curve.append((step, float(np.mean(envs.finished[-10:]))))
        if step >= c.val_from and vstep % max(1, c.val_every // n) == 0:
            score = validate(act, c.val_episodes, c.val_confirm, c.stop_at)
            run.validations.append((step, score))
            if score > run.best_validation:
                run.best_validation, best_weights, run.best_step = score, online.get_weights(), step
            if score >= c.stop_at:
                run.stopped_early = True
                break
    run.seconds = time.perf_counter() - start
    run.env_steps = step
    envs.close()
    if best_weights is not None:
        online.set_weights(best_weights)
    return run


# --- REINFORCE -----------------------------------------------------------------------------------


def reinforce_where(epoch: int, logs: dict) -> str:
    """Where a REINFORCE run was, for the one-line NaN error."""
    return f"at iteration {logs['iteration']} (environment step {logs['step']})"


def train_reinforce(c: PolicyGradientConfig, seed: int, callbacks: LoopCallbacks | None = None, *,
                    on_first_batch: Callable | None = None) -> DeepRun:
    """REINFORCE with a baseline on CartPole-v1 (Day4 Section1, 方策勾配法).

    Each iteration plays ``batch_episodes`` episodes of the current stochastic policy,
    computes G_t (discount ``gamma``), the baseline b (the batch's mean G; with
    ``normalize`` the differences are scaled by their spread) and takes one Adam step up
    Σ log π(a_t|s_t)(G_t − b)/N, then one ``on_epoch_end`` with ``iteration``, ``step``, ``loss``,
    ``mean_return`` and ``baseline``. When a batch averages ``val_when`` or more, the greedy
    policy plays ``val_episodes`` validation episodes; the best weights are kept and
    training stops once validation reaches ``stop_at``. ``on_first_batch(model, episodes)``
    lets the caller cross-check the first gradient.
    """
    import numpy as np

    from ...runtime import tf_keras
    from ...scratch.policy_gradient import advantages, discounted_returns

    tf, keras = tf_keras()
    from ...nn.rl import build_policy_net, make_greedy_fn, make_probs_fn, make_reinforce_step

    callbacks = callbacks or Silent()
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    model = build_policy_net(hidden=(c.hidden,), name="policy")
    probs_fn, act = make_probs_fn(model), make_greedy_fn(model)
    step_fn = make_reinforce_step(model, keras.optimizers.Adam(c.lr))
    n = c.batch_episodes
    run = DeepRun(model=model, act=act, episode_returns=[])
    best_weights = None
    start = time.perf_counter()
    envs = [make_env(CARTPOLE_ID) for _ in range(n)]
    for it in range(c.iterations):
        seeds = [train_seed(seed, i) for i in range(n)] if it == 0 else None
        episodes = collect_episodes(probs_fn, envs, rng, seeds)
        if it == 0 and on_first_batch is not None:
            on_first_batch(model, episodes)
        rets = [float(ep["rewards"].sum()) for ep in episodes]
        run.episode_returns.extend(rets)
        run.env_steps += sum(len(ep["rewards"]) for ep in episodes)
        w, b = advantages([discounted_returns(ep["rewards"], c.gamma) for ep in episodes], normalize=c.normalize)
        obs = np.concatenate([ep["obs"] for ep in episodes])
        actions = np.concatenate([ep["actions"] for ep in episodes])
        loss = float(step_fn(obs, actions, (w / n).astype(np.float32)))
        run.updates += 1
        mean = float(np.mean(rets))
        run.curve.append((run.env_steps, mean))
        if end_epoch(callbacks, run.history, it, {"iteration": it + 1, "step": run.env_steps, "loss": loss,
                                                  "mean_return": mean, "baseline": b}):
            break
        if mean >= c.val_when:
            score = validate(act, c.val_episodes, c.val_confirm, c.stop_at)
            run.validations.append((run.env_steps, score))
            if score > run.best_validation:
                run.best_validation, best_weights, run.best_step = score, model.get_weights(), run.env_steps
            if score >= c.stop_at:
                run.stopped_early = True
                break
    run.seconds = time.perf_counter() - start
    for env in envs:
        env.close()
    if best_weights is not None:
        model.set_weights(best_weights)
    return run


# --- tabular: CliffWalking and FrozenLake ------------------------------------------------------------


def cliff_rows_from_edge(states) -> int:
    """How close the walk comes to the cliff between start and goal, in rows (1: along the edge)."""
    from ...scratch.tabular_rl import grid_path

    inner = [r for r, c in grid_path(states, CLIFF_SHAPE) if 1 <= c <= CLIFF_SHAPE[1] - 2]
    return int(CLIFF_SHAPE[0] - 1 - max(inner)) if inner else 0


def run_cliff(method: str, c: TabularConfig, seed: int) -> dict:
    """Train ``method`` on CliffWalking-v1 and follow its greedy policy (capped at ``rollout_cap`` steps).

    Beside it, the greedy path of the rule's exact fixed point on ``env.unwrapped.P``: Q* for Q-learning,
    the ε-greedy optimum for Sarsa (``scratch.tabular_rl.epsilon_greedy_optimum``).
    """
    from ...scratch.tabular_rl import epsilon_greedy_optimum, greedy_rollout, train_tabular

    env = make_env(CLIFF_ID)
    start = time.perf_counter()
    run = train_tabular(env, method, c.episodes, alpha=c.alpha, alpha_end=c.alpha_end, alpha_power=c.alpha_power,
                        gamma=c.gamma, epsilon=c.epsilon, seed=seed, env_seed=train_seed(seed, 0))
    seconds = time.perf_counter() - start
    ro = greedy_rollout(env, run.q, seed=EVAL_SEED, max_steps=c.rollout_cap)
    fixed_q = epsilon_greedy_optimum(env.unwrapped.P, int(env.observation_space.n), int(env.action_space.n),
                                     epsilon=c.epsilon if method == "sarsa" else 0.0, gamma=c.gamma)
    fixed = greedy_rollout(env, fixed_q, seed=EVAL_SEED, max_steps=c.rollout_cap)
    env.close()
    return {"run": run, "rollout": ro, "seconds": seconds, "rows_from_edge": cliff_rows_from_edge(ro.states),
            "fixed_point": fixed, "fixed_point_rows": cliff_rows_from_edge(fixed.states)}


def lake_optimum(horizon: int = LAKE_HORIZON) -> dict:
    """The best success rate within the time limit, by value iteration on FrozenLake-v1's own ``P``."""
    from ...scratch.tabular_rl import policy_success, value_iteration

    env = make_env(LAKE_ID)
    P, n_s, n_a = env.unwrapped.P, int(env.observation_space.n), int(env.action_space.n)
    env.close()
    V, Q = value_iteration(P, n_s, n_a, horizon=horizon, gamma=1.0)
    stationary = Q[-1].argmax(axis=1)   # the first move's choice, kept for every step
    return {"optimum": float(V[horizon, 0]), "stationary_policy": stationary,
            "stationary_success": float(policy_success(P, stationary, n_s, horizon=horizon)[0]), "P": P, "n_states": n_s}


def lake_success(q_or_policy: np.ndarray, n_episodes: int, cap: int) -> tuple[float, int]:
    """Success rate of a greedy policy over ``n_episodes`` FrozenLake-v1 episodes on seeds EVAL_SEED + j."""
    import numpy as np

    from ...scratch.tabular_rl import evaluate_greedy

    q = q_or_policy if q_or_policy.ndim == 2 else np.eye(4)[q_or_policy]
    env = make_env(LAKE_ID)
    returns, capped = evaluate_greedy(env, q, range(EVAL_SEED, EVAL_SEED + n_episodes), max_steps=cap)
    env.close()
    return float(returns.mean()), capped


def run_lake(method: str, c: TabularConfig, seed: int) -> dict:
    """Train ``method`` on slippery FrozenLake-v1; sampled and exact success of its greedy policy beside the optimum."""
    from ...scratch.tabular_rl import policy_success, train_tabular

    env = make_env(LAKE_ID)
    start = time.perf_counter()
    run = train_tabular(env, method, c.lake_episodes, alpha=c.lake_alpha, alpha_end=c.lake_alpha_end,
                        gamma=c.lake_gamma, epsilon=1.0, epsilon_end=c.lake_epsilon, epsilon_fraction=0.5,
                        seed=seed, env_seed=train_seed(seed, 0))
    seconds = time.perf_counter() - start
    env.close()
    opt = lake_optimum()
    policy = run.q.argmax(axis=1)
    success, capped = lake_success(run.q, c.lake_eval, c.rollout_cap)
    stationary_sampled, _ = lake_success(opt["stationary_policy"], c.lake_eval, c.rollout_cap)
    return {"run": run, "seconds": seconds, "success": success, "capped": capped,
            "exact": float(policy_success(opt["P"], policy, opt["n_states"], horizon=LAKE_HORIZON)[0]),
            "optimum": opt["optimum"], "stationary_success": opt["stationary_success"],
            "stationary_sampled": stationary_sampled, "policy": policy}
