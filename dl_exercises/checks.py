"""The course's 確認テスト that can be computed: question, answer, and evidence dlx computes.

Each check computes its evidence with the package's own numpy code
(``dl_exercises.scratch``) and says whether it supports the answer; ``dlx
check`` prints them. Checks register in the package's one registry
(``registry.CHECKS``) and import no TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .registry import CHECKS


@dataclass(frozen=True)
class Check:
    name: str
    section: str
    question: str
    question_ja: str
    answer: str
    evidence: Callable[[], tuple[str, bool]]


def check(name: str, *, section: str, question: str, question_ja: str, answer: str):
    """Register ``evidence() -> (text, supports the answer?)`` as check ``name``."""

    def decorate(func: Callable[[], tuple[str, bool]]):
        CHECKS.register(name, Check(name, section, question, question_ja, answer, func))
        return func

    return decorate


def all_checks() -> list[Check]:
    """The checks in the order they are defined (the course's order)."""
    return CHECKS.all()


def get_check(name: str) -> Check:
    return CHECKS.get(name)


@check(
    "sigmoid_derivative",
    section="Day1 Section2",
    question="Where is the derivative of the sigmoid largest, and what is its value there?",
    question_ja="シグモイド関数を微分した時、入力値が0の時に最大値をとる。その値は？",
    answer="at x = 0, σ′(0) = σ(0)(1 − σ(0)) = 0.25",
)
def _sigmoid_derivative() -> tuple[str, bool]:
    from .scratch.functions import d_sigmoid

    xs = np.linspace(-10, 10, 200001)
    values = d_sigmoid(xs)
    where = xs[np.argmax(values)]
    return f"max of σ′ on [-10, 10] (step 1e-4) is {values.max():.6f} at x = {where:+.4f}", bool(
        abs(values.max() - 0.25) < 1e-9 and abs(where) < 1e-9
    )


@check(
    "conv_output_size",
    section="Day2 Section3",
    question="A 6×6 input is convolved with a 2×2 filter, stride 1, padding 1. What is the output size?",
    question_ja="サイズ6×6の入力画像を、サイズ2×2のフィルタで畳み込んだ時の出力画像のサイズを答えよ（ストライド1、パディング1）",
    answer="7×7: (H + 2P − FH)/S + 1 = (6 + 2 − 2)/1 + 1 = 7",
)
def _conv_output_size() -> tuple[str, bool]:
    from .scratch.im2col import conv_output_size, im2col

    size = conv_output_size(6, 2, stride=1, pad=1)
    col = im2col(np.zeros((1, 1, 6, 6)), 2, 2, stride=1, pad=1)
    return f"formula gives {size}; im2col builds {col.shape[0]} = {size}×{size} windows of {col.shape[1]} values", bool(
        size == 7 and col.shape == (49, 4)
    )


@check(
    "mobilenet_cost_ratio",
    section="Day4 Section3",
    question="How much cheaper is a depthwise separable convolution than a standard one?",
    question_ja="MobileNet の Depthwise Separable Convolution の計算量は通常の畳み込みの何倍か",
    answer="(D_K²·M·D_F² + M·N·D_F²) / (D_K²·M·N·D_F²) = 1/N + 1/D_K²",
)
def _mobilenet_ratio() -> tuple[str, bool]:
    dk, m, n, df = 3, 32, 64, 14
    rng = np.random.default_rng(0)
    x = rng.normal(size=(df + dk - 1, df + dk - 1, m))
    counted = {"standard": 0, "depthwise": 0, "pointwise": 0}
    # count the multiply-adds of each convolution by actually performing them
    standard_w = rng.normal(size=(dk, dk, m, n))
    depth_w = rng.normal(size=(dk, dk, m))
    point_w = rng.normal(size=(m, n))
    depth_out = np.zeros((df, df, m))
    for i in range(df):
        for j in range(df):
            patch = x[i : i + dk, j : j + dk, :]
            _ = np.einsum("hwc,hwcn->n", patch, standard_w)
            counted["standard"] += dk * dk * m * n
            depth_out[i, j] = np.einsum("hwc,hwc->c", patch, depth_w)
            counted["depthwise"] += dk * dk * m
    _ = depth_out.reshape(-1, m) @ point_w
    counted["pointwise"] += df * df * m * n
    ratio = (counted["depthwise"] + counted["pointwise"]) / counted["standard"]
    formula = 1 / n + 1 / dk**2
    return (
        f"D_K={dk}, M={m}, N={n}, D_F={df}: counted {counted['depthwise'] + counted['pointwise']:,} vs "
        f"{counted['standard']:,} multiply-adds, ratio {ratio:.6f}; 1/N + 1/D_K² = {formula:.6f}",
        bool(abs(ratio - formula) < 1e-12),
    )


@check(
    "gradient_clipping",
    section="Day3 Section2",
    question="Fill the blank in gradient_clipping: if rate < 1, return ___",
    question_ja="gradient_clipping の空欄: rate < 1 のとき return ___",
    answer="gradient * rate (rate = threshold / norm)",
)
def _gradient_clipping() -> tuple[str, bool]:
    from .scratch.clipping import gradient_clipping

    grad = np.array([3.0, 4.0])
    clipped = gradient_clipping(grad, threshold=1.0)
    untouched = gradient_clipping(grad, threshold=10.0)
    ok = np.allclose(clipped, grad * (1.0 / 5.0)) and np.array_equal(untouched, grad)
    return (
        f"grad [3, 4] (norm 5), threshold 1 → {np.round(clipped, 6).tolist()} (norm {np.linalg.norm(clipped):.6f}); "
        f"threshold 10 → unchanged",
        bool(ok),
    )


@check(
    "lstm_vs_gru_parameters",
    section="Day3 Section3",
    question="Which has more parameters, an LSTM or a GRU layer of the same size, and why?",
    question_ja="LSTM と GRU の違い: パラメータ数が多いのはどちらか",
    answer="LSTM: 4 weight blocks (input, forget, output gates and the cell input) against GRU's 3 (update, reset, candidate)",
)
def _lstm_vs_gru() -> tuple[str, bool]:
    from .scratch.gru import gru_param_count
    from .scratch.lstm import init_lstm_params, lstm_param_count

    rows, ok = [], True
    for d_in, hidden in ((1, 20), (32, 64), (128, 128)):
        lstm = sum(a.size for a in init_lstm_params(d_in, hidden).values())  # the numpy LSTM's own arrays
        gru = gru_param_count(d_in, hidden, reset_after=True)  # Keras's default GRU (two bias rows)
        ok &= lstm == lstm_param_count(d_in, hidden) and lstm > gru
        rows.append(f"in {d_in}, units {hidden}: LSTM {lstm:,} vs GRU {gru:,} (ratio {lstm / gru:.3f})")
    return "; ".join(rows), bool(ok)


@check(
    "bidirectional_concat",
    section="Day3 Section4",
    question="In bidirectional_rnn_net, how are forward and backward states combined?",
    question_ja="bidirectional_rnn_net の空欄: 順方向と逆方向の中間層の結合",
    answer="np.concatenate([h_f, h_b[::-1]], axis=1)",
)
def _bidirectional() -> tuple[str, bool]:
    from .scratch.bidirectional import _rnn, bidirectional_rnn_net

    rng = np.random.default_rng(1)
    steps, d_in, hidden, d_out = 5, 3, 4, 2
    xs = rng.normal(size=(1, steps, d_in))
    wf, wb = rng.normal(size=(2, d_in, hidden)) * 0.5
    uf, ub = rng.normal(size=(2, hidden, hidden)) * 0.5
    v = rng.normal(size=(d_out, 2 * hidden))
    ys = bidirectional_rnn_net(xs, wf, uf, wb, ub, v)
    h_f = _rnn(xs, wf, uf)[0]
    h_b = _rnn(xs[:, ::-1], wb, ub)[0]
    right = np.concatenate([h_f, h_b[::-1]], axis=1) @ v.T
    wrong = np.concatenate([h_f, h_b], axis=1) @ v.T  # forgetting to re-reverse the backward states
    ok = np.allclose(ys[0], right) and not np.allclose(ys[0], wrong)
    return f"outputs equal the axis-1 concatenation with reversed backward states (max diff {np.abs(ys[0] - right).max():.1e}); without re-reversing they differ by {np.abs(ys[0] - wrong).max():.3f}", bool(ok)


@check(
    "l1_vs_l2",
    section="Day2 Section3",
    question="Why does L1 regularization (diamond contour) give sparse weights where L2 (circle) does not?",
    question_ja="L1正則化（ひし形）とL2正則化（円）のグラフはどちらか。L1 がスパース推定になる理由",
    answer="the L1 ball's corners lie on the axes, so the constrained optimum often has zero coordinates; L2 only shrinks",
)
def _l1_vs_l2() -> tuple[str, bool]:
    from .scratch.regularization import weight_decay_gradient, weight_decay_penalty

    rng = np.random.default_rng(2)
    target = rng.normal(size=200) * 0.5  # unregularised optimum of ½‖w − w*‖²
    lam = 0.3

    def objective(w, kind):  # ½‖w − w*‖² plus the package's weight-decay penalty
        return 0.5 * float(((w - target) ** 2).sum()) + weight_decay_penalty([w], lam, kind)

    # closed-form minimisers: L1 soft-thresholds, L2 shrinks every coordinate by 1/(1 + λ)
    solutions = {"l1": np.sign(target) * np.maximum(np.abs(target) - lam, 0.0), "l2": target / (1.0 + lam)}
    # optimality with the package's gradient: zero gradient where w ≠ 0; at w = 0 (L1) |w*| ≤ λ (subgradient)
    stationary = {}
    for kind, w in solutions.items():
        nonzero = w != 0
        grad = (w - target) + weight_decay_gradient(w, lam, kind)
        stationary[kind] = bool(np.allclose(grad[nonzero], 0.0, atol=1e-12) and np.all(np.abs(target[~nonzero]) <= lam))
    probes = [rng.normal(scale=1e-3, size=target.shape) for _ in range(50)]
    minimal = all(objective(w + p, kind) >= objective(w, kind) for kind, w in solutions.items() for p in probes)
    zeros_l1, zeros_l2 = int((solutions["l1"] == 0).sum()), int((solutions["l2"] == 0).sum())
    return f"λ={lam}, 200 weights: L1 sets {zeros_l1} exactly to zero, L2 sets {zeros_l2}", bool(
        minimal and all(stationary.values()) and zeros_l1 > 0 and zeros_l2 == 0
    )


@check(
    "backprop_code_lines",
    section="Day1 Section5",
    question="Find the code for ∂E/∂y and for ∂E/∂y·∂y/∂u·∂u/∂w⁽²⁾ in the backprop notebook.",
    question_ja="∂E/∂y と ∂E/∂y·∂y/∂u·∂u/∂w⁽²⁾ に該当するソースコードを探せ",
    answer="delta2 = functions.d_mean_squared_error(d, y);  grad['W2'] = np.dot(z1.T, delta2)",
)
def _backprop_lines() -> tuple[str, bool]:
    from .scratch.functions import mean_squared_error
    from .scratch.gradient import numerical_gradient
    from .scratch.layers import Affine, IdentityWithLoss

    rng = np.random.default_rng(3)
    z1 = rng.normal(size=(1, 3))
    w2, b2 = rng.normal(size=(3, 2)), np.zeros(2)
    d = rng.normal(size=(1, 2))
    affine, last = Affine(w2.copy(), b2), IdentityWithLoss()  # the notebook's regression output layer
    last.forward(affine.forward(z1), d)
    delta2 = last.backward(1.0)  # ∂E/∂y: d_mean_squared_error(d, y) = y − d for E = ½‖y − d‖²
    affine.backward(delta2)
    grad_w2 = np.dot(z1.T, delta2)  # the notebook's line for ∂E/∂y·∂y/∂u·∂u/∂w⁽²⁾
    numeric = numerical_gradient(lambda w: mean_squared_error(z1 @ w + b2, d), w2.copy())
    ok = np.allclose(grad_w2, affine.grads["W"]) and np.allclose(grad_w2, numeric, atol=1e-7)
    return (f"np.dot(z1.T, delta2) equals the Affine layer's dW (max diff {np.abs(grad_w2 - affine.grads['W']).max():.1e}) "
            f"and central differences (max diff {np.abs(grad_w2 - numeric).max():.1e})", bool(ok))
