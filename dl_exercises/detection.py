"""Detection metrics a learner can call on their own boxes: IoU, NMS and mean average precision (Day4 物体検知).

    >>> from dl_exercises.detection import mean_average_precision
    >>> gts = [{"boxes": [[0, 0, 10, 10]], "labels": [1]}]
    >>> dets = [{"boxes": [[1, 0, 10, 10], [20, 20, 30, 30]], "labels": [1, 1], "scores": [0.9, 0.8]}]
    >>> mean_average_precision(gts, dets)
    {'mAP': 1.0, 'AP': {1: 1.0}}

Boxes are ``(x_min, y_min, x_max, y_max)`` in continuous coordinates (no +1
pixel convention). Matching, ranking and the three interpolations are those
of ``dl_exercises.scratch.detection`` (its docstring states each convention);
they agree with pycocotools' COCOeval at one IoU threshold when COCOeval is
given one area range covering every box, enough detections per image and the
same recall points (tests/test_day4_detection.py). Bad input raises one
``DetectionInputError`` (a ``ValueError``, and exit 2 inside a dlx run) whose
message names the image and box; the caller's data are never modified.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import numpy as np

from .errors import UsageError
from .scratch.detection import INTERPOLATIONS, box_iou, nms
from .scratch.detection import mean_average_precision as _map_checked

__all__ = ["DetectionInputError", "INTERPOLATIONS", "box_iou", "mean_average_precision", "nms"]


class DetectionInputError(UsageError, ValueError):
    """Input the detection metrics cannot use; the message is one line naming the image and the field."""


def mean_average_precision(
    ground_truths: Sequence[Mapping[str, Any]],
    detections: Sequence[Mapping[str, Any]],
    iou_threshold: float = 0.5,
    interpolation: str = "all",
) -> dict:
    """Mean average precision of detections against ground truths (course eq. 12, Day4 物体検知).

    Args:
        ground_truths: one entry per image, ``{"boxes": (n, 4), "labels": (n,) ints}``.
        detections: one entry per image (the same images, in the same order), with ``"scores": (n,)`` too.
        iou_threshold: in (0, 1]; a detection matches an unmatched ground truth of its class when IoU ≥ this.
        interpolation: ``"voc11"`` (VOC2007 11-point), ``"all"`` (VOC2010+ all points) or ``"coco101"`` (COCO 101-point).
    Returns:
        ``{"mAP": float, "AP": {label: float}}``; AP for every label that has a ground-truth box
        (labels seen only among detections do not enter the mean).
    Raises:
        DetectionInputError: (a ``ValueError``) one line saying what is wrong and where.
    """
    if not isinstance(interpolation, str) or interpolation not in INTERPOLATIONS:
        raise DetectionInputError(
            f"interpolation must be one of {', '.join(INTERPOLATIONS)}, Received: interpolation={interpolation!r}")
    try:
        threshold = float(iou_threshold)
    except (TypeError, ValueError):
        raise DetectionInputError(f"iou_threshold must be a number in (0, 1], Received: iou_threshold={iou_threshold!r}") from None
    if not (math.isfinite(threshold) and 0.0 < threshold <= 1.0):
        raise DetectionInputError(f"iou_threshold must be in (0, 1], Received: iou_threshold={iou_threshold!r}")
    gts = _images(ground_truths, "ground_truths", with_scores=False)
    dets = _images(detections, "detections", with_scores=True)
    if len(gts) != len(dets):
        raise DetectionInputError(
            f"ground_truths and detections must list the same images, Received: {len(gts)} ground-truth "
            f"entries and {len(dets)} detection entries")
    if not any(len(g["labels"]) for g in gts):
        raise DetectionInputError("ground_truths hold no box: mAP is undefined without ground truth")
    result = _map_checked(gts, dets, threshold, interpolation)
    return {"mAP": float(result["mAP"]), "AP": {int(k): float(v) for k, v in result["AP"].items()}}


def _images(entries, name: str, with_scores: bool) -> list[dict[str, np.ndarray]]:
    """Checked copies of every image's arrays: boxes float64 (n, 4), labels int64 (n,), scores float64 (n,)."""
    if isinstance(entries, Mapping) or isinstance(entries, (str, bytes)) or not hasattr(entries, "__len__"):
        raise DetectionInputError(
            f"{name} must be a list with one dict per image, Received: {type(entries).__name__}")
    keys = ("boxes", "labels", "scores") if with_scores else ("boxes", "labels")
    checked = []
    for i, entry in enumerate(entries):
        where = f"{name}[{i}]"
        if not isinstance(entry, Mapping):
            raise DetectionInputError(f"{where} must be a dict with keys {', '.join(keys)}, Received: {type(entry).__name__}")
        missing = [k for k in keys if k not in entry]
        if missing:
            raise DetectionInputError(f"{where} lacks {', '.join(repr(k) for k in missing)} (needs {', '.join(keys)})")
        boxes = _array(entry["boxes"], f"{where}['boxes']", np.float64)
        if boxes.size == 0:
            boxes = boxes.reshape(0, 4)
        if boxes.ndim != 2 or boxes.shape[1] != 4:
            raise DetectionInputError(
                f"{where}['boxes'] must have shape (n, 4) as (x_min, y_min, x_max, y_max), Received: shape {boxes.shape}")
        if not np.all(np.isfinite(boxes)):
            b = int(np.argwhere(~np.isfinite(boxes))[0, 0])
            raise DetectionInputError(f"{where}['boxes'][{b}] is not finite, Received: {boxes[b].tolist()}")
        bad = np.flatnonzero((boxes[:, 2] < boxes[:, 0]) | (boxes[:, 3] < boxes[:, 1]))
        if len(bad):
            b = int(bad[0])
            axis = "x" if boxes[b, 2] < boxes[b, 0] else "y"
            lo, hi = (boxes[b, 0], boxes[b, 2]) if axis == "x" else (boxes[b, 1], boxes[b, 3])
            raise DetectionInputError(
                f"{where}['boxes'][{b}] has {axis}_max < {axis}_min ({axis}_min={lo:g}, {axis}_max={hi:g}); "
                f"boxes are (x_min, y_min, x_max, y_max)")
        labels = _array(entry["labels"], f"{where}['labels']", None).reshape(-1)
        if labels.size == 0:
            labels = labels.astype(np.int64)
        if labels.dtype == bool or not np.issubdtype(labels.dtype, np.integer):
            raise DetectionInputError(f"{where}['labels'] must be integers, Received: dtype {labels.dtype}")
        if len(labels) != len(boxes):
            raise DetectionInputError(
                f"{where} has {len(boxes)} boxes but {len(labels)} labels (one label per box)")
        image = {"boxes": boxes, "labels": labels.astype(np.int64)}
        if with_scores:
            scores = _array(entry["scores"], f"{where}['scores']", np.float64).reshape(-1)
            if len(scores) != len(boxes):
                raise DetectionInputError(f"{where} has {len(boxes)} boxes but {len(scores)} scores (one score per box)")
            if not np.all(np.isfinite(scores)):
                raise DetectionInputError(f"{where}['scores'] must be finite, Received: {scores.tolist()}")
            image["scores"] = scores
        checked.append(image)
    return checked


def _array(value, where: str, dtype) -> np.ndarray:
    """A fresh numpy copy of ``value`` (the caller's object is never written to)."""
    try:
        return np.array(value, dtype=dtype, copy=True)
    except (TypeError, ValueError) as exc:
        raise DetectionInputError(f"{where} is not a numeric array ({exc})") from None
