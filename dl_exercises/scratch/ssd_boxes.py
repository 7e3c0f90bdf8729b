"""SSD's default boxes, matching, box encoding and loss, from scratch (Day4 Section6 物体検知, SSD: Single Shot Detector).

Pure numpy. Coordinates are relative to the image (0 … 1). Default boxes are
kept in centre form ``(cx, cy, w, h)``; ground truths and detections in
corner form ``(x_min, y_min, x_max, y_max)`` as everywhere in dlx.

- **Scales** (Liu et al. 2016, eq. 4): s_k = s_min + (s_max − s_min)(k − 1)/(m − 1),
  k = 1 … m; s_{m+1} (needed by the last map's extra box) continues the same formula.
- **Boxes per location**: for each aspect ratio a, a box w = s_k√a, h = s_k/√a;
  when a = 1 is among the ratios, one more square box of side s'_k = √(s_k·s_{k+1}).
  A map f_k × f_k with r ratios holds f_k²·(r + 1) boxes (r + 1 when 1 is a ratio).
- **Centres** ((i + 0.5)/f_k, (j + 0.5)/f_k), i the column and j the row; boxes are listed
  row by row, column by column, ratio by ratio, the order a (f, f, boxes·channels) head reshapes to.
- **Matching**: every ground truth takes its best default box, then every other default box
  whose best IoU with a ground truth is ≥ 0.5 is matched to that ground truth.
- **Encoding** with variances (0.1, 0.2): ((g_cx − d_cx)/(0.1·d_w), (g_cy − d_cy)/(0.1·d_h),
  log(g_w/d_w)/0.2, log(g_h/d_h)/0.2); ``decode`` inverts it.
- **Loss**: L = (L_conf + α·L_loc)/N with N the matched boxes: L_loc the smooth-L1 of the
  offsets of matched boxes, L_conf the softmax cross-entropy of matched boxes and of the
  hardest negatives, at most 3 per positive in each image (hard negative mining).
"""

from __future__ import annotations

import numpy as np

from .box_metrics import box_iou, nms

VARIANCES = (0.1, 0.2)


def scales(m: int, s_min: float = 0.2, s_max: float = 0.9) -> np.ndarray:
    """s_1 … s_{m+1}: s_k = s_min + (s_max − s_min)(k − 1)/(m − 1) (one map: s_1 = s_min, s_2 = s_max).

    Args:
        m: number of feature maps; s_min, s_max: the scales of the first and the m-th map.
    Returns:
        (m + 1,) float64.
    """
    if m < 1:
        raise ValueError(f"scales: need at least one feature map, Received: m={m}")
    if m == 1:
        return np.array([s_min, s_max], np.float64)
    k = np.arange(1, m + 2)
    return s_min + (s_max - s_min) * (k - 1) / (m - 1)


def boxes_per_location(aspect_ratios) -> int:
    """Default boxes at one location: one per ratio, plus the extra √(s_k·s_{k+1}) box when 1 is a ratio."""
    ratios = [float(a) for a in aspect_ratios]
    return len(ratios) + (1 if 1.0 in ratios else 0)


def default_boxes(feature_sizes, aspect_ratios=((1.0, 2.0, 0.5),), s_min: float = 0.2, s_max: float = 0.9) -> np.ndarray:
    """All default boxes of SSD's feature maps, in centre form.

    Args:
        feature_sizes: f_1 … f_m, each map f_k × f_k.
        aspect_ratios: one tuple of ratios per map (or one tuple for all maps).
        s_min, s_max: see ``scales``.
    Returns:
        (Σ_k f_k²·boxes_per_location_k, 4) float64 ``(cx, cy, w, h)``, map by map.
    """
    sizes = [int(f) for f in feature_sizes]
    ratios = list(aspect_ratios) if len(aspect_ratios) == len(sizes) else [aspect_ratios[0]] * len(sizes)
    s = scales(len(sizes), s_min, s_max)
    out = []
    for k, (f, ratio_k) in enumerate(zip(sizes, ratios)):
        shapes = []
        for a in ratio_k:
            shapes.append((s[k] * np.sqrt(a), s[k] / np.sqrt(a)))
            if float(a) == 1.0:
                extra = np.sqrt(s[k] * s[k + 1])
                shapes.append((extra, extra))
        centres = (np.arange(f) + 0.5) / f
        cy, cx = np.meshgrid(centres, centres, indexing="ij")  # row j → cy, column i → cx
        wh = np.asarray(shapes, np.float64)
        grid = np.stack([cx, cy], -1).reshape(f * f, 1, 2)
        boxes = np.concatenate([np.broadcast_to(grid, (f * f, len(wh), 2)),
                                np.broadcast_to(wh, (f * f, len(wh), 2))], -1)
        out.append(boxes.reshape(-1, 4))
    return np.concatenate(out)


def centre_to_corners(boxes: np.ndarray) -> np.ndarray:
    """``(cx, cy, w, h)`` → ``(x_min, y_min, x_max, y_max)``."""
    b = np.asarray(boxes, np.float64)
    return np.concatenate([b[..., :2] - b[..., 2:] / 2, b[..., :2] + b[..., 2:] / 2], -1)


def corners_to_centre(boxes: np.ndarray) -> np.ndarray:
    """``(x_min, y_min, x_max, y_max)`` → ``(cx, cy, w, h)``."""
    b = np.asarray(boxes, np.float64)
    return np.concatenate([(b[..., :2] + b[..., 2:]) / 2, b[..., 2:] - b[..., :2]], -1)


def match(defaults: np.ndarray, gt_boxes: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """The ground truth each default box is matched to (best match, then IoU ≥ ``threshold``).

    Args:
        defaults: (A, 4) default boxes in centre form; gt_boxes: (G, 4) corners, relative units.
        threshold: IoU from which a default box is matched to its best ground truth.
    Returns:
        (A,) int64: the ground-truth index, −1 for background.
    """
    matched = np.full(len(defaults), -1, np.int64)
    if len(gt_boxes) == 0:
        return matched
    iou = box_iou(gt_boxes, centre_to_corners(defaults))  # (G, A)
    best_gt = np.argmax(iou, axis=0)
    best_iou = iou[best_gt, np.arange(iou.shape[1])]
    matched[best_iou >= threshold] = best_gt[best_iou >= threshold]
    for g in range(len(gt_boxes)):  # each ground truth keeps its best default box, whatever its IoU
        matched[int(np.argmax(iou[g]))] = g
    return matched


def encode(gt_corners: np.ndarray, defaults: np.ndarray, variances=VARIANCES) -> np.ndarray:
    """Offsets of boxes (corners) from default boxes (centre form): see the module docstring.

    Args:
        gt_corners: (A, 4) the box matched to each default box; defaults: (A, 4).
    Returns:
        (A, 4) float64 ``(t_cx, t_cy, t_w, t_h)``.
    """
    g = corners_to_centre(gt_corners)
    d = np.asarray(defaults, np.float64)
    v0, v1 = variances
    return np.concatenate([(g[..., :2] - d[..., :2]) / (v0 * d[..., 2:]), np.log(g[..., 2:] / d[..., 2:]) / v1], -1)


def decode(offsets: np.ndarray, defaults: np.ndarray, variances=VARIANCES) -> np.ndarray:
    """Boxes (corners) from offsets to default boxes; the inverse of ``encode``."""
    t = np.asarray(offsets, np.float64)
    d = np.asarray(defaults, np.float64)
    v0, v1 = variances
    centre = d[..., :2] + t[..., :2] * v0 * d[..., 2:]
    size = d[..., 2:] * np.exp(t[..., 2:] * v1)
    return centre_to_corners(np.concatenate([centre, size], -1))


def training_targets(targets, defaults: np.ndarray, image_size: int, threshold: float = 0.5):
    """Class and offset targets of every default box for a list of images.

    Args:
        targets: per image ``{"boxes": (n, 4) pixels, "labels": (n,) 0 … C − 1}``.
        defaults: (A, 4) centre form, relative; image_size: pixels per side.
        threshold: matching IoU.
    Returns:
        ``(classes int32 (N, A), 0 background, label + 1 otherwise; offsets float32 (N, A, 4), 0 for background)``.
    """
    classes = np.zeros((len(targets), len(defaults)), np.int32)
    offsets = np.zeros((len(targets), len(defaults), 4), np.float32)
    for i, t in enumerate(targets):
        boxes = np.asarray(t["boxes"], np.float64).reshape(-1, 4) / image_size
        matched = match(defaults, boxes, threshold)
        pos = matched >= 0
        classes[i, pos] = np.asarray(t["labels"])[matched[pos]] + 1
        offsets[i, pos] = encode(boxes[matched[pos]], defaults[pos])
    return classes, offsets


def smooth_l1(x: np.ndarray) -> np.ndarray:
    """0.5·x² where |x| < 1, |x| − 0.5 elsewhere."""
    x = np.abs(np.asarray(x, np.float64))
    return np.where(x < 1.0, 0.5 * x * x, x - 0.5)


def hard_negatives(background_loss: np.ndarray, positive: np.ndarray, neg_pos_ratio: float = 3.0) -> np.ndarray:
    """Per image, the negatives of largest confidence loss, at most ``neg_pos_ratio`` per positive.

    Args:
        background_loss: (N, A) cross-entropy of the background class; positive: (N, A) bool.
    Returns:
        (N, A) bool, the chosen negatives (ties: the lower index first).
    """
    loss = np.where(positive, -np.inf, np.asarray(background_loss, np.float64))
    rank = np.argsort(np.argsort(-loss, axis=1, kind="stable"), axis=1, kind="stable")
    n_neg = np.minimum(np.floor(neg_pos_ratio * positive.sum(1)), (~positive).sum(1))
    return (rank < n_neg[:, None]) & ~positive


def ssd_loss(class_logits: np.ndarray, offsets_pred: np.ndarray, classes: np.ndarray, offsets: np.ndarray,
             neg_pos_ratio: float = 3.0, alpha: float = 1.0) -> dict[str, float]:
    """SSD's loss on a batch (module docstring), with its parts.

    Args:
        class_logits: (N, A, C + 1); offsets_pred: (N, A, 4); classes: (N, A) int, 0 background;
        offsets: (N, A, 4) targets. neg_pos_ratio: negatives kept per positive; alpha: weight of L_loc.
    Returns:
        ``{"loss", "loc", "conf", "n_pos"}``: loss = conf + alpha·loc, each part already divided by N = n_pos.
    """
    z = np.asarray(class_logits, np.float64)
    z = z - z.max(-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(-1, keepdims=True))
    classes = np.asarray(classes)
    ce = -np.take_along_axis(log_p, classes[..., None].astype(np.int64), -1)[..., 0]
    positive = classes > 0
    negative = hard_negatives(-log_p[..., 0], positive, neg_pos_ratio)
    n = max(int(positive.sum()), 1)
    loc = float(np.sum(smooth_l1(np.asarray(offsets_pred) - np.asarray(offsets)).sum(-1) * positive)) / n
    conf = float(np.sum(ce * (positive | negative))) / n
    return {"loss": conf + alpha * loc, "loc": loc, "conf": conf, "n_pos": int(positive.sum())}


def detect(class_probs: np.ndarray, offsets_pred: np.ndarray, defaults: np.ndarray, image_size: int,
           score_threshold: float = 0.05, iou_threshold: float = 0.45, top_k: int = 200, max_detections: int = 50):
    """Boxes of one image from SSD's outputs: decode, then per-class NMS.

    Args:
        class_probs: (A, C + 1) softmax outputs, column 0 background; offsets_pred: (A, 4).
        defaults: (A, 4) centre form; image_size: pixels per side (boxes come back in pixels, clipped to the image).
        score_threshold: a class score must exceed this; iou_threshold: NMS; top_k: candidates per class before NMS;
        max_detections: kept per image, highest scores first.
    Returns:
        ``{"boxes": (n, 4) float32 pixels, "labels": (n,) int64 0 … C − 1, "scores": (n,) float32}``.
    """
    boxes = np.clip(decode(offsets_pred, defaults), 0.0, 1.0) * image_size
    out_boxes, out_labels, out_scores = [], [], []
    for c in range(1, class_probs.shape[1]):
        scores = class_probs[:, c]
        cand = np.flatnonzero(scores > score_threshold)
        cand = cand[np.argsort(-scores[cand], kind="stable")[:top_k]]
        keep = cand[nms(boxes[cand], scores[cand], top_k, iou_threshold)]
        out_boxes.append(boxes[keep])
        out_labels.append(np.full(len(keep), c - 1, np.int64))
        out_scores.append(scores[keep])
    boxes = np.concatenate(out_boxes) if out_boxes else np.zeros((0, 4))
    labels = np.concatenate(out_labels) if out_labels else np.zeros(0, np.int64)
    scores = np.concatenate(out_scores) if out_scores else np.zeros(0)
    order = np.argsort(-scores, kind="stable")[:max_detections]
    return {"boxes": boxes[order].astype(np.float32), "labels": labels[order], "scores": scores[order].astype(np.float32)}
