"""Day 4 AlphaGo: MCTS with PUCT, SL → RL policy nets and a value net, and AlphaGo Zero's self-play (Day4 Section2).

The pipeline, its parameters and budgets and its report live in ``dl_exercises.studies.alphago``; the
games, their solvers and the exact statistics in ``dl_exercises.scratch.board_games``; the search in
``dl_exercises.scratch.mcts``; the networks in ``dl_exercises.nn.alphago``. This module registers the
exercise. TensorFlow, Keras and matplotlib are imported inside the run only.
"""

from __future__ import annotations

from ..registry import exercise
from ..studies.alphago import config

TARGETS = {
    "quick": {"losing_lines_first": "<= 0", "losing_lines_second": "<= 0",
              "random_win_first": ">= 0.95", "random_win_second": ">= 0.80"},
    "full": {"solver_losses_first": "<= 0", "solver_losses_second": "<= 0"},
}
REFERENCES = {
    "random_win_first": (0.99479, "the best any never-losing agent can do, expectimax (scratch.board_games)"),
    "random_win_second": (0.91640, "the best any never-losing agent can do, expectimax (scratch.board_games)"),
}


@exercise(
    "day4.alphago",
    title="AlphaGo and AlphaGo Zero in miniature: PUCT search, policy and value nets, self-play",
    title_ja="AlphaGo (方策ネットワーク・価値ネットワーク・モンテカルロ木探索) と AlphaGo Zero",
    section="Day4 Section2",
    tags=("keras", "numpy", "rl", "mcts"),
    params=config.alphago_params(),
    budgets=config.BUDGETS,
    targets=TARGETS,
    references=REFERENCES,
)
def alphago(ctx):
    """SL → RL policy nets, a value net and PUCT search (AlphaGo), then self-play only (AlphaGo Zero), proved by exhaustive play (Day4 Section2)."""
    from ..studies.alphago.report import run_alphago

    run_alphago(ctx)
