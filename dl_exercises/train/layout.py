"""Images as the layout a model wants: flat rows (MLPs), NHWC (Keras convolutions) or NCHW (the course's numpy CNNs).

Loading is the run's business (``studies.images.load_images``); this module only reshapes.
"""

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


def image_arrays(data, layout: str):
    """A loaded image data set (``datasets.load``'s bundle) as float32 arrays in ``layout`` and int64 labels.

    Returns:
        (x_train, y_train, x_test, y_test, usage): images in [0, 1], int64 labels, and the ``DataUsage``.
    """
    return (as_layout(data.x_train, layout), np.asarray(data.y_train, np.int64),
            as_layout(data.x_test, layout), np.asarray(data.y_test, np.int64), data.usage)
