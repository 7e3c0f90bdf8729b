"""Generated images of circles, squares and triangles for object detection and segmentation (Day4 Section6 物体検知・セグメンテーション).

Each image has a plain dark background with a little uniform noise and one
to ``max_objects`` shapes that do not touch, each of a random bright colour
(the colour says nothing about the class) and a random size in
``[min_size, max_size]`` pixels: a circle of that diameter, a square of that
side, or an upright isosceles triangle of that base and height. A pixel belongs
to a shape when its centre lies inside it.

- ``shapes_detection``: ``x_*`` float32 (N, S, S, 3) in [0, 1]; ``y_*`` a list
  of one dict per image, ``{"boxes": float32 (n, 4), "labels": int64 (n,)}``,
  the boxes ``(x_min, y_min, x_max, y_max)`` in pixels, tight around the
  shape's pixels (edges, so x_max − x_min is the width in pixels), the labels
  0 circle, 1 square, 2 triangle: the format of
  ``dl_exercises.detection.mean_average_precision``.
- ``shapes_segmentation``: the same images; ``y_*`` int64 (N, S, S) masks,
  0 background, 1 circle, 2 square, 3 triangle.

Training and test images come from two generators spawned from the seed, so
the test images are never trained on and a new ``--seed`` gives new data.
Pure numpy; ``extra`` holds ``class_names`` and ``image_size``.
"""

from __future__ import annotations

import numpy as np

from ..errors import DlxError
from ..result import DataUsage
from . import Bundle, dataset

CLASS_NAMES = ("circle", "square", "triangle")


def shape_mask(kind: int, cx: float, cy: float, size: float, image_size: int) -> np.ndarray:
    """Pixels of one shape whose centres lie inside it.

    Args:
        kind: 0 circle (diameter ``size``), 1 square (side ``size``), 2 triangle (apex up, base and height ``size``).
        cx, cy: the centre of the shape's bounding square, in pixels.
        size: in pixels; image_size: S of the S×S image.
    Returns:
        bool (S, S), indexed [y, x].
    """
    c = np.arange(image_size) + 0.5
    x, y = c[None, :] - cx, c[:, None] - cy
    half = size / 2.0
    if kind == 0:
        return x * x + y * y <= half * half
    if kind == 1:
        return (np.abs(x) <= half) & (np.abs(y) <= half)
    if kind == 2:  # apex (0, −half), base corners (±half, +half): inside both slanted edges and above the base
        return (y <= half) & (2.0 * np.abs(x) <= y + half)
    raise ValueError(f"shape kind must be 0, 1 or 2, Received: kind={kind}")


def mask_box(mask: np.ndarray) -> tuple[float, float, float, float]:
    """Tight box of a mask's pixels as pixel edges ``(x_min, y_min, x_max, y_max)``."""
    ys, xs = np.nonzero(mask)
    return float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)


def draw_images(rng: np.random.Generator, n: int, image_size: int, min_size: int, max_size: int,
                max_objects: int, noise: float = 0.03):
    """``n`` images with their boxes, labels and class masks.

    Returns:
        ``(images float32 (n, S, S, 3), targets [{"boxes", "labels"}], masks int64 (n, S, S))``.
    """
    masks = np.zeros((n, image_size, image_size), np.int64)
    objects = np.zeros((n, image_size, image_size), np.int64)  # 0 background, k the k-th shape drawn
    colours = np.empty((n, max_objects + 1, 3), np.float32)
    colours[:, 0] = rng.uniform(0.0, 0.3, (n, 3))
    colours[:, 1:] = rng.uniform(0.5, 1.0, (n, max_objects, 3))
    targets = []
    for i in range(n):
        boxes, labels = [], []
        occupied = np.zeros((image_size, image_size), bool)
        for _ in range(int(rng.integers(1, max_objects + 1))):
            for _attempt in range(30):
                kind = int(rng.integers(0, 3))
                size = float(rng.uniform(min_size, max_size))
                cx, cy = rng.uniform(size / 2, image_size - size / 2, 2)
                # the shape lies inside its bounding square; one free pixel all round it, so shapes never touch
                x0, y0 = int(np.floor(cx - size / 2)), int(np.floor(cy - size / 2))
                x1, y1 = int(np.ceil(cx + size / 2)), int(np.ceil(cy + size / 2))
                if not occupied[max(y0 - 1, 0):y1 + 1, max(x0 - 1, 0):x1 + 1].any():
                    break
            else:
                continue
            occupied[y0:y1, x0:x1] = True
            mask = shape_mask(kind, cx, cy, size, image_size)
            objects[i][mask] = len(labels) + 1
            masks[i][mask] = kind + 1
            boxes.append(mask_box(mask))
            labels.append(kind)
        targets.append({"boxes": np.asarray(boxes, np.float32).reshape(-1, 4), "labels": np.asarray(labels, np.int64)})
    images = colours[np.arange(n)[:, None, None], objects]
    # uniform noise of standard deviation ``noise`` (drawn at once: a third of the time of Gaussian draws)
    images += (rng.random(images.shape, dtype=np.float32) - 0.5) * np.float32(noise * np.sqrt(12.0))
    np.clip(images, 0.0, 1.0, out=images)
    return images, targets, masks


def _check(name: str, image_size: int, min_size: int, max_size: int, max_objects: int, n_train: int, n_test: int) -> None:
    if not (4 <= image_size and 2 <= min_size <= max_size <= image_size and max_objects >= 1 and n_train >= 0 and n_test >= 0):
        raise DlxError(
            f"{name}: need image_size >= 4, 2 <= min_size <= max_size <= image_size, max_objects >= 1 and "
            f"n_train, n_test >= 0; Received: image_size={image_size}, min_size={min_size}, max_size={max_size}, "
            f"max_objects={max_objects}, n_train={n_train}, n_test={n_test}")


def _generate(name: str, seed: int, n_train: int, n_test: int, image_size: int, min_size: int, max_size: int,
              max_objects: int):
    _check(name, image_size, min_size, max_size, max_objects, n_train, n_test)
    train_seq, test_seq = np.random.SeedSequence([seed, 0x5EA9E5]).spawn(2)
    train = draw_images(np.random.default_rng(train_seq), n_train, image_size, min_size, max_size, max_objects)
    test = draw_images(np.random.default_rng(test_seq), n_test, image_size, min_size, max_size, max_objects)
    sizes = {"train": n_train, "test": n_test, "image_size": image_size}
    note = f"{min_size}-{max_size} px shapes, 1-{max_objects} per image"
    usage = DataUsage(name, "generated by dlx", sizes, note)
    extra = {"class_names": CLASS_NAMES, "image_size": image_size, "min_size": min_size, "max_size": max_size}
    return train, test, usage, extra


@dataset("shapes_detection", description="circles, squares, triangles with boxes and labels (Day4 detection); generated",
         kind="generated")
def load_detection(seed: int = 0, n_train: int = 2000, n_test: int = 300, image_size: int = 64, min_size: int = 10,
                   max_size: int = 28, max_objects: int = 3, **_ignored) -> Bundle:
    """Images and per-image ``{"boxes", "labels"}`` (module docstring); labels 0 circle, 1 square, 2 triangle."""
    train, test, usage, extra = _generate("shapes_detection", seed, n_train, n_test, image_size, min_size, max_size,
                                          max_objects)
    return Bundle(train[0], train[1], test[0], test[1], usage, extra)


@dataset("shapes_segmentation",
         description="circles, squares, triangles with per-pixel class masks, 0 = background (Day4 segmentation); generated",
         kind="generated")
def load_segmentation(seed: int = 0, n_train: int = 2000, n_test: int = 300, image_size: int = 32, min_size: int = 8,
                      max_size: int = 16, max_objects: int = 3, **_ignored) -> Bundle:
    """Images and int64 masks (module docstring): 0 background, 1 circle, 2 square, 3 triangle."""
    train, test, usage, extra = _generate("shapes_segmentation", seed, n_train, n_test, image_size, min_size, max_size,
                                          max_objects)
    extra["class_names"] = ("background",) + CLASS_NAMES
    return Bundle(train[0], train[2], test[0], test[2], usage, extra)
