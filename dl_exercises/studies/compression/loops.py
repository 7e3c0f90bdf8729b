"""The training of the compression runs (Day4 Section3): one Keras fit loop for every network, pruning, distillation.

Every network here (the float32 CNN and MLP, the fine-tuning of a pruned copy, the teacher, the
students) trains through ``fit_classifier``: Adam on sparse cross-entropy from logits (or a
``Distiller``'s own loss), Keras's ``fit``, the Keras callbacks of ``FitHooks`` (a run passes
``ctx.callbacks`` and ``ctx.training``; the loops never see the run context).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Callable, ContextManager

import numpy as np

from .config import DistillationConfig
from .measure import accuracy_of, clone_trained

# 16 batches per graph call: the same steps with less Python overhead for these small MLPs. Measured (AMD EPYC,
# 2 busy cores, a 1-epoch teacher and two 50-epoch students): 47.8 s user+sys CPU at 1, 37.7 s at 16, same accuracies.
DISTILL_STEPS_PER_EXECUTION = 16


def _no_callbacks(epochs: int, label: str, steps_per_epoch: int | None = None) -> list:
    return []


@dataclass(frozen=True)
class FitHooks:
    """What a fit reports through.

    Attributes:
        callbacks: ``callbacks(epochs, label, steps_per_epoch=…)`` → Keras callbacks (progress bar, history
            rows, the NaN guard: a run passes ``ctx.callbacks``); none by default.
        training: a context manager factory around each fit (a run passes ``ctx.training``, its training clock).
    """

    callbacks: Callable[..., list] = _no_callbacks
    training: Callable[[], ContextManager] = contextlib.nullcontext


def fit_classifier(model, data, *, epochs: int, steps_per_epoch: int, lr: float, label: str, hooks: FitHooks,
                   batch_size: int | None = None, cosine: bool = False, extra_callbacks=(), steps_per_execution: int = 1,
                   own_loss: bool = False) -> list[float]:
    """Compile ``model`` with Adam and train it with Keras's ``fit``; the per-epoch training losses.

    Args:
        data: ``(x, y)`` arrays, shuffled each epoch in batches of ``batch_size``, or a ``tf.data`` stream
            (already shuffled and batched).
        cosine: Adam's rate decays from ``lr`` to 0 over the run (cosine) instead of staying at ``lr``.
        extra_callbacks: Keras callbacks run before the hooks' (the pruning masks).
        own_loss: the model computes its own loss (a ``Distiller``); else sparse cross-entropy from logits.
    Raises:
        NonFiniteLoss: an epoch's loss is NaN or Inf.
    """
    from ...runtime import check_finite, tf_keras

    _, keras = tf_keras()
    rate = keras.optimizers.schedules.CosineDecay(lr, epochs * steps_per_epoch) if cosine else lr
    model.compile(optimizer=keras.optimizers.Adam(rate), jit_compile=False, steps_per_execution=steps_per_execution,
                  loss=None if own_loss else keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    arrays = isinstance(data, tuple)
    with hooks.training():
        history = model.fit(*(data if arrays else (data,)), batch_size=batch_size if arrays else None, epochs=epochs,
                            verbose=0, shuffle=arrays,  # a stream comes shuffled
                            callbacks=[*extra_callbacks, *hooks.callbacks(epochs, label, steps_per_epoch=steps_per_epoch)])
    losses = [float(v) for v in history.history["loss"]]
    for i, loss in enumerate(losses):
        check_finite(loss, f"in {label} at epoch {i + 1}")
    return losses


def steps_of(n: int, batch_size: int) -> int:
    """Batches in one epoch of ``n`` examples (the last one may be short)."""
    return int(np.ceil(n / batch_size))


# --- pruning -----------------------------------------------------------------------------------


def prune_and_finetune(base, x_train, y_train, x_test, y_test, sparsity: float, schedule: str, *, epochs: int,
                       batch_size: int, lr: float, hooks: FitHooks, scope: str = "global", cosine: bool = False) -> dict:
    """Copy the trained ``base``, prune its kernels by magnitude (``schedule``), fine-tune with the masks held.

    ``cosine``: the fine-tuning's Adam rate decays from ``lr`` to 0 (cosine) instead of staying at ``lr``.

    Returns:
        {sparsity, schedule, before, after, nonzero_kernels, kernels, nonzero, zip_bytes, measured_sparsity, model}.
    """
    from ...nn.compression import MagnitudePruning, count_nonzero, prunable_kernels, pruning_masks, zipped_size

    model = clone_trained(base)
    kernels = prunable_kernels(model)
    if schedule == "one_shot":
        for kernel, mask in zip(kernels, pruning_masks([k.numpy() for k in kernels], sparsity, scope)):
            kernel.assign(kernel.numpy() * mask)
    before = accuracy_of(model, x_test, y_test)
    per_epoch = steps_of(len(x_train), batch_size)
    steps = per_epoch * epochs
    pruning = MagnitudePruning(sparsity, schedule, end_step=max(1, (2 * steps) // 3), frequency=max(1, steps // 30),
                               scope=scope)
    if epochs:
        fit_classifier(model, (x_train, y_train), epochs=epochs, steps_per_epoch=per_epoch, lr=lr, cosine=cosine,
                       batch_size=batch_size, label=f"fine-tune {sparsity:.0%} {schedule}", hooks=hooks,
                       extra_callbacks=[pruning])
    nonzero_kernels, nonzero = count_nonzero(model)
    size = sum(int(np.prod(k.shape)) for k in kernels)
    per_layer = [1.0 - np.count_nonzero(k.numpy()) / k.numpy().size for k in kernels]
    return {"sparsity": sparsity, "schedule": schedule, "before": before, "after": accuracy_of(model, x_test, y_test),
            "per_layer": per_layer, "layer_names": [k.path.split("/")[-2] for k in kernels],
            "nonzero_kernels": nonzero_kernels, "kernels": size, "nonzero": nonzero,
            "measured_sparsity": 1.0 - nonzero_kernels / size, "zip_bytes": zipped_size(model.get_weights()),
            "model": model}


def pruning_schedules(sparsity: float, target: float, schedule: str) -> tuple[str, ...]:
    """The schedules run at one sparsity: none to speak of at 0 %, both at the target sparsity (the target takes
    the worse), ``schedule`` ("both": one-shot and gradual) everywhere else."""
    if sparsity == 0:
        return ("one_shot",)
    if sparsity == target:
        return ("one_shot", "gradual")
    return ("one_shot", "gradual") if schedule == "both" else (schedule,)


# --- distillation ------------------------------------------------------------------------------


def shifted_batches(x, y, batch_size: int, shift: int, seed: int):
    """A shuffled tf.data stream of (images shifted by up to ``shift`` pixels, targets); ``shift`` 0: unchanged.

    ``y``: the labels, or a tuple of arrays (labels, teacher logits) kept together with their images.
    """
    from ...runtime import tf_keras

    tf, keras = tf_keras()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x), seed=seed).batch(batch_size)
    if shift:
        move = keras.layers.RandomTranslation(shift / 28, shift / 28, fill_mode="constant", seed=seed)
        dataset = dataset.map(lambda a, b: (move(a, training=True), b))
    return dataset.prefetch(2)


def ensemble_teacher(members, name: str = "teacher"):
    """The members' mean log-probabilities as one model: the accurate, expensive teacher (an ensemble)."""
    from ...runtime import tf_keras

    _, keras = tf_keras()
    inputs = keras.Input((28, 28, 1), name=f"{name}_image")
    outs = [keras.layers.Activation("log_softmax", name=f"{name}_logp{i}")(m(inputs)) for i, m in enumerate(members)]
    merged = outs[0] if len(outs) == 1 else keras.layers.Average(name=f"{name}_mean")(outs)
    return keras.Model(inputs, merged, name=name)


def train_teacher(x_train, y_train, c: DistillationConfig, *, seed: int, hooks: FitHooks) -> tuple:
    """``c.members`` large MLPs with dropout, trained on shifted images (one, or an ensemble); (teacher, members).

    Member i starts from the Keras seed ``seed + 100 + i`` and sees its own stream of shifted batches.
    """
    from ...nn.compression import mnist_mlp
    from ...runtime import tf_keras

    _, keras = tf_keras()
    members = []
    for i in range(c.members):
        keras.utils.set_random_seed(seed + 100 + i)
        member = mnist_mlp(c.teacher_hidden, dropout=c.teacher_dropout, name=f"teacher{i + 1}")
        fit_classifier(member, shifted_batches(x_train, y_train, c.batch_size, c.teacher_shift, seed + 100 + i),
                       epochs=c.teacher_epochs, steps_per_epoch=steps_of(len(x_train), c.batch_size), lr=c.lr,
                       cosine=True, label=f"teacher {i + 1}", hooks=hooks,
                       steps_per_execution=DISTILL_STEPS_PER_EXECUTION)
        members.append(member)
    return ensemble_teacher(members), members


def fit_student(student, x_train, y_train, *, teacher, alpha: float, temperature: float, epochs: int,
                batch_size: int, lr: float, label: str, seed: int, hooks: FitHooks, cosine: bool = False,
                steps_per_execution: int = 1, teacher_logits=None) -> list[float]:
    """Train ``student`` from scratch (``teacher`` None: hard labels only) or distilled through ``Distiller``.

    ``teacher_logits``: the frozen teacher's logits of ``x_train``, when the caller has them (several students of
    one teacher); computed here otherwise. ``cosine``: Adam's learning rate decays from ``lr`` to 0 over the run.
    ``steps_per_execution``: batches per graph call (the same steps, less Python overhead for small models).
    """
    from ...nn.compression import Distiller

    targets = y_train
    if teacher is not None:
        # the frozen teacher's logits of the unshifted images are the same every epoch, so compute them once.
        # Measured (a 256-256 student of an 800-800 teacher, batch 64, 2 cores): 0.44 s an epoch with the teacher
        # run on every step, 0.20 s with its logits computed once.
        if teacher_logits is None:
            teacher_logits = teacher.predict(x_train, batch_size=1000, verbose=0)
        targets = (y_train, teacher_logits)
    stream = shifted_batches(x_train, targets, batch_size, 0, seed)
    model = student if teacher is None else Distiller(student, teacher, alpha=alpha, temperature=temperature,
                                                      name=f"distiller_{student.name}")
    return fit_classifier(model, stream, epochs=epochs, steps_per_epoch=steps_of(len(x_train), batch_size), lr=lr,
                          cosine=cosine, label=label, hooks=hooks, steps_per_execution=steps_per_execution,
                          own_loss=teacher is not None)
