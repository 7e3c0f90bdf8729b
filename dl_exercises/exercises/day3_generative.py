"""Day3 Section5: autoencoder, VAE, and HRED/VHRED dialogue models.

``day3.autoencoder`` and ``day3.vae`` train on MNIST (falls back to mnist5k);
models live in ``dl_exercises.nn.vae``. ``day3.hred`` trains HRED and VHRED
(``dl_exercises.nn.hred``) on generated multi-turn dialogues
(``dl_exercises.datasets.dialogues``). No TensorFlow at module level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for annotations; numpy itself loads when an exercise runs
    import numpy as np

from ..params import at_least, flag, learning_rate, non_negative, positive, string
from ..registry import exercise

_MNIST_PARAMS = {
    "epochs": positive(15),
    "n_train": at_least(10, 4000, "training images"),
    "n_test": at_least(10, 1000, "test images"),
    "hidden": positive(256, "hidden units of encoder and decoder"),
    "batch_size": positive(64),
    "lr": learning_rate(0.001, "Adam learning rate"),
}


def _sigmoid(x):
    import numpy as np
    return 1.0 / (1.0 + np.exp(-x))


def _bce_per_image(x, logits):
    """Bernoulli cross-entropy summed over pixels, per image, computed in numpy (nats)."""
    import numpy as np
    x = x.reshape(len(x), -1).astype(np.float64)
    logits = logits.reshape(len(logits), -1).astype(np.float64)
    return np.sum(np.maximum(logits, 0) - logits * x + np.log1p(np.exp(-np.abs(logits))), axis=1)


def _image_grid(plt, rows_of_images, titles, name, ctx):
    import numpy as np
    fig, axes = plt.subplots(len(rows_of_images), len(rows_of_images[0]), figsize=(len(rows_of_images[0]) * 0.9, len(rows_of_images) * 1.0))
    axes = np.atleast_2d(axes)
    for r, images in enumerate(rows_of_images):
        for c, img in enumerate(images):
            axes[r, c].imshow(img, cmap="gray", vmin=0, vmax=1)
            axes[r, c].axis("off")
        axes[r, 0].set_title(titles[r], fontsize=7, loc="left")
    ctx.save_figure(fig, name)


@exercise(
    "day3.autoencoder",
    title="Autoencoder: compress MNIST to z and reconstruct",
    title_ja="オートエンコーダ",
    section="Day3 Section5",
    data=("mnist",),
    tags=("keras", "generative"),
    params={**_MNIST_PARAMS, "latent_dims": string("2,32", "comma-separated sizes of z to compare")},
    budgets={"smoke": {"epochs": 1, "n_train": 200, "n_test": 100, "hidden": 32}, "quick": {"epochs": 15}, "full": {"epochs": 30, "n_train": 60000, "n_test": 10000}},
    targets={"quick": {"pca_minus_autoencoder_mse": "> 0"}},
)
def autoencoder(ctx):
    """Dense autoencoder x → z → x̂ on MNIST; reconstruction loss by size of z beside PCA with the same size (Day3 Section5)."""
    import numpy as np
    from sklearn.decomposition import PCA

    from ..errors import UsageError
    from ..nn.vae import build_autoencoder, reconstruction_loss
    from ..train.arrays import fit_arrays

    p = ctx.params
    try:
        dims = [int(d) for d in p["latent_dims"].split(",") if d.strip()]
    except ValueError:
        raise UsageError(f"--set latent_dims={p['latent_dims']}: expected comma-separated integers") from None
    if not dims or min(dims) < 1:
        raise UsageError(f"--set latent_dims={p['latent_dims']}: sizes must be positive")
    data = ctx.load_data("mnist", n_train=p["n_train"], n_test=p["n_test"])
    x_train, x_test = data.x_train.astype("float32"), data.x_test.astype("float32")
    _, keras = ctx.tf_keras()
    rows, recon = [], {}
    for dim in dims:
        ctx.reseed()
        model, _, _ = build_autoencoder(dim, p["hidden"], name=f"ae{dim}")
        model.compile(keras.optimizers.Adam(p["lr"]), loss=reconstruction_loss)
        with ctx.training():
            fit_arrays(model, x_train, x_train, batch_size=p["batch_size"], epochs=p["epochs"], seed=ctx.seed,
                       callbacks=ctx.callbacks(epochs=p["epochs"], label=f"autoencoder z={dim}", run=f"z={dim}"))
        logits = np.asarray(model.predict(x_test, batch_size=1024, verbose=0))
        recon[dim] = _sigmoid(logits)
        bce = float(np.mean(_bce_per_image(x_test, logits)))
        mse = float(np.mean((recon[dim] - x_test) ** 2))
        pca = PCA(min(dim, x_train.shape[0]), random_state=ctx.seed).fit(x_train.reshape(len(x_train), -1))
        pca_rec = pca.inverse_transform(pca.transform(x_test.reshape(len(x_test), -1))).reshape(x_test.shape)
        pca_mse = float(np.mean((pca_rec - x_test) ** 2))
        rows.append([dim, round(bce, 2), round(mse, 5), round(pca_mse, 5)])
        ctx.metric(f"z{dim}_test_bce", bce, unit="nats/image")
        ctx.metric(f"z{dim}_test_mse", mse)
    best = max(dims)
    ctx.metric("pca_minus_autoencoder_mse", rows[dims.index(best)][3] - rows[dims.index(best)][2], note=f"z = {best}: linear PCA vs the nonlinear autoencoder")
    ctx.table("test reconstruction loss", ["size of z", "BCE per image", "MSE per pixel", "PCA MSE (same size)"], rows)
    ctx.note("Encoder and decoder are Dense 784-hidden-z-hidden-784; z smaller than the input makes it a dimension reduction.")
    plt = ctx.pyplot()
    _image_grid(plt, [x_test[:10]] + [recon[d][:10] for d in dims], ["test images"] + [f"z = {d}" for d in dims], "reconstructions.png", ctx)


@exercise(
    "day3.vae",
    title="VAE: reparameterization, KL term, samples from N(0, 1), 2-D latent map",
    title_ja="VAE",
    section="Day3 Section5",
    data=("mnist",),
    tags=("keras", "generative"),
    params={
        **_MNIST_PARAMS,
        "epochs": positive(20),
        "latent_dim": positive(2, "size of z (2 gives the latent map)"),
        "beta": non_negative(1.0, "weight of the KL term (1: the ELBO)"),
        "elbo_samples": positive(5, "z samples per test image for the ELBO estimate"),
    },
    budgets={"smoke": {"epochs": 1, "n_train": 200, "n_test": 100, "hidden": 32}, "quick": {"epochs": 20}, "full": {"epochs": 50, "n_train": 60000, "n_test": 10000}},
    targets={"quick": {"test_elbo": ">= -190"}},
)
def vae(ctx):
    """VAE on MNIST: z = μ + σε, KL(q(z|x) ‖ N(0, I)); ELBO table, samples and a 2-D latent map (Day3 Section5)."""
    import numpy as np
    from ..nn.vae import build_vae, reconstruction_loss
    from ..train.arrays import fit_arrays

    p = ctx.params
    data = ctx.load_data("mnist", n_train=p["n_train"], n_test=p["n_test"])
    x_train, x_test = data.x_train.astype("float32"), data.x_test.astype("float32")
    _, keras = ctx.tf_keras()
    model, encoder, decoder = build_vae(p["latent_dim"], p["hidden"], beta=p["beta"], seed=ctx.seed)
    model.compile(keras.optimizers.Adam(p["lr"]), loss=reconstruction_loss)
    with ctx.training():
        fit_arrays(model, x_train, x_train, batch_size=p["batch_size"], epochs=p["epochs"], seed=ctx.seed,
                   callbacks=ctx.callbacks(epochs=p["epochs"], label="VAE"))

    # ELBO on the test set, computed outside Keras: E_q[log p(x|z)] by sampling, KL in closed form
    rng = np.random.default_rng(ctx.seed)
    rows = []
    for split, x in (("train", x_train[: len(x_test)]), ("test", x_test)):
        mean, log_var = (np.asarray(a, dtype=np.float64) for a in encoder.predict(x, batch_size=1024, verbose=0))
        kl = -0.5 * np.sum(1.0 + log_var - mean**2 - np.exp(log_var), axis=1)
        rec = np.zeros(len(x))
        for _ in range(p["elbo_samples"]):
            z = mean + np.exp(0.5 * log_var) * rng.standard_normal(mean.shape)
            rec += _bce_per_image(x, np.asarray(decoder.predict(z.astype("float32"), batch_size=1024, verbose=0))) / p["elbo_samples"]
        elbo = -(rec + kl)
        rows.append([split, round(float(rec.mean()), 2), round(float(kl.mean()), 2), round(float(elbo.mean()), 2)])
        if split == "test":
            ctx.metric("test_reconstruction", float(rec.mean()), unit="nats/image")
            ctx.metric("test_kl", float(kl.mean()), unit="nats/image")
            ctx.metric("test_elbo", float(elbo.mean()), unit="nats/image", note="higher is better; −(reconstruction + KL)")
            test_mean = mean
    ctx.table("ELBO = E_q log p(x|z) − KL(q(z|x) ‖ N(0, I))", ["split", "reconstruction (−E log p)", "KL", "ELBO"], rows)
    ctx.note("Reparameterization: z = μ + exp(½ log σ²)·ε with ε ~ N(0, I) keeps sampling differentiable in μ and σ.")

    z_prior = rng.standard_normal((20, p["latent_dim"])).astype("float32")
    samples = _sigmoid(np.asarray(decoder.predict(z_prior, verbose=0)))
    recon = _sigmoid(np.asarray(model.predict(x_test[:10], verbose=0)))
    plt = ctx.pyplot()
    _image_grid(plt, [x_test[:10], recon, samples[:10], samples[10:]], ["test images", "reconstructions", "z ~ N(0, I)", "z ~ N(0, I)"], "vae_samples.png", ctx)
    if p["latent_dim"] == 2:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 5))
        sc = ax1.scatter(test_mean[:, 0], test_mean[:, 1], c=data.y_test, cmap="tab10", s=6)
        fig.colorbar(sc, ax=ax1, label="digit")
        ax1.set(xlabel="z₁", ylabel="z₂", title="test images: μ of q(z|x)")
        grid = np.linspace(-2.5, 2.5, 15)
        zz = np.array([[a, b] for b in grid[::-1] for a in grid], dtype="float32")
        tiles = _sigmoid(np.asarray(decoder.predict(zz, verbose=0))).reshape(15, 15, 28, 28)
        ax2.imshow(tiles.transpose(0, 2, 1, 3).reshape(15 * 28, 15 * 28), cmap="gray")
        ax2.set(title="decoder over z ∈ [−2.5, 2.5]²")
        ax2.axis("off")
        ctx.save_figure(fig, "latent_map.png")


def _greedy_replies(predict, n: int, reply_len: int, bos: int) -> np.ndarray:
    """Greedy decoding through ``predict(seq) -> logits`` with a fixed-width input (later positions padding)."""
    import numpy as np
    seq = np.zeros((n, reply_len), dtype=np.int32)
    seq[:, 0] = bos
    for k in range(reply_len - 1):
        logits = predict(seq[:, : reply_len - 1])
        seq[:, k + 1] = np.argmax(logits[:, k], axis=-1)
    return seq[:, 1:]


def distinct_n(replies: list[str], n: int) -> float:
    """Distinct-n (Li et al. 2016): unique n-grams / all n-grams over the replies."""
    grams = [tuple(r.split()[i : i + n]) for r in replies for i in range(len(r.split()) - n + 1)]
    return len(set(grams)) / max(1, len(grams))


@exercise(
    "day3.hred",
    title="HRED and VHRED on multi-turn dialogues: context, and varied replies",
    title_ja="HRED・VHRED",
    section="Day3 Section5",
    data=("dialogues",),
    tags=("keras", "seq2seq", "generative"),
    params={
        "epochs": positive(10),
        "n_train": at_least(10, 6000, "training dialogues"),
        "n_test": at_least(10, 500, "test dialogues"),
        "units": positive(64, "GRU units"),
        "embed_dim": positive(32),
        "latent_dim": positive(4, "VHRED's z"),
        "batch_size": positive(64),
        "lr": learning_rate(0.005),
        "clipnorm": positive(1.0, "gradient-norm clipping threshold"),
        "context_every_step": flag(True, "join c (c + W z) to every decoder input, not only the initial state"),
        "samples": at_least(2, 5, "replies generated per context for the diversity score"),
        "n_diverse": positive(100, "test contexts used for the diversity score"),
    },
    # quick: 5 epochs. At 10 epochs (seeds 0/1/2, seed 0 with TF_ENABLE_ONEDNN_OPTS=0, AMX Xeon, 2 idle cores):
    # HRED accuracy 1.0 at all four, context gain 0.850/0.884/0.874/0.850, VHRED distinct replies 2.47/2.59/2.66/2.44,
    # 90-94 s wall; at 5 epochs, seeds 0/1: 1.0, 0.850/0.884, 2.23/2.49 — the same margins for about half the time.
    budgets={"smoke": {"epochs": 1, "n_train": 64, "n_test": 16, "units": 8, "n_diverse": 4}, "quick": {"epochs": 5}, "full": {"epochs": 30, "n_train": 20000}},
    targets={"quick": {"hred_accuracy": ">= 0.95", "context_accuracy_gain": ">= 0.5", "vhred_distinct_replies": ">= 1.5"}},
)
def hred(ctx):
    """HRED (utterance encoder + context RNN + decoder) vs last-turn-only seq2seq; VHRED's latent z varies the replies (Day3 Section5)."""
    import numpy as np
    from ..nn.hred import build_hred
    from ..nn.seq2seq import compile_seq2seq, predict_in_batches
    from ..text import BOS

    p = ctx.params
    data = ctx.load_data("dialogues", n_train=p["n_train"], n_test=p["n_test"])
    vocab, valid = data.extra["vocab"], data.extra["valid_test"]
    x_train, y_train, x_test = data.x_train, data.y_train, data.x_test
    turns, turn_len = x_train.shape[1:]
    reply_len = y_train.shape[1]
    _, keras = ctx.tf_keras()
    rows, results = [], {}
    n_div = min(p["n_diverse"], len(x_test))
    div_x = np.repeat(x_test[:n_div], p["samples"], axis=0)
    rng = np.random.default_rng(ctx.seed)
    for kind in ("last turn only", "HRED", "VHRED"):
        ctx.reseed()
        tag = {"last turn only": "s2s", "HRED": "hred", "VHRED": "vhred"}[kind]
        parts = build_hred(len(vocab), turns=turns, turn_len=turn_len, embed_dim=p["embed_dim"], units=p["units"],
                           latent_dim=p["latent_dim"] if kind == "VHRED" else 0, context=kind != "last turn only",
                           context_every_step=p["context_every_step"], name=tag)  # fmt: skip
        model = parts["train"]
        compile_seq2seq(model, p["lr"], steps_per_execution=16, clipnorm=p["clipnorm"])
        inputs = [x_train, y_train[:, :-1]] + ([y_train[:, 1:]] if kind == "VHRED" else [])
        callbacks = ctx.callbacks(epochs=p["epochs"], label=kind, run=kind)
        if parts["kl"] is not None:
            # the token loss is a mean per word, the KL is per reply: weigh the KL per word too (ELBO / reply length)
            per_word = 1.0 / float(np.mean(np.sum(y_train[:, 1:] != 0, axis=1)))
            kl_var, warmup = parts["kl"].kl_weight, max(1, p["epochs"] // 3)
            callbacks.append(keras.callbacks.LambdaCallback(
                on_epoch_begin=lambda epoch, logs: kl_var.assign(per_word * min(1.0, 0.1 + epoch / warmup))))  # fmt: skip
        with ctx.training():
            model.fit(inputs, y_train[:, 1:], batch_size=p["batch_size"], epochs=p["epochs"], verbose=0, callbacks=callbacks)
        def replies_for(x):
            if kind == "VHRED":
                mean, log_var = predict_in_batches(parts["prior"], [x])
                z = (mean + np.exp(0.5 * log_var) * rng.standard_normal(mean.shape)).astype("float32")
                return _greedy_replies(lambda s: predict_in_batches(parts["generate"], [x, s, z]), len(x), reply_len, BOS)
            return _greedy_replies(lambda s: predict_in_batches(model, [x, s]), len(x), reply_len, BOS)

        test_replies = [" ".join(vocab.decode(r)) for r in replies_for(x_test)]
        accuracy = float(np.mean([r in v for r, v in zip(test_replies, valid)]))
        div_replies = [" ".join(vocab.decode(r)) for r in replies_for(div_x)]
        per_context = float(np.mean([len(set(div_replies[i * p["samples"] : (i + 1) * p["samples"]])) for i in range(n_div)]))
        results[kind] = (accuracy, per_context, test_replies, div_replies)
        rows.append([kind, model.count_params(), round(accuracy, 4), round(distinct_n(div_replies, 1), 4), round(distinct_n(div_replies, 2), 4), round(per_context, 2)])
    ctx.table(
        f"test dialogues; diversity over {p['samples']} replies to each of {n_div} contexts (greedy decoding)",
        ["model", "parameters", "right reply", "distinct-1", "distinct-2", "different replies per context"],
        rows,
    )
    ctx.metric("no_context_accuracy", results["last turn only"][0], note="can only guess the value: about 1/8")
    ctx.metric("hred_accuracy", results["HRED"][0])
    ctx.metric("vhred_accuracy", results["VHRED"][0])
    ctx.metric("context_accuracy_gain", results["HRED"][0] - results["last turn only"][0])
    ctx.metric("hred_distinct_replies", results["HRED"][1], note="per context; greedy HRED always says the same")
    ctx.metric("vhred_distinct_replies", results["VHRED"][1], note="per context; z ~ p(z | context) each time")
    ctx.metric("hred_distinct_2", distinct_n(results["HRED"][3], 2))
    ctx.metric("vhred_distinct_2", distinct_n(results["VHRED"][3], 2))
    text = data.extra["text_test"]
    ex = [[" / ".join(text[i]), results["HRED"][2][i], " | ".join(sorted(set(results["VHRED"][3][i * p["samples"] : (i + 1) * p["samples"]])))] for i in range(min(4, n_div))]
    ctx.table("examples", ["dialogue", "HRED", "VHRED samples"], ex)
    ctx.note("VHRED: KL(q(z|context, reply) ‖ p(z|context)) weight annealed 0.1 → 1 (per word of the reply) over the first third of training; z enters as c + W z.")
