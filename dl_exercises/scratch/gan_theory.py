"""The GAN's optimal discriminator on a 1-D toy, in numpy (Day4, GAN).

For a fixed generator with density p_g, the discriminator that maximises

    V(D, G) = E_x~p_data[log D(x)] + E_x~p_g[log(1 − D(x))]

is, point by point (maximise a·log D + b·log(1 − D) over D ∈ (0, 1)),

    D*(x) = p_data(x) / (p_data(x) + p_g(x)),

and there V(D*, G) = −log 4 + 2·JSD(p_data ‖ p_g), so the generator that then
minimises V drives the Jensen–Shannon divergence to 0 (p_g = p_data, D* = ½).

The toy: p_data a mixture of two Gaussians, p_g one wider Gaussian (both known);
a small MLP discriminator is trained by minimising −V (binary cross-entropy) and
compared with D* on a grid. By default V is the exact expectation (quadrature
on 400 points, so what is left is the optimiser's error, not sampling noise);
``samples`` trains on draws from each density instead. The trained D's V is then
estimated on fresh samples, by Monte Carlo.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def gaussian_pdf(x, mean: float, std: float) -> np.ndarray:
    """N(mean, std²) density at x."""
    x = np.asarray(x, dtype=np.float64)
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * np.sqrt(2.0 * np.pi))


@dataclass(frozen=True)
class Toy:
    """p_data = w·N(m1, s1²) + (1 − w)·N(m2, s2²); p_g = N(mg, sg²)."""

    m1: float = -1.5
    s1: float = 0.5
    m2: float = 1.5
    s2: float = 0.7
    w: float = 0.4
    mg: float = 0.3
    sg: float = 1.6

    def p_data(self, x) -> np.ndarray:
        return self.w * gaussian_pdf(x, self.m1, self.s1) + (1.0 - self.w) * gaussian_pdf(x, self.m2, self.s2)

    def p_g(self, x) -> np.ndarray:
        return gaussian_pdf(x, self.mg, self.sg)

    def sample_data(self, n: int, rng: np.random.Generator) -> np.ndarray:
        first = rng.random(n) < self.w
        return np.where(first, rng.normal(self.m1, self.s1, n), rng.normal(self.m2, self.s2, n))

    def sample_g(self, n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.normal(self.mg, self.sg, n)


def optimal_discriminator(p_data, p_g) -> np.ndarray:
    """D*(x) = p_data / (p_data + p_g), elementwise (Day4, GAN).

    Args:
        p_data, p_g: the two densities at the same points (not both 0).
    Returns:
        float64 array in [0, 1].
    """
    p_data, p_g = np.asarray(p_data, np.float64), np.asarray(p_g, np.float64)
    return p_data / (p_data + p_g)


def jensen_shannon(p, q, dx: float) -> float:
    """JSD(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2, by a Riemann sum on a uniform grid (nats)."""
    p, q = np.asarray(p, np.float64), np.asarray(q, np.float64)
    m = 0.5 * (p + q)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_p = np.where(p > 0, p * np.log(p / m), 0.0)
        kl_q = np.where(q > 0, q * np.log(q / m), 0.0)
    return float(0.5 * np.sum(kl_p + kl_q) * dx)


def game_value(d_real, d_fake) -> float:
    """Monte Carlo V(D, G) = mean log D(x_data) + mean log(1 − D(x_g)), from D's outputs on each sample."""
    eps = 1e-12
    return float(np.mean(np.log(np.asarray(d_real) + eps)) + np.mean(np.log(1.0 - np.asarray(d_fake) + eps)))


class MLPDiscriminator:
    """A 1 → hidden (tanh) → 1 logit MLP with its own forward/backward and Adam (Day4, GAN)."""

    def __init__(self, hidden: int = 16, seed: int = 0, center: float = 0.0, scale: float = 1.0):
        if hidden < 1 or scale <= 0:
            raise ValueError(f"hidden must be positive and scale > 0. Received: hidden={hidden}, scale={scale}")
        rng = np.random.default_rng(seed)
        self.center, self.scale = center, scale
        self.params = {"W1": rng.normal(0.0, 1.0, (1, hidden)), "b1": rng.normal(0.0, 1.0, hidden),
                       "W2": rng.normal(0.0, 1.0 / np.sqrt(hidden), (hidden, 1)), "b2": np.zeros(1)}

    def logits(self, x) -> np.ndarray:
        u = (np.asarray(x, np.float64).reshape(-1, 1) - self.center) / self.scale
        return (np.tanh(u @ self.params["W1"] + self.params["b1"]) @ self.params["W2"] + self.params["b2"]).ravel()

    def __call__(self, x) -> np.ndarray:
        """D(x) = σ(logit)."""
        return 1.0 / (1.0 + np.exp(-self.logits(x)))

    def loss_and_grads(self, x, label, weight=None) -> tuple[float, dict]:
        """Binary cross-entropy −[y log D + (1 − y) log(1 − D)], (weighted) mean over x, and its gradients."""
        u = (np.asarray(x, np.float64).reshape(-1, 1) - self.center) / self.scale
        h = np.tanh(u @ self.params["W1"] + self.params["b1"])
        z = (h @ self.params["W2"] + self.params["b2"]).ravel()
        y = np.asarray(label, np.float64)
        w = np.full(len(z), 1.0 / len(z)) if weight is None else np.asarray(weight, np.float64) / np.sum(weight)
        loss = float(np.sum(w * (np.logaddexp(0.0, z) - y * z)))
        dz = (w * (1.0 / (1.0 + np.exp(-z)) - y))[:, None]
        dh = (dz @ self.params["W2"].T) * (1.0 - h**2)
        grads = {"W2": h.T @ dz, "b2": dz.sum(0), "W1": u.T @ dh, "b1": dh.sum(0)}
        return loss, grads

    def fit(self, x_data, x_g, steps: int = 1500, lr: float = 0.03, w_data=None, w_g=None) -> list[float]:
        """Minimise −V(D, G) over D (full batch, Adam); returns the loss per step.

        ``x_data``, ``x_g``: samples of each density (then the mean BCE over the union is −V/2), or
        grid points with weights ``w_data`` = p_data·dx and ``w_g`` = p_g·dx (then it is −V/2 by quadrature).
        """
        x = np.concatenate([x_data, x_g])
        y = np.concatenate([np.ones(len(x_data)), np.zeros(len(x_g))])
        weight = None if w_data is None else np.concatenate([w_data, w_g])
        m = {k: np.zeros_like(v) for k, v in self.params.items()}
        v = {k: np.zeros_like(p) for k, p in self.params.items()}
        b1, b2, eps = 0.9, 0.999, 1e-8
        losses = []
        for t in range(1, steps + 1):
            loss, grads = self.loss_and_grads(x, y, weight)
            losses.append(loss)
            for k in self.params:
                m[k] = b1 * m[k] + (1 - b1) * grads[k]
                v[k] = b2 * v[k] + (1 - b2) * grads[k] ** 2
                self.params[k] -= lr * (m[k] / (1 - b1**t)) / (np.sqrt(v[k] / (1 - b2**t)) + eps)
        return losses


def optimal_discriminator_demo(n: int = 20000, hidden: int = 16, steps: int = 1500, seed: int = 0,
                               toy: Toy | None = None, samples: bool = False) -> dict:
    """Train an MLP discriminator on the toy and compare it with D* on a grid (Day4, GAN).

    Args:
        n: samples from each density (for the Monte Carlo V, and for training when ``samples``);
        hidden, steps: the MLP and its Adam steps; seed: sampling and init;
        samples: train on n samples of each density instead of the exact expectation.
    Returns:
        dict with ``grid``, ``p_data``, ``p_g``, ``d_star``, ``d_trained`` (arrays on the grid),
        ``mask`` (grid points where p_data + p_g ≥ 1% of its peak: where both players' samples fall),
        ``max_abs_error`` and ``mean_abs_error`` over the mask, ``value_trained`` (V at the trained D, on fresh samples),
        ``value_optimal`` = −log 4 + 2·JSD, and ``jsd``.
    """
    toy = toy or Toy()
    rng = np.random.default_rng(seed)
    x_data, x_g = toy.sample_data(n, rng), toy.sample_g(n, rng)
    both = np.concatenate([x_data, x_g])
    d = MLPDiscriminator(hidden, seed=seed, center=float(both.mean()), scale=float(both.std()))
    if samples:
        losses = d.fit(x_data, x_g, steps=steps)
    else:
        quad = np.linspace(-7.0, 7.0, 400)
        dq = quad[1] - quad[0]
        losses = d.fit(quad, quad, steps=steps, w_data=toy.p_data(quad) * dq, w_g=toy.p_g(quad) * dq)
    grid = np.linspace(-5.0, 5.0, 1001)
    p_data, p_g = toy.p_data(grid), toy.p_g(grid)
    d_star = optimal_discriminator(p_data, p_g)
    d_trained = d(grid)
    mask = (p_data + p_g) >= 0.01 * np.max(p_data + p_g)
    err = np.abs(d_trained - d_star)[mask]
    jsd = jensen_shannon(p_data, p_g, grid[1] - grid[0])
    fresh_data, fresh_g = toy.sample_data(n, rng), toy.sample_g(n, rng)
    return {
        "grid": grid, "p_data": p_data, "p_g": p_g, "d_star": d_star, "d_trained": d_trained, "mask": mask,
        "max_abs_error": float(err.max()), "mean_abs_error": float(err.mean()), "final_loss": losses[-1],
        "value_trained": game_value(d(fresh_data), d(fresh_g)), "value_optimal": -np.log(4.0) + 2.0 * jsd, "jsd": jsd,
    }
