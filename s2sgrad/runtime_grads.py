"""Adjoint helpers the generated code calls for rows whose adjoint is more than one readable line
(exact products at zeros, quantiles, norms of every ord, split bounds).  Each is vectorized numpy:
no Python loop over elements (loops run over quantiles or matrix batches' structure only).

Guarantee: each helper returns the exact vector-Jacobian product of the numpy function its row
names, in the input's own shape, with the subgradient its row documents where the derivative is
undefined.
"""
from __future__ import annotations

import numpy as np


def _move_last(x, axes):
    """x with `axes` moved to the end and flattened into one; and how to undo it."""
    nd = x.ndim
    axes = tuple(sorted(a % nd for a in axes))
    rest = [i for i in range(nd) if i not in axes]
    perm = rest + list(axes)
    xt = np.transpose(x, perm)
    shp = xt.shape
    flat = xt.reshape(shp[:len(rest)] + (-1,))

    def back(y):
        return np.transpose(y.reshape(shp), np.argsort(perm))
    return flat, back


def prod_grad(g, x, ans, axes):
    """d prod(x) / d x_i is the product of the other elements: g * ans / x where x has no zero,
    else products of exclusive cumulative products from both ends (exact at zeros)."""
    x = np.asarray(x)
    if not np.any(x == 0):
        return g * ans / x
    flat, back = _move_last(x, tuple(range(x.ndim)) if axes is None else axes)
    ones = np.ones(flat.shape[:-1] + (1,), flat.dtype)
    left = np.cumprod(np.concatenate([ones, flat[..., :-1]], -1), -1)
    right = np.flip(np.cumprod(np.concatenate([ones, np.flip(flat, -1)[..., :-1]], -1), -1), -1)
    return g * back(left * right)


def cumprod_grad(g, x, ans, axis):
    """x_i gets sum_{j >= i} g_j prod_{k <= j, k != i} x_k: the reversed cumulative sum of
    g * ans, divided by x, where x has no zero; else the products themselves (n x n per row)."""
    x = np.asarray(x)
    shape = x.shape
    if axis is None:
        x, g, ans, axis = x.ravel(), np.ravel(g), np.ravel(ans), 0
    g = np.broadcast_to(g, np.shape(ans))
    if not np.any(x == 0):
        out = np.flip(np.cumsum(np.flip(g * ans, axis), axis), axis) / x
        return out.reshape(shape)
    xm, gm = np.moveaxis(x, axis, -1), np.moveaxis(g, axis, -1)
    n = xm.shape[-1]
    m = np.repeat(xm[..., None, :], n, axis=-2)  # m[..., i, k] = x_k, except 1 at k == i
    m[..., np.arange(n), np.arange(n)] = 1.0
    prods = np.cumprod(m, -1) * np.triu(np.ones((n, n), dtype=m.dtype))  # [i, j]: d ans_j / d x_i
    out = np.moveaxis(np.sum(prods * gm[..., None, :], -1), -1, axis)
    return out.reshape(shape)


def quantile_grad(g, x, q, axis, keepdims, scale, which):
    """The adjoint of np.quantile's default (linear) method: the two sorted neighbours of each
    position (n - 1) q get (1 - frac) g and frac g (ties: the element numpy's stable argsort puts
    there); `which == "q"` gives q's adjoint g (x_hi - x_lo) (n - 1) / scale instead."""
    dt = _float_dtype(x)
    x = np.asarray(x, dtype=float)
    q = np.asarray(q, dtype=float) / scale
    shape = x.shape
    if axis is None:
        xm = x.reshape(-1)
    elif isinstance(axis, int):
        xm = np.moveaxis(x, axis, -1)
    else:
        raise ValueError("s2sgrad: a quantile over several axes is not differentiated (reshape first)")
    g = np.asarray(g, dtype=float)
    if keepdims:  # drop the kept axes: g then has q's axes, then the others
        g = g.reshape(q.shape + xm.shape[:-1])
    n = xm.shape[-1]
    order = np.argsort(xm, axis=-1, kind="stable")
    pos = q.reshape(-1) * (n - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n - 1)
    frac = pos - lo
    gq = g.reshape((q.size,) + xm.shape[:-1])
    if which == "q":
        xs = np.take_along_axis(xm, order, -1)
        slope = (xs[..., hi] - xs[..., lo]) * (n - 1) / scale  # (..., Q)
        out = np.sum(np.moveaxis(slope, -1, 0) * gq, axis=tuple(range(1, gq.ndim)))
        return out.reshape(q.shape) if q.ndim else out[0]  # q's adjoint: float64, as q is a number
    w = np.zeros((q.size, n))
    np.add.at(w, (np.arange(q.size), lo), 1.0 - frac)
    np.add.at(w, (np.arange(q.size), hi), frac)
    gs = np.tensordot(gq, w, axes=([0], [0]))  # sorted order: (..., n)
    out = np.empty_like(gs)
    np.put_along_axis(out, order, gs, -1)
    if axis is None:
        return out.reshape(shape).astype(dt, copy=False)
    return np.moveaxis(out, -1, axis).astype(dt, copy=False)


def _float_dtype(x):
    """The floating dtype an adjoint of x keeps (float32 in, float32 out)."""
    d = np.asarray(x).dtype
    return d if d.kind == "f" else np.dtype(float)


def _safe(d):
    return np.where(d == 0, 1.0, d)


def norm_grad(g, x, ans, ord, axis, keepdims):
    """The adjoint of np.linalg.norm(x, ord, axis, keepdims) for every ord numpy accepts.
    At a zero norm (and, for ord < 1, at zero elements) the subgradient 0, as torch gives.
    Vector ords: 2 -> x / n; 1 -> sign(x); inf / -inf -> sign(x) on the elements reaching the
    extreme |x| (ties share equally); 0 -> nothing (a count); p -> sign(x) |x|^(p-1) / n^(p-1).
    Matrix ords: 'fro' -> x / n; 'nuc' -> U V^T; 2 / -2 -> u v^T of the extreme singular value;
    1 / -1 / inf / -inf -> sign(x) on the column (row) whose |x| sum is extreme."""
    x = np.asarray(x)
    nd = x.ndim
    if axis is None and ord is not None:
        axis = tuple(range(nd))  # numpy: a vector norm of a 1-D input, a matrix norm of a 2-D one
    if isinstance(axis, int):
        axis = (axis,)
    g = np.asarray(g)
    n = np.asarray(ans)
    if axis is None:  # the 2-norm of the flattened input
        return g * x / _safe(n)
    if not keepdims:
        g, n = np.expand_dims(g, axis), np.expand_dims(n, axis)
    if len(axis) == 1:
        a = axis[0]
        ax = np.abs(x)
        if ord is None or ord == 2:
            return g * x / _safe(n)
        if ord == 1:
            return g * np.sign(x)
        if ord == 0:
            return np.zeros_like(x)
        if ord in (np.inf, -np.inf):
            hit = ax == n
            return g * np.sign(x) * hit / np.sum(hit, axis=a, keepdims=True)
        p = float(ord)
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.sign(x) * ax ** (p - 1) / _safe(n) ** (p - 1)
        return g * np.where((ax == 0) | (n == 0), 0.0, d)
    a0, a1 = (a % nd for a in axis)
    if ord is None or ord == "fro":
        return g * x / _safe(n)
    xm = np.moveaxis(x, (a0, a1), (-2, -1))
    gm = np.moveaxis(g, (a0, a1), (-2, -1))
    if ord in ("nuc", 2, -2):
        u, s, vt = np.linalg.svd(xm, full_matrices=False)
        if ord == "nuc":
            d = u @ vt
        else:
            k = slice(0, 1) if ord == 2 else slice(-1, None)  # the largest / smallest singular pair
            d = u[..., :, k] @ vt[..., k, :]
        return np.moveaxis(gm * d, (-2, -1), (a0, a1))
    if ord in (1, -1, np.inf, -np.inf):
        red = -2 if ord in (1, -1) else -1  # column sums (over rows) for 1, row sums for inf
        sums = np.sum(np.abs(xm), axis=red, keepdims=True)
        ext = np.max(sums, axis=-1 if red == -2 else -2, keepdims=True) if ord in (1, np.inf) else \
            np.min(sums, axis=-1 if red == -2 else -2, keepdims=True)
        hit = sums == ext
        d = np.sign(xm) * hit / np.sum(hit, axis=-1 if red == -2 else -2, keepdims=True)
        return np.moveaxis(gm * d, (-2, -1), (a0, a1))
    raise ValueError(f"s2sgrad: norm ord {ord!r} is not differentiated")


def split_bounds(shape, sections, axis, even, hsplit=False):
    """The boundaries along `axis` of np.split (even=True: refuses an unequal division, as numpy
    does) / np.array_split: a tuple of n + 1 integers."""
    if hsplit and len(shape) < 2:
        raise ValueError("s2sgrad: np.hsplit of a 1-D array is not supported (write np.split(x, n))")
    n = shape[axis]
    if isinstance(sections, (tuple, list)):
        return (0,) + tuple(int(i) for i in sections) + (n,)  # numpy slices ary[st:end] with these
    k = int(sections)
    if k <= 0:
        raise ValueError("number sections must be larger than 0.")
    if even and n % k:
        raise ValueError("array split does not result in an equal division")
    size, extra = divmod(n, k)
    sizes = [size + 1] * extra + [size] * (k - extra)
    return tuple(int(b) for b in np.cumsum([0] + sizes))


def ddof_scale(k, n, ddof):
    """k / (n - ddof), the scale of np.var's and np.std's adjoints, as a Python float (weakly typed:
    a float32 adjoint stays float32).  numpy divides by max(n - ddof, 0), so where n <= ddof (one
    sample with ddof=1) its var is inf or NaN and this is inf (NaN for k = 0), never a
    ZeroDivisionError of Python numbers."""
    d = n - ddof
    if d > 0:
        return k / d
    return float("nan") if k == 0 else float("inf") if k > 0 else float("-inf")


def einsum_grad(g, spec, k, *ops):
    """The adjoint of operand k of np.einsum(spec, *ops) (spec has its '->'): an einsum of g with
    the other operands onto k's distinct indices ('...' spelled out as letters); indices only k
    has are spread along (d/dx of a sum over them is 1); a repeated index (a trace or diagonal)
    puts the cotangent on that diagonal of a zero array (einsum's writeable diagonal view)."""
    ins, out = spec.split("->")
    inputs = ins.split(",")
    used = set(spec) - set(".,->")
    free = [ch for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if ch not in used]
    n_ell = max([np.ndim(o) - len(s.replace("...", "")) for s, o in zip(inputs, ops) if "..." in s] or [0])
    ell = "".join(free[:n_ell])

    def spelled(s, nd):
        if "..." not in s:
            return s
        m = nd - len(s.replace("...", ""))
        return s.replace("...", ell[n_ell - m:])
    inputs = [spelled(s, np.ndim(o)) for s, o in zip(inputs, ops)]
    out = out.replace("...", ell)
    x = np.asarray(ops[k])
    sk = inputs[k]
    uniq = "".join(dict.fromkeys(sk))
    others = [inputs[j] for j in range(len(ops)) if j != k]
    rest = [ops[j] for j in range(len(ops)) if j != k]
    avail = set(out) | set("".join(others))
    target = "".join(ch for ch in uniq if ch in avail)
    d = np.einsum(",".join([out] + others) + "->" + target, g, *rest, optimize=len(rest) >= 2)
    sizes = [x.shape[sk.index(ch)] for ch in uniq]
    if target != uniq:  # spread along the indices only operand k has
        d = np.broadcast_to(np.reshape(d, [n if ch in target else 1 for n, ch in zip(sizes, uniq)]), sizes)
    if uniq == sk:
        return np.array(d) if target != uniq else d
    z = np.zeros(x.shape, np.result_type(d, x))
    np.einsum(sk + "->" + uniq, z)[...] = d
    return z


def kron_grad(g, a, b, which):
    """kron(a, b) has a's and b's axes interleaved ((a0, b0, a1, b1, ...) reshaped): g in that
    form, times the other operand, summed over the other operand's axes."""
    a, b = np.asarray(a), np.asarray(b)
    nd = max(a.ndim, b.ndim)
    sa, sb = (1,) * (nd - a.ndim) + a.shape, (1,) * (nd - b.ndim) + b.shape
    g4 = np.reshape(g, [n for pair in zip(sa, sb) for n in pair])
    if which == 0:
        other = np.reshape(b, [n for s in sb for n in (1, s)])
        return np.sum(g4 * other, axis=tuple(range(1, 2 * nd, 2))).reshape(a.shape)
    other = np.reshape(a, [n for s in sa for n in (s, 1)])
    return np.sum(g4 * other, axis=tuple(range(0, 2 * nd, 2))).reshape(b.shape)


def pad_grad(g, x, pad_width, mode):
    """np.pad(x, pad_width, mode) copies elements of x (edge, reflect, symmetric, wrap): padding an
    array of x's flat indices the same way says which; each element gets the sum of g over its copies."""
    shape, dt = np.shape(x), _float_dtype(x)
    if mode == "constant":  # the padding is constant: only x's own positions
        idx = np.pad(np.arange(int(np.prod(shape))).reshape(shape) + 1, pad_width, mode="constant") - 1
        keep = idx >= 0
        return np.bincount(idx[keep], weights=np.asarray(np.broadcast_to(g, idx.shape))[keep],
                           minlength=int(np.prod(shape))).reshape(shape).astype(dt, copy=False)
    idx = np.pad(np.arange(int(np.prod(shape))).reshape(shape), pad_width, mode=mode)
    return np.bincount(idx.ravel(), weights=np.ravel(g), minlength=int(np.prod(shape))).reshape(shape) \
        .astype(dt, copy=False)


_COPYING = {"repeat": np.repeat, "tile": np.tile, "append": np.append, "hstack": lambda *a: np.hstack(a),
            "vstack": lambda *a: np.vstack(a), "dstack": lambda *a: np.dstack(a),
            "column_stack": lambda *a: np.column_stack(a), "row_stack": lambda *a: np.vstack(a)}


def copy_grad(g, op, i, inputs, options):
    """The adjoint of input i of an operation that only copies elements of its inputs (repeat,
    tile, append, the stacks), for inputs whose shapes were unknown when compiling: the same
    operation applied to the inputs' flat indices says where each result element came from, and
    each input element gets the sum of g over its copies."""
    arrays = [np.asarray(a) for a in inputs]
    offsets = np.cumsum([0] + [a.size for a in arrays])
    index = [np.arange(a.size).reshape(a.shape) + off for a, off in zip(arrays, offsets)]
    where = _COPYING[op](*index, **dict(options))
    total = np.bincount(np.ravel(where), weights=np.ravel(np.broadcast_to(g, where.shape)), minlength=int(offsets[-1]))
    return total[offsets[i]:offsets[i + 1]].reshape(arrays[i].shape).astype(_float_dtype(arrays[i]), copy=False)


def diagonal_grad(g, x, offset, axis1, axis2):
    """x.diagonal(offset, axis1, axis2) reads one diagonal (it becomes the last axis): x gets g on
    that diagonal of a zero array."""
    x = np.asarray(x)
    z = np.zeros(x.shape, np.result_type(g, x))
    zm = np.moveaxis(z, (axis1, axis2), (-2, -1))  # a view: writing it writes z
    n = np.shape(g)[-1]
    i = np.arange(n)
    zm[..., i + max(-offset, 0), i + max(offset, 0)] = g
    return z


def diag_grad(g, x, k):
    """np.diag(x, k): of a vector, x gets the k-th diagonal of g; of a matrix, g on that diagonal."""
    x = np.asarray(x)
    if x.ndim == 1:
        return np.diagonal(g, k)
    return diagonal_grad(g, x, k, 0, 1)


def tensordot_grad(g, a, b, axes, which):
    """The adjoint of np.tensordot(a, b, axes) (np.inner when axes is "inner": the last axes
    contracted, a product when either is a scalar) for ranks known only at run time."""
    a, b, g = np.asarray(a), np.asarray(b), np.asarray(g)
    if isinstance(axes, str):  # np.inner
        if a.ndim == 0 or b.ndim == 0:
            return np.sum(g * b) if (which == 0 and a.ndim == 0) else g * b if which == 0 else \
                (np.sum(g * a) if b.ndim == 0 else g * a)
        axes = ((a.ndim - 1,), (b.ndim - 1,))
    if isinstance(axes, int):
        axes = (tuple(range(a.ndim - axes, a.ndim)), tuple(range(axes)))
    ca, cb = (tuple(x % a.ndim for x in np.atleast_1d(axes[0])), tuple(x % b.ndim for x in np.atleast_1d(axes[1])))
    fa = tuple(i for i in range(a.ndim) if i not in ca)
    fb = tuple(i for i in range(b.ndim) if i not in cb)
    # the contracted axes a tensordot leaves over come in their own operand's order (see
    # rules/contract._tensordot): each stands for the axis paired with it in the other operand
    if which == 0:
        out = np.tensordot(g, b, (tuple(range(len(fa), len(fa) + len(fb))), fb))
        return np.transpose(out, np.argsort(fa + tuple(ca[j] for j in np.argsort(cb, kind="stable"))))
    out = np.tensordot(a, g, (fa, tuple(range(len(fa)))))
    return np.transpose(out, np.argsort(tuple(cb[j] for j in np.argsort(ca, kind="stable")) + fb))


def average_grad(g, a, w, axis, keepdims, which):
    """The adjoint of np.average(a, axis, weights=w) for a (0) or w (2), ranks known at run time:
    a gets g w / sum(w), w gets g (a - average) / sum(w) (1-D weights summed back along the axis)."""
    dt = _float_dtype(a if which == 0 else w)
    a, w, g = np.asarray(a, dtype=float), np.asarray(w, dtype=float), np.asarray(g)
    one_d = w.shape != a.shape
    if one_d:
        wb = w.reshape([-1 if d == axis % a.ndim else 1 for d in range(a.ndim)])
    else:
        wb = w
    sw = np.sum(wb, axis=axis, keepdims=True) if axis is not None else np.sum(wb)
    avg = (np.sum(a * wb, axis=axis, keepdims=True) if axis is not None else np.sum(a * wb)) / sw
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
    if which == 0:
        return np.broadcast_to(g * wb / sw, a.shape).astype(dt)
    gw = np.broadcast_to(g * (a - avg) / sw, a.shape)
    if one_d:
        return np.sum(gw, axis=tuple(d for d in range(a.ndim) if d != axis % a.ndim)).astype(dt, copy=False)
    return gw.astype(dt)


def gradient_grad(g, x, axis, h):
    """The transpose of np.gradient's first-order stencil along `axis` (spacing h) applied to g."""
    g = np.moveaxis(np.asarray(g), axis, 0)
    out = np.zeros(g.shape, _float_dtype(x))
    out[2:] += g[1:-1] / (2 * h)
    out[:-2] -= g[1:-1] / (2 * h)
    out[1] += g[0] / h
    out[0] -= g[0] / h
    out[-1] += g[-1] / h
    out[-2] -= g[-1] / h
    return np.moveaxis(out, 0, axis)


def trace_grad(g, x, offset, axis1, axis2):
    """np.trace sums one diagonal: each of its elements gets g."""
    n = np.diagonal(np.asarray(x), offset, axis1, axis2).shape[-1]
    g = np.asarray(g)
    return diagonal_grad(np.broadcast_to(g[..., None], g.shape + (n,)), x, offset, axis1, axis2)


def sort_grad(g, x, axis):
    """np.sort's j-th value is x[argsort(x)[j]] (equal values where the sort and a stable argsort
    disagree on ties): x gets g sent back through that permutation."""
    x = np.asarray(x)
    if axis is None:
        order = np.argsort(x, axis=None, kind="stable")
        out = np.empty(x.size, np.result_type(g, x))
        out[order] = g
        return out.reshape(x.shape)
    order = np.argsort(x, axis=axis, kind="stable")
    out = np.empty(np.broadcast_shapes(np.shape(g), x.shape), np.result_type(g, x))
    np.put_along_axis(out, order, np.broadcast_to(g, out.shape), axis)
    return out


def permutation_grad(g, x, ans, axis):
    """ans is a permutation of x along `axis` (np.partition): matching the stably sorted values of
    both says where each value of ans came from; x gets g sent back."""
    x, ans = np.asarray(x), np.asarray(ans)
    if axis is None:
        x, ans, g = x.ravel(), ans.ravel(), np.ravel(g)
        axis = 0
    ox = np.argsort(x, axis=axis, kind="stable")
    oa = np.argsort(ans, axis=axis, kind="stable")
    gs = np.take_along_axis(np.broadcast_to(g, ans.shape), oa, axis)  # g in sorted order
    out = np.empty(ans.shape, np.result_type(g, x))
    np.put_along_axis(out, ox, gs, axis)
    return out


def take_grad(g, x, indices, axis, mode="raise"):
    """np.take(x, indices, axis, mode=mode) reads x at indices: x gets g added at them (repeated
    indices accumulate, np.add.at); mode 'wrap' reads at indices modulo the length, 'clip' at the
    indices clipped into it, as numpy's take does."""
    x = np.asarray(x)
    z = np.zeros(x.shape, np.result_type(g, x))
    if mode != "raise":
        n = x.size if axis is None else x.shape[axis]
        indices = np.mod(indices, n) if mode == "wrap" else np.clip(indices, 0, n - 1)
    if axis is None:
        np.add.at(z.reshape(-1), indices, g)
    else:
        np.add.at(z, (slice(None),) * (axis % x.ndim) + (indices,), g)
    return z


def take_along_axis_grad(g, x, indices, axis):
    """np.take_along_axis(x, indices, axis): x gets g added where it was read (accumulating)."""
    x = np.asarray(x)
    z = np.zeros(x.shape, np.result_type(g, x))
    if axis is None:
        np.add.at(z.reshape(-1), indices, g)
        return z
    axis %= x.ndim
    idx = np.asarray(indices)
    shape = np.broadcast_shapes(idx.shape, tuple(n if d != axis else 1 for d, n in enumerate(x.shape)))
    grid = list(np.ogrid[tuple(slice(n) for n in shape)])
    grid[axis] = np.broadcast_to(idx, shape)
    np.add.at(z, tuple(grid), np.broadcast_to(g, shape))
    return z


def digamma(x):
    """The digamma function psi = (log Gamma)' (math.lgamma's derivative; numpy has none):
    recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10, then the asymptotic series (error below
    1e-13 there); reflection psi(x) = psi(1 - x) - pi / tan(pi x) for x < 0.5."""
    x = np.asarray(x, dtype=float)
    refl = x < 0.5
    y = np.where(refl, 1.0 - x, x)
    acc = np.zeros_like(y)
    while np.any(y < 10.0):
        small = y < 10.0
        acc = acc - np.where(small, 1.0 / y, 0.0)
        y = np.where(small, y + 1.0, y)
    inv2 = 1.0 / (y * y)
    series = np.log(y) - 0.5 / y - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))))
    out = acc + series
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(refl, out - np.pi / np.tan(np.pi * x), out)
    return out[()] if out.ndim == 0 else out


def logsumexp(a, axis=None, keepdims=False):
    """scipy.special.logsumexp, as generated code calls it (the row "logsumexp"): scipy's own."""
    from scipy.special import logsumexp as scipy_logsumexp
    return scipy_logsumexp(a, axis=axis, keepdims=keepdims)


def delete_grad(g, x, obj, axis):
    """np.delete(x, obj, axis) keeps some of x's elements: each gets its element of g, the deleted
    ones 0 (np.delete of x's flat positions says which went where)."""
    x = np.asarray(x)
    kept = np.delete(np.arange(x.size).reshape(x.shape), obj, axis)
    z = np.zeros(x.size, np.result_type(g, x))
    z[kept.ravel()] = np.broadcast_to(g, kept.shape).ravel()
    return z.reshape(x.shape)


def insert_grad(g, x, obj, values, axis, which):
    """np.insert(x, obj, values, axis): the element of g at each position an element of x (which
    'x') or of values (which 'values', a value inserted at several places summed) went to --
    np.insert of the positions themselves says which, with numpy's own broadcasting of values."""
    x, values = np.asarray(x), np.asarray(values)
    where = np.insert(np.arange(x.size).reshape(x.shape), obj, -1 - np.arange(values.size).reshape(values.shape), axis)
    g = np.broadcast_to(g, where.shape).ravel()
    where = where.ravel()
    if which == "x":
        z = np.zeros(x.size, np.result_type(g, x))
        z[where[where >= 0]] = g[where >= 0]
        return z.reshape(x.shape)
    z = np.zeros(values.size, np.result_type(g, values, float))
    np.add.at(z, -1 - where[where < 0], g[where < 0])
    return z.reshape(values.shape)


NAMES = {f.__name__: f for f in (digamma, logsumexp, ddof_scale, prod_grad, cumprod_grad, quantile_grad, norm_grad, split_bounds,
                                 einsum_grad, kron_grad, pad_grad, diagonal_grad, sort_grad,
                                 permutation_grad, take_grad, take_along_axis_grad, copy_grad, diag_grad,
                                 trace_grad, tensordot_grad, average_grad, gradient_grad, delete_grad,
                                 insert_grad)}
