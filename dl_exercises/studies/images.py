"""Images for the CNN runs: MNIST, or where it can't be had, at the full budget Fashion-MNIST before mnist5k."""

from __future__ import annotations

# Where real MNIST can't be had, a full-budget CNN trains on Fashion-MNIST's 60,000 images (Debian ships them)
# rather than mnist5k's 4,000: the course's points (conv nets, depth, numpy and Keras alike) hold on either,
# and 4,000 images can't show what a full budget is for. Course figures measured on MNIST are not shown beside it.
FULL_IMAGE_FALLBACKS = ("fashion_mnist", "mnist5k")
FULL_FASHION_NOTE = ("full budget without MNIST here: the nets trained on Fashion-MNIST's 60,000 images rather than "
                     "mnist5k's 4,000 (`dlx data fetch mnist` for the course's own data)")


def load_cnn_images(ctx, n_train: int, n_test: int, name: str = "mnist"):
    """``train.layout.load_images`` in NHWC; at the full budget, Fashion-MNIST stands in before mnist5k (with a note).

    Returns:
        (x_train, y_train, x_test, y_test, usage).
    """
    from ..train.layout import load_images

    fallbacks = FULL_IMAGE_FALLBACKS if ctx.budget == "full" else None
    *arrays, usage = load_images(ctx, n_train, n_test, "nhwc", name=name, fallbacks=fallbacks)
    if fallbacks and usage.name == "fashion_mnist" and ctx.dataset is None:
        ctx.note(FULL_FASHION_NOTE)
    return (*arrays, usage)
