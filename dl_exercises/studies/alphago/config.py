"""What day4.alphago can be told (Day4 Section2): the settings, their parameters and budgets.

Each default is written once, in the frozen ``AlphaGoConfig``; the exercise's ``Param``s read their
defaults from it, and a run builds one from its checked parameters (``AlphaGoConfig.from_params``).
No numpy or TensorFlow here: the registry imports this module to list the exercises.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..common import settings_from

GAME_NAMES = ("tictactoe", "connect4")
# games with at most this many positions have every position evaluated in one batch per network version
PREFILL_LIMIT = 10_000


@dataclass(frozen=True)
class AlphaGoConfig:
    """The settings of the AlphaGo stages and AlphaGo Zero on one board game."""

    game: str = "tictactoe"
    simulations: int = 200
    c_puct: float = 1.5
    rollouts: int = 1
    mixing: float = 0.5
    filters: int = 32
    layers: int = 3
    blocks: int = 2
    zero_filters: int = 32
    batch_size: int = 128
    lr: float = 2e-3
    test_fraction: float = 0.2
    sl_epochs: int = 10
    rl_iterations: int = 40
    rl_games: int = 64
    rl_lr: float = 1e-3
    pool_every: int = 10
    value_games: int = 3000
    value_epochs: int = 10
    zero_iterations: int = 10
    zero_games: int = 60
    selfplay_simulations: int = 40
    leaf_batch: int = 1
    temperature_moves: int = 9
    dirichlet: float = 0.5
    zero_epochs: int = 2
    zero_batch_size: int = 256
    buffer_iterations: int = 3
    zero_lr: float = 2e-3
    l2: float = 1e-4
    gate: float = 0.5
    exhaustive: bool = True

    @classmethod
    def from_params(cls, p: dict) -> "AlphaGoConfig":
        return settings_from(cls, p)


def alphago_params() -> dict:
    """The parameters of ``day4.alphago``."""
    from ...params import Param, choice, flag, fraction, learning_rate, non_negative, positive

    d = AlphaGoConfig
    return {
        "game": choice(d.game, GAME_NAMES, "the board game"),
        "simulations": positive(d.simulations, "MCTS simulations per move of the final agents"),
        "c_puct": Param(float, d.c_puct, "c of PUCT: Q + c·P·√N / (1 + n)", min=0.0, min_inclusive=False),
        "rollouts": non_negative(d.rollouts, "random rollouts per leaf in AlphaGo's search (0: value net only)"),
        "mixing": fraction(d.mixing, "λ of AlphaGo's leaf value (1 − λ)·v_θ + λ·z_rollout"),
        "filters": positive(d.filters, "channels of every convolution"),
        "layers": positive(d.layers, "3×3 convolutions of the policy and value nets"),
        "blocks": positive(d.blocks, "residual blocks of the AlphaGo Zero net"),
        "zero_filters": positive(d.zero_filters, "channels of the AlphaGo Zero net"),
        "batch_size": positive(d.batch_size, "mini-batch size of the SL policy and value nets"),
        "lr": learning_rate(d.lr, "Adam learning rate of the SL policy and value nets"),
        "test_fraction": Param(float, d.test_fraction, "held-out share of the expert's positions (by symmetry class)",
                               min=0.0, max=0.9),
        "sl_epochs": positive(d.sl_epochs, "SL policy epochs"),
        "rl_iterations": positive(d.rl_iterations, "RL policy iterations (one opponent from the pool each)"),
        "rl_games": positive(d.rl_games, "self-play games per RL iteration"),
        "rl_lr": learning_rate(d.rl_lr, "Adam learning rate of REINFORCE"),
        "pool_every": positive(d.pool_every, "RL iterations between additions to the opponent pool"),
        "value_games": positive(d.value_games, "games of SL-then-random-then-RL play, one position each"),
        "value_epochs": positive(d.value_epochs, "value net epochs"),
        "zero_iterations": positive(d.zero_iterations, "AlphaGo Zero iterations (self-play, train, evaluate)"),
        "zero_games": positive(d.zero_games, "self-play games per iteration"),
        "selfplay_simulations": positive(d.selfplay_simulations, "MCTS simulations per self-play move"),
        "leaf_batch": positive(d.leaf_batch,
                               "leaves per network call in self-play search (virtual loss between them)"),
        "temperature_moves": non_negative(d.temperature_moves, "plies that draw moves from the visit counts (τ = 1); "
                                          "then the most visited (9: every ply of tic-tac-toe)"),
        "dirichlet": non_negative(d.dirichlet, "α of the Dirichlet noise on the root priors in self-play (0: none)"),
        "zero_epochs": positive(d.zero_epochs, "epochs over the replay buffer per iteration"),
        "zero_batch_size": positive(d.zero_batch_size, "mini-batch size of the AlphaGo Zero net"),
        "buffer_iterations": positive(d.buffer_iterations, "iterations of self-play kept in the replay buffer"),
        "zero_lr": learning_rate(d.zero_lr, "Adam learning rate of the AlphaGo Zero net"),
        "l2": non_negative(d.l2, "c of the L2 term c‖θ‖² of AlphaGo Zero's loss"),
        "gate": fraction(d.gate,
                         "score (win + draw/2) the new net needs against the self-play net to replace it"),
        "exhaustive": flag(d.exhaustive,
                           "check every opponent line (tic-tac-toe); otherwise only the solver's lines"),
    }


# Quick (tic-tac-toe) as declared, measured 2026-12-04 on the shared 2-core AMD EPYC with native bfloat16 (load
# average 5–10 from other jobs: wall time says little, CPU time is user+system): self-play draws every move from
# the visit counts (temperature_moves 9, every ply; was 4) and runs 10 iterations (was 6).
#   Final agent (Zero MCTS, 200 simulations) at seeds 0, 1, 2 and seed 0 with TF_ENABLE_ONEDNN_OPTS=0: win vs random
#   as second 0.9058 / 0.9143 / 0.8995 / 0.8857 (seeds 3, 4, 5: 0.9143 / 0.8984 / 0.8931), as first 0.9870–0.9896;
#   0 losing lines as either colour at all seven. Seed 0 side by side: 31.0 and 34.1 s CPU against 24.7 s for the
#   old recipe (other runs 29.6–40.5 s, under other loads).
#   The old recipe gave 0.8349 / 0.9026 / 0.8847 / 0.8942 as second (seeds 3–5: 0.8857 / 0.8942 / 0.8995): thin.
#   Why τ = 1 throughout: when moves after ply 4 are the most visited, self-play sharpens towards perfect play, the
#   results z of drawn positions tend to 0 and the search no longer prefers the moves that leave a weaker player
#   room to err. More iterations made it worse, not better (the Zero stage alone, its own random stream, final agent
#   after each iteration, seed 0: 0.868 at 6, 0.894–0.901 at 7–9, 0.873 at 10, 0.852–0.856 at 11–14; 400 final
#   simulations: 0.875 at 10, 0.861–0.862 at 11–14). With τ = 1 at every ply the results keep a sampling player's
#   mistakes: the same check at seeds 0–3 stayed at 0.893–0.916 from iteration 6 to 12 (seed 0: to 14), 0 losing
#   lines from iteration 6 on (iteration 5 still lost 1–2 lines at 2 of the 4 seeds), so 10 iterations keep 4 in hand.
# Tried earlier (temperature_moves 4, 6 iterations): zero_epochs 3 (same targets, ~52 s CPU); 100 final simulations
# (0 lost lines at seeds 0–2 but one lost line at 50 simulations, so 200 for margin); zero_filters 16 (faster, but
# lost lines at seed 0 with 100 simulations); 120 games × 1 epoch (lost lines); a ReLU on the value net's single
# 1×1 filter died at seeds 1 and 2 (v_θ constant, MSE 0.59 — now linear).
# Full (connect-four 4×4) as declared, seed 0: 1045 s wall, 434.8+9.3 s CPU under load 7–8; 0 lost games
# against every optimal solver line as either colour (564 lines as first, 389 as second); AlphaGo's search
# 0 of 1114; the raw Zero policy still lost 1/796 and 4/485 after iteration 15: the search makes the margin.
BUDGETS = {
    "smoke": {"simulations": 4, "sl_epochs": 1, "rl_iterations": 2, "rl_games": 8, "pool_every": 1,
              "value_games": 100, "value_epochs": 1, "zero_iterations": 1, "zero_games": 2,
              "selfplay_simulations": 4, "filters": 8, "layers": 1, "blocks": 1},
    "quick": {},
    "full": {"game": "connect4", "exhaustive": False, "simulations": 400, "sl_epochs": 4, "value_games": 20000,
             "value_epochs": 5, "rl_iterations": 100, "rl_games": 128, "zero_iterations": 15, "zero_games": 100,
             "selfplay_simulations": 100, "temperature_moves": 6, "buffer_iterations": 4, "zero_epochs": 3},
}
