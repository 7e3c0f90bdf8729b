"""The whole of day4.alphago in order (Day4 Section2): AlphaGo's stages, then AlphaGo Zero, as plain numbers.

1. the SL policy net p_σ on the solver's moves; 2. the RL policy net p_ρ from p_σ by REINFORCE
against its pool; 3. the value net v_θ on positions of SL → random → RL games; 4. AlphaGo's
search (p_σ priors, leaves valued (1 − λ)·v_θ + λ·rollout), checked exhaustively; 5. AlphaGo Zero's
self-play training and its final agent, checked the same way. No run context: progress and
history come through the loop callbacks the caller hands in.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ...scratch.board_games import LEE_PLANES, VALUE_PLANES, LineGame, Solver, all_states
from ...scratch.mcts import MCTS
from ...train.loop import LoopCallbacks, Silent
from .config import AlphaGoConfig
from .evaluator import NetEvaluator, zero_evaluator
from .loops import at_iteration, regress_value, reinforce_policy, supervised_policy, zero_training
from .selfplay import expert_examples, value_positions
from .verification import SearchAgent, direct_search_speed, exact_match, exact_vs_random


def silent_callbacks(label: str, total: int | None = None, run: str | None = None, where=None) -> LoopCallbacks:
    """A ``loop_callbacks`` factory that records nothing (tests, notebooks)."""
    return Silent()


def zero_callbacks(loop_callbacks: Callable[..., LoopCallbacks], c: AlphaGoConfig) -> LoopCallbacks:
    """The callbacks of AlphaGo Zero's training loop (``dlx play`` trains through them too)."""
    return loop_callbacks("AlphaGo Zero", total=c.zero_iterations, run="zero", where=at_iteration)


@dataclass
class PipelineResult:
    """Everything ``day4.alphago`` records, as plain numbers, plus the trained models."""

    game: LineGame
    solver_seconds: float = 0.0
    positions: int = 0
    stages: dict = field(default_factory=dict)       # stage name -> dict of numbers
    curves: dict = field(default_factory=dict)       # stage name -> list of rows
    checks: dict = field(default_factory=dict)       # agent name -> [Verification first, Verification second]
    search_speed: dict = field(default_factory=dict)  # agent name -> simulations per second
    models: dict = field(default_factory=dict)       # file stem -> keras.Model
    timings: dict = field(default_factory=dict)      # stage name -> (wall seconds, CPU seconds)


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(clock: tuple[float, float]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the whole process) since ``clock``."""
    return time.perf_counter() - clock[0], time.process_time() - clock[1]


def run_pipeline(game: LineGame, c: AlphaGoConfig, seed: int,
                 loop_callbacks: Callable[..., LoopCallbacks] = silent_callbacks) -> PipelineResult:
    """The AlphaGo stages, then AlphaGo Zero, on ``game`` with the settings ``c``.

    ``loop_callbacks(label, total=…, run=…, where=…)`` gives each training loop its callbacks (a run
    passes ``ctx.loop_callbacks``: progress bar, history rows, the NaN guard). The stages draw from
    one numpy generator of ``seed``; each network starts from the Keras seed ``seed + k``.
    """
    import keras

    from ...nn.alphago import forward_function, policy_net, policy_train_step, value_net

    rng = np.random.default_rng(seed)
    out = PipelineResult(game)
    clock = _clock()
    solver = Solver(game)
    out.solver_seconds = _since(clock)[0]
    states = all_states(game)
    positions = [s for s in states if game.outcome(s) is None]
    out.positions = len(positions)
    truth = (positions, np.array([solver.value(s) for s in positions], np.float32))
    exhaustive = c.exhaustive
    shape = (game.rows, game.cols)

    # 1. SL policy net on the solver's moves
    clock = _clock()
    train, test = expert_examples(game, solver, states, rng, c.test_fraction)
    keras.utils.set_random_seed(seed + 1)
    lee_shape = (*shape, len(LEE_PLANES))
    # one network object is trained twice: as p_σ by supervised learning, then in place as p_ρ by
    # REINFORCE (AlphaGo initialises p_ρ to p_σ); ``sl`` keeps a frozen copy of p_σ. One compiled step serves both.
    learner = policy_net(lee_shape, game.n_actions, c.filters, c.layers, name=f"{game.name}_rl_policy")
    optimizer = keras.optimizers.Adam(c.lr)
    policy_step = policy_train_step(learner, optimizer)
    out.curves["sl"] = supervised_policy(policy_step, learner, train, test, epochs=c.sl_epochs,
                                         batch_size=c.batch_size, rng=rng,
                                         callbacks=loop_callbacks("SL policy", total=c.sl_epochs, run="sl_policy")).rows
    out.stages["sl"] = {"train_positions": len(train.states), "test_positions": len(test.states),
                        **{k: out.curves["sl"][-1][k] for k in ("train_accuracy", "test_accuracy")}}
    sl = policy_net(lee_shape, game.n_actions, c.filters, c.layers, name=f"{game.name}_sl_policy")
    sl.set_weights(learner.get_weights())
    out.models["sl_policy"] = sl
    out.timings["sl"] = _since(clock)

    # 2. RL policy net: REINFORCE against a pool of its earlier versions, starting from the SL weights
    clock = _clock()
    rl = learner
    opponent = policy_net(lee_shape, game.n_actions, c.filters, c.layers, name="pool_opponent")
    optimizer.learning_rate = c.rl_lr
    out.curves["rl"] = reinforce_policy(policy_step, game, rl, opponent, iterations=c.rl_iterations, games=c.rl_games,
                                        pool_every=c.pool_every, rng=rng,
                                        callbacks=loop_callbacks("RL policy", total=c.rl_iterations, run="rl_policy",
                                                                 where=at_iteration)).rows
    sl_eval = NetEvaluator(game, policy=(forward_function(sl), LEE_PLANES))
    rl_eval = NetEvaluator(game, policy=(forward_function(rl), LEE_PLANES))
    sl_eval.prefill(positions)
    rl_eval.prefill(positions)
    rl_vs_sl = exact_match(game, rl_eval.policy_of, sl_eval.policy_of)
    sl_vs_sl = exact_match(game, sl_eval.policy_of, sl_eval.policy_of)
    out.stages["rl"] = {"win": rl_vs_sl["win"], "draw": rl_vs_sl["draw"], "loss": rl_vs_sl["loss"],
                        "sl_self_win": sl_vs_sl["win"], "pool": out.curves["rl"][-1]["pool"] if out.curves["rl"] else 1}
    out.models["rl_policy"] = rl
    out.timings["rl"] = _since(clock)

    # 3. value net on positions from SL-then-random-then-RL games
    clock = _clock()
    to_probs = lambda ev: (lambda batch: ev(batch)[0])  # noqa: E731
    v_states, v_z = value_positions(game, to_probs(sl_eval), to_probs(rl_eval), c.value_games, rng)
    # positions of further games made the same way: what the value net is for (it sees the solver on neither)
    held, _ = value_positions(game, to_probs(sl_eval), to_probs(rl_eval), max(100, c.value_games // 3), rng)
    held_truth = (held, np.array([solver.value(s) for s in held], np.float32))
    keras.utils.set_random_seed(seed + 2)
    value = value_net((*shape, len(VALUE_PLANES)), c.filters, c.layers, name=f"{game.name}_value")
    out.curves["value"] = regress_value(value, v_states, v_z, game, epochs=c.value_epochs, batch_size=c.batch_size,
                                        lr=c.lr, rng=rng, truths={"held_out": held_truth, "all": truth},
                                        callbacks=loop_callbacks("value net", total=c.value_epochs, run="value")).rows
    last = out.curves["value"][-1]
    v_truth = np.array([solver.value(s) for s in v_states], np.float32)
    out.stages["value"] = {"positions": len(v_states), "held_out_positions": len(held),
                           "mse": last["mse_held_out"], "mse_all": last["mse_all"],
                           "mse_zero_held_out": float(np.mean(held_truth[1] ** 2)),
                           "mse_zero_all": float(np.mean(truth[1] ** 2)),
                           "target_mse": float(np.mean((v_truth - v_z) ** 2))}
    out.models["value"] = value
    out.timings["value"] = _since(clock)

    # 4. AlphaGo's search: SL priors, leaves valued (1 − λ)·v_θ + λ·rollout
    clock = _clock()
    ag_eval = NetEvaluator(game, policy=(forward_function(sl), LEE_PLANES), value=(forward_function(value), VALUE_PLANES))
    ag_eval.prefill(positions)
    ag_agent = SearchAgent(MCTS(game, ag_eval, simulations=c.simulations, c_puct=c.c_puct, rollouts=c.rollouts,
                                mixing=c.mixing))
    out.checks["alphago"] = exact_vs_random(game, ag_agent, solver, exhaustive)
    out.search_speed["alphago"] = ag_agent.simulations_per_second
    out.timings["alphago_mcts"] = _since(clock)

    # 5. AlphaGo Zero: self-play with MCTS only
    clock = _clock()
    best, history, out.search_speed["zero_selfplay"] = zero_training(
        game, c, rng, seed=seed, callbacks=zero_callbacks(loop_callbacks, c), positions=positions, solver=solver,
        exhaustive=exhaustive)
    out.curves["zero"] = history.rows
    out.timings["zero_training"] = _since(clock)

    # the final agent: MCTS on the last accepted network, most visited move
    clock = _clock()
    final_eval = zero_evaluator(game, best)
    final_eval.prefill(positions)  # every position in large batches: the check's searches only look up
    agent = SearchAgent(MCTS(game, final_eval, simulations=c.simulations, c_puct=c.c_puct))
    out.checks["zero"] = exact_vs_random(game, agent, solver, exhaustive)
    out.search_speed["zero"] = agent.simulations_per_second
    for batch in (1, 8):
        out.search_speed[f"zero_direct_batch{batch}"] = direct_search_speed(game, best, c.simulations, c.c_puct, batch)
    out.models["zero"] = best
    out.timings["zero_check"] = _since(clock)
    return out
