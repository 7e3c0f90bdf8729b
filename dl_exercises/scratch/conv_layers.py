"""Convolution and max-pooling layers with forward and backward, via im2col (Day2 Section3).

Same interface as ``scratch.layers``: ``forward(x, train)``, ``backward(dout)``,
weights in ``params`` and their gradients in ``grads``. Images are NCHW and
filters (FN, C, FH, FW), as in the course code.
"""

from __future__ import annotations

import numpy as np

from .im2col import col2im, conv_output_size, im2col
from .layers import Layer


class Convolution(Layer):
    """2-D convolution (cross-correlation) with bias (Day2 Section3).

    Args:
        W: filters, shape (FN, C, FH, FW).
        b: bias, shape (FN,).
        stride: S >= 1.
        pad: P >= 0 zeros on each side.
    Call arguments:
        x: shape (N, C, H, W).
    Returns:
        forward: shape (N, FN, OH, OW) with OH = (H + 2P − FH) / S + 1;
        backward: dx, shape (N, C, H, W), and ``grads["W"]``, ``grads["b"]``.
    """

    def __init__(self, W, b, stride: int = 1, pad: int = 0) -> None:
        super().__init__()
        W = np.asarray(W)
        b = np.asarray(b)
        if W.ndim != 4:
            raise ValueError(f"Convolution: W must be (FN, C, FH, FW), Received: W.shape={W.shape}")
        if b.shape != (W.shape[0],):
            raise ValueError(f"Convolution: b must have shape ({W.shape[0]},), Received: b.shape={b.shape}")
        if stride < 1:
            raise ValueError(f"Convolution: stride must be >= 1, Received: stride={stride}")
        if pad < 0:
            raise ValueError(f"Convolution: pad must be >= 0, Received: pad={pad}")
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}
        self.stride = stride
        self.pad = pad
        self._x_shape = None
        self._col = None
        self._col_W = None

    def output_shape(self, input_shape: tuple) -> tuple:
        """(N, FN, OH, OW) for an input of shape (N, C, H, W); raises if it does not fit."""
        n, c, h, w = input_shape
        fn, fc, fh, fw = self.params["W"].shape
        if c != fc:
            raise ValueError(f"Convolution: input has {c} channels, filters expect {fc}")
        return n, fn, conv_output_size(h, fh, self.stride, self.pad), conv_output_size(w, fw, self.stride, self.pad)

    def forward(self, x, train: bool = True):
        x = np.asarray(x)
        n, fn, out_h, out_w = self.output_shape(x.shape)
        W = self.params["W"]
        col = im2col(x, W.shape[2], W.shape[3], self.stride, self.pad)
        col_W = W.reshape(fn, -1).T
        out = col @ col_W + self.params["b"]
        self._x_shape, self._col, self._col_W = x.shape, col, col_W
        return out.reshape(n, out_h, out_w, fn).transpose(0, 3, 1, 2)

    def backward(self, dout):
        W = self.params["W"]
        fn, c, fh, fw = W.shape
        dout = np.asarray(dout).transpose(0, 2, 3, 1).reshape(-1, fn)
        self.grads["b"] = dout.sum(axis=0)
        self.grads["W"] = (self._col.T @ dout).T.reshape(W.shape)
        dcol = dout @ self._col_W.T
        return col2im(dcol, self._x_shape, fh, fw, self.stride, self.pad)


class Pooling(Layer):
    """Max pooling over pool_h × pool_w windows (Day2 Section3, プーリング層).

    Args:
        pool_h, pool_w: window size.
        stride: S (the course uses S = window size).
        pad: P zeros on each side (0 in the course).
    Call arguments:
        x: shape (N, C, H, W).
    Returns:
        forward: shape (N, C, OH, OW); backward: dx routed to each window's maximum.
    """

    def __init__(self, pool_h: int, pool_w: int, stride: int = 1, pad: int = 0) -> None:
        super().__init__()
        for key, value in (("pool_h", pool_h), ("pool_w", pool_w), ("stride", stride)):
            if value < 1:
                raise ValueError(f"Pooling: {key} must be >= 1, Received: {key}={value}")
        if pad < 0:
            raise ValueError(f"Pooling: pad must be >= 0, Received: pad={pad}")
        self.pool_h, self.pool_w, self.stride, self.pad = pool_h, pool_w, stride, pad
        self._x_shape = None
        self._arg_max = None

    def forward(self, x, train: bool = True):
        x = np.asarray(x)
        n, c, h, w = x.shape
        out_h = conv_output_size(h, self.pool_h, self.stride, self.pad)
        out_w = conv_output_size(w, self.pool_w, self.stride, self.pad)
        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad).reshape(-1, self.pool_h * self.pool_w)
        self._arg_max = np.argmax(col, axis=1)
        self._x_shape = x.shape
        out = col[np.arange(col.shape[0]), self._arg_max]
        return out.reshape(n, out_h, out_w, c).transpose(0, 3, 1, 2)

    def backward(self, dout):
        dout = np.asarray(dout).transpose(0, 2, 3, 1)
        size = self.pool_h * self.pool_w
        dmax = np.zeros((dout.size, size), dtype=dout.dtype)
        dmax[np.arange(dout.size), self._arg_max] = dout.reshape(-1)
        dcol = dmax.reshape(dout.shape[0] * dout.shape[1] * dout.shape[2], -1)
        return col2im(dcol, self._x_shape, self.pool_h, self.pool_w, self.stride, self.pad)
