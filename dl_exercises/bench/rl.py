"""``dlx bench rl``: Q-learning, Sarsa, REINFORCE and DQN side by side (Day4 Section1, 強化学習).

The runs are those of ``day4.q_learning``/``day4.sarsa`` (CliffWalking-v1) and
``day4.policy_gradient``/``day4.dqn`` (CartPole-v1), from ``studies.rl``: one
table of training steps, speed and final greedy returns, and with ``--out``
the four learning curves (PNG and CSV).
"""

from __future__ import annotations

from ..registry import exercise
from ..studies.rl import config


@exercise(
    "bench.rl",
    title="Reinforcement learning: Q-learning, Sarsa, REINFORCE, DQN",
    title_ja="強化学習の比較（Q学習・Sarsa・方策勾配法・DQN）",
    section="Day4 Section1",
    tags=("bench", "numpy", "keras", "rl", "gymnasium"),
    params=config.suite_params(),
    budgets=config.SUITE_BUDGETS,
)
def rl_suite(ctx):
    """Learning curves and final greedy returns of the four methods on CliffWalking-v1 and CartPole-v1 (Day4 Section1)."""
    from ..studies.rl.report import run_rl_suite

    run_rl_suite(ctx)
