"""Images for a run: ``load_images`` in a layout, and for the CNN runs MNIST or, where it can't be had, at the full
budget Fashion-MNIST before mnist5k."""

from __future__ import annotations

# Where real MNIST can't be had, a full-budget CNN trains on Fashion-MNIST's 60,000 images (Debian ships them)
# rather than mnist5k's 4,000: the course's points (conv nets, depth, numpy and Keras alike) hold on either,
# and 4,000 images can't show what a full budget is for. Course figures measured on MNIST are not shown beside it.
FULL_IMAGE_FALLBACKS = ("fashion_mnist", "mnist5k")
FULL_FASHION_NOTE = ("full budget without MNIST here: the nets trained on Fashion-MNIST's 60,000 images rather than "
                     "mnist5k's 4,000 (`dlx data fetch mnist` for the course's own data)")


def load_images(ctx, n_train: int, n_test: int, layout: str, name: str = "mnist",
                fallbacks: tuple[str, ...] | None = None):
    """An image data set (MNIST by default, or else the first of ``fallbacks`` at hand) as float32 arrays in ``layout``.

    Loaded through the run (``--dataset``, the data set recorded in the result); ``train.layout`` reshapes.

    Returns:
        (x_train, y_train, x_test, y_test, usage): images in [0, 1], int64 labels, and the ``DataUsage``.
    """
    from ..train.layout import image_arrays

    return image_arrays(ctx.load_data(name, fallbacks=fallbacks, n_train=n_train, n_test=n_test), layout)


def load_cnn_images(ctx, n_train: int, n_test: int, name: str = "mnist"):
    """``load_images`` in NHWC; at the full budget, Fashion-MNIST stands in before mnist5k (with a note).

    Returns:
        (x_train, y_train, x_test, y_test, usage).
    """
    fallbacks = FULL_IMAGE_FALLBACKS if ctx.budget == "full" else None
    *arrays, usage = load_images(ctx, n_train, n_test, "nhwc", name=name, fallbacks=fallbacks)
    if fallbacks and usage.name == "fashion_mnist" and ctx.dataset is None:
        ctx.note(FULL_FASHION_NOTE)
    return (*arrays, usage)
