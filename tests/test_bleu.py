"""Our corpus BLEU against sacrebleu's (tokenize="none") on the same sentences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dl_exercises.text.bleu import corpus_bleu

import sacrebleu  # noqa: E402


def noisy_copies(refs, rng, drop=0.2, swap=0.1):
    """Hypotheses made by dropping and swapping reference tokens (a plausible system output)."""
    hyps = []
    for ref in refs:
        tokens = [t for t in ref.split() if rng.random() > drop] or ["x"]
        for i in range(len(tokens) - 1):
            if rng.random() < swap:
                tokens[i], tokens[i + 1] = tokens[i + 1], tokens[i]
        hyps.append(" ".join(tokens))
    return hyps


def random_corpus(rng, n=300, vocab=40):
    words = [f"w{i}" for i in range(vocab)]
    return [" ".join(rng.choice(words, size=rng.integers(3, 16))) for _ in range(n)]


@pytest.mark.parametrize("seed,drop", [(0, 0.1), (1, 0.3), (2, 0.0)])
def test_corpus_bleu_matches_sacrebleu(seed, drop):
    rng = np.random.default_rng(seed)
    refs = random_corpus(rng)
    hyps = noisy_copies(refs, rng, drop=drop)
    ours = corpus_bleu(hyps, refs)
    theirs = sacrebleu.corpus_bleu(hyps, [refs], tokenize="none")
    assert ours.score == pytest.approx(theirs.score, abs=1e-6)
    assert ours.brevity_penalty == pytest.approx(theirs.bp, abs=1e-9)
    assert (ours.hyp_len, ours.ref_len) == (theirs.sys_len, theirs.ref_len)
    np.testing.assert_allclose(ours.precisions, theirs.precisions, atol=1e-9)


def test_corpus_bleu_matches_sacrebleu_on_enja_tokens(enja_dir):
    refs = (enja_dir / "test.ja").read_text(encoding="utf-8").splitlines()
    hyps = noisy_copies(refs, np.random.default_rng(5), drop=0.15)
    theirs = sacrebleu.corpus_bleu(hyps, [refs], tokenize="none")
    assert corpus_bleu(hyps, refs).score == pytest.approx(theirs.score, abs=1e-6)


def test_multiple_references_match_sacrebleu():
    rng = np.random.default_rng(7)
    refs_a = random_corpus(rng, n=100)
    refs_b = noisy_copies(refs_a, rng, drop=0.3)
    hyps = noisy_copies(refs_a, rng, drop=0.2)
    ours = corpus_bleu(hyps, [[a, b] for a, b in zip(refs_a, refs_b)])
    theirs = sacrebleu.corpus_bleu(hyps, [refs_a, refs_b], tokenize="none")
    assert ours.score == pytest.approx(theirs.score, abs=1e-6)


def test_hand_worked_example():
    # hyp "a b c d e" vs ref "a b c d f g": p1=4/5, p2=3/4, p3=2/3, p4=1/2, BP=exp(1-6/5)
    score = corpus_bleu(["a b c d e"], ["a b c d f g"])
    expected = 100 * math.exp(1 - 6 / 5) * (4 / 5 * 3 / 4 * 2 / 3 * 1 / 2) ** 0.25
    assert score.score == pytest.approx(expected, rel=1e-12)
    assert corpus_bleu(["a b c d"], ["a b c d"]).score == pytest.approx(100.0)
    assert corpus_bleu(["x y z w"], ["a b c d"]).score == 0.0


def test_clipping_counts_each_reference_ngram_once():
    score = corpus_bleu(["the the the the"], ["the cat sat on"], max_order=1)
    assert score.precisions[0] == pytest.approx(25.0)


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError, match="2 hypotheses but 1 references"):
        corpus_bleu(["a", "b"], ["a"])
