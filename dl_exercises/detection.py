"""Detection metrics a learner can call on their own boxes: IoU, NMS and mean average precision (Day4 Section6 物体検知).

    >>> from dl_exercises.detection import mean_average_precision
    >>> gts = [{"boxes": [[0, 0, 10, 10]], "labels": [1]}]
    >>> dets = [{"boxes": [[1, 0, 10, 10], [20, 20, 30, 30]], "labels": [1, 1], "scores": [0.9, 0.8]}]
    >>> mean_average_precision(gts, dets)
    {'mAP': 1.0, 'AP': {1: 1.0}}

Boxes are ``(x_min, y_min, x_max, y_max)`` in continuous coordinates (no +1
pixel convention). Matching, ranking and the three interpolations are those
of ``dl_exercises.scratch.box_metrics`` (its docstring states each convention);
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
from .scratch.box_metrics import INTERPOLATIONS, box_iou, nms
from .scratch.box_metrics import mean_ap_unchecked

__all__ = ["DetectionInputError", "INTERPOLATIONS", "box_iou", "cocoeval_average_precision", "mean_average_precision",
           "nms"]


class DetectionInputError(UsageError, ValueError):
    """Input the detection metrics cannot use; the message is one line naming the image and the field."""


def mean_average_precision(
    ground_truths: Sequence[Mapping[str, Any]],
    detections: Sequence[Mapping[str, Any]],
    iou_threshold: float = 0.5,
    interpolation: str = "all",
) -> dict:
    """Mean average precision of detections against ground truths (course eq. 12, Day4 Section6 物体検知).

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
    result = mean_ap_unchecked(gts, dets, threshold, interpolation)
    return {"mAP": float(result["mAP"]), "AP": {int(k): float(v) for k, v in result["AP"].items()}}


def cocoeval_average_precision(ground_truths, detections, iou_threshold: float = 0.5,
                               interpolation: str = "coco101") -> dict[int, float]:
    """AP per class from pycocotools' COCOeval, configured to compute what ``mean_average_precision`` does.

    COCOeval's defaults differ in four ways, each undone here: ten IoU thresholds (here one:
    ``iou_threshold``); area ranges with "all" = [0, 1e10] px² (here one range holding every box);
    at most 100 detections per image and class (here all of them); and recall points from
    ``np.linspace(0, 1, 101)``, ten of which lie a hair above their decimal (0.35000000000000003, …),
    so a recall of exactly 0.35 misses that point (here the exact decimals i/100, or i/10 for
    ``"voc11"``; for ``"all"`` the points k/n_c, k = 1 … n_c, of each class's n_c ground truths, at
    which the all-point step curve changes). COCOeval also matches at IoU ≥ min(t, 1 − 1e−10).

    Args:
        ground_truths, detections, iou_threshold, interpolation: as ``mean_average_precision``.
    Returns:
        {label: AP} for the labels that have ground truth.
    Raises:
        ImportError: pycocotools is not installed.
    """
    import contextlib
    import io

    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    if not isinstance(interpolation, str) or interpolation not in INTERPOLATIONS:
        raise DetectionInputError(
            f"interpolation must be one of {', '.join(INTERPOLATIONS)}, Received: interpolation={interpolation!r}")
    gts = _images(ground_truths, "ground_truths", with_scores=False)
    dets = _images(detections, "detections", with_scores=True)
    images, annotations, results = [], [], []
    for i, (g, d) in enumerate(zip(gts, dets), start=1):
        images.append({"id": i})
        for b, label in zip(g["boxes"], g["labels"]):
            w, h = float(b[2] - b[0]), float(b[3] - b[1])
            annotations.append({"id": len(annotations) + 1, "image_id": i, "category_id": int(label),
                                "bbox": [float(b[0]), float(b[1]), w, h], "area": w * h, "iscrowd": 0})
        for b, label, score in zip(d["boxes"], d["labels"], d["scores"]):
            results.append({"image_id": i, "category_id": int(label), "score": float(score),
                            "bbox": [float(b[0]), float(b[1]), float(b[2] - b[0]), float(b[3] - b[1])]})
    labels = sorted({int(a["category_id"]) for a in annotations})
    counts = {l: sum(a["category_id"] == l for a in annotations) for l in labels}
    per_class: dict[int, float] = {}
    if not results:
        return {l: 0.0 for l in labels}
    groups = [(labels, _points(interpolation))] if interpolation != "all" else [
        ([l], np.arange(1, counts[l] + 1) / counts[l]) for l in labels]
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO()
        coco_gt.dataset = {"images": images, "annotations": annotations,
                           "categories": [{"id": l} for l in sorted(set(labels) | {r["category_id"] for r in results})]}
        coco_gt.createIndex()
        coco_dt = coco_gt.loadRes(results)
        for cats, points in groups:
            ev = COCOeval(coco_gt, coco_dt, "bbox")
            ev.params.catIds = cats
            ev.params.iouThrs = np.array([float(iou_threshold)])
            ev.params.recThrs = points
            ev.params.areaRng, ev.params.areaRngLbl = [[0.0, 1e18]], ["all"]
            ev.params.maxDets = [max(len(results), 1)]
            ev.evaluate()
            ev.accumulate()
            precision = ev.eval["precision"][0, :, :, 0, 0]  # recall points × classes
            per_class.update({l: float(precision[:, k].mean()) for k, l in enumerate(cats)})
    return per_class


def _points(interpolation: str) -> np.ndarray:
    return np.arange(11) / 10.0 if interpolation == "voc11" else np.arange(101) / 100.0


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
