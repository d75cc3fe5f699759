"""Fusing runs of elementwise statements into one explicit loop (numba backend).

numpy makes one pass over memory per operation and allocates every temporary; numba fuses the
operations of one statement, but not a chain of statements.  Here consecutive statements of one
block (the function's body, a loop's, a branch's) that are elementwise over arrays of one shape S
(known from the signature: shapes inferred by s2sgrad's own abstract interpretation,
`passes.shapes.infer`), or whole-array sums and means of such expressions, become one loop over S
-- a single statement too: numba compiles an explicit loop several times faster than its array
expressions and ufuncs (first-call compile time), and runs it as fast:

    # fused: one pass over the 1000000 elements (tanh_x, exp_neg_x, t1, t2, exp_neg_t4, out, grad_x)
    out = 0.0
    grad_x = np.empty((1000000,), np.float32)
    for i in range(1000000):
        x_i = x[i]
        tanh_x_i = np.tanh(x_i)
        ...
        out += tanh_x_i * t2_i + exp_neg_t4_i
        grad_x[i] = grad_x_i

Only arrays read after the run are stored; the others live in registers.  A sum accumulates in
float64 and is cast back to the array's dtype (numpy's float32 sum is float32; the fused one is as
accurate or more).  In a float32 run the numbers are float32 constants, so the arithmetic stays in
float32 as numpy's does.  Anything else (broadcasting between different shapes, subscripts, calls
that are not elementwise, control flow) ends a run: the statements stay as they were.
"""
from __future__ import annotations

import numpy as np

from ... import ir
from ...ir import Assign, Attr, Call, Comment, Const, For, Name

MAP_OPS = {"add", "sub", "mul", "truediv", "pow", "neg", "pos", "gt", "lt", "ge", "le", "eq", "ne",
           "np.exp", "np.log", "np.tanh", "np.sin", "np.cos", "np.sqrt", "np.abs", "np.square", "np.maximum",
           "np.minimum", "np.expm1", "np.log1p", "np.where", "np.sign", "np.arctan", "np.sinh", "np.cosh"}
REDUCE_OPS = {"np.sum", ".sum", "np.mean", ".mean"}
VEC32 = {"np.exp": "exp32", "np.tanh": "tanh32"}


def _logsumexp_shape(a, axis=None):
    return np.max(a, axis=axis)


# numpy calls with the result shapes and dtypes of the helpers lower.py writes (helpers.py,
# numpy_forms.py), for the shape inference: a name it cannot evaluate ends every run through it
SHAPE_EQUIVALENTS = {
    "mat_mul": np.matmul, "np_outer": np.outer, "norm_of": np.linalg.norm, "copy_of": np.copy,
    "max_along": lambda x, axis: np.max(x, axis=axis), "min_along": lambda x, axis: np.min(x, axis=axis),
    "keepdims_all": lambda v, x: np.full((1,) * np.ndim(x), v), "is_close": np.isclose,
    "full_like_of": np.full_like, "cast_as": lambda v, dtype: np.asarray(v).astype(dtype),
    "var_along": lambda x, axis, ddof: np.var(x, axis=axis, ddof=ddof), "logsumexp_all": _logsumexp_shape,
    "logsumexp_along": _logsumexp_shape, "flip_of": lambda x, axis: np.flip(x, axis),
    "cumsum_along": lambda x, axis: np.cumsum(x, axis=axis), "inner_of": np.inner,
    "roll_along": lambda x, shift, axis: np.roll(x, shift, axis),
    "nansum_along": lambda x, axis: np.nansum(x, axis=axis), "nanmean_along": lambda x, axis: np.nanmean(x, axis=axis),
    "rows_of": lambda a: np.atleast_2d(a), "columns_of": lambda a: a if np.ndim(a) == 2 else np.reshape(a, (-1, 1)),
    "array_of": np.array,
    "diff_along": lambda x, axis, prepend, append: np.diff(x, axis=axis, **{k: v for k, v in (
        ("prepend", prepend), ("append", append)) if v is not None}),
    "ddof_scale": lambda k, n, ddof: 1.0,
}


def fuse(fn: ir.Function, signature: dict, namespace: dict) -> ir.Function:
    """`fn` with its fusable runs of statements as loops (unchanged where none), in every block:
    the function's body and the bodies of its loops and branches.  The abstract value of each name
    a statement reads is s2sgrad's own shape inference over the whole function
    (`passes.shapes.infer`: loops to a fixed point), so a name a loop rebinds keeps its shape
    after the loop when every iteration keeps it."""
    from ...passes.shapes import Arr, PyNum, evaluate, infer
    env = {p: v for p, v in (signature or {}).items() if isinstance(v, (Arr, PyNum))}
    # what lower.py's helpers mean, for the shape inference (the helpers themselves are numba's)
    from .einsum import numpy_equivalents
    namespace = {**namespace, **SHAPE_EQUIVALENTS, **numpy_equivalents(fn)}
    try:
        shapes = infer(fn, env, namespace)
    except Exception:  # noqa: BLE001 - a program the inference cannot follow: nothing fused
        return fn
    taken = set(fn.params) | set(ir.all_writes(fn.body)) | set(ir.all_reads(fn.body))
    every_read = set(ir.all_reads(fn.body))

    def classify(s):
        if not (isinstance(s, Assign) and len(s.targets) == 1):
            return None
        reads = {n: shapes.before(s, n) for n in ir.expr_names(s.value)}
        try:
            kind = _classify(s, reads, namespace, evaluate, Arr, PyNum)
        except Exception:  # noqa: BLE001 - an expression shape inference cannot evaluate: not fused
            return None
        return None if kind is None else kind + (reads,)

    def block(body, nested):
        body = [_inner(s, block) for s in body]
        info = [classify(s) for s in body]
        out, i = [], 0
        while i < len(body):
            run, j = _run(body, info, i)
            if any(isinstance(body[k], Assign) for k in run):  # one statement too: a loop compiles
                # faster than numba's array expression, and runs as fast
                # inside a loop, any name the function reads may be read again (the next iteration)
                out += _emit(body, info, run, body[j:], taken, every_read if nested else None)
                i = j
            else:
                out.append(body[i])
                i += 1
        return tuple(out)
    return ir.Function(fn.name, fn.params, block(list(fn.body), False), fn.defaults, fn.header, fn.loc)


def _inner(s, block):
    """s with the bodies of its loops and branches fused."""
    import dataclasses
    if isinstance(s, (For, ir.While)):
        return dataclasses.replace(s, body=block(list(s.body), True))
    if isinstance(s, ir.If):
        return dataclasses.replace(s, body=block(list(s.body), True), orelse=block(list(s.orelse), True))
    return s


def _evaluate(v, env, ns, evaluate):
    """The abstract value of v; `a += inc` keeps a's (an in-place update: numpy keeps the shape and
    dtype, and the shape inference of the compiler does not model it)."""
    if isinstance(v, Call) and v.op == "iadd" and isinstance(v.args[0], Name):
        a, inc = env.get(v.args[0].id), evaluate(v.args[1], env, ns)
        if getattr(a, "shape", None) is not None and (getattr(inc, "shape", None) in (a.shape, ())
                                                       or not hasattr(inc, "shape")):
            return a
    return evaluate(v, env, ns)


def _classify(s, env, ns, evaluate, Arr, PyNum):
    """("map" | "reduce", shape, dtype) for a fusable statement, else None."""
    v = s.value
    res = _evaluate(v, env, ns, evaluate)
    if isinstance(v, Call) and v.op in REDUCE_OPS and len(v.args) == 1 and not v.kwargs:
        inner = evaluate(v.args[0], env, ns)
        if isinstance(inner, Arr) and inner.shape and not inner.scalar and inner.dtype is not None \
                and np.dtype(inner.dtype).kind == "f" and _elementwise(v.args[0], inner.shape, env, Arr, PyNum):
            return "reduce", tuple(inner.shape), np.dtype(inner.dtype)
        return None
    if isinstance(res, Arr) and res.shape and not res.scalar and res.dtype is not None \
            and np.dtype(res.dtype).kind == "f" and isinstance(v, Call) and _elementwise(v, res.shape, env, Arr, PyNum):
        return "map", tuple(res.shape), np.dtype(res.dtype)
    return None


def _elementwise(e, shape, env, Arr, PyNum):
    if isinstance(e, Const):
        return isinstance(e.value, (int, float, bool)) and not isinstance(e.value, complex)
    if isinstance(e, Name):
        v = env.get(e.id)
        if isinstance(v, PyNum):
            return v.type in (int, float, bool)
        return isinstance(v, Arr) and v.shape is not None and (tuple(v.shape) == tuple(shape) or v.scalar)
    if isinstance(e, Attr) and isinstance(e.value, Name) and e.attr in ("size", "ndim"):
        v = env.get(e.value.id)
        return isinstance(v, Arr) and v.shape is not None
    if isinstance(e, Call) and (e.op in MAP_OPS or e.op == "iadd") and not e.kwargs:
        return all(_elementwise(a, shape, env, Arr, PyNum) for a in e.args)
    return False


def _run(body, info, i):
    """The statement indices of the run starting at i (Comments and Blanks may sit inside), and the
    index after it."""
    run, shape, reduced, j = [], None, set(), i
    assigned, loaded = set(), set()
    while j < len(body):
        s, k = body[j], info[j]
        if isinstance(s, (Comment, ir.Blank)):
            run.append(j)
            j += 1
            continue
        if k is None or (shape is not None and k[1:3] != shape):
            break
        reads = set(ir.expr_names(s.value))
        t = s.targets[0]
        plain = not (isinstance(s.value, Call) and s.value.op == "iadd" and s.value.args[0] == Name(t))
        # a sum is complete only after the loop; an array read from before the run and then
        # rebound must keep its old values (it may be the caller's): both end the run
        if reduced & reads or t in reduced or (plain and t in (loaded | (reads - assigned))):
            break
        loaded |= reads - assigned
        assigned.add(t)
        shape = k[1:3]
        if k[0] == "reduce":
            reduced.add(t)
        run.append(j)
        j += 1
    while run and isinstance(body[run[-1]], (Comment, ir.Blank)):  # trailing comments stay outside
        run.pop()
        j -= 1
    return run, j


def _fresh(name, taken):
    k, out = 1, name
    while out in taken:
        k += 1
        out = f"{name}{k}"
    taken.add(out)
    return out


def _emit(body, info, run, after, taken, later=None):
    stmts = [body[k] for k in run]
    kinds = {body[k].targets[0]: info[k][0] for k in run if isinstance(body[k], Assign)}
    shape, dtype = next(info[k][1:3] for k in run if info[k] is not None)
    values = {}
    for k in run:
        if info[k] is not None:
            for n, v in info[k][3].items():
                values.setdefault(n, v)
    assigned = [body[k].targets[0] for k in run if isinstance(body[k], Assign)]
    later = set(ir.all_reads(after)) if later is None else later
    idx = [_fresh(n, taken) for n in ("i", "j", "k", "l", "m")[:len(shape)]]
    index = Name(idx[0]) if len(idx) == 1 else ir.Tuple(tuple(Name(x) for x in idx))
    elem = {}  # array name -> its element's scalar name inside the loop

    def el(n):
        if n not in elem:
            elem[n] = _fresh(f"{n}_i", taken)
        return elem[n]
    arrays_in = []  # arrays read in the loop that come from before it (loaded once per element)
    seen = set()
    f32 = dtype == np.float32

    def scal(e):
        if isinstance(e, Const):
            return Call("np.float32", (e,)) if f32 and isinstance(e.value, (int, float)) and \
                not isinstance(e.value, bool) else e
        if isinstance(e, Name):
            if e.id in seen and kinds.get(e.id) == "map":
                return Name(el(e.id))
            if e.id in arrays_env:
                if e.id not in arrays_in:
                    arrays_in.append(e.id)
                return Name(el(e.id))
            return Call("np.float32", (e,)) if f32 else e
        if isinstance(e, Attr):  # .size / .ndim of an array of known shape: a number
            v = values.get(e.value.id)
            dims = shape if e.value.id in seen or v is None else tuple(v.shape)
            return Const(int(np.prod(dims)) if e.attr == "size" else len(dims))
        if e.op == "np.square":
            a = scal(e.args[0])
            return Call("mul", (a, a))
        if f32 and e.op in VEC32:  # vectorisable float32 exp and tanh (vecmath.py: at most 1 ulp off)
            return Call(VEC32[e.op], (scal(e.args[0]),))
        if e.op == "np.where":
            c, a, b = (scal(x) for x in e.args)
            return Call("ifexp", (c, a, b))
        # numpy's arithmetic on the elements: numba's `/` and `**` on numbers follow Python and raise
        # ZeroDivisionError where numpy gives inf or nan
        if e.op == "truediv":
            return Call("np.true_divide", tuple(scal(a) for a in e.args))
        if e.op == "pow" and not (isinstance(e.args[1], Const) and isinstance(e.args[1].value, (int, float))
                                  and e.args[1].value >= 0):
            return Call("np.power", tuple(scal(a) for a in e.args))
        return Call(e.op, tuple(scal(a) for a in e.args))

    arrays_env = {n for n, v in values.items() if getattr(v, "shape", None) is not None and not v.scalar
                  and tuple(v.shape) == shape}
    loop, pre, post = [], [], []
    for s in stmts:
        if not isinstance(s, Assign):
            if isinstance(s, Comment):
                loop.append(s)
            continue
        t = s.targets[0]
        v = s.value
        if kinds[t] == "reduce":
            pre.append(Assign((t,), Const(0.0), s.loc))
            # a strict left-to-right sum would keep the whole loop scalar (vecmath.sum_add)
            loop.append(Assign((t,), Call("sum_add", (Name(t), scal(v.args[0]))), s.loc))
            if v.op in ("np.mean", ".mean"):
                post.append(Assign((t,), Call("truediv", (Name(t), Const(int(np.prod(shape))))), s.loc))
            if f32:
                post.append(Assign((t,), Call("np.float32", (Name(t),)), s.loc))
            continue
        if isinstance(v, Call) and v.op == "iadd" and v.args[0] == Name(t):
            if t not in seen:  # an array from before the run, updated in place
                arrays_env.add(t)
            value = Call("iadd", (scal(Name(t)), scal(v.args[1])))
        else:
            value = scal(v)
        seen.add(t)
        loop.append(Assign((el(t),), value, s.loc))
    # arrays the rest of the function reads, or arrays from before the run updated in place
    stores = [t for t in dict.fromkeys(assigned) if kinds[t] == "map" and (t in later or t in arrays_in)]
    for t in stores:
        if t not in arrays_in:
            pre.append(Assign((t,), Call("np.empty", (Const(shape), Name(f"np.{dtype}"))), None))
    loads = [Assign((el(n),), Call("getitem", (Name(n), index)), None) for n in arrays_in]
    loop = loads + loop + [ir.SetItem(t, index, Name(el(t)), None) for t in stores]
    size = int(np.prod(shape))
    sums = [t for t in dict.fromkeys(assigned) if kinds[t] == "reduce"]
    if f32 and sums and len(shape) == 1 and size >= 2 * BLOCK32:
        return _blocked(loop, sums, idx[0], size, assigned, taken, pre, post)
    for d in reversed(range(len(shape))):
        loop = [For(Name(idx[d]), Call("range", (Const(shape[d]),)), tuple(loop), None)]
    note = Comment(f"fused: one pass over the {size} elements ({', '.join(dict.fromkeys(assigned))})")
    return [note] + pre + loop + post


BLOCK32 = 256  # elements per float32 partial sum (vecmath.sum_add32)


def _blocked(body, sums, i, size, assigned, taken, pre, post):
    """A float32 run with sums as a loop over blocks of BLOCK32 elements, each block's sums in
    float32 then added in float64, and a loop over the last elements (vecmath's docstring: a
    float64 accumulator would halve the loop's vector width)."""
    blocks, start = size // BLOCK32, Name(_fresh("start", taken))
    part = {t: _fresh(f"{t}_block", taken) for t in sums}

    def in_block(s):  # `t = sum_add(t, v)` -> `t_block = sum_add32(t_block, v)`
        if isinstance(s, Assign) and s.targets[0] in part and isinstance(s.value, Call) and s.value.op == "sum_add":
            return Assign((part[s.targets[0]],), Call("sum_add32", (Name(part[s.targets[0]]), s.value.args[1])), s.loc)
        return s
    b = _fresh("block", taken)
    inner = For(Name(i), Call("range", (Name(start.id), Call("add", (Name(start.id), Const(BLOCK32))))),
                tuple(in_block(s) for s in body), None)
    outer = For(Name(b), Call("range", (Const(blocks),)), (
        Assign((start.id,), Call("mul", (Name(b), Const(BLOCK32)))),
        *(Assign((part[t],), Call("np.float32", (Const(0),))) for t in sums),
        inner,
        *(Assign((t,), Call("add", (Name(t), Name(part[t])))) for t in sums)), None)
    tail = For(Name(i), Call("range", (Const(blocks * BLOCK32), Const(size))), tuple(body), None)
    note = Comment(f"fused: one pass over the {size} elements ({', '.join(dict.fromkeys(assigned))}), "
                   f"summed in float32 per block of {BLOCK32} and in float64 across blocks")
    out = [note] + pre + [outer]
    if blocks * BLOCK32 < size:
        out += [Comment(f"the last {size - blocks * BLOCK32} elements"), tail]
    return out + post
