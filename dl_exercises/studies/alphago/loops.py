"""The training loops of day4.alphago (Day4 Section2) over the loop protocol (``train.loop``), never the run context.

- ``supervised_policy``: the SL policy net p_σ learns the solver's moves, one ``on_epoch_end`` per epoch;
- ``reinforce_policy``: the RL policy net p_ρ by REINFORCE in self-play against a pool of its earlier
  versions, one per iteration;
- ``regress_value``: the value net v_θ regresses game results z, one per epoch;
- ``zero_training``: AlphaGo Zero's self-play, training and gating, one per iteration.

Each returns its ``LoopHistory`` (the rows a learner sees in history.csv and the report's curves).
"""

from __future__ import annotations

import time
from typing import Sequence

import numpy as np

from ...scratch.board_games import LEE_PLANES, VALUE_PLANES, ZERO_PLANES, LineGame, Solver, State, feature_planes
from ...train.loop import LoopCallbacks, LoopHistory, Silent, end_epoch
from .config import PREFILL_LIMIT, AlphaGoConfig
from .evaluator import all_nonterminal, zero_evaluator
from .selfplay import Examples, augment, move_accuracy, play_policies, policy_mover, zero_selfplay
from .verification import exact_match, greedy_record


def at_iteration(epoch: int, logs: dict) -> str:
    """Where an iteration loop was, for the one-line NaN error."""
    return f"at iteration {logs['iteration']}"


def supervised_policy(step, model, train: Examples, test: Examples, *, epochs: int, batch_size: int,
                      rng: np.random.Generator, callbacks: LoopCallbacks | None = None) -> LoopHistory:
    """Train the SL policy net on the expert's moves with ``step`` (``nn.alphago.policy_train_step``).

    Each epoch logs ``loss``, ``train_accuracy`` and ``test_accuracy`` (``move_accuracy``).
    """
    from ...nn.alphago import forward_function

    callbacks = callbacks or Silent()
    forward = forward_function(model)
    ones = np.ones(batch_size, np.float32)
    history = LoopHistory()
    for epoch in range(epochs):
        order = rng.permutation(len(train.states))
        losses = []
        for i in range(0, len(order), batch_size):
            idx = order[i:i + batch_size]
            losses.append(float(step(train.planes[idx], train.targets[idx], ones[:len(idx)], train.legal[idx])))
        logs = {"loss": float(np.mean(losses)), "train_accuracy": move_accuracy(forward, train),
                "test_accuracy": move_accuracy(forward, test)}
        if end_epoch(callbacks, history, epoch, logs):
            break
    return history


def reinforce_policy(step, game: LineGame, model, opponent, *, iterations: int, games: int, pool_every: int,
                     rng: np.random.Generator, callbacks: LoopCallbacks | None = None) -> LoopHistory:
    """REINFORCE in self-play against a pool of earlier versions (AlphaGo's RL policy net).

    Each iteration draws an opponent from the pool, plays ``games`` games (the learner takes each
    colour in half of them) and ascends Σ z·∇log p_ρ(a|s) over the learner's moves, z = ±1 or 0 the
    result for the learner. The learner's weights join the pool every ``pool_every`` iterations.
    ``step`` is the compiled policy step of ``model`` (``nn.alphago.policy_train_step``), weights = z.
    Each iteration logs ``iteration``, ``opponent``, ``pool``, ``win_rate``, ``loss_rate`` and ``loss``.
    """
    from ...nn.alphago import forward_function

    callbacks = callbacks or Silent()
    me = policy_mover(game, forward_function(model))
    them = policy_mover(game, forward_function(opponent))
    pool = [model.get_weights()]
    seats = np.array([(0, 1) if g % 2 == 0 else (1, 0) for g in range(games)])
    sign = np.where(seats[:, 0] == 0, 1, -1)  # the learner's result = first player's result × sign
    history = LoopHistory()
    for it in range(1, iterations + 1):
        drawn = int(rng.integers(len(pool)))
        opponent.set_weights(pool[drawn])
        results, recorded = play_policies(game, [me, them], seats, rng, record=0)
        z_game = results * sign
        states = [s for _, s, _ in recorded]
        targets = np.zeros((len(states), game.n_actions), np.float32)
        targets[np.arange(len(states)), [a for _, _, a in recorded]] = 1.0
        z = np.array([z_game[g] for g, _, _ in recorded], np.float32)
        loss = float(step(feature_planes(game, states, LEE_PLANES), targets, z, game.legal_mask(states)))
        if it % pool_every == 0:
            pool.append(model.get_weights())
        logs = {"iteration": it, "opponent": drawn, "pool": len(pool), "win_rate": float(np.mean(z_game > 0)),
                "loss_rate": float(np.mean(z_game < 0)), "loss": loss}
        if end_epoch(callbacks, history, it - 1, logs):
            break
    return history


def regress_value(model, states: list, z: np.ndarray, game: LineGame, *, epochs: int, batch_size: int,
                  lr: float, rng: np.random.Generator, truths: dict[str, tuple[list, np.ndarray]],
                  callbacks: LoopCallbacks | None = None) -> LoopHistory:
    """Fit v_θ to the game results by MSE; each epoch also scores it against the solver's values.

    ``truths`` maps a name to (positions, the solver's values there); each gives a column ``mse_NAME``
    beside ``loss``.
    """
    import keras

    from ...nn.alphago import forward_function, value_train_step

    callbacks = callbacks or Silent()
    step = value_train_step(model, keras.optimizers.Adam(lr))
    forward = forward_function(model)
    planes = feature_planes(game, states, VALUE_PLANES)
    truth_planes = {name: feature_planes(game, t[0], VALUE_PLANES) for name, t in truths.items()}
    history = LoopHistory()
    for epoch in range(epochs):
        order = rng.permutation(len(states))
        losses = [float(step(planes[order[i:i + batch_size]], z[order[i:i + batch_size]]))
                  for i in range(0, len(order), batch_size)]
        logs = {"loss": float(np.mean(losses))}
        for name, (_, values) in truths.items():
            pred = np.asarray(forward(truth_planes[name])).reshape(-1)
            logs[f"mse_{name}"] = float(np.mean((pred - values) ** 2))
        if end_epoch(callbacks, history, epoch, logs):
            break
    return history


def train_zero(step, game: LineGame, buffer: list, *, epochs: int, batch_size: int,
               rng: np.random.Generator) -> tuple[float, float, float]:
    """Epochs over the replay buffer [(states, π, z)]: mean (total with L2, cross-entropy, MSE) of the last epoch."""
    states = [s for chunk in buffer for s in chunk[0]]
    pis = np.concatenate([chunk[1] for chunk in buffer])
    zs = np.concatenate([chunk[2] for chunk in buffer])
    planes = feature_planes(game, states, ZERO_PLANES)
    legal = game.legal_mask(states)
    last = (float("nan"),) * 3
    for _ in range(epochs):
        order = rng.permutation(len(states))
        sums = np.zeros(3)
        batches = 0
        for i in range(0, len(order), batch_size):
            idx = order[i:i + batch_size]
            sums += [float(x) for x in step(planes[idx], pis[idx], zs[idx], legal[idx])]
            batches += 1
        last = tuple(sums / max(batches, 1))
    return last


def zero_training(game: LineGame, c: AlphaGoConfig, rng: np.random.Generator, *, seed: int,
                  callbacks: LoopCallbacks | None = None, positions: Sequence[State] | None = None,
                  solver: Solver | None = None, exhaustive: bool = False):
    """AlphaGo Zero's loop: self-play with MCTS on the current best net, train, replace the best net if not worse.

    Each iteration plays ``zero_games`` self-play games, trains the learner on the replay buffer
    (the last ``buffer_iterations`` iterations, every board symmetry), and lets the learner replace
    the self-play net when its exact expected score against it (raw policies at τ = 1, both colours)
    reaches ``gate`` (``gate`` = 0: always). With a ``solver`` each iteration also scores the raw
    policy (no search) against the solver's lines and, if ``exhaustive``, against every line.
    The networks start from the Keras seed ``seed + 3``.

    The exact duel needs every position's policy, so with ``gate`` > 0 each network version is
    evaluated on every position in large batches (also the fast path for tic-tac-toe's search);
    otherwise the search evaluates leaves lazily, ``leaf_batch`` at a time.

    Returns:
        (the best network, its ``LoopHistory`` (one row per iteration), self-play simulations per second).
    """
    import keras

    from ...nn.alphago import policy_value_net, policy_value_train_step

    callbacks = callbacks or Silent()
    if positions is None:
        positions = all_nonterminal(game) if c.gate > 0 or game.n_cells <= 9 else []
    table = c.gate > 0 or len(positions) <= PREFILL_LIMIT

    keras.utils.set_random_seed(seed + 3)
    shape = (game.rows, game.cols, len(ZERO_PLANES))
    learner = policy_value_net(shape, game.n_actions, c.zero_filters, c.blocks, l2=c.l2,
                               name=f"{game.name}_zero_learner")
    best = policy_value_net(shape, game.n_actions, c.zero_filters, c.blocks, l2=c.l2, name=f"{game.name}_zero")
    best.set_weights(learner.get_weights())
    step = policy_value_train_step(learner, keras.optimizers.Adam(c.zero_lr))
    buffer: list = []
    history = LoopHistory()
    sims = secs = 0.0
    best_eval = zero_evaluator(game, best)
    if table:
        best_eval.prefill(positions)
    for it in range(1, c.zero_iterations + 1):
        t_selfplay = time.process_time()
        s_states, s_pi, s_z, results, n_sims, n_secs = zero_selfplay(
            game, best_eval, games=c.zero_games, simulations=c.selfplay_simulations, c_puct=c.c_puct,
            temperature_moves=c.temperature_moves, dirichlet=c.dirichlet, rng=rng, leaf_batch=c.leaf_batch)
        sims, secs = sims + n_sims, secs + n_secs
        buffer.append(augment(game, s_states, s_pi, s_z))
        buffer = buffer[-c.buffer_iterations:]
        t_train = time.process_time()
        total, ce, mse = train_zero(step, game, buffer, epochs=c.zero_epochs, batch_size=c.zero_batch_size, rng=rng)
        t_eval = time.process_time()
        cand_eval = zero_evaluator(game, learner)
        if table:
            cand_eval.prefill(positions)
        if c.gate > 0:
            duel = exact_match(game, cand_eval.policy_of, best_eval.policy_of)
            score = duel["win"] + 0.5 * duel["draw"]
        else:
            score = float("nan")
        accepted = not c.gate > 0 or score >= c.gate
        if accepted:
            best.set_weights(learner.get_weights())
            best_eval = zero_evaluator(game, best)
            best_eval.cache = cand_eval.cache  # same weights, same outputs
        logs = {"iteration": it, "loss": total, "policy_ce": ce, "value_mse": mse,
                "selfplay_positions": len(s_states), "selfplay_draws": float(np.mean(results == 0)),
                "score_vs_previous": score, "accepted": accepted}
        if solver is not None:
            logs.update(greedy_record(game, cand_eval, solver, exhaustive))
        logs.update({"selfplay_cpu_s": t_train - t_selfplay, "train_cpu_s": t_eval - t_train,
                     "evaluate_cpu_s": time.process_time() - t_eval})
        if end_epoch(callbacks, history, it - 1, logs):
            break
    return best, history, (sims / secs if secs else float("nan"))
