"""Detection metrics from scratch (Day4 Section6 物体検知): IoU, NMS, TP/FP matching, precision–recall, AP and mAP.

Pure numpy. Boxes are ``(x_min, y_min, x_max, y_max)`` in continuous
coordinates: a box's area is ``(x_max − x_min)·(y_max − y_min)``, with no
``+1`` pixel convention (the one of pycocotools and ``tf.image``; the old
VOC devkit adds 1).

The conventions, chosen to agree with pycocotools' ``COCOeval`` run at one
IoU threshold (tests/test_day4_detection.py checks this):

- **Matching** (per image and class): detections in descending score, ties
  kept in their given order (a stable sort); each takes, among the ground
  truths not yet matched, the one of highest IoU, if that IoU is ≥ the
  threshold (a TP), else it is a FP. Each ground truth is matched at most once.
- **Ranking** (per class, over all images): a stable sort by descending score
  of the detections listed image by image.
- **Interpolated precision** p_interp(r) = max precision at any recall ≥ r
  (the course writes r̃ > r; VOC's devkit and COCO use ≥, as here).
- **AP**: ``"voc11"`` = mean of p_interp at r = 0, 0.1, …, 1 (VOC2007);
  ``"coco101"`` = mean at r = 0, 0.01, …, 1 (COCO); ``"all"`` = the area
  under the p_interp step curve, Σ Δrecall·p_interp (VOC2010 onwards).
  Recall points are exact decimals ``i/10`` and ``i/100``; a recall below a
  point contributes precision 0 there.
- **mAP** (course eq. 12): the mean of AP over the classes that have at least
  one ground-truth box; detections of a class no image contains are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INTERPOLATIONS = ("voc11", "all", "coco101")


def box_area(boxes: np.ndarray) -> np.ndarray:
    """Areas of (N, 4) boxes ``(x_min, y_min, x_max, y_max)``; negative extents count as 0."""
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    return np.maximum(boxes[:, 2] - boxes[:, 0], 0.0) * np.maximum(boxes[:, 3] - boxes[:, 1], 0.0)


def box_iou(boxes_a: np.ndarray, boxes_b: np.ndarray) -> np.ndarray:
    """Pairwise IoU |A ∩ B| / |A ∪ B| (course eq. 10).

    Args:
        boxes_a: (N, 4) and boxes_b: (M, 4), each ``(x_min, y_min, x_max, y_max)``.
    Returns:
        (N, M) float64; 0 where the union is empty (a box of zero area overlaps nothing).
    """
    a = np.asarray(boxes_a, dtype=np.float64).reshape(-1, 4)
    b = np.asarray(boxes_b, dtype=np.float64).reshape(-1, 4)
    x0 = np.maximum(a[:, None, 0], b[None, :, 0])
    y0 = np.maximum(a[:, None, 1], b[None, :, 1])
    x1 = np.minimum(a[:, None, 2], b[None, :, 2])
    y1 = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.maximum(x1 - x0, 0.0) * np.maximum(y1 - y0, 0.0)
    union = box_area(a)[:, None] + box_area(b)[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = np.where(union > 0, inter / np.where(union > 0, union, 1.0), 0.0)
    return iou


def nms(boxes: np.ndarray, scores: np.ndarray, max_output_size: int, iou_threshold: float = 0.5,
        score_threshold: float = float("-inf")) -> np.ndarray:
    """Greedy non-maximum suppression, with the rules of ``tf.image.non_max_suppression``.

    Candidates are boxes whose score is strictly above ``score_threshold`` (compared in the
    scores' floating-point type), taken in
    descending score (equal scores: lower index first). A candidate is dropped when
    its IoU with an already selected box is strictly above ``iou_threshold``
    (IoU equal to the threshold keeps it); selection stops at ``max_output_size`` boxes.

    Args:
        boxes: (N, 4) ``(x_min, y_min, x_max, y_max)``; scores: (N,).
        max_output_size: at most this many indices are returned.
        iou_threshold, score_threshold: as above.
    Returns:
        int64 indices into ``boxes`` of the kept boxes, in the order selected (descending score).
    """
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    scores = np.asarray(scores).reshape(-1)
    if not np.issubdtype(scores.dtype, np.floating):
        scores = scores.astype(np.float64)
    order = np.argsort(-scores, kind="stable")
    # compared in the scores' own precision, as TensorFlow does (0.2 as float32 is not above float32(0.2))
    order = order[scores[order] > scores.dtype.type(score_threshold)]
    keep: list[int] = []
    if max_output_size <= 0 or len(order) == 0:
        return np.zeros(0, np.int64)
    iou = box_iou(boxes[order], boxes[order])
    alive = np.ones(len(order), bool)
    for pos in range(len(order)):
        if not alive[pos]:
            continue
        keep.append(int(order[pos]))
        if len(keep) == max_output_size:
            break
        alive &= ~(iou[pos] > iou_threshold)
    return np.asarray(keep, np.int64)


def match_detections(gt_boxes: np.ndarray, det_boxes: np.ndarray, det_scores: np.ndarray,
                     iou_threshold: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """TP/FP of one image's detections of one class (greedy by descending score).

    Args:
        gt_boxes: (G, 4); det_boxes: (D, 4); det_scores: (D,).
        iou_threshold: a match needs IoU ≥ this.
    Returns:
        ``(tp, matched)``: tp (D,) bool in the order of ``det_boxes`` (True: a TP);
        matched (D,) int64, the ground-truth index each detection took, −1 for a FP.
    """
    det_scores = np.asarray(det_scores, dtype=np.float64).reshape(-1)
    iou = box_iou(det_boxes, gt_boxes)
    taken = np.zeros(iou.shape[1], bool)
    matched = np.full(len(det_scores), -1, np.int64)
    for d in np.argsort(-det_scores, kind="stable"):
        if iou.shape[1] == 0:
            break
        candidates = np.where(taken, -1.0, iou[d])
        g = int(np.argmax(candidates))
        if candidates[g] >= iou_threshold:
            taken[g] = True
            matched[d] = g
    return matched >= 0, matched


def precision_recall(tp_ranked: np.ndarray, n_ground_truth: int) -> tuple[np.ndarray, np.ndarray]:
    """Precision and recall after each ranked detection.

    Args:
        tp_ranked: (D,) bool, TP flags in descending score.
        n_ground_truth: ground-truth boxes of the class (> 0).
    Returns:
        ``(precision, recall)``, each (D,) float64: TP/(TP+FP) and TP/n_ground_truth so far.
    """
    tp = np.cumsum(np.asarray(tp_ranked, dtype=np.float64))
    fp = np.cumsum(1.0 - np.asarray(tp_ranked, dtype=np.float64))
    precision = tp / np.maximum(tp + fp, np.finfo(np.float64).tiny)
    return precision, tp / float(n_ground_truth)


def interpolated_precision(precision: np.ndarray) -> np.ndarray:
    """p_interp at each ranked detection: the maximum precision at this or any later (higher-recall) point."""
    precision = np.asarray(precision, dtype=np.float64)
    return np.maximum.accumulate(precision[::-1])[::-1] if len(precision) else precision


def recall_points(interpolation: str) -> np.ndarray | None:
    """The recall points of an interpolation: i/10 (voc11), i/100 (coco101), None for all points."""
    if interpolation == "voc11":
        return np.arange(11) / 10.0
    if interpolation == "coco101":
        return np.arange(101) / 100.0
    if interpolation == "all":
        return None
    raise ValueError(f"interpolation must be one of {', '.join(INTERPOLATIONS)}, Received: interpolation={interpolation!r}")


def average_precision(precision: np.ndarray, recall: np.ndarray, interpolation: str = "all") -> float:
    """AP of one class from its ranked precision and recall (course eq. 11, discretised).

    Args:
        precision, recall: (D,) as from ``precision_recall`` (recall non-decreasing).
        interpolation: ``"voc11"``, ``"all"`` or ``"coco101"`` (see the module docstring).
    Returns:
        AP in [0, 1]; 0 when there are no detections.
    """
    points = recall_points(interpolation)
    precision = np.asarray(precision, dtype=np.float64)
    recall = np.asarray(recall, dtype=np.float64)
    if len(precision) == 0:
        return 0.0
    envelope = interpolated_precision(precision)
    if points is None:
        steps = np.diff(np.concatenate([[0.0], recall]))
        return float(np.sum(steps * envelope))
    first = np.searchsorted(recall, points, side="left")  # first ranked point with recall ≥ r
    values = np.where(first < len(recall), envelope[np.minimum(first, len(recall) - 1)], 0.0)
    return float(np.mean(values))


@dataclass
class ClassEvaluation:
    """One class over all images: ranked scores, TP flags, ground-truth count, precision, recall."""

    label: int
    scores: np.ndarray
    tp: np.ndarray
    n_ground_truth: int
    precision: np.ndarray
    recall: np.ndarray


def evaluate_class(label: int, ground_truths, detections, iou_threshold: float = 0.5) -> ClassEvaluation:
    """Match one class's detections image by image and rank them over all images.

    Args:
        label: the class.
        ground_truths, detections: per image dicts with ``boxes``, ``labels`` (and ``scores``), as numpy arrays.
        iou_threshold: a match needs IoU ≥ this.
    Returns:
        a ``ClassEvaluation`` (precision and recall empty when the class has no detections).
    """
    all_scores, all_tp, n_gt = [], [], 0
    for gt, det in zip(ground_truths, detections):
        g = gt["boxes"][gt["labels"] == label]
        keep = det["labels"] == label
        n_gt += len(g)
        if not np.any(keep):
            continue
        scores = det["scores"][keep]
        order = np.argsort(-scores, kind="stable")
        tp, _ = match_detections(g, det["boxes"][keep][order], scores[order], iou_threshold)
        all_scores.append(scores[order])
        all_tp.append(tp)
    scores = np.concatenate(all_scores) if all_scores else np.zeros(0)
    tp = np.concatenate(all_tp) if all_tp else np.zeros(0, bool)
    rank = np.argsort(-scores, kind="stable")
    scores, tp = scores[rank], tp[rank]
    if n_gt > 0:
        precision, recall = precision_recall(tp, n_gt)
    else:
        precision = recall = np.zeros(0)
    return ClassEvaluation(int(label), scores, tp, n_gt, precision, recall)


def evaluate(ground_truths, detections, iou_threshold: float = 0.5) -> dict[int, ClassEvaluation]:
    """``evaluate_class`` for every label that has at least one ground-truth box, in increasing label order."""
    labels = sorted({int(l) for gt in ground_truths for l in np.asarray(gt["labels"]).reshape(-1)})
    return {l: evaluate_class(l, ground_truths, detections, iou_threshold) for l in labels}


def mean_ap_unchecked(ground_truths, detections, iou_threshold: float = 0.5, interpolation: str = "all") -> dict:
    """mAP = (1/N) Σ AP(C_i) over the N classes with ground truth (course eq. 12), on checked numpy input.

    Args:
        ground_truths: per image ``{"boxes": (n, 4) float, "labels": (n,) int}``.
        detections: per image the same plus ``"scores": (n,) float``.
        iou_threshold: a match needs IoU ≥ this; interpolation: see ``average_precision``.
    Returns:
        ``{"mAP": float, "AP": {label: float}}``; the public ``dl_exercises.detection`` checks the input first.
    """
    recall_points(interpolation)
    per_class = evaluate(ground_truths, detections, iou_threshold)
    ap = {l: average_precision(e.precision, e.recall, interpolation) for l, e in per_class.items()}
    return {"mAP": float(np.mean(list(ap.values()))) if ap else float("nan"), "AP": ap}
