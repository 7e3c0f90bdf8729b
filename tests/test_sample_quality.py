"""Calibration and the Fréchet distance of ``scratch.sample_quality`` against closed forms (Day4 GAN)."""

from __future__ import annotations

import numpy as np
import pytest

from dl_exercises.scratch.sample_quality import (expected_calibration_error, fit_temperature, frechet_distance, nll,
                                                 softmax)


def test_fit_temperature_recovers_the_temperature_that_made_the_labels():
    """Labels drawn from softmax(z / 2.5): the NLL-optimal temperature of z is about 2.5."""
    rng = np.random.default_rng(0)
    logits = rng.normal(scale=4.0, size=(20000, 10))
    labels = np.array([rng.choice(10, p=p) for p in softmax(logits, 2.5)])
    t = fit_temperature(logits, labels)
    assert t == pytest.approx(2.5, rel=0.05)
    assert nll(logits, labels, t) < nll(logits, labels, 1.0)


def test_expected_calibration_error_by_hand():
    # two bins used: confidence 0.9 (4 samples, 3 right → |0.75 − 0.9|) and 0.6 (1 sample, right → |1 − 0.6|)
    probs = np.array([[0.9, 0.1]] * 4 + [[0.4, 0.6]])
    labels = np.array([0, 0, 0, 1, 1])
    assert expected_calibration_error(probs, labels, bins=10) == pytest.approx(4 / 5 * 0.15 + 1 / 5 * 0.4)


def test_frechet_distance_of_one_dimensional_gaussians_is_the_closed_form():
    """In 1-D: (μ₁ − μ₂)² + σ₁² + σ₂² − 2σ₁σ₂ = (μ₁ − μ₂)² + (σ₁ − σ₂)², with the sample moments."""
    rng = np.random.default_rng(1)
    a, b = rng.normal(1.0, 2.0, size=(5000, 1)), rng.normal(-0.5, 0.5, size=(3000, 1))
    sa, sb = a.std(ddof=1), b.std(ddof=1)
    assert frechet_distance(a, b) == pytest.approx((a.mean() - b.mean()) ** 2 + (sa - sb) ** 2, rel=1e-9)


def test_frechet_distance_matches_the_matrix_square_root_formula_and_vanishes_on_one_set():
    from scipy import linalg

    rng = np.random.default_rng(2)
    a = rng.normal(size=(400, 6)) @ rng.normal(size=(6, 6))
    b = rng.normal(size=(500, 6)) @ rng.normal(size=(6, 6)) + 1.0
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    expected = (np.sum((a.mean(0) - b.mean(0)) ** 2) + np.trace(cov_a) + np.trace(cov_b)
                - 2 * np.trace(np.real(linalg.sqrtm(cov_a @ cov_b))))
    assert frechet_distance(a, b) == pytest.approx(expected, rel=1e-7)
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-8)
