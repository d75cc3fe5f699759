"""Adversarial review of 0bf5d61 (shape inference with ints and bools known only at run time, written
by a helper): they must never fix a shape taken as exact.  Every case compares with central finite
differences in float64; a clear S2SGradError is accepted instead.  The cases marked "BUG" failed
against 0bf5d61's two-value probe (a (3, 1, 1) array has one shape for axes 1 and 2; numpy ints were
not probed); passes/shape_ints.py replaced the probe."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from test_static_args import fd_grad as fd  # central differences, float64

RNG = np.random.default_rng(7)
U = lambda *s: RNG.uniform(0.5, 2.0, s)  # noqa: E731
X311 = U(3, 1, 1)
X2113 = U(2, 1, 1, 3)
X345 = U(3, 4, 5)
X6, X13, X23, X34 = U(6), U(1, 3), U(2, 3), U(3, 4)




def right(f, fn, x, *rest):
    """The right gradient from `f` (a differentiate object, or None: a fresh one), or a clear refusal."""
    try:
        g = (f or differentiate(fn)).grad(x, *rest)
    except S2SGradError:
        return
    ref = fd(fn, x, *rest)
    assert np.shape(g) == ref.shape
    np.testing.assert_allclose(g, ref, rtol=1e-6, atol=1e-7)


# ---------------------------------------------------------------- sound: sizes, slices, axes from ints
def ones_n(x, n):
    return np.sum(np.sin(x * np.ones((n, 1))))
def full_n(x, n):
    return np.sum(np.sin(x * np.full((n, 1), 2.0)))
def eye_n(x, n):
    return np.sum(np.sin(np.eye(n) @ x[:n]))
def arange_n(x, n):
    return np.sum(np.sin(x[:, None] * np.arange(n)))
def linspace_n(x, n):
    return np.sum(np.sin(x[:, None] * np.linspace(0, 1, n)))
def tile_n(x, n):
    return np.sum(np.sin(np.tile(x, n) * np.arange(6 * n)))
def repeat_n(x, n):
    y = np.repeat(x, n)
    return np.sum(np.sin(y[:, None] * x[None, :2]))
def reshape_n(x, n):
    y = x.reshape(n, -1)
    return np.sum(np.sin(y * y[:1]))
def head_n(x, n):
    y = x[:n]
    return np.sum(np.sin(y[:, None] * x[None, :]))
def window(x, i):
    y = x[i:i + 2]
    return np.sum(np.sin(y[:, None] * x[None, :]))
def stride(x, s):
    y = x[::s]
    return np.sum(np.sin(y[:, None] * x[None, :]))
def roll_k(x, k):
    return np.sum(np.sin(np.roll(x, k) * np.arange(6.0)))
def concat_loop(x, n):
    parts = []
    for i in range(n):
        parts.append(x * (i + 1.0))
    y = np.concatenate(parts)
    return np.sum(np.sin(y[:, None] * x[None, :]))
def stack_loop(x, n):
    parts = []
    for i in range(n):
        parts.append(x * (i + 1.0))
    return np.sum(np.sin(np.stack(parts) * x[:1]))
def pad_k(x, k):
    return np.sum(np.sin(np.pad(x, k) * np.arange(6.0 + 2 * k)))
def diff_k(x, k):
    y = np.diff(x, n=k)
    return np.sum(np.sin(y[:, None] * x[None, :]))
def split_k(x, k):
    return np.sum(np.sin(np.split(x, k)[0] * x[:1]))
def expand_k(x, k):
    return np.sum(np.sin(np.expand_dims(x, k) * np.ones((2, 1, 1))))
def swap_ij(x, i, j):
    return np.sum(np.sin(np.swapaxes(x, i, j) * x[:1, :1, :1]))
def cumsum_k(x, k):
    return np.sum(np.sin(np.cumsum(x, axis=k) * x))
def take_k(x, k):
    return np.sum(np.sin(np.take(x, [1, 0], axis=k) * x[:1, :1]))
def keep_flag(x, flag):
    return np.sum(np.sin(x / np.sum(x, axis=1, keepdims=flag)[..., None] if not flag else
                         x / np.sum(x, axis=1, keepdims=flag)))
def min_n(x, n):  # the same size for the placeholders 1 and 2, another for 0
    return np.sum(np.sin(x[:, None] * np.ones(min(n, 1) + 2)))
def mod_n(x, n):
    return np.sum(np.sin(x[:, None] * np.ones(n % 2 + 1)))
def positive(x, n):
    return np.sum(np.sin(x[:, None] * np.ones(int(n > 0) + 1)))
def while_pow(x, n):
    m = 1
    while m < n:
        m = m * 2
    return np.sum(np.sin(x[:, None] * np.arange(m)))
def keep_sum(x, axis):
    return np.sum(np.sin(x / np.sum(x, axis=axis, keepdims=True)))


SOUND = [
    (ones_n, X13, [(0,), (1,), (2,), (3,)]), (full_n, X13, [(1,), (3,)]), (eye_n, X6, [(1,), (2,), (4,)]),
    (arange_n, X6, [(0,), (1,), (2,), (5,)]), (linspace_n, X6, [(1,), (2,), (4,)]),
    (tile_n, X6, [(1,), (2,), (3,)]), (repeat_n, X6, [(1,), (2,), (3,)]),
    (reshape_n, X6, [(1,), (2,), (3,), (6,)]), (head_n, X6, [(0,), (1,), (2,), (4,)]),
    (window, X6, [(0,), (1,), (3,)]), (stride, X6, [(1,), (2,), (4,)]), (roll_k, X6, [(0,), (1,), (-2,)]),
    (concat_loop, X6, [(1,), (2,), (3,)]), (stack_loop, X6, [(1,), (2,), (3,)]), (pad_k, X6, [(0,), (1,), (2,)]),
    (diff_k, X6, [(0,), (1,), (2,), (3,)]), (split_k, X6, [(1,), (2,), (3,)]),
    (expand_k, X23, [(0,), (1,), (2,), (-1,)]), (swap_ij, X345, [(0, 1), (1, 1), (2, 0), (0, -1)]),
    (cumsum_k, X34, [(0,), (1,), (-1,)]), (take_k, X34, [(0,), (1,)]), (keep_flag, X34, [(True,), (False,)]),
    (min_n, X6, [(0,), (1,), (2,), (5,)]), (mod_n, X6, [(0,), (1,), (2,), (3,)]),
    (positive, X6, [(0,), (1,), (2,)]), (while_pow, X6, [(0,), (1,), (3,), (5,)]),
    (keep_sum, X345, [(1,), (0,), (2,), (-1,), (0,)]),
]


@pytest.mark.parametrize("fn,x,values", SOUND, ids=[c[0].__name__ for c in SOUND])
def test_sound_fresh_and_reused(fn, x, values):
    try:
        reused = differentiate(fn)
    except S2SGradError:
        return
    for v in values:
        right(None, fn, x, *v)
        right(reused, fn, x, *v)


# ---------------------------------------------------------------- A: only the placeholders 1 and 2 are tried
# The probe of _value_dependent runs the call with the int at 1 and at 2 only.  np.sum(x, axis=k,
# keepdims=True) gives (3, 1, 1) for both on x of shape (3, 1, 1) (axes 1 and 2 of length one, as in
# (batch, 1, 1, channels) images), so the shape is taken as exact and the adjoint of the division
# never sums along axis 0: a silent wrong gradient for k = 0 (and k = 3 / -1 in 4-D).
def keep_mul(x, k):
    return np.sum(np.sin(x * np.sum(x, axis=k, keepdims=True)))
def keep_method(x, k):
    return np.sum(np.sin(x / x.sum(axis=k, keepdims=True)))
def _h(y, axis, keep):
    return np.sum(y, axis=axis, keepdims=keep)
def keep_helper(x, k):
    return np.sum(np.sin(x / _h(x, k, True)))
def loop_axis(x, n):  # the loop counter as the axis
    s = 0.0
    for i in range(n):
        s = s + np.sum(np.sin(x / np.sum(x, axis=i, keepdims=True)))
    return s
def mod_axis(x, n):
    return np.sum(np.sin(x / np.sum(x, axis=n % 3, keepdims=True)))
def int_axis(x, f):
    return np.sum(np.sin(x / np.sum(x, axis=int(f), keepdims=True)))


@pytest.mark.parametrize("fn,x,v", [
    (keep_sum, X311, 0), (keep_sum, X2113, 0), (keep_sum, X2113, 3), (keep_sum, X2113, -1),
    (keep_mul, X311, 0), (keep_method, X311, 0), (keep_helper, X311, 0), (loop_axis, X311, 1),
    (loop_axis, X311, 3), (mod_axis, X311, 3), (int_axis, X311, 0.0)],
    ids=["sum311", "sum2113_0", "sum2113_3", "sum2113_m1", "mul", "method", "helper", "loop1", "loop3",
         "mod", "int_of_float"])
def test_bug_probe_1_and_2_agree(fn, x, v):
    # was a BUG: wrong gradient (e.g. keep_sum on x=[.5,1,2] as (3,1,1), axis 0: [0.242, 0.196, 0.103],
    # finite differences [0.0268, 0.0181, -0.0157]); the shape of the sum is taken as (3, 1, 1)
    right(None, fn, x, v)


def test_bug_one_object_several_values():
    # was a BUG: the signature key holds `int`, not the value: right for axis 1, then wrong for axis 0
    f = differentiate(keep_sum)
    right(f, keep_sum, X311, 1)
    right(f, keep_sum, X311, 0)


# ---------------------------------------------------------------- B: numpy integer scalars are never probed
# An np.int64 (a parameter, np.argmax, np.count_nonzero, np.int64(...)) has the abstract value
# Arr((), int64, scalar=True): dummy() gives np.int64(1), _value_dependent only looks at PyNum and
# the slice / reshape checks of evaluate only at PyNum, so its shape is exact at the value 1.
def argmax_axis(x, v):
    k = np.argmax(v)
    return np.sum(np.sin(x / np.sum(x, axis=k, keepdims=True)))
def const_np_axis(x):
    k = np.int64(0)
    return np.sum(np.sin(x / np.sum(x, axis=k, keepdims=True)))
def half_np(x):
    n = np.int64(x.shape[0]) // 2
    y = x[:n]
    return np.sum(np.sin(y[:, None] * x[None, :]))
def count_head(x):
    n = np.count_nonzero(x > 1.0)
    return np.sum(np.sin(x[:n] * x[0:1]))
def reshape_np(x, n):
    y = x.reshape(n, -1)
    return np.sum(np.sin(y * y[:1]))


@pytest.mark.parametrize("fn,x,rest", [
    (keep_sum, X34, (np.int64(0),)), (argmax_axis, X34, (np.array([5.0, 0.0]),)), (const_np_axis, X34, ()),
    (half_np, X6, ()), (count_head, np.array([1.5, 0.7, 1.2, 1.8]), ()), (reshape_np, X6, (np.int64(2),))],
    ids=["np_int_param", "argmax", "np_int64_const", "np_int_slice", "count_nonzero_slice", "np_int_reshape"])
def test_bug_numpy_int_scalars(fn, x, rest):
    # was a BUG: keep_sum(X34, np.int64(0)) and argmax/np.int64(0) axes: silent wrong gradients (max error
    # 0.17-0.25); the slices and the reshape: ValueError from inside the generated gradient
    # ("could not broadcast input array from shape (3,6) into shape (1,6)")
    right(None, fn, x, *rest)
