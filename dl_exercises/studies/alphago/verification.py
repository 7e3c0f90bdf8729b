"""Deterministic agents and their exhaustive check (Day4 Section2): every line played out, exact rates.

``verify`` plays a deterministic agent (``SearchAgent``: the most visited move of a fresh search)
against every opponent line, or every optimal line of the solver; ``exact_match`` gives two sampling
policies' exact win/draw/loss rates. Nothing here is sampled, so a check can be a target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ...scratch.board_games import ZERO_PLANES, LineGame, Solver, State, enumerate_lines, match_probabilities
from ...scratch.mcts import MCTS, visit_policy
from .evaluator import NetEvaluator


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


def exact_match(game: LineGame, policy_a: Callable[[State], np.ndarray],
                policy_b: Callable[[State], np.ndarray]) -> dict[str, float]:
    """A's exact win/draw/loss rates against B, both sampling their policies, averaged over the two colours."""
    a_first = match_probabilities(game, policy_a, policy_b)
    b_first = match_probabilities(game, policy_b, policy_a)
    return {"win": (a_first[0] + b_first[2]) / 2, "draw": (a_first[1] + b_first[1]) / 2,
            "loss": (a_first[2] + b_first[0]) / 2}


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


def direct_search_speed(game: LineGame, model, simulations: int, c_puct: float, batch_size: int) -> float:
    """Simulations per second when every new leaf goes through the network (no table of positions).

    One search from the opening with an empty cache, ``batch_size`` leaves per compiled call.
    """
    from ...nn.alphago import forward_function

    evaluator = NetEvaluator(game, policy_value=(forward_function(model), ZERO_PLANES))
    result = MCTS(game, evaluator, simulations=simulations, c_puct=c_puct, batch_size=batch_size).search(game.initial())
    return result.simulations / result.seconds
