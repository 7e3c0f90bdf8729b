"""``dlx bench speed``: how fast dlx trains on this machine, as ratios measured side by side in one run.

For an MLP, the course's DeepConvNet and the quick Transformer: training
steps/s of dlx's own path (``model.fit`` with dlx's progress and NaN-guard
callbacks, the steps per compiled call the model's exercise uses, and its input
pipeline: ``train.arrays.fit_arrays`` for the image models, Keras's for the
Transformer's arrays) against a hand-written ``tf.function`` step on the same model and
batches (goal ≥ 0.9×), mixed bfloat16 against float32 where the CPU computes
bfloat16 natively, XLA on against off; and the models' achieved GFLOP/s as a
fraction of a matrix-multiply peak measured in the same run.
"""

from __future__ import annotations

from ..params import at_least, non_negative, positive, string
from ..registry import exercise

MODELS = ("mlp", "cnn", "transformer")


@exercise(
    "bench.speed",
    title="Training speed: dlx's path vs a hand-written step, float32 vs bfloat16, XLA, share of the matmul peak",
    title_ja="学習速度の計測 (dlx の学習経路・手書きの学習ステップ・bfloat16・XLA)",
    section="Day4 Section3 (高速化技術)",
    data=("mnist", "mnist5k", "dates"),
    tags=("bench", "keras", "speed"),
    params={
        "steps": non_negative(0, "training steps per timed epoch (0: as many as the hand-written step takes "
                                 "epoch_s seconds for, 8 to 400)"),
        "epoch_s": positive(0.5, "seconds of a timed epoch, when steps is 0"),
        "epochs": at_least(2, 8, "epochs per dlx measurement (the first, which traces, is not timed; each later "
                                  "one is paired with a hand-written float32 pass)"),
        "peak_n": positive(2048, "matrix size of the matmul peak"),
        "models": string(",".join(MODELS), "comma-separated, of: " + ", ".join(MODELS)),
    },
    # Epochs of a set time, many of them: with five 100-step epochs (1-3 s for the CNN) the paired ratios of one run
    # went from 0.35 to 1.16 for the MLP and from 0.71 to 1.05 for the CNN (AMD EPYC, 2 cores, idle), and the CNN's
    # median was 1.01 in one run and 0.81 in the next; many short pairs and their fastest epochs hold steadier. Quick:
    # seven pairs of 0.5 s, within the 120 s of a quick bench suite (eleven took 150-176 s); full: fifteen of 1 s. An
    # epoch of array inputs costs fit about 20 ms outside its steps (tf.data's iterator, built and torn down; the
    # Transformer, 32 and 96 steps: 10 + 11 ms), 4% of a 0.5 s epoch, 2% of a 1 s one, 0.25% of the demo's 8 s.
    budgets={"smoke": {"steps": 2, "epochs": 2, "peak_n": 256, "models": "mlp"}, "quick": {},
             "full": {"epochs": 16, "epoch_s": 1.0}},
)
def speed_suite(ctx):
    """One table: model | path | precision | XLA | steps / call | steps/s | GFLOP/s | share of peak (Day4 Section3)."""
    from ..errors import UsageError
    from ..nn.course_examples import keras_mnist_mlp
    from ..nn.day2_convnets import deep_cnn
    from ..nn.flops import count_multiply_adds
    from ..studies import speed
    from ..studies.images import load_images
    from ..train.fit import (
        CONV_STEPS_PER_CALL,
        MLP_STEPS_PER_CALL,
        SHORT_STEPS_PER_CALL,
    )
    from ..train.precision import native_bfloat16, precision_policy

    p = ctx.params
    chosen = [m.strip() for m in p["models"].split(",") if m.strip()]
    if not chosen or set(chosen) - set(MODELS):
        raise UsageError(f"--set models={p['models']}: choose from {', '.join(MODELS)}")
    _, keras = ctx.tf_keras()
    bf16 = native_bfloat16()
    peaks = {"float32": ctx.metric("matmul_peak_float32_gflops", speed.rate(speed.matmul_peak_gflops("float32", p["peak_n"])),
                                   "GFLOP/s", note=f"{p['peak_n']}² tf.matmul, best of three")}
    if bf16:
        peaks["mixed_bfloat16"] = ctx.metric(
            "matmul_peak_bfloat16_gflops", speed.rate(speed.matmul_peak_gflops("bfloat16", p["peak_n"])), "GFLOP/s",
            note=f"{p['peak_n']}² tf.matmul in bfloat16")

    x_flat, y_mnist, _, _, _ = load_images(ctx, 4000, 100, "flat")
    x_img = x_flat.reshape(-1, 28, 28, 1)
    sce = keras.losses.SparseCategoricalCrossentropy
    # the model, its data and loss, and the steps per compiled call and the input pipeline its exercise trains with:
    # "dlx fit" is the path the exercise runs (examples.mnist_keras's and day2.deep_cnn's arrays, their full budgets,
    # through train.arrays.fit_arrays; their quick budgets shift the images afresh each epoch in a keras PyDataset,
    # which is not measured here; day4.transformer through Keras's own pipeline)
    cases = {"mlp": lambda: ("MLP 784-512-512-10", lambda: keras_mnist_mlp("speed_mlp"), x_flat, y_mnist, 128, sce(),
                             None, MLP_STEPS_PER_CALL, True),
             "cnn": lambda: ("DeepConvNet", lambda: deep_cnn(name="speed_deep_cnn"), x_img, y_mnist, 100,
                             sce(from_logits=True), None, CONV_STEPS_PER_CALL, True),
             "transformer": lambda: (*_transformer_case(ctx), SHORT_STEPS_PER_CALL, False)}
    rows = []
    for key in chosen:
        label, build, x, y, batch, loss, flops_per_sample, per_call, light_arrays = cases[key]()
        configs = [("float32", False)] + ([("mixed_bfloat16", False)] if bf16 else []) + [("float32", True)]
        # The yardstick: a hand-written float32 step on a twin of the model. Every configuration's fit epochs are
        # paired with its passes, so a gain (bfloat16, XLA) is a ratio of two paired ratios and the drift of a shared
        # machine between configurations cancels.
        ctx.reseed()
        most = p["steps"] or 400  # the data goes round again where it holds fewer batches
        hand_pass = speed.handwritten_pass(build(), loss, keras.optimizers.Adam(1e-3), x, y, batch, most)
        steps = p["steps"] or speed.steps_for_seconds(hand_pass, p["epoch_s"], per_call, most=most)
        base = None
        for precision, xla in configs:
            ctx.reseed()
            with precision_policy(precision):
                model = build()
            if flops_per_sample is None:
                flops_per_sample = count_multiply_adds(model)
            name = f"{label}, dlx fit, {precision}{', XLA' if xla else ''}"
            model.compile(keras.optimizers.Adam(1e-3), loss, jit_compile=xla, steps_per_execution=per_call)
            with ctx.training():
                paired = speed.paired_steps_per_s(ctx, model, hand_pass, x, y, batch, steps, name,
                                                  rounds=p["epochs"] - 1, light_arrays=light_arrays)
            base = base or paired
            gain = paired["ratio"] / base["ratio"]
            rows.append(_row(label, "dlx fit", precision, xla, per_call, paired["dlx"], gain, flops_per_sample, batch,
                             peaks.get(precision)))
            ratios = paired["ratios"]
            spread = f"from {min(ratios):.2f} to {max(ratios):.2f}, median {paired['paired_median']:.2f}"
            if paired is base:
                rows.append(_row(label, "hand-written tf.function", "float32", False, 1, paired["handwritten"],
                                 1 / paired["ratio"], flops_per_sample, batch, peaks["float32"]))
                ctx.metric(f"{key}_dlx_over_handwritten", round(paired["ratio"], 3),
                           note=f"dlx's fit over the hand-written step, float32, XLA off: the fastest of {len(ratios)} "
                                f"epochs over the fastest of the hand-written passes run in turn with them (each "
                                f"pair's ratio {spread})")
                ctx.metric(f"{key}_dlx_over_handwritten_paired_median", round(paired["paired_median"], 3),
                           note="dlx's fit over the hand-written step, float32, XLA off: the median of the pairs' ratios")
                ctx.metric(f"{key}_dlx_over_handwritten_cpu", round(paired["cpu_ratio"], 3),
                           note="the hand-written step's CPU seconds over dlx's fit's, per step, median of the pairs "
                                "(1: the same work; below 1: dlx's path costs more)")
                ctx.metric(f"{key}_steps_per_s", speed.rate(paired["dlx"]), "steps/s",
                           note=f"batch {batch}, {steps} steps an epoch, float32, XLA off")
                ctx.metric(f"{key}_share_of_peak", round(speed.training_flops_per_step(flops_per_sample, batch)
                                                        * paired["dlx"] / 1e9 / peaks["float32"], 3),
                           note="achieved GFLOP/s of dlx's fit over the float32 matmul peak")
            elif xla:
                ctx.metric(f"{key}_xla_speedup", round(gain, 3),
                           note=f"XLA on over off, dlx fit, float32: the ratio of the two configurations' ratios to "
                                f"the hand-written float32 step, fastest epoch to fastest pass (XLA's pairs {spread})")
            else:
                ctx.metric(f"{key}_bfloat16_speedup", round(gain, 3),
                           note=f"mixed bfloat16 over float32, dlx fit: the ratio of the two configurations' ratios "
                                f"to the hand-written float32 step, fastest epoch to fastest pass (bfloat16's pairs "
                                f"{spread})")
    ctx.table("training steps/s on this machine, of the fastest timed epoch (one process, side by side; the first "
              "epoch, which traces, untimed; × dlx float32 through the hand-written float32 step run in turn with each)",
              ["model", "path", "precision", "XLA", "steps / call", "steps/s", "× dlx float32", "GFLOP/s",
               "share of matmul peak"], rows)
    ctx.note("GFLOP/s counts 2 FLOPs per multiply-add of the forward pass and twice that for the backward pass "
             "(conv and dense layers; the Transformer's projections, attention and FFN over its padded lengths); "
             "the peak is the same precision's matmul peak.")
    if not bf16:
        ctx.note("no native bfloat16 here (no amx_bf16 / avx512_bf16, no GPU), so mixed bfloat16 was not measured")


def _transformer_case(ctx):
    """The quick day4.transformer model on the dates data, at the exercise's own quick settings.

    Returns:
        (label, build, inputs, targets, batch size, loss, forward multiply-adds per pair over the padded lengths).
    """
    from ..nn.masked_losses import MaskedSparseCrossentropy
    from ..studies.speed import transformer_pair_mult_adds
    from ..studies.translation.config import TransformerSettings, transformer_params
    from ..studies.translation.loops import build_model

    q = transformer_params("quick")
    settings = TransformerSettings.from_params(q)
    data = ctx.load_data("dates", n_train=4000, n_test=10)
    e = data.extra
    src, tgt = e["src_train"], e["tgt_train"]

    def build():
        return build_model(settings, len(e["source_vocab"]), len(e["target_vocab"]),
                           max(src.shape[1], tgt.shape[1]) + 1, name="speed_transformer").model

    per_pair = transformer_pair_mult_adds([src.shape[1]], [tgt.shape[1] - 1], q["d_model"], q["d_ff"], q["num_layers"],
                                          len(e["target_vocab"]))
    return ("Transformer (quick)", build, [src, tgt[:, :-1]], tgt[:, 1:], q["batch_size"], MaskedSparseCrossentropy(),
            per_pair)


def _row(label, path, precision, xla, per_call, steps_per_s, relative, flops_per_sample, batch, peak):
    """One table row; GFLOP/s from the step's FLOPs, its share of the same precision's matmul peak where measured."""
    from ..studies import speed

    gflops = speed.training_flops_per_step(flops_per_sample, batch) * steps_per_s / 1e9
    return [label, path, precision, "on" if xla else "off", per_call, speed.rate(steps_per_s), round(relative, 2),
            speed.rate(gflops), f"{100 * gflops / peak:.1f}%" if peak else "—"]
