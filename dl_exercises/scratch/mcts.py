"""Monte Carlo tree search with PUCT selection, as in AlphaGo and AlphaGo Zero (Day4 Section2).

One simulation walks from the root to a leaf and back:

1. **selection**: at each node take the action maximising Q(s, a) + U(s, a) with
   U = c_puct · P(s, a) · √N(s) / (1 + N(s, a)), where N(s) is the node's visit count
   (the PUCT rule of AlphaGo, and of AlphaGo Zero);
2. **expansion**: a leaf gets one child edge per legal action, with the evaluator's
   prior probabilities P(s, ·) (uniform without an evaluator);
3. **evaluation**: the evaluator's value v(s) (AlphaGo Zero), the result z of a random
   rollout, or AlphaGo Lee's mixture (1 − λ)·v(s) + λ·z; a finished game is scored exactly;
4. **backup**: every edge on the path adds the value to W and 1 to N, the value's sign
   flipping at each ply because the players alternate (Q = W / N for the player who moves).

Moves are then chosen from the root's visit counts: π(a) ∝ N(a)^(1/τ), and the most
visited action when τ = 0.

The evaluator is any callable ``states -> (priors (n, n_actions), values (n,))``, values
for the player to move in each state, so this module stays pure numpy: a Keras network
is wrapped outside (``dl_exercises.studies.alphago.evaluator``). Leaves are evaluated in batches of
``batch_size`` with a virtual loss keeping the simulations of one batch apart.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .board_games import LineGame, State

Evaluator = Callable[[Sequence[State]], tuple[np.ndarray, np.ndarray]]


class Node:
    """A search-tree node: the state, its edges (one per legal action) and their statistics.

    ``visits`` counts the simulations that reached the node (its expansion included); the edge
    arrays ``N`` and ``W`` hold visit counts and summed values for the player to move here.
    """

    __slots__ = ("state", "terminal", "value", "actions", "P", "N", "W", "children", "visits")

    def __init__(self, state: State, terminal: float | None) -> None:
        self.state = state
        self.terminal = terminal          # exact value for the player to move when the game is over
        self.value = 0.0                  # the evaluation this node got when it was expanded
        self.actions: list[int] = []
        self.P: list[float] = []
        self.N: list[int] = []
        self.W: list[float] = []
        self.children: list[Node | None] = []
        self.visits = 0

    @property
    def expanded(self) -> bool:
        return bool(self.actions)

    def q(self, i: int) -> float:
        return self.W[i] / self.N[i] if self.N[i] else 0.0


@dataclass
class SearchResult:
    """What one search returns: visit counts and mean values per action, over ``game.n_actions``."""

    visits: np.ndarray       # (n_actions,) int
    q: np.ndarray            # (n_actions,) mean value for the player to move (0 where unvisited)
    priors: np.ndarray       # (n_actions,) the root's prior
    root_value: float        # the root's own evaluation
    simulations: int
    evaluations: int         # leaf states passed to the evaluator
    seconds: float
    root: Node


def visit_policy(visits: np.ndarray, temperature: float) -> np.ndarray:
    """π(a) ∝ N(a)^(1/τ); τ = 0 puts all mass on the most visited action (the lowest index among ties)."""
    visits = np.asarray(visits, float)
    if visits.sum() <= 0:
        raise ValueError(f"no visits to choose from, Received: visits={visits.tolist()}")
    if temperature <= 0:
        out = np.zeros_like(visits)
        out[int(np.argmax(visits))] = 1.0
        return out
    scaled = np.power(visits / visits.max(), 1.0 / temperature)
    return scaled / scaled.sum()


def random_rollout(game: LineGame, state: State, rng: random.Random) -> float:
    """Play uniformly random moves to the end; the result for the player to move in ``state``."""
    sign = 1.0
    while True:
        moves = game.moves(state)
        state, done, reward = game.step(state, moves[rng.randrange(len(moves))])
        if done:
            return sign * reward
        sign = -sign


class MCTS:
    """PUCT tree search over a ``LineGame``.

    Args:
        game: the game.
        evaluator: ``states -> (priors, values)``; None means uniform priors and value 0
            (then only rollouts evaluate).
        simulations: simulations per search (≥ 1).
        c_puct: exploration constant c in U = c·P·√N / (1 + n) (> 0).
        rollouts: random rollouts per leaf (0: none, AlphaGo Zero).
        mixing: λ of AlphaGo Lee's leaf value (1 − λ)·v + λ·z; used when there are both an
            evaluator and rollouts (without an evaluator, z alone).
        batch_size: leaves evaluated together per evaluator call (virtual loss between them).
        dirichlet_alpha, dirichlet_weight: root noise P ← (1 − ε)·P + ε·Dir(α) for self-play; 0 = none.
        seed: seeds one stream of rollouts and noise shared by successive searches (self-play); None
            seeds each search from its root state, so that a search is a function of the position alone.
    """

    def __init__(self, game: LineGame, evaluator: Evaluator | None = None, *, simulations: int = 100,
                 c_puct: float = 1.5, rollouts: int = 0, mixing: float = 0.5, batch_size: int = 1,
                 dirichlet_alpha: float = 0.0, dirichlet_weight: float = 0.25, seed: int | None = None) -> None:
        if simulations < 1:
            raise ValueError(f"simulations must be >= 1, Received: simulations={simulations}")
        if not c_puct > 0:
            raise ValueError(f"c_puct must be > 0, Received: c_puct={c_puct}")
        if rollouts < 0 or batch_size < 1 or not 0.0 <= mixing <= 1.0:
            raise ValueError(f"Received: rollouts={rollouts}, batch_size={batch_size}, mixing={mixing}")
        if evaluator is None and rollouts == 0:
            mixing = 0.0  # nothing evaluates: every non-terminal leaf is worth 0 and only terminal positions count
        self.game, self.evaluator = game, evaluator
        self.simulations, self.c_puct, self.rollouts = simulations, float(c_puct), rollouts
        self.mixing = mixing if evaluator is not None else (1.0 if rollouts else 0.0)
        self.batch_size = batch_size
        self.dirichlet_alpha, self.dirichlet_weight = dirichlet_alpha, dirichlet_weight
        self._rng = random.Random(seed) if seed is not None else None
        self.evaluations = 0

    # --- evaluation ---------------------------------------------------------------------
    def _evaluate(self, nodes: list[Node], rng: random.Random) -> None:
        """Expand ``nodes`` (non-terminal leaves): set priors and each node's value."""
        game = self.game
        if self.evaluator is not None:
            priors, values = self.evaluator([n.state for n in nodes])
            self.evaluations += len(nodes)
        else:
            priors, values = None, None
        for i, node in enumerate(nodes):
            actions = game.moves(node.state)
            if priors is None:
                p = [1.0 / len(actions)] * len(actions)
            else:
                row = priors[i]
                p = [float(row[a]) for a in actions]
                total = sum(p)
                p = [x / total for x in p] if total > 0 else [1.0 / len(actions)] * len(actions)
            v = 0.0 if values is None else float(values[i])
            if self.rollouts:
                z = sum(random_rollout(game, node.state, rng) for _ in range(self.rollouts)) / self.rollouts
                v = (1.0 - self.mixing) * v + self.mixing * z
            node.actions, node.P = actions, p
            node.N, node.W = [0] * len(actions), [0.0] * len(actions)
            node.children = [None] * len(actions)
            node.value = v

    def _select(self, node: Node) -> int:
        sqrt_n = math.sqrt(node.visits)
        c, best, best_i = self.c_puct, -math.inf, 0
        P, N, W = node.P, node.N, node.W
        for i in range(len(P)):
            n = N[i]
            score = (W[i] / n if n else 0.0) + c * P[i] * sqrt_n / (1 + n)
            if score > best:
                best, best_i = score, i
        return best_i

    def _child(self, node: Node, i: int) -> Node:
        child = node.children[i]
        if child is None:
            state, done, reward = self.game.step(node.state, node.actions[i])
            # a finished game is worth −1 to the player to move when the mover won it, else 0 (draw)
            child = Node(state, (-reward if done else None))
            node.children[i] = child
        return child

    # --- search ---------------------------------------------------------------------------
    def search(self, state: State) -> SearchResult:
        """Run ``simulations`` simulations from ``state`` (which must not be finished)."""
        game = self.game
        if game.outcome(state) is not None:
            raise ValueError("the game is over: nothing to search")
        start = time.perf_counter()
        self.evaluations = 0
        # a tuple of ints hashes the same in every process (no hash randomisation for ints)
        rng = self._rng if self._rng is not None else random.Random(hash(state) & 0xFFFFFFFF)
        root = Node(state, None)
        self._evaluate([root], rng)
        root.visits = 1
        if self.dirichlet_alpha > 0 and len(root.actions) > 1:
            noise = np.random.default_rng(rng.getrandbits(32)).dirichlet([self.dirichlet_alpha] * len(root.actions))
            eps = self.dirichlet_weight
            root.P = [(1 - eps) * p + eps * float(n) for p, n in zip(root.P, noise)]
        done = 0
        while done < self.simulations:
            batch = min(self.batch_size, self.simulations - done)
            done += self._simulate_batch(root, batch, rng)
        visits = np.zeros(game.n_actions, np.int64)
        q = np.zeros(game.n_actions)
        priors = np.zeros(game.n_actions)
        for i, a in enumerate(root.actions):
            visits[a], q[a], priors[a] = root.N[i], root.q(i), root.P[i]
        return SearchResult(visits, q, priors, root.value, done, self.evaluations,
                            time.perf_counter() - start, root)

    def _simulate_batch(self, root: Node, batch: int, rng: random.Random) -> int:
        """Descend ``batch`` times with a virtual loss on each path, evaluate the new leaves together, back up."""
        paths: list[tuple[list[tuple[Node, int]], Node]] = []
        pending: set[int] = set()
        for _ in range(batch):
            node, path = root, []
            while node.expanded and node.terminal is None:
                i = self._select(node)
                path.append((node, i))
                node = self._child(node, i)
            if node.terminal is None and id(node) in pending:
                break  # the batch has converged on one leaf: evaluate what we have
            if node.terminal is None:
                pending.add(id(node))
            for parent, i in path:  # virtual loss: count the visit now, as a loss for the mover
                parent.N[i] += 1
                parent.W[i] -= 1.0
                parent.visits += 1
            paths.append((path, node))
        leaves = [leaf for _, leaf in paths if leaf.terminal is None and not leaf.expanded]
        if leaves:
            self._evaluate(leaves, rng)
        for path, leaf in paths:
            value = leaf.terminal if leaf.terminal is not None else leaf.value
            leaf.visits += 1
            for parent, i in reversed(path):
                value = -value                 # the parent's mover sees the child's value negated
                parent.W[i] += 1.0 + value     # undo the virtual loss, add the real value
        return len(paths)

    def choose(self, state: State, temperature: float = 0.0,
               rng: np.random.Generator | None = None) -> tuple[int, SearchResult]:
        """Search, then pick an action from the visit counts at ``temperature``."""
        result = self.search(state)
        pi = visit_policy(result.visits, temperature)
        if temperature <= 0:
            return int(np.argmax(pi)), result
        rng = rng if rng is not None else np.random.default_rng()
        return int(rng.choice(len(pi), p=pi)), result
