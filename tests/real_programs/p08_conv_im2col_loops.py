import numpy as np

def im2col(x, kh, kw, stride=1):
    N, C, H, W = x.shape
    out_h = (H - kh) // stride + 1
    out_w = (W - kw) // stride + 1
    cols = np.zeros((N, C, kh, kw, out_h, out_w))
    for i in range(kh):
        i_max = i + stride * out_h
        for j in range(kw):
            j_max = j + stride * out_w
            cols[:, :, i, j, :, :] = x[:, :, i:i_max:stride, j:j_max:stride]
    cols = cols.transpose(0, 4, 5, 1, 2, 3).reshape(N * out_h * out_w, -1)
    return cols, out_h, out_w

def conv_forward(x, W, b):
    FN, C, FH, FW = W.shape
    N = x.shape[0]
    col, out_h, out_w = im2col(x, FH, FW)
    col_W = W.reshape(FN, -1).T
    out = col @ col_W + b
    return out.reshape(N, out_h, out_w, -1).transpose(0, 3, 1, 2)

def maxpool2x2(x):
    N, C, H, W = x.shape
    return x.reshape(N, C, H // 2, 2, W // 2, 2).max(axis=(3, 5))

def loss(W, b, x, t):
    h = conv_forward(x, W, b)
    h = np.maximum(h, 0)
    h = maxpool2x2(h)
    return np.mean((h.reshape(h.shape[0], -1) - t) ** 2)

rng = np.random.default_rng(7)
x = rng.standard_normal((2, 2, 10, 10))
W = rng.standard_normal((3, 2, 3, 3)) * 0.4
b = 0.1 * rng.standard_normal(3)
t = rng.standard_normal((2, 3 * 4 * 4))
f = loss
KW = dict(wrt=("W", "b"))
ARGS = (W, b, x, t)
