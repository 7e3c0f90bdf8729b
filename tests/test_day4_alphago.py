"""day4.alphago: the games and their solvers, PUCT search, the exhaustive check, the networks, `dlx play`."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from dl_exercises.scratch.board_games import (CONNECT4, TICTACTOE, LEE_PLANES, ZERO_PLANES, Solver, all_states,
                                              best_against_random, enumerate_lines, feature_planes,
                                              match_probabilities)
from dl_exercises.scratch.mcts import MCTS, random_rollout, visit_policy


def ttt(xs=(), os=()):
    """A tic-tac-toe state from the cells of X (first player) and O."""
    return (sum(1 << c for c in xs), sum(1 << c for c in os))


def c4(*columns):
    """A connect-four state from the columns played in order (first player first)."""
    state = CONNECT4.initial()
    for col in columns:
        state = CONNECT4.play(state, col)
    return state


@pytest.fixture(scope="module")
def ttt_solver():
    return Solver(TICTACTOE)


@pytest.fixture(scope="module")
def c4_solver():
    return Solver(CONNECT4)


# --- rules and solvers on known positions ----------------------------------------------------------


def test_tictactoe_counts_match_the_known_figures():
    """5,478 legal positions, 958 of them finished (626 X wins, 316 O wins, 16 full-board draws)."""
    states = all_states(TICTACTOE)
    outcomes = [TICTACTOE.outcome(s) for s in states]
    assert len(states) == 5478
    assert (outcomes.count(1), outcomes.count(-1), outcomes.count(0)) == (626, 316, 16)


def test_tictactoe_has_255168_games():
    """Every complete game: 255,168, of which X wins 131,184, O wins 77,904, 46,080 are drawn."""
    counts = {1: 0, -1: 0, 0: 0}

    def walk(state):
        for a in TICTACTOE.moves(state):
            child, done, reward = TICTACTOE.step(state, a)
            if done:
                counts[TICTACTOE.outcome(child)] += 1
            else:
                walk(child)

    walk(TICTACTOE.initial())
    assert (sum(counts.values()), counts[1], counts[-1], counts[0]) == (255168, 131184, 77904, 46080)


def test_tictactoe_solver_on_known_positions(ttt_solver):
    s = ttt_solver
    empty = TICTACTOE.initial()
    assert s.value(empty) == 0 and s.action_values(empty) == {a: 0 for a in range(9)}  # every opening draws
    assert s.value(ttt([0], [1])) == 1          # an edge beside X's corner loses
    assert s.value(ttt([4], [1])) == 1          # an edge answer to the centre loses
    assert s.value(ttt([4], [0])) == 0          # a corner answer to the centre draws
    assert s.value(ttt([0], [4])) == 0
    assert s.optimal_actions(ttt([0, 8], [4])) == [1, 3, 5, 7]  # O must take an edge: a corner loses to a fork
    assert s.optimal_actions(ttt([0, 1], [4])) == [2]            # O must block
    assert s.best_actions(ttt([0, 1], [3, 4])) == [2]            # X wins at once rather than blocking
    assert s.value(ttt([0, 1], [3, 4])) == 1
    assert s.value(ttt([0, 1, 5], [3, 4, 8])) == 1 and s.best_actions(ttt([0, 1, 5], [3, 4, 8])) == [2]


def test_connect4_rules():
    state = c4(0, 0, 0, 0)
    assert CONNECT4.legal_actions(state) == [1, 2, 3]
    with pytest.raises(ValueError):
        CONNECT4.play(state, 0)
    # stones fall to the bottom row (row 3 = cells 12–15)
    assert CONNECT4.cell_of(CONNECT4.initial(), 2) == 14 and CONNECT4.cell_of(c4(2), 2) == 10
    assert CONNECT4.outcome(c4(0, 0, 1, 1, 2, 2, 3)) == 1            # a row
    assert CONNECT4.outcome(c4(0, 1, 0, 1, 0, 1, 2, 1)) == -1        # a column
    assert CONNECT4.outcome(c4(0, 1, 1, 2, 2, 3, 2, 3, 3, 0, 3)) == 1  # a diagonal


def test_connect4_solver_on_known_positions(c4_solver):
    s = c4_solver
    assert len(s.scores) == 161029                       # every reachable position solved
    assert s.value(CONNECT4.initial()) == 0              # perfect play draws on 4×4
    assert s.best_actions(c4(0, 0, 1, 1, 2, 2)) == [3]   # three in the bottom row: win now
    assert s.optimal_actions(c4(0, 1, 0, 1, 0)) == [0]   # three in column 0: block or lose
    assert s.value(c4(0, 1, 0, 1, 0, 2)) == 1            # not blocked: the first player wins


def test_solver_values_agree_with_terminal_positions(ttt_solver):
    for state in all_states(TICTACTOE):
        done = TICTACTOE.terminal_value(state)
        if done is not None:
            assert ttt_solver.value(state) == done


def test_symmetries_keep_values(ttt_solver, c4_solver):
    rng = np.random.default_rng(0)
    for game, solver in ((TICTACTOE, ttt_solver), (CONNECT4, c4_solver)):
        states = list(solver.scores)  # every reachable position
        for i in rng.choice(len(states), 200, replace=False):
            for sym in range(len(game.cell_symmetries)):
                image = game.transform(states[i], sym)
                assert solver.score(image) == solver.score(states[i])


def test_feature_planes_from_the_player_to_move():
    state = ttt([0, 1], [4])  # O to move; X threatens 2
    planes = feature_planes(TICTACTOE, [state], LEE_PLANES)[0]
    named = {name: planes[..., i].reshape(-1) for i, name in enumerate(LEE_PLANES)}
    assert named["player"].tolist() == [0, 0, 0, 0, 1, 0, 0, 0, 0]
    assert named["opponent"].tolist() == [1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert named["must_block"].tolist() == [0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert named["win_now"].sum() == 0 and named["ones"].sum() == 9
    zero = feature_planes(TICTACTOE, [state], ZERO_PLANES)[0]
    assert zero[..., 2].sum() == 0  # colour plane: 1 only when the first player is to move
    legal = feature_planes(CONNECT4, [c4(1)], ("legal",))[0, ..., 0]
    assert legal.reshape(-1).tolist() == [0] * 8 + [0, 1, 0, 0] + [1, 0, 1, 1]


# --- exact statistics and the exhaustive check ------------------------------------------------------


def test_best_never_losing_rates_against_random(ttt_solver):
    """The figures quoted by the exercise: 99.48% as first player and 91.64% as second."""
    assert best_against_random(TICTACTOE, True, ttt_solver) == pytest.approx(191 / 192, abs=1e-12)
    assert best_against_random(TICTACTOE, False, ttt_solver) == pytest.approx(0.916402116, abs=1e-9)


def test_exhaustive_check_of_the_solver(ttt_solver):
    """The solver taking its lowest-numbered optimal move never loses and wins 99.48% / 80.63% against random."""
    agent = lambda s: ttt_solver.optimal_actions(s)[0]  # noqa: E731
    for first, lines_max, win in ((True, 384, 0.994791667), (False, 945, 0.806349206)):
        lines = list(enumerate_lines(TICTACTOE, agent, first))
        assert 0 < len(lines) <= lines_max
        assert all(line.result != "loss" for line in lines)
        assert sum(line.probability for line in lines) == pytest.approx(1.0, abs=1e-12)
        assert sum(line.probability for line in lines if line.result == "win") == pytest.approx(win, abs=1e-9)
        mover = 0 if first else 1
        for line in lines:  # the agent's moves are at its own plies
            state = TICTACTOE.initial()
            for ply, cell in enumerate(line.moves):
                if ply % 2 == mover:
                    assert agent(state) == cell
                state = TICTACTOE.play(state, cell)


def test_exhaustive_check_can_fail():
    """An agent taking the lowest empty cell loses lines: the check is not a formality."""
    lines = list(enumerate_lines(TICTACTOE, lambda s: TICTACTOE.legal_actions(s)[0], True))
    assert sum(line.result == "loss" for line in lines) > 0


def test_match_probabilities_of_two_random_players():
    """Both players uniform: X wins 0.5848 of games, O 0.2881, draws 0.1270 (weighted, not counted)."""
    uniform = lambda s: np.ones(9) / 9  # noqa: E731
    first, draw, second = match_probabilities(TICTACTOE, uniform, uniform)
    assert (first, draw, second) == pytest.approx((737 / 1260, 16 / 126, 121 / 420), abs=1e-12)


# --- PUCT search ----------------------------------------------------------------------------------


def test_visit_policy_temperature():
    visits = np.array([1, 3, 0, 6])
    assert visit_policy(visits, 1.0).tolist() == pytest.approx([0.1, 0.3, 0.0, 0.6])
    assert visit_policy(visits, 0.5).tolist() == pytest.approx([1 / 46, 9 / 46, 0.0, 36 / 46])
    assert visit_policy(visits, 0.0).tolist() == [0, 0, 0, 1]


@pytest.mark.parametrize("game_name, state, winning", [
    ("tictactoe", ttt([0, 1], [3, 4]), [2]),        # win in one (and not the block at 5)
    ("tictactoe", ttt([0, 1], [2, 3]), [4]),        # the only fork: 4 threatens 7 and 8
    ("tictactoe", ttt([0, 2], [1, 8]), [6]),        # the only fork: 6 threatens 3 and 4
    ("tictactoe", ttt([0, 1, 3], [2, 7]), [6]),     # O blocks at 6 and forks (4 and 8) at once
    ("connect4", c4(0, 0, 1, 1, 2, 2), [3]),         # three in the bottom row
    ("connect4", c4(0, 1, 0, 1, 0), [0]),            # the second player must block column 0 (not a win: a save)
])
def test_mcts_with_uniform_priors_and_rollouts_finds_the_winning_move(game_name, state, winning, ttt_solver,
                                                                      c4_solver):
    game, solver = (TICTACTOE, ttt_solver) if game_name == "tictactoe" else (CONNECT4, c4_solver)
    assert winning == solver.optimal_actions(state)  # the solver agrees that these are the only good moves
    search = MCTS(game, None, simulations=1500, c_puct=1.5, rollouts=1, seed=0)
    action, result = search.choose(state)
    assert action in winning, (action, result.visits)


@pytest.mark.parametrize("batch_size", [1, 4, 16])
def test_visit_counts_sum_to_the_simulations(batch_size):
    search = MCTS(TICTACTOE, None, simulations=300, rollouts=1, batch_size=batch_size, seed=1)
    result = search.search(ttt([4], [0]))
    assert result.visits.sum() == 300 == result.simulations
    assert result.root.visits == 301  # its expansion plus one per simulation

    def check(node):
        if node.terminal is not None:
            return
        if node.expanded:
            assert node.visits == 1 + sum(node.N)
            for n, child in zip(node.N, node.children):
                assert (child is None) == (n == 0)
                if child is not None:
                    assert child.visits == n
                    check(child)

    check(result.root)


def test_values_flip_sign_per_player():
    """An evaluator that says "the first player is +0.3 ahead" gives every edge Q = +0.3 for the first
    player and −0.3 for the second, at every depth, only if backup negates once per ply."""
    def first_ahead(states):
        values = np.array([0.3 if CONNECT4.to_move(s) == 0 else -0.3 for s in states])
        return np.full((len(states), 4), 0.25), values

    search = MCTS(CONNECT4, first_ahead, simulations=60, c_puct=1.0)
    result = search.search(CONNECT4.initial())
    assert result.root_value == pytest.approx(0.3)
    assert result.q == pytest.approx(np.full(4, 0.3))

    depths = []

    def check(node, depth):
        for n, w, child in zip(node.N, node.W, node.children):
            if n:
                expected = 0.3 if CONNECT4.to_move(node.state) == 0 else -0.3
                assert w / n == pytest.approx(expected)
                depths.append(depth)
                check(child, depth + 1)

    check(result.root, 0)
    assert max(depths) >= 2  # the check reached the grandchildren


def test_leaf_value_mixes_evaluator_and_rollouts():
    def constant(states):
        return np.full((len(states), 9), 1 / 9), np.full(len(states), 0.8)

    only_net = MCTS(TICTACTOE, constant, simulations=1, rollouts=0).search(ttt([4], [0]))
    assert only_net.root_value == pytest.approx(0.8)
    state = ttt([4], [0])
    mixed = MCTS(TICTACTOE, constant, simulations=1, rollouts=3, mixing=0.5).search(state)
    import random
    rng = random.Random(hash(state) & 0xFFFFFFFF)  # the search seeds its rollouts from the root state
    z = sum(random_rollout(TICTACTOE, state, rng) for _ in range(3)) / 3
    assert mixed.root_value == pytest.approx(0.5 * 0.8 + 0.5 * z)


def test_search_is_a_function_of_the_position():
    a = MCTS(TICTACTOE, None, simulations=200, rollouts=1).search(ttt([0], [4]))
    b = MCTS(TICTACTOE, None, simulations=200, rollouts=1).search(ttt([0], [4]))
    assert a.visits.tolist() == b.visits.tolist()


@pytest.mark.parametrize("kwargs", [{"simulations": 0}, {"c_puct": 0.0}, {"c_puct": -1.0}, {"batch_size": 0}])
def test_mcts_rejects_bad_settings(kwargs):
    with pytest.raises(ValueError, match="Received"):
        MCTS(TICTACTOE, None, **kwargs)


# --- the exhaustive check's records ------------------------------------------------------------------


def test_verification_records_replay_to_their_results(ttt_solver):
    from dl_exercises.studies.alphago.verification import verification_records, verify

    agent = lambda s: ttt_solver.optimal_actions(s)[0]  # noqa: E731
    checks = [verify(TICTACTOE, agent, True), verify(TICTACTOE, agent, False)]
    records = verification_records(TICTACTOE, checks)
    assert len(records) == checks[0].games + checks[1].games
    for record in records:
        assert set(record) == {"game", "agent", "moves", "result"} and record["game"] == "tictactoe"
        state = TICTACTOE.initial()
        for cell in record["moves"]:
            assert isinstance(cell, int) and 0 <= cell <= 8
            state = TICTACTOE.play(state, cell)
        outcome = TICTACTOE.outcome(state)
        mine = 1 if record["agent"] == "first" else -1
        assert record["result"] == ("draw" if outcome == 0 else "win" if outcome == mine else "loss")
    assert json.loads(json.dumps(records[0])) == records[0]


# --- networks ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keras():
    from dl_exercises.runtime import tf_keras

    return tf_keras()[1]


def test_builders_shapes_names_and_saving(keras, tmp_path):
    from dl_exercises.nn.alphago import policy_net, policy_value_net, value_net

    x = np.random.default_rng(0).random((5, 3, 3, 7)).astype(np.float32)
    policy = policy_net((3, 3, 7), 9, filters=8, n_layers=2, name="p")
    value = value_net((3, 3, 8), filters=8, n_layers=2, hidden=16, name="v")
    zero = policy_value_net((4, 4, 3), 4, filters=8, blocks=2, name="z")
    assert policy(x).shape == (5, 9)
    v = np.asarray(value(np.concatenate([x, x[..., :1]], -1)))
    assert v.shape == (5, 1) and np.all(np.abs(v) < 1)
    logits, v = zero(np.zeros((2, 4, 4, 3), np.float32))
    assert logits.shape == (2, 4) and v.shape == (2, 1)
    for model, prefix in ((policy, "p_"), (value, "v_"), (zero, "z_")):
        assert all(layer.name.startswith(prefix) for layer in model.layers)
    assert len(zero.losses) > 0  # the L2 term of AlphaGo Zero's loss
    assert sum("_add" in layer.name for layer in zero.layers) == 2  # one skip connection per residual block
    path = tmp_path / "z.keras"
    zero.save(path)
    loaded = keras.saving.load_model(path)
    y = np.random.default_rng(1).random((3, 4, 4, 3)).astype(np.float32)
    for a, b in zip(zero(y, training=False), loaded(y, training=False)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), atol=1e-6)
    with pytest.raises(ValueError, match="Received"):
        policy_net((3, 3, 7), 9, filters=0)


def test_policy_value_loss_equals_the_formula(keras):
    """(z − v)² − πᵀ log p over the legal moves, against a numpy computation (1e-5)."""
    from dl_exercises.nn.alphago import policy_value_loss

    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4, 9)).astype(np.float32)
    legal = (rng.random((4, 9)) < 0.6).astype(np.float32)
    legal[:, 0] = 1
    pi = rng.random((4, 9)).astype(np.float32) * legal
    pi /= pi.sum(1, keepdims=True)
    v = rng.uniform(-1, 1, (4, 1)).astype(np.float32)
    z = np.array([1, -1, 0, 1], np.float32)
    total, ce, mse = (float(t) for t in policy_value_loss(logits, v, pi, z, legal))
    log_p = np.zeros_like(logits, dtype=np.float64)
    for i in range(len(logits)):
        legal_logits = logits[i][legal[i] > 0].astype(np.float64)
        log_p[i][legal[i] > 0] = legal_logits - np.log(np.sum(np.exp(legal_logits)))
    want_ce = -np.mean(np.sum(pi * log_p, 1))
    want_mse = np.mean((z - v[:, 0]) ** 2)
    assert ce == pytest.approx(want_ce, abs=1e-5) and mse == pytest.approx(want_mse, abs=1e-5)
    assert total == pytest.approx(want_ce + want_mse, abs=1e-5)


def test_evaluator_masks_illegal_moves_and_calls_the_network_once_per_position(keras):
    from dl_exercises.nn.alphago import forward_function, policy_value_net
    from dl_exercises.studies.alphago.evaluator import NetEvaluator

    model = policy_value_net((3, 3, 3), 9, filters=4, blocks=1, name="tiny")
    forward = forward_function(model)
    assert forward_function(model) is forward  # one compiled function per model
    states = [ttt([0], [4]), ttt([0, 1], [4]), ttt([0], [4])]
    evaluator = NetEvaluator(TICTACTOE, policy_value=(forward, ZERO_PLANES))
    priors, values = evaluator(states)
    assert evaluator.evaluated == 2 and evaluator.calls == 1  # the repeated position is evaluated once
    legal = TICTACTOE.legal_mask(states)
    assert np.allclose(priors.sum(1), 1) and np.all(priors[legal == 0] == 0)
    direct_logits, direct_values = model(feature_planes(TICTACTOE, states, ZERO_PLANES), training=False)
    np.testing.assert_allclose(values, np.asarray(direct_values)[:, 0], atol=1e-6)
    assert priors[1].argmax() == np.where(legal[1] > 0, np.asarray(direct_logits)[1], -np.inf).argmax()


def test_selfplay_targets_and_symmetries(keras):
    from dl_exercises.nn.alphago import policy_value_net
    from dl_exercises.studies.alphago.evaluator import zero_evaluator
    from dl_exercises.studies.alphago.selfplay import augment, zero_selfplay

    model = policy_value_net((3, 3, 3), 9, filters=4, blocks=1, name="tiny_selfplay")
    states, pis, zs, results, sims, _ = zero_selfplay(
        TICTACTOE, zero_evaluator(TICTACTOE, model), games=3, simulations=8, c_puct=1.5, temperature_moves=9,
        dirichlet=0.3, rng=np.random.default_rng(0))
    assert sims == 8 * len(states) and np.allclose(pis.sum(1), 1)
    # z is the game's result for the player to move: it alternates in sign along a decided game
    game_of = np.cumsum([TICTACTOE.stones(s) == 0 for s in states]) - 1
    for g, result in enumerate(results):
        z = zs[game_of == g]
        expected = [result * (1 if i % 2 == 0 else -1) for i in range(len(z))]
        assert z.tolist() == expected
    big_states, big_pis, big_zs = augment(TICTACTOE, states, pis, zs)
    assert len(big_states) == 8 * len(states)
    legal = TICTACTOE.legal_mask(big_states)
    assert np.all(big_pis[legal == 0] == 0)  # a permuted target never puts mass on an occupied cell


# --- the exercise and the play command ------------------------------------------------------------------


def test_bad_settings_exit_2_with_the_allowed_values():
    from dl_exercises.cli.app import app

    runner = CliRunner()
    for setting, allowed in (("simulations=0", ">= 1"), ("c_puct=0", "> 0.0"), ("c_puct=-2", "> 0.0"),
                             ("game=chess", "tictactoe, connect4")):
        result = runner.invoke(app, ["run", "day4.alphago", "--set", setting])
        assert result.exit_code == 2, setting
        assert allowed in result.stderr and "Traceback" not in result.output


@pytest.fixture(scope="module")
def saved_nets(keras, tmp_path_factory):
    """Untrained policy-value nets saved as a run of day4.alphago would save them."""
    from dl_exercises.nn.alphago import policy_value_net

    folder = tmp_path_factory.mktemp("alphago_run")
    policy_value_net((3, 3, 3), 9, filters=4, blocks=1, name="tictactoe_zero").save(folder / "tictactoe_zero.keras")
    policy_value_net((4, 4, 3), 4, filters=4, blocks=1, name="connect4_zero").save(folder / "connect4_zero.keras")
    return folder


def _play(*args, input=""):
    from dl_exercises.cli.app import app

    return CliRunner().invoke(app, ["play", *args], input=input)


def test_play_rejects_bad_moves_and_reprompts(saved_nets):
    result = _play("tictactoe", "--from", str(saved_nets), "--simulations", "8", input="x\n0\n10\n5\n5\nq\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "not 'x'" in out and "from 1 to 9, not 0" in out and "not 10" in out
    assert "dlx plays" in out and "cell 5 is taken" in out and out.rstrip().endswith("bye")
    assert "Traceback" not in out


def test_play_finishes_a_game_and_exits_on_eof(saved_nets):
    moves = "\n".join(str(c) for c in range(1, 10) for _ in range(1)) + "\n"
    # taken cells are refused and the next number is tried: the game ends before the numbers do
    result = _play("tictactoe", "--from", str(saved_nets), "--simulations", "8", "--second", input=moves * 3)
    assert result.exit_code == 0, result.output
    assert any(end in result.output for end in ("draw.", "dlx wins.", "you win!"))
    assert "Traceback" not in result.output


def test_play_connect4_full_column(saved_nets):
    result = _play("connect4", "--from", str(saved_nets), "--simulations", "4", input="1\n1\n1\n5\n")
    assert result.exit_code == 0, result.output
    assert "from 1 to 4, not 5" in result.output or "column 1 is full" in result.output
    assert "Traceback" not in result.output


def test_play_errors_are_one_line(saved_nets, tmp_path):
    missing = _play("tictactoe", "--from", str(tmp_path))
    assert missing.exit_code == 1 and "no tictactoe_zero.keras" in missing.stderr
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    (wrong / "tictactoe_zero.keras").write_bytes((saved_nets / "connect4_zero.keras").read_bytes())
    mismatched = _play("tictactoe", "--from", str(wrong))
    assert mismatched.exit_code == 1 and "not a tictactoe policy-value net" in mismatched.stderr
    assert _play("chess").exit_code == 2
    assert _play("tictactoe", "--simulations", "0").exit_code == 2
    for result in (missing, mismatched):
        assert "Traceback" not in result.output


def test_play_trains_and_keeps_a_network_when_none_is_saved(keras):
    """No --from and nothing cached: a (smoke-budget) network is trained, saved in dlx's cache, then reused."""
    from dl_exercises.cli.play import cached_model

    path = cached_model("tictactoe")
    assert not path.exists()  # tests run with a private, empty cache
    first = _play("tictactoe", "--budget", "smoke", "--simulations", "4", input="q\n")
    assert first.exit_code == 0, first.output
    assert path.exists() and "trained now" in first.output
    again = _play("tictactoe", "--simulations", "4", input="")
    assert again.exit_code == 0 and f"network {path}" in again.output and "bye" in again.output


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_quick_targets_never_lose_and_beat_random(seed, tmp_path):
    """The quick budget at seeds 0–2: the exhaustive check, the random-opponent rates, the --out files."""
    from dl_exercises import run

    result = run("day4.alphago", budget="quick", seed=seed, out=tmp_path)
    assert result.status == "ok", [t for t in result.targets if not t.met]
    metrics = {k: m.value for k, m in result.metrics.items()}
    assert metrics["losing_lines_first"] == 0 and metrics["losing_lines_second"] == 0
    assert metrics["random_win_first"] >= 0.95 and metrics["random_win_second"] >= 0.80
    records = [json.loads(line) for line in (tmp_path / "verification.jsonl").read_text().splitlines()]
    counts = {side: sum(r["agent"] == side for r in records) for side in ("first", "second")}
    assert 0 < counts["first"] <= 384 and 0 < counts["second"] <= 945
    assert all(r["result"] in ("win", "draw") for r in records)
    for name in ("sl_policy", "rl_policy", "value", "zero"):
        assert (tmp_path / f"tictactoe_{name}.keras").stat().st_size > 0
    assert (tmp_path / "training_curves.png").stat().st_size > 0
