"""One protocol for every hand-written training loop (DQN, REINFORCE, AlphaGo's stages, distillation, …).

A loop below the runner never sees the run context. It takes a ``LoopCallbacks`` and
returns a ``LoopHistory``:

- ``on_epoch_end(epoch, logs)`` after each epoch, episode block or evaluation step
  (``epoch`` counts from 0, ``logs`` maps names to numbers: counts stay ``int``, the rest ``float``);
- ``should_stop()`` asked after it, so a target reached or a budget spent ends the loop early.

The runner adapts its context to this protocol once (``RunContext.loop_callbacks``):
progress bar, history rows and the NaN/Inf guard. Tests and notebooks pass
``Silent()`` or their own object with the same two methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol


class LoopCallbacks(Protocol):
    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None: ...

    def should_stop(self) -> bool: ...


class Silent:
    """Callbacks that record nothing and never stop a loop."""

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        return None

    def should_stop(self) -> bool:
        return False


def at_epoch(epoch: int, logs: dict[str, float]) -> str:
    """Where a loop was, for an error message: "at epoch N" (from 1)."""
    return f"at epoch {epoch + 1}"


class LossGuard:
    """Callbacks that only stop a loop with a one-line ``NonFiniteLoss`` when ``logs["loss"]`` is NaN or Inf.

    ``where(epoch, logs)`` says where the loop was (default "at epoch N"): a loop whose
    rows count updates or iterations names them, e.g. "at update 128 (environment step 1024)".
    """

    def __init__(self, label: str, where: Callable[[int, dict[str, float]], str] | None = None) -> None:
        self.label, self.where = label, where or at_epoch

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        if "loss" in logs:
            from ..runtime import check_finite

            check_finite(logs["loss"], f"in {self.label} {self.where(epoch, logs)}")

    def should_stop(self) -> bool:
        return False


@dataclass
class LoopHistory:
    """The rows a loop passed to ``on_epoch_end``, in order."""

    rows: list[dict[str, float]] = field(default_factory=list)

    def append(self, logs: dict[str, float]) -> None:
        self.rows.append(dict(logs))

    def column(self, key: str) -> list[float]:
        """One log entry across the rows that have it."""
        return [row[key] for row in self.rows if key in row]

    @property
    def last(self) -> dict[str, float]:
        return self.rows[-1] if self.rows else {}

    def __len__(self) -> int:
        return len(self.rows)


def end_epoch(callbacks: LoopCallbacks, history: LoopHistory, epoch: int, logs: dict[str, float]) -> bool:
    """Record ``logs``, tell the callbacks, and say whether the loop should stop."""
    logs = {key: value if isinstance(value, int) else float(value) for key, value in logs.items()}
    history.append(logs)
    callbacks.on_epoch_end(epoch, logs)
    return bool(callbacks.should_stop())

