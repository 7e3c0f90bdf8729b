"""Mini-batch index schedules shared by a numpy net and its Keras twin, so both see the same batches.

Two ways of drawing, both from the course: ``without_replacement`` is
``mnist.train.next_batch`` (each epoch a fresh permutation, Day1 and the
TensorFlow examples); ``with_replacement`` is the Day 2 notebooks'
``np.random.choice(train_size, batch_size)`` at every iteration.
"""

from __future__ import annotations

import numpy as np


def without_replacement(n: int, batch_size: int, iters: int, seed: int, drop_remainder: bool = True) -> np.ndarray | list:
    """Indices of ``iters`` mini-batches drawn epoch by epoch without replacement.

    Args:
        n: training samples; batch_size: samples per batch; iters: batches; seed: of the permutations.
        drop_remainder: each epoch yields ``n // batch_size`` full batches (True), or also its short last one (False).
    Returns:
        an int array (iters, batch_size) when every batch is full, else a list of index arrays.
    """
    rng = np.random.default_rng(seed)
    batches: list[np.ndarray] = []
    while len(batches) < iters:
        order = rng.permutation(n)
        stop = (n // batch_size) * batch_size if drop_remainder else n
        batches.extend(order[i:i + batch_size] for i in range(0, stop, batch_size))
    batches = batches[:iters]
    if all(len(b) == batch_size for b in batches):
        return np.stack(batches) if batches else np.zeros((0, batch_size), np.int64)
    return batches


def epochs_of_batches(n: int, batch_size: int, epochs: int, seed: int) -> list[np.ndarray]:
    """``epochs`` shuffled passes over ``n`` samples, as Keras's ``fit(shuffle=True)``: the last batch of a pass may be short."""
    return without_replacement(n, batch_size, epochs * -(-n // batch_size), seed, drop_remainder=False)


def with_replacement(n: int, batch_size: int, iters: int, seed: int) -> np.ndarray:
    """Indices of every mini-batch, shape (iters, batch_size), drawn with replacement as the Day 2 notebooks do."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, n, size=(iters, batch_size))


def draw_seeds(seed: int, draws: int) -> list[int]:
    """Seeds of ``draws`` independent repetitions of one experiment: the run's own seed first, then derived ones.

    Draw 0 is the run itself (so one draw is exactly the single run); each further draw gets its own stream
    from ``numpy.random.SeedSequence([seed, draw])``, so no two runs' draws coincide.
    """
    return [seed] + [int(np.random.SeedSequence([seed, d]).generate_state(1)[0]) for d in range(1, draws)]


def eval_points(iters: int, n_points: int | None = None) -> list[int]:
    """Iterations (1-based) after which test accuracy is recorded: every k-th, k dividing ``iters``, up to 20 points."""
    n_points = n_points or min(20, max(2, iters // 10))
    every = max(d for d in range(1, max(1, iters // n_points) + 1) if iters % d == 0)
    return list(range(every, iters + 1, every))


def largest_divisor_at_most(n: int, limit: int) -> int:
    """Largest divisor of ``n`` that is ``<= limit`` (at least 1)."""
    for d in range(max(1, min(n, limit)), 0, -1):
        if n % d == 0:
            return d
    return 1


def length_buckets(lengths, batch_size: int, epochs: int, seed: int, width: int = 4) -> list[np.ndarray]:
    """Mini-batches of sequences of similar length, for ``epochs`` passes: little compute goes to padding.

    Each epoch shuffles the samples, groups them by length into buckets ``width`` wide,
    cuts each bucket into batches of ``batch_size`` (the last of a bucket may be short)
    and shuffles the order of the batches. Every sample appears once per epoch.

    Args:
        lengths: (N,) length of each sample (e.g. its number of non-padding tokens).
    Returns:
        a list of index arrays, ``epochs × batches_per_epoch`` of them.
    """
    lengths = np.asarray(lengths)
    rng = np.random.default_rng(seed)
    bucket = lengths // max(1, width)
    out: list[np.ndarray] = []
    for _ in range(epochs):
        order = rng.permutation(len(lengths))
        order = order[np.argsort(bucket[order], kind="stable")]
        edges = np.flatnonzero(np.diff(bucket[order])) + 1
        epoch = [chunk[i:i + batch_size] for chunk in np.split(order, edges) for i in range(0, len(chunk), batch_size)]
        out.extend(epoch[j] for j in rng.permutation(len(epoch)))
    return out
