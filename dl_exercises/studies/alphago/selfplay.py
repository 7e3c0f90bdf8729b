"""The positions the networks of day4.alphago learn from (Day4 Section2): games, not training.

- the expert's moves for the SL policy net p_σ (``expert_examples``: the solver's best moves);
- games between policies (``play_policies``), for REINFORCE's self-play against the pool;
- the value net's positions made as the course describes (``value_positions``: p_σ, one random
  move, then p_ρ);
- AlphaGo Zero's self-play with MCTS (``zero_selfplay``) and its symmetries (``augment``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ...scratch.board_games import LEE_PLANES, LineGame, Solver, State, feature_planes
from ...scratch.mcts import MCTS, visit_policy
from .evaluator import NetEvaluator, masked_softmax, sample_rows


@dataclass
class Examples:
    states: list
    planes: np.ndarray     # (n, rows, cols, planes)
    targets: np.ndarray    # (n, A): the solver's best moves, uniform over ties
    legal: np.ndarray      # (n, A)


def expert_examples(game: LineGame, solver: Solver, states: Sequence[State], rng: np.random.Generator,
                    test_fraction: float) -> tuple[Examples, Examples]:
    """Every non-terminal position labelled with the solver's best moves, split by symmetry class.

    A position and its mirror images fall on the same side of the split, so the held-out accuracy
    measures generalisation to positions never seen in any orientation.
    """
    positions = [s for s in states if game.outcome(s) is None]
    classes = sorted({game.canonical(s) for s in positions})
    order = rng.permutation(len(classes))
    n_test = int(round(test_fraction * len(classes)))
    test_classes = {classes[i] for i in order[:n_test]}
    split = {True: [], False: []}
    for s in positions:
        split[game.canonical(s) in test_classes].append(s)

    def build(chosen):
        targets = np.zeros((len(chosen), game.n_actions), np.float32)
        for i, s in enumerate(chosen):
            best = solver.best_actions(s)
            targets[i, best] = 1.0 / len(best)
        return Examples(chosen, feature_planes(game, chosen, LEE_PLANES), targets, game.legal_mask(chosen))

    return build(split[False]), build(split[True])


def move_accuracy(forward, examples: Examples) -> float:
    """Share of positions whose most probable legal move is one of the solver's best moves."""
    if not examples.states:
        return float("nan")
    logits = np.asarray(forward(examples.planes))
    choice = np.argmax(np.where(examples.legal > 0, logits, -np.inf), axis=1)
    return float(np.mean(examples.targets[np.arange(len(choice)), choice] > 0))


def play_policies(game: LineGame, movers: Sequence[Callable[[list], np.ndarray]], seats: np.ndarray,
                  rng: np.random.Generator, record: int | None = None):
    """Play ``len(seats)`` games at once, all positions of one ply evaluated together.

    Args:
        movers: callables ``states -> probabilities (n, A)``; ``seats[g]`` = (mover of the first player,
            mover of the second player) in game g.
        record: the index of the mover whose positions and moves are returned.
    Returns:
        (results (n,) +1/0/−1 from the first player, recorded (game, state, action) triples).
    """
    n = len(seats)
    states = [game.initial()] * n
    results = np.zeros(n, np.int8)
    active = list(range(n))
    recorded = []
    while active:
        by_mover: dict[int, list[int]] = {}
        for g in active:
            by_mover.setdefault(int(seats[g][game.to_move(states[g])]), []).append(g)
        for m, games in by_mover.items():
            probs = movers[m]([states[g] for g in games])
            actions = sample_rows(probs, rng)
            for g, a in zip(games, actions):
                if m == record:
                    recorded.append((g, states[g], int(a)))
                states[g], done, reward = game.step(states[g], int(a))
                if done:
                    results[g] = 0 if not reward else (1 if game.to_move(states[g]) == 1 else -1)
        active = [g for g in active if game.outcome(states[g]) is None]
    return results, recorded


def policy_mover(game: LineGame, forward, planes=LEE_PLANES):
    """``states -> probabilities`` of a policy net at temperature 1, through its compiled call."""
    def move(states):
        logits = np.asarray(forward(feature_planes(game, states, planes)))
        return masked_softmax(logits, game.legal_mask(states))
    return move


def value_positions(game: LineGame, sl: Callable, rl: Callable, n_games: int,
                    rng: np.random.Generator) -> tuple[list, np.ndarray]:
    """The course's recipe: p_σ plays U moves, one uniformly random move, p_ρ plays on; keep (S_{U+1}, z).

    One position per game (consecutive positions of a game are nearly the same example).
    ``sl`` and ``rl`` map states to probabilities. Returns the positions and z for the player to move there.
    """
    max_u = game.n_cells - 2
    u = rng.integers(0, max_u + 1, n_games)
    states = [game.initial()] * n_games
    kept: list = [None] * n_games
    sides = np.zeros(n_games, np.int8)
    results = np.zeros(n_games, np.int8)
    active = list(range(n_games))
    ply = 0
    while active:
        groups: dict[str, list[int]] = {"sl": [], "random": [], "rl": []}
        for g in active:
            groups["sl" if ply < u[g] else "random" if ply == u[g] else "rl"].append(g)
        for kind, games in groups.items():
            if not games:
                continue
            batch = [states[g] for g in games]
            if kind == "random":
                probs = game.legal_mask(batch)
            else:
                probs = (sl if kind == "sl" else rl)(batch)
            for g, a in zip(games, sample_rows(probs, rng)):
                states[g], done, reward = game.step(states[g], int(a))
                if kind == "random" and not done:
                    kept[g], sides[g] = states[g], game.to_move(states[g])
                if done:
                    results[g] = 0 if not reward else (1 if game.to_move(states[g]) == 1 else -1)
        ply += 1
        active = [g for g in active if game.outcome(states[g]) is None]
    chosen = [g for g in range(n_games) if kept[g] is not None]
    z = np.array([results[g] * (1 if sides[g] == 0 else -1) for g in chosen], np.float32)
    return [kept[g] for g in chosen], z


def zero_selfplay(game: LineGame, evaluator: NetEvaluator, *, games: int, simulations: int, c_puct: float,
                  temperature_moves: int, dirichlet: float, rng: np.random.Generator, leaf_batch: int = 1):
    """Self-play games with MCTS: (states, π targets, z) with z for the player to move in each state.

    The visit counts at τ = 1 are the policy target; moves are drawn from them for the first
    ``temperature_moves`` plies and are the most visited move after that; Dirichlet noise on the
    root's priors keeps self-play exploring.
    """
    mcts = MCTS(game, evaluator, simulations=simulations, c_puct=c_puct, dirichlet_alpha=dirichlet,
                batch_size=leaf_batch, seed=int(rng.integers(2**31)))
    states, pis, zs = [], [], []
    results = []
    sims, secs = 0, 0.0
    for _ in range(games):
        state, trajectory = game.initial(), []
        while game.outcome(state) is None:
            res = mcts.search(state)
            sims, secs = sims + res.simulations, secs + res.seconds
            pi = visit_policy(res.visits, 1.0)
            ply = game.stones(state)
            action = int(rng.choice(len(pi), p=pi)) if ply < temperature_moves else int(np.argmax(res.visits))
            trajectory.append((state, pi))
            state = game.play(state, action)
        outcome = game.outcome(state)
        results.append(outcome)
        for s, pi in trajectory:
            states.append(s)
            pis.append(pi)
            zs.append(outcome * (1 if game.to_move(s) == 0 else -1))
    return states, np.array(pis, np.float32), np.array(zs, np.float32), np.array(results), sims, secs


def augment(game: LineGame, states: list, pis: np.ndarray, zs: np.ndarray):
    """Every example under every symmetry of the board (8 for tic-tac-toe, 2 for connect-four)."""
    out_states, out_pis = [], []
    for sym, perm in enumerate(game.action_symmetries):
        out_states.extend(game.transform(s, sym) for s in states)
        out_pis.append(pis[:, perm])
    n = len(game.action_symmetries)
    return out_states, np.concatenate(out_pis), np.tile(zs, n)
