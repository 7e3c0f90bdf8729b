"""im2col / col2im: convolution as one matrix product (Day2 Section3, 畳み込み層).

Images are NCHW as in the course code. ``im2col`` turns every filter-sized
patch into one row, so a convolution becomes ``col @ W.reshape(FN, -1).T``;
``col2im`` is its adjoint (overlapping patches are summed), which is what the
backward pass needs.
"""

from __future__ import annotations

import numpy as np


def conv_output_size(input_size: int, filter_size: int, stride: int = 1, pad: int = 0) -> int:
    """Output length (H + 2P − FH) / S + 1 of a convolution or pooling (Day2 Section3).

    Args:
        input_size: H (or W) of the input.
        filter_size: FH (or FW).
        stride: S >= 1.
        pad: P >= 0 zeros added on each side.
    Returns:
        The output length, an integer.
    Raises:
        ValueError: when the filter does not fit, or (H + 2P − FH) is not a
            multiple of S (the course's formula then has no integer answer).
    """
    if stride < 1:
        raise ValueError(f"stride must be >= 1, Received: stride={stride}")
    if pad < 0:
        raise ValueError(f"pad must be >= 0, Received: pad={pad}")
    if filter_size < 1:
        raise ValueError(f"filter size must be >= 1, Received: filter_size={filter_size}")
    span = input_size + 2 * pad - filter_size
    if span < 0:
        raise ValueError(
            f"filter of size {filter_size} does not fit input of size {input_size} with pad {pad}: "
            f"H + 2P - FH = {span} < 0"
        )
    if span % stride:
        raise ValueError(
            f"(H + 2P - FH) / S + 1 = ({input_size} + 2*{pad} - {filter_size}) / {stride} + 1 "
            f"is not an integer: choose another stride or padding"
        )
    return span // stride + 1


def im2col(x: np.ndarray, filter_h: int, filter_w: int, stride: int = 1, pad: int = 0) -> np.ndarray:
    """Unfold every filter-sized patch of ``x`` into one row (Day2 Section3).

    Args:
        x: images, shape (N, C, H, W).
        filter_h, filter_w: patch size FH, FW.
        stride: S; pad: P zeros on each side.
    Returns:
        col, shape (N·OH·OW, C·FH·FW); row n·OH·OW + i·OW + j holds the patch
        whose top-left corner is (i·S, j·S), flattened channel-major (C, FH, FW).
    """
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(f"im2col expects (N, C, H, W), Received: x.shape={x.shape}")
    n, c, h, w = x.shape
    out_h = conv_output_size(h, filter_h, stride, pad)
    out_w = conv_output_size(w, filter_w, stride, pad)
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))) if pad else x
    col = np.empty((n, c, filter_h, filter_w, out_h, out_w), dtype=x.dtype)
    # one strided slice per filter offset: FH·FW copies instead of OH·OW
    for dy in range(filter_h):
        y_end = dy + stride * out_h
        for dx in range(filter_w):
            x_end = dx + stride * out_w
            col[:, :, dy, dx, :, :] = padded[:, :, dy:y_end:stride, dx:x_end:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(n * out_h * out_w, -1)


def im2col_without_transpose(x: np.ndarray, filter_h: int, filter_w: int, stride: int = 1, pad: int = 0) -> np.ndarray:
    """The course's "transpose なし" variant: same numbers, rows are not patches (Day2 Section3).

    Reshaping the (N, C, FH, FW, OH, OW) buffer without moving the output axes
    first mixes patches; the course prints this to show why the transpose is needed.

    Returns:
        shape (N·OH·OW, C·FH·FW), wrongly ordered.
    """
    n, c, h, w = np.asarray(x).shape
    out_h = conv_output_size(h, filter_h, stride, pad)
    out_w = conv_output_size(w, filter_w, stride, pad)
    col = im2col(x, filter_h, filter_w, stride, pad)
    buffer = col.reshape(n, out_h, out_w, c, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    return buffer.reshape(n * out_h * out_w, -1)


def col2im(col: np.ndarray, input_shape: tuple, filter_h: int, filter_w: int, stride: int = 1, pad: int = 0) -> np.ndarray:
    """Fold rows back into images, summing where patches overlap (adjoint of ``im2col``).

    Args:
        col: shape (N·OH·OW, C·FH·FW).
        input_shape: (N, C, H, W) of the original images.
    Returns:
        shape (N, C, H, W).
    """
    n, c, h, w = input_shape
    out_h = conv_output_size(h, filter_h, stride, pad)
    out_w = conv_output_size(w, filter_w, stride, pad)
    expected = (n * out_h * out_w, c * filter_h * filter_w)
    if col.shape != expected:
        raise ValueError(f"col2im: col must have shape {expected} for input {input_shape}, Received: {col.shape}")
    col = col.reshape(n, out_h, out_w, c, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((n, c, h + 2 * pad + stride - 1, w + 2 * pad + stride - 1), dtype=col.dtype)
    for dy in range(filter_h):
        y_end = dy + stride * out_h
        for dx in range(filter_w):
            x_end = dx + stride * out_w
            img[:, :, dy:y_end:stride, dx:x_end:stride] += col[:, :, dy, dx, :, :]
    return img[:, :, pad : h + pad, pad : w + pad]
