"""Small MNIST models and the Keras pieces of model compression: distillation and magnitude pruning.

Day4 Section3 (軽量化・高速化技術: 蒸留, プルーニング).

- ``mnist_cnn`` / ``mnist_mlp``: the float32 models that are quantized, pruned and distilled.
- ``distillation_loss``: α·CE(hard labels) + (1 − α)·T²·KL(softmax(teacher/T) ‖ softmax(student/T)).
- ``Distiller``: a student joined to a frozen teacher; ``fit`` updates the student only.
- ``magnitude_mask``, ``global_magnitude_masks``, ``polynomial_sparsity``, ``MagnitudePruning``: pruning by
  hand with masks that a callback applies after every training step (one-shot or gradual schedule).
- ``prunable_kernels``, ``count_nonzero``, ``zipped_size``: what is pruned and how small it gets.
"""

from __future__ import annotations

import io
import zipfile

import keras
import numpy as np
from keras import ops


def mnist_cnn(filters: tuple[int, ...] = (16, 32), dense: int = 64, dropout: float = 0.0,
              name: str = "cnn") -> keras.Sequential:
    """(Conv 3×3 → ReLU → MaxPool 2×2) per entry of ``filters``, Flatten, [Dropout], Dense(ReLU), Dense(10) logits.

    Args:
        filters: channels of each convolution block.
        dense: width of the hidden Dense layer (0: none).
        dropout: rate of a Dropout before the hidden Dense layer (0: none).
        name: model name and prefix of every layer name.
    Returns:
        ``keras.Sequential`` mapping (N, 28, 28, 1) images in [0, 1] to (N, 10) logits.
    """
    if not filters or any(f < 1 for f in filters):
        raise ValueError(f"mnist_cnn: filters must be positive, Received: filters={filters}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"mnist_cnn: dropout must be in [0, 1), Received: dropout={dropout}")
    layers = [keras.Input((28, 28, 1), name=f"{name}_image")]
    for i, f in enumerate(filters, 1):
        layers += [keras.layers.Conv2D(f, 3, activation="relu", name=f"{name}_conv{i}"),
                   keras.layers.MaxPooling2D(name=f"{name}_pool{i}")]
    layers.append(keras.layers.Flatten(name=f"{name}_flatten"))
    if dropout:
        layers.append(keras.layers.Dropout(dropout, name=f"{name}_dropout"))
    if dense:
        layers.append(keras.layers.Dense(dense, activation="relu", name=f"{name}_dense"))
    layers.append(keras.layers.Dense(10, name=f"{name}_logits"))
    return keras.Sequential(layers, name=name)


def mnist_mlp(hidden: tuple[int, ...] = (300, 100), dropout: float = 0.0, name: str = "mlp") -> keras.Sequential:
    """Flatten → (Dense(ReLU) [→ Dropout]) per entry of ``hidden`` → Dense(10) logits (LeNet-300-100 by default).

    Args:
        hidden: widths of the hidden layers.
        dropout: rate of a Dropout after each hidden layer (0: none).
        name: model name and prefix of every layer name.
    Returns:
        ``keras.Sequential`` mapping (N, 28, 28, 1) images to (N, 10) logits.
    """
    if not hidden or any(h < 1 for h in hidden):
        raise ValueError(f"mnist_mlp: hidden widths must be positive, Received: hidden={hidden}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"mnist_mlp: dropout must be in [0, 1), Received: dropout={dropout}")
    layers = [keras.Input((28, 28, 1), name=f"{name}_image"), keras.layers.Flatten(name=f"{name}_flatten")]
    for i, h in enumerate(hidden, 1):
        layers.append(keras.layers.Dense(h, activation="relu", name=f"{name}_dense{i}"))
        if dropout:
            layers.append(keras.layers.Dropout(dropout, name=f"{name}_dropout{i}"))
    layers.append(keras.layers.Dense(10, name=f"{name}_logits"))
    return keras.Sequential(layers, name=name)


# --- distillation -----------------------------------------------------------------------------


def distillation_loss(labels, student_logits, teacher_logits, alpha: float, temperature: float):
    """Hinton et al.'s distillation loss, batch mean.

    α·CE(y, softmax(z_s)) + (1 − α)·T²·KL(p_t ‖ p_s), with p_t = softmax(z_t / T),
    p_s = softmax(z_s / T) and KL(p ‖ q) = Σ p·(log p − log q). The T² keeps the
    soft term's gradients the same size as T changes (they scale as 1/T²).

    Args:
        labels: (N,) integer classes.
        student_logits, teacher_logits: (N, classes).
        alpha: weight of the hard-label cross-entropy, in [0, 1].
        temperature: T > 0.
    Returns:
        scalar loss.
    """
    z_s = ops.convert_to_tensor(student_logits)
    z_t = ops.convert_to_tensor(teacher_logits, dtype=z_s.dtype)
    labels = ops.cast(ops.reshape(labels, (-1,)), "int32")
    hard = ops.mean(keras.losses.sparse_categorical_crossentropy(labels, z_s, from_logits=True))
    log_p_t = ops.log_softmax(z_t / temperature, axis=-1)
    log_p_s = ops.log_softmax(z_s / temperature, axis=-1)
    kl = ops.mean(ops.sum(ops.exp(log_p_t) * (log_p_t - log_p_s), axis=-1))
    return alpha * hard + (1.0 - alpha) * temperature**2 * kl


@keras.saving.register_keras_serializable(package="dlx")
class Distiller(keras.Model):
    """A student trained against a frozen teacher (Day4 Section3, 蒸留).

    The two models are joined; the teacher's parameters are frozen and only the
    student's are updated. ``call`` is the student; the loss is
    ``distillation_loss`` of the labels, the student's logits and the teacher's
    logits on the same batch (so an augmented batch is labelled by the teacher too).
    When the batches are not augmented, the frozen teacher gives the same logits
    every epoch: they may then come with the labels, ``y = (labels, teacher_logits)``,
    computed once instead of on every step.

    Args:
        student: model mapping images to logits (trained).
        teacher: model mapping images to logits (frozen here).
        alpha: weight of the hard-label cross-entropy, in [0, 1].
        temperature: softmax temperature T > 0.
    Call arguments:
        x: (N, 28, 28, 1) images. Returns the student's (N, 10) logits.
    """

    def __init__(self, student, teacher, alpha: float = 0.1, temperature: float = 4.0, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= alpha <= 1.0:
            raise ValueError(f"Distiller: alpha must be in [0, 1], Received: alpha={alpha}")
        if not temperature > 0:
            raise ValueError(f"Distiller: temperature must be > 0, Received: temperature={temperature}")
        self.student = student
        self.teacher = teacher
        self.teacher.trainable = False
        self.alpha = float(alpha)
        self.temperature = float(temperature)

    def call(self, x, training=False):
        return self.student(x, training=training)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        if isinstance(y, (tuple, list)):  # (labels, the frozen teacher's logits of these images, computed once)
            labels, teacher_logits = y
        else:
            labels, teacher_logits = y, self.teacher(x, training=False)
        return distillation_loss(labels, y_pred, ops.stop_gradient(teacher_logits), self.alpha, self.temperature)

    def get_config(self):
        config = super().get_config()
        config.update({"student": keras.saving.serialize_keras_object(self.student),
                       "teacher": keras.saving.serialize_keras_object(self.teacher),
                       "alpha": self.alpha, "temperature": self.temperature})
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["student"] = keras.saving.deserialize_keras_object(config["student"])
        config["teacher"] = keras.saving.deserialize_keras_object(config["teacher"])
        return cls(**config)


# --- pruning ----------------------------------------------------------------------------------


def prunable_kernels(model) -> list:
    """The kernels of every Dense and Conv2D layer (biases are kept: they are few)."""
    kernels = []
    for layer in model.layers:
        if hasattr(layer, "layers"):  # a nested model
            kernels += prunable_kernels(layer)
        elif isinstance(layer, (keras.layers.Dense, keras.layers.Conv2D)):
            kernels.append(layer.kernel)
    return kernels


def magnitude_mask(weight, sparsity: float) -> np.ndarray:
    """1 for the weights kept, 0 for the round(sparsity·size) smallest in magnitude.

    Args:
        weight: array of any shape.
        sparsity: fraction to remove, in [0, 1).
    Returns:
        float32 array of ``weight``'s shape with exactly round(sparsity·size) zeros.
    """
    if not 0.0 <= sparsity < 1.0:
        raise ValueError(f"magnitude_mask: sparsity must be in [0, 1), Received: sparsity={sparsity}")
    w = np.asarray(weight)
    k = int(round(sparsity * w.size))
    mask = np.ones(w.size, np.float32)
    if k:
        mask[np.argsort(np.abs(w).reshape(-1), kind="stable")[:k]] = 0.0
    return mask.reshape(w.shape)


def global_magnitude_masks(weights, sparsity: float) -> list[np.ndarray]:
    """Masks for several arrays with one threshold: the round(sparsity·total) smallest |w| of all of them go.

    Layers differ in size and scale, so one global threshold prunes the large
    fully-connected kernel (many small weights) much more than a first
    convolution of a few large ones, which uniform per-layer pruning would cripple.

    Returns:
        float32 masks in the shapes of ``weights``; exactly round(sparsity·total) zeros among them.
    """
    if not 0.0 <= sparsity < 1.0:
        raise ValueError(f"global_magnitude_masks: sparsity must be in [0, 1), Received: sparsity={sparsity}")
    arrays = [np.asarray(w) for w in weights]
    flat = magnitude_mask(np.concatenate([np.abs(a).reshape(-1) for a in arrays]), sparsity)
    masks, start = [], 0
    for a in arrays:
        masks.append(flat[start:start + a.size].reshape(a.shape))
        start += a.size
    return masks


def pruning_masks(weights, sparsity: float, scope: str = "global") -> list[np.ndarray]:
    """``global_magnitude_masks`` (scope "global") or ``magnitude_mask`` of each array alone (scope "layer")."""
    if scope == "global":
        return global_magnitude_masks(weights, sparsity)
    if scope == "layer":
        return [magnitude_mask(w, sparsity) for w in weights]
    raise ValueError(f"pruning_masks: scope must be 'global' or 'layer', Received: scope={scope!r}")


def polynomial_sparsity(step: int, final: float, begin: int, end: int, initial: float = 0.0,
                        power: float = 3.0) -> float:
    """Gradual pruning schedule (Zhu & Gupta, 2017): s = s_f + (s_i − s_f)·(1 − (t − t0)/(t1 − t0))^power.

    Sparsity rises fast at first, while there are many small weights, and slowly
    near the end; before ``begin`` it is ``initial``, after ``end`` it is ``final``.
    """
    if end <= begin:
        return final if step >= begin else initial
    progress = min(max((step - begin) / (end - begin), 0.0), 1.0)
    return final + (initial - final) * (1.0 - progress) ** power


class MagnitudePruning(keras.callbacks.Callback):
    """Keeps a model's kernels masked while it trains: magnitude pruning by hand.

    The masks are applied at the start, after every training step (so the
    optimizer's update of a pruned weight never survives into the next forward
    pass) and at the end. ``one_shot`` prunes to ``sparsity`` before the first
    step; ``gradual`` raises the sparsity by ``polynomial_sparsity`` from 0 over
    steps [0, ``end_step``], recomputing the masks from the current magnitudes
    every ``frequency`` steps. Run ``fit`` with ``steps_per_execution=1`` so that
    the callback sees every step.

    Args:
        sparsity: fraction of the kernel weights set to zero, in [0, 1).
        schedule: "one_shot" or "gradual".
        scope: "global" (one magnitude threshold over all kernels) or "layer" (each kernel alone).
        end_step: step at which the gradual schedule reaches ``sparsity``.
        frequency: steps between mask updates of the gradual schedule.
    """

    SCHEDULES = ("one_shot", "gradual")

    def __init__(self, sparsity: float, schedule: str = "one_shot", end_step: int = 100, frequency: int = 10,
                 scope: str = "global"):
        super().__init__()
        if scope not in ("global", "layer"):
            raise ValueError(f"MagnitudePruning: scope must be 'global' or 'layer', Received: scope={scope!r}")
        self.scope = scope
        if not 0.0 <= sparsity < 1.0:
            raise ValueError(f"MagnitudePruning: sparsity must be in [0, 1), Received: sparsity={sparsity}")
        if schedule not in self.SCHEDULES:
            raise ValueError(f"MagnitudePruning: schedule must be one of {self.SCHEDULES}, Received: schedule={schedule!r}")
        if end_step < 1 or frequency < 1:
            raise ValueError(f"MagnitudePruning: end_step and frequency must be >= 1, Received: end_step={end_step}, "
                             f"frequency={frequency}")
        self.sparsity, self.schedule, self.end_step, self.frequency = float(sparsity), schedule, int(end_step), int(frequency)
        self.step = 0
        self.masks: list[np.ndarray] = []
        self.current_sparsity = 0.0

    def target_at(self, step: int) -> float:
        if self.schedule == "one_shot":
            return self.sparsity
        return polynomial_sparsity(step, self.sparsity, 0, self.end_step)

    def _update_masks(self) -> None:
        self.current_sparsity = self.target_at(self.step)
        self.masks = pruning_masks([k.numpy() for k in prunable_kernels(self.model)], self.current_sparsity, self.scope)

    def _apply(self) -> None:
        for kernel, mask in zip(prunable_kernels(self.model), self.masks):
            kernel.assign(kernel.numpy() * mask)

    def on_train_begin(self, logs=None):
        self.step = 0
        self._update_masks()
        self._apply()

    def on_train_batch_end(self, batch, logs=None):
        self.step += 1
        if self.schedule == "gradual" and self.step <= self.end_step and self.step % self.frequency == 0:
            self._update_masks()
        self._apply()

    def on_train_end(self, logs=None):
        if self.schedule == "gradual" and self.current_sparsity < self.sparsity:
            self.step = max(self.step, self.end_step)
            self._update_masks()
        self._apply()


def count_nonzero(model) -> tuple[int, int]:
    """(nonzero weights in the prunable kernels, nonzero weights in the whole model)."""
    kernels = sum(int(np.count_nonzero(k.numpy())) for k in prunable_kernels(model))
    total = sum(int(np.count_nonzero(np.asarray(w))) for w in model.get_weights())
    return kernels, total


def zipped_size(arrays) -> int:
    """Bytes of a zip archive (deflate, level 9) holding the arrays' raw contents, one entry each."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for i, array in enumerate(arrays):
            archive.writestr(f"w{i}.bin", np.ascontiguousarray(array).tobytes())
    return len(buffer.getvalue())
