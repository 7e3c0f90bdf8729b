"""The files of the reinforcement-learning runs (Day4 Section1): return curves as CSV and PNG, Q tables, written through ``ctx``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import CARTPOLE_ID, CARTPOLE_THRESHOLD, CLIFF_ID, CLIFF_SHAPE, LAKE_ID

if TYPE_CHECKING:  # for annotations; numpy itself loads when an exercise runs
    import numpy as np


def smooth(values, width: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """(episode numbers, running mean over ``width`` episodes); the first point is episode ``width``."""
    import numpy as np
    values = np.asarray(values, dtype=float)
    width = max(1, min(width, len(values)))
    y = np.convolve(values, np.ones(width) / width, mode="valid")
    return np.arange(width, width + len(y)), y


def tabular_files(ctx, cliff, lake, method, names) -> None:
    """q_tables.npz (one Q table per environment id), return_curves.csv and return_curves.png."""
    import numpy as np
    path = ctx.artifact_path("q_tables.npz")
    if path is None:
        return
    np.savez(path, **{CLIFF_ID: cliff[method]["run"].q, LAKE_ID: lake["run"].q})
    import csv

    with open(ctx.artifact_path("return_curves.csv"), "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["env_id", "method", "episode", "return"])
        for m in cliff:
            writer.writerows([CLIFF_ID, m, i + 1, float(r)] for i, r in enumerate(cliff[m]["run"].returns))
        writer.writerows([LAKE_ID, method, i + 1, float(r)] for i, r in enumerate(lake["run"].returns))
    plt = ctx.pyplot()
    fig, axes = plt.subplots(3, 1, figsize=(8, 9), gridspec_kw={"height_ratios": [3, 2, 2]})
    for m, style in (("q_learning", "-"), ("sarsa", "-")):
        axes[0].plot(*smooth(cliff[m]["run"].returns), style, label=names[m])
    axes[0].set_ylim(-100, 0)
    axes[0].set_xlabel("episode")
    axes[0].set_ylabel("return per episode (10-episode mean)")
    axes[0].set_title(f"{CLIFF_ID}: online return during learning (ε-greedy)")
    axes[0].legend()
    rows, cols = CLIFF_SHAPE
    from ...scratch.tabular_rl import grid_path

    ax = axes[1]
    ax.add_patch(plt.Rectangle((0.5, -0.5), cols - 2, 1, color="#d62728", alpha=0.3))
    for m, color, dy in (("q_learning", "#1f77b4", 0.08), ("sarsa", "#ff7f0e", -0.08)):
        rc = np.array(grid_path(cliff[m]["rollout"].states, CLIFF_SHAPE), dtype=float)
        ax.plot(rc[:, 1], rows - 1 - rc[:, 0] + dy, "o-", color=color, markersize=3,
                label=f"{names[m]} greedy path ({cliff[m]['rollout'].ret:g})")
    ax.text(0, -0.1, "S", ha="center")
    ax.text(cols - 1, -0.1, "G", ha="center")
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(-0.5, rows - 0.5)
    ax.set_xticks(range(cols))
    ax.set_yticks(range(rows))
    ax.grid(True, linewidth=0.3)
    ax.set_title("greedy paths (red: the cliff)")
    ax.legend(fontsize=7, loc="upper center")
    axes[2].plot(*smooth(lake["run"].returns, 200), label=f"{names[method]} (ε-greedy, 200-episode mean)")
    axes[2].axhline(lake["optimum"], color="black", linestyle="--", linewidth=0.8, label=f"optimum {lake['optimum']:.3f}")
    axes[2].axhline(lake["success"], color="green", linestyle=":", linewidth=0.8, label=f"greedy {lake['success']:.3f}")
    axes[2].set_xlabel("episode")
    axes[2].set_ylabel("success rate")
    axes[2].set_title(f"{LAKE_ID} (slippery)")
    axes[2].legend(fontsize=7)
    fig.tight_layout()
    ctx.save_figure(fig, "return_curves.png")


def deep_curves(ctx, runs: dict, stem: str = "return_curves") -> None:
    """``return_curves.csv`` (method, episode, return of every training episode) and a PNG of the curves."""
    path = ctx.artifact_path(f"{stem}.csv")
    if path is None:
        return
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["env_id", "method", "episode", "return"])
        for label, run in runs.items():
            writer.writerows([CARTPOLE_ID, label, i + 1, float(r)] for i, r in enumerate(run.episode_returns))
    plt = ctx.pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    plot_cartpole_curves(ax, runs, f"{CARTPOLE_ID}: learning curves")
    ctx.save_figure(fig, f"{stem}.png")


def plot_cartpole_curves(ax, runs: dict, title: str) -> None:
    """Training return and greedy validation against environment steps, one pair of lines per run, on ``ax``."""
    for label, run in runs.items():
        if run.curve:
            steps, values = zip(*run.curve)
            ax.plot(steps, values, label=f"{label} (training)")
        if run.validations:
            steps, values = zip(*run.validations)
            ax.plot(steps, values, "o", markersize=3, label=f"{label} (greedy validation)")
    ax.axhline(CARTPOLE_THRESHOLD, color="black", linestyle="--", linewidth=0.8, label="reward_threshold 475")
    ax.set_xlabel("environment steps")
    ax.set_ylabel("return per episode")
    ax.set_ylim(0, 520)
    ax.set_title(title)
    ax.legend(fontsize=7)


def suite_files(ctx, curves, deep) -> None:
    """``bench.rl``'s return_curves.csv and .png: CliffWalking's tabular curves beside CartPole's deep ones."""
    path = ctx.artifact_path("return_curves.csv")
    if path is None:
        return
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["env_id", "method", "episode", "return"])
        for name, (_, returns) in curves.items():
            writer.writerows([CLIFF_ID, name, i + 1, float(r)] for i, r in enumerate(returns))
        for name, run in deep.items():
            writer.writerows([CARTPOLE_ID, name, i + 1, float(r)] for i, r in enumerate(run.episode_returns))
    plt = ctx.pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for name, (_, returns) in curves.items():
        axes[0].plot(*smooth(returns), label=name)
    axes[0].set_ylim(-100, 0)
    axes[0].set_xlabel("episode")
    axes[0].set_ylabel("online return (10-episode mean)")
    axes[0].set_title(f"{CLIFF_ID}: tabular Q-learning vs Sarsa")
    axes[0].legend()
    plot_cartpole_curves(axes[1], deep, f"{CARTPOLE_ID}: REINFORCE vs DQN")
    fig.tight_layout()
    ctx.save_figure(fig, "return_curves.png")
