"""What the learner sees of a translation run: metrics, notes, tables and figures, written through ``ctx``.

Day4 Section5 (Transformer) and Day3 Section5 (seq2seq's enja lab).

- ``report_decoding``: sequence and token accuracy of greedy and beam output, a decoding table, examples.
- ``report_training``: notes on resume / time limit, s/epoch, tokens/s, share of peak, projected minutes, dev BLEU.
- ``report_bleu``: test BLEU, greedy and beam; ``bleu_curve``: ``bleu_curve.png``.
- ``attention_heatmap``: ``attention.png``, the encoder–decoder attention of one example.
"""

from __future__ import annotations

import numpy as np

from ..speed import rate
from .loops import accuracies


def report_decoding(ctx, decoded: dict, hyps: list[str], references: np.ndarray,
                    name: str, p: dict, *, seq_name: str, examples: tuple[list[str], list[str]], timed: bool) -> None:
    """Accuracy metrics of ``loops.decode``'s output against ``references`` (ids after ``<s>``), and its tables.

    Args:
        seq_name: the metric of whole-sequence accuracy ("sequence_accuracy" on dates, "exact_match" on enja).
        examples: (sources, reference texts) of the first pairs, shown beside the greedy output.
        timed: a table of decoders with their accuracy and seconds (dates).
    """
    seq_acc, tok_acc = accuracies(decoded["greedy"], references)  # an <unk> in a reference never counts as right
    n = len(hyps)
    ctx.metric(seq_name, round(seq_acc, 4), note=f"greedy decoding, {n} " + (f"held-out {name} pairs" if timed
                                                                             else "test pairs"))
    ctx.metric("token_accuracy", round(tok_acc, 4), note="greedy output vs reference, position by position, </s> included")
    if timed:
        rows = [["greedy", round(seq_acc, 4), round(tok_acc, 4), round(decoded["greedy_s"], 2)]]
        if decoded["beam"] is not None:
            beam_acc = ctx.metric(f"beam_{seq_name}", round(accuracies(decoded["beam"], references)[0], 4),
                                  note=f"beam width {p['beam_width']}")
            rows.append([f"beam {p['beam_width']}", beam_acc, "", round(decoded["beam_s"], 2)])
        ctx.table(f"Decoding {n} held-out {name} pairs", ["decoder", "sequence acc", "token acc", "time s"], rows)
    sources, refs = examples
    ctx.table("Example translations (greedy)", ["source", "reference", "output", "ok"],
              [[sources[i], refs[i], hyps[i], "✓" if hyps[i] == refs[i] else "✗"] for i in range(min(6, n))])


def report_bleu(ctx, hyps, refs, beam_hyps, p):
    """Test BLEU of greedy (and beam) output; the better hypotheses as ``hypotheses.ja.txt`` with ``--out``."""
    from ...text.bleu import corpus_bleu

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


def report_training(ctx, report, *, flops_per_epoch: float, peaks: dict[str, float], precision: str, p: dict,
                    steps_per_epoch: int, n_dev: int) -> None:
    """Record what a ``train_pairs`` run did: how it ended, its speed as a share of the peak, dev BLEU per epoch."""
    if report.resumed_from:
        ctx.note(f"resumed from epoch {report.resumed_from[0]}, step {report.resumed_from[1]} of {steps_per_epoch}")
    if report.stopped_by_time:
        ctx.note(f"training stopped by max_train_minutes={p['max_train_minutes']:g} at the end of epoch "
                 f"{report.epochs_done} of {p['epochs']} (checkpoint.npz with --out: --resume continues it)")
    if report.epoch_seconds:
        per_epoch = ctx.metric("seconds_per_epoch", round(report.seconds_per_epoch, 1), "s",
                               note=f"median epoch after the first of {len(report.epoch_seconds)} timed; "
                                    f"{steps_per_epoch} steps of ≤ {p['max_tokens']} padded tokens; {precision}")
        ctx.metric("train_tokens_per_s", rate(report.tokens_per_s), "tokens/s", note="target tokens scored per second")
        achieved = flops_per_epoch / report.seconds_per_epoch / 1e9
        ctx.metric("achieved_gflops", rate(achieved), "GFLOP/s",
                   note="3 × 2 × forward multiply-adds of the real (unpadded) tokens per epoch / s per epoch")
        for name, peak in peaks.items():
            ctx.metric(f"matmul_peak_{'bfloat16' if name != 'float32' else name}_gflops", rate(peak), "GFLOP/s",
                       note=f"{p['peak_n']}² tf.matmul measured in this run")
        ctx.metric("share_of_peak", round(achieved / peaks[precision], 3),
                   note=f"achieved GFLOP/s over the {precision} matmul peak of this run; precision that ran: {precision}")
        dev_s = float(np.median([r["dev_s"] for r in report.history])) if report.history else 0.0
        ctx.metric("projected_training_minutes", round((per_epoch + dev_s) * p["epochs"] / 60.0, 1), "min",
                   note=f"(s/epoch + {dev_s:.1f} s of dev decoding) × {p['epochs']} epochs of this run's budget")
    described = {"dev_bleu_teacher_forced": "teacher forced: the argmax at each position under the gold prefix "
                                           "(the course's Transformer measure)",
                 "dev_bleu": "greedy decoding (the course's seq2seq measure)"}
    for name, what in described.items():
        dev = [r[name] for r in report.history if name in r]
        if dev:
            ctx.metric(name, dev[-1], note=f"{what}; {n_dev} dev lines after epoch {report.epochs_done}, best "
                       f"{max(dev):g}; per epoch: " + " ".join(f"{b:g}" for b in dev))


def bleu_curve(ctx, history: list[dict], title: str) -> None:
    """Training loss and dev BLEU per epoch as ``bleu_curve.png`` (with ``--out``)."""
    if not ctx.wants_figures or not history:
        return
    plt = ctx.pyplot()
    epochs = [r["epoch"] for r in history]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(epochs, [r["loss"] for r in history], "o-", color="tab:blue")
    ax.set(xlabel="epoch", ylabel="training loss (per target token)", title=title)
    other = ax.twinx()
    if any("dev_bleu_teacher_forced" in r for r in history):
        other.plot(epochs, [r.get("dev_bleu_teacher_forced") for r in history], "^--", color="tab:orange",
                   label="teacher forced")
    other.plot(epochs, [r["dev_bleu"] for r in history], "s-", color="tab:red", label="greedy decoding")
    for name, figure in ctx.spec.course.items():  # the course's figure, as a line beside the curve it matches
        if name in ("dev_bleu", "dev_bleu_teacher_forced") and isinstance(figure.value, (int, float)):
            other.axhline(figure.value, color="tab:orange" if name.endswith("forced") else "tab:red", linestyle=":",
                          linewidth=1, label=f"course {figure.value:g} ({'teacher forced' if name.endswith('forced') else 'greedy'})")
    other.set_ylabel("dev BLEU", color="tab:red")
    other.legend(loc="lower right", fontsize=8)
    ctx.save_figure(fig, "bleu_curve.png")


def attention_heatmap(ctx, models, source, decoded, src_vocab, tgt_vocab):
    """Encoder–decoder attention (last layer, mean over heads) of one example, as attention.png."""
    import numpy as np
    if not ctx.wants_figures:
        return
    from ...text.vocab import BOS, EOS

    src_tokens = [t if t != " " else "␣" for t in src_vocab.decode(source[0])]
    row = list(decoded[0])
    steps = row[: row.index(EOS) + 1] if EOS in row else row  # the tokens output, </s> included
    labels = [tgt_vocab.itos[i] for i in steps]
    prefix = np.array([[BOS] + steps[:-1]], dtype=np.int32)
    memory = np.asarray(models.encoder(source, training=False))
    _, weights = models.decoder([prefix, memory, source], training=False)
    grid = np.asarray(weights)[0].mean(axis=0)[:, : len(src_tokens)]
    plt = ctx.pyplot()
    font = font_for(labels + src_tokens)
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


def font_for(tokens: list[str]) -> list[str] | None:
    """The font families (``fonts.families``: Latin first, the Japanese font dlx depends on after it) when together
    they draw every character of ``tokens``, else None."""
    from ... import fonts

    return fonts.families("en") if fonts.covers("".join(tokens)) else None
