"""Network calls for search and play (Day4 Section2): ``NetEvaluator`` evaluates each position once per network version.

Networks are called through one ``tf.function`` per network (``nn.alphago.forward_function``), on
batches; for the exhaustive checks and the exact duels every position is evaluated up front, in
large batches (``prefill``).
"""

from __future__ import annotations

import time
from typing import Sequence

import numpy as np

from ...scratch.board_games import ZERO_PLANES, LineGame, State, all_states, feature_planes
from .config import PREFILL_LIMIT


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


def zero_evaluator(game: LineGame, model) -> NetEvaluator:
    from ...nn.alphago import forward_function

    return NetEvaluator(game, policy_value=(forward_function(model), ZERO_PLANES))


def all_nonterminal(game: LineGame) -> list:
    return [s for s in all_states(game) if game.outcome(s) is None]


def prefill(evaluator: NetEvaluator, positions: Sequence[State]) -> None:
    """Evaluate every position at once when the game is small enough (tic-tac-toe), else leave it lazy."""
    if len(positions) <= PREFILL_LIMIT:
        evaluator.prefill(positions)
