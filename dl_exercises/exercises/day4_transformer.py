"""Day4 Section5: the Transformer (encoder–decoder, multi-head attention, positional encoding).

The smoke and quick budgets run on ``dates`` (dates in many forms → ISO,
character level; embedded, no download). The full budget is the course's
Transformer lab: English → Japanese on small_parallel_enja (``--dataset enja``
at any budget), scored every epoch the course's way (BLEU of the argmax under
teacher forcing, its 35.9) and by greedy decoding, and at the end by greedy
and beam decoding of the test split. Layers live in
``dl_exercises.nn`` (``positional_encoding``, ``attention``, ``transformer``,
``decoding``). No TensorFlow at module level: ``dlx list`` imports this module.
"""

from __future__ import annotations

import time

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for annotations; numpy itself loads when an exercise runs
    import numpy as np

from ..registry import at_least, choice, exercise, flag, fraction, learning_rate, non_negative, positive, text

# XLA or not (measure, then decide). Quick model (2+2 layers, d_model 64,
# batch 64, dates), one process training a jit_compile=True and a False copy in
# alternating epochs on the shared 2-core machine (load average 11-15), three times:
#   64-step epochs:  XLA/plain median steps/s ratio 0.60 (plain 9.9-12.9, XLA 5.8-6.5)
#   64-step epochs:  ratio 1.87 (plain 6.1-11.8, XLA 6.1-15.5)
#   128-step epochs: ratio 1.01 (plain 12.1-13.4, XLA 12.3-16.0; best-of 1.19)
# No consistent gain that the load noise does not swamp, and XLA adds its own
# compile time, so jit_compile=False; --set jit_compile=true to try it.
# The whole quick run measured 10.5 steps/s (3,125 steps in 299 s) at load ~14.
_XLA_NOTE = "jit_compile=False: XLA measured 0.6-1.9× (median of three 1.0×) the steps/s of graph mode on 2 busy CPU cores"


@exercise(
    "day4.transformer",
    title="Transformer: encoder–decoder with multi-head attention",
    title_ja="Transformer（Multi-Head Attention・位置エンコーディング）",
    section="Day4 Section5",
    data=("dates", "enja"),
    tags=("keras", "attention", "seq2seq", "transformer"),
    params={
        "epochs": positive(5, "training epochs"),
        "n_train": at_least(10, 40000, "training pairs (enja: at most 50,000)"),
        "n_test": positive(1000, "held-out pairs decoded for the metrics (enja: at most 500)"),
        "num_layers": positive(2, "encoder and decoder layers (the paper: 6)"),
        "d_model": at_least(2, 64, "model width (the paper: 512)"),
        "num_heads": positive(4, "attention heads (the paper: 8)"),
        "head_dim": non_negative(0, "d_k = d_v of each head (0 = d_model / num_heads; the course lab: 32 with 6 heads)"),
        "d_ff": positive(128, "FFN inner width (the paper: 2048)"),
        "dropout": fraction(0.0, "dropout rate (the paper: 0.1; 0 on dates, whose fresh data needs no regularizer)", upper=0.9),
        "batch_size": positive(64, "pairs per step"),
        "warmup_steps": positive(400, "linear warm-up steps of the paper's schedule (the paper: 4000)"),
        "lr_schedule": choice("noam", ("noam", "cosine", "constant"),
                              "noam: the paper's warm-up then step^-0.5; cosine: the same warm-up and peak, then a cosine "
                              "decay to 0 at the last step; constant: Adam at lr with its default betas (the course lab)"),
        "lr_scale": positive(1.0, "multiplies the paper's learning-rate schedule"),
        "lr": learning_rate(1e-3, "the constant schedule's learning rate (the course lab: 1e-3)"),
        "label_smoothing": fraction(0.0, "label smoothing ε (the paper: 0.1)", upper=0.5),
        "beam_width": positive(4, "beam width for beam-search decoding (1 = greedy only)"),
        "share_embeddings": flag(False, "one embedding table for source and target (as the course's example 5.1)"),
        "tie_output": flag(False, "the output projection is the target embedding table (the course lab)"),
        "ema": fraction(0.0, "enja: momentum of a moving average of the weights, which the dev and test scores use "
                             "(0 = the trained weights)", upper=0.99999),
        # bucket: one epoch of the old recipe on dates reached sequence accuracy 0.564 with length buckets against
        # 0.928 without (a bucket holds few date formats, so each batch's gradient sees few), for 1.2x the steps/s.
        "bucket": flag(False, "batches of similar source length, trimmed to their longest (less padding; on dates it learned slower)"),
        "jit_compile": flag(False, "compile the training step with XLA"),
        # enja only (the dates path above is unchanged by these):
        "max_tokens": at_least(32, 4096, "enja: padded tokens per batch (length-bucketed batches, replaces batch_size)"),
        "precision": choice("float32", ("auto", "float32", "mixed_bfloat16"),
                            "enja: auto = mixed bfloat16 where the CPU/GPU computes it natively, else float32"),
        "min_count": positive(1, "enja: training words seen fewer times become <unk>"),
        "length_penalty": non_negative(0.0, "enja: beam search divides log-probabilities by length**this"),
        "peak_n": positive(2048, "enja: matrix size of the matmul peak measured in the same run"),
        "max_train_minutes": non_negative(0.0, "stop training after this many minutes (0 = run every epoch); "),
        "data_dir": text("", "enja only: directory holding train/dev/test .en/.ja (default: cache or $DLX_DATA_DIR)"),
    },
    budgets={
        "smoke": {"epochs": 1, "n_train": 256, "n_test": 32, "d_model": 16, "num_heads": 2, "d_ff": 32,
                  "num_layers": 1, "batch_size": 64, "beam_width": 2, "max_tokens": 512, "peak_n": 256},
        # quick: one encoder and one decoder layer, 2 epochs, the paper's warm-up (100 steps, peak 6.25e-3) then a
        # cosine decay to 0. Measured on dates, sequence accuracy at seeds 0 / 1 / 2 (2 CPU cores shared with other jobs):
        #   2+2 layers, 5 epochs, the paper's schedule (the old recipe): 0.977 at seed 0 on an AMX Xeon
        #   2+2 layers, 2 epochs, paper's schedule: 0.978; 3 epochs with lr_scale 2: 0.956
        #   1+1 layers, 3 epochs, paper's schedule: 0.999 / 0.975 / 0.988 (the step^-0.5 tail never anneals)
        #   1+1 layers, 2 epochs, cosine, warm-up 400: 1.0 / 0.989 / 0.999
        #   1+1 layers, 2 epochs, cosine, warm-up 100 at half scale (same peak): 1.0 / 1.0 / 1.0
        "quick": {"num_layers": 1, "epochs": 2, "lr_schedule": "cosine", "warmup_steps": 100, "lr_scale": 0.5},
        # full: the course's Transformer lab on small_parallel_enja (d_model 128, FFN 256, 3 + 3 layers, 6 heads of
        # d_k = d_v = 32, dropout 0.1, target embedding tied to the output projection, 15 epochs). 896-token batches
        # give 755 updates per epoch, about the course's 782 batches of 64 sentences. Measured (AMD EPYC, AVX-512
        # with bfloat16, 2 cores):
        #   the course's own settings (Adam 1e-3 constant, no label smoothing): teacher-forced dev BLEU 36.02 after
        #   epoch 15 (best 37.0; the course 35.90), greedy dev 26.12; test BLEU greedy 27.42, beam 4: 28.38 with
        #   BP 0.840 (its hypotheses too short), 29.72 / 30.17 / 30.00 / 30.22 with length penalty 0.6 / 1.0 / 1.5 / 2.0
        #   (dev beam 28.05 / 28.59 / 29.11 / 29.06: 1.5 is the dev's choice); 83 s per epoch, 22 min in all.
        #   the paper's schedule (warm-up 1,000) and label smoothing 0.1 on 4 heads of 32, untied: teacher-forced dev
        #   BLEU 39.56, test beam 29.98 (BP 0.855) without length penalty (the run).
        #   mixed bfloat16: 15.0 s per 10,000-pair epoch against 10.8 s in float32 (the casts cost more than the
        #   small matmuls gain); XLA: the first epoch unfinished after 220 s against 19 s (each batch shape compiles).
        # So: the paper's schedule and label smoothing, a moving average of the weights (0.999, about the last 1,000
        # updates) for the scores, float32. That recipe with length penalty 1.5: teacher-forced dev BLEU 39.0 (the
        # trained weights' 37.26 beside the average's), greedy dev 29.31, test greedy 27.74, beam 30.16; 22 min.
        # Its weights decoded again (--resume), dev beam BLEU by length penalty / width: 0.6 / 4: 31.48, 1.0 / 4:
        # 32.55, 1.5 / 4: 32.48, 2.0 / 4: 31.40, 1.0 / 8: 32.74, 1.5 / 8: 32.04. Label smoothing moved the dev's
        # choice from 1.5 to 1.0; width 8 adds 0.19 for twice the decoding, so width 4, length penalty 1.0.
        "full": {"epochs": 15, "n_train": 50000, "n_test": 500, "num_layers": 3, "d_model": 128, "num_heads": 6,
                 "head_dim": 32, "d_ff": 256, "dropout": 0.1, "tie_output": True, "warmup_steps": 1000,
                 "label_smoothing": 0.1, "max_tokens": 896, "ema": 0.999, "length_penalty": 1.0},
    },
    targets={"quick": {"sequence_accuracy": ">= 0.99"},
             "full": {"dev_bleu_teacher_forced": {"enja": ">= 35.9"}, "bleu_beam": {"enja": ">= 30"}}},
    course={"dev_bleu_teacher_forced": (35.9, "Day4 Section5 Transformer lab: valid BLEU after 15 epochs, the argmax "
                                              "under teacher forcing, nltk corpus BLEU × 100", "enja")},
)
def transformer(ctx):
    """Train an encoder–decoder Transformer with teacher forcing; decode greedily and by beam search (Day4 Section5)."""
    import numpy as np
    p = ctx.params
    name = ctx.dataset or ("enja" if ctx.budget == "full" else "dates")  # full: the course's lab, on its corpus
    if name == "enja":
        return _enja(ctx, p)
    data = ctx.load_data(name, n_train=p["n_train"], n_test=p["n_test"])
    e = data.extra
    level = e.get("level", "char")
    src_vocab, tgt_vocab = e["source_vocab"], e["target_vocab"]
    src_train, tgt_train, src_test, tgt_test = e["src_train"], e["tgt_train"], e["src_test"], e["tgt_test"]
    if p["share_embeddings"]:
        src_vocab, tgt_vocab, src_train, tgt_train, src_test, tgt_test = _joint_vocab(data, level)

    _, keras = ctx.keras()
    from ..nn.transformer import MaskedSparseCrossentropy, masked_accuracy

    max_target = tgt_train.shape[1] - 1
    models = _build(p, len(src_vocab), len(tgt_vocab), max(src_train.shape[1], max_target) + 1)
    if p["bucket"]:
        from ..train.sequences import bucketed_pairs

        stream, steps_per_epoch = bucketed_pairs(src_train, tgt_train, p["batch_size"], p["epochs"], ctx.seed)
        inputs, targets, batch_size = stream, None, None
    else:
        steps_per_epoch = int(np.ceil(len(src_train) / p["batch_size"]))
        inputs, targets, batch_size = [src_train, tgt_train[:, :-1]], tgt_train[:, 1:], p["batch_size"]
    models.model.compile(
        optimizer=_optimizer(keras, p, steps_per_epoch),
        loss=MaskedSparseCrossentropy(p["label_smoothing"]),
        metrics=[masked_accuracy],
        jit_compile=p["jit_compile"],
    )
    clock = _train_clock(keras, p["max_train_minutes"] * 60.0)
    with ctx.training():
        start = time.perf_counter()
        models.model.fit(
            inputs, targets, batch_size=batch_size, epochs=p["epochs"], steps_per_epoch=steps_per_epoch,
            shuffle=not p["bucket"], verbose=0,
            callbacks=ctx.callbacks(epochs=p["epochs"], label="transformer", steps_per_epoch=steps_per_epoch) + [clock],
        )
        train_s = time.perf_counter() - start
    ctx.metric("train_steps_per_s", round(clock.steps / train_s, 1), "steps/s",
               note=f"batch {p['batch_size']}, jit_compile={p['jit_compile']}, first step's tracing included")
    if clock.stopped:
        ctx.note(f"training stopped by max_train_minutes={p['max_train_minutes']:g} after {clock.steps} steps "
                 f"({clock.steps / steps_per_epoch:.2f} of {p['epochs']} epochs)")

    from ..nn.decoding import beam_search_decode, greedy_decode
    from ..nn.transformer import make_log_probs_fn

    log_probs_fn = make_log_probs_fn(models, src_test)
    start = time.perf_counter()
    greedy = greedy_decode(log_probs_fn, len(src_test), max_target)
    greedy_s = time.perf_counter() - start
    join = "".join if level == "char" else " ".join
    hyps = [join(tgt_vocab.decode(row)) for row in greedy]
    refs = [str(y) for y in data.y_test]  # the corpus's own lines: words unknown to the vocabulary stay as written
    seq_acc, tok_acc = _accuracies(greedy, tgt_test[:, 1:])  # an <unk> in a reference never counts as right
    # The quick target is on dates' sequence_accuracy; on enja the same measure is
    # named exact_match so that target (and its meaning) stays with dates.
    seq_name = "sequence_accuracy" if name == "dates" else "exact_match"
    ctx.metric(seq_name, round(seq_acc, 4), note=f"greedy decoding, {len(hyps)} held-out {name} pairs")
    ctx.metric("token_accuracy", round(tok_acc, 4), note="greedy output vs reference, position by position, </s> included")
    beam_hyps = None
    if p["beam_width"] > 1:
        start = time.perf_counter()
        beam = beam_search_decode(log_probs_fn, len(src_test), max_target, beam_width=p["beam_width"])
        beam_s = time.perf_counter() - start
        beam_hyps = [join(tgt_vocab.decode(row)) for row in beam]
        beam_acc = ctx.metric(f"beam_{seq_name}", round(_accuracies(beam, tgt_test[:, 1:])[0], 4),
                              note=f"beam width {p['beam_width']}")
    rows = [["greedy", round(seq_acc, 4), round(tok_acc, 4), round(greedy_s, 2)]]
    if beam_hyps is not None:
        rows.append([f"beam {p['beam_width']}", beam_acc, "", round(beam_s, 2)])
    ctx.table(f"Decoding {len(hyps)} held-out {name} pairs", ["decoder", "sequence acc", "token acc", "time s"], rows)
    sources = [str(x) for x in data.x_test]
    shown = range(min(6, len(hyps)))
    ctx.table("Example translations (greedy)", ["source", "reference", "output", "ok"],
              [[sources[i], refs[i], hyps[i], "✓" if hyps[i] == refs[i] else "✗"] for i in shown])
    ctx.note(f"training: {clock.steps} steps ({steps_per_epoch} per epoch), {train_s:.1f} s; {_XLA_NOTE}")
    _attention_heatmap(ctx, models, src_test[:1], greedy[:1], src_vocab, tgt_vocab)


def _enja(ctx, p):
    """English → Japanese: resumable length-bucketed training, dev BLEU per epoch, test BLEU greedy and beam."""
    from ..studies.speed import pair_lengths, transformer_pair_mult_adds
    from ..studies.translation import (bleu_curve, dev_bleu_after_epoch, load_enja, matmul_peaks, report_training,
                                       run_settings, teacher_forced_hypotheses)
    from ..text.vocab import Vocab
    from ..text.bleu import corpus_bleu
    from ..train.averaging import averaged_weights
    from ..train.precision import precision_policy, resolve
    from ..train.sequences import token_batches, train_pairs

    data = load_enja(ctx, p)
    e = data.extra
    src_vocab, tgt_vocab = e["source_vocab"], e["target_vocab"]
    arrays = {k: e[k] for k in ("src_train", "tgt_train", "src_dev", "tgt_dev", "src_test", "tgt_test")}
    if p["share_embeddings"]:
        src_vocab = tgt_vocab = Vocab(src_vocab.itos[4:] + tgt_vocab.itos[4:])
        texts = {"train": (data.x_train, data.y_train), "dev": (e["x_dev"], e["y_dev"]), "test": (data.x_test, data.y_test)}
        for split, (xs, ys) in texts.items():
            arrays[f"src_{split}"] = src_vocab.encode_batch([str(x).split(" ") for x in xs], e[f"src_{split}"].shape[1])
            arrays[f"tgt_{split}"] = tgt_vocab.encode_batch([str(y).split(" ") for y in ys], e[f"tgt_{split}"].shape[1],
                                                            bos=True, eos=True)
    n_dev = min(len(e["x_dev"]), p["n_test"])
    src_train, tgt_train = arrays["src_train"], arrays["tgt_train"]
    max_target = tgt_train.shape[1] - 1
    tf, keras = ctx.keras()
    from ..nn.decoding import beam_search_decode, greedy_decode
    from ..nn.transformer import MaskedSparseCrossentropy, make_log_probs_fn

    precision = resolve(p["precision"])
    peaks = matmul_peaks(precision, p["peak_n"])
    with precision_policy(precision):
        models = _build(p, len(src_vocab), len(tgt_vocab), max(src_train.shape[1], max_target) + 1)
    src_len, tgt_len = (src_train != 0).sum(1), (tgt_train != 0).sum(1)
    steps_per_epoch = len(token_batches(src_len, tgt_len, p["max_tokens"], ctx.seed, 0))
    optimizer = _optimizer(keras, p, steps_per_epoch)
    join = " ".join
    dev_refs = [str(y) for y in e["y_dev"][:n_dev]]
    src_dev, tgt_dev = arrays["src_dev"][:n_dev], arrays["tgt_dev"][:n_dev]
    teacher_forced = teacher_forced_hypotheses(models.model, tgt_vocab)

    def decode_dev():
        fn = make_log_probs_fn(models, src_dev)
        return [join(tgt_vocab.decode(r)) for r in greedy_decode(fn, n_dev, max_target)]

    writers = {"dev_bleu_teacher_forced": lambda: teacher_forced(src_dev, tgt_dev), "dev_bleu": decode_dev}
    score_dev = dev_bleu_after_epoch(writers, dev_refs)
    if p["ema"]:  # scores of the averaged weights; the trained ones' teacher-forced score beside them, to compare
        score_trained = dev_bleu_after_epoch({"dev_bleu_teacher_forced_trained": writers["dev_bleu_teacher_forced"]},
                                             dev_refs)

        def after_epoch(epoch):
            trained = score_trained(epoch)
            with averaged_weights(models.model, optimizer):
                row = score_dev(epoch)
            return {**row, "dev_bleu_teacher_forced_trained": trained["dev_bleu_teacher_forced_trained"],
                    "dev_s": row["dev_s"] + trained["dev_s"]}
    else:
        after_epoch = score_dev

    settings = run_settings(ctx, p)
    resume = ctx.resume / "checkpoint.npz" if ctx.resume else None
    with ctx.training():
        report = train_pairs(models.model, MaskedSparseCrossentropy(p["label_smoothing"]), optimizer, src_train,
                             tgt_train, seed=ctx.seed, epochs=p["epochs"], max_tokens=p["max_tokens"],
                             label="transformer enja", settings=settings, reporter=ctx.reporter,
                             callbacks=ctx.loop_callbacks("transformer enja: epochs", total=p["epochs"],
                                                          run="transformer enja"), checkpoint_path=ctx.artifact_path("checkpoint.npz"), resume_path=resume,
                             max_seconds=p["max_train_minutes"] * 60.0, after_epoch=after_epoch,
                             jit_compile=p["jit_compile"])
    s, t = pair_lengths(src_train, tgt_train)
    flops = 6.0 * transformer_pair_mult_adds(s, t, p["d_model"], p["d_ff"], p["num_layers"], len(tgt_vocab))
    report_training(ctx, report, flops_per_epoch=flops, peaks=peaks, precision=precision, p=p,
                    steps_per_epoch=steps_per_epoch, n_dev=n_dev)
    if p["ema"]:
        optimizer.finalize_variable_values(models.model.trainable_variables)  # decode with the averaged weights
        ctx.note(f"dev and test scores use the moving average of the weights (momentum {p['ema']:g})")

    fn = make_log_probs_fn(models, arrays["src_test"])
    n = len(arrays["src_test"])
    greedy = greedy_decode(fn, n, max_target)
    hyps = [join(tgt_vocab.decode(row)) for row in greedy]
    refs = [str(y) for y in data.y_test]
    seq_acc, tok_acc = _accuracies(greedy, arrays["tgt_test"][:, 1:])
    ctx.metric("exact_match", round(seq_acc, 4), note=f"greedy decoding, {n} test pairs")
    ctx.metric("token_accuracy", round(tok_acc, 4), note="greedy output vs reference, position by position, </s> included")
    beam_hyps = None
    if p["beam_width"] > 1:
        beam = beam_search_decode(fn, n, max_target, beam_width=p["beam_width"], length_penalty=p["length_penalty"])
        beam_hyps = [join(tgt_vocab.decode(row)) for row in beam]
        dev_beam = beam_search_decode(make_log_probs_fn(models, src_dev), n_dev, max_target, beam_width=p["beam_width"],
                                      length_penalty=p["length_penalty"])
        score = corpus_bleu([join(tgt_vocab.decode(row)) for row in dev_beam], dev_refs)
        ctx.metric("dev_bleu_beam", round(score.score, 2), note=f"beam width {p['beam_width']}, length penalty "
                   f"{p['length_penalty']:g}, {n_dev} dev lines; {score}")
    _report_bleu(ctx, hyps, refs, beam_hyps, p)
    bleu_curve(ctx, report.history, "enja Transformer: training loss and dev BLEU per epoch")
    sources = [str(x) for x in data.x_test]
    ctx.table("Example translations (greedy)", ["source", "reference", "output", "ok"],
              [[sources[i], refs[i], hyps[i], "✓" if hyps[i] == refs[i] else "✗"] for i in range(min(6, n))])
    _attention_heatmap(ctx, models, arrays["src_test"][:1], greedy[:1], src_vocab, tgt_vocab)


def _build(p, source_vocab_size: int, target_vocab_size: int, max_steps: int):
    """The run's Transformer from its parameters (the dates and enja paths alike)."""
    from ..nn.transformer import build_transformer

    return build_transformer(
        source_vocab_size, target_vocab_size, num_layers=p["num_layers"], d_model=p["d_model"], num_heads=p["num_heads"],
        head_dim=p["head_dim"] or None, d_ff=p["d_ff"], dropout=p["dropout"], max_steps=max_steps,
        share_embeddings=p["share_embeddings"], tie_output=p["tie_output"], name="transformer")


def _optimizer(keras, p, steps_per_epoch: int):
    """Adam with the run's schedule: the paper's (noam), its warm-up and peak then a cosine to 0, or constant."""
    from ..nn.transformer import TransformerSchedule, WarmupCosineSchedule

    average = {"use_ema": True, "ema_momentum": p["ema"]} if p.get("ema") else {}
    if p["lr_schedule"] == "constant":  # the course lab: torch.optim.Adam(lr=1e-3), default betas
        return keras.optimizers.Adam(p["lr"], **average)
    schedule = TransformerSchedule(p["d_model"], p["warmup_steps"], p["lr_scale"])
    if p["lr_schedule"] == "cosine":  # the paper's peak (at the end of warm-up), then annealed to 0
        schedule = WarmupCosineSchedule(float(schedule(p["warmup_steps"] - 1)), p["warmup_steps"],
                                        max(p["warmup_steps"] + 1, steps_per_epoch * p["epochs"]))
    return keras.optimizers.Adam(schedule, beta_1=0.9, beta_2=0.98, epsilon=1e-9, **average)


def _train_clock(keras, limit_s: float):
    """A Keras callback that counts steps and stops training once ``limit_s`` seconds have passed (0 = never)."""

    class TrainClock(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.steps = 0
            self.stopped = False
            self._start = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            self.steps += 1
            if limit_s and time.perf_counter() - self._start > limit_s:
                self.model.stop_training = True
                self.stopped = True

    return TrainClock()


def _joint_vocab(data, level):
    """Re-encode sources and targets with one vocabulary (source tokens first) for shared embeddings."""
    from ..text.vocab import Vocab

    e = data.extra
    joint = Vocab(e["source_vocab"].itos[4:] + e["target_vocab"].itos[4:])
    split = list if level == "char" else (lambda s: s.split(" "))

    def enc(strings, like, target):
        return joint.encode_batch([split(str(s)) for s in strings], like.shape[1], bos=target, eos=target)

    return (joint, joint, enc(data.x_train, e["src_train"], False), enc(data.y_train, e["tgt_train"], True),
            enc(data.x_test, e["src_test"], False), enc(data.y_test, e["tgt_test"], True))


def _accuracies(decoded: np.ndarray, reference: np.ndarray) -> tuple[float, float]:
    """Whole-sequence and per-position accuracy; both arrays (N, L) padded with 0 after </s>."""
    import numpy as np
    dec = np.zeros((len(decoded), max(decoded.shape[1], reference.shape[1])), np.int32)
    ref = np.zeros_like(dec)
    dec[:, : decoded.shape[1]] = decoded
    ref[:, : reference.shape[1]] = reference
    seq = float(np.mean(np.all(dec == ref, axis=1)))
    real = ref != 0
    tok = float(np.sum((dec == ref) & real) / max(int(np.sum(real)), 1))
    return seq, tok


def _report_bleu(ctx, hyps, refs, beam_hyps, p):
    from ..text.bleu import corpus_bleu

    greedy = corpus_bleu(hyps, refs)
    ctx.metric("bleu", round(greedy.score, 2), note=f"test split, corpus BLEU-4 on the corpus's tokens, greedy; {greedy}")
    best = hyps
    if beam_hyps is not None:
        beam = corpus_bleu(beam_hyps, refs)
        ctx.metric("bleu_beam", round(beam.score, 2), note=f"beam width {p['beam_width']}; {beam}")
        best = beam_hyps if beam.score >= greedy.score else hyps
    path = ctx.artifact_path("hypotheses.ja.txt")
    if path is not None:
        path.write_text("".join(" ".join(h.split()) + "\n" for h in best), encoding="utf-8")
    ctx.note("BLEU: dev_bleu_teacher_forced scores the argmax under the gold prefix, as the course's lab does (its 35.9); "
             "dev_bleu, bleu and bleu_beam score decoded output, which no gold prefix helps")


def _attention_heatmap(ctx, models, source, decoded, src_vocab, tgt_vocab):
    """Encoder–decoder attention (last layer, mean over heads) of one example, as attention.png."""
    import numpy as np
    if not ctx.wants_figures:
        return
    from ..text.vocab import BOS, EOS

    src_tokens = [t if t != " " else "␣" for t in src_vocab.decode(source[0])]
    row = list(decoded[0])
    steps = row[: row.index(EOS) + 1] if EOS in row else row  # the tokens output, </s> included
    labels = [tgt_vocab.itos[i] for i in steps]
    prefix = np.array([[BOS] + steps[:-1]], dtype=np.int32)
    memory = np.asarray(models.encoder(source, training=False))
    _, weights = models.decoder([prefix, memory, source], training=False)
    grid = np.asarray(weights)[0].mean(axis=0)[:, : len(src_tokens)]
    plt = ctx.pyplot()
    font = _font_for(labels + src_tokens)
    if font is None:
        ctx.note("attention.png numbers the output tokens (no font with their script is installed): "
                 + " ".join(f"{i}:{t}" for i, t in enumerate(labels)))
        labels = [str(i) for i in range(len(labels))]
        src_tokens = ["".join(c if c.isascii() else "?" for c in t) for t in src_tokens]
    fig, ax = plt.subplots(figsize=(max(4, 0.3 * len(src_tokens) + 2), max(3, 0.3 * len(steps) + 1.5)))
    ax.imshow(grid, cmap="viridis", aspect="auto")
    family = {"fontfamily": font} if font else {}
    ax.set_xticks(range(len(src_tokens)), src_tokens, fontsize=8, rotation=90 if len(src_tokens) > 30 else 0, **family)
    ax.set_yticks(range(len(steps)), labels, fontsize=8, **family)
    ax.set_xlabel("source")
    ax.set_ylabel("output")
    ax.set_title("encoder–decoder attention (last layer, mean of heads)")
    ctx.save_figure(fig, "attention.png")


def _font_for(tokens: list[str]) -> list[str] | None:
    """The font families (``fonts.families``: Latin first, the Japanese font dlx depends on after it) when together
    they draw every character of ``tokens``, else None."""
    from .. import fonts

    return fonts.families("en") if fonts.covers("".join(tokens)) else None
