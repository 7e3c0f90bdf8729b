"""AlphaGo and AlphaGo Zero in miniature on tic-tac-toe and 4×4 connect-four (Day4 Section2).

The stages of ``day4.alphago`` (``run_pipeline`` runs them in order and returns plain numbers):

- ``supervised_policy``: the SL policy net p_σ learns the solver's moves (the "expert" of AlphaGo's KGS games);
- ``reinforce_policy``: the RL policy net p_ρ starts from p_σ and improves by REINFORCE in self-play
  against networks drawn from a pool of its earlier versions (``exact_match`` scores it against p_σ);
- ``value_positions`` + ``regress_value``: the value net v_θ regresses game results z on positions made as
  the course describes: p_σ plays N moves, one random move, then p_ρ plays to the end;
- AlphaGo's search: ``MCTS`` with p_σ's priors and leaves valued (1 − λ)·v_θ + λ·(random rollout);
- ``zero_training``: AlphaGo Zero: self-play with MCTS on one residual policy-value net, no expert data,
  loss = policy cross-entropy + value MSE + L2, the new net replacing the self-play net when it is not worse;
- ``verify``: the exhaustive check of a deterministic agent (``SearchAgent``) against every opponent line,
  or every optimal line of the solver, with the exact win rate against a uniformly random opponent.

Networks are called through one ``tf.function`` per network (``nn.alphago.forward_function``), on batches;
``NetEvaluator`` caches the outputs per position so that a position is evaluated once per network version
(for the exhaustive checks and the exact duels every position is evaluated up front, in large batches).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ..scratch.board_games import (LEE_PLANES, VALUE_PLANES, ZERO_PLANES, LineGame, Solver, State, all_states,
                                   enumerate_lines, feature_planes, match_probabilities)
from ..scratch.mcts import MCTS, visit_policy


# games with at most this many positions have every position evaluated in one batch per network version
PREFILL_LIMIT = 10_000


def masked_softmax(logits: np.ndarray, legal: np.ndarray) -> np.ndarray:
    """Softmax over the legal actions of each row (rows without a legal action stay uniform)."""
    z = np.where(legal > 0, logits, -np.inf)
    z = z - np.max(np.where(np.isfinite(z), z, -1e30), axis=-1, keepdims=True)
    e = np.where(legal > 0, np.exp(z), 0.0)
    total = e.sum(-1, keepdims=True)
    return np.where(total > 0, e / np.maximum(total, 1e-30), 1.0 / legal.shape[-1])


class NetEvaluator:
    """``states -> (priors, values)`` through compiled network calls, each position evaluated once.

    Args:
        game: the game.
        policy: (forward, planes) of a network returning logits, or None (uniform priors).
        value: (forward, planes) of a network returning values, or None (value 0).
        policy_value: (forward, planes) of one network returning [logits, values] (AlphaGo Zero).
        chunk: the largest batch sent to a network at once.
    """

    def __init__(self, game: LineGame, policy=None, value=None, policy_value=None, chunk: int = 8192) -> None:
        self.game, self.policy, self.value, self.policy_value, self.chunk = game, policy, value, policy_value, chunk
        self.cache: dict[State, tuple[np.ndarray, float]] = {}
        self.calls = 0
        self.evaluated = 0
        self.seconds = 0.0

    def prefill(self, states: Sequence[State]) -> None:
        """Evaluate every non-terminal state of ``states`` not yet cached, in large batches."""
        todo = [s for s in states if s not in self.cache and self.game.outcome(s) is None]
        for i in range(0, len(todo), self.chunk):
            self._compute(todo[i:i + self.chunk])

    def _compute(self, states: list[State]) -> None:
        start = time.perf_counter()
        game = self.game
        legal = game.legal_mask(states)
        n = len(states)
        logits, values = np.zeros((n, game.n_actions), np.float32), np.zeros(n, np.float32)
        if self.policy_value is not None:
            forward, planes = self.policy_value
            out_logits, out_values = forward(feature_planes(game, states, planes))
            logits, values = np.asarray(out_logits), np.asarray(out_values).reshape(-1)
            self.calls += 1
        if self.policy is not None:
            forward, planes = self.policy
            logits = np.asarray(forward(feature_planes(game, states, planes)))
            self.calls += 1
        if self.value is not None:
            forward, planes = self.value
            values = np.asarray(forward(feature_planes(game, states, planes))).reshape(-1)
            self.calls += 1
        priors = masked_softmax(logits, legal)
        for s, p, v in zip(states, priors, values):
            self.cache[s] = (p, float(v))
        self.evaluated += n
        self.seconds += time.perf_counter() - start

    def __call__(self, states: Sequence[State]) -> tuple[np.ndarray, np.ndarray]:
        missing = list(dict.fromkeys(s for s in states if s not in self.cache))
        for i in range(0, len(missing), self.chunk):
            self._compute(missing[i:i + self.chunk])
        rows = [self.cache[s] for s in states]
        return np.stack([r[0] for r in rows]), np.array([r[1] for r in rows])

    def policy_of(self, state: State) -> np.ndarray:
        entry = self.cache.get(state)
        return entry[0] if entry is not None else self([state])[0][0]

    def greedy(self, state: State) -> int:
        """The most probable legal action (the lowest index among ties)."""
        return int(np.argmax(self.policy_of(state)))


def sample_rows(probs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One action per row of ``probs`` (n, A), by inverse transform sampling."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random((len(probs), 1)) * cum[:, -1:]
    return np.minimum((u > cum).sum(axis=1), probs.shape[1] - 1)


# --- the expert's data and the SL policy -----------------------------------------------------


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


def supervised_policy(ctx, step, model, train: Examples, test: Examples, *, epochs: int, batch_size: int,
                      rng: np.random.Generator) -> list[dict]:
    """Train the SL policy net on the expert's moves with ``step`` (``nn.alphago.policy_train_step``); a row per epoch."""
    from ..nn.alphago import forward_function

    forward = forward_function(model)
    ones = np.ones(batch_size, np.float32)
    curve = []
    for epoch in ctx.progress(range(1, epochs + 1), "SL policy"):
        order = rng.permutation(len(train.states))
        losses = []
        for i in range(0, len(order), batch_size):
            idx = order[i:i + batch_size]
            loss = step(train.planes[idx], train.targets[idx], ones[:len(idx)], train.legal[idx])
            losses.append(float(loss))
        loss = ctx.check_finite(np.mean(losses), f"in SL policy epoch {epoch}")
        row = {"run": "sl_policy", "epoch": epoch, "loss": loss,
               "train_accuracy": move_accuracy(forward, train), "test_accuracy": move_accuracy(forward, test)}
        ctx.log(**row)
        curve.append(row)
    return curve


# --- self-play of policies --------------------------------------------------------------------


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


def reinforce_policy(ctx, step, game: LineGame, model, opponent, *, iterations: int, games: int, pool_every: int,
                     rng: np.random.Generator) -> list[dict]:
    """REINFORCE in self-play against a pool of earlier versions (AlphaGo's RL policy net).

    Each iteration draws an opponent from the pool, plays ``games`` games (the learner takes each
    colour in half of them) and ascends Σ z·∇log p_ρ(a|s) over the learner's moves, z = ±1 or 0 the
    result for the learner. The learner's weights join the pool every ``pool_every`` iterations.
    ``step`` is the compiled policy step of ``model`` (``nn.alphago.policy_train_step``), weights = z.
    """
    from ..nn.alphago import forward_function

    me = policy_mover(game, forward_function(model))
    them = policy_mover(game, forward_function(opponent))
    pool = [model.get_weights()]
    seats = np.array([(0, 1) if g % 2 == 0 else (1, 0) for g in range(games)])
    sign = np.where(seats[:, 0] == 0, 1, -1)  # the learner's result = first player's result × sign
    curve = []
    for it in ctx.progress(range(1, iterations + 1), "RL policy"):
        drawn = int(rng.integers(len(pool)))
        opponent.set_weights(pool[drawn])
        results, recorded = play_policies(game, [me, them], seats, rng, record=0)
        z_game = results * sign
        states = [s for _, s, _ in recorded]
        targets = np.zeros((len(states), game.n_actions), np.float32)
        targets[np.arange(len(states)), [a for _, _, a in recorded]] = 1.0
        z = np.array([z_game[g] for g, _, _ in recorded], np.float32)
        loss = step(feature_planes(game, states, LEE_PLANES), targets, z, game.legal_mask(states))
        ctx.check_finite(float(loss), f"in RL policy iteration {it}")
        if it % pool_every == 0:
            pool.append(model.get_weights())
        row = {"run": "rl_policy", "iteration": it, "opponent": drawn, "pool": len(pool),
               "win_rate": float(np.mean(z_game > 0)), "loss_rate": float(np.mean(z_game < 0))}
        ctx.log(**row)
        curve.append(row)
    return curve


def exact_match(game: LineGame, policy_a: Callable[[State], np.ndarray],
                policy_b: Callable[[State], np.ndarray]) -> dict[str, float]:
    """A's exact win/draw/loss rates against B, both sampling their policies, averaged over the two colours."""
    a_first = match_probabilities(game, policy_a, policy_b)
    b_first = match_probabilities(game, policy_b, policy_a)
    return {"win": (a_first[0] + b_first[2]) / 2, "draw": (a_first[1] + b_first[1]) / 2,
            "loss": (a_first[2] + b_first[0]) / 2}


# --- the value net -----------------------------------------------------------------------------


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


def regress_value(ctx, model, states: list, z: np.ndarray, game: LineGame, *, epochs: int, batch_size: int,
                  lr: float, rng: np.random.Generator, truths: dict[str, tuple[list, np.ndarray]]) -> list[dict]:
    """Fit v_θ to the game results by MSE; each epoch also scores it against the solver's values.

    ``truths`` maps a name to (positions, the solver's values there); each gives a column ``mse_NAME``.
    """
    import keras

    from ..nn.alphago import forward_function, value_train_step

    step = value_train_step(model, keras.optimizers.Adam(lr))
    forward = forward_function(model)
    planes = feature_planes(game, states, VALUE_PLANES)
    truth_planes = {name: feature_planes(game, t[0], VALUE_PLANES) for name, t in truths.items()}
    curve = []
    for epoch in ctx.progress(range(1, epochs + 1), "value net"):
        order = rng.permutation(len(states))
        losses = [float(step(planes[order[i:i + batch_size]], z[order[i:i + batch_size]]))
                  for i in range(0, len(order), batch_size)]
        loss = ctx.check_finite(np.mean(losses), f"in value net epoch {epoch}")
        row = {"run": "value", "epoch": epoch, "loss": loss}
        for name, (_, values) in truths.items():
            pred = np.asarray(forward(truth_planes[name])).reshape(-1)
            row[f"mse_{name}"] = float(np.mean((pred - values) ** 2))
        ctx.log(**row)
        curve.append(row)
    return curve


# --- deterministic agents and their exhaustive check ------------------------------------------------


class SearchAgent:
    """A deterministic MCTS player: the most visited action of a fresh search, remembered per position."""

    def __init__(self, mcts: MCTS) -> None:
        self.mcts = mcts
        self.moves: dict[State, int] = {}
        self.simulations = 0
        self.seconds = 0.0

    def __call__(self, state: State) -> int:
        move = self.moves.get(state)
        if move is None:
            result = self.mcts.search(state)
            self.simulations += result.simulations
            self.seconds += result.seconds
            move = int(np.argmax(visit_policy(result.visits, 0.0)))
            self.moves[state] = move
        return move

    @property
    def simulations_per_second(self) -> float:
        return self.simulations / self.seconds if self.seconds else float("nan")


@dataclass
class Verification:
    """What an exhaustive check found for one agent and one colour."""

    agent_first: bool
    opponent: str              # "any" (every line) or "solver" (every optimal solver line)
    lines: list = field(default_factory=list)

    @property
    def games(self) -> int:
        return len(self.lines)

    def count(self, result: str) -> int:
        return sum(1 for line in self.lines if line.result == result)

    def random_rate(self, result: str) -> float:
        """The exact probability of ``result`` against a uniformly random opponent (meaningful for "any")."""
        return float(sum(line.probability for line in self.lines if line.result == result))


def verify(game: LineGame, agent: Callable[[State], int], agent_first: bool, solver: Solver | None = None) -> Verification:
    """Every game of ``agent`` against every opponent line, or against every optimal move of the solver."""
    opponent = None if solver is None else solver.optimal_actions
    lines = list(enumerate_lines(game, agent, agent_first, opponent))
    return Verification(agent_first, "any" if solver is None else "solver", lines)


def verification_records(game: LineGame, checks: Sequence[Verification]) -> list[dict]:
    """One JSON-ready dict per game: {"game", "agent": "first"|"second", "moves", "result"}."""
    return [{"game": game.name, "agent": "first" if c.agent_first else "second", "moves": list(map(int, line.moves)),
             "result": line.result} for c in checks for line in c.lines]


# --- AlphaGo Zero ----------------------------------------------------------------------------------


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


def train_zero(ctx, step, game: LineGame, buffer: list, *, epochs: int, batch_size: int,
               rng: np.random.Generator, where: str) -> tuple[float, float, float]:
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
        ctx.check_finite(last[0], where)
    return last


def zero_evaluator(game: LineGame, model) -> NetEvaluator:
    from ..nn.alphago import forward_function

    return NetEvaluator(game, policy_value=(forward_function(model), ZERO_PLANES))


def all_nonterminal(game: LineGame) -> list:
    return [s for s in all_states(game) if game.outcome(s) is None]


# --- the whole pipeline -----------------------------------------------------------------------------


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


def exact_vs_random(game: LineGame, agent, solver: Solver, exhaustive: bool) -> dict:
    """A deterministic agent's record: every line (if ``exhaustive``) and every optimal solver line, both colours."""
    out = {}
    for first in (True, False):
        side = "first" if first else "second"
        vs_solver = verify(game, agent, first, solver)
        out[f"solver_{side}"] = vs_solver
        if exhaustive:
            out[f"any_{side}"] = verify(game, agent, first)
    return out


def greedy_record(game: LineGame, evaluator: NetEvaluator, solver: Solver, exhaustive: bool) -> dict:
    """The raw policy (most probable move, no search) against random (exact) and the solver, both colours."""
    checks = exact_vs_random(game, evaluator.greedy, solver, exhaustive)
    row = {}
    for side in ("first", "second"):
        s = checks[f"solver_{side}"]
        row[f"solver_losses_{side}"] = s.count("loss")
        row[f"solver_games_{side}"] = s.games
        if exhaustive:
            a = checks[f"any_{side}"]
            row[f"random_win_{side}"] = a.random_rate("win")
            row[f"random_draw_{side}"] = a.random_rate("draw")
            row[f"losing_lines_{side}"] = a.count("loss")
    return row


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(clock: tuple[float, float]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the whole process) since ``clock``."""
    return time.perf_counter() - clock[0], time.process_time() - clock[1]


def run_pipeline(ctx, game: LineGame, p: dict) -> PipelineResult:
    """The AlphaGo stages, then AlphaGo Zero, on ``game`` with the exercise's parameters ``p``."""
    import keras

    from ..nn.alphago import forward_function, policy_net, policy_train_step, value_net

    rng = np.random.default_rng(ctx.seed)
    out = PipelineResult(game)
    clock = _clock()
    solver = Solver(game)
    out.solver_seconds = _since(clock)[0]
    states = all_states(game)
    positions = [s for s in states if game.outcome(s) is None]
    out.positions = len(positions)
    truth = (positions, np.array([solver.value(s) for s in positions], np.float32))
    exhaustive = p["exhaustive"]
    shape = (game.rows, game.cols)

    # 1. SL policy net on the solver's moves
    clock = _clock()
    train, test = expert_examples(game, solver, states, rng, p["test_fraction"])
    ctx.reseed(1)
    lee_shape = (*shape, len(LEE_PLANES))
    # one network object is trained twice: as p_σ by supervised learning, then in place as p_ρ by
    # REINFORCE (AlphaGo initialises p_ρ to p_σ); ``sl`` keeps a frozen copy of p_σ. One compiled step serves both.
    learner = policy_net(lee_shape, game.n_actions, p["filters"], p["layers"], name=f"{game.name}_rl_policy")
    optimizer = keras.optimizers.Adam(p["lr"])
    policy_step = policy_train_step(learner, optimizer)
    out.curves["sl"] = supervised_policy(ctx, policy_step, learner, train, test, epochs=p["sl_epochs"],
                                         batch_size=p["batch_size"], rng=rng)
    out.stages["sl"] = {"train_positions": len(train.states), "test_positions": len(test.states),
                        **{k: out.curves["sl"][-1][k] for k in ("train_accuracy", "test_accuracy")}}
    sl = policy_net(lee_shape, game.n_actions, p["filters"], p["layers"], name=f"{game.name}_sl_policy")
    sl.set_weights(learner.get_weights())
    out.models["sl_policy"] = sl
    out.timings["sl"] = _since(clock)

    # 2. RL policy net: REINFORCE against a pool of its earlier versions, starting from the SL weights
    clock = _clock()
    rl = learner
    opponent = policy_net(lee_shape, game.n_actions, p["filters"], p["layers"], name="pool_opponent")
    optimizer.learning_rate = p["rl_lr"]
    out.curves["rl"] = reinforce_policy(ctx, policy_step, game, rl, opponent, iterations=p["rl_iterations"],
                                        games=p["rl_games"], pool_every=p["pool_every"], rng=rng)
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
    v_states, v_z = value_positions(game, to_probs(sl_eval), to_probs(rl_eval), p["value_games"], rng)
    # positions of further games made the same way: what the value net is for (it sees the solver on neither)
    held, _ = value_positions(game, to_probs(sl_eval), to_probs(rl_eval), max(100, p["value_games"] // 3), rng)
    held_truth = (held, np.array([solver.value(s) for s in held], np.float32))
    ctx.reseed(2)
    value = value_net((*shape, len(VALUE_PLANES)), p["filters"], p["layers"], name=f"{game.name}_value")
    out.curves["value"] = regress_value(ctx, value, v_states, v_z, game, epochs=p["value_epochs"],
                                        batch_size=p["batch_size"], lr=p["lr"], rng=rng,
                                        truths={"held_out": held_truth, "all": truth})
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
    ag_agent = SearchAgent(MCTS(game, ag_eval, simulations=p["simulations"], c_puct=p["c_puct"],
                                rollouts=p["rollouts"], mixing=p["mixing"]))
    out.checks["alphago"] = exact_vs_random(game, ag_agent, solver, exhaustive)
    out.search_speed["alphago"] = ag_agent.simulations_per_second
    out.timings["alphago_mcts"] = _since(clock)

    # 5. AlphaGo Zero: self-play with MCTS only
    clock = _clock()
    best, out.curves["zero"], out.search_speed["zero_selfplay"] = zero_training(
        ctx, game, p, rng, positions=positions, solver=solver, exhaustive=exhaustive)
    out.timings["zero_training"] = _since(clock)

    # the final agent: MCTS on the last accepted network, most visited move
    clock = _clock()
    final_eval = zero_evaluator(game, best)
    final_eval.prefill(positions)  # every position in large batches: the check's searches only look up
    agent = SearchAgent(MCTS(game, final_eval, simulations=p["simulations"], c_puct=p["c_puct"]))
    out.checks["zero"] = exact_vs_random(game, agent, solver, exhaustive)
    out.search_speed["zero"] = agent.simulations_per_second
    for batch in (1, 8):
        out.search_speed[f"zero_direct_batch{batch}"] = direct_search_speed(game, best, p["simulations"], p["c_puct"], batch)
    out.models["zero"] = best
    out.timings["zero_check"] = _since(clock)
    return out


def prefill(evaluator: NetEvaluator, positions: Sequence[State]) -> None:
    """Evaluate every position at once when the game is small enough (tic-tac-toe), else leave it lazy."""
    if len(positions) <= PREFILL_LIMIT:
        evaluator.prefill(positions)


def zero_training(ctx, game: LineGame, p: dict, rng: np.random.Generator, *, positions: Sequence[State] | None = None,
                  solver: Solver | None = None, exhaustive: bool = False):
    """AlphaGo Zero's loop: self-play with MCTS on the current best net, train, replace the best net if not worse.

    Each iteration plays ``zero_games`` self-play games, trains the learner on the replay buffer
    (the last ``buffer_iterations`` iterations, every board symmetry), and lets the learner replace
    the self-play net when its exact expected score against it (raw policies at τ = 1, both colours)
    reaches ``gate`` (``gate`` = 0: always). With a ``solver`` each iteration also scores the raw
    policy (no search) against the solver's lines and, if ``exhaustive``, against every line.

    The exact duel needs every position's policy, so with ``gate`` > 0 each network version is
    evaluated on every position in large batches (also the fast path for tic-tac-toe's search);
    otherwise the search evaluates leaves lazily, ``leaf_batch`` at a time.

    Returns:
        (the best network, one row per iteration, self-play simulations per second).
    """
    import keras

    from ..nn.alphago import policy_value_net, policy_value_train_step

    if positions is None:
        positions = all_nonterminal(game) if p["gate"] > 0 or game.n_cells <= 9 else []
    table = p["gate"] > 0 or len(positions) <= PREFILL_LIMIT

    ctx.reseed(3)
    shape = (game.rows, game.cols, len(ZERO_PLANES))
    learner = policy_value_net(shape, game.n_actions, p["zero_filters"], p["blocks"], l2=p["l2"],
                               name=f"{game.name}_zero_learner")
    best = policy_value_net(shape, game.n_actions, p["zero_filters"], p["blocks"], l2=p["l2"], name=f"{game.name}_zero")
    best.set_weights(learner.get_weights())
    step = policy_value_train_step(learner, keras.optimizers.Adam(p["zero_lr"]))
    buffer: list = []
    curve = []
    sims = secs = 0.0
    best_eval = zero_evaluator(game, best)
    if table:
        best_eval.prefill(positions)
    for it in ctx.progress(range(1, p["zero_iterations"] + 1), "AlphaGo Zero"):
        t_selfplay = time.process_time()
        s_states, s_pi, s_z, results, n_sims, n_secs = zero_selfplay(
            game, best_eval, games=p["zero_games"], simulations=p["selfplay_simulations"], c_puct=p["c_puct"],
            temperature_moves=p["temperature_moves"], dirichlet=p["dirichlet"], rng=rng, leaf_batch=p["leaf_batch"])
        sims, secs = sims + n_sims, secs + n_secs
        buffer.append(augment(game, s_states, s_pi, s_z))
        buffer = buffer[-p["buffer_iterations"]:]
        t_train = time.process_time()
        total, ce, mse = train_zero(ctx, step, game, buffer, epochs=p["zero_epochs"], batch_size=p["zero_batch_size"],
                                    rng=rng, where=f"in AlphaGo Zero iteration {it}")
        t_eval = time.process_time()
        cand_eval = zero_evaluator(game, learner)
        if table:
            cand_eval.prefill(positions)
        if p["gate"] > 0:
            duel = exact_match(game, cand_eval.policy_of, best_eval.policy_of)
            score = duel["win"] + 0.5 * duel["draw"]
        else:
            score = float("nan")
        accepted = not p["gate"] > 0 or score >= p["gate"]
        if accepted:
            best.set_weights(learner.get_weights())
            best_eval = zero_evaluator(game, best)
            best_eval.cache = cand_eval.cache  # same weights, same outputs
        row = {"run": "zero", "iteration": it, "loss": total, "policy_ce": ce, "value_mse": mse,
               "selfplay_positions": len(s_states), "selfplay_draws": float(np.mean(results == 0)),
               "score_vs_previous": score, "accepted": accepted}
        if solver is not None:
            row.update(greedy_record(game, cand_eval, solver, exhaustive))
        row.update({"selfplay_cpu_s": t_train - t_selfplay, "train_cpu_s": t_eval - t_train,
                    "evaluate_cpu_s": time.process_time() - t_eval})
        ctx.log(**row)
        curve.append(row)
    return best, curve, (sims / secs if secs else float("nan"))


def direct_search_speed(game: LineGame, model, simulations: int, c_puct: float, batch_size: int) -> float:
    """Simulations per second when every new leaf goes through the network (no table of positions).

    One search from the opening with an empty cache, ``batch_size`` leaves per compiled call.
    """
    from ..nn.alphago import forward_function

    evaluator = NetEvaluator(game, policy_value=(forward_function(model), ZERO_PLANES))
    result = MCTS(game, evaluator, simulations=simulations, c_puct=c_puct, batch_size=batch_size).search(game.initial())
    return result.simulations / result.seconds
