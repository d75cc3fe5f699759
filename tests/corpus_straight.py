"""Straight-line functions by theme, with inputs in their domain: (function, args, wrt)."""
import numpy as np

rng = np.random.default_rng(42)
A = rng.standard_normal((4, 3))
B = rng.standard_normal((3, 5))
v3 = rng.standard_normal(3)
v4 = rng.standard_normal(4)
P = rng.uniform(0.5, 2.0, (4, 3))
M3 = rng.standard_normal((3, 3))


def helper_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def helper_two(a, b=2.0):
    c = a * b
    return c + np.sin(a)


def helper_early(x):
    if np.sum(x) > 0:
        return x * 2
    return x * 3


def arith(x, y):
    z = x * y + x / y - y ** 2
    return np.sum(z * 3.0 - 1.5)


def unary_chain(x):
    return np.sum(np.tanh(np.sin(x)) * np.exp(-x * x) + np.cos(x) ** 2)


def logs(p):
    return np.sum(np.log(p) + np.sqrt(p) + np.log1p(p) + np.abs(p - 1.2))


def broadcast_bias(x, b):
    return np.sum(np.tanh(x + b) ** 2)


def broadcast_col(x, c):
    return np.sum((x * c) ** 2)


def scalar_and_array(s, x):
    return np.sum(s * x + s ** 2)


def reductions(x):
    m = x.mean(axis=0)
    s = np.sum(x, axis=1, keepdims=True)
    return np.sum(m ** 2) + np.sum(s * x) + np.max(x) + x.min(axis=1).sum()


def matvec(x, M):
    return x @ M @ x


def wdot(w, M, x):
    return w @ (M @ x)


def matmat(a, b):
    return np.sum(np.dot(a, b) ** 2) + np.sum(a.T ** 2)


def shapes(x):
    y = x.reshape(3, 4)
    z = np.transpose(y)
    return np.sum(z[1:3] ** 3) + np.sum(x.T[0]) + np.sum(x[:, None, 0] * 2)


def indexing(x):
    a = x[0]
    b = x[1:3]
    c = x[:, 1]
    return np.sum(a * a) + np.sum(b ** 3) + np.sum(c) * x[2, 2]


def fancy(x):
    idx = np.array([0, 2, 2, 1])
    return np.sum(x[idx] ** 2)


def where_max(x):
    y = np.where(x > 0, x, 0.1 * x)
    return np.sum(np.maximum(y, 0.2) + np.minimum(x, -0.1) * 2)


def softmax_xent(logits):
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    labels = np.array([0, 2, 1, 1])
    return -np.mean(logp[np.arange(4), labels])


def norms(x):
    return np.linalg.norm(x) + np.sum(np.linalg.norm(x, axis=1))


def calls(x):
    s = helper_sigmoid(x)
    t = helper_two(s)
    u = helper_two(t, b=0.5)
    return np.sum(u * s)


def early_helper(x):
    return np.sum(helper_early(x) ** 2)


def aug_assign(x):
    y = x * 1.0
    y += x ** 2
    y *= 3.0
    y -= np.sin(x)
    y /= 2.0
    return np.sum(y)


def unpack(x):
    a, b = x[0], x[1]
    c, d = a * b, a + b
    return np.sum(c * d)


def power_param(x, p):
    return np.sum(x ** p)


def constants(x):
    n = x.shape[0]
    w = np.arange(n) * 0.5 + np.ones(n)
    e = np.eye(n)
    return np.sum((e @ x) * w[:, None]) + np.sum(np.zeros_like(x) + x)


def reuse(x):
    t = np.tanh(x)
    s = 1 / (1 + np.exp(-x))
    return np.sum(t * s + np.exp(-x ** 2))


def stack_concat(a, b):
    s = np.stack([a, b * 2])
    c = np.concatenate([a, b], axis=0)
    return np.sum(s ** 2) + np.sum(c ** 3)


def clip_where(x):
    return np.sum(np.clip(x, -0.5, 0.5) ** 2 + np.where(x > 0.3, x ** 2, -x))


def ifexp(x):
    y = x * 2 if np.sum(x) > 0 else x * 3
    return np.sum(y ** 2)


CORPUS = [
    (arith, (A, P), ("x", "y")),
    (unary_chain, (A,), ("x",)),
    (logs, (P,), ("p",)),
    (broadcast_bias, (A, v3), ("x", "b")),
    (broadcast_col, (A, v4[:, None]), ("x", "c")),
    (scalar_and_array, (0.7, A), ("s", "x")),
    (reductions, (A,), ("x",)),
    (matvec, (v3, M3), ("x", "M")),
    (wdot, (v3, M3, rng.standard_normal(3)), ("w", "M", "x")),
    (matmat, (A, B), ("a", "b")),
    (shapes, (A,), ("x",)),
    (indexing, (A,), ("x",)),
    (fancy, (A,), ("x",)),
    (where_max, (A,), ("x",)),
    (softmax_xent, (A,), ("logits",)),
    (norms, (A,), ("x",)),
    (calls, (A,), ("x",)),
    (early_helper, (A,), ("x",)),
    (early_helper, (-P,), ("x",)),
    (aug_assign, (A,), ("x",)),
    (unpack, (A,), ("x",)),
    (power_param, (P, 2.5), ("x", "p")),
    (constants, (A,), ("x",)),
    (reuse, (A,), ("x",)),
    (stack_concat, (v3, rng.standard_normal(3)), ("a", "b")),
    (clip_where, (A,), ("x",)),
    (ifexp, (A,), ("x",)),
    (ifexp, (-P,), ("x",)),
]
