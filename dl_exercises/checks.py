"""Every 確認テスト of the course documents: the question in the course's words, the answer, and evidence.

A check is one question the course poses. Where a computation can show the
answer, the check computes it with the package's own numpy code
(``dl_exercises.scratch``) and says whether the result supports the answer;
where the answer is a concept, the evidence names the exercises that
demonstrate it (``dlx run ID``) and checks that they exist. ``dlx check``
prints them; ``dlx report`` puts each beside the exercises it names.

``kind`` is 確認テスト, or 演習チャレンジ for the course's fill-in-the-code
questions. ``source`` names the course document a question was counted in
(``../shared/seeds/NNN_*.txt``) and ``quote`` a passage of it, so a test can
find every one; ``COURSE_DOCUMENT_QUESTIONS`` is their number. Checks register
in the package's one registry (``registry.CHECKS``) and import no TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .registry import CHECKS

CONFIRMATION = "確認テスト"
CHALLENGE = "演習チャレンジ"

# The 確認テスト the course documents pose (../shared/seeds): 15 in the Day 3–4 report (001, of which seven are
# numbered under one heading) and 8 in the Day 1–2 report (003; two of them share one box). Each is one check.
COURSE_DOCUMENT_QUESTIONS = 23


@dataclass(frozen=True)
class Check:
    name: str
    section: str
    question: str
    question_ja: str
    answer: str
    evidence: Callable[[], tuple[str, bool]]
    answer_ja: str = ""
    kind: str = CONFIRMATION
    exercises: tuple[str, ...] = ()  # the exercises that demonstrate it (``dlx run ID``)
    source: str | None = None  # the course document it was counted in ("001", "003"), None if it is in none
    quote: str = ""  # a passage of that document at the question


def check(name: str, *, section: str, question: str, question_ja: str, answer: str, answer_ja: str = "",
          kind: str = CONFIRMATION, exercises: tuple[str, ...] = (), source: str | None = None, quote: str = ""):
    """Register ``evidence() -> (text, supports the answer?)`` as check ``name``."""

    def decorate(func: Callable[[], tuple[str, bool]]):
        CHECKS.register(name, Check(name, section, question, question_ja, answer, func, answer_ja, kind,
                                    tuple(exercises), source, quote))
        return func

    return decorate


def all_checks() -> list[Check]:
    """The checks in the order they are defined (the course's order)."""
    return CHECKS.all()


def get_check(name: str) -> Check:
    return CHECKS.get(name)


def checks_for(exercise_id: str) -> list[Check]:
    """The checks that name ``exercise_id`` among the exercises demonstrating them."""
    return [c for c in all_checks() if exercise_id in c.exercises]


def _exercises_exist(ids: tuple[str, ...], what: str) -> tuple[str, bool]:
    """Evidence for a concept: the exercises that show it, each of which must be registered."""
    from .registry import EXERCISES

    missing = [i for i in ids if i not in EXERCISES]
    shown = ", ".join(f"dlx run {i}" for i in ids)
    return f"a concept: {what} is demonstrated by {shown}", not missing and bool(ids)


# --- Day 1 (document 003) --------------------------------------------------------------------


@check(
    "forward_code",
    section="Day1 Section1",
    question="Write u = w1x1 + w2x2 + w3x3 + w4x4 + b = Wx + b in Python.",
    question_ja="u = w1x1 + w2x2 + w3x3 + w4x4 + b = Wx + b (1.2)  この式をPythonで書け。",
    answer="u1 = np.dot(x, W1) + b1",
    answer_ja="u1 = np.dot(x, W1) + b1",
    exercises=("day1.forward",), source="003", quote="この式をPythonで書け。",
)
def _forward_code() -> tuple[str, bool]:
    from .scratch.day1_nets import course_networks

    net = course_networks()["single_layer_multi_unit"]
    (W, b, _), x = net["layers"][0], net["x"]
    by_dot = np.dot(x, W) + b
    by_sum = np.array([sum(W[i, j] * x[i] for i in range(len(x))) + b[j] for j in range(W.shape[1])])
    return (f"the course's 4-input, 3-unit layer: np.dot(x, W) + b = {np.round(by_dot, 6).tolist()}, "
            f"the sum w1x1 + … + w4x4 + b written out = {np.round(by_sum, 6).tolist()}",
            bool(np.allclose(by_dot, by_sum, atol=1e-12)))


@check(
    "middle_layer_code",
    section="Day1 Section2",
    question="Find the line of the forward-propagation notebook that defines the hidden layer's output.",
    question_ja="配布されたソースコードより、中間層の出力を定義しているソースを抜き出せ。",
    answer="z1 = functions.sigmoid(u) (the activation applied to the total input)",
    answer_ja="z1 = functions.sigmoid(u)（総入力 u に活性化関数をかけたもの）",
    exercises=("day1.forward", "day1.activations"), source="003", quote="`z1 = functions.sigmoid(u)`",
)
def _middle_layer_code() -> tuple[str, bool]:
    from .scratch.functions import sigmoid

    u = 14.00627815592513  # the total input the document's run printed (*** 緯入力 ***)
    z = float(sigmoid(np.array(u)))
    printed = 0.9999991736760774  # its *** 中間層出力 ***
    return (f"functions.sigmoid(u) of the document's total input u = {u} is {z!r}; the document printed "
            f"{printed!r} as the hidden layer's output", bool(abs(z - printed) < 1e-15))


@check(
    "why_square",
    section="Day1 Section3",
    question="Why is the error squared rather than just subtracted?",
    question_ja="なぜ、引き算でなく二乗するか述べよ",
    answer="plain differences of opposite sign cancel, so their sum says nothing about the size of the error",
    answer_ja="引き算では誤差が正になる場合と負になる場合が打ち消しあってしまうため",
    exercises=("day1.losses",), source="003", quote="なぜ、引き算でなく二乗するか述べよ",
)
def _why_square() -> tuple[str, bool]:
    from .scratch.day1_nets import course_networks, forward_numpy

    net = course_networks()["multiclass_2_3_4"]
    _, zs = forward_numpy(net["layers"], net["x"])
    y, d = zs[-1], net["d"]
    plain, squared = float(np.sum(y - d)), float(np.sum((y - d) ** 2))
    return (f"the course's 2-3-4 network: y = {np.round(y, 8).tolist()} against d = {d.tolist()}: Σ(y − d) = "
            f"{plain:.1e} (the softmax and the one-hot target both sum to 1, so the differences always cancel), "
            f"Σ(y − d)² = {squared:.6f}", bool(abs(plain) < 1e-12 and squared > 0.1))


@check(
    "half_in_squared_error",
    section="Day1 Section3",
    question="What does the ½ in E = ½ Σ (y − d)² do?",
    question_ja="下式の1/2はどういう意味を持つか述べよ  E_n(w) = 1/2 Σ (y_j − d_j)² = 1/2 ‖(y − d)‖²",
    answer="it cancels the 2 that differentiating the square brings down, so ∂E/∂y = y − d",
    answer_ja="誤差関数を微分した時に出る 2 と打ち消し合い、∂E/∂y = y − d と計算しやすくなる",
    exercises=("day1.losses", "day1.backprop"), source="003", quote="下式の1/2はどういう意味を持つか述べよ",
)
def _half_factor() -> tuple[str, bool]:
    from .scratch.functions import mean_squared_error
    from .scratch.gradient import numerical_gradient

    y, d = np.array([0.3, -1.2, 2.0]), np.array([1.0, 0.5, 1.5])
    with_half = numerical_gradient(lambda v: mean_squared_error(v, d), y.copy())
    without = numerical_gradient(lambda v: 2 * mean_squared_error(v, d), y.copy())
    ok = np.allclose(with_half, y - d, atol=1e-8) and np.allclose(without, 2 * (y - d), atol=1e-8)
    return (f"central differences: ∂/∂y ½Σ(y − d)² = {np.round(with_half, 6).tolist()} = y − d; "
            f"without the ½: {np.round(without, 6).tolist()} = 2(y − d)", bool(ok))


@check(
    "gradient_descent_code",
    section="Day1 Section4",
    question="Find the code of w(t+1) = w(t) − ε∇E in the course's notebook.",
    question_ja="w(t+1) = w(t) − ε∇E  該当するソースコードを探してみよう。",
    answer="network[key] -= learning_rate * grad[key]",
    answer_ja="network[key] -= learning_rate * grad[key]（learning_rate が ε、grad[key] が ∇E）",
    exercises=("day1.sgd", "day1.backprop"), source="003", quote="network[key] -= learning_rate * grad[key]",
)
def _gradient_descent_code() -> tuple[str, bool]:
    from .scratch.day1_nets import analytic_gradients, backprop_course_net, course_loss
    from .scratch.gradient import numerical_gradient

    network, x, d = backprop_course_net()
    learning_rate = 0.01
    grad, _ = analytic_gradients(network, x, d)
    before = course_loss(network, x, d)
    expected = {k: network[k] - learning_rate * numerical_gradient(
        lambda w, k=k: course_loss({**network, k: w}, x, d), network[k].copy()) for k in network}
    for key in ("W1", "b1", "W2", "b2"):
        network[key] -= learning_rate * grad[key]  # the notebook's line
    after = course_loss(network, x, d)
    same = all(np.allclose(network[k], expected[k], atol=1e-8) for k in network)
    return (f"one step of that line on the course's backprop network: loss {before:.6f} → {after:.6f}; "
            f"the weights equal w − ε·(central-difference ∇E)", bool(same and after < before))


@check(
    "backprop_code_lines",
    section="Day1 Section5",
    question="Find the code for ∂E/∂y and for ∂E/∂y·∂y/∂u·∂u/∂w⁽²⁾ in the backprop notebook.",
    question_ja="∂E/∂y、∂E/∂y·∂y/∂u、∂E/∂y·∂y/∂u·∂u/∂w_ji⁽²⁾  2つの空欄に該当するソースコードを探せ",
    answer="delta2 = functions.d_mean_squared_error(d, y);  grad['W2'] = np.dot(z1.T, delta2)",
    answer_ja="delta2 = functions.d_mean_squared_error(d, y);  grad['W2'] = np.dot(z1.T, delta2)",
    exercises=("day1.backprop",), source="003", quote="2つの空欄に該当するソースコードを探せ",
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


# --- Day 2 (document 003, and the course's slides) ------------------------------------------------


@check(
    "optimizer_features",
    section="Day2 Section2",
    question="Describe Momentum, AdaGrad and RMSProp briefly.",
    question_ja="モメンタム・AdaGrad・RMSPropの特徴をそれぞれ簡潔に説明せよ。",
    answer=("Momentum adds inertia, so it speeds along shallow directions; AdaGrad divides by the root of all past "
            "squared gradients, so its steps only shrink; RMSProp forgets old gradients, so its steps stay usable"),
    answer_ja=("モメンタム: 慣性項で更新が加速し、局所最適解にとどまりにくい。AdaGrad: 勾配の二乗の累積で割るので、"
               "極値に近づくほど更新量が小さくなる (鞍点で止まりやすい)。RMSProp: 古い勾配を忘れるので更新量が消えず、振動しにくい"),
    exercises=("day2.optimizers",), source="003", quote="モメンタム・AdaGrad・RMSPropの特徴を",
)
def _optimizer_features() -> tuple[str, bool]:
    from .scratch.optimizers import SGD, AdaGrad, Momentum, RMSProp, descent_path, saddle_function, saddle_gradient

    steps, lr = 30, 0.1
    sgd, momentum = descent_path(SGD(lr), steps=steps), descent_path(Momentum(lr, 0.9), steps=steps)

    def step_sizes(optimizer, n=100):  # ε / (√h + eps) along x after each step: the learning rate the rule really uses
        params, sizes = {"x": np.array(-7.0), "y": np.array(2.0)}, []
        for _ in range(n):
            gx, gy = saddle_gradient(params["x"], params["y"])
            optimizer.update(params, {"x": np.asarray(gx), "y": np.asarray(gy)})
            sizes.append(float(optimizer.lr / (np.sqrt(optimizer.state["x"]["h"]) + optimizer.eps)))
        return np.array(sizes), params

    ada, ada_end = step_sizes(AdaGrad(1.5))
    rms, rms_end = step_sizes(RMSProp(0.1, 0.99))
    f = {"SGD": saddle_function(*sgd[-1]), "Momentum": saddle_function(*momentum[-1]),
         "AdaGrad": saddle_function(ada_end["x"], ada_end["y"]), "RMSProp": saddle_function(rms_end["x"], rms_end["y"])}
    ok = (abs(momentum[-1, 0]) < abs(sgd[-1, 0]) and bool(np.all(np.diff(ada) <= 0)) and ada[-1] < ada[0]
          and rms[-1] > 1.3 * rms.min())
    return (f"f(x, y) = x²/20 + y² from (−7, 2), {steps} steps: x ends at {sgd[-1, 0]:.3f} with SGD (lr {lr}) and "
            f"{momentum[-1, 0]:.3f} with Momentum (lr {lr}, μ 0.9); over 100 steps AdaGrad's step size along x only "
            f"falls ({ada[0]:.3f} → {ada[-1]:.3f}), RMSProp's falls to {rms.min():.3f} and comes back to {rms[-1]:.3f} "
            f"as it forgets the large early gradients; f at the end (30 steps of SGD and Momentum, 100 of the others): " + ", ".join(f"{k} {float(v):.4f}" for k, v in f.items()),
            bool(ok))


@check(
    "l1_vs_l2",
    section="Day2 Section3",
    question="Which contour is L1 regularization's (diamond or circle), and why does L1 give sparse weights?",
    question_ja="下図について、L1正則化を表しているグラフはどちらか答えよ。",
    answer="the diamond: L1 measures weights by the Manhattan distance; its corners lie on the axes, so the optimum often has zero coordinates, where L2 only shrinks",
    answer_ja="右の図（ひし形）。L1 正則化はパラメータの大きさをマンハッタン距離で評価するので等高線はひし形、L2 はユークリッド距離なので円を描く。ひし形の角が軸上にあるため、L1 では重みが 0 になりやすい（スパース推定）",
    exercises=("day2.overfitting",), source="003", quote="L1 正則化を表すのは右の図",
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
    "conv_output_size",
    section="Day2 Section3",
    question="A 6×6 input is convolved with a 2×2 filter, stride 1, padding 1. What is the output size?",
    question_ja="サイズ6×6の入力画像を、サイズ2×2のフィルタで畳み込んだ時の出力画像のサイズを答えよ（ストライド1、パディング1）",
    answer="7×7: (H + 2P − FH)/S + 1 = (6 + 2 − 2)/1 + 1 = 7",
    answer_ja="7×7: (H + 2P − FH)/S + 1 = (6 + 2 − 2)/1 + 1 = 7",
    exercises=("day2.im2col",),
)
def _conv_output_size() -> tuple[str, bool]:
    from .scratch.im2col import conv_output_size, im2col

    size = conv_output_size(6, 2, stride=1, pad=1)
    col = im2col(np.zeros((1, 1, 6, 6)), 2, 2, stride=1, pad=1)
    return f"formula gives {size}; im2col builds {col.shape[0]} = {size}×{size} windows of {col.shape[1]} values", bool(
        size == 7 and col.shape == (49, 4)
    )


# --- Day 3 (document 001) ------------------------------------------------------------------------


@check(
    "rnn_three_weights",
    section="Day3 Section1",
    question=("An RNN has three kinds of weights: input → hidden, hidden → output, and one more. Explain the third."),
    question_ja=("RNNのネットワークには大きくわけて3つの重みがある。1つは入力から現在の中間層を定義する際にかけられる重み、"
                 "1つは中間層から出力を定義する際にかけられる重みである。残り1つの重みについて説明せよ。"),
    answer="the weight from one time step's hidden layer to the next one's (W in u_t = x_t W_in + z_(t−1) W + b)",
    answer_ja="中間層から次の時刻の中間層にかけられる重み（u[:,t+1] = np.dot(X, W_in) + np.dot(z[:,t], W) の W）",
    exercises=("day3.simple_rnn",), source="001", quote="残り1つの重みについて説明せよ。",
)
def _rnn_three_weights() -> tuple[str, bool]:
    from .scratch.rnn import init_rnn_params, rnn_forward

    params = init_rnn_params(2, 16, 1, init="xavier", rng=np.random.default_rng(4))
    x = np.random.default_rng(5).integers(0, 2, size=(1, 4, 2)).astype(float)
    nudged = x.copy()
    nudged[0, 0] += 0.5  # change only the first input

    def last_output_change(p):
        return float(np.abs(rnn_forward(p, nudged, "tanh")[0][0, -1] - rnn_forward(p, x, "tanh")[0][0, -1]).max())

    shapes = ", ".join(f"{k} {params[k].shape}" for k in ("W_in", "W", "W_out"))
    with_w = last_output_change(params)
    without_w = last_output_change({**params, "W": np.zeros_like(params["W"])})
    return (f"the numpy RNN's three weights: {shapes}; over 4 steps (tanh), changing the first input moves the last output by "
            f"{with_w:.2e}, and by {without_w:.1e} once W (hidden → next hidden) is zero: only W carries the past",
            bool(with_w > 1e-6 and without_w == 0.0))


@check(
    "sigmoid_derivative",
    section="Day3 Section1",
    question="Where is the derivative of the sigmoid largest, and what is its value there?",
    question_ja="シグモイド関数を微分した時、入力値が0の時に最大値をとる。その値として正しいものを選択肢から選べ。",
    answer="at x = 0, σ′(0) = σ(0)(1 − σ(0)) = 0.25",
    answer_ja="0.25（σ′(0) = σ(0)(1 − σ(0)) = 0.5 × 0.5）。1 未満なので、層を遡るたびに勾配が小さくなる（勾配消失）",
    exercises=("day1.activations", "day2.vanishing_gradient", "day3.lstm"), source="001",
    quote="入力値が0の時に最大値をとる",
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
    "gradient_clipping",
    section="Day3 Section2",
    question="Fill the blank in gradient_clipping: if rate < 1, return ___",
    question_ja="勾配のクリッピングを行う関数の (さ) にあてはまるのはどれか（rate < 1 のとき return ___）",
    answer="gradient * rate (rate = threshold / norm)",
    answer_ja="(1) gradient * rate（rate = しきい値 / 勾配のノルム）",
    kind=CHALLENGE, exercises=("day3.gradient_clipping",),
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
    question="Describe the difference between LSTM and GRU briefly (which has more parameters, and why?).",
    question_ja="LSTMとGRUの違いを簡潔に述べよ",
    answer="LSTM: 4 weight blocks (input, forget, output gates and the cell input) against GRU's 3 (update, reset, candidate), so GRU computes faster; which is more accurate depends on the task",
    answer_ja="パラメータの数が LSTM の方が多い（重みのブロックが 4 つと 3 つ）。そのため GRU の方が実行速度の面で有利。どちらが精度で有利かはケースバイケース",
    exercises=("day3.gru", "day3.lstm", "bench.rnn"), source="001", quote="LSTMとGRUの違いを簡潔に述べよ",
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
    question_ja="双方向RNNの順伝播を行うプログラムの (か) にあてはまるのはどれか（順方向と逆方向の中間層の結合）",
    answer="np.concatenate([h_f, h_b[::-1]], axis=1)",
    answer_ja="np.concatenate([h_f, h_b[::-1]], axis=1)",
    kind=CHALLENGE, exercises=("day3.bidirectional",),
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
    "seq2seq_choice",
    section="Day3 Section5",
    question="Which of the four descriptions is seq2seq?",
    question_ja="下記の選択肢から、seq2seqについて説明しているものを選べ。",
    answer="(2): an encoder–decoder model built from RNNs, used for machine translation; (1) is a bidirectional RNN, (3) a recursive NN, (4) an LSTM",
    answer_ja="(2) RNNを用いたEncoder-Decoderモデルの一種であり、機械翻訳などのモデルに使われる。（(1) は双方向 RNN、(3) は構文木の再帰型ニューラルネットワーク、(4) は LSTM の説明）",
    exercises=("day3.seq2seq", "day3.bidirectional", "day3.lstm"), source="001",
    quote="seq2seqについて説明しているものを選び",
)
def _seq2seq_choice() -> tuple[str, bool]:
    return _exercises_exist(("day3.seq2seq", "day3.bidirectional", "day3.lstm"),
                            "the encoder–decoder (and the two distractors)")


@check(
    "seq2seq_hred_vhred",
    section="Day3 Section5",
    question="Describe the differences between seq2seq and HRED, and between HRED and VHRED, briefly.",
    question_ja="seq2seqとHRED、HREDとVHREDの違いを簡潔に述べよ。",
    answer="seq2seq answers one utterance; HRED adds a context RNN over the past turns; VHRED adds a VAE's latent variable to HRED, so the same context can get different replies",
    answer_ja="seq2seq は一問一答しかできない。HRED は過去の発話を Context RNN で文脈として扱う。VHRED は HRED に VAE の潜在変数を加え、同じ文脈でも毎回同じ答えしか出ない HRED の課題を解決した",
    exercises=("day3.hred", "day3.seq2seq"), source="001", quote="seq2seqとHRED、HREDとVHREDの違いを簡潔に述べよ。",
)
def _seq2seq_hred_vhred() -> tuple[str, bool]:
    return _exercises_exist(("day3.hred", "day3.seq2seq"),
                            "context (HRED against last-turn seq2seq) and varied replies (VHRED's samples)")


@check(
    "vae_blank",
    section="Day3 Section5",
    question="Fill the blank: a VAE is an autoencoder whose latent variable is given ____.",
    question_ja="VAEに関する下記の説明文中の空欄に当てはまる言葉を答えよ。自己符号化器の潜在変数に____を導入したもの。",
    answer="a probability distribution (z ~ N(μ, σ²), sampled as z = μ + σε)",
    answer_ja="確率分布（z ~ N(μ, σ²)。z = μ + σε とサンプリングする）",
    exercises=("day3.vae", "day3.autoencoder"), source="001", quote="自己符号化器の潜在変数に",
)
def _vae_blank() -> tuple[str, bool]:
    rng = np.random.default_rng(6)
    mu, log_var = np.array([0.8, -1.5]), np.array([-0.5, 0.7])
    eps = rng.standard_normal((200_000, 2))
    z = mu + np.exp(0.5 * log_var) * eps  # the reparameterization the VAE trains through
    kl_closed = float(0.5 * np.sum(mu**2 + np.exp(log_var) - log_var - 1))
    log_q = -0.5 * (np.log(2 * np.pi) + log_var + eps**2)
    log_p = -0.5 * (np.log(2 * np.pi) + z**2)
    kl_sampled = float(np.mean(np.sum(log_q - log_p, axis=1)))
    ok = (np.allclose(z.mean(0), mu, atol=0.01) and np.allclose(z.std(0), np.exp(0.5 * log_var), atol=0.01)
          and abs(kl_sampled - kl_closed) < 0.02)
    return (f"one input's latent is a distribution, not a point: z = μ + σε over 200,000 draws has mean "
            f"{np.round(z.mean(0), 3).tolist()} (μ = {mu.tolist()}) and std {np.round(z.std(0), 3).tolist()} "
            f"(σ = {np.round(np.exp(0.5 * log_var), 3).tolist()}); KL(q ‖ N(0, I)) = {kl_closed:.4f} in closed form, "
            f"{kl_sampled:.4f} from the samples", bool(ok))


@check(
    "word2vec_and_attention",
    section="Day3 Section7",
    question="Describe the differences between RNN and word2vec, and between seq2seq and seq2seq + attention, briefly.",
    question_ja="RNNとword2vec、seq2seqとseq2seq+Attention Mechanismの違いを簡潔に述べよ。",
    answer="word2vec learns a vocabulary × d embedding instead of vocabulary × vocabulary one-hot weights; attention lets the decoder read every encoder state, so long inputs no longer squeeze through one fixed vector",
    answer_ja="word2vec は単語を「ボキャブラリ数×単語ベクトルの次元数」の重みで表し、現実的な計算量で学習できる（one-hot ではボキャブラリ×ボキャブラリ）。Attention は入出力の単語の関連度を学習し、長い文でも固定長ベクトルに押し込めずに済む",
    exercises=("day3.word2vec", "day3.attention"), source="001",
    quote="RNNとword2vec、seq2seqとseq2seq+Attention Mechanismの違いを簡潔に述べよ。",
)
def _word2vec_and_attention() -> tuple[str, bool]:
    sentence = "I want to eat apples. I like apples."  # the course's own example
    vocabulary = sorted({w.strip(".") for w in sentence.split()}, key=str.lower)
    v, d, big_v = len(vocabulary), 300, 10_000
    text, ok = _exercises_exist(("day3.word2vec", "day3.attention"), "attention over every encoder state")
    return (f"the course's sentence has the vocabulary {{{', '.join(vocabulary)}}} (V = {v}); a V×V one-hot weight "
            f"has {v * v} entries, a V×d embedding {v} × d; at V = {big_v:,} and d = {d}: {big_v * big_v:,} against "
            f"{big_v * d:,}; {text}", ok and v == 6)


# --- Day 2 Section 4 and Day 4: CNN architectures, transfer learning, detection (document 001) ------

# GoogLeNet's Inception modules (Szegedy et al. 2014, Table 1): input channels, #1×1, #3×3 reduce, #3×3,
# #5×5 reduce, #5×5, pool proj, and the side of the map they see.
_INCEPTION = {"3a": (192, 64, 96, 128, 16, 32, 32, 28), "3b": (256, 128, 128, 192, 32, 96, 64, 28),
              "4a": (480, 192, 96, 208, 16, 48, 64, 14), "4b": (512, 160, 112, 224, 24, 64, 64, 14),
              "4c": (512, 128, 128, 256, 24, 64, 64, 14), "4d": (512, 112, 144, 288, 32, 64, 64, 14),
              "4e": (528, 256, 160, 320, 32, 128, 128, 14), "5a": (832, 256, 160, 320, 32, 128, 128, 7),
              "5b": (832, 384, 192, 384, 48, 128, 128, 7)}


def _conv(k: int, c_in: int, c_out: int) -> int:
    """Parameters of a k×k convolution with bias."""
    return k * k * c_in * c_out + c_out


def _inception(c_in, n1, r3, n3, r5, n5, pool, side=0, reduce=True) -> tuple[int, int]:
    """(parameters, multiply-adds) of one Inception module; without ``reduce`` its 3×3 and 5×5 see every input channel."""
    if reduce:
        params = _conv(1, c_in, n1) + _conv(1, c_in, r3) + _conv(3, r3, n3) + _conv(1, c_in, r5) + _conv(5, r5, n5) + _conv(1, c_in, pool)
        macs = c_in * n1 + c_in * r3 + 9 * r3 * n3 + c_in * r5 + 25 * r5 * n5 + c_in * pool
    else:
        params = _conv(1, c_in, n1) + _conv(3, c_in, n3) + _conv(5, c_in, n5) + _conv(1, c_in, pool)
        macs = c_in * n1 + 9 * c_in * n3 + 25 * c_in * n5 + c_in * pool
    return params, macs * side * side


def googlenet_counts() -> dict[str, int]:
    """GoogLeNet for inference (no auxiliary heads), with biases: parameters and multiply-adds per 224×224 image."""
    params = _conv(7, 3, 64) + _conv(1, 64, 64) + _conv(3, 64, 192) + 1024 * 1000 + 1000
    macs = 112 * 112 * 49 * 3 * 64 + 56 * 56 * (64 * 64 + 9 * 64 * 192) + 1024 * 1000
    for spec in _INCEPTION.values():
        p, m = _inception(*spec)
        params, macs = params + p, macs + m
    return {"params": params, "macs": macs}


def auxiliary_head_counts(c_in: int) -> dict[str, int]:
    """One auxiliary classifier: 5×5/3 average pool to 4×4, 1×1 conv to 128, FC 1024, FC 1000."""
    return {"params": _conv(1, c_in, 128) + 2048 * 1024 + 1024 + 1024 * 1000 + 1000,
            "macs": 16 * c_in * 128 + 2048 * 1024 + 1024 * 1000}


def vgg16_params() -> int:
    """VGG16 with its three fully connected layers, 1000 classes (as keras.applications.VGG16)."""
    widths, c_in, total = (64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512), 3, 0
    for width in widths:
        total, c_in = total + _conv(3, c_in, width), width
    return total + 7 * 7 * 512 * 4096 + 4096 + 4096 * 4096 + 4096 + 4096 * 1000 + 1000


def resnet50_params() -> int:
    """ResNet50 v1 as keras.applications.ResNet50: biased convs, batch norms of 4 numbers per channel."""
    total, c_in = _conv(7, 3, 64) + 4 * 64, 64
    for blocks, width in zip((3, 4, 6, 3), (64, 128, 256, 512)):
        for block in range(blocks):
            total += _conv(1, c_in, width) + _conv(3, width, width) + _conv(1, width, 4 * width) + 4 * (6 * width)
            if block == 0:  # the projection shortcut
                total += _conv(1, c_in, 4 * width) + 4 * 4 * width
            c_in = 4 * width
    return total + 2048 * 1000 + 1000


def _plain_and_residual_gradients(depth: int = 30, width: int = 50) -> tuple[float, float]:
    """‖∂L/∂x‖ / ‖∂L/∂h_depth‖ through ``depth`` sigmoid layers, plain (h ← σ(Wh)) and residual (h ← h + σ(Wh))."""
    rng = np.random.default_rng(7)
    weights = [rng.normal(0, 1 / np.sqrt(width), (width, width)) for _ in range(depth)]
    x = rng.normal(size=width)
    ratios = []
    for residual in (False, True):
        h, slopes = x, []
        for w in weights:
            s = 1 / (1 + np.exp(-(w @ h)))
            slopes.append(s * (1 - s))
            h = h + s if residual else s
        g = np.ones(width) / np.sqrt(width)
        for w, slope in zip(reversed(weights), reversed(slopes)):
            through = w.T @ (g * slope)
            g = g + through if residual else through
        ratios.append(float(np.linalg.norm(g)))
    return ratios[0], ratios[1]


@check(
    "inception_module",
    section="Day2 Section4",
    question="GoogLeNet's Inception module: which statement about it is wrong?",
    question_ja="GoogleNetの特徴としてInception moduleと呼ばれる複数のフィルタ郡により構成されたブロックが挙げられる。Inception moduleに関する記述として誤っているものはどれか",
    answer="(a), per the course report; what can be computed: the 1×1 convolutions before the 3×3 and 5×5 ones cut the module's parameters and multiply-adds",
    answer_ja="(a) が誤り（講座のレポートの答え）。計算で示せること: 3×3・5×5 の前の 1×1 畳み込みで次元を削減するので、モジュールのパラメータ数と計算量が減る",
    exercises=("day2.cnn_architectures", "bench.cnn"), source="001", quote="Inception moduleに関する記述として誤っているものはどれか",
)
def _inception_module() -> tuple[str, bool]:
    spec = _INCEPTION["3a"]
    reduced, naive = _inception(*spec), _inception(*spec, reduce=False)
    return (f"Inception 3a (192 channels in, 28×28): {reduced[0]:,} parameters and {reduced[1] / 1e6:.0f} M "
            f"multiply-adds with its 1×1 reductions, {naive[0]:,} and {naive[1] / 1e6:.0f} M without them",
            bool(reduced[0] < naive[0] / 2 and reduced[1] < naive[1] / 2))


@check(
    "auxiliary_loss",
    section="Day2 Section4",
    question="GoogLeNet's auxiliary loss: which statement about it is wrong?",
    question_ja="GoogleNetの特徴としてAuxiliary Lossの存在が挙げられる。Auxiliary Lossに関する記述として誤っているものを選べ",
    answer="(a): adding the auxiliary classifiers increases the computation of training (they are dropped at inference)",
    answer_ja="(a) が誤り。Classifiers を増やすことによって計算量は増える（補助分類器は学習時だけ使い、推論では外す）",
    exercises=("day2.cnn_architectures",), source="001", quote="Auxiliary Lossに関する記述といて間違っているもの",
)
def _auxiliary_loss() -> tuple[str, bool]:
    main = googlenet_counts()
    heads = [auxiliary_head_counts(_INCEPTION[m][1] + _INCEPTION[m][3] + _INCEPTION[m][5] + _INCEPTION[m][6])
             for m in ("4a", "4d")]
    extra_macs, extra_params = sum(h["macs"] for h in heads), sum(h["params"] for h in heads)
    return (f"GoogLeNet for inference: {main['params']:,} parameters, {main['macs'] / 1e9:.2f} G multiply-adds per "
            f"image; its two auxiliary classifiers (after 4a and 4d) add {extra_params:,} parameters and "
            f"{extra_macs / 1e6:.1f} M multiply-adds to every training step", bool(extra_macs > 0 and extra_params > 0))


@check(
    "resnet_problem",
    section="Day2 Section4",
    question="What problem kept models from being designed deep, before ResNet?",
    question_ja="深くモデルを設計出来なかった問題は？",
    answer="(a) the vanishing gradient problem",
    answer_ja="(a) 勾配消失問題",
    exercises=("day2.vanishing_gradient", "day2.cnn_architectures"), source="001", quote="深くモデルを設計出来なかった問題は？",
)
def _resnet_problem() -> tuple[str, bool]:
    plain, residual = _plain_and_residual_gradients()
    return (f"30 sigmoid layers of 50 units (N(0, 1/n) weights): the gradient reaching the input is {plain:.1e} of "
            f"the gradient at the top without skip connections and {residual:.2f} of it with them",
            bool(plain < 1e-6 and residual > 0.1))


@check(
    "resnet_skip_name",
    section="Day2 Section4",
    question="What is the connection that skips layers called?",
    question_ja="層をまたがる結合の名前",
    answer="(a) identity mapping: the skip (shortcut) connection",
    answer_ja="(a) Identity mapping（いわゆるスキップ接続）",
    exercises=("day2.cnn_architectures", "bench.cnn"), source="001", quote="層をまたがる結合の名前",
)
def _resnet_skip_name() -> tuple[str, bool]:
    return _exercises_exist(("day2.cnn_architectures", "bench.cnn"), "ResNet's identity shortcut")


@check(
    "residual_block",
    section="Day2 Section4",
    question="What was the residual block expected to bring?",
    question_ja="Residual Blockの導入によって期待されたもの",
    answer="(a): where a block needs no further transformation its weights go to 0 and it passes its input on; a small change is a small residual, easier to find",
    answer_ja="(a)。ブロックへの入力にこれ以上変換が必要ない場合は重みが 0 となり、小さな変換が求められる場合は対応する小さな変換をより見つけやすくなる",
    exercises=("day2.cnn_architectures",), source="001", quote="Residual Blockの導入によって期待されたもの",
)
def _residual_block() -> tuple[str, bool]:
    rng = np.random.default_rng(8)
    x = rng.normal(size=(4, 16))
    w1, w2 = rng.normal(size=(2, 16, 16)) * 0.1

    def residual(w_a, w_b):
        return x + np.maximum(x @ w_a, 0) @ w_b

    def plain(w_a, w_b):
        return np.maximum(x @ w_a, 0) @ w_b

    zero = np.zeros_like(w1)
    small = float(np.abs(residual(w1 * 0.01, w2) - x).max())
    ok = np.array_equal(residual(zero, zero), x) and not np.any(plain(zero, zero)) and small < 0.05
    return (f"a block y = x + F(x) with F's weights all 0 gives back its input exactly (a plain block y = F(x) gives 0); "
            f"with small weights it moves the input by at most {small:.4f}", bool(ok))


@check(
    "transfer_learning",
    section="Day2 Section4",
    question="Which statement about transfer learning is wrong?",
    question_ja="転移学習の記載として誤ったものはどれか？",
    answer="(a): the statement that describes one-shot learning (one image per class, compared by feature distance), which is not transfer learning",
    answer_ja="(a)。ワンショット学習（クラスごとに画像を 1 枚用意し、特徴ベクトルの距離で判断する）の説明で、転移学習の説明としては不当",
    exercises=("day2.transfer_learning",), source="001", quote="転移学習の記載として誤ったものはどれか？",
)
def _transfer_learning() -> tuple[str, bool]:
    return _exercises_exist(("day2.transfer_learning",), "pretraining, a frozen feature extractor and fine-tuning")


@check(
    "detection_algorithm",
    section="Day4 Section6",
    question="Which statement about general object detection algorithms is right?",
    question_ja="一般物体検出アルゴリズムとして正しいものを選べ",
    answer="(a), per the course report: candidate regions are always produced as defined, and the two losses (class and box) are weighted, not simply summed",
    answer_ja="(a)（講座のレポートの答え）。(b) 最大2つは誤りで定義された候補領域が必ず生成される、(c) 2つの誤差は単純和ではなく重み付けされる、(d) 出力はカテゴリの確率と候補領域",
    exercises=("day4.ssd", "day4.detection_metrics"), source="001", quote="一般物体検出アルゴリズムとして正しいものを選び",
)
def _detection_algorithm() -> tuple[str, bool]:
    return _exercises_exist(("day4.ssd", "day4.detection_metrics"),
                            "default boxes on every map location and the weighted sum of the class and box losses")


@check(
    "vgg_googlenet_resnet",
    section="Day2 Section4",
    question="Describe the features of VGG, GoogLeNet and ResNet briefly.",
    question_ja="VGG, GoogleNet, ResNetの特徴をそれぞれ簡潔に述べよ",
    answer="VGG stacks plain 3×3 convolutions (simple, many parameters); GoogLeNet's Inception modules reduce dimensions with 1×1 convolutions (few parameters); ResNet's identity shortcuts let much deeper nets train",
    answer_ja="VGG は単純な 3×3 畳み込みの積み重ねでシンプルだがパラメータ数が多い。GoogLeNet は Inception module で 1×1 畳み込みにより次元を削減し、パラメータが少ない。ResNet はスキップ接続（identity mapping）で深いネットワークを学習できる",
    exercises=("day2.cnn_architectures", "bench.cnn"), source="001", quote="GG, GoogleNet, ResNetの特徴をそれぞれ簡潔に述べよ",
)
def _vgg_googlenet_resnet() -> tuple[str, bool]:
    vgg, google, resnet = vgg16_params(), googlenet_counts()["params"], resnet50_params()
    ok = vgg == 138_357_544 and resnet == 25_636_712 and google * 10 < vgg
    return (f"parameters counted layer by layer: VGG16 (16 weight layers) {vgg:,}, GoogLeNet (22) {google:,}, "
            f"ResNet50 (50) {resnet:,}; keras.applications builds VGG16 with 138,357,544 and ResNet50 with "
            f"25,636,712", bool(ok))


# --- Day 4 (the course's slides) --------------------------------------------------------------------


@check(
    "mobilenet_cost_ratio",
    section="Day4 Section3",
    question="How much cheaper is a depthwise separable convolution than a standard one?",
    question_ja="MobileNet の Depthwise Separable Convolution の計算量は通常の畳み込みの何倍か",
    answer="(D_K²·M·D_F² + M·N·D_F²) / (D_K²·M·N·D_F²) = 1/N + 1/D_K²",
    answer_ja="(D_K²·M·D_F² + M·N·D_F²) / (D_K²·M·N·D_F²) = 1/N + 1/D_K²",
    exercises=("day4.mobilenet",),
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
