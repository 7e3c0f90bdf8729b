"""Small board games for the AlphaGo exercise, their exhaustive solvers and exact match statistics (Day4 Section2).

Two games stand in for Go: tic-tac-toe (3×3, three in a row) and connect-four on a
4×4 board (four in a row, stones fall to the lowest empty cell of a column). Both are
small enough to solve completely, so every claim about an agent's strength can be
proved by enumeration rather than estimated by sampling.

A state is a pair of bitboards ``(first, second)``: bit ``i`` is cell ``i`` in
row-major order (row 0 at the top). The player to move is the first player when the
number of stones is even. Actions are cells (tic-tac-toe) or columns (connect-four).

Values follow one convention everywhere: a value is from the point of view of the
player to move (+1 win, 0 draw, −1 loss), so a child's value is negated for its
parent (negamax).

Nothing here imports TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

State = tuple  # (first_bits, second_bits)


class LineGame:
    """A two-player game won by ``k`` stones in a line on a ``rows × cols`` board.

    Args:
        name: "tictactoe" or "connect4" (used in files and messages).
        rows, cols: board size; k: stones in a row that win.
        gravity: True for connect-four (an action is a column), False for tic-tac-toe (an action is a cell).
    """

    def __init__(self, name: str, rows: int, cols: int, k: int, gravity: bool) -> None:
        if rows < 1 or cols < 1 or k < 2 or k > max(rows, cols):
            raise ValueError(f"invalid board, Received: rows={rows}, cols={cols}, k={k}")
        self.name, self.rows, self.cols, self.k, self.gravity = name, rows, cols, k, gravity
        self.n_cells = rows * cols
        self.n_actions = cols if gravity else self.n_cells
        self.full = (1 << self.n_cells) - 1
        self.lines = self._lines()
        # the lines through each cell: after a move only these can have been completed
        self.cell_lines = [[m for m in self.lines if m >> c & 1] for c in range(self.n_cells)]
        self.cell_symmetries, self.action_symmetries = self._symmetries()

    # --- construction ---------------------------------------------------------------
    def _lines(self) -> list[int]:
        lines = []
        for r in range(self.rows):
            for c in range(self.cols):
                for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
                    cells = [(r + i * dr, c + i * dc) for i in range(self.k)]
                    if all(0 <= rr < self.rows and 0 <= cc < self.cols for rr, cc in cells):
                        lines.append(sum(1 << (rr * self.cols + cc) for rr, cc in cells))
        return lines

    def _symmetries(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Permutations ``perm`` with ``new_board.flat[i] = board.flat[perm[i]]`` that map the game onto itself."""
        grid = np.arange(self.n_cells).reshape(self.rows, self.cols)
        if self.gravity:  # only the left-right mirror keeps the direction of gravity
            grids = [grid, grid[:, ::-1]]
            actions = [np.arange(self.cols), np.arange(self.cols)[::-1].copy()]
        else:
            grids = []
            for flip in (False, True):
                g = grid.T if flip else grid
                for turn in range(4):
                    grids.append(np.rot90(g, turn))
            actions = [g.reshape(-1).copy() for g in grids]
        return [g.reshape(-1).copy() for g in grids], actions

    # --- rules ----------------------------------------------------------------------
    def initial(self) -> State:
        return (0, 0)

    @staticmethod
    def stones(state: State) -> int:
        return (state[0] | state[1]).bit_count()

    def to_move(self, state: State) -> int:
        """0 when the first player moves, 1 when the second does."""
        return self.stones(state) & 1

    def cell_of(self, state: State, action: int) -> int:
        """The cell an action fills (connect-four: the lowest empty cell of the column); −1 if illegal."""
        occupied = state[0] | state[1]
        if not self.gravity:
            return action if 0 <= action < self.n_cells and not occupied >> action & 1 else -1
        if not 0 <= action < self.cols:
            return -1
        for r in range(self.rows - 1, -1, -1):
            cell = r * self.cols + action
            if not occupied >> cell & 1:
                return cell
        return -1

    def legal_actions(self, state: State) -> list[int]:
        """Legal actions in increasing order (none once the game is over)."""
        if self.outcome(state) is not None:
            return []
        return self.moves(state)

    def moves(self, state: State) -> list[int]:
        """The actions with room on the board, without asking whether the game is already won (fast path)."""
        occupied = state[0] | state[1]
        if self.gravity:  # a column is full when its top cell (row 0) is
            return [c for c in range(self.cols) if not occupied >> c & 1]
        return [c for c in range(self.n_cells) if not occupied >> c & 1]

    def play(self, state: State, action: int) -> State:
        """The state after the player to move takes ``action``; ``ValueError`` if it is illegal."""
        cell = self.cell_of(state, action)
        if cell < 0 or self.outcome(state) is not None:
            raise ValueError(f"illegal action, Received: action={action}")
        return self._place(state, cell)

    def _place(self, state: State, cell: int) -> State:
        bit = 1 << cell
        return (state[0] | bit, state[1]) if self.to_move(state) == 0 else (state[0], state[1] | bit)

    def step(self, state: State, action: int) -> tuple[State, bool, float]:
        """``(next_state, done, reward)``, reward for the player who moved: 1 win, 0 otherwise (no legality check)."""
        cell = self.cell_of(state, action)
        mover = self.to_move(state)
        nxt = self._place(state, cell)
        mine = nxt[mover]
        if any(mine & m == m for m in self.cell_lines[cell]):
            return nxt, True, 1.0
        return nxt, (nxt[0] | nxt[1]) == self.full, 0.0

    def wins(self, bits: int) -> bool:
        return any(bits & m == m for m in self.lines)

    def outcome(self, state: State) -> int | None:
        """+1 if the first player has won, −1 if the second has, 0 for a draw, None while the game goes on."""
        if self.wins(state[0]):
            return 1
        if self.wins(state[1]):
            return -1
        return 0 if (state[0] | state[1]) == self.full else None

    def terminal_value(self, state: State) -> float | None:
        """The finished game's value for the player to move (−1: the previous mover won; 0: draw), or None."""
        result = self.outcome(state)
        if result is None:
            return None
        return 0.0 if result == 0 else (-1.0 if (result == 1) == (self.to_move(state) == 1) else 1.0)

    # --- views ----------------------------------------------------------------------
    def board(self, state: State) -> np.ndarray:
        """(rows, cols) int array: +1 first player's stones, −1 second player's, 0 empty."""
        cells = np.arange(self.n_cells)
        flat = ((state[0] >> cells) & 1).astype(np.int8) - ((state[1] >> cells) & 1).astype(np.int8)
        return flat.reshape(self.rows, self.cols)

    def render(self, state: State, marks: str = ".XO") -> str:
        b = self.board(state)
        rows = [" ".join(marks[v] for v in row) for row in b]
        return "\n".join(rows)

    def transform(self, state: State, sym: int) -> State:
        """The state under symmetry ``sym`` (an index into ``cell_symmetries``)."""
        table = self._symmetry_table(sym)
        return (table[state[0]], table[state[1]])

    def _symmetry_table(self, sym: int) -> list[int]:
        """bits → transformed bits for every bitboard (2^cells entries), built on first use."""
        tables = self.__dict__.setdefault("_sym_tables", {})
        if sym not in tables:
            masks = np.arange(1 << self.n_cells, dtype=np.int64)
            out = np.zeros_like(masks)
            for i, src in enumerate(self.cell_symmetries[sym]):
                out |= ((masks >> int(src)) & 1) << i
            tables[sym] = out.tolist()
        return tables[sym]

    def canonical(self, state: State) -> State:
        """The smallest of the state's symmetric images: one representative per symmetry class."""
        return min(self.transform(state, s) for s in range(len(self.cell_symmetries)))

    # --- feature planes -------------------------------------------------------------
    def winning_cells(self, mine: int, theirs: int) -> int:
        """Bitmask of empty cells where ``mine`` would complete a line (ignores gravity)."""
        empty = self.full & ~(mine | theirs)
        out = 0
        for m in self.lines:
            if theirs & m:
                continue
            missing = m & ~mine
            if missing.bit_count() == 1 and missing & empty:
                out |= missing
        return out

    def legal_cells(self, state: State) -> int:
        """Bitmask of the cells that a legal action would fill (the sensible-move plane)."""
        if self.outcome(state) is not None:
            return 0
        if not self.gravity:
            return self.full & ~(state[0] | state[1])
        return sum(1 << self.cell_of(state, c) for c in self.legal_actions(state))

    def legal_mask(self, states: Sequence[State]) -> np.ndarray:
        """(n, n_actions) float32: 1 where the action is legal."""
        mask = np.zeros((len(states), self.n_actions), np.float32)
        for i, s in enumerate(states):
            mask[i, self.legal_actions(s)] = 1.0
        return mask


TICTACTOE = LineGame("tictactoe", 3, 3, 3, gravity=False)
CONNECT4 = LineGame("connect4", 4, 4, 4, gravity=True)
GAMES = {"tictactoe": TICTACTOE, "connect4": CONNECT4}

# Planes adapted from AlphaGo Lee's 48 input features (Silver et al. 2016, Extended Data Table 2):
# stone colour (3 planes: player, opponent, empty) and a constant plane carry over unchanged;
# "sensibleness" becomes the legal-cell plane; the tactical capture / self-atari / ladder planes
# become the two one-move tactics of a line game (cells that win now, cells the opponent would win
# on). The value net adds "player colour" as AlphaGo's value net does (its 49th plane).
# Go-specific planes (liberties, turns since, ladders) have no counterpart here.
LEE_PLANES = ("player", "opponent", "empty", "ones", "legal", "win_now", "must_block")
VALUE_PLANES = LEE_PLANES + ("colour",)
# AlphaGo Zero keeps only the stones and the colour to play (17 planes: 8 positions of history × 2 + colour);
# these games need no history.
ZERO_PLANES = ("player", "opponent", "colour")


def feature_planes(game: LineGame, states: Sequence[State], planes: Sequence[str] = LEE_PLANES) -> np.ndarray:
    """Input planes seen from the player to move.

    Args:
        game: the game; states: n states; planes: names from ``VALUE_PLANES`` (in order).
    Returns:
        (n, rows, cols, len(planes)) float32.
    """
    cells = np.arange(game.n_cells, dtype=np.int64)
    n = len(states)
    out = np.zeros((n, game.n_cells, len(planes)), np.float32)
    first = np.fromiter((s[0] for s in states), np.int64, n)
    second = np.fromiter((s[1] for s in states), np.int64, n)
    stones = np.fromiter(((s[0] | s[1]).bit_count() for s in states), np.int64, n)
    second_to_move = (stones & 1).astype(bool)
    mine = np.where(second_to_move, second, first)
    theirs = np.where(second_to_move, first, second)
    tactical: dict[str, np.ndarray] = {}
    if any(name in ("legal", "win_now", "must_block") for name in planes):
        legal = [game.legal_cells(s) for s in states]
        tactical["legal"] = np.array(legal, np.int64)
        if "win_now" in planes or "must_block" in planes:
            wins, blocks = [], []
            for s, lg in zip(states, legal):
                mover = (s[0] | s[1]).bit_count() & 1
                m, t = s[mover], s[1 - mover]
                wins.append(game.winning_cells(m, t) & lg)
                blocks.append(game.winning_cells(t, m) & lg)
            tactical["win_now"], tactical["must_block"] = np.array(wins, np.int64), np.array(blocks, np.int64)
    for j, name in enumerate(planes):
        if name == "player":
            bits = mine
        elif name == "opponent":
            bits = theirs
        elif name == "empty":
            bits = game.full & ~(mine | theirs)
        elif name == "ones":
            bits = np.full(n, game.full, np.int64)
        elif name == "colour":
            bits = np.where(second_to_move, 0, game.full)
        elif name in tactical:
            bits = tactical[name]
        else:
            raise ValueError(f"unknown plane, Received: planes={list(planes)}")
        out[:, :, j] = (bits[:, None] >> cells) & 1
    return out.reshape(n, game.rows, game.cols, len(planes))


def all_states(game: LineGame) -> list[State]:
    """Every state reachable from the empty board (terminal ones included), in breadth-first order."""
    seen = {game.initial()}
    frontier = [game.initial()]
    order = list(frontier)
    while frontier:
        nxt = []
        for s in frontier:
            for a in game.moves(s):
                c, done, _ = game.step(s, a)
                if c not in seen:
                    seen.add(c)
                    if not done:
                        nxt.append(c)
                    else:
                        order.append(c)
        order.extend(nxt)
        frontier = nxt
    return order


# --- the exhaustive solver -------------------------------------------------------------


class Solver:
    """Exhaustive memoised negamax: the exact value of every reachable position.

    The score of a state is from the player to move: 0 for a draw, and for a decided
    game ±(1 + empty cells left when it ends), so that among winning moves the quickest
    and among losing moves the slowest scores best. ``value`` is its sign.

    Args:
        game: the game to solve (all positions are solved on first use and kept).
    """

    def __init__(self, game: LineGame) -> None:
        self.game = game
        self.scores: dict[State, int] = {}
        self._solve(game.initial())

    def _solve(self, root: State) -> int:
        game, memo = self.game, self.scores
        done = game.terminal_value(root)
        if done is not None:
            memo[root] = int(done) * (1 + game.n_cells - game.stones(root))
            return memo[root]
        step, moves, n_cells = game.step, game.moves, game.n_cells

        def negamax(state: State, empties: int) -> int:
            best = -n_cells - 2
            for a in moves(state):
                child, finished, reward = step(state, a)
                if finished:
                    # the mover won (score 1 + empties left) or filled the board (draw)
                    score = empties if reward else 0
                    if child not in memo:
                        memo[child] = -score
                else:
                    known = memo.get(child)
                    score = -(known if known is not None else negamax(child, empties - 1))
                if score > best:
                    best = score
            memo[state] = best
            return best

        # depth is at most the number of cells, far below Python's recursion limit
        return negamax(root, n_cells - game.stones(root))

    def score(self, state: State) -> int:
        if state not in self.scores:
            self._solve(state)
        return self.scores[state]

    def value(self, state: State) -> int:
        """+1, 0 or −1 for the player to move under perfect play by both sides."""
        s = self.score(state)
        return (s > 0) - (s < 0)

    def action_values(self, state: State) -> dict[int, int]:
        """{action: value for the player to move after playing it}."""
        return {a: -self._sign(self.score(self.game.play(state, a))) for a in self.game.legal_actions(state)}

    @staticmethod
    def _sign(x: int) -> int:
        return (x > 0) - (x < 0)

    def optimal_actions(self, state: State) -> list[int]:
        """Every action that keeps the game-theoretic value (all of them, not only the quickest)."""
        values = self.action_values(state)
        best = max(values.values())
        return [a for a, v in values.items() if v == best]

    def best_actions(self, state: State) -> list[int]:
        """The optimal actions with the best score (quickest win, slowest loss)."""
        scores = {a: -self.score(self.game.play(state, a)) for a in self.game.legal_actions(state)}
        best = max(scores.values())
        return [a for a, v in scores.items() if v == best]


# --- exact statistics ------------------------------------------------------------------


@dataclass
class Line:
    """One complete game of a deterministic agent against an enumerated opponent line."""

    moves: list[int]      # cells, row-major, in the order played
    result: str           # "win" | "draw" | "loss", for the agent
    probability: float    # the line's probability when the opponent plays uniformly at random


def enumerate_lines(game: LineGame, agent: Callable[[State], int], agent_first: bool,
                    opponent: Callable[[State], Iterable[int]] | None = None) -> Iterator[Line]:
    """Every game of a deterministic ``agent`` against every line of an opponent.

    Args:
        game: the game; agent: state → action (must be deterministic for the check to be exhaustive).
        agent_first: whether the agent plays first.
        opponent: state → the opponent moves to branch on; default all legal moves (every line).
            ``probability`` is the uniformly random opponent's probability of the line (over its legal moves).
    Yields:
        ``Line`` per game, depth first, opponent moves in increasing order.
    """
    agent_side = 0 if agent_first else 1
    stack = [(game.initial(), [], 1.0)]
    while stack:
        state, moves, prob = stack.pop()
        result = game.outcome(state)
        if result is not None:
            mine = 1 if agent_side == 0 else -1
            yield Line(moves, "draw" if result == 0 else ("win" if result == mine else "loss"), prob)
            continue
        if game.to_move(state) == agent_side:
            a = agent(state)
            stack.append((game.play(state, a), moves + [game.cell_of(state, a)], prob))
        else:
            legal = game.legal_actions(state)
            options = list(opponent(state)) if opponent is not None else legal
            for a in reversed(options):
                stack.append((game.play(state, a), moves + [game.cell_of(state, a)], prob / len(legal)))


def best_against_random(game: LineGame, agent_first: bool, solver: Solver | None = None) -> float:
    """The highest win probability an agent can have against a uniformly random opponent (expectimax).

    With ``solver`` the agent may only take optimal moves: the best a never-losing agent can do.
    """
    agent_side = 0 if agent_first else 1
    memo: dict[State, float] = {}

    def win(state: State) -> float:
        if state in memo:
            return memo[state]
        result = game.outcome(state)
        if result is not None:
            p = float(result == (1 if agent_side == 0 else -1))
        elif game.to_move(state) == agent_side:
            options = solver.optimal_actions(state) if solver is not None else game.legal_actions(state)
            p = max(win(game.play(state, a)) for a in options)
        else:
            kids = [win(game.play(state, a)) for a in game.legal_actions(state)]
            p = sum(kids) / len(kids)
        memo[state] = p
        return p

    return win(game.initial())


def match_probabilities(game: LineGame, first: Callable[[State], np.ndarray],
                        second: Callable[[State], np.ndarray]) -> tuple[float, float, float]:
    """Exact (first wins, draw, second wins) when two stochastic policies play each other.

    Args:
        first, second: state → probabilities over ``game.n_actions`` (illegal actions get no mass).
    Returns:
        three probabilities summing to 1, by dynamic programming over positions.
    """
    memo: dict[State, tuple[float, float, float]] = {}
    step = game.step

    def rec(state: State) -> tuple[float, float, float]:
        known = memo.get(state)
        if known is not None:
            return known
        mover = game.to_move(state)
        policy = (first if mover == 0 else second)(state)
        moves = game.moves(state)
        p = [float(policy[a]) for a in moves]
        total = sum(p)
        p = [x / total for x in p] if total > 0 else [1.0 / len(moves)] * len(moves)
        w = d = l = 0.0
        for pi, a in zip(p, moves):
            if pi <= 0:
                continue
            child, done, reward = step(state, a)
            if done:
                if not reward:
                    d += pi
                elif mover == 0:
                    w += pi
                else:
                    l += pi
            else:
                cw, cd, cl = rec(child)
                w, d, l = w + pi * cw, d + pi * cd, l + pi * cl
        memo[state] = (w, d, l)
        return memo[state]

    return rec(game.initial())
