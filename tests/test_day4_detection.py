"""Day 4 object detection (Day4 Section6 物体検知): IoU, NMS, AP/mAP, SSD's boxes and loss, the shapes data, day4.ssd's target.

Independent references: ``tf.image.non_max_suppression`` (NMS, to exact indices), pycocotools'
COCOeval configured by this file's own glue (AP, to 1e-12), the SSD paper's 8,732 default boxes
of SSD300, and hand-computed numbers. The quick target of day4.ssd (mAP@0.5 ≥ 0.8 on held-out
shapes_detection images) runs as a slow test at seeds 0, 1 and 2.
"""

from __future__ import annotations

import contextlib
import copy
import io

import numpy as np
import pytest

from dl_exercises.detection import DetectionInputError, cocoeval_average_precision, mean_average_precision
from dl_exercises.errors import EXIT_USAGE, UsageError
from dl_exercises.scratch import ssd_boxes as sb
from dl_exercises.scratch.box_metrics import average_precision, box_iou, match_detections, nms, precision_recall

# --- IoU (eq. 10) ------------------------------------------------------------------------------


def test_iou_hand_cases_continuous_coordinates():
    a = np.array([[0, 0, 2, 1], [0, 0, 4, 4], [0, 0, 1, 1], [0, 0, 2, 2]], float)
    b = np.array([[1, 0, 3, 1], [1, 1, 3, 3], [1, 0, 2, 1], [0, 0, 2, 2]], float)
    iou = np.diag(box_iou(a, b))
    # half-overlapping strips 1/3; a box inside another 4/16; boxes that only touch 0; the same box 1
    np.testing.assert_allclose(iou, [1 / 3, 0.25, 0.0, 1.0], rtol=0, atol=1e-15)
    assert box_iou([[0, 0, 0, 5]], [[0, 0, 0, 5]])[0, 0] == 0.0  # no area: no overlap, no division by zero
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 10, (20, 2))
    boxes = np.c_[x, x + rng.uniform(0.1, 5, (20, 2))]
    m = box_iou(boxes, boxes[::-1])
    np.testing.assert_allclose(m, box_iou(boxes[::-1], boxes).T, atol=1e-15)
    assert m.min() >= 0 and m.max() <= 1


# --- NMS vs tf.image.non_max_suppression -----------------------------------------------------


def _tf_nms(boxes, scores, max_out, iou_threshold, score_threshold=float("-inf")):
    import tensorflow as tf

    yxyx = np.asarray(boxes, np.float32)[:, [1, 0, 3, 2]]
    return tf.image.non_max_suppression(yxyx, np.asarray(scores, np.float32), max_out, iou_threshold,
                                        score_threshold).numpy()


def test_nms_keeps_a_box_whose_iou_equals_the_threshold_as_tf_does():
    boxes = np.array([[0, 0, 2, 1], [0, 0, 1, 1]], np.float32)  # IoU exactly 0.5
    scores = np.array([0.9, 0.8], np.float32)
    for threshold, kept in ((0.5, [0, 1]), (0.49, [0])):
        assert nms(boxes, scores, 10, threshold).tolist() == kept
        assert _tf_nms(boxes, scores, 10, threshold).tolist() == kept


@pytest.mark.parametrize("case", range(40))
def test_nms_equals_tf_image_non_max_suppression(case):
    rng = np.random.default_rng(case)
    n = int(rng.integers(1, 40))
    if case % 2:  # integer grid: exact areas, many IoUs equal to the thresholds, tied scores
        x = rng.integers(0, 8, (n, 2)).astype(np.float32)
        boxes = np.c_[x, x + rng.integers(1, 5, (n, 2))].astype(np.float32)
        scores = rng.choice([0.2, 0.5, 0.9], n).astype(np.float32)
    else:
        x = rng.uniform(0, 30, (n, 2))
        boxes = np.c_[x, x + rng.uniform(1, 15, (n, 2))].astype(np.float32)
        scores = rng.random(n).astype(np.float32)
    threshold = float(rng.choice([0.25, 0.5, 1 / 3, 0.7]))
    score_threshold = float(rng.choice([float("-inf"), 0.2, 0.5]))
    max_out = int(rng.integers(1, n + 2))
    ours = nms(boxes, scores, max_out, threshold, score_threshold)
    theirs = _tf_nms(boxes, scores, max_out, threshold, score_threshold)
    assert ours.tolist() == theirs.tolist()


# --- matching, precision–recall, AP ----------------------------------------------------------

# The course's setting as in day4.detection_metrics after NMS: confidences 0.92 … 0.30, TP FP TP FP TP FP
EXAMPLE_TP = np.array([True, False, True, False, True, False])


def test_worked_example_precision_recall_and_ap_by_hand():
    precision, recall = precision_recall(EXAMPLE_TP, 3)
    np.testing.assert_allclose(precision, [1, 1 / 2, 2 / 3, 1 / 2, 3 / 5, 1 / 2])
    np.testing.assert_allclose(recall, [1 / 3, 1 / 3, 2 / 3, 2 / 3, 1, 1])
    # p_interp is 1 up to recall 1/3, 2/3 up to 2/3, 3/5 up to 1
    assert average_precision(precision, recall, "all") == pytest.approx((1 + 2 / 3 + 3 / 5) / 3, abs=1e-15)
    assert average_precision(precision, recall, "voc11") == pytest.approx((4 * 1 + 3 * 2 / 3 + 4 * 3 / 5) / 11, abs=1e-15)
    assert average_precision(precision, recall, "coco101") == pytest.approx((34 + 33 * 2 / 3 + 34 * 3 / 5) / 101, abs=1e-15)


def test_exercise_shows_the_worked_example():
    from dl_exercises import run

    result = run("day4.detection_metrics", budget="smoke", seed=0)
    assert result.metrics["nms_equals_tf"].value == 1.0
    assert result.metrics["example_precision"].value == 0.5  # c1 TP, c3 FP, c4 TP, c5 FP above t1 = 0.5
    assert result.metrics["example_recall"].value == pytest.approx(2 / 3)
    ap_table = next(t for t in result.tables if t.title.startswith("The same boxes"))
    assert dict(ap_table.rows) == {"voc11": round(8.4 / 11, 4), "all": round((1 + 2 / 3 + 3 / 5) / 3, 4),
                                   "coco101": round(76.4 / 101, 4)}
    cls = next(t for t in result.tables if t.title.startswith("AP at IoU"))
    assert cls.rows[-1][3] == cls.rows[-1][4]  # coco101 mAP equals the COCOeval column


def _gt(boxes, labels):
    return {"boxes": np.asarray(boxes, float).reshape(-1, 4), "labels": np.asarray(labels, int)}


def _det(boxes, labels, scores):
    return {**_gt(boxes, labels), "scores": np.asarray(scores, float)}


def test_map_hand_cases():
    box = [0, 0, 10, 10]
    perfect = mean_average_precision([_gt([box], [1])], [_det([box], [1], [0.3])])
    assert perfect == {"mAP": 1.0, "AP": {1: 1.0}}
    # a duplicate of a matched box is a FP, ranked below the TP: AP stays 1
    dup = mean_average_precision([_gt([box], [1])], [_det([box, box], [1, 1], [0.9, 0.8])], interpolation="voc11")
    assert dup["AP"][1] == 1.0
    # ... but ranked above it, precision at recall 1 is 1/2
    first = mean_average_precision([_gt([box], [1])], [_det([[20, 20, 30, 30], box], [1, 1], [0.9, 0.8])])
    assert first["AP"][1] == 0.5
    # IoU exactly at the threshold is a match (≥); a class with no detection has AP 0; mAP over both (eq. 12)
    two = [_gt([[0, 0, 2, 1], [5, 5, 6, 6]], [0, 1])]
    at = mean_average_precision(two, [_det([[0, 0, 1, 1]], [0], [0.5])], iou_threshold=0.5)
    assert at == {"mAP": 0.5, "AP": {0: 1.0, 1: 0.0}}
    assert mean_average_precision(two, [_det([[0, 0, 1, 1]], [0], [0.5])], iou_threshold=0.51)["AP"][0] == 0.0
    # a label seen only among detections does not enter the mean
    assert mean_average_precision([_gt([box], [1])], [_det([box, box], [1, 7], [0.9, 0.95])]) == {"mAP": 1.0, "AP": {1: 1.0}}


def test_greedy_matching_takes_the_best_unmatched_ground_truth_in_score_order():
    gts = np.array([[0, 0, 10, 10], [6, 0, 16, 10]], float)
    dets = np.array([[5, 0, 15, 10], [1, 0, 11, 10], [0, 0, 10, 10]], float)
    tp, matched = match_detections(gts, dets, [0.9, 0.8, 0.7], 0.5)
    # 0.9 overlaps GT1 most (IoU 9/11); 0.8 then takes GT0 (9/11); 0.7 finds GT0 taken and GT1 at IoU 4/16: FP
    assert matched.tolist() == [1, 0, -1] and tp.tolist() == [True, True, False]


def test_ranking_spans_images():
    gts = [_gt([[0, 0, 1, 1]], [0]), _gt([[0, 0, 1, 1]], [0])]
    dets = [_det([[0, 0, 1, 1], [5, 5, 6, 6]], [0, 0], [0.9, 0.3]), _det([[0, 0, 1, 1]], [0], [0.5])]
    # ranked TP (0.9), TP (0.5), FP (0.3): AP 1 whatever the interpolation
    for name in ("voc11", "all", "coco101"):
        assert mean_average_precision(gts, dets, interpolation=name)["mAP"] == 1.0


# --- cross-check with pycocotools' COCOeval ---------------------------------------------------


def _coco_reference(gts, dets, iou_threshold, recall_points, cat_ids=None):
    """This test's own COCOeval set-up: one IoU threshold, one all-covering area range, no detection limit."""
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    images, anns, res = [], [], []
    for i, (g, d) in enumerate(zip(gts, dets), start=1):
        images.append({"id": i, "width": 100, "height": 100})
        for b, label in zip(g["boxes"], g["labels"]):
            w, h = b[2] - b[0], b[3] - b[1]
            anns.append({"id": len(anns) + 1, "image_id": i, "category_id": int(label), "bbox": [b[0], b[1], w, h],
                         "area": w * h, "iscrowd": 0})
        for b, label, s in zip(d["boxes"], d["labels"], d["scores"]):
            res.append({"image_id": i, "category_id": int(label), "bbox": [b[0], b[1], b[2] - b[0], b[3] - b[1]],
                        "score": float(s)})
    cats = sorted({a["category_id"] for a in anns} | {r["category_id"] for r in res})
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO()
        coco_gt.dataset = {"images": images, "annotations": anns, "categories": [{"id": c} for c in cats]}
        coco_gt.createIndex()
        ev = COCOeval(coco_gt, coco_gt.loadRes(res), "bbox")
        if cat_ids is not None:
            ev.params.catIds = cat_ids
        ev.params.iouThrs = np.array([iou_threshold])
        ev.params.recThrs = np.asarray(recall_points, float)
        ev.params.areaRng, ev.params.areaRngLbl, ev.params.maxDets = [[0, 1e12]], ["all"], [10**6]
        ev.evaluate()
        ev.accumulate()
    precision = ev.eval["precision"][0, :, :, 0, 0]
    return {c: float(precision[:, k].mean()) for k, c in enumerate(ev.params.catIds) if precision[0, k] > -1}


def _random_case(rng, n_images=6, n_classes=3):
    gts, dets = [], []
    for _ in range(n_images):
        ng, nd = int(rng.integers(0, 5)), int(rng.integers(0, 8))
        xy = rng.uniform(0, 60, (ng, 2))
        gb = np.c_[xy, xy + rng.uniform(5, 30, (ng, 2))]
        gl = rng.integers(0, n_classes, ng)
        xy = rng.uniform(0, 60, (nd, 2))
        db = np.c_[xy, xy + rng.uniform(5, 30, (nd, 2))]
        src = rng.integers(0, max(ng, 1), nd)
        dl = rng.integers(0, n_classes, nd)
        if ng:  # most detections are noisy copies of a ground truth, mostly with its label
            near = rng.random(nd) < 0.7
            db[near] = gb[src[near]] + rng.normal(0, 3, (int(near.sum()), 4))
            db[:, 2:] = np.maximum(db[:, 2:], db[:, :2] + 0.5)
            dl = np.where(rng.random(nd) < 0.85, gl[src], dl)
        gts.append(_gt(gb, gl))
        dets.append(_det(db, dl, rng.random(nd)))
    return gts, dets


@pytest.mark.parametrize("case", range(60))
def test_map_equals_cocoeval_at_one_iou_threshold(case):
    rng = np.random.default_rng(1000 + case)
    gts, dets = _random_case(rng)
    if not any(len(g["labels"]) for g in gts) or not any(len(d["labels"]) for d in dets):
        gts[0], dets[0] = _gt([[0, 0, 5, 5]], [0]), _det([[0, 0, 5, 4]], [0], [0.5])
    threshold = float(rng.choice([0.3, 0.5, 0.75]))
    for name, points in (("voc11", np.arange(11) / 10), ("coco101", np.arange(101) / 100)):
        ours = mean_average_precision(gts, dets, threshold, name)
        reference = _coco_reference(gts, dets, threshold, points)
        assert set(ours["AP"]) == set(reference)
        for label, ap in reference.items():
            assert ours["AP"][label] == pytest.approx(ap, abs=1e-12)
        assert ours["mAP"] == pytest.approx(np.mean(list(reference.values())), abs=1e-12)
        package = cocoeval_average_precision(gts, dets, threshold, name)
        assert package == pytest.approx(reference, abs=1e-12)
    # all points: the step curve changes only at recall k/n_c, so COCOeval at exactly those points is the area
    ours = mean_average_precision(gts, dets, threshold, "all")
    for label, ap in ours["AP"].items():
        n = sum(int(np.sum(g["labels"] == label)) for g in gts)
        assert ap == pytest.approx(_coco_reference(gts, dets, threshold, np.arange(1, n + 1) / n, [label])[label], abs=1e-12)
    assert cocoeval_average_precision(gts, dets, threshold, "all") == pytest.approx(ours["AP"], abs=1e-12)


def test_cocoeval_default_recall_points_differ_at_exact_decimals():
    """COCOeval's np.linspace points put 0.35 at 0.35000000000000003: a recall of exactly 7/20 misses it."""
    gt = np.array([[10 * i, 0, 10 * i + 8, 8] for i in range(20)], float)
    fp = np.array([[300 + 10 * i, 50, 308 + 10 * i, 58] for i in range(3)], float)
    boxes = np.concatenate([gt[:7], fp, gt[7:]])
    gts = [_gt(gt, np.zeros(20))]
    dets = [_det(boxes, np.zeros(len(boxes)), np.linspace(1, 0.1, len(boxes)))]
    ours = mean_average_precision(gts, dets, 0.5, "coco101")["mAP"]
    exact = _coco_reference(gts, dets, 0.5, np.arange(101) / 100)[0]
    linspace = _coco_reference(gts, dets, 0.5, np.linspace(0.0, 1.0, 101))[0]
    assert ours == pytest.approx(exact, abs=1e-15)
    # recall 7/20 is reached at precision 1; just above 0.35 p_interp is the final precision 20/23
    assert ours - linspace == pytest.approx((1.0 - 20 / 23) / 101, abs=1e-12)


# --- bad input: one line, a ValueError (exit 2 in a run), the caller's data untouched ----------


GOOD_GT = [{"boxes": [[0, 0, 10, 10]], "labels": [1]}]
GOOD_DET = [{"boxes": [[0, 0, 10, 9]], "labels": [1], "scores": [0.9]}]


@pytest.mark.parametrize("gts, dets, kwargs, words", [
    ([{"boxes": [[5, 0, 3, 10]], "labels": [1]}], GOOD_DET, {}, "ground_truths[0]['boxes'][0] has x_max < x_min"),
    (GOOD_GT, [{"boxes": [[0, 9, 10, 2]], "labels": [1], "scores": [0.9]}], {}, "detections[0]['boxes'][0] has y_max < y_min"),
    ([{"boxes": [[0, 0, 10, 10]], "labels": [1, 2]}], GOOD_DET, {}, "1 boxes but 2 labels"),
    (GOOD_GT, [{"boxes": [[0, 0, 1, 1]], "labels": [1], "scores": [0.9, 0.1]}], {}, "1 boxes but 2 scores"),
    (GOOD_GT, GOOD_DET * 2, {}, "1 ground-truth entries and 2 detection entries"),
    (GOOD_GT, GOOD_DET, {"iou_threshold": 0.0}, "iou_threshold must be in (0, 1]"),
    (GOOD_GT, GOOD_DET, {"iou_threshold": 1.01}, "iou_threshold must be in (0, 1]"),
    (GOOD_GT, GOOD_DET, {"iou_threshold": float("nan")}, "iou_threshold must be in (0, 1]"),
    (GOOD_GT, GOOD_DET, {"interpolation": "voc12"}, "interpolation must be one of voc11, all, coco101"),
    (GOOD_GT, [{"boxes": [[0, 0, 1, 1]], "labels": [1]}], {}, "lacks 'scores'"),
    ([{"boxes": [[0, 0, 1]], "labels": [1]}], GOOD_DET, {}, "must have shape (n, 4)"),
    ([{"boxes": [[0, 0, 1, 1]], "labels": [1.5]}], GOOD_DET, {}, "must be integers"),
])
def test_bad_input_raises_one_clear_line_and_changes_nothing(gts, dets, kwargs, words):
    before = copy.deepcopy((gts, dets))
    with pytest.raises(DetectionInputError) as info:
        mean_average_precision(gts, dets, **kwargs)
    message = str(info.value)
    assert words in message and "\n" not in message
    assert isinstance(info.value, ValueError) and isinstance(info.value, UsageError)
    assert info.value.exit_code == EXIT_USAGE
    assert repr((gts, dets)) == repr(before)


def test_inputs_are_not_modified_by_a_good_call():
    gts = [{"boxes": np.array([[0.0, 0, 10, 10]]), "labels": np.array([1])}]
    dets = [{"boxes": np.array([[0.0, 0, 10, 9]]), "labels": np.array([1]), "scores": np.array([0.9])}]
    before = copy.deepcopy((gts, dets))
    mean_average_precision(gts, dets, interpolation="coco101")
    for a, b in zip(gts + dets, before[0] + before[1]):
        for key in a:
            np.testing.assert_array_equal(a[key], b[key])


def test_bad_set_exits_2_with_the_allowed_range():
    from typer.testing import CliRunner

    from dl_exercises.cli.app import app

    for args, words in ((["--set", "s_min=0"], "s_min"), (["--set", "nms_iou=1.5"], "nms_iou")):
        result = CliRunner().invoke(app, ["run", "day4.ssd", "--budget", "smoke", *args])
        assert result.exit_code == 2, result.output
        assert words in result.output and "allowed" in result.output
    result = CliRunner().invoke(app, ["run", "day4.detection_metrics", "--set", "iou_threshold=0"])
    assert result.exit_code == 2 and "iou_threshold" in result.output


# --- SSD default boxes, matching, encoding, loss ------------------------------------------------


def test_scales_follow_the_formula():
    np.testing.assert_allclose(sb.scales(6, 0.2, 0.9), [0.2 + 0.7 * (k - 1) / 5 for k in range(1, 8)], atol=1e-15)
    np.testing.assert_allclose(sb.scales(3, 0.2, 0.6), [0.2, 0.4, 0.6, 0.8], atol=1e-15)


def test_default_boxes_against_the_formula():
    sizes, ratios = (4, 2), ((1.0, 2.0, 0.5), (1.0, 3.0))
    boxes = sb.default_boxes(sizes, ratios, 0.3, 0.7)
    s = [0.3, 0.7, 1.1]  # s_3 continues the formula for the last map's extra box
    assert len(boxes) == 4 * 4 * 4 + 2 * 2 * 3
    first = boxes[:4]  # map 1, location (row 0, column 0)
    np.testing.assert_allclose(first[:, :2], 0.125)
    np.testing.assert_allclose(first[:, 2:], [[0.3, 0.3], [np.sqrt(0.3 * 0.7)] * 2,
                                              [0.3 * np.sqrt(2), 0.3 / np.sqrt(2)], [0.3 / np.sqrt(2), 0.3 * np.sqrt(2)]])
    # centres ((i + 0.5)/f, (j + 0.5)/f), row by row: the box at row 1, column 2 of map 1
    np.testing.assert_allclose(boxes[(1 * 4 + 2) * 4, :2], [(2 + 0.5) / 4, (1 + 0.5) / 4])
    last = boxes[-3:]  # map 2, row 1, column 1
    np.testing.assert_allclose(last[:, :2], 0.75)
    np.testing.assert_allclose(last[:, 2:], [[0.7, 0.7], [np.sqrt(0.7 * s[2])] * 2, [0.7 * np.sqrt(3), 0.7 / np.sqrt(3)]])


def test_ssd300_has_8732_default_boxes():
    """The SSD paper's count: maps 38, 19, 10, 5, 3, 1 with 4, 6, 6, 6, 4, 4 boxes per location."""
    four, six = (1.0, 2.0, 0.5), (1.0, 2.0, 0.5, 3.0, 1 / 3)
    ratios = (four, six, six, six, four, four)
    assert [sb.boxes_per_location(r) for r in ratios] == [4, 6, 6, 6, 4, 4]
    assert len(sb.default_boxes((38, 19, 10, 5, 3, 1), ratios, 0.2, 0.9)) == 8732


def test_tiny_ssd_predicts_one_row_per_default_box():
    from dl_exercises.nn.ssd import feature_sizes, tiny_ssd

    model = tiny_ssd((64, 64, 3), 3, (4, 4, 4), 8, name="t")
    defaults = sb.default_boxes(feature_sizes(64), ((1.0, 2.0, 0.5),), 0.2, 0.6)
    assert [tuple(o.shape[1:]) for o in model.outputs] == [(len(defaults), 4), (len(defaults), 4)]
    assert all(layer.name.startswith("t_") for layer in model.layers)


def test_matching_best_match_then_threshold():
    defaults = sb.corners_to_centre(np.array([[0, 0, 0.5, 0.5], [0, 0, 0.4, 0.5], [0.5, 0.5, 1, 1], [0, 0, 0.2, 0.2]]))
    gt = np.array([[0, 0, 0.5, 0.5], [0.6, 0.6, 0.8, 0.8]])
    # GT0: IoU 1 with box 0 and 0.8 with box 1; GT1: best box 2 at IoU 0.16, matched only because it is its best
    assert sb.match(defaults, gt, 0.5).tolist() == [0, 0, 1, -1]
    assert sb.match(defaults, np.zeros((0, 4))).tolist() == [-1, -1, -1, -1]


def test_encode_decode_round_trip():
    rng = np.random.default_rng(3)
    defaults = np.c_[rng.uniform(0.1, 0.9, (50, 2)), rng.uniform(0.05, 0.8, (50, 2))]
    xy = rng.uniform(0, 0.6, (50, 2))
    boxes = np.c_[xy, xy + rng.uniform(0.02, 0.4, (50, 2))]
    np.testing.assert_allclose(sb.decode(sb.encode(boxes, defaults), defaults), boxes, atol=1e-12)
    np.testing.assert_allclose(sb.encode(sb.centre_to_corners(defaults), defaults), 0, atol=1e-12)
    t = sb.encode(np.array([[0.2, 0.2, 0.6, 0.4]]), np.array([[0.35, 0.3, 0.2, 0.2]]))
    np.testing.assert_allclose(t, [[(0.4 - 0.35) / (0.1 * 0.2), 0, np.log(2) / 0.2, 0]], atol=1e-12)


def _loss_case():
    """One image, five default boxes, classes background / a / b; box 0 is an object of class a."""
    logits = np.zeros((1, 5, 3))
    logits[0, 1:, 0] = [-2.0, 1.0, 0.0, -1.0]  # background logits of the four negatives
    classes = np.array([[1, 0, 0, 0, 0]])
    pred = np.zeros((1, 5, 4))
    pred[0, 0] = [0.5, -2.0, 0.0, 1.0]
    pred[0, 1] = [9.0, 9.0, 9.0, 9.0]  # offsets of a negative do not count
    return logits, pred, classes, np.zeros((1, 5, 4))


def _bg_loss(z):
    return -(z - np.log(np.exp(z) + 2.0))  # −log softmax of the background when the other two logits are 0


def test_ssd_loss_parts_by_hand_numpy_and_keras():
    from dl_exercises.nn.ssd import ssd_loss

    logits, pred, classes, targets = _loss_case()
    loc = 0.5 * 0.5**2 + (2.0 - 0.5) + 0.0 + (1.0 - 0.5)  # smooth-L1: quadratic below 1, linear above
    # three hardest negatives of four: background logits −2, −1, 0 (the one at +1 is easiest)
    conf = np.log(3.0) + _bg_loss(-2.0) + _bg_loss(-1.0) + _bg_loss(0.0)
    ours = sb.ssd_loss(logits, pred, classes, targets)
    assert ours["loc"] == pytest.approx(loc, abs=1e-12) and ours["conf"] == pytest.approx(conf, abs=1e-12)
    assert ours["loss"] == pytest.approx(conf + loc, abs=1e-12) and ours["n_pos"] == 1
    total, k_loc, k_conf = (float(v) for v in ssd_loss(logits.astype(np.float32), pred.astype(np.float32),
                                                       classes, targets.astype(np.float32)))
    assert (k_loc, k_conf, total) == pytest.approx((loc, conf, conf + loc), abs=1e-5)
    # α weighs the localisation part; ratio 1 keeps one negative, the hardest
    assert sb.ssd_loss(logits, pred, classes, targets, alpha=2.0)["loss"] == pytest.approx(conf + 2 * loc)
    assert sb.ssd_loss(logits, pred, classes, targets, neg_pos_ratio=1.0)["conf"] == pytest.approx(np.log(3) + _bg_loss(-2.0))


def test_hard_negatives_per_image_and_capped_by_what_there_is():
    loss = np.array([[5.0, 1.0, 3.0, 2.0], [0.1, 0.4, 0.3, 0.2]])
    positive = np.array([[True, False, False, False], [True, True, False, False]])
    chosen = sb.hard_negatives(loss, positive, 1.0)
    assert chosen.tolist() == [[False, False, True, False], [False, False, True, True]]
    assert sb.hard_negatives(loss, positive, 3.0).sum(1).tolist() == [3, 2]  # 3·1 of 3, and min(3·2, 2)


def test_keras_loss_equals_numpy_loss_on_random_batches():
    from dl_exercises.nn.ssd import ssd_loss

    rng = np.random.default_rng(5)
    logits = rng.normal(size=(4, 60, 4)).astype(np.float32)
    pred = rng.normal(size=(4, 60, 4)).astype(np.float32) * 2
    classes = np.where(rng.random((4, 60)) < 0.1, rng.integers(1, 4, (4, 60)), 0)
    classes[:, 0] = 2
    targets = rng.normal(size=(4, 60, 4)).astype(np.float32)
    ref = sb.ssd_loss(logits, pred, classes, targets)
    total, loc, conf = (float(v) for v in ssd_loss(logits, pred, classes, targets))
    assert (total, loc, conf) == pytest.approx((ref["loss"], ref["loc"], ref["conf"]), rel=1e-5)


def test_detect_recovers_a_perfectly_predicted_box():
    defaults = sb.default_boxes((4,), ((1.0,),), 0.3, 0.6)
    box = np.array([[16.0, 8.0, 40.0, 30.0]])
    probs = np.full((len(defaults), 3), [0.98, 0.01, 0.01])
    probs[5] = [0.05, 0.05, 0.9]
    offsets = np.zeros((len(defaults), 4))
    offsets[5] = sb.encode(box / 64, defaults[5:6])[0]
    out = sb.detect(probs, offsets, defaults, 64, score_threshold=0.5)
    assert out["labels"].tolist() == [1] and out["scores"].tolist() == [pytest.approx(0.9)]
    np.testing.assert_allclose(out["boxes"], box, atol=1e-4)


# --- the generated data --------------------------------------------------------------------------


def test_shapes_detection_is_seeded_tight_and_registered():
    from dl_exercises import datasets
    from dl_exercises.datasets.shapes import load_detection, load_segmentation

    a, b = load_detection(seed=4, n_train=40, n_test=10), load_detection(seed=4, n_train=40, n_test=10)
    np.testing.assert_array_equal(a.x_test, b.x_test)
    assert not np.array_equal(a.x_train[:10], load_detection(seed=5, n_train=40, n_test=10).x_train[:10])
    assert not np.array_equal(a.x_train[:10], a.x_test)
    assert a.x_train.shape == (40, 64, 64, 3) and a.x_train.dtype == np.float32
    assert 0.0 <= a.x_train.min() and a.x_train.max() <= 1.0
    # the same draws as the segmentation set: each box is the tight box of its shape's pixels
    seg = load_segmentation(seed=4, n_train=40, n_test=10, image_size=64, min_size=10, max_size=28)
    widths = []
    for target, mask in zip(a.y_train, seg.y_train):
        assert 1 <= len(target["labels"]) <= 3 and set(target["labels"]) <= {0, 1, 2}
        for (x0, y0, x1, y1), label in zip(target["boxes"].astype(int), target["labels"]):
            inside = mask[y0:y1, x0:x1] == label + 1
            assert inside[0].any() and inside[-1].any() and inside[:, 0].any() and inside[:, -1].any()
            widths.append(x1 - x0)
        assert (mask > 0).sum() == sum((mask[y0:y1, x0:x1] > 0).sum() for x0, y0, x1, y1 in target["boxes"].astype(int))
    assert min(widths) <= 14 and max(widths) >= 22  # several sizes
    assert {"shapes_detection", "shapes_segmentation"} <= set(datasets.DATASETS.names())


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ssd_quick_target(seed):
    from dl_exercises import run

    result = run("day4.ssd", budget="quick", seed=seed)
    assert result.status == "ok", result.targets
    assert result.metrics["mAP_50"].value >= 0.8
