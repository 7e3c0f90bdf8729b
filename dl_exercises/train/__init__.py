"""The small training and measuring toolkit every chapter uses: one meaning for each number.

- ``batches``: mini-batch index schedules (without replacement, as ``next_batch``; with replacement, as
  the course's ``np.random.choice``) and the iterations at which to evaluate.
- ``fit``: ``fit_on_batches``, the one way dlx fits a Keras model on a fixed list of mini-batches.
- ``timing``: ``EpochTimes``, the one meaning of "s / epoch" (the median epoch after the first).
- ``metrics``: ``accuracy`` and ``binary_accuracy`` of a model on held-out arrays.
- ``layout``: images as flat rows, NHWC or NCHW (``as_layout``).
- ``augment``: random whole-pixel shifts of MNIST-sized images, fresh each epoch (``shifted_epochs``).
- ``averaging``: ``averaged_weights``, a model evaluated with its optimizer's moving average of the weights.
- ``loop``: the one protocol of hand-written loops (``on_epoch_end``, ``should_stop``; returns a ``LoopHistory``).
- ``callbacks``: the progress bar, history rows and NaN guard behind ``ctx.callbacks``.

Nothing here imports TensorFlow at module level; the functions that need it import it when called.
"""
