"""Day4 GAN / DCGAN: the minimax game, the optimal discriminator, and a DCGAN on MNIST judged by a separate classifier.

Models and losses live in ``dl_exercises.nn.dcgan``; the 1-D optimal-
discriminator toy in ``dl_exercises.scratch.gan_theory``. No TensorFlow at
module level.
"""

from __future__ import annotations

import time

from ..params import at_least, choice, data_sizes, fraction, learning_rate, positive
from ..registry import exercise

# Quick recipe (mnist5k, 4,000 images offline), measured on the shared 2-core machine (load 3-12 from other
# jobs, so wall times there are inflated; user+sys CPU seconds are the steadier figure). Keras leaves XLA
# off on CPU-only machines; a side-by-side epoch of G 32 / D 16 ran 24 steps/s plain, 16 with XLA.
# Confident share of 1,000 samples (judge ≥ 0.9), by the epoch count, while searching:
#   G 32 / D 16, batch 64, Adam 2e-4 (the DCGAN paper's rate): 16 epochs 0.22        (8-epoch judge)
#   G 32 / D 16, batch 64, Adam 1e-3: 10 epochs 0.44; 2e-3 and z 32: 0.44            (8-epoch judge)
#   G 32 / D 16, batch 32, Adam 1e-3: 6 / 8 / 10 epochs 0.46 / 0.48 / 0.45 (a plateau) (8-epoch judge)
#   G 32 / D 32, batch 32: 8 epochs 0.50; with cosine decay of both rates 0.46        (8-epoch judge)
#   EMA of G's weights (decay 0.99): 0.46 vs 0.44 at 10 epochs; not kept
#   G 48 / D 32, batch 32, Adam 1e-3, 8 epochs: 0.50 by the 8-epoch judge (which passes 0.918 of real
#   test digits), 0.68-0.70 by judges of 20-30 epochs (0.95-0.96 of real test digits pass): the
#   judge's own confidence matters, so the run reports the share of real digits it passes beside it.
#   Fixed 20-epoch judge, seeds 0 / 1 / 2 of that GAN: 0.69 / 0.66 / 0.69.
# The recipe: G 48 / D 32, batch 32, Adam 1e-3 β1 0.5, 8 epochs (1,000 steps), judge 16 filters 20 epochs.
# Whole quick runs (dlx run day4.dcgan --seed S; confident share, classes present, toy max |D − D*|):
#   seed 0:  0.690, 10, 0.008; 195 s wall at load 5-9, 93+4 s CPU
#   seed 1:  0.683, 10, 0.011; 229 s wall at load 7-10, 107+5 s CPU
#   seed 2:  0.687, 10, 0.010; 179 s wall at load 5-8, 110+5 s CPU
#   seed 0, TF_ENABLE_ONEDNN_OPTS=0: 0.686, 10, 0.008; 288 s wall at load 7-10, 126+5 s CPU
# Worst 0.683 against the 0.6 bound (margin 0.08); the judge passes 0.96-0.97 of real test digits, the
# untrained G's samples 0.0. On 2 idle cores the wall time should be about half the CPU seconds (TF runs
# the convolutions on both cores); that could not be measured here, as the machine was never idle.
# On an AMD EPYC with AVX-512 bf16 that recipe scored 0.652 / 0.659 / 0.673 / 0.707 (seeds 0 / 1 / 2 / seed 0 with
# TF_ENABLE_ONEDNN_OPTS=0): thin, the spread 0.055 above the margin 0.052. Part of the spread was the score itself:
# 1,000 samples have a binomial sd of 0.015 at p = 0.7, so the run scores 5,000 (sd 0.0065; the first 1,000 are
# saved). Confident share of 5,000 samples there, seeds 0 / 1 / 2 (the judge unchanged):
#   8 epochs as before: 0.664 / 0.661 / 0.703
#   G's rate 2e-3, D's 1e-3 (two time scales, TTUR, Heusel et al. 2017): 0.706 / 0.699 / 0.686
#   10 epochs: 0.709 / 0.687 / 0.693
#   batch 16 (2,000 steps, 1.4× the CPU per epoch): 0.715 / 0.703 / 0.710; with TTUR: 0.703 / 0.696 / 0.673
#   G 32, batch 16 (about G 48, batch 32's CPU): 0.713 / 0.690 / 0.699; G 32, batch 32, 11 epochs: 0.683 / 0.693 / 0.604
#   EMA of G's weights (momentum 0.995; Keras Adam's use_ema), BN statistics recomputed for the averaged weights:
#   8 epochs 0.686 / 0.660 / 0.681; with TTUR, 9 epochs 0.717 / 0.699 / 0.716 (oneDNN off 0.717; seeds 3 / 4
#   0.693 / 0.699) against 0.716 / 0.708 / 0.715 (0.725; 0.686 / 0.696) from G's last weights: no gain, not kept
#   TTUR, 10 epochs, EMA: 0.724 / 0.703 / 0.719 (oneDNN off 0.721; seeds 3 / 4 0.698 / 0.708), 62 s wall, 82 s CPU
# Scored on 1,000 samples (the noisier score; 8 epochs 0.652 / 0.659 / 0.673): EMA 0.995 alone 0.661 / 0.663 /
#   0.668; EMA 0.999 from step 500 0.649 / 0.662 / 0.673; both rates decaying linearly to 0 over the second half
#   0.673 / 0.650 / 0.683; one-sided label smoothing (real = 0.9) 0.651 / 0.725 / 0.652; Adam β2 0.99 0.668 / 0.674 /
#   0.648; D 64 (1.5× the CPU) 0.723 / 0.655 / 0.681; one fake batch for both players' gradients (simultaneous
#   updates; 10 epochs of it cost about the CPU of 8 alternating ones), with EMA: 0.708 / 0.674 / 0.700.
# The recipe now: G 48 / D 32, batch 32, Adam β1 0.5, D 1e-3 / G 2e-3, 9 epochs (1,125 steps), 5,000 samples scored.
# Whole quick runs (confident share, classes present, toy max |D − D*|), AMD EPYC AVX-512 bf16, 2 shared cores:
#   seed 0: 0.716, 10, 0.008;  seed 1: 0.708, 10, 0.011;  seed 2: 0.715, 10, 0.010
#   seed 0, TF_ENABLE_ONEDNN_OPTS=0: 0.725, 10, 0.008;  seeds 3 / 4: 0.686 / 0.696, 10, 0.007 / 0.008
# Worst 0.708 (margin 0.108), spread 0.018. Seed 0 on the 2 idle cores, twice, back to back with the 8-epoch
# recipe: 57 / 54 s wall, 74 / 72 s user+sys CPU (8 epochs: 46 / 48 s wall, 62 / 62 s CPU); GAN steps 34-38 s.


def _grid(plt, images, rows, cols, titles=None, size=1.0, row_labels=None):
    """Images in a rows × cols grid; ``titles`` above each image, ``row_labels`` left of each row."""
    fig, axes = plt.subplots(rows, cols, figsize=(cols * size, rows * size), squeeze=False)
    for i, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if i < len(images):
            ax.imshow(images[i], cmap="gray", vmin=0, vmax=1)
            if titles is not None:
                ax.set_title(titles[i], fontsize=6)
    for r, label in enumerate(row_labels or []):
        axes[r, 0].text(-0.15, 0.5, label, transform=axes[r, 0].transAxes, ha="right", va="center", fontsize=7)
    return fig


def _layer_rows(model):
    return [[layer.name, type(layer).__name__, str(tuple(layer.output.shape[1:]))] for layer in model.layers[1:]]


def _saturation_table(ctx, tf):
    """Gradient of each generator loss w.r.t. D's logit on a fake, by GradientTape, beside its closed form."""
    import numpy as np
    from ..nn.dcgan import minimax_generator_loss, non_saturating_generator_loss

    rows = []
    for logit in (-8.0, -4.0, -2.0, 0.0, 2.0):
        l = tf.Variable([[logit]])
        with tf.GradientTape(persistent=True) as tape:
            mm, ns = minimax_generator_loss(l), non_saturating_generator_loss(l)
        d = 1.0 / (1.0 + np.exp(-logit))
        rows.append([logit, round(d, 5), float(tape.gradient(mm, l)[0, 0]), -d, float(tape.gradient(ns, l)[0, 0]), -(1 - d)])
    ctx.table("G's loss gradient w.r.t. D's logit l on a fake (D = σ(l)): minimax saturates where D rejects the fakes",
              ["l", "D(G(z))", "∂ log(1−D)/∂l", "closed form −D", "∂ −log D/∂l", "closed form −(1−D)"], rows)
    return max(abs(r[2] - r[3]) for r in rows), max(abs(r[4] - r[5]) for r in rows)


def _toy(ctx, p):
    import numpy as np
    from ..scratch.gan_theory import optimal_discriminator_demo

    toy = optimal_discriminator_demo(n=p["toy_samples"], steps=p["toy_steps"], seed=ctx.seed)
    ctx.metric("toy_d_max_error", toy["max_abs_error"], note="max |D_trained − p_data/(p_data + p_g)| where p_data + p_g ≥ 1% of its peak")
    ctx.metric("toy_d_mean_error", toy["mean_abs_error"])
    ctx.metric("toy_value_trained", toy["value_trained"], unit="nats", note="V(D, G) of the trained D, fresh samples")
    ctx.metric("toy_value_optimal", toy["value_optimal"], unit="nats", note="−log 4 + 2·JSD(p_data ‖ p_g), by quadrature")
    idx = np.searchsorted(toy["grid"], [-2.5, -1.5, -0.5, 0.0, 0.5, 1.5, 2.5, 3.5])
    ctx.table("1-D toy: p_data = 0.4·N(−1.5, 0.5²) + 0.6·N(1.5, 0.7²), p_g = N(0.3, 1.6²); MLP D trained on V (quadrature)",
              ["x", "p_data", "p_g", "D* = p_data/(p_data+p_g)", "trained D"],
              [[round(float(toy["grid"][i]), 2), round(float(toy["p_data"][i]), 4), round(float(toy["p_g"][i]), 4),
                round(float(toy["d_star"][i]), 4), round(float(toy["d_trained"][i]), 4)] for i in idx])
    plt = ctx.pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.plot(toy["grid"], toy["p_data"], label="p_data")
    ax.plot(toy["grid"], toy["p_g"], label="p_g")
    ax.plot(toy["grid"], toy["d_star"], "k-", label="D* formula")
    ax.plot(toy["grid"], toy["d_trained"], "r--", label="trained D")
    ax.set(xlabel="x", title="optimal discriminator vs a trained one")
    ax.legend(fontsize=7)
    ctx.save_figure(fig, "toy_optimal_discriminator.png")


def _calibrate(ctx, logits, labels) -> float:
    """Temperature scaling of the judge on half the real test digits, its ECE before and after on the other half."""
    import numpy as np
    from ..scratch.sample_quality import expected_calibration_error, fit_temperature, softmax

    fit, held = np.arange(len(labels)) % 2 == 0, np.arange(len(labels)) % 2 == 1
    temperature = fit_temperature(logits[fit], labels[fit])
    ctx.metric("judge_temperature", round(temperature, 4),
               note="T minimising the NLL of logits / T on the even-numbered real test digits (Guo et al. 2017)")
    ctx.metric("judge_ece", round(expected_calibration_error(softmax(logits[held]), labels[held]), 4),
               note="expected calibration error (15 bins) on the odd-numbered real test digits, T = 1")
    ctx.metric("judge_ece_calibrated", round(expected_calibration_error(softmax(logits[held], temperature), labels[held]), 4),
               note="the same with logits / T")
    ctx.metric("judge_real_calibrated_confident_share", float(np.mean(softmax(logits, temperature).max(1) >= 0.9)),
               note="real test digits at calibrated confidence ≥ 0.9: the ceiling of calibrated_confident_share")
    return temperature


def _frechet(ctx, judge, samples, x_train, x_test) -> None:
    """Fréchet distance in the judge's penultimate features: generated vs real test digits, and real train vs test."""
    import keras
    from ..scratch.sample_quality import frechet_distance

    features = keras.Model(judge.input, judge.get_layer(f"{judge.name}_flatten").output)
    n = min(len(x_test), len(samples), len(x_train))  # equal sizes: the estimate's bias grows as n shrinks

    def embed(images):
        return features.predict(images[:n], batch_size=500, verbose=0)

    real = embed(x_test)
    fd = frechet_distance(embed(samples), real)
    floor = frechet_distance(embed(x_train), real)
    width = features.output.shape[-1]
    ctx.metric("frechet_distance", round(fd, 2), note=f"{n} generated vs {n} real test digits, the judge's {width} "
               "penultimate features (the FID's formula with the judge in place of Inception)")
    ctx.metric("frechet_floor", round(floor, 2), note=f"{n} real training vs {n} real test digits: what real digits score")
    ctx.metric("frechet_over_floor", round(fd / floor, 3), note="frechet_distance / frechet_floor (1 = as close as real)")


@exercise(
    "day4.dcgan",
    title="DCGAN: transposed convs (no pooling), BN, ReLU/tanh G, LeakyReLU D, no FC hidden layers; judged by a separate CNN",
    title_ja="GAN・DCGAN（ミニマックスゲーム、最適な識別器）",
    section="Day4 GAN",
    data=("mnist",),
    tags=("keras", "generative", "gan"),
    params={
        "epochs": positive(9, "GAN epochs over the training images"),
        **data_sizes(4000, 1000),
        "latent_dim": positive(64, "size of z ~ N(0, I), seen by G as a 1×1 map (ConvT 7×7 projects it; no FC layer)"),
        "g_filters": positive(48, "G's channels at 14×14 (2× at 7×7): ConvT + BN + ReLU layers, tanh output"),
        "d_filters": positive(32, "D's channels at 14×14 (2× at 7×7): strided Conv + LeakyReLU (+ BN) layers"),
        "batch_size": positive(32, "real images per step (and as many fakes)"),
        "d_lr": learning_rate(1e-3, "D's Adam learning rate"),
        "g_lr": learning_rate(2e-3, "G's Adam learning rate (two time scales, TTUR: G's twice D's)"),
        "beta_1": fraction(0.5, "Adam β1 (DCGAN: 0.5)", upper=1.0, upper_inclusive=False),
        "generator_loss": choice("non_saturating", ("non_saturating", "minimax"), "−log D(G(z)) or the minimax log(1 − D(G(z)))"),
        "judge_epochs": positive(20, "epochs of the independent CNN that scores the samples"),
        "n_samples": at_least(256, 5000, "generated images scored (the first 1,000 saved to samples.npy)"),
        "toy_samples": positive(20000, "1-D toy: fresh samples of each density for the Monte Carlo V of the trained D"),
        "toy_steps": positive(1500, "1-D toy: Adam steps of the MLP discriminator"),
    },
    budgets={
        "smoke": {"epochs": 1, "n_train": 256, "n_test": 100, "g_filters": 4, "d_filters": 4, "judge_epochs": 1,
                  "n_samples": 256, "toy_samples": 500, "toy_steps": 30, "batch_size": 32},
        "quick": {},
        "full": {"epochs": 30, "n_train": 60000, "n_test": 10000, "g_filters": 64, "d_filters": 64},
    },
    # Judge-robust targets. confident_share depends on how sure of itself the judge is: another CNN trained outside
    # dlx (6 epochs, 92% of real digits at confidence ≥ 0.9) found 43% of the quick run's samples confident where
    # this judge (96.7%) found 72%. Temperature scaling on half the real test digits finds T = 1.75 (an over-confident
    # judge: ECE 0.018 → 0.011 on the other half), and the calibrated share of seed 0's samples is 0.524 (0.925 of
    # real digits); the Fréchet distance in the judge's 800 penultimate features is 191 against 56 for real training
    # digits (ratio 3.41). 18 epochs instead of 9 (57 s): calibrated share 0.539, Fréchet ratio 2.85 — better digits,
    # not enough to double the run; the full budget trains 30 epochs. Margin sweep (seeds 0 / 1 / 2, oneDNN off):
    # calibrated share 0.524 / 0.471 / 0.454 / 0.526, Fréchet ratio 3.41 / 3.55 / 3.40 / 3.69. The calibrated share
    # moves by 0.07 between seeds (each seed fits its own judge and temperature), more than the margin any bound
    # that means something would leave, so it is reported beside its ceiling and the target is on the distance.
    targets={"quick": {"frechet_over_floor": "<= 4.5", "classes_present": ">= 8", "toy_d_max_error": "<= 0.05"}},
)
def dcgan(ctx):
    """D*(x) = p_data/(p_data + p_g) on a 1-D toy; a DCGAN (ConvT from a 1×1 latent map, BN, ReLU/tanh G; strided-conv LeakyReLU D; no pooling, no FC hidden layer) on MNIST (Day4 GAN)."""
    import numpy as np
    from ..errors import NonFiniteLoss
    from ..nn.dcgan import DCGAN, StepRecorder, build_digit_classifier, build_discriminator, build_generator
    from ..scratch.sample_quality import softmax
    from ..studies.images import load_images

    p = ctx.params
    tf, keras = ctx.tf_keras()
    _toy(ctx, p)
    mm_err, ns_err = _saturation_table(ctx, tf)
    ctx.metric("loss_gradient_error", max(mm_err, ns_err), note="GradientTape vs closed form of both G losses")

    x_train, y_train, x_test, y_test, _ = load_images(ctx, p["n_train"], p["n_test"], "nhwc")

    # the judge: a separate CNN trained on real digits (never sees D or G)
    ctx.reseed(1000)
    judge = build_digit_classifier()
    judge.compile(keras.optimizers.Adam(2e-3), keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    with ctx.training():
        judge.fit(x_train, y_train, batch_size=64, epochs=p["judge_epochs"], verbose=0,
                  callbacks=ctx.callbacks(p["judge_epochs"], "judge CNN", run="judge"))
    real_logits = judge(x_test, training=False).numpy()
    real_probs = softmax(real_logits)
    ctx.metric("judge_test_accuracy", float(np.mean(real_probs.argmax(1) == y_test)))
    ctx.metric("judge_real_confident_share", float(np.mean(real_probs.max(1) >= 0.9)),
               note="real test digits the judge classifies with confidence ≥ 0.9: the ceiling to read confident_share against")
    temperature = _calibrate(ctx, real_logits, y_test)

    ctx.reseed(0)
    generator = build_generator(p["latent_dim"], p["g_filters"])
    discriminator = build_discriminator(p["d_filters"])
    gan = DCGAN(generator, discriminator, p["latent_dim"], generator_loss=p["generator_loss"], seed=ctx.seed)
    gan.compile(d_optimizer=keras.optimizers.Adam(p["d_lr"], beta_1=p["beta_1"]),
                g_optimizer=keras.optimizers.Adam(p["g_lr"], beta_1=p["beta_1"]))
    ctx.table("generator (DCGAN rules: ConvT instead of pooling, BN, ReLU, tanh output, no Dense)",
              ["layer", "type", "output"], _layer_rows(generator))
    ctx.table("discriminator (strided Conv instead of pooling, BN, LeakyReLU, no Dense)", ["layer", "type", "output"],
              _layer_rows(discriminator))
    rng = np.random.default_rng(ctx.seed)
    z_fixed = rng.standard_normal((10, p["latent_dim"])).astype("float32")
    untrained = (generator(rng.standard_normal((p["n_samples"], p["latent_dim"])).astype("float32"), training=False).numpy() + 1) / 2
    ctx.metric("untrained_confident_share", float(np.mean(tf.nn.softmax(judge(untrained)).numpy().max(1) >= 0.9)),
               note="the same score for the untrained G: what the metric says of noise")

    progress_rows = []
    step_rows: list[dict] = []
    record = StepRecorder(lambda row: (step_rows.append(row), ctx.log(**row)))
    snapshot = keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: progress_rows.append(
        (generator(z_fixed, training=False).numpy()[..., 0] + 1) / 2))
    stream = (tf.data.Dataset.from_tensor_slices(x_train * 2.0 - 1.0).shuffle(len(x_train), seed=ctx.seed)
              .batch(p["batch_size"], drop_remainder=True).prefetch(2))
    steps = len(x_train) // p["batch_size"]
    if steps == 0:
        from ..errors import UsageError

        raise UsageError(f"--set batch_size={p['batch_size']}: larger than the {len(x_train)} training images")
    start = time.perf_counter()
    with ctx.training():
        gan.fit(stream, epochs=p["epochs"], verbose=0, shuffle=False,  # the stream is shuffled
                callbacks=[record, snapshot, *ctx.callbacks(p["epochs"], "DCGAN", run="dcgan_epoch", steps_per_epoch=steps)])
    train_s = time.perf_counter() - start
    if record.failure is not None:
        raise NonFiniteLoss(f"loss became {record.failure[0]} {record.failure[1]}; training stopped "
                            "(the history so far is kept; try a smaller learning rate)")
    ctx.metric("gan_steps", record.step)
    ctx.metric("gan_train_s", round(train_s, 1), "s", note=f"{record.step / train_s:.1f} steps/s of batch {p['batch_size']}")

    z = rng.standard_normal((p["n_samples"], p["latent_dim"])).astype("float32")
    samples = np.concatenate([generator(z[i : i + 500], training=False).numpy() for i in range(0, len(z), 500)])
    samples = np.clip((samples[..., 0] + 1.0) / 2.0, 0.0, 1.0).astype(np.float32)
    logits = judge(samples[..., None], training=False).numpy()
    probs = softmax(logits)
    confident = probs.max(1) >= 0.9
    labels = probs.argmax(1)
    counts = np.bincount(labels[confident], minlength=10)
    share = counts / max(1, confident.sum())
    ctx.metric("confident_share", float(confident.mean()), note="generated digits the judge classifies with confidence ≥ 0.9")
    ctx.metric("classes_present", int(np.sum(share >= 0.02)),
               note="digit classes holding ≥ 2% of the confident samples (a fifth of a fair share): mode collapse lowers it")
    ctx.metric("largest_class_share", float(share.max()))
    calibrated = softmax(logits, temperature).max(1) >= 0.9
    ctx.metric("calibrated_confident_share", float(calibrated.mean()),
               note=f"the same with the judge's calibrated confidence (logits / T, T = {temperature:.3f})")
    _frechet(ctx, judge, samples[..., None], x_train, x_test)
    ctx.table(f"the judge on {len(samples)} generated digits", ["digit", *range(10)],
              [["confident samples", *counts.tolist()], ["share", *[round(float(s), 3) for s in share]]])
    ctx.note("The judge is a separate CNN trained only on real digits; D is never used to score G. "
             "G's first layer is a 7×7 transposed conv of z seen as a 1×1 map, D's last a 7×7 valid conv: no Dense layer anywhere.")

    if ctx.out is not None:
        np.save(ctx.artifact_path("samples.npy"), samples[:1000])
    if ctx.wants_figures:
        plt = ctx.pyplot()
        fig = _grid(plt, samples[:100], 10, 10, [f"{labels[i]} {probs[i].max():.2f}" for i in range(100)])
        fig.suptitle("generated digits (judge's label and confidence)", fontsize=8)
        ctx.save_figure(fig, "samples.png")
        rows = np.concatenate(progress_rows)  # the same 10 latent vectors, one row after each epoch
        fig = _grid(plt, rows, len(progress_rows), 10, row_labels=[f"epoch {e}" for e in range(1, len(progress_rows) + 1)])
        fig.suptitle("G on 10 fixed z after each epoch", fontsize=8)
        ctx.save_figure(fig, "samples_by_epoch.png")
        fig, ax = plt.subplots(figsize=(7, 3.2))
        for key in ("d_loss", "g_loss"):
            v = np.array([r[key] for r in step_rows])
            k = max(1, min(25, len(v) // 10))
            ax.plot(np.arange(len(v)), v, alpha=0.25)
            ax.plot(np.arange(k - 1, len(v)), np.convolve(v, np.ones(k) / k, mode="valid"), label=f"{key} ({k}-step mean)")
        ax.set(xlabel="step", ylabel="loss (nats)", title=f"D and G losses ({p['generator_loss']} G loss)")
        ax.legend(fontsize=7)
        ctx.save_figure(fig, "losses.png")
    if ctx.out is not None:
        lines = []
        for m in (generator, discriminator):
            m.summary(print_fn=lambda s, **_: lines.append(s))
        ctx.artifact_path("model_summary.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
