"""What the course's example notebooks share (Day4 Section5 例題解説): their section, MNIST data, XLA choices.

``exercises/examples_tf.py`` (the TensorFlow 1 notebooks) and ``exercises/examples_keras.py``
(the Keras 2 notebooks) both declare from here. No TensorFlow.
"""

from __future__ import annotations

SECTION = "Day4 Section5"
MNIST_EXAMPLE = {"section": SECTION, "data": ("mnist", "mnist5k")}  # shared by the MNIST notebooks

# XLA (jit_compile) measured on this 2-core CPU, shared with other jobs (load ~14), interleaving
# rounds with and without XLA and taking the median ms per training step after compilation:
#   784-600-300-10 sigmoid MLP, batch 100 (mnist_3layer): 15.3 → 11.6 ms (XLA 1.3× faster; the whole
#       quick run: 44.4 s → 26.1 s of training, 1.7×; identical accuracies)
#   784-512-512-10 ReLU MLP, batch 128 (mnist_keras):      32.0 → 21.7 ms (XLA 1.5× faster)
#   the course CNN, batch 100 (mnist_cnn):                 244 → 353 ms (XLA 1.45× slower)
# The 784-10 softmax regression (mnist_1layer) showed no difference (5.9 s vs 5.7 s); it follows the MLPs.
# Keras's own "auto" turns XLA off on CPU-only machines, so the choice is explicit (``--set xla=...``).
# Re-measured on a 2-core Sapphire Rapids Xeon (AMX), idle, whole quick runs at seed 0, XLA on → off:
#   mnist_3layer 72.2 s → 38.3 s wall (66.0 → 32.2 s of training; 0.906/0.924 → 0.907/0.925), and in a tight
#       fit loop 15.1 → 6.5 ms per step (14.2 → 7.6 with one step per call);
#   mnist_keras 24.0 → 21.2 s (18.0 → 15.4 s of training); mnist_1layer 7.1 → 6.3 s.
# XLA's win on the older CPU turned into a 2× loss on this one (oneDNN's matmuls beat XLA's CPU codegen), so
# the MLPs now train without it, as the CNN does.
XLA_MLP = False
XLA_CNN = False
