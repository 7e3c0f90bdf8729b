"""Day4 Section1 (強化学習): tabular Q-learning and Sarsa with ε-greedy exploration (探索と利用).

Both exercises train the course's update rules (``scratch.tabular_rl``, numpy) on
gymnasium's ``CliffWalking-v1`` — Sutton & Barto's Example 6.6, where Q-learning's
greedy path walks the cliff edge and Sarsa's keeps away from it while earning
more during learning — and on slippery ``FrozenLake-v1``, whose optimum within
the 100-step limit is computed by value iteration on the environment's own
transition table (``env.unwrapped.P``). The runs live in ``studies.rl``; here
are only the registrations. No TensorFlow is needed or imported.
"""

from __future__ import annotations

from ..registry import exercise
from ..studies.rl import config

_REFERENCES = {
    "lake_optimum": (0.7442, "value iteration on FrozenLake-v1's P with a 100-step horizon (dlx, scratch.tabular_rl)"),
}


@exercise(
    "day4.q_learning",
    title="Q-learning on CliffWalking and FrozenLake (tabular, ε-greedy)",
    title_ja="Q学習（行動価値関数・ε-greedy）",
    section="Day4 Section1",
    tags=("numpy", "rl", "gymnasium"),
    params=config.tabular_params(),
    budgets=config.TABULAR_BUDGETS,
    targets={"quick": {"cliff_greedy_return": "== -13", "lake_gap": "<= 0.05"},
             "full": {"cliff_greedy_return": "== -13", "lake_gap": "<= 0.05"}},
    references={"cliff_greedy_return": (-13, f"{config.S_AND_B}: the optimal path along the cliff edge"),
                **_REFERENCES},
)
def q_learning(ctx):
    """Q-learning Q(s,a) ← Q(s,a) + α(r + γ max_a' Q(s',a') − Q(s,a)), ε-greedy, on CliffWalking-v1 and FrozenLake-v1 (Day4 Section1)."""
    from ..studies.rl.report import run_tabular_exercise

    run_tabular_exercise(ctx, "q_learning")


@exercise(
    "day4.sarsa",
    title="Sarsa on CliffWalking and FrozenLake (tabular, ε-greedy)",
    title_ja="Sarsa（方策オン型の TD 学習・ε-greedy）",
    section="Day4 Section1",
    tags=("numpy", "rl", "gymnasium"),
    params=config.tabular_params(),
    budgets=config.TABULAR_BUDGETS,
    targets={"quick": {"cliff_greedy_return": ">= -17", "cliff_rows_from_edge": ">= 2",
                       "sarsa_online_advantage": "> 0", "lake_gap": "<= 0.05"},
             "full": {"cliff_greedy_return": ">= -17", "cliff_rows_from_edge": ">= 2",
                      "sarsa_online_advantage": "> 0", "lake_gap": "<= 0.05"}},
    references={"cliff_greedy_return": (-17, f"{config.S_AND_B}: Sarsa's safer path (−15 one row up, −17 along the top)"),
                **_REFERENCES},
)
def sarsa(ctx):
    """Sarsa Q(s,a) ← Q(s,a) + α(r + γ Q(s',a') − Q(s,a)), a' the ε-greedy next action, on CliffWalking-v1 and FrozenLake-v1 (Day4 Section1)."""
    from ..studies.rl.report import run_tabular_exercise

    run_tabular_exercise(ctx, "sarsa")
