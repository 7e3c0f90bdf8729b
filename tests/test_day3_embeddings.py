"""Day3 Section5 word2vec: pair generation, AUC vs scikit-learn, corpus loading, the course's toy vocabulary."""

from __future__ import annotations

import numpy as np

from dl_exercises.datasets.text_corpus import load, tokenize, toy_vocabulary
from dl_exercises.exercises.day3_embeddings import cbow_windows, negative_table, pair_auc, skipgram_pairs, subsample


def test_course_toy_vocabulary():
    assert toy_vocabulary() == ["apples", "eat", "I", "like", "to", "want"]


def test_skipgram_pairs_and_cbow_windows():
    ids = np.arange(6)
    t, c = skipgram_pairs(ids, 2)
    pairs = set(zip(t.tolist(), c.tolist()))
    assert pairs == {(i, j) for i in range(6) for j in range(6) if 0 < abs(i - j) <= 2}
    ctx, centre = cbow_windows(ids, 1)
    np.testing.assert_array_equal(centre, [1, 2, 3, 4])
    np.testing.assert_array_equal(ctx[0], [0, 2])


def test_pair_auc_matches_sklearn():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    pos = np.round(rng.normal(1, 1, 300), 1)
    neg = np.round(rng.normal(0, 1, 500), 1)  # rounded: ties present
    expected = roc_auc_score(np.r_[np.ones(300), np.zeros(500)], np.r_[pos, neg])
    np.testing.assert_allclose(pair_auc(pos, neg), expected, rtol=1e-12)


def test_subsampling_and_noise_distribution():
    counts = np.array([1000, 10, 10])
    ids = np.repeat(np.arange(3), counts)
    kept = subsample(ids, counts, 1e-2, np.random.default_rng(0))  # keeps words with frequency <= t
    assert np.sum(kept == 0) < 300 and np.sum(kept == 1) == 10
    noise = negative_table(counts)
    np.testing.assert_allclose(noise.sum(), 1.0)
    assert noise[1] / noise[0] > 10 / 1000  # the 0.75 power flattens the distribution


def test_corpus_from_a_text_file(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("The cat sat. The cat ran! " * 20 + "dog bird fish ant bee cow pig hen", encoding="utf-8")
    bundle = load(path=str(path), min_count=1)
    vocab = bundle.extra["vocab"]
    assert vocab[:2] == ["cat", "the"] or vocab[:2] == ["the", "cat"]
    assert bundle.x_train.size == len(tokenize(path.read_text()))
    assert bundle.usage.source == str(path)
