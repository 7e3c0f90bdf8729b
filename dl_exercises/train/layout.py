"""Images as the layout a model wants: flat rows (MLPs), NHWC (Keras convolutions) or NCHW (the course's numpy CNNs)."""

from __future__ import annotations

import numpy as np

LAYOUTS = ("flat", "nhwc", "nchw")


def as_layout(images, layout: str, dtype=np.float32) -> np.ndarray:
    """Grey-scale images (N, H, W) or (N, H·W) or (N, H, W, 1) in ``layout``.

    Args:
        images: N images of one channel; flat rows must be square (28·28 for MNIST).
        layout: "flat" → (N, H·W), "nhwc" → (N, H, W, 1), "nchw" → (N, 1, H, W).
    Returns:
        a new array of ``dtype``.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"as_layout: layout must be one of {', '.join(LAYOUTS)}, Received: layout={layout!r}")
    x = np.asarray(images, dtype=dtype)
    n = len(x)
    if layout == "flat":
        return x.reshape(n, -1)
    side = int(round(np.sqrt(x[0].size)))
    if side * side != x[0].size:
        raise ValueError(f"as_layout: images are not square, Received: shape={x.shape}")
    x = x.reshape(n, side, side)
    return x[..., None] if layout == "nhwc" else x[:, None]


def load_images(ctx, n_train: int, n_test: int, layout: str, name: str = "mnist",
                fallbacks: tuple[str, ...] | None = None):
    """An image data set (MNIST by default, or else the first of ``fallbacks`` at hand) as float32 arrays in ``layout``.

    Returns:
        (x_train, y_train, x_test, y_test, usage): images in [0, 1], int64 labels, and the ``DataUsage``.
    """
    data = ctx.load_data(name, fallbacks=fallbacks, n_train=n_train, n_test=n_test)
    return (as_layout(data.x_train, layout), np.asarray(data.y_train, np.int64),
            as_layout(data.x_test, layout), np.asarray(data.y_test, np.int64), data.usage)
