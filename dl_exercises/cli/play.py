"""``dlx play tictactoe|connect4``: play day4.alphago's AlphaGo Zero agent (MCTS on its network) in the terminal.

The network comes from ``--from DIR`` (a directory written by ``dlx run day4.alphago --out DIR``),
else from dlx's cache (``~/.cache/dlx/alphago/GAME_zero.keras``), else a quick one is trained by
self-play and kept there. TensorFlow is imported only once a game is asked for, so ``dlx --help``
stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import EXIT_INTERRUPTED, DlxError, UsageError
from ..spec import check_seed
from .common import Budget, handle_errors

GAMES = ("tictactoe", "connect4")
MARKS = {1: "X", -1: "O", 0: "."}


def model_file(game: str) -> str:
    return f"{game}_zero.keras"


def cached_model(game: str) -> Path:
    from ..datasets.cache import data_dir

    return data_dir() / "alphago" / model_file(game)


def show_board(game, state) -> str:
    """The board with the numbers a player types: cells 1–9 (tic-tac-toe) or columns 1–4 (connect-four)."""
    board = game.board(state)
    if not game.gravity:
        rows = []
        for r in range(game.rows):
            cells = [MARKS[v] if v else str(r * game.cols + c + 1) for c, v in enumerate(board[r])]
            rows.append(" " + " | ".join(cells))
        return ("\n" + "---+" * (game.cols - 1) + "---\n").join(rows)
    lines = [" " + " ".join(MARKS[v] for v in row) for row in board]
    lines.append(" " + " ".join(str(c + 1) for c in range(game.cols)))
    return "\n".join(lines)


def parse_move(game, state, text: str) -> int:
    """The action a typed move means; ``ValueError`` with a message a player can act on."""
    what = "a cell" if not game.gravity else "a column"
    count = game.n_actions
    try:
        number = int(text.strip())
    except ValueError:
        raise ValueError(f"type {what} number from 1 to {count} (or q to quit), not {text.strip()!r}") from None
    if not 1 <= number <= count:
        raise ValueError(f"{what} number must be from 1 to {count}, not {number}")
    action = number - 1
    if action not in game.legal_actions(state):
        raise ValueError(f"cell {number} is taken" if not game.gravity else f"column {number} is full")
    return action


def load_or_train(game_name: str, from_dir: Optional[Path], budget: str, seed: int):
    """The agent's network: ``--from DIR``, else the cached one, else a quick one trained now (and cached)."""
    from ..runtime import prepare_tf_environment, tf_keras

    prepare_tf_environment()
    if from_dir is not None:
        path = from_dir / model_file(game_name)
        if not path.exists():
            raise DlxError(f"no {model_file(game_name)} in {from_dir}: write one with "
                           f"`dlx run day4.alphago --set game={game_name} --out {from_dir}`")
    else:
        path = cached_model(game_name)
    _, keras = tf_keras()
    if path.exists():
        try:
            model = keras.saving.load_model(path)
        except Exception as exc:  # a truncated or foreign file: say which, in one line
            raise DlxError(f"cannot load {path}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
        return model, f"network {path}"
    train_network(game_name, budget, seed, path)
    return keras.saving.load_model(path), f"network trained now, saved to {path}"


def train_network(game_name: str, budget: str, seed: int, path: Path) -> None:
    """Train the agent's network by self-play and save it at ``path``.

    A run of day4.alphago's checked parameters (``--set game=…``, and for connect-four the settings
    below), through ``runner.run_plan`` like ``dlx run``, with ``studies.alphago.report.train_play_network``
    (AlphaGo Zero's training alone, no targets) in place of the whole exercise.
    """
    import dataclasses
    import shutil
    import tempfile

    from ..registry import get_exercise
    from ..runner import run_plan
    from ..studies.alphago.report import train_play_network
    from . import render

    sets = {"game": game_name}
    if game_name == "connect4":  # no exact duel over 134k positions, leaves in batches: keep the quick training quick
        sets.update(gate="0", leaf_batch="8")
    plan = get_exercise("day4.alphago").plan(budget, seed, sets)
    plan = dataclasses.replace(plan, spec=dataclasses.replace(plan.spec, func=train_play_network, targets={}))
    render.notice(f"no saved {game_name} network: training one by self-play ({budget} budget, "
                  f"{plan.params['zero_iterations']} iterations); it is kept at {path}")
    reporter = render.RichReporter()
    with tempfile.TemporaryDirectory(prefix="dlx-play-") as out:
        try:
            run_plan(plan, out=out, reporter=reporter, tensorboard=False,
                     command=f"dlx play {game_name} --budget {budget} --seed {seed}")
        finally:
            reporter.stop()
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(Path(out) / model_file(game_name)), str(path))


def check_model(model, game) -> None:
    want_in = (game.rows, game.cols, 3)
    try:
        got_in, got_out = tuple(model.input_shape[1:]), model.output_shape[0][-1]
    except (TypeError, IndexError, AttributeError):
        got_in, got_out = None, None
    if got_in != want_in or got_out != game.n_actions:
        raise DlxError(f"the network is not a {game.name} policy-value net (input {got_in}, {got_out} actions; "
                       f"expected {want_in}, {game.n_actions})")


def _ask(prompt: str) -> str:
    return input(prompt)


@handle_errors
def play_command(
    game: str = typer.Argument(..., help="tictactoe or connect4",
                               autocompletion=lambda incomplete: [g for g in GAMES if g.startswith(incomplete)]),
    from_dir: Optional[Path] = typer.Option(None, "--from", help="directory of `dlx run day4.alphago --out DIR`"),
    second: bool = typer.Option(False, "--second", help="let the agent move first (you play O)"),
    simulations: int = typer.Option(200, "--simulations", help="MCTS simulations per agent move (>= 1)"),
    budget: Budget = typer.Option(Budget.quick, "--budget", help="budget of the training run when no network is saved"),
    seed: int = typer.Option(0, "--seed", help="seed of that training run (0 to 2**32 - 1)"),
) -> None:
    """Play the AlphaGo Zero agent of day4.alphago: you type a cell (1–9) or a column (1–4); q quits."""
    if game not in GAMES:
        raise UsageError(f"unknown game {game!r}: choose one of {', '.join(GAMES)}")
    if simulations < 1:
        raise UsageError(f"--simulations {simulations}: must be >= 1")
    check_seed(seed)
    if from_dir is not None and not from_dir.is_dir():
        raise UsageError(f"--from {from_dir}: no such folder (a `dlx run day4.alphago --out DIR` writes one)")
    try:
        _play(game, from_dir, second, simulations, budget.value, seed)
    except KeyboardInterrupt:
        typer.echo("\nbye")
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _play(game_name: str, from_dir, agent_first: bool, simulations: int, budget: str, seed: int) -> None:
    from ..nn.alphago import forward_function
    from ..scratch.board_games import GAMES as BOARD_GAMES
    from ..scratch.board_games import ZERO_PLANES
    from ..scratch.mcts import MCTS
    from ..studies.alphago.evaluator import NetEvaluator, all_nonterminal, prefill

    game = BOARD_GAMES[game_name]
    model, where = load_or_train(game_name, from_dir, budget, seed)
    check_model(model, game)
    evaluator = NetEvaluator(game, policy_value=(forward_function(model), ZERO_PLANES))
    if not game.gravity:
        prefill(evaluator, all_nonterminal(game))
    search = MCTS(game, evaluator, simulations=simulations, c_puct=1.5, batch_size=8)
    typer.echo(f"dlx play {game_name}: {where}; {simulations} simulations per move")
    you = "O" if agent_first else "X"
    typer.echo(f"you are {you}; X moves first; type q to quit")
    while True:
        state = game.initial()
        while game.outcome(state) is None:
            typer.echo("\n" + show_board(game, state))
            agent_to_move = (game.to_move(state) == 0) == agent_first
            if agent_to_move:
                result = search.search(state)
                action = int(result.visits.argmax())
                number = (game.cell_of(state, action) if not game.gravity else action) + 1
                typer.echo(f"dlx plays {number} (its value estimate {result.q[action]:+.2f})")
                state = game.play(state, action)
                continue
            while True:
                try:
                    text = _ask(f"your move ({'1-9' if not game.gravity else '1-4'}): ")
                except EOFError:
                    typer.echo("\nbye")
                    return
                if text.strip().lower() in ("q", "quit", "exit"):
                    typer.echo("bye")
                    return
                try:
                    action = parse_move(game, state, text)
                    break
                except ValueError as exc:
                    typer.echo(str(exc))
            state = game.play(state, action)
        typer.echo("\n" + show_board(game, state))
        outcome = game.outcome(state)
        agent_mark = 1 if agent_first else -1
        typer.echo("draw." if outcome == 0 else ("dlx wins." if outcome == agent_mark else "you win!"))
        try:
            again = _ask("play again? [y/N] ")
        except EOFError:
            typer.echo("\nbye")
            return
        if again.strip().lower() not in ("y", "yes"):
            return
        agent_first = not agent_first
        you = "O" if agent_first else "X"
        typer.echo(f"\nswitching sides: you are {you}")
