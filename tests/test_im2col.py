"""im2col / col2im against the course's printed example and their defining identities (Day2 Section3)."""

from __future__ import annotations

import numpy as np
import pytest

from dl_exercises.scratch.im2col import col2im, conv_output_size, im2col, im2col_without_transpose

# the course's input and printed col (003 report, "im2col の結果")
COURSE_X = np.array(
    [[[[48, 2, 74, 50], [60, 0, 56, 22], [62, 44, 0, 95], [70, 60, 21, 76]]],
     [[[56, 96, 73, 30], [80, 67, 13, 1], [62, 24, 85, 17], [69, 32, 60, 93]]]], dtype=float)
COURSE_COL = np.array([
    [48, 2, 74, 60, 0, 56, 62, 44, 0], [2, 74, 50, 0, 56, 22, 44, 0, 95],
    [60, 0, 56, 62, 44, 0, 70, 60, 21], [0, 56, 22, 44, 0, 95, 60, 21, 76],
    [56, 96, 73, 80, 67, 13, 62, 24, 85], [96, 73, 30, 67, 13, 1, 24, 85, 17],
    [80, 67, 13, 62, 24, 85, 69, 32, 60], [67, 13, 1, 24, 85, 17, 32, 60, 93]], dtype=float)
# the course's "transpose なし" example
COURSE_X2 = np.array(
    [[[[14, 76, 97, 14], [44, 48, 34, 61], [2, 88, 9, 53], [35, 91, 1, 31]]],
     [[[96, 41, 66, 64], [56, 57, 67, 31], [22, 75, 63, 49], [9, 30, 23, 17]]]], dtype=float)
COURSE_COL2_FIRST_ROWS = np.array([[14, 76, 44, 48, 76, 97, 48, 34, 97], [14, 34, 61, 44, 48, 2, 88, 48, 34]], dtype=float)


def test_course_example_shape_and_values():
    col = im2col(COURSE_X, 3, 3)
    assert col.shape == (8, 9)
    np.testing.assert_array_equal(col, COURSE_COL)


def test_course_example_without_transpose():
    col = im2col_without_transpose(COURSE_X2, 3, 3)
    np.testing.assert_array_equal(col[:2], COURSE_COL2_FIRST_ROWS)


def test_rows_are_patches_with_stride_and_padding():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3, 7, 9))
    stride, pad, fh, fw = 2, 1, 3, 5
    col = im2col(x, fh, fw, stride, pad)
    oh, ow = conv_output_size(7, fh, stride, pad), conv_output_size(9, fw, stride, pad)
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    for n in range(2):
        for i in range(oh):
            for j in range(ow):
                patch = padded[n, :, i * stride : i * stride + fh, j * stride : j * stride + fw]
                np.testing.assert_array_equal(col[n * oh * ow + i * ow + j], patch.reshape(-1))


def test_col2im_is_the_adjoint_of_im2col():
    # <im2col(x), c> == <x, col2im(c)> for all x, c
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 7, 6))
    col = im2col(x, 3, 2, 2, 1)
    c = rng.standard_normal(col.shape)
    lhs = float((col * c).sum())
    rhs = float((x * col2im(c, x.shape, 3, 2, 2, 1)).sum())
    assert lhs == pytest.approx(rhs, rel=1e-12)


@pytest.mark.parametrize(
    "h, f, s, p, expected", [(28, 5, 1, 0, 24), (28, 3, 1, 1, 28), (14, 3, 1, 2, 16), (7, 3, 2, 1, 4), (227, 11, 4, 0, 55)]
)
def test_output_size_formula(h, f, s, p, expected):
    assert conv_output_size(h, f, s, p) == expected == (h + 2 * p - f) // s + 1


@pytest.mark.parametrize("h, f, s, p, message", [(4, 5, 1, 0, "does not fit"), (6, 3, 2, 0, "not an integer"), (5, 3, 0, 0, "stride")])
def test_output_size_rejects_bad_shapes(h, f, s, p, message):
    with pytest.raises(ValueError, match=message):
        conv_output_size(h, f, s, p)
