"""The small training and measuring toolkit every chapter uses: one meaning for each number.

- ``batches``: mini-batch index schedules (without replacement, as ``next_batch``; with replacement, as
  the course's ``np.random.choice``) and the iterations at which to evaluate.
- ``fit``: ``fit_on_batches``, the one way dlx fits a Keras model on a fixed list of mini-batches.
- ``loop``: the one protocol of hand-written loops (``on_epoch_end``, ``should_stop``; returns a ``LoopHistory``).
- ``twins``: a numpy net and its Keras twin trained on the same batches (Day 2).
- ``sequences``: length-bucketed batches of sequence pairs, and ``train_pairs`` (resumable, time-limited).
- ``checkpoint``: a long run's weights, optimizer, position and random states, written atomically.
- ``distributed``: ``tf.distribute`` runs in child processes, and a simulated parameter server (Day4 Section3);
  ``loopback`` keeps their workers in a loopback-only network namespace.
- ``timing``: ``EpochTimes``, the one meaning of "s / epoch" (the median epoch after the first).
- ``metrics``: ``accuracy`` and ``binary_accuracy`` of a model on held-out arrays.
- ``precision``: float32, or mixed bfloat16 where the hardware computes it natively.
- ``layout``: images as flat rows, NHWC or NCHW (``as_layout``).
- ``augment``: random whole-pixel shifts of MNIST-sized images, fresh each epoch (``shifted_epochs``).
- ``averaging``: ``averaged_weights``, a model evaluated with its optimizer's moving average of the weights.
- ``callbacks``: the progress bar, history rows and NaN guard behind ``ctx.callbacks``.

None of them sees a run context: they take arrays, models and callbacks.
Nothing here imports TensorFlow at module level; the functions that need it import it when called.
"""
