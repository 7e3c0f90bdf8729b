"""``dlx bench speed``: how fast dlx trains on this machine, as ratios measured side by side in one run.

For an MLP, the course's DeepConvNet and the quick Transformer: training
steps/s of dlx's own path (``model.fit`` with dlx's progress and NaN-guard
callbacks, and the steps per compiled call the model's exercise uses) against a hand-written ``tf.function`` step on the same model and
batches (goal ≥ 0.9×), mixed bfloat16 against float32 where the CPU computes
bfloat16 natively, XLA on against off; and the models' achieved GFLOP/s as a
fraction of a matrix-multiply peak measured in the same run.
"""

from __future__ import annotations

from ..params import at_least, positive, string
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
        "steps": positive(100, "training steps per timed epoch"),
        "epochs": at_least(2, 6, "epochs per dlx measurement (the first, which traces, is not timed; in float32 "
                                 "each later one is paired with a hand-written pass)"),
        "peak_n": positive(2048, "matrix size of the matmul peak"),
        "models": string(",".join(MODELS), "comma-separated, of: " + ", ".join(MODELS)),
    },
    budgets={"smoke": {"steps": 2, "epochs": 2, "peak_n": 256, "models": "mlp"}, "quick": {},
             "full": {"steps": 100, "epochs": 11}},
)
def speed_suite(ctx):
    """One table: model | path | precision | XLA | steps / call | steps/s | GFLOP/s | share of peak (Day4 Section3)."""
    from ..nn.day2_convnets import deep_cnn
    from ..nn.course_examples import keras_mnist_mlp
    from ..nn.flops import count_multiply_adds
    from ..studies import speed
    from ..studies.images import load_images
    from ..train.fit import CONV_STEPS_PER_CALL, MLP_STEPS_PER_CALL, SHORT_STEPS_PER_CALL
    from ..train.precision import native_bfloat16, precision_policy

    from ..errors import UsageError

    p = ctx.params
    chosen = [m.strip() for m in p["models"].split(",") if m.strip()]
    if not chosen or set(chosen) - set(MODELS):
        raise UsageError(f"--set models={p['models']}: choose from {', '.join(MODELS)}")
    tf, keras = ctx.tf_keras()
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
    # the model, its data and loss, and the steps per compiled call its exercise trains with (examples.mnist_keras,
    # day2.deep_cnn, day4.transformer): "dlx fit" is the path the exercise runs
    cases = {"mlp": lambda: ("MLP 784-512-512-10", lambda: keras_mnist_mlp("speed_mlp"), x_flat, y_mnist, 128, sce(),
                             None, MLP_STEPS_PER_CALL),
             "cnn": lambda: ("DeepConvNet", lambda: deep_cnn(name="speed_deep_cnn"), x_img, y_mnist, 100,
                             sce(from_logits=True), None, CONV_STEPS_PER_CALL),
             "transformer": lambda: (*_transformer_case(ctx), SHORT_STEPS_PER_CALL)}
    rows = []
    for key in chosen:
        label, build, x, y, batch, loss, flops_per_sample, per_call = cases[key]()
        steps = min(p["steps"], len(y) // batch)
        paired = None
        configs = [("dlx fit", "float32", False)]
        if bf16:
            configs.append(("dlx fit", "mixed_bfloat16", False))
        configs.append(("dlx fit", "float32", True))
        base = None

        def add_row(path, precision, xla, rate, calls):
            gflops = speed.training_flops_per_step(flops_per_sample, batch) * rate / 1e9
            peak = peaks.get(precision)
            rows.append([label, path, precision, "on" if xla else "off", calls, speed.rate(rate), round(rate / base, 2),
                         speed.rate(gflops), f"{100 * gflops / peak:.1f}%" if peak else "—"])

        for path, precision, xla in configs:
            ctx.reseed()
            with precision_policy(precision):
                model = build()
            if flops_per_sample is None:
                flops_per_sample = count_multiply_adds(model)
            name = f"{label}, {path}, {precision}{', XLA' if xla else ''}"
            model.compile(keras.optimizers.Adam(1e-3), loss, jit_compile=xla, steps_per_execution=per_call)
            with ctx.training():
                if base is None:  # float32, XLA off: dlx's fit and the hand-written step in turn, epoch by epoch
                    ctx.reseed()
                    twin, twin_optimizer = build(), keras.optimizers.Adam(1e-3)
                    hand_pass = speed.handwritten_pass(twin, loss, twin_optimizer, x, y, batch, steps)
                    paired = speed.paired_steps_per_s(ctx, model, hand_pass, x, y, batch, steps, name,
                                                      rounds=p["epochs"] - 1)
                    rate = base = paired["dlx"]
                else:
                    rate = speed.fit_steps_per_s(ctx, model, x, y, batch, steps, name, epochs=p["epochs"])
            add_row(path, precision, xla, rate, per_call)
            if paired is not None and precision == "float32" and not xla:
                add_row("hand-written tf.function", "float32", False, paired["handwritten"], 1)
                ctx.metric(f"{key}_dlx_over_handwritten", round(paired["ratio"], 3),
                           note=f"dlx's fit over the hand-written step, float32, XLA off: median of {len(paired['ratios'])} "
                                f"epochs each paired with a hand-written pass (from {min(paired['ratios']):.2f} to "
                                f"{max(paired['ratios']):.2f})")
                ctx.metric(f"{key}_dlx_over_handwritten_cpu", round(paired["cpu_ratio"], 3),
                           note="the hand-written step's CPU seconds over dlx's fit's, per step, median of the pairs "
                                "(1: the same work; below 1: dlx's path costs more)")
                ctx.metric(f"{key}_steps_per_s", speed.rate(rate), "steps/s", note=f"batch {batch}, float32, XLA off")
                ctx.metric(f"{key}_share_of_peak", round(speed.training_flops_per_step(flops_per_sample, batch) * rate
                                                        / 1e9 / peaks["float32"], 3),
                           note="achieved GFLOP/s of dlx's fit over the float32 matmul peak")
                paired = None
            elif precision == "mixed_bfloat16":
                ctx.metric(f"{key}_bfloat16_speedup", round(rate / base, 3), note="mixed bfloat16 over float32, dlx fit")
            elif xla:
                ctx.metric(f"{key}_xla_speedup", round(rate / base, 3), note="XLA on over off, dlx fit, float32")
    ctx.table("training steps/s on this machine (one process, side by side; the first epoch, which traces, untimed)",
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
    from ..studies.translation.config import TransformerSettings, transformer_params
    from ..studies.speed import transformer_pair_mult_adds
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
