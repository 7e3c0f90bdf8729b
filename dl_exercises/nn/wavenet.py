"""WaveNet: dilated causal convolutions over μ-law classes, and fast generation with a cache (Day4, WaveNet).

p(x) = Π_t p(x_t | x_1 … x_{t−1}): the network reads the past samples (as
μ-law classes, embedded) and outputs a softmax over the 256 classes of the next
one. Each residual block is

    h = DilatedCausalConv1D_d(x)  (kernel k, 2C channels)
    z = tanh(h_filter) ⊙ σ(h_gate)                        (gated activation)
    x ← x + Conv1×1(z)  (residual),   skip += Conv1×1(z)  (skip connection)

with dilations 1, 2, 4, … 2^(L−1), repeated in ``stacks`` stacks; the head is
ReLU → Conv1×1 → ReLU → Conv1×1 → 256 logits (softmax in the loss and when
sampling). "Causal" padding (k − 1)·d on the left keeps output t from seeing
inputs after t, and as the input embedding is per sample (a 1×1 map of the
one-hot class), one output sees (k − 1)·Σ dilations + 1 past samples: the
receptive field.

Generation (Paine et al. 2016's fast WaveNet): a block with dilation d needs
its input from d, 2d, … (k − 1)d steps back. ``FastGenerator`` keeps, per
block, a queue of its last (k − 1)·d inputs, so each new sample costs one
time step of every layer instead of a pass over the whole history
(O(layers) per sample, not O(t)).
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
from keras import ops

CLASSES = 256


def receptive_field(kernel_size: int, dilations) -> int:
    """(k − 1)·Σ dilations + 1: how many input samples one output depends on (Day4, WaveNet)."""
    return (kernel_size - 1) * int(sum(dilations)) + 1


def dilation_schedule(layers_per_stack: int, stacks: int) -> list[int]:
    """[1, 2, 4, …, 2^(L−1)] repeated ``stacks`` times."""
    if layers_per_stack < 1 or stacks < 1:
        raise ValueError(f"layers_per_stack and stacks must be positive. Received: layers_per_stack={layers_per_stack}, stacks={stacks}")
    return [2**i for i in range(layers_per_stack)] * stacks


@keras.saving.register_keras_serializable(package="dlx")
class GatedResidualBlock(keras.layers.Layer):
    """Dilated causal Conv1D → tanh ⊙ σ → 1×1 residual and 1×1 skip outputs (Day4, WaveNet).

    Args:
        channels: C, residual channels (the input's last axis).
        skip_channels: S, channels of the skip output.
        dilation_rate: d.
        kernel_size: k.
        use_residual: False for the last block, whose residual output nothing reads (x passes through).

    Call arguments:
        x: (B, T, C).

    Returns:
        ``(x + residual, skip)``: (B, T, C) and (B, T, S).
    """

    def __init__(self, channels: int, skip_channels: int, dilation_rate: int, kernel_size: int = 2,
                 use_residual: bool = True, **kwargs):
        super().__init__(**kwargs)
        if min(channels, skip_channels, dilation_rate) < 1 or kernel_size < 2:
            raise ValueError("channels, skip_channels and dilation_rate must be positive and kernel_size >= 2. "
                             f"Received: channels={channels}, skip_channels={skip_channels}, "
                             f"dilation_rate={dilation_rate}, kernel_size={kernel_size}")
        self.channels = channels
        self.skip_channels = skip_channels
        self.dilation_rate = dilation_rate
        self.kernel_size = kernel_size
        self.use_residual = use_residual

    def build(self, input_shape):
        if input_shape[-1] != self.channels:
            raise ValueError(f"input channels must equal channels={self.channels}. Received: input_shape={input_shape}")
        self.dilated = keras.layers.Conv1D(2 * self.channels, self.kernel_size, dilation_rate=self.dilation_rate,
                                           padding="causal", dtype=self.dtype_policy, name="dilated_causal_conv")
        self.skip = keras.layers.Conv1D(self.skip_channels, 1, dtype=self.dtype_policy, name="skip_1x1")
        self.dilated.build(input_shape)
        if self.use_residual:
            self.residual = keras.layers.Conv1D(self.channels, 1, dtype=self.dtype_policy, name="residual_1x1")
            self.residual.build((None, None, self.channels))
        self.skip.build((None, None, self.channels))

    def _gate(self, h):
        return ops.tanh(h[..., : self.channels]) * ops.sigmoid(h[..., self.channels :])

    def call(self, x):
        z = self._gate(self.dilated(x))
        return (x + self.residual(z) if self.use_residual else x), self.skip(z)

    @property
    def queue_length(self) -> int:
        """(k − 1)·d: how many past inputs one step needs."""
        return (self.kernel_size - 1) * self.dilation_rate

    def step(self, x_t, queue):
        """One time step with the cache (fast generation).

        Args:
            x_t: (B, C) the block's input now; queue: (B, (k − 1)·d, C) its inputs at t − (k − 1)·d … t − 1.
        Returns:
            ``(out_t, skip_t, new_queue)``: (B, C), (B, S), and the queue shifted by one with x_t appended.
        """
        kernel = self.dilated.kernel  # (k, C, 2C); tap j reads x[t − (k − 1 − j)·d]
        d = self.dilation_rate
        h = ops.matmul(x_t, kernel[self.kernel_size - 1]) + self.dilated.bias
        for j in range(self.kernel_size - 1):
            h = h + ops.matmul(queue[:, j * d], kernel[j])
        z = self._gate(h)
        out = x_t + ops.matmul(z, self.residual.kernel[0]) + self.residual.bias if self.use_residual else x_t
        skip = ops.matmul(z, self.skip.kernel[0]) + self.skip.bias
        return out, skip, ops.concatenate([queue[:, 1:], x_t[:, None]], axis=1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape), (*input_shape[:-1], self.skip_channels)

    def get_config(self):
        return {**super().get_config(), "channels": self.channels, "skip_channels": self.skip_channels,
                "dilation_rate": self.dilation_rate, "kernel_size": self.kernel_size,
                "use_residual": self.use_residual}


@dataclass
class WaveNetParts:
    """``model``: classes (B, T) → logits (B, T, 256); ``body``: embedded (B, T, C) → logits (the same layers);
    ``embed``, ``blocks``, ``head`` (the layers after the skip sum), ``dilations``, ``receptive_field``."""

    model: keras.Model
    body: keras.Model
    embed: keras.layers.Layer
    blocks: list
    head: list
    dilations: list
    receptive_field: int


def build_wavenet(channels: int = 32, skip_channels: int = 64, layers_per_stack: int = 6, stacks: int = 2,
                  kernel_size: int = 2, classes: int = CLASSES, name: str = "wavenet") -> WaveNetParts:
    """WaveNet over μ-law classes: embedding → gated residual blocks → skip sum → head (Day4, WaveNet).

    Args:
        channels: C, residual channels; skip_channels: S; layers_per_stack: L (dilations 1 … 2^(L−1));
        stacks: how many times the dilation cycle repeats; kernel_size: k; classes: 256 for 8-bit μ-law;
        name: layer-name prefix.
    Returns:
        ``WaveNetParts``; ``model(classes)`` maps int (B, T) to logits (B, T, classes), where output t is the
        distribution of sample t + 1.
    """
    if min(channels, skip_channels, classes) < 1 or kernel_size < 2:
        raise ValueError(f"channels, skip_channels, classes must be positive and kernel_size >= 2. Received: "
                         f"channels={channels}, skip_channels={skip_channels}, classes={classes}, kernel_size={kernel_size}")
    dilations = dilation_schedule(layers_per_stack, stacks)
    h_in = keras.Input((None, channels), name=f"{name}_embedded")
    h, skips, blocks = h_in, [], []
    for i, d in enumerate(dilations):
        block = GatedResidualBlock(channels, skip_channels, d, kernel_size, use_residual=i < len(dilations) - 1,
                                   name=f"{name}_block{i}_d{d}")
        h, s = block(h)
        blocks.append(block)
        skips.append(s)
    total = keras.layers.Add(name=f"{name}_skip_sum")(skips) if len(skips) > 1 else skips[0]
    head = [keras.layers.ReLU(name=f"{name}_relu1"), keras.layers.Conv1D(skip_channels, 1, name=f"{name}_head_1x1"),
            keras.layers.ReLU(name=f"{name}_relu2"), keras.layers.Conv1D(classes, 1, name=f"{name}_logits")]
    out = total
    for layer in head:
        out = layer(out)
    body = keras.Model(h_in, out, name=f"{name}_body")
    x = keras.Input((None,), dtype="int32", name=f"{name}_classes")
    embed = keras.layers.Embedding(classes, channels, name=f"{name}_embed")
    model = keras.Model(x, body(embed(x)), name=name)
    return WaveNetParts(model, body, embed, blocks, head, dilations, receptive_field(kernel_size, dilations))


class FastGenerator:
    """Sample-by-sample generation with per-block queues of past activations (Day4, WaveNet; fast WaveNet).

    ``generate(primer, n)`` feeds the primer (teacher forcing) to fill the
    queues, then samples n classes one at a time; each compiled call runs at
    most ``chunk`` steps (so an interrupt acts within a fraction of a second).
    """

    def __init__(self, parts: WaveNetParts, chunk: int = 256):
        import tensorflow as tf

        self.parts = parts
        self.chunk = chunk
        self._tf = tf
        self._run = tf.function(self._run_steps, reduce_retracing=True)

    def initial_queues(self, batch: int):
        """Zero queues: the same left padding that "causal" convolutions use."""
        return [ops.zeros((batch, b.queue_length, b.channels)) for b in self.parts.blocks]

    def step(self, classes_t, queues):
        """One step for all streams: classes (B,) int → logits (B, classes), new queues."""
        h = self.parts.embed(classes_t)
        skip, new = None, []
        for block, queue in zip(self.parts.blocks, queues):
            h, s, q = block.step(h, queue)
            skip = s if skip is None else skip + s
            new.append(q)
        out = skip[:, None]
        for layer in self.parts.head:
            out = layer(out)
        return out[:, 0], new

    def _run_steps(self, first, queues, forced, n_steps, seed, temperature):
        tf = self._tf
        n_forced = tf.shape(forced)[1]
        out = tf.TensorArray(tf.int32, size=n_steps)
        logits_out = tf.TensorArray(tf.float32, size=n_steps)

        def body(i, x, queues, out, logits_out):
            logits, queues = self.step(x, queues)
            sampled = tf.cast(tf.random.stateless_categorical(logits / temperature, 1, seed=tf.stack([seed, i]))[:, 0], tf.int32)
            nxt = tf.cond(i < n_forced, lambda: forced[:, tf.minimum(i, n_forced - 1)], lambda: sampled)
            return i + 1, nxt, queues, out.write(i, sampled), logits_out.write(i, logits)

        _, last, queues, out, logits_out = tf.while_loop(
            lambda i, *_: i < n_steps, body, (tf.constant(0), first, list(queues), out, logits_out))
        return last, queues, tf.transpose(out.stack()), tf.transpose(logits_out.stack(), (1, 0, 2))

    def teacher_forced_logits(self, classes):
        """Logits (B, T, classes) of each step when the inputs are ``classes`` (B, T): must equal ``model(classes)``."""
        tf = self._tf
        classes = tf.convert_to_tensor(classes, tf.int32)
        queues = self.initial_queues(int(classes.shape[0]))
        x, parts = classes[:, 0], []
        for start in range(0, int(classes.shape[1]), self.chunk):
            n = min(self.chunk, int(classes.shape[1]) - start)
            forced = classes[:, start + 1 : start + n + 1]
            if forced.shape[1] < n:  # the last step's next input is not used
                forced = tf.concat([forced, tf.zeros((classes.shape[0], n - forced.shape[1]), tf.int32)], axis=1)
            x, queues, _, logits = self._run(x, queues, forced, tf.constant(n), tf.constant(0), tf.constant(1.0))
            parts.append(logits)
        return tf.concat(parts, axis=1).numpy()

    def generate(self, primer, n: int, seed: int = 0, temperature: float = 1.0):
        """Feed ``primer`` (B, P) int classes, then sample ``n`` new classes per stream.

        Returns:
            int32 array (B, n): the sampled continuation.
        """
        tf = self._tf
        primer = tf.convert_to_tensor(primer, tf.int32)
        batch, p = int(primer.shape[0]), int(primer.shape[1])
        queues = self.initial_queues(batch)
        x = primer[:, 0]
        for start in range(0, p - 1, self.chunk):  # teacher-force primer[1:] into the queues
            forced = primer[:, start + 1 : min(p, start + 1 + self.chunk)]
            x, queues, _, _ = self._run(x, queues, forced, tf.constant(int(forced.shape[1])), tf.constant(seed),
                                        tf.constant(float(temperature)))
        samples = []
        empty = tf.zeros((batch, 0), tf.int32)
        for start in range(0, n, self.chunk):
            k = min(self.chunk, n - start)
            x, queues, drawn, _ = self._run(x, queues, empty, tf.constant(k), tf.constant(seed + 1 + start),
                                            tf.constant(float(temperature)))
            samples.append(drawn.numpy())
        return np.concatenate(samples, axis=1)
