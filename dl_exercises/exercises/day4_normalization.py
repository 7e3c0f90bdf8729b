"""Day 4 normalization: Batch, Layer, Instance and Group norm of one tensor, numpy vs Keras (Day4 Section3 応用技術).

The numpy normalizations live in ``dl_exercises.scratch.normalization``. TensorFlow
and Keras are imported inside the function only.
"""

from __future__ import annotations

from ..params import at_least, positive
from ..registry import exercise


@exercise(
    "day4.normalization",
    title="Batch, Layer, Instance and Group normalization",
    title_ja="Batch / Layer / Instance 正規化",
    section="Day4 Section3",
    tags=("numpy", "keras"),
    params={
        "batch": at_least(2, 4, "N of the demonstration tensor"),
        "size": positive(5, "H = W"),
        "channels": positive(6, "C"),
        "groups": positive(2, "groups of group normalization (must divide C)"),
        "eps": positive(1e-3, "ε inside the square root"),
    },
)
def normalization_exercise(ctx):
    """Four normalizations of one N×H×W×C tensor, numpy vs Keras layers, which axes, and batch size 1 (Day4 Section3)."""
    import numpy as np
    from ..errors import UsageError
    from ..scratch.normalization import AXES, normalize

    p = ctx.params
    n, s, c, g, eps = p["batch"], p["size"], p["channels"], p["groups"], p["eps"]
    if c % g:
        raise UsageError(f"--set groups={g}: must divide channels={c}")
    rng = np.random.default_rng(ctx.seed)
    x = (3.0 * rng.standard_normal((n, s, s, c)) + rng.standard_normal(c) * 2).astype(np.float64)
    gamma = rng.uniform(0.5, 1.5, c)
    beta = rng.uniform(-0.5, 0.5, c)
    tf, keras = ctx.tf_keras()
    L = keras.layers

    def keras_layer(method):
        if method == "batch":
            return L.BatchNormalization(epsilon=eps, dtype="float64"), (gamma, beta, np.zeros(c), np.ones(c))
        if method == "layer":  # normalize over H, W, C; gamma/beta have shape (H, W, C) in Keras
            return L.LayerNormalization(axis=[1, 2, 3], epsilon=eps, dtype="float64"), (
                np.broadcast_to(gamma, (s, s, c)).copy(), np.broadcast_to(beta, (s, s, c)).copy())
        if method == "instance":
            return L.GroupNormalization(groups=c, epsilon=eps, dtype="float64"), (gamma, beta)
        return L.GroupNormalization(groups=g, epsilon=eps, dtype="float64"), (gamma, beta)

    described = {
        "batch": ("(N, H, W)", "per channel, across the batch"),
        "layer": ("(H, W, C)", "per sample"),
        "instance": ("(H, W)", "per sample and channel"),
        "group": (f"(H, W, C/G) with G = {g}", "per sample and group"),
    }
    rows = []
    for method in ("batch", "layer", "instance", "group"):
        ours = normalize(method, x, gamma, beta, eps, groups=g)
        layer, weights = keras_layer(method)
        layer.build(x.shape)
        layer.set_weights(list(weights))
        theirs = np.asarray(layer(x, training=True))
        diff = float(np.abs(ours - theirs).max())
        ctx.metric(f"{method}_vs_keras_max_abs_diff", diff)
        # batch size 1: the same first sample alone
        alone = normalize(method, x[:1], gamma, beta, eps, groups=g)
        in_batch = ours[:1]
        changes = float(np.abs(alone - in_batch).max())
        ctx.metric(f"{method}_batch1_change", changes, note="max |norm(x[:1]) − norm(x)[:1]|")
        rows.append([method, described[method][0], described[method][1], f"{diff:.1e}",
                     "same as in the batch" if changes < 1e-9 else f"changes (max {changes:.2f})"])
    ctx.table(f"One tensor N={n}, H=W={s}, C={c}: axes of the mean and variance",
              ["normalization", "axes", "statistics", "max |numpy − keras|", "sample 0 at batch size 1"], rows)
    # batch size 1: BN of an image equals instance norm; BN of a feature vector collapses to beta
    x1 = x[:1]
    bn1_vs_in1 = float(np.abs(normalize("batch", x1, gamma, beta, eps) - normalize("instance", x1, gamma, beta, eps)).max())
    ctx.metric("batch1_bn_minus_instance", bn1_vs_in1)
    flat = x1.reshape(1, -1)
    bn_flat = (flat - flat.mean(0)) / np.sqrt(flat.var(0) + eps)
    ctx.metric("batch1_dense_bn_max_abs", float(np.abs(bn_flat).max()), note="BN over N for (1, features): all zeros")
    ctx.note(f"at batch size 1 batch norm of an image is instance norm (max difference {bn1_vs_in1:.1e}); "
             "on (1, features) vectors it outputs β for every input, so the layer carries no information")
    ctx.note("Keras equivalents: BatchNormalization(training=True); LayerNormalization(axis=[1, 2, 3]); "
             "GroupNormalization(groups=C) for instance norm (also LayerNormalization(axis=[1, 2])); GroupNormalization(groups=G)")
    ctx.note(f"AXES used by dl_exercises.scratch.normalization: {AXES}")
