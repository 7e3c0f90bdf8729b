"""Day 4 efficient architectures: MobileNet (depthwise separable convolutions) and DenseNet.

Day4 Section3 (軽量化・高速化技術 / 応用技術: MobileNet, DenseNet). Builders live in
``dl_exercises.nn.mobilenet`` / ``nn.densenet``; the multiply-adds are counted
from the built Keras layers (``nn.flops``). TensorFlow and Keras are imported
inside functions only.
"""

from __future__ import annotations

import gc

from ..params import flag, positive
from ..registry import exercise

# MobileNet paper (Howard et al. 2017), Table 6: width multiplier -> (million mult-adds, million params), 224×224
PAPER_WIDTH_TABLE = {1.0: (569, 4.2), 0.75: (325, 2.6), 0.5: (149, 1.3), 0.25: (41, 0.5)}


@exercise(
    "day4.mobilenet",
    title="MobileNet: depthwise separable convolution and its cost",
    title_ja="MobileNet (depthwise separable convolution)",
    section="Day4 Section3",
    tags=("keras", "cnn"),
    params={
        "d_k": positive(3, "kernel size D_K"),
        "m": positive(512, "input channels M"),
        "n": positive(512, "output channels N"),
        "d_f": positive(14, "feature map size D_F"),
        "reference": flag(True, "build keras.applications.MobileNet and compare parameters"),
    },
    budgets={"smoke": {"reference": False}},
    references={"params": (4253864, "keras.applications.MobileNet(weights=None), α = 1, 224×224, 1000 classes")},
)
def mobilenet_exercise(ctx):
    """Standard vs depthwise separable conv cost (course eq. 3, 6), counted on real layers; MobileNet params (Day4 Section3)."""
    from ..nn.flops import count_multiply_adds, multiply_adds_by_layer
    from ..nn.mobilenet import mobilenet, separable_conv_cost, standard_conv_cost

    p = ctx.params
    d_k, m, n, d_f = p["d_k"], p["m"], p["n"], p["d_f"]
    tf, keras = ctx.tf_keras()
    standard = standard_conv_cost(d_k, m, n, d_f)
    separable = separable_conv_cost(d_k, m, n, d_f)

    # the same costs counted on built layers (stride 1, "same" padding: D_F × D_F out)
    inputs = keras.Input((d_f, d_f, m))
    std_model = keras.Model(inputs, keras.layers.Conv2D(n, d_k, padding="same", use_bias=False)(inputs))
    dw = keras.layers.DepthwiseConv2D(d_k, padding="same", use_bias=False)(inputs)
    sep_model = keras.Model(inputs, keras.layers.Conv2D(n, 1, use_bias=False)(dw))
    counted_standard = count_multiply_adds(std_model)
    counted_separable = count_multiply_adds(sep_model)
    ctx.metric("standard_cost", standard, note="D_K²·M·N·D_F² (eq. 3)")
    ctx.metric("separable_cost", separable, note="D_K²·M·D_F² + M·N·D_F² (eq. 6)")
    ctx.metric("counted_standard", counted_standard, note="from the built Conv2D")
    ctx.metric("counted_separable", counted_separable, note="from the built DepthwiseConv2D + 1×1 Conv2D")
    ctx.metric("cost_ratio", separable / standard)
    ctx.metric("ratio_formula", 1 / n + 1 / d_k**2, note="1/N + 1/D_K²")
    ctx.metric("standard_params", std_model.count_params())
    ctx.metric("separable_params", sep_model.count_params())
    ctx.table(
        f"One layer: D_K={d_k}, M={m}, N={n}, D_F={d_f}",
        ["", "formula", "counted on layers", "parameters"],
        [["standard conv (eq. 3)", standard, counted_standard, std_model.count_params()],
         ["depthwise separable (eq. 6)", separable, counted_separable, sep_model.count_params()],
         ["ratio separable / standard", round(separable / standard, 5), round(counted_separable / counted_standard, 5),
          f"1/N + 1/D_K² = {1 / n + 1 / d_k**2:.5f}"]],
    )

    model = mobilenet()
    ours = model.count_params()
    ctx.metric("params", ours)
    ctx.metric("mult_adds", count_multiply_adds(model), note="paper: 569 million")
    per_layer = multiply_adds_by_layer(model)
    blocks = []
    for i in range(1, 14):
        dw_layer = model.get_layer(f"mobilenet_block{i}_dw")
        pw_layer = model.get_layer(f"mobilenet_block{i}_pw")
        _, _, _, m_i = dw_layer.input.shape
        _, d_f_i, _, n_i = pw_layer.output.shape
        stride = dw_layer.strides[0]
        counted = dict((name, c) for name, _, c in per_layer)
        sep_i = counted[dw_layer.name] + counted[pw_layer.name]
        # the standard conv it replaces, at the same stride and output size
        std_i = standard_conv_cost(3, m_i, n_i, d_f_i)
        blocks.append([i, stride, d_f_i, m_i, n_i, std_i, sep_i, round(sep_i / std_i, 4), round(1 / n_i + 1 / 9, 4)])
    ctx.table("MobileNet's 13 separable blocks (output D_F; costs in multiply-adds)",
              ["block", "stride", "D_F", "M", "N", "standard", "separable (counted)", "ratio", "1/N + 1/9"], blocks)
    rows = []
    for alpha in (1.0, 0.75, 0.5, 0.25):
        m_alpha = model if alpha == 1.0 else mobilenet(alpha=alpha, name=f"mobilenet_{int(alpha * 100)}")
        rows.append([alpha, m_alpha.count_params(), round(count_multiply_adds(m_alpha) / 1e6, 1),
                     PAPER_WIDTH_TABLE[alpha][0], PAPER_WIDTH_TABLE[alpha][1]])
    ctx.table("Width multiplier α (224×224, 1000 classes)",
              ["α", "params", "mult-adds (M)", "paper mult-adds (M)", "paper params (M)"], rows)
    del model
    gc.collect()
    if p["reference"]:
        reference = keras.applications.MobileNet(weights=None)
        theirs = reference.count_params()
        ctx.metric("keras_applications_params", theirs)
        ctx.note(f"keras.applications.MobileNet(weights=None): {theirs:,} parameters; dlx's builder: {ours:,}")
        del reference
        gc.collect()
    ctx.note("stride-2 blocks: the standard conv compared is the one producing the same D_F × D_F × N output")


@exercise(
    "day4.densenet",
    title="DenseNet: dense blocks, growth rate and transition layers",
    title_ja="DenseNet",
    section="Day4 Section3",
    tags=("keras", "cnn"),
    params={
        "k0": positive(64, "channels entering the dense block"),
        "growth_rate": positive(32, "growth rate k"),
        "layers": positive(6, "layers in the demonstration dense block"),
        "reference": flag(True, "build keras.applications.DenseNet121 and compare parameters"),
    },
    budgets={"smoke": {"reference": False}},
    references={"params": (8062504, "keras.applications.DenseNet121(weights=None), 224×224, 1000 classes")},
)
def densenet_exercise(ctx):
    """Channels k0 + k·(l − 1) into each layer of a dense block, transitions, DenseNet-121 params (Day4 Section3)."""
    from ..nn.densenet import dense_block, dense_layer_input_channels, densenet, transition_layer
    from ..nn.flops import count_multiply_adds

    p = ctx.params
    tf, keras = ctx.tf_keras()
    k0, k, n_layers = p["k0"], p["growth_rate"], p["layers"]
    inputs = keras.Input((8, 8, k0))
    block = keras.Model(inputs, dense_block(inputs, n_layers, k, "demo"))
    measured = [block.get_layer(f"demo_block{l}_0_bn").input.shape[-1] for l in range(1, n_layers + 1)]
    formula = dense_layer_input_channels(k0, k, n_layers)
    ctx.table(f"Dense block, k0 = {k0}, growth rate k = {k}",
              ["layer l", "input channels (built)", "k0 + k·(l − 1)", "output channels"],
              [[l, measured[l - 1], formula[l - 1], measured[l - 1] + k] for l in range(1, n_layers + 1)])
    ctx.metric("block_input_channels", measured)
    ctx.metric("block_output_channels", int(block.output.shape[-1]), note=f"k0 + k·L = {k0 + k * n_layers}")
    ctx.metric("channels_match_formula", float(measured == formula))
    transition = keras.Model(block.input, transition_layer(block.output, 0.5, "demo_transition"))
    ctx.note(f"a transition layer with compression θ = 0.5 takes {block.output.shape[1:]} to {transition.output.shape[1:]}")

    model = densenet()
    ours = model.count_params()
    ctx.metric("params", ours)
    ctx.metric("mult_adds", count_multiply_adds(model))
    rows = []
    for b, n_b in enumerate((6, 12, 24, 16), start=1):
        first = model.get_layer(f"densenet121_conv{b + 1}_block1_0_bn").input.shape
        last = model.get_layer(f"densenet121_conv{b + 1}_block{n_b}_concat").output.shape
        after = model.get_layer(f"densenet121_pool{b + 1}_pool").output.shape if b < 4 else None
        rows.append([b, n_b, f"{first[1]}×{first[2]}", first[-1], last[-1], after[-1] if after is not None else "—"])
    ctx.table("DenseNet-121 (k = 32, θ = 0.5): channels per dense block",
              ["block", "layers", "map", "channels in (k0)", "channels out (k0 + 32·layers)", "after transition"], rows)
    del model
    gc.collect()
    if p["reference"]:
        reference = keras.applications.DenseNet121(weights=None)
        theirs = reference.count_params()
        ctx.metric("keras_applications_params", theirs)
        ctx.note(f"keras.applications.DenseNet121(weights=None): {theirs:,} parameters; dlx's builder: {ours:,}")
        del reference
        gc.collect()
