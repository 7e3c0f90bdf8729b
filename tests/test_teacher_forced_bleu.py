"""The course's Transformer measure (BLEU of the argmax under the gold prefix) against decoded BLEU, by hand.

A hand-made "model" predicts the next token from the token it reads: it knows every
transition of the reference ``a b c d e f`` except ``a → b``, which it gets wrong
(``a → x``), and after ``x`` it ends the sentence. Fed the gold prefix it is right at
every position but one; fed its own output (greedy decoding) it stops after ``a x``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sacrebleu

from dl_exercises.nn.decoding import greedy_decode, teacher_forced_argmax
from dl_exercises.text import BOS, EOS, PAD, Vocab, corpus_bleu

VOCAB = Vocab(["a", "b", "c", "d", "e", "f", "x"])
NEXT = {"<s>": "a", "a": "x", "b": "c", "c": "d", "d": "e", "e": "f", "f": "</s>", "x": "</s>"}
REFERENCE = "a b c d e f"


def _next_ids():
    table = np.full(len(VOCAB), PAD)
    for read, written in NEXT.items():
        src = BOS if read == "<s>" else VOCAB.stoi[read]
        table[src] = EOS if written == "</s>" else VOCAB.stoi[written]
    return table


def bigram_logits(source, target_in):
    """Logits (B, T, V) that put all mass on NEXT[token read at each position] (the source is ignored)."""
    table = _next_ids()
    target_in = np.asarray(target_in)
    logits = np.full(target_in.shape + (len(VOCAB),), -10.0)
    np.put_along_axis(logits, table[target_in][..., None], 10.0, axis=-1)
    return logits


def _reference_ids(lines, width=None):
    return VOCAB.encode_batch([line.split() for line in lines], width, bos=True, eos=True)


def test_teacher_forced_bleu_equals_the_hand_computation_and_beats_decoding():
    target = _reference_ids([REFERENCE])
    source = np.ones((1, 3), np.int32)
    forced = teacher_forced_argmax(bigram_logits, source, target)
    forced_line = " ".join(VOCAB.decode(forced[0]))
    assert forced_line == "a x c d e f"  # right everywhere the gold prefix helps

    def log_probs_fn(prefix, rows, t):
        return bigram_logits(source[rows], prefix)[:, t]

    decoded_line = " ".join(VOCAB.decode(greedy_decode(log_probs_fn, 1, target.shape[1] - 1)[0]))
    assert decoded_line == "a x"  # the first error derails the rest

    # By hand: matched n-grams of "a x c d e f" in "a b c d e f": 5/6, 3/5, 2/4, 1/3; same length, so BP = 1.
    by_hand = 100 * math.exp(sum(math.log(p) for p in (5 / 6, 3 / 5, 2 / 4, 1 / 3)) / 4)
    forced_score = corpus_bleu([forced_line], [REFERENCE])
    assert forced_score.score == pytest.approx(by_hand, abs=1e-9)
    assert forced_score.score == pytest.approx(sacrebleu.corpus_bleu([forced_line], [[REFERENCE]], tokenize="none").score,
                                               abs=1e-9)
    assert corpus_bleu([decoded_line], [REFERENCE]).score == 0.0  # no 3-gram at all


def test_teacher_forced_argmax_pads_each_batch_to_its_own_longest_target():
    lines = ["a b c d e f", "e f", "b c", "c d e f"]
    target = _reference_ids(lines, width=12)
    source = np.ones((4, 5), np.int32)
    widths = []

    def recording_logits(s, t):
        widths.append(t.shape[1])
        return bigram_logits(s, t)

    forced = teacher_forced_argmax(recording_logits, source, target, batch_size=2)
    assert widths == [7, 5]  # <s> + 6 words of the longest first-batch line; <s> + 4 in the second batch
    assert forced.shape == (4, 11)
    assert np.all(forced[:, 7:] == PAD) and np.all(forced[2:, 5:] == PAD)
    # "e f" under the gold prefix: <s>→a (wrong), e→f, f→</s>; the argmax past </s> reads padding
    assert VOCAB.decode(forced[1]) == ["a", "f"]
