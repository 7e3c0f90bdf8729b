"""What the reinforcement-learning runs can be told (Day4 Section1): settings, parameters, budgets.

Each default is written once, in a frozen dataclass (``TabularConfig``, ``PolicyGradientConfig``,
``DqnConfig``); the exercises' ``Param``s take their defaults from it, and a run builds its
settings from the checked parameters with ``studies.common.settings_from``. No numpy, gymnasium or TensorFlow
here: the registry imports this module to list the exercises.
"""

from __future__ import annotations

from dataclasses import dataclass

CLIFF_ID, LAKE_ID, CARTPOLE_ID = "CliffWalking-v1", "FrozenLake-v1", "CartPole-v1"
EVAL_SEED = 1_000_000
VALIDATION_SEED = 2_000_000
TRAIN_SEED = 3_000_000
CARTPOLE_THRESHOLD = 475.0    # gymnasium's reward_threshold for CartPole-v1
CARTPOLE_MAX = 500            # its time limit (TimeLimit wrapper): every rollout is capped there
CLIFF_SHAPE = (4, 12)
LAKE_HORIZON = 100            # FrozenLake-v1's TimeLimit
S_AND_B = "Sutton & Barto (2018), Example 6.6 Cliff Walking"


# --- tabular: CliffWalking and FrozenLake ------------------------------------------------------------


@dataclass(frozen=True)
class TabularConfig:
    """The settings of ``day4.q_learning`` and ``day4.sarsa`` (and the tabular half of ``bench.rl``)."""

    episodes: int = 500
    alpha: float = 0.5
    alpha_end: float = 0.05
    alpha_power: float = 0.0
    epsilon: float = 0.1
    gamma: float = 1.0
    lake_episodes: int = 10000
    lake_alpha: float = 0.1
    lake_alpha_end: float = 0.01
    lake_epsilon: float = 0.05
    lake_gamma: float = 0.99
    lake_eval: int = 1000
    rollout_cap: int = 100


def tabular_params() -> dict:
    """The parameters of ``day4.q_learning`` and ``day4.sarsa``."""
    from ...params import Param, fraction, positive

    d = TabularConfig
    return {
        "episodes": positive(d.episodes, "CliffWalking training episodes (Sutton & Barto: 500)"),
        "alpha": Param(float, d.alpha, "CliffWalking step size α at the start, or of a pair's first update with "
                       "alpha_power (Sutton & Barto: 0.5)", min=0.0, min_inclusive=False, max=1.0),
        "alpha_end": Param(float, d.alpha_end, "CliffWalking α at the last episode (linear decay; = alpha keeps it "
                           "fixed; unused with alpha_power)", min=0.0, min_inclusive=False, max=1.0),
        "alpha_power": Param(float, d.alpha_power, "ω of a step size per state-action pair, α·n(s,a)^−ω after its n-th "
                             "update (0: one α for all pairs, falling linearly)", min=0.0, max=1.0),
        "epsilon": fraction(d.epsilon, "ε of ε-greedy on CliffWalking (Sutton & Barto: 0.1)"),
        "gamma": Param(float, d.gamma, "CliffWalking discount γ (Sutton & Barto: 1, undiscounted)", min=0.0,
                       min_inclusive=False, max=1.0),
        "lake_episodes": positive(d.lake_episodes, "FrozenLake training episodes"),
        "lake_alpha": Param(float, d.lake_alpha, "FrozenLake step size α at the start", min=0.0, min_inclusive=False,
                            max=1.0),
        "lake_alpha_end": Param(float, d.lake_alpha_end, "FrozenLake α at the last episode (linear decay)", min=0.0,
                                min_inclusive=False, max=1.0),
        "lake_epsilon": fraction(d.lake_epsilon,
                                 "FrozenLake ε after its linear fall from 1 over the first half of the episodes"),
        "lake_gamma": Param(float, d.lake_gamma, "FrozenLake discount γ", min=0.0, min_inclusive=False, max=1.0),
        "lake_eval": positive(d.lake_eval, "greedy FrozenLake episodes for the success rate"),
        "rollout_cap": positive(d.rollout_cap,
                                "the most steps of any greedy rollout (a greedy Sarsa policy can loop forever)"),
    }


# CliffWalking's step size, measured 2026-12-04 (shared 2-core AMD EPYC, load 5–10: CPU time, not wall).
# Sarsa's fixed point with ε = 0.1, computed exactly on P (scratch.tabular_rl.epsilon_greedy_optimum), is the path one
# row above the edge (−15, cliff_rows_from_edge 2), every choice on it ahead of the next by ≥ 0.95: no near-tie.
# The previous recipe (Sutton & Barto's 500 episodes, α 0.5 → 0.05 linearly) never got there: −17 at seeds 0–9, rows
# 2, 2, 3, 3, 2, 3, 3, 3, 3, 3 (the top row, or the top row with one cell of row 1 next to the start or the goal: as long),
# Q off by 14–24 on that path. Row 1 is reached only through two exploratory moves (ε/4 each), and from the top-row
# policy the switch spreads back from the goal one column at a time over near-ties, so under one global α these
# pairs get their few updates late and small. Longer global schedules did not help (seeds 0–9: 2k–5k episodes,
# 2–4 seeds with a cell of row 1; 10k and 20k episodes to α 0.01: the top row at all 10; none −15), nor ε falling
# from 1 or 0.5 to 0.1, nor starts spread over the grid. A step size per state-action pair α·n(s,a)^−ω (Even-Dar &
# Mansour 2003) keeps the rare pairs learning. A re-implementation on P (its own random streams), 40 seeds, 20k
# episodes, −15 reached with α = 1: ω 0.65: 31, 0.7: 37, 0.75: 40, 0.8: 39, 0.85: 34 (α = 0.5: 40 / 37 / 26 at
# 0.65 / 0.7 / 0.75); ω 0.75 at 100 other seeds: 97 (20k), 99 (30k), 99 (50k; one seed keeps the top row). In
# gymnasium: 20k episodes, 9 of seeds 0–9 (seed 7: top row); 30k and 50k, all of seeds 0–19.
# Kept for quick: 30k episodes, α = 1, ω = 0.75. day4.sarsa at seeds 0–9 and seed 0 with oneDNN off: −15 and rows 2
# everywhere (= the fixed point), Q-learning −13, sarsa_online_advantage 27.1–28.6, lake_gap 0.0144 (day4.q_learning
# seeds 0–2: −13, lake_gap 0.004); 12.9–15.7 s CPU a run (the previous recipe: 3.3 s).
# Full (60k episodes, 30k on the lake), day4.sarsa seed 0: −15, rows 2, Q-learning −13, lake_gap 0.004; 35.4 s CPU.
# The defaults stay the previous recipe (bench.rl and smoke use them): per-pair α after 500 episodes leaves greedy
# loops (Sarsa capped at −100 at seeds 0–9, Q-learning at 5 of them).
TABULAR_BUDGETS = {
    "smoke": {"episodes": 30, "lake_episodes": 200, "lake_eval": 50},
    "quick": {"episodes": 30000, "alpha": 1.0, "alpha_power": 0.75},
    "full": {"episodes": 60000, "alpha": 1.0, "alpha_power": 0.75, "lake_episodes": 30000},
}


# --- REINFORCE -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyGradientConfig:
    """The settings of REINFORCE with a baseline on CartPole-v1 (``day4.policy_gradient``, ``bench.rl``)."""

    iterations: int = 300
    batch_episodes: int = 16
    hidden: int = 32
    lr: float = 0.01
    gamma: float = 0.99
    normalize: bool = True
    val_episodes: int = 20
    val_confirm: int = 30
    val_when: float = 400.0
    stop_at: float = 500.0


def pg_params() -> dict:
    """The parameters of ``day4.policy_gradient``."""
    from ...params import Param, flag, learning_rate, non_negative, positive

    d = PolicyGradientConfig
    return {
        "iterations": positive(d.iterations, "policy updates at most (each on a fresh batch of episodes)"),
        "batch_episodes": positive(d.batch_episodes, "episodes played per update (N)"),
        "hidden": positive(d.hidden, "tanh units of the policy's hidden layer"),
        "lr": learning_rate(d.lr, "Adam learning rate (gradient ascent on Σ log π (G − b))"),
        "gamma": Param(float, d.gamma, "discount γ of the returns G_t", min=0.0, min_inclusive=False, max=1.0),
        "normalize": flag(d.normalize, "divide G − b by its standard deviation in each batch"),
        "val_when": Param(float, d.val_when, "validate greedily once a batch averages this return", min=0.0, max=500.0),
        "val_episodes": positive(d.val_episodes, "greedy validation episodes (seeds 2000000…)"),
        "val_confirm": non_negative(d.val_confirm, "further validation episodes that confirm a score of stop_at"),
        "stop_at": Param(float, d.stop_at, "stop once the validation mean reaches this", min=0.0, max=500.0),
        "eval_episodes": positive(100, "greedy evaluation episodes on unseen seeds (1000000…)"),
    }


# smoke: the code path only (tiny batches, validation from the first batch); bench.rl's smoke budget uses it too
PG_SMOKE = {"batch_episodes": 4, "val_when": 0.0, "val_episodes": 2}
PG_BUDGETS = {
    "smoke": {"iterations": 3, **PG_SMOKE, "eval_episodes": 5, "val_confirm": 2},
    "quick": {},
    "full": {"iterations": 1000},
}


# --- DQN -----------------------------------------------------------------------------------------


# The default recipe is rl-baselines3-zoo's DQN for CartPole-v1 (2×256 ReLU, Adam 2.3e-3, batch 64,
# 128 updates every 256 steps with the target fixed during each round, ε 1 → 0.04 over 8,000 steps,
# Huber loss, gradient norm 10), with early stopping on greedy validation episodes. What was tried
# (validation every 1,000 steps on 20 episodes; environment steps until validation reached 500):
#   2×64, Adam 1e-3, 64 updates every 64 steps, target every 64 updates, Double: 13k-17k, but seed 0
#       collapsed (validation 244 → 12) and never recovered in 40k
#   2×64, same, target every 32 updates (2×128): 3 of 4 seeds diverged (greedy return 9)
#   2×64 or 2×128, 2 updates per step: 1 of 4 seeds solved in 40k
#   2×64, batch 256: 3 of 4 within 40k;  2×128, batch 256: 21k-29k (4 of 4), 0.9 ms CPU per update
#   2×128, rl-zoo otherwise (seeds 1-7): 11k-62k steps, 0.42 ms CPU per environment step
#   2×256, rl-zoo (seeds 0-7): 5k, 7k, 11k, 11k, 27k, 29k, 32k, 45k steps, 0.68 ms CPU per step
# The plateau near 100-200 is the cart drifting out of the track (x = 2.4) with the pole upright.
# Speed: the k updates are one XLA-compiled call (0.82 ms instead of ~1.6 ms CPU per update for
# 2×256), and acting calls a concrete XLA function (0.22 ms instead of 0.75 ms CPU per call).
@dataclass(frozen=True)
class DqnConfig:
    """The settings of DQN on CartPole-v1 (``day4.dqn``, its ablation, ``bench.rl``)."""

    steps: int = 70_000
    n_envs: int = 8
    hidden: int = 256
    lr: float = 2.3e-3
    batch_size: int = 64
    buffer: int = 100_000
    learning_starts: int = 1_000
    gamma: float = 0.99
    train_every: int = 256
    gradient_steps: int = 128
    target_every: int = 128
    epsilon_start: float = 1.0
    epsilon_end: float = 0.04
    epsilon_steps: int = 8_000
    loss: str = "huber"
    double: bool = False
    replay: bool = True
    target: bool = True
    clip_rewards: bool = True
    val_episodes: int = 20
    val_confirm: int = 30
    val_every: int = 1_000
    val_from: int = 5_000
    stop_at: float = 500.0
    clipnorm: float = 10.0
    xla: bool = True


def dqn_params() -> dict:
    """The parameters of ``day4.dqn``."""
    from ...params import Param, at_least, choice, flag, fraction, learning_rate, non_negative, positive

    d = DqnConfig
    return {
        "steps": positive(d.steps, "environment steps at most"),
        "n_envs": positive(d.n_envs, "environments acting together (one compiled call per step)"),
        "hidden": positive(d.hidden, "ReLU units of each of the Q network's two hidden layers"),
        "lr": learning_rate(d.lr, "Adam learning rate"),
        "batch_size": positive(d.batch_size, "transitions per update"),
        "buffer": positive(d.buffer, "replay memory (transitions)"),
        "learning_starts": non_negative(d.learning_starts, "random steps before the first update"),
        "gamma": Param(float, d.gamma, "discount γ", min=0.0, min_inclusive=False, max=1.0),
        "train_every": positive(d.train_every, "environment steps between training rounds"),
        "gradient_steps": positive(d.gradient_steps, "updates per training round"),
        "target_every": positive(d.target_every, "updates between copies of the online net into the target net"),
        "epsilon_start": fraction(d.epsilon_start, "ε of ε-greedy at the start"),
        "epsilon_end": fraction(d.epsilon_end, "ε after the linear fall"),
        "epsilon_steps": positive(d.epsilon_steps, "environment steps over which ε falls linearly"),
        "loss": choice(d.loss, ("huber", "mse"), "TD loss: Huber (δ = 1) or squared error"),
        "double": flag(d.double, "Double DQN targets"),
        "replay": flag(d.replay, "experience replay (off: learn from the latest batch_size transitions only)"),
        "target": flag(d.target, "fixed target network (off: bootstrap from the online net)"),
        "clip_rewards": flag(d.clip_rewards, "clip rewards to [−1, 1]"),
        "clipnorm": non_negative(d.clipnorm, "global gradient-norm clip (0 = off)"),
        "val_every": positive(d.val_every, "environment steps between greedy validations"),
        "val_from": non_negative(d.val_from, "first environment step that validates"),
        "val_episodes": positive(d.val_episodes, "greedy validation episodes (seeds 2000000…)"),
        "val_confirm": non_negative(d.val_confirm, "further validation episodes that confirm a score of stop_at"),
        "xla": flag(d.xla, "compile the updates and the acting with XLA"),
        "stop_at": Param(float, d.stop_at, "stop once the validation mean reaches this", min=0.0, max=500.0),
        "eval_episodes": positive(100, "greedy evaluation episodes on unseen seeds (1000000…)"),
        "ablation": flag(False, "also train with each trick switched off (the ablation table)"),
        "ablation_seeds": at_least(1, 3, "seeds per ablation variant"),
        "ablation_steps": positive(30_000, "environment steps of each ablation run"),
        "ablation_eval": positive(20, "greedy evaluation episodes per ablation run"),
    }


# smoke: the code path only (early training rounds, target copies and validations); bench.rl's smoke budget uses it too
DQN_SMOKE = {"n_envs": 4, "learning_starts": 200, "train_every": 100, "gradient_steps": 4, "target_every": 4,
             "val_from": 400, "val_every": 200, "val_episodes": 2}
DQN_BUDGETS = {
    "smoke": {"steps": 600, **DQN_SMOKE, "val_confirm": 2, "stop_at": 5.0, "eval_episodes": 5,
              "ablation": True, "ablation_seeds": 1, "ablation_steps": 400, "ablation_eval": 2},
    "quick": {},
    # full: the ablation runs get the quick run's 70,000 steps at most (at 30,000, measured at quick with
    # --set ablation=true, seeds 100-102: all four tricks 279 ± 83, no replay 417 ± 103, no target network 9 ± 0,
    # no clipping 279 ± 83, MSE 500 ± 0 — the baseline had not yet converged; 568 s wall on 2 shared cores)
    "full": {"steps": 150_000, "ablation": True, "ablation_seeds": 3, "ablation_steps": 70_000},
}
# the ablation table: each of the course's tricks switched off in turn
DQN_VARIANTS = {
    "all four tricks": {},
    "no experience replay": {"replay": False},
    "no fixed target network": {"target": False},
    "no reward clipping": {"clip_rewards": False},
    "MSE instead of Huber": {"loss": "mse"},
}


# --- bench.rl: the four methods side by side ----------------------------------------------------------


def suite_params() -> dict:
    from ...params import positive

    return {
        "episodes": positive(TabularConfig.episodes, "CliffWalking episodes of Q-learning and Sarsa"),
        "pg_iterations": positive(PolicyGradientConfig.iterations, "REINFORCE updates at most"),
        "dqn_steps": positive(DqnConfig.steps, "DQN environment steps at most"),
        "eval_episodes": positive(100, "greedy CartPole evaluation episodes on unseen seeds"),
    }


SUITE_BUDGETS = {
    "smoke": {"episodes": 30, "pg_iterations": 2, "dqn_steps": 600, "eval_episodes": 4},
    "quick": {},
    "full": {"episodes": 1000, "pg_iterations": 1000, "dqn_steps": 100_000},
}
