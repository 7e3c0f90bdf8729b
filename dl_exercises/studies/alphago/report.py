"""What a learner sees of day4.alphago (Day4 Section2): metrics, tables, notes and files, written through ``ctx``.

``run_alphago`` runs the pipeline (``pipeline.run_pipeline``) with the run's loop callbacks and
records it; ``train_play_network`` is the self-play training alone that ``dlx play`` runs (through
``runner.run_plan``) when no network is saved.
"""

from __future__ import annotations

import json

from .config import AlphaGoConfig
from .pipeline import PipelineResult, run_pipeline, zero_callbacks
from .verification import verification_records


def run_alphago(ctx) -> None:
    """SL → RL policy nets, a value net and PUCT search, then AlphaGo Zero, on the run's game; every result recorded."""
    from ...scratch.board_games import GAMES

    c = AlphaGoConfig.from_params(ctx.params)
    ctx.tf_keras()
    with ctx.training():
        run = run_pipeline(GAMES[c.game], c, ctx.seed, ctx.loop_callbacks)
    record(ctx, run, c)


def train_play_network(ctx) -> None:
    """AlphaGo Zero's self-play training alone, its network saved as GAME_zero.keras (what ``dlx play`` plays).

    The same loop, settings and seeds as the Zero stage of ``run_pipeline``, with a numpy generator of
    its own (the AlphaGo stages before it draw nothing here); the final agent is not checked.
    """
    import numpy as np

    from ...scratch.board_games import GAMES
    from .loops import zero_training

    c = AlphaGoConfig.from_params(ctx.params)
    game = GAMES[c.game]
    with ctx.training():
        model, history, speed = zero_training(game, c, np.random.default_rng(ctx.seed), seed=ctx.seed,
                                              callbacks=zero_callbacks(ctx.loop_callbacks, c))
    ctx.metric("zero_final_loss", history.last.get("loss", float("nan")), note="CE + MSE + L2, the last iteration")
    ctx.metric("simulations_per_second_zero_selfplay", round(speed, 1), "sims/s")
    path = ctx.artifact_path(f"{game.name}_zero.keras")
    if path is not None:
        model.save(path)


def record(ctx, run: PipelineResult, c: AlphaGoConfig) -> None:
    """Every stage's metrics, the tables of the stages, the checks and the Zero iterations, notes and files."""
    from ...scratch.board_games import LEE_PLANES, VALUE_PLANES, ZERO_PLANES, best_against_random

    game = run.game
    exhaustive = c.exhaustive and game.name == "tictactoe"
    sl, rl, value = run.stages["sl"], run.stages["rl"], run.stages["value"]
    ctx.metric("positions", run.positions, note=f"non-terminal positions of {game.name}")
    ctx.metric("solver_seconds", round(run.solver_seconds, 3), "s", "exhaustive memoised negamax")
    ctx.metric("sl_test_accuracy", sl["test_accuracy"],
               note="held-out positions whose top move is one of the solver's best moves")
    ctx.metric("rl_win_vs_sl", rl["win"], note="exact, both sampling their policies, averaged over colours")
    ctx.metric("value_mse", value["mse"], note="vs the solver's values, positions of held-out SL → random → RL games")
    ctx.metric("value_mse_all_positions", value["mse_all"], note="vs the solver's values on every non-terminal position")
    rows = [
        ["SL policy p_σ (expert = solver)", "move-prediction accuracy (held out)", round(sl["test_accuracy"], 4),
         f"train {sl['train_accuracy']:.4f}; {sl['train_positions']} / {sl['test_positions']} positions"],
        ["RL policy p_ρ (self-play vs pool)", "win rate vs p_σ", round(rl["win"], 4),
         f"draw {rl['draw']:.4f}, loss {rl['loss']:.4f}; p_σ vs itself wins {rl['sl_self_win']:.4f}; pool of {rl['pool']}"],
        ["value net v_θ (SL → random → RL games)", "MSE vs solver values (held-out games)", round(value["mse"], 4),
         f"predicting 0: {value['mse_zero_held_out']:.4f}; the training games' own z vs solver: "
         f"{value['target_mse']:.4f}; on every position: {value['mse_all']:.4f} (predicting 0: "
         f"{value['mse_zero_all']:.4f}); {value['positions']} training / {value['held_out_positions']} held-out positions"],
    ]
    check_rows = []
    for name, label, short in (("alphago", "AlphaGo MCTS: p_σ priors, (1 − λ)·v_θ + λ·rollout", "AlphaGo"),
                               ("zero", "AlphaGo Zero MCTS (the final agent)", "Zero")):
        summary, value_text, per_colour = record_checks(ctx, name, run.checks[name], exhaustive)
        rows.append([label, summary, value_text, f"per colour below ({short})"])
        check_rows += [[short, *r] for r in per_colour]
    ctx.table(f"AlphaGo stages on {game.name}", ["stage", "metric", "value", "details"], rows)
    ctx.table(f"The deterministic agents ({c.simulations} simulations, most visited move), every game played out",
              ["agent", "as", *(["opponent lines", "lost", "win vs random", "draw vs random"] if exhaustive else []),
               "solver lines", "lost to solver"], check_rows)

    zero_rows = []
    for r in run.curves["zero"]:
        zero_rows.append([r["iteration"], round(float(r["loss"]), 3), round(float(r["value_mse"]), 3),
                          "yes" if r["accepted"] else "no",
                          *([round(r["random_win_first"], 3), round(r["random_win_second"], 3),
                             r["losing_lines_first"], r["losing_lines_second"]] if exhaustive else []),
                          f"{r['solver_losses_first']}/{r['solver_games_first']}",
                          f"{r['solver_losses_second']}/{r['solver_games_second']}"])
    ctx.table("AlphaGo Zero: the raw policy (no search) after each iteration (1st / 2nd: the net's colour)",
              ["iter", "loss", "v MSE", "kept",
               *(["win rnd 1st", "win rnd 2nd", "lost lines 1st", "lost lines 2nd"] if exhaustive else []),
               "lost/solver 1st", "lost/solver 2nd"], zero_rows)
    for name, speed in run.search_speed.items():
        ctx.metric(f"simulations_per_second_{name}", round(speed, 1), "sims/s")
    if exhaustive:
        from ...scratch.board_games import Solver

        solver = Solver(game)
        best = (best_against_random(game, True, solver), best_against_random(game, False, solver))
        ctx.note(f"against a uniformly random opponent (exact): a never-losing agent can win at most "
                 f"{best[0]:.2%} as first player and {best[1]:.2%} as second (the solver taking its lowest-numbered "
                 "optimal move: 99.48% / 80.63%)")
    ctx.note(f"planes: policy nets {', '.join(LEE_PLANES)}; value net adds {VALUE_PLANES[-1]}; "
             f"AlphaGo Zero {', '.join(ZERO_PLANES)}")
    ctx.note("the course's SL policy net predicts 57% of expert Go moves (KGS); here the expert is a perfect solver")
    ctx.note("stage times, wall / CPU s: " + ", ".join(f"{k} {w:.1f} / {c:.1f}" for k, (w, c) in run.timings.items()))
    artifacts(ctx, run)


def record_checks(ctx, name, checks, exhaustive):
    """Record one agent's check metrics; returns (metric label, value, one table row per colour)."""
    rows = []
    prefix = "" if name == "zero" else f"{name}_"
    for side in ("first", "second"):
        s = checks[f"solver_{side}"]
        ctx.metric(f"{prefix}solver_losses_{side}", s.count("loss"),
                   note=f"over all {s.games} games against every optimal solver line")
        row = [side]
        if exhaustive:
            a = checks[f"any_{side}"]
            ctx.metric(f"{prefix}losing_lines_{side}", a.count("loss"), note=f"of all {a.games} opponent lines")
            ctx.metric(f"{prefix}random_win_{side}", a.random_rate("win"), note="exact, every random line weighted")
            ctx.metric(f"{prefix}random_draw_{side}", a.random_rate("draw"))
            row += [a.games, a.count("loss"), round(a.random_rate("win"), 4), round(a.random_rate("draw"), 4)]
        rows.append(row + [s.games, s.count("loss")])
    kind = "any" if exhaustive else "solver"
    first, second = checks[f"{kind}_first"], checks[f"{kind}_second"]
    label = "lost lines / all lines" if exhaustive else "lost games vs solver"
    return label, f"{first.count('loss') + second.count('loss')}/{first.games + second.games}", rows


def artifacts(ctx, run: PipelineResult) -> None:
    """verification.jsonl (the final agent's games), every network as .keras, training_curves.png."""
    game = run.game
    path = ctx.artifact_path("verification.jsonl")
    if path is not None:
        checks = run.checks["zero"]
        chosen = [checks[k] for k in (("any_first", "any_second") if "any_first" in checks else ("solver_first", "solver_second"))]
        with open(path, "w", encoding="utf-8") as fh:
            for record in verification_records(game, chosen):
                fh.write(json.dumps(record) + "\n")
    for stem, model in run.models.items():
        path = ctx.artifact_path(f"{game.name}_{stem}.keras")
        if path is not None:
            model.save(path)
    plt = ctx.pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    sl = run.curves["sl"]
    axes[0].plot(range(1, len(sl) + 1), [r["test_accuracy"] for r in sl], label="SL held-out accuracy")
    val = run.curves["value"]
    axes[0].plot(range(1, len(val) + 1), [r["mse_held_out"] for r in val], label="value MSE vs solver (held out)")
    axes[0].set_xlabel("epoch")
    axes[0].legend()
    rl = run.curves["rl"]
    axes[1].plot([r["iteration"] for r in rl], [r["win_rate"] for r in rl], label="RL win rate vs pool")
    axes[1].plot([r["iteration"] for r in rl], [r["loss_rate"] for r in rl], label="RL loss rate vs pool")
    axes[1].set_xlabel("RL iteration")
    axes[1].legend()
    zero = run.curves["zero"]
    its = [r["iteration"] for r in zero]
    axes[2].plot(its, [r["loss"] for r in zero], label="loss (CE + MSE + L2)")
    if zero and "random_win_first" in zero[0]:
        axes[2].plot(its, [r["random_win_first"] for r in zero], label="win vs random, 1st")
        axes[2].plot(its, [r["random_win_second"] for r in zero], label="win vs random, 2nd")
    for side in ("first", "second"):
        axes[2].plot(its, [r[f"solver_losses_{side}"] / max(r[f"solver_games_{side}"], 1) for r in zero],
                     linestyle=":", label=f"lost share of solver lines, {side}")
    axes[2].set_xlabel("AlphaGo Zero iteration (raw policy, no search)")
    axes[2].legend()
    fig.suptitle(f"day4.alphago on {game.name}")
    ctx.save_figure(fig, "training_curves.png")
