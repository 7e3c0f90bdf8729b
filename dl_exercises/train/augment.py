"""Random whole-pixel shifts of MNIST-sized images: more training data from the same 4,000 images.

A shift moves the digit up to ``max_shift`` pixels along each axis and fills
the vacated border with zeros (MNIST's background), so no pixel wraps
around. ``shifted_epochs`` feeds ``model.fit`` a fresh shift of every image in
every epoch; ``shifted_schedule`` lays out a fixed schedule of shifted batches
for ``fit_on_batches``. No TensorFlow at module level.
"""

from __future__ import annotations

import numpy as np


def shift_images(images: np.ndarray, max_shift: int, rng: np.random.Generator) -> np.ndarray:
    """Each image moved by its own (dy, dx), both uniform in [-max_shift, max_shift], zeros filled in.

    Args:
        images: (n, 784) flat rows or (n, 28, 28[, 1]) images; the output has the same shape and dtype.
    """
    squares = images.reshape(len(images), 28, 28, -1)
    out = np.zeros_like(squares)
    moves = rng.integers(-max_shift, max_shift + 1, size=(len(images), 2))
    for (dy, dx) in {tuple(m) for m in moves}:
        rows = np.flatnonzero((moves[:, 0] == dy) & (moves[:, 1] == dx))
        src = squares[rows, max(0, -dy):28 - max(0, dy), max(0, -dx):28 - max(0, dx)]
        out[rows, max(0, dy):28 + min(0, dy), max(0, dx):28 + min(0, dx)] = src
    return out.reshape(images.shape)


def shifted_epochs(x: np.ndarray, y: np.ndarray, batch_size: int, max_shift: int, seed: int):
    """A ``keras.utils.PyDataset`` of shuffled batches whose images are shifted afresh in each epoch."""
    import keras

    class ShiftedEpochs(keras.utils.PyDataset):
        def __init__(self):
            super().__init__()
            self.rng = np.random.default_rng(seed)
            self.on_epoch_end()

        def __len__(self) -> int:
            return -(-len(x) // batch_size)

        def __getitem__(self, i: int):
            rows = self.order[i * batch_size:(i + 1) * batch_size]
            return self.images[rows], y[rows]

        def on_epoch_end(self) -> None:
            self.order = self.rng.permutation(len(x))
            self.images = shift_images(x, max_shift, self.rng)

    return ShiftedEpochs()


def shifted_schedule(x: np.ndarray, y: np.ndarray, batches: np.ndarray, max_shift: int, seed: int):
    """A schedule of batches laid out with each drawn image shifted afresh, for ``fit_on_batches``.

    Returns:
        (x_shifted, y, batches): the images of ``batches`` in order, each moved by up to ``max_shift``
        pixels, their labels, and the schedule that reads them in that order (one row per step).
    """
    order = np.asarray(batches).reshape(-1)
    images = shift_images(x[order], max_shift, np.random.default_rng(seed))
    return images, y[order], np.arange(len(order)).reshape(np.shape(batches))
