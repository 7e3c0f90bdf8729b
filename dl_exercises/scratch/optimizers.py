"""The course's five update rules: SGD, Momentum, AdaGrad, RMSProp, Adam (Day2 Section2, 学習率最適化手法).

Each optimizer updates a ``params`` dict in place from a ``grads`` dict with the
same keys (as the course's ``network.params[key] -= ...`` loops do) and keeps
its state per key. Formulas (ε = learning rate, g = ∇E):

- SGD:       w ← w − ε g
- Momentum:  v ← μ v − ε g;  w ← w + v
- AdaGrad:   h ← h + g²;  w ← w − ε g / (√h + eps)            (h₀ = ``initial_accumulator``)
- RMSProp:   h ← ρ h + (1 − ρ) g²;  w ← w − ε g / (√h + eps)
- Adam:      m ← m + (1 − β₁)(g − m);  v ← v + (1 − β₂)(g² − v);
             ε_t = ε √(1 − β₂ᵗ) / (1 − β₁ᵗ);  w ← w − ε_t m / (√v + eps)

Where Keras differs: Keras's Adagrad and RMSprop put their epsilon *inside* the
square root (√(h + eps)) and Adagrad starts h at 0.1; the course adds 1e-7
*outside*. With ``eps=0`` on both sides (and the same h₀) the rules are the
same. Keras's SGD momentum and Adam use exactly the course's forms.
"""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np

OPTIMIZER_NAMES = ("SGD", "Momentum", "AdaGrad", "RMSProp", "Adam")


class Optimizer:
    """Base class: per-key state, in-place ``update(params, grads)``."""

    def __init__(self, lr: float) -> None:
        if not lr > 0:
            raise ValueError(f"{type(self).__name__}: lr must be positive, Received: lr={lr}")
        self.lr = float(lr)
        self.iterations = 0
        self.state: dict[str, dict[str, np.ndarray]] = {}

    def update(self, params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Apply one step to every key of ``params`` (arrays are modified in place)."""
        self.iterations += 1
        for key, param in params.items():
            grad = np.asarray(grads[key])
            if grad.shape != param.shape:
                raise ValueError(f"{type(self).__name__}: grads[{key!r}].shape={grad.shape} != params shape {param.shape}")
            self._step(key, param, grad)

    def _step(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def _slot(self, key: str, name: str, like: np.ndarray, fill: float = 0.0) -> np.ndarray:
        slots = self.state.setdefault(key, {})
        if name not in slots:
            slots[name] = np.full_like(like, fill)
        return slots[name]


class SGD(Optimizer):
    """Plain stochastic gradient descent w ← w − ε g (Day1 Section4, Day2 Section2)."""

    def _step(self, key, param, grad):
        param -= self.lr * grad


class Momentum(Optimizer):
    """Momentum: v ← μ v − ε g; w ← w + v (Day2 Section2, モメンタム).

    Args:
        lr: learning rate ε.
        momentum: inertia μ in [0, 1).
    """

    def __init__(self, lr: float = 0.01, momentum: float = 0.9) -> None:
        super().__init__(lr)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"Momentum: momentum must be in [0, 1), Received: momentum={momentum}")
        self.momentum = float(momentum)

    def _step(self, key, param, grad):
        v = self._slot(key, "v", param)
        v *= self.momentum
        v -= self.lr * grad
        param += v


class AdaGrad(Optimizer):
    """AdaGrad: h ← h + g²; w ← w − ε g / (√h + eps) (Day2 Section2).

    Args:
        lr: learning rate ε.
        eps: added outside the square root (the course's 1e-7).
        initial_accumulator: h₀ (0 in the course's optimizer module; the course's
            notebook exercise starts at θ = 1e-4 with eps = 0).
    """

    def __init__(self, lr: float = 0.01, eps: float = 1e-7, initial_accumulator: float = 0.0) -> None:
        super().__init__(lr)
        if eps < 0 or initial_accumulator < 0:
            raise ValueError(
                f"AdaGrad: eps and initial_accumulator must be >= 0, Received: eps={eps}, "
                f"initial_accumulator={initial_accumulator}"
            )
        self.eps = float(eps)
        self.initial_accumulator = float(initial_accumulator)

    def _step(self, key, param, grad):
        h = self._slot(key, "h", param, self.initial_accumulator)
        h += grad * grad
        param -= self.lr * grad / (np.sqrt(h) + self.eps)


class RMSProp(Optimizer):
    """RMSProp: h ← ρ h + (1 − ρ) g²; w ← w − ε g / (√h + eps) (Day2 Section2).

    Args:
        lr: learning rate ε.
        decay_rate: ρ in [0, 1) (the course's 0.99).
        eps: added outside the square root (the course's 1e-7).
    """

    def __init__(self, lr: float = 0.01, decay_rate: float = 0.99, eps: float = 1e-7) -> None:
        super().__init__(lr)
        if not 0.0 <= decay_rate < 1.0:
            raise ValueError(f"RMSProp: decay_rate must be in [0, 1), Received: decay_rate={decay_rate}")
        if eps < 0:
            raise ValueError(f"RMSProp: eps must be >= 0, Received: eps={eps}")
        self.decay_rate = float(decay_rate)
        self.eps = float(eps)

    def _step(self, key, param, grad):
        h = self._slot(key, "h", param)
        h *= self.decay_rate
        h += (1.0 - self.decay_rate) * grad * grad
        param -= self.lr * grad / (np.sqrt(h) + self.eps)


class Adam(Optimizer):
    """Adam with the bias correction folded into the step size (Day2 Section2).

    ε_t = ε √(1 − β₂ᵗ) / (1 − β₁ᵗ); w ← w − ε_t m / (√v + eps). This is the
    course's code and Keras's ``Adam`` form; the paper's form divides the
    corrected m̂ by (√v̂ + eps), which differs only through where eps sits.

    Args:
        lr: learning rate ε.
        beta1, beta2: decay rates of the first and second moments, in [0, 1).
        eps: the course's 1e-7 (also Keras's default).
    """

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-7) -> None:
        super().__init__(lr)
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Adam: {name} must be in [0, 1), Received: {name}={beta}")
        self.beta1 = float(beta1)
        self.beta2 = float(beta2)
        self.eps = float(eps)

    def update(self, params, grads):
        t = self.iterations + 1
        self._lr_t = self.lr * np.sqrt(1.0 - self.beta2**t) / (1.0 - self.beta1**t)
        super().update(params, grads)

    def _step(self, key, param, grad):
        m = self._slot(key, "m", param)
        v = self._slot(key, "v", param)
        m += (1.0 - self.beta1) * (grad - m)
        v += (1.0 - self.beta2) * (grad * grad - v)
        param -= self._lr_t * m / (np.sqrt(v) + self.eps)


def make_optimizer(name: str, lr: float, **kwargs) -> Optimizer:
    """Optimizer by course name ("SGD", "Momentum", "AdaGrad", "RMSProp", "Adam"; case-insensitive)."""
    classes = {"sgd": SGD, "momentum": Momentum, "adagrad": AdaGrad, "rmsprop": RMSProp, "adam": Adam}
    cls = classes.get(name.lower())
    if cls is None:
        raise ValueError(f"make_optimizer: unknown optimizer, Received: name={name!r} (choose {', '.join(OPTIMIZER_NAMES)})")
    return cls(lr=lr, **kwargs)


def saddle_function(x, y):
    """f(x, y) = x²/20 + y², the course's test surface for comparing update rules (Day2 Section2)."""
    return x**2 / 20.0 + y**2


def saddle_gradient(x, y):
    """∇f of ``saddle_function``: (x/10, 2y)."""
    return x / 10.0, 2.0 * y


def descent_path(
    optimizer: Optimizer,
    start: tuple[float, float] = (-7.0, 2.0),
    steps: int = 30,
    gradient: Callable = saddle_gradient,
) -> np.ndarray:
    """Positions visited by ``optimizer`` minimising f(x, y) = x²/20 + y² from ``start``.

    Returns:
        array, shape (steps + 1, 2): the start and each updated (x, y).
    """
    params = {"x": np.array(float(start[0])), "y": np.array(float(start[1]))}
    path = [(float(params["x"]), float(params["y"]))]
    for _ in range(steps):
        gx, gy = gradient(params["x"], params["y"])
        optimizer.update(params, {"x": np.asarray(gx), "y": np.asarray(gy)})
        path.append((float(params["x"]), float(params["y"])))
    return np.array(path)
