"""What a learner sees of the reinforcement-learning runs (Day4 Section1): metrics, tables and notes through ``ctx``.

``day4.q_learning``/``day4.sarsa`` call ``run_tabular_exercise``, ``day4.policy_gradient``
``run_policy_gradient``, ``day4.dqn`` ``run_dqn`` and ``bench.rl`` ``run_rl_suite``; the training is
in ``loops``, the files in ``figures``.
"""

from __future__ import annotations

from dataclasses import replace

from ...train.loop import LossGuard
from ..common import settings_from
from .config import (CARTPOLE_ID, CLIFF_ID, CLIFF_SHAPE, EVAL_SEED, LAKE_ID, DQN_SMOKE, DQN_VARIANTS, PG_SMOKE,
                     S_AND_B, VALIDATION_SEED, DqnConfig, PolicyGradientConfig, TabularConfig)
from .envs import evaluate_cartpole
from .figures import deep_curves, suite_files, tabular_files
from .loops import (DeepRun, dqn_update_calls, dqn_where, reinforce_where, run_cliff, run_lake, train_dqn,
                    train_reinforce)


def mean_std(values) -> str:
    import numpy as np
    values = np.asarray(values, dtype=float)
    return f"{values.mean():.1f} ± {values.std():.1f}"


# --- tabular: CliffWalking and FrozenLake ------------------------------------------------------------


def run_tabular_exercise(ctx, method: str) -> None:
    """CliffWalking (both rules, the classic comparison) and FrozenLake (``method``) with metrics, tables and files."""
    from ...result import DataUsage
    from ...scratch.tabular_rl import path_picture

    p = ctx.params
    c = settings_from(TabularConfig, p)

    ctx.record_data(DataUsage(CLIFF_ID, "gymnasium", {"train": p["episodes"], "test": 1},
                              "episodes; 4×12 grid, −1 a step, −100 and back to start at the cliff"))
    ctx.record_data(DataUsage(LAKE_ID, "gymnasium", {"train": p["lake_episodes"], "test": p["lake_eval"]},
                              "episodes; 4×4 slippery lake, 1 at the goal, 100-step limit"))
    with ctx.training():
        cliff = {m: run_cliff(m, c, ctx.seed) for m in ("q_learning", "sarsa")}
        lake = run_lake(method, c, ctx.seed)
    other = "sarsa" if method == "q_learning" else "q_learning"
    mine, theirs = cliff[method], cliff[other]
    ctx.metric("cliff_greedy_return", mine["rollout"].ret, note=f"greedy path from the start, capped at {p['rollout_cap']} steps")
    ctx.metric("cliff_greedy_steps", mine["rollout"].steps)
    ctx.metric("cliff_rows_from_edge", mine["rows_from_edge"], "rows", note="closest approach to the cliff (1 = along the edge)")
    ctx.metric("cliff_fixed_point_return", mine["fixed_point"].ret,
               note="greedy path of the update rule's exact fixed point on P (Q-learning: Q*; Sarsa: the ε-greedy optimum)")
    ctx.metric(f"cliff_{other}_greedy_return", theirs["rollout"].ret)
    online = {m: float(cliff[m]["run"].returns.mean()) for m in cliff}
    ctx.metric("cliff_online_return", round(online[method], 2), note=f"mean ε-greedy return over {p['episodes']} training episodes")
    ctx.metric(f"cliff_{other}_online_return", round(online[other], 2))
    ctx.metric("sarsa_online_advantage", round(online["sarsa"] - online["q_learning"], 2),
               note="Sarsa's mean online return minus Q-learning's (positive: Sarsa's is higher)")
    ctx.metric("lake_success", lake["success"], note=f"greedy, {p['lake_eval']} episodes, seeds {EVAL_SEED}–{EVAL_SEED + p['lake_eval'] - 1}")
    ctx.metric("lake_success_exact", round(lake["exact"], 4), note="the same greedy policy evaluated exactly on P (100 steps)")
    ctx.metric("lake_optimum", round(lake["optimum"], 4), note="value iteration on env.unwrapped.P, 100-step horizon")
    # The gap of the policy itself, not of a sample of its episodes: over 1,000 episodes the sampled rate of one
    # policy has a standard error of 0.014. Sarsa's greedy policies at seeds 0, 1 and 2 all succeed with
    # probability 0.7298 exactly, yet on the same 1,000 evaluation episodes they scored 0.717 / 0.741 / 0.717 (they
    # differ in moves that keep the probability but change which episodes end in the goal), so a sampled gap of
    # 0.027 against the 0.05 bound looked thin; the exact gap is 0.0144 at every seed (Q-learning: 0.004).
    ctx.metric("lake_gap", round(lake["optimum"] - lake["exact"], 4),
               note="optimum − exact success of the greedy policy (both on P, 100 steps)")
    ctx.metric("lake_sampled_gap", round(lake["optimum"] - lake["success"], 4),
               note=f"optimum − success over the {p['lake_eval']} sampled episodes")
    steps = sum(cliff[m]["run"].steps for m in cliff) + lake["run"].steps
    seconds = sum(cliff[m]["seconds"] for m in cliff) + lake["seconds"]
    ctx.metric("env_steps_per_s", round(steps / seconds), "steps/s", note="training, agent updates included")

    names = {"q_learning": "Q-learning", "sarsa": "Sarsa"}
    ctx.table(
        f"{CLIFF_ID} ({S_AND_B}): {_step_size_text(p)}, ε {p['epsilon']:g}, γ {p['gamma']:g}, "
        f"{p['episodes']} episodes, seed {ctx.seed}",
        ["method", "greedy return", "greedy steps", "rows from the cliff", "fixed point on P (return, rows)",
         "online return (mean)", "online return (last 100)", "Sutton & Barto"],
        [[names[m], cliff[m]["rollout"].ret, cliff[m]["rollout"].steps, cliff[m]["rows_from_edge"],
          f"{cliff[m]['fixed_point'].ret:g}, {cliff[m]['fixed_point_rows']}",
          round(online[m], 1), round(float(cliff[m]["run"].returns[-100:].mean()), 1),
          "edge, −13" if m == "q_learning" else "safer path"]
         for m in ("q_learning", "sarsa")],
    )
    pictures = {m: path_picture(cliff[m]["rollout"].states, CLIFF_SHAPE) for m in cliff}
    ctx.table("greedy paths (S start, G goal, C cliff, * visited)", ["row", "Q-learning", "Sarsa"],
              [[r, pictures["q_learning"][r], pictures["sarsa"][r]] for r in range(CLIFF_SHAPE[0])])
    ctx.table(
        f"{LAKE_ID} (slippery): {names[method]}, {p['lake_episodes']} episodes, α {p['lake_alpha']:g}→{p['lake_alpha_end']:g}, "
        f"ε 1→{p['lake_epsilon']:g}, γ {p['lake_gamma']:g}; greedy episodes on seeds {EVAL_SEED}–{EVAL_SEED + p['lake_eval'] - 1}",
        ["policy", f"success over {p['lake_eval']} episodes", "exact success in 100 steps"],
        [[f"{names[method]} greedy", round(lake["success"], 3), round(lake["exact"], 4)],
         ["value iteration, best stationary policy", round(lake["stationary_sampled"], 3), round(lake["stationary_success"], 4)],
         ["value iteration, optimum (step-dependent policy)", "—", round(lake["optimum"], 4)]],
    )
    ctx.note("Update rules (scratch.tabular_rl): Q-learning Q(s,a) ← Q(s,a) + α[r + γ max_a' Q(s',a') − Q(s,a)]; "
             "Sarsa Q(s,a) ← Q(s,a) + α[r + γ Q(s',a') − Q(s,a)] with a' the ε-greedy next action; no bootstrap when "
             "the episode terminated, bootstrap when it was truncated by a time limit.")
    ctx.note("Sarsa's fixed point with ε = 0.1, computed exactly on P, is the path one row above the edge (−15), each "
             "choice on it ahead by about 1. In Sutton & Barto's figure (α = 0.5, 500 episodes) Sarsa walks the top row "
             "(−17): the row in between is tried only after two exploratory moves, so one α for all pairs leaves it "
             "unlearnt. A step size per state-action pair, α·n(s,a)^−ω, and tens of thousands of episodes reach the "
             "fixed point; --set episodes=500 --set alpha=0.5 --set alpha_power=0 gives the 500-episode run with α "
             "falling to alpha_end (−17 at seeds 0–9), --set alpha_end=0.5 on top of it Sutton & Barto's constant α.")
    if lake["capped"]:
        ctx.note(f"{lake['capped']} greedy FrozenLake episodes reached the cap of {p['rollout_cap']} steps")
    tabular_files(ctx, cliff, lake, method, names)


def _step_size_text(p: dict) -> str:
    """How α was set, for a table title."""
    if p["alpha_power"]:
        return f"α {p['alpha']:g}·n(s,a)^−{p['alpha_power']:g}"
    return f"α {p['alpha']:g}→{p['alpha_end']:g}"



# --- CartPole: REINFORCE and DQN ----------------------------------------------------------------


def _cartpole_usage(ctx, train_episodes: int, eval_episodes: int) -> None:
    from ...result import DataUsage

    ctx.record_data(DataUsage(CARTPOLE_ID, "gymnasium", {"train": train_episodes, "test": eval_episodes},
                              "episodes; +1 a step, 500-step limit, reward_threshold 475"))


def _save_policy(ctx, model, name: str = "policy.keras"):
    path = ctx.artifact_path(name)
    if path is not None:
        model.save(path)
    return path


def run_policy_gradient(ctx, label: str = "REINFORCE") -> None:
    """REINFORCE with a baseline on CartPole-v1: learning curve, greedy evaluation, gradient cross-check, policy.keras."""
    import numpy as np
    p = ctx.params
    c = settings_from(PolicyGradientConfig, p)
    check: dict = {}

    def gradient_check(model, episodes):
        from ...nn.rl import policy_gradient_tape
        from ...scratch.policy_gradient import PARAM_NAMES, reinforce_gradient

        params = dict(zip(PARAM_NAMES, (w.astype(np.float64) for w in model.get_weights())))
        grads, info = reinforce_gradient(params, episodes, c.gamma, normalize=c.normalize)
        obs = np.concatenate([ep["obs"] for ep in episodes])
        actions = np.concatenate([ep["actions"] for ep in episodes])
        tape = policy_gradient_tape(model, obs, actions, info["weights"].astype(np.float32))
        diffs = [float(np.max(np.abs(np.asarray(t) - grads[k]))) for k, t in zip(PARAM_NAMES, tape)]
        scale = max(float(np.max(np.abs(grads[k]))) for k in PARAM_NAMES)
        check.update(max_abs=max(diffs), scale=scale, baseline=info["baseline"])

    callbacks = ctx.loop_callbacks(label, total=c.iterations, where=reinforce_where)
    with ctx.training():
        run = train_reinforce(c, ctx.seed, callbacks, on_first_batch=gradient_check)
    callbacks.close()
    ev = evaluate_cartpole(run.act, p["eval_episodes"])
    n = p["batch_episodes"]
    first = float(np.mean(run.episode_returns[:n]))
    last = float(np.mean(run.episode_returns[-n:]))
    _cartpole_usage(ctx, len(run.episode_returns), p["eval_episodes"])
    ctx.metric("first_mean_return", round(first, 1), note=f"the first batch of {n} episodes (stochastic policy)")
    ctx.metric("last_mean_return", round(last, 1), note=f"the last batch of {n} training episodes")
    ctx.metric("greedy_mean_return", round(ev["mean"], 1), note=f"{p['eval_episodes']} greedy episodes, seeds {ev['seeds']}")
    ctx.metric("greedy_std_return", round(ev["std"], 1))
    ctx.metric("train_episodes", len(run.episode_returns))
    ctx.metric("env_steps", run.env_steps)
    ctx.metric("env_steps_per_s", round(run.env_steps / max(run.seconds, 1e-9)), "steps/s",
               note="training: acting, updates and validations together")
    ctx.metric("eval_steps_per_s", round(ev["steps"] / max(ev["seconds"], 1e-9)), "steps/s",
               note=f"greedy evaluation, {p['eval_episodes']} environments in lockstep")
    ctx.metric("gradient_max_abs_diff", check.get("max_abs", float("nan")),
               note=f"numpy ∇θ Σ log π (G − b) vs tf.GradientTape on the first batch (largest entry {check.get('scale', 0):.3g})")
    ctx.table(
        f"REINFORCE with a baseline on {CARTPOLE_ID}: policy {p['hidden']} tanh units, Adam lr {p['lr']:g}, "
        f"{n} episodes per update, γ {p['gamma']:g}, seed {ctx.seed}",
        ["stage", "episodes", "environment steps", "return (mean ± std)"],
        [["first batch (untrained)", n, "—", mean_std(run.episode_returns[:n])],
         ["last training batch", n, run.env_steps, mean_std(run.episode_returns[-n:])],
         [f"greedy evaluation, seeds {ev['seeds']}", p["eval_episodes"], ev["steps"], mean_std(ev["returns"])]],
    )
    _deep_notes(ctx, run, p, "policy update")
    ctx.note("Gradient (scratch.policy_gradient): ĝ = (1/N) Σ_episodes Σ_t ∇θ log π(a_t|s_t) (G_t − b), b = the batch's mean "
             "G_t" + (", G − b divided by its standard deviation" if p["normalize"] else "") +
             "; Adam ascends it (loss −Σ log π (G − b)/N).")
    _save_policy(ctx, run.model)
    deep_curves(ctx, {label: run})


def _deep_notes(ctx, run: DeepRun, p: dict, unit: str) -> None:
    if run.validations:
        best = max(v for _, v in run.validations)
        what = (f"stopped early at {run.env_steps} steps: the greedy validation mean reached {p['stop_at']:g}"
                if run.stopped_early else f"ran to the end ({run.env_steps} steps); best greedy validation {best:.1f}")
        ctx.note(f"{what}; the saved and evaluated weights are those of the best validation (step {run.best_step}; "
                 f"{p['val_episodes']} greedy episodes on seeds {VALIDATION_SEED}…, a score of {p['stop_at']:g} confirmed "
                 f"on {p['val_confirm']} more), never the evaluation seeds.")
    else:
        ctx.note(f"no greedy validation ran ({run.env_steps} steps); the final weights are evaluated.")
    ctx.note(f"Acting: one compiled tf.function call per step for all environments together (no model.predict); "
             f"{run.updates} {unit}s.")


def run_dqn(ctx, label: str = "DQN") -> None:
    """DQN on CartPole-v1: learning curve, greedy evaluation on unseen seeds, policy.keras, optional ablation table."""
    p = ctx.params
    c = settings_from(DqnConfig, p)
    callbacks = ctx.loop_callbacks(label, total=dqn_update_calls(c), where=dqn_where)
    with ctx.training():
        run = train_dqn(c, ctx.seed, callbacks)
    callbacks.close()
    ev = evaluate_cartpole(run.act, p["eval_episodes"])
    _cartpole_usage(ctx, len(run.episode_returns), p["eval_episodes"])
    ctx.metric("greedy_mean_return", round(ev["mean"], 1), note=f"{p['eval_episodes']} greedy episodes, seeds {ev['seeds']}")
    ctx.metric("greedy_std_return", round(ev["std"], 1))
    ctx.metric("train_episodes", len(run.episode_returns))
    ctx.metric("env_steps", run.env_steps)
    ctx.metric("updates", run.updates)
    ctx.metric("env_steps_per_s", round(run.env_steps / max(run.seconds, 1e-9)), "steps/s",
               note="training: acting, updates and validations together")
    ctx.metric("eval_steps_per_s", round(ev["steps"] / max(ev["seconds"], 1e-9)), "steps/s",
               note=f"greedy evaluation, {p['eval_episodes']} environments in lockstep")
    recent = run.episode_returns[-10:]
    tricks = ", ".join(t for t, on in (("replay", p["replay"]), ("target network", p["target"]),
                                        ("reward clipping", p["clip_rewards"]), (p["loss"], True),
                                        ("Double DQN", p["double"])) if on)
    ctx.table(
        f"DQN on {CARTPOLE_ID} ({tricks}): Q net 2×{p['hidden']} ReLU, Adam lr {p['lr']:g}, batch {p['batch_size']}, "
        f"{p['gradient_steps']} updates every {p['train_every']} steps, target copied every {p['target_every']} updates, "
        f"ε {p['epsilon_start']:g}→{p['epsilon_end']:g} over {p['epsilon_steps']} steps, at most {p['steps']} steps, seed {ctx.seed}",
        ["stage", "episodes", "environment steps", "return (mean ± std)"],
        [["last 10 training episodes (ε-greedy)", len(recent), run.env_steps, mean_std(recent) if recent else "—"],
         [f"greedy evaluation, seeds {ev['seeds']}", p["eval_episodes"], ev["steps"], mean_std(ev["returns"])]],
    )
    _deep_notes(ctx, run, p, "gradient update")
    ctx.note("Targets y = r + γ (1 − terminated) max_a' Q_target(s', a'): a pole that fell (terminated) has no future; "
             "an episode cut at 500 steps (truncated) still bootstraps from s'.")
    ctx.note("CartPole pays +1 every step, so clipping rewards to [−1, 1] leaves them unchanged here; the switch matters "
             "in environments with larger rewards (the course's Atari setting).")
    if p["ablation"]:
        run_dqn_ablation(ctx, c)
    _save_policy(ctx, run.model)
    deep_curves(ctx, {label: run})


def run_dqn_ablation(ctx, c: DqnConfig) -> None:
    """Each trick of ``c`` switched off in turn, over ``ablation_seeds`` seeds of ``ablation_steps`` steps each."""
    import numpy as np
    p = ctx.params
    base = replace(c, steps=p["ablation_steps"])
    seeds = [ctx.seed + 100 + i for i in range(p["ablation_seeds"])]
    rows = []
    task = ctx.reporter.task("DQN ablation", total=len(DQN_VARIANTS) * len(seeds))
    for name, change in DQN_VARIANTS.items():
        scores, steps, solved = [], [], 0
        for s in seeds:
            with ctx.training():
                run = train_dqn(replace(base, **change), s, LossGuard(f"ablation {name} seed {s}", dqn_where))
            scores.append(evaluate_cartpole(run.act, p["ablation_eval"])["mean"])
            steps.append(run.env_steps)
            solved += run.stopped_early
            task.advance(1)
        rows.append([name, f"{np.mean(scores):.1f}", f"{np.std(scores):.1f}", ", ".join(f"{v:.0f}" for v in scores),
                     f"{solved}/{len(seeds)}", f"{np.mean(steps):.0f}"])
        key = name.replace(" ", "_").replace("-", "_").lower()
        ctx.metric(f"ablation_{key}_mean", round(float(np.mean(scores)), 1))
    task.close()
    ctx.table(
        f"DQN ablation: {p['ablation_steps']} steps at most, seeds {seeds[0]}–{seeds[-1]}, greedy mean over "
        f"{p['ablation_eval']} episodes (seeds {EVAL_SEED}…) per seed",
        ["variant", "mean over seeds", "std over seeds", "per seed", "validation reached stop_at", "steps used (mean)"],
        rows,
    )
    # run_dqn's note says why clipping changes nothing on CartPole; here only what that proves about the table
    ctx.note("the 'no reward clipping' row repeats 'all four tricks' exactly: a check that the ablation runs see the "
             "same seeds and batches")
    if p["ablation_steps"] < p["steps"]:
        ctx.note(f"each ablation run had {p['ablation_steps']:,} steps, fewer than the main run's {p['steps']:,}: "
                 "a variant that has not reached 500 may only be slower, not worse (the full budget gives it as many)")


# --- bench.rl: the four methods side by side ----------------------------------------------------------


def run_rl_suite(ctx) -> None:
    """Q-learning and Sarsa on CliffWalking, REINFORCE and DQN on CartPole: curves and final greedy returns."""
    import numpy as np

    from ...result import DataUsage

    p = ctx.params
    smoke = ctx.budget == "smoke"  # the code path only: the exercises' smoke settings of the two deep loops
    tab = TabularConfig(episodes=p["episodes"])
    pg = PolicyGradientConfig(iterations=p["pg_iterations"], **(PG_SMOKE if smoke else {}))
    dq = DqnConfig(steps=p["dqn_steps"], **(DQN_SMOKE if smoke else {}))
    ctx.record_data(DataUsage(CLIFF_ID, "gymnasium", {"train": p["episodes"], "test": 1}, "episodes"))
    rows, curves = [], {}
    with ctx.training():
        cliff = {m: run_cliff(m, tab, ctx.seed) for m in ("q_learning", "sarsa")}
    for m, name in (("q_learning", "Q-learning"), ("sarsa", "Sarsa")):
        run, ro = cliff[m]["run"], cliff[m]["rollout"]
        ctx.metric(f"{m}_greedy_return", ro.ret)
        ctx.metric(f"{m}_online_return", round(float(run.returns.mean()), 2))
        rows.append([name, CLIFF_ID, p["episodes"], run.steps, f"{cliff[m]['seconds']:.1f}",
                     round(run.steps / max(cliff[m]["seconds"], 1e-9)), f"{run.returns.mean():.1f}",
                     f"{ro.ret:g} (one deterministic episode)"])
        curves[name] = (np.cumsum(run.lengths), run.returns)
    deep = {}
    for key, name, train, cfg, total, where in (
            ("reinforce", "REINFORCE", train_reinforce, pg, pg.iterations, reinforce_where),
            ("dqn", "DQN", train_dqn, dq, dqn_update_calls(dq), dqn_where)):
        callbacks = ctx.loop_callbacks(name, total=total, where=where)
        with ctx.training():
            run = train(cfg, ctx.seed, callbacks)
        callbacks.close()
        ev = evaluate_cartpole(run.act, p["eval_episodes"])
        deep[name] = run
        ctx.metric(f"{key}_greedy_mean_return", round(ev["mean"], 1), note=f"seeds {ev['seeds']}")
        ctx.metric(f"{key}_env_steps", run.env_steps)
        ctx.metric(f"{key}_env_steps_per_s", round(run.env_steps / max(run.seconds, 1e-9)), "steps/s")
        rows.append([name, CARTPOLE_ID, len(run.episode_returns), run.env_steps, f"{run.seconds:.1f}",
                     round(run.env_steps / max(run.seconds, 1e-9)),
                     f"{np.mean(run.episode_returns[-10:]):.1f}" if run.episode_returns else "—",
                     f"{mean_std(ev['returns'])} over {p['eval_episodes']} (seeds {ev['seeds']})"])
    ctx.record_data(DataUsage(CARTPOLE_ID, "gymnasium",
                              {"train": sum(len(r.episode_returns) for r in deep.values()), "test": 2 * p["eval_episodes"]},
                              "episodes"))
    ctx.table(f"four methods side by side ({ctx.budget} budget, seed {ctx.seed})",
              ["method", "environment", "training episodes", "environment steps", "training s", "steps/s",
               "online return (CliffWalking: mean; CartPole: last 10)", "greedy return"], rows)
    ctx.note("Tabular rules on CliffWalking (Sutton & Barto Example 6.6): Q-learning's greedy path takes the edge (−13), "
             "Sarsa's keeps away (−15/−17) and earns more while learning; CartPole's greedy returns are measured on "
             "environment seeds that training and validation never use.")
    suite_files(ctx, curves, deep)
