"""Small helpers the studies share: settings from checked parameters, table cells, and the run context adapted to the numpy/Keras twins."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def settings_from(cls: type[T], params: dict[str, Any], **changes: Any) -> T:
    """The frozen settings dataclass ``cls`` filled from a run's checked parameters, then ``changes``.

    Every field must be a parameter of the run: a default is written once, in ``cls``, and the
    parameters declared from it carry it (or the budget's or ``--set``'s value) here.
    """
    return cls(**{**{f.name: params[f.name] for f in dataclasses.fields(cls)}, **changes})


def r4(x: float, digits: int = 4) -> float:
    """A number rounded for a table cell (the metric itself is not rounded)."""
    return round(float(x), digits)


def secs(x: float) -> str:
    return f"{x:.1f}"


def or_dash(value) -> Any:
    """The value, or "—" where the course gives none."""
    return "—" if value is None else value


def twin_hooks(ctx, impl: str, label: str, iters: int) -> dict[str, Any]:
    """The run context as ``train.twins``'s keyword arguments for one run named ``"{impl} {label}"``.

    ``impl`` is "numpy" (loop callbacks, one call per evaluation point) or "keras" (Keras callbacks);
    both time the run as training time.
    """
    from ..train.batches import eval_points

    run = f"{impl} {label}"
    if impl == "keras":
        return ctx.fit_hooks(run, run=run)
    return {"callbacks": ctx.loop_callbacks(run, total=len(eval_points(iters))), "training": ctx.training}


def twin_curves_figure(ctx, curves: dict, *, figsize: tuple[float, float], legend: dict, title: str | None = None):
    """Test accuracy per iteration of each twin run, numpy solid and Keras dashed; returns (plt, fig) to save.

    ``curves`` maps ``(impl, label)`` to the ``[(iteration, accuracy)]`` of ``train.twins``.
    """
    plt = ctx.pyplot()
    fig, ax = plt.subplots(figsize=figsize)
    for (impl, label), curve in curves.items():
        its, accs = zip(*curve)
        ax.plot(its, accs, "-" if impl == "numpy" else "--", label=f"{label} ({impl})")
    ax.set_xlabel("iteration")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1)
    ax.legend(**legend)
    if title:
        ax.set_title(title)
    return plt, fig
