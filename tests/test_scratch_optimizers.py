"""The course's update rules (numpy) vs keras.optimizers and vs their closed forms, step by step (Day2 Section2).

Where the course's formula and Keras's coincide (SGD, momentum, Adam, and
AdaGrad/RMSProp with epsilon 0) they are compared directly on identical
gradient sequences in float64 (tolerance 1e-12 relative). Keras keeps the
learning rate in a float32 variable and casts Python-float hyperparameters
through float32 (momentum 0.9 becomes 0.89999998, so Adam's bias correction
uses β₂ = 0.99900001): the direct comparisons therefore use values that
float32 holds exactly (lr 2⁻ᵏ, μ = β₁ = 0.875, β₂ = 1 − 2⁻¹⁰, ρ = 1 − 2⁻⁶).
With 0.9/0.999 the trajectories differ by about 1e-6 relative, which is that
rounding, not a formula difference. Where they differ
(epsilon outside vs inside the square root) the course rule is compared with
its own closed form, and a test shows the size of the difference.
"""

from __future__ import annotations

import numpy as np
import pytest

from dl_exercises.scratch.optimizers import (
    SGD,
    AdaGrad,
    Adam,
    Momentum,
    RMSProp,
    descent_path,
    make_optimizer,
    saddle_function,
)

STEPS = 12
MU = 0.875  # momentum and β₁, exact in float32
BETA2 = 1 - 2**-10
RHO = 1 - 2**-6
THETA = 2**-13  # ≈ 1.2e-4, the notebook's θ = 1e-4 rounded to a float32-exact value
TOL = dict(rtol=1e-12, atol=1e-14)


@pytest.fixture(scope="module")
def keras():
    from dl_exercises.runtime import tf_keras

    return tf_keras()[1]


def _gradients(seed: int = 0, shape=(3, 4)):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape) for _ in range(STEPS)]


def _run_numpy(opt, w0, grads):
    params = {"w": w0.copy()}
    out = []
    for g in grads:
        opt.update(params, {"w": g})
        out.append(params["w"].copy())
    return out


def _run_keras(keras, opt, w0, grads):
    var = keras.Variable(w0.copy(), dtype="float64")
    out = []
    for g in grads:
        opt.apply_gradients([(keras.ops.convert_to_tensor(g, dtype="float64"), var)])
        out.append(np.array(var.numpy()))
    return out


def _assert_same_trajectory(ours, theirs):
    for step, (a, b) in enumerate(zip(ours, theirs), start=1):
        np.testing.assert_allclose(a, b, **TOL, err_msg=f"step {step}")


W0 = np.random.default_rng(42).normal(size=(3, 4))


def test_sgd_equals_keras_sgd(keras):
    grads = _gradients()
    _assert_same_trajectory(_run_numpy(SGD(0.125), W0, grads), _run_keras(keras, keras.optimizers.SGD(0.125), W0, grads))


def test_momentum_equals_keras_sgd_with_momentum(keras):
    """Both keep v ← μv − εg and add v to w (Keras stores the velocity with the same sign)."""
    grads = _gradients(1)
    ours = _run_numpy(Momentum(0.0625, momentum=MU), W0, grads)
    theirs = _run_keras(keras, keras.optimizers.SGD(0.0625, momentum=MU), W0, grads)
    _assert_same_trajectory(ours, theirs)


def test_adam_equals_keras_adam(keras):
    """The course's Adam folds the bias correction into the step size exactly as Keras's does (eps 1e-7 outside √v)."""
    grads = _gradients(2)
    ours = _run_numpy(Adam(0.015625, beta1=MU, beta2=BETA2, eps=1e-7), W0, grads)
    theirs = _run_keras(keras, keras.optimizers.Adam(0.015625, beta_1=MU, beta_2=BETA2, epsilon=1e-7), W0, grads)
    _assert_same_trajectory(ours, theirs)


def test_adagrad_without_epsilon_equals_keras(keras):
    """The course notebook's AdaGrad (h₀ = θ ≈ 1e-4, no epsilon) is Keras's Adagrad(initial_accumulator_value=θ, epsilon=0)."""
    grads = _gradients(3)
    ours = _run_numpy(AdaGrad(0.125, eps=0.0, initial_accumulator=THETA), W0, grads)
    theirs = _run_keras(keras, keras.optimizers.Adagrad(0.125, initial_accumulator_value=THETA, epsilon=0.0), W0, grads)
    _assert_same_trajectory(ours, theirs)


def test_rmsprop_without_epsilon_equals_keras(keras):
    grads = _gradients(4)
    ours = _run_numpy(RMSProp(0.015625, decay_rate=RHO, eps=0.0), W0, grads)
    theirs = _run_keras(keras, keras.optimizers.RMSprop(0.015625, rho=RHO, epsilon=0.0), W0, grads)
    _assert_same_trajectory(ours, theirs)


def test_adagrad_course_rule_matches_closed_form():
    """w_t = w_0 − Σ_k ε g_k / (√(Σ_{j≤k} g_j²) + 1e-7), computed with cumulative sums."""
    grads = _gradients(5)
    lr, eps = 0.1, 1e-7
    ours = _run_numpy(AdaGrad(lr, eps=eps), W0, grads)
    g = np.stack(grads)
    h = np.cumsum(g**2, axis=0)
    expected = W0 - np.cumsum(lr * g / (np.sqrt(h) + eps), axis=0)
    np.testing.assert_allclose(np.stack(ours), expected, **TOL)


def test_rmsprop_course_rule_matches_closed_form():
    """h_t = (1 − ρ) Σ_k ρ^(t−k) g_k², w_t = w_0 − Σ_k ε g_k / (√h_k + 1e-7)."""
    grads = _gradients(6)
    lr, rho, eps = 0.01, 0.99, 1e-7
    ours = _run_numpy(RMSProp(lr, decay_rate=rho, eps=eps), W0, grads)
    g = np.stack(grads)
    t = np.arange(1, STEPS + 1)
    weights = np.where(t[:, None] >= t[None, :], (1 - rho) * rho ** (t[:, None] - t[None, :]), 0.0)
    h = np.tensordot(weights, g**2, axes=1)
    expected = W0 - np.cumsum(lr * g / (np.sqrt(h) + eps), axis=0)
    np.testing.assert_allclose(np.stack(ours), expected, **TOL)


def test_adam_matches_paper_form_with_eps_moved():
    """Adam written as the paper does (m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)) equals the course form when eps is 0."""
    grads = _gradients(7)
    lr, b1, b2 = 0.01, 0.9, 0.999
    ours = _run_numpy(Adam(lr, b1, b2, eps=0.0), W0, grads)
    g = np.stack(grads)
    t = np.arange(1, STEPS + 1)
    w1 = np.where(t[:, None] >= t[None, :], (1 - b1) * b1 ** (t[:, None] - t[None, :]), 0.0)
    w2 = np.where(t[:, None] >= t[None, :], (1 - b2) * b2 ** (t[:, None] - t[None, :]), 0.0)
    m_hat = np.tensordot(w1, g, axes=1) / (1 - b1**t)[:, None, None]
    v_hat = np.tensordot(w2, g**2, axes=1) / (1 - b2**t)[:, None, None]
    expected = W0 - np.cumsum(lr * m_hat / np.sqrt(v_hat), axis=0)
    np.testing.assert_allclose(np.stack(ours), expected, rtol=1e-10, atol=1e-13)


def test_epsilon_placement_difference_is_visible_for_tiny_gradients(keras):
    """One step with g = 1e-4: course ε g/(|g| + 1e-7) ≈ 0.999ε; Keras ε g/√(g² + 1e-7) ≈ 0.30ε."""
    w0 = np.zeros((1,))
    g = [np.full((1,), 1e-4)]
    lr = 1.0
    course = _run_numpy(AdaGrad(lr), w0, g)[0][0]
    keras_step = _run_keras(keras, keras.optimizers.Adagrad(lr, initial_accumulator_value=0.0, epsilon=1e-7), w0, g)[0][0]
    assert course == pytest.approx(-1e-4 / (1e-4 + 1e-7), rel=1e-12)
    assert keras_step == pytest.approx(-1e-4 / np.sqrt(1e-8 + 1e-7), rel=1e-6)
    assert abs(course - keras_step) > 0.5  # the two conventions really differ here
    rms_course = _run_numpy(RMSProp(lr, decay_rate=0.99), w0, g)[0][0]
    rms_keras = _run_keras(keras, keras.optimizers.RMSprop(lr, rho=0.99, epsilon=1e-7), w0, g)[0][0]
    assert rms_course == pytest.approx(-1e-4 / (np.sqrt(0.01 * 1e-8) + 1e-7), rel=1e-12)
    assert rms_keras == pytest.approx(-1e-4 / np.sqrt(0.01 * 1e-8 + 1e-7), rel=1e-6)


def test_all_rules_descend_the_course_surface():
    """On f(x, y) = x²/20 + y² every rule ends lower than it started (Day2 Section2 figure)."""
    lrs = {"SGD": 0.95, "Momentum": 0.1, "AdaGrad": 1.5, "RMSProp": 0.2, "Adam": 0.3}
    start = saddle_function(-7.0, 2.0)
    for name, lr in lrs.items():
        path = descent_path(make_optimizer(name, lr), steps=30)
        assert path.shape == (31, 2)
        assert saddle_function(*path[-1]) < 0.25 * start, name


def test_validation_messages():
    with pytest.raises(ValueError, match="Received: lr=0"):
        SGD(0)
    with pytest.raises(ValueError, match="momentum=1.0"):
        Momentum(0.1, momentum=1.0)
    with pytest.raises(ValueError, match="unknown optimizer"):
        make_optimizer("lion", 0.1)
    with pytest.raises(ValueError, match="shape"):
        SGD(0.1).update({"w": np.zeros(3)}, {"w": np.zeros(4)})
