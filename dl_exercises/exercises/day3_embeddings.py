"""Day3 Section5, word2vec: CBOW and skip-gram with negative sampling in Keras.

A word becomes a dense d-dimensional vector learned from the words around it,
instead of a vocabulary-sized one-hot vector. The corpus is real English that
ships with Python (``python_docs``), or any text file with ``--set corpus=PATH``.
No TensorFlow at module level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for annotations; numpy itself loads when an exercise runs
    import numpy as np

from ..params import at_least, learning_rate, non_negative, positive, string
from ..registry import exercise


def subsample(ids: np.ndarray, counts: np.ndarray, t: float, rng: np.random.Generator) -> np.ndarray:
    """Mikolov's subsampling: keep word w with probability min(1, √(t/f_w) + t/f_w).

    Args:
        ids: corpus token ids (L,); counts: count per id (V,); t: threshold (0 keeps everything).
    Returns:
        the kept ids, in order.
    """
    import numpy as np
    if t <= 0:
        return ids
    freq = counts / counts.sum()
    keep = np.minimum(1.0, np.sqrt(t / freq) + t / freq)
    return ids[rng.random(ids.size) < keep[ids]]


def skipgram_pairs(ids: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (target, context) pair with the context at most ``window`` words away.

    Args:
        ids: (L,) token ids; window: half-width.
    Returns:
        ``targets``, ``contexts``: int32 arrays of the same length.
    """
    import numpy as np
    targets, contexts = [], []
    for offset in range(1, window + 1):
        targets += [ids[:-offset], ids[offset:]]
        contexts += [ids[offset:], ids[:-offset]]
    return np.concatenate(targets).astype(np.int32), np.concatenate(contexts).astype(np.int32)


def cbow_windows(ids: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """(context words, centre word) for every position with a full window on both sides.

    Returns:
        ``contexts`` int32 (L − 2w, 2w) and ``targets`` int32 (L − 2w,).
    """
    import numpy as np
    n = ids.size - 2 * window
    offsets = np.concatenate([np.arange(-window, 0), np.arange(1, window + 1)])
    centre = np.arange(window, window + n)
    return ids[centre[:, None] + offsets[None, :]].astype(np.int32), ids[centre].astype(np.int32)


def negative_table(counts: np.ndarray) -> np.ndarray:
    """Noise distribution for negative sampling: unigram counts to the power 0.75, normalized."""
    import numpy as np
    p = counts.astype(np.float64) ** 0.75
    return p / p.sum()


def pair_auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Probability that a real pair scores above a random pair (ties count half): ROC AUC."""
    import numpy as np
    scores = np.concatenate([pos, neg])
    ranks = np.empty(scores.size)
    order = np.argsort(scores, kind="mergesort")
    ranks[order] = np.arange(1, scores.size + 1)
    # average ranks of ties
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    ranks = (sums / counts)[inverse]
    return float((ranks[: pos.size].sum() - pos.size * (pos.size + 1) / 2) / (pos.size * neg.size))


def nearest(embeddings: np.ndarray, vocab: list[str], word: str, k: int) -> list[str]:
    """The k words with the highest cosine similarity to ``word`` (itself excluded)."""
    import numpy as np
    unit = embeddings / (np.linalg.norm(embeddings, axis=1, keepdims=True) + 1e-12)
    sims = unit @ unit[vocab.index(word)]
    order = [i for i in np.argsort(-sims) if vocab[i] != word][:k]
    return [f"{vocab[i]} ({sims[i]:.2f})" for i in order]


def _build(keras, kind: str, vocab_size: int, dim: int, window: int, negatives: int):
    """Skip-gram or CBOW with negative sampling: σ(u_target · v_context) for 1 true + k noise words."""
    ops = keras.ops
    word_in = keras.layers.Embedding(vocab_size, dim, name=f"{kind}_input_embedding")
    word_out = keras.layers.Embedding(vocab_size, dim, name=f"{kind}_output_embedding")
    candidates = keras.Input((negatives + 1,), dtype="int32", name=f"{kind}_candidates")
    if kind == "skipgram":
        centre = keras.Input((), dtype="int32", name=f"{kind}_centre")
        h = word_in(centre)  # (B, d)
        inputs = [centre, candidates]
    else:
        context = keras.Input((2 * window,), dtype="int32", name=f"{kind}_context")
        h = ops.mean(word_in(context), axis=1)  # (B, d): the average of the context vectors
        inputs = [context, candidates]
    logits = ops.einsum("bd,bkd->bk", h, word_out(candidates))
    model = keras.Model(inputs, logits, name=kind)
    return model, word_in, word_out


@exercise(
    "day3.word2vec",
    title="word2vec: CBOW and skip-gram with negative sampling",
    title_ja="word2vec",
    section="Day3 Section5",
    data=("python_docs",),
    tags=("keras", "embedding"),
    params={
        "epochs": positive(3),
        "dim": positive(64, "embedding size d"),
        "window": positive(3, "context words on each side"),
        "negatives": positive(5, "noise words per true pair"),
        "max_tokens": at_least(100, 400000, "corpus words used"),
        "min_count": positive(5, "drop rarer words"),
        "subsample_t": non_negative(1e-3, "frequent-word subsampling threshold (0: off)"),
        "batch_size": positive(1024),
        "lr": learning_rate(0.003),
        "corpus": string("", "path of a text file to train on (default: Python's documentation)"),
        "words": string("list,string,class,exception,file,thread,integer,true", "comma-separated query words"),
    },
    budgets={"smoke": {"epochs": 1, "max_tokens": 3000, "min_count": 2, "dim": 8}, "quick": {"epochs": 3}, "full": {"epochs": 10, "max_tokens": 2000000}},
)
def word2vec(ctx):
    """CBOW and skip-gram with negative sampling on real text: nearest neighbours, loss, one-hot vs embedding memory (Day3 Section5)."""
    import numpy as np
    from ..datasets.text_corpus import toy_vocabulary

    p = ctx.params
    bundle = ctx.load_data("python_docs", path=p["corpus"] or None, min_count=p["min_count"], max_tokens=p["max_tokens"])
    ids, vocab, counts = bundle.x_train, bundle.extra["vocab"], bundle.extra["counts"]
    V, d = len(vocab), p["dim"]
    rng = np.random.default_rng(ctx.seed)
    # every 10th block of 1,000 words is held out (spread over the corpus, so no topic shift)
    block = np.arange(ids.size) // 1000
    train_ids, heldout_ids = ids[block % 10 != 9], ids[block % 10 == 9]
    if heldout_ids.size < 2 * p["window"] + 2:
        train_ids, heldout_ids = ids[: int(ids.size * 0.9)], ids[int(ids.size * 0.9) :]
    noise = negative_table(counts)

    toy = toy_vocabulary()
    ctx.table(
        "vocabulary vs embedding matrix (float32)",
        ["vocabulary", "words V", "one-hot V×V bytes", f"embedding V×{d} bytes"],
        [["course toy: " + "{" + ", ".join(toy) + "}", len(toy), len(toy) ** 2 * 4, len(toy) * d * 4], ["this corpus", V, V * V * 4, V * d * 4]],
    )
    ctx.metric("toy_vocabulary_size", len(toy), note='"I want to eat apples. I like apples."')
    ctx.metric("onehot_to_embedding_memory_ratio", V / d, note="V×V one-hot vs V×d embedding")
    ctx.metric("vocabulary_size", V)

    # held-out pairs: real co-occurrences in the held-out blocks (subsampled as in training)
    # vs pairs whose context is drawn from the noise distribution
    h_t, h_c = skipgram_pairs(subsample(heldout_ids, counts, p["subsample_t"], rng), p["window"])
    pick = rng.choice(h_t.size, size=min(20000, h_t.size), replace=False)
    h_t, h_c = h_t[pick], h_c[pick]
    h_rand = rng.choice(V, size=h_t.size, p=noise)

    _, keras = ctx.tf_keras()
    k = p["negatives"]
    neighbours = {}
    for kind in ("skipgram", "cbow"):
        ctx.reseed()
        model, word_in, word_out = _build(keras, kind, V, d, p["window"], k)
        model.compile(keras.optimizers.Adam(p["lr"]), keras.losses.BinaryCrossentropy(from_logits=True))
        losses = []
        with ctx.training():
            for epoch in ctx.progress(range(p["epochs"]), f"{kind} epochs"):
                kept = subsample(train_ids, counts, p["subsample_t"], rng)
                if kind == "skipgram":
                    first, true = skipgram_pairs(kept, p["window"])
                else:
                    first, true = cbow_windows(kept, p["window"])
                cand = np.concatenate([true[:, None], rng.choice(V, size=(true.size, k), p=noise)], axis=1).astype(np.int32)
                labels = np.zeros(cand.shape, np.float32)
                labels[:, 0] = 1.0
                hist = model.fit([first, cand], labels, batch_size=p["batch_size"], epochs=1, shuffle=True, verbose=0)
                losses.append(float(hist.history["loss"][-1]))
                ctx.check_finite(losses[-1], f"in {kind} epoch {epoch + 1}")
                ctx.log(run=kind, epoch=epoch + 1, loss=losses[-1], examples=int(true.size))
        w_in, w_out = np.asarray(word_in.embeddings), np.asarray(word_out.embeddings)
        if kind == "skipgram":
            pos, neg = np.sum(w_in[h_t] * w_out[h_c], 1), np.sum(w_in[h_t] * w_out[h_rand], 1)
        else:
            pos, neg = np.sum(w_in[h_c] * w_out[h_t], 1), np.sum(w_in[h_rand] * w_out[h_t], 1)
        ctx.metric(f"{kind}_loss", losses[-1], note=f"BCE over 1 true + {k} noise words, last epoch")
        ctx.metric(f"{kind}_heldout_auc", pair_auc(pos, neg), note="real held-out co-occurrences vs noise pairs")
        neighbours[kind] = w_in
    words = [w.strip().lower() for w in p["words"].split(",") if w.strip().lower() in vocab]
    if not words:
        words = vocab[20:25]
    rows = [[w] + [", ".join(nearest(neighbours[kind], vocab, w, 4)) for kind in ("skipgram", "cbow")] for w in words]
    ctx.table("nearest neighbours (cosine, input embeddings)", ["word", "skip-gram", "CBOW"], rows)
    ctx.note("No word-similarity benchmark ships offline; held-out AUC measures how well the vectors predict real context words.")
