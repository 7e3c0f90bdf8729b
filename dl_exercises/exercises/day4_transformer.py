"""Day4 Section5: the Transformer (encoder–decoder, multi-head attention, positional encoding).

The smoke and quick budgets run on ``dates`` (dates in many forms → ISO,
character level; embedded, no download). The full budget is the course's
Transformer lab: English → Japanese on small_parallel_enja (``--dataset enja``
at any budget), scored every epoch the course's way (BLEU of the argmax under
teacher forcing, its 35.9) and by greedy decoding, and at the end by greedy
and beam decoding of the test split. Both share the model, its compile step
and decoding (``studies.translation``); they differ in data, training loop
and report. Its parameters and budgets are in ``studies.translation.config``.
No TensorFlow at module level: ``dlx list`` imports this module.
"""

from __future__ import annotations

from ..registry import exercise
from ..studies.translation.config import TRANSFORMER_BUDGETS, TRANSFORMER_PARAMS


@exercise(
    "day4.transformer",
    title="Transformer: encoder–decoder with multi-head attention",
    title_ja="Transformer（Multi-Head Attention・位置エンコーディング）",
    section="Day4 Section5",
    data=("dates", "enja"),
    tags=("keras", "attention", "seq2seq", "transformer"),
    params=TRANSFORMER_PARAMS,
    budgets=TRANSFORMER_BUDGETS,
    targets={"quick": {"sequence_accuracy": ">= 0.99"},
             "full": {"dev_bleu_teacher_forced": {"enja": ">= 35.9"}, "bleu_beam": {"enja": ">= 30"}}},
    course={"dev_bleu_teacher_forced": (35.9, "Day4 Section5 Transformer lab: valid BLEU after 15 epochs, the argmax "
                                              "under teacher forcing, nltk corpus BLEU × 100", "enja")},
)
def transformer(ctx):
    """Train an encoder–decoder Transformer with teacher forcing; decode greedily and by beam search (Day4 Section5)."""
    from ..studies.translation.config import TransformerSettings

    name = ctx.dataset or ("enja" if ctx.budget == "full" else "dates")  # full: the course's lab, on its corpus
    settings = TransformerSettings.from_params(ctx.params)
    return (_enja if name == "enja" else _dates)(ctx, ctx.params, settings)


def _dates(ctx, p, settings):
    """Dates → ISO (character level): ``model.fit`` on padded arrays; accuracy of greedy and beam decoding."""
    from ..studies.translation import loops, report
    from ..studies.translation.config import XLA_NOTE
    from ..train.precision import precision_policy, resolve

    data = ctx.load_data("dates", n_train=p["n_train"], n_test=p["n_test"])
    e = data.extra
    level = e.get("level", "char")
    src_vocab, tgt_vocab = e["source_vocab"], e["target_vocab"]
    arrays = {k: e[k] for k in ("src_train", "tgt_train", "src_test", "tgt_test")}
    if p["share_embeddings"]:
        splits = {"train": (data.x_train, data.y_train), "test": (data.x_test, data.y_test)}
        src_vocab, arrays = loops.joint_vocabulary(data, splits, level)
        tgt_vocab = src_vocab
    src_train, tgt_train = arrays["src_train"], arrays["tgt_train"]
    max_target = tgt_train.shape[1] - 1
    with precision_policy(resolve(p["precision"])):
        models = loops.build_model(settings, len(src_vocab), len(tgt_vocab), max(src_train.shape[1], max_target) + 1)
    batches = loops.array_batches(src_train, tgt_train, p["batch_size"], p["epochs"], ctx.seed, p["bucket"])
    steps_per_epoch = batches[-1]
    loops.compile_model(models.model, settings, steps_per_epoch)
    steps, stopped, train_s = loops.fit_arrays(
        models.model, batches, p["epochs"], training=ctx.training, max_seconds=p["max_train_minutes"] * 60.0,
        callbacks=ctx.callbacks(epochs=p["epochs"], label="transformer", steps_per_epoch=steps_per_epoch))
    xla_ran = bool(models.model.jit_compile)  # what ran: Keras turns XLA off under DLX_DETERMINISTIC=1
    ctx.metric("train_steps_per_s", round(steps / train_s, 1), "steps/s",
               note=f"batch {p['batch_size']}, jit_compile={xla_ran}, first step's tracing included")
    if stopped:
        ctx.note(f"training stopped by max_train_minutes={p['max_train_minutes']:g} after {steps} steps "
                 f"({steps / steps_per_epoch:.2f} of {p['epochs']} epochs)")

    src_test = arrays["src_test"]
    decoded = loops.decode(models, src_test, max_target, beam_width=p["beam_width"], length_penalty=p["length_penalty"])
    join = "".join if level == "char" else " ".join
    hyps, _ = loops.texts(decoded, tgt_vocab, join)
    refs = [str(y) for y in data.y_test]  # the corpus's own lines: words unknown to the vocabulary stay as written
    report.report_decoding(ctx, decoded, hyps, arrays["tgt_test"][:, 1:], "dates", p,
                           seq_name="sequence_accuracy", examples=([str(x) for x in data.x_test], refs), timed=True)
    ctx.note(f"training: {steps} steps ({steps_per_epoch} per epoch), {train_s:.1f} s; {XLA_NOTE}")
    report.attention_heatmap(ctx, models, src_test[:1], decoded["greedy"][:1], src_vocab, tgt_vocab)


def _enja(ctx, p, settings):
    """English → Japanese: resumable length-bucketed training, dev BLEU per epoch, test BLEU greedy and beam."""
    from ..studies.speed import pair_lengths, transformer_pair_mult_adds
    from ..studies.translation import loops, report
    from ..studies.translation.config import enja_load_kwargs, run_settings
    from ..text.bleu import corpus_bleu
    from ..train.precision import precision_policy, resolve
    from ..train.sequences import token_batches, train_pairs

    data = ctx.load_data("enja", **enja_load_kwargs(p))
    e = data.extra
    src_vocab, tgt_vocab = e["source_vocab"], e["target_vocab"]
    arrays = {k: e[k] for k in ("src_train", "tgt_train", "src_dev", "tgt_dev", "src_test", "tgt_test")}
    if p["share_embeddings"]:
        splits = {"train": (data.x_train, data.y_train), "dev": (e["x_dev"], e["y_dev"]), "test": (data.x_test, data.y_test)}
        src_vocab, arrays = loops.joint_vocabulary(data, splits, "word")
        tgt_vocab = src_vocab
    n_dev = min(len(e["x_dev"]), p["n_test"])
    src_train, tgt_train = arrays["src_train"], arrays["tgt_train"]
    max_target = tgt_train.shape[1] - 1
    precision = resolve(p["precision"])
    peaks = loops.matmul_peaks(precision, p["peak_n"])
    with precision_policy(precision):
        models = loops.build_model(settings, len(src_vocab), len(tgt_vocab), max(src_train.shape[1], max_target) + 1)
    src_len, tgt_len = (src_train != 0).sum(1), (tgt_train != 0).sum(1)
    steps_per_epoch = len(token_batches(src_len, tgt_len, p["max_tokens"], ctx.seed, 0))
    optimizer, loss = loops.compile_model(models.model, settings, steps_per_epoch)
    join = " ".join
    dev_refs = [str(y) for y in e["y_dev"][:n_dev]]
    src_dev, tgt_dev = arrays["src_dev"][:n_dev], arrays["tgt_dev"][:n_dev]
    teacher_forced = loops.teacher_forced_hypotheses(models.model, tgt_vocab)

    def decode_dev():
        return loops.texts(loops.decode(models, src_dev, max_target, beam_width=1), tgt_vocab, join)[0]

    writers = {"dev_bleu_teacher_forced": lambda: teacher_forced(src_dev, tgt_dev), "dev_bleu": decode_dev}
    after_epoch = loops.dev_bleu_after_epoch(writers, dev_refs)
    if p["ema"]:  # scores of the averaged weights; the trained ones' teacher-forced score beside them, to compare
        score_trained = loops.dev_bleu_after_epoch(
            {"dev_bleu_teacher_forced_trained": writers["dev_bleu_teacher_forced"]}, dev_refs)
        after_epoch = loops.averaged_after_epoch(after_epoch, score_trained, models.model, optimizer)

    label = "transformer enja"
    with ctx.training():
        trained = train_pairs(models.model, loss, optimizer, src_train, tgt_train, seed=ctx.seed, epochs=p["epochs"],
                              max_tokens=p["max_tokens"], label=label, settings=run_settings(p, ctx.seed, ctx.budget),
                              callbacks=ctx.loop_callbacks(f"{label}: epochs", total=p["epochs"], run=label),
                              reporter=ctx.reporter, checkpoint_path=ctx.artifact_path("checkpoint.npz"),
                              resume_path=ctx.resume / "checkpoint.npz" if ctx.resume else None,
                              max_seconds=p["max_train_minutes"] * 60.0, after_epoch=after_epoch,
                              jit_compile=p["jit_compile"])
    s, t = pair_lengths(src_train, tgt_train)
    flops = 6.0 * transformer_pair_mult_adds(s, t, p["d_model"], p["d_ff"], p["num_layers"], len(tgt_vocab))
    report.report_training(ctx, trained, flops_per_epoch=flops, peaks=peaks, precision=precision, p=p,
                           steps_per_epoch=steps_per_epoch, n_dev=n_dev)
    if p["ema"]:
        optimizer.finalize_variable_values(models.model.trainable_variables)  # decode with the averaged weights
        ctx.note(f"dev and test scores use the moving average of the weights (momentum {p['ema']:g})")

    decoded = loops.decode(models, arrays["src_test"], max_target, beam_width=p["beam_width"],
                           length_penalty=p["length_penalty"])
    hyps, beam_hyps = loops.texts(decoded, tgt_vocab, join)
    refs = [str(y) for y in data.y_test]
    report.report_decoding(ctx, decoded, hyps, arrays["tgt_test"][:, 1:], "enja", p, seq_name="exact_match",
                           examples=([str(x) for x in data.x_test], refs), timed=False)
    if beam_hyps is not None:
        dev_beam = loops.decode(models, src_dev, max_target, beam_width=p["beam_width"],
                                length_penalty=p["length_penalty"], greedy=False)
        score = corpus_bleu(loops.texts(dev_beam, tgt_vocab, join)[1], dev_refs)
        ctx.metric("dev_bleu_beam", round(score.score, 2), note=f"beam width {p['beam_width']}, length penalty "
                   f"{p['length_penalty']:g}, {n_dev} dev lines; {score}")
    report.report_bleu(ctx, hyps, refs, beam_hyps, p)
    report.bleu_curve(ctx, trained.history, "enja Transformer: training loss and dev BLEU per epoch")
    report.attention_heatmap(ctx, models, arrays["src_test"][:1], decoded["greedy"][:1], src_vocab, tgt_vocab)
