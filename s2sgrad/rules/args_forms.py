"""Calls whose row takes them in another form than written (rules/args.arrange hands them here):
`np.meshgrid` as a tuple of one row per result, a matrix decomposition as one `linalg_part` row per
result, `np.split` and its kin as one slice per piece, and numpy's draws with a scale or bounds known
only when the function runs as `loc + scale * standard_draw(shape)` (the same numbers from numpy's
generator, so the parameters get their gradients).

Guarantees: each form computes what numpy's call computes, value for value; a form whose result
s2sgrad cannot split by position (a split by indices known only when running, with a changing
count) is refused through `refuse`; literals of values become `np.array` calls, so the cotangent is
split back to the elements.
"""
from __future__ import annotations

from ..ir import Call, Const, ListExpr, Name, Slice, Tuple


def _has_value(e) -> bool:
    """Whether a literal holds anything but constants (only those can carry a derivative)."""
    if isinstance(e, (ListExpr, Tuple)):
        return any(_has_value(x) for x in e.elts)
    return not isinstance(e, Const)


def _array_literal(lit):
    """The elements of a list literal for np.array: nested literals become np.array calls."""
    return type(lit)(tuple(Call("np.array", (_array_literal(x),))
                           if isinstance(x, (ListExpr, Tuple)) and _has_value(x) else x for x in lit.elts))


def _meshgrid(args, kwargs, refuse, bind):
    """`np.meshgrid(x, y, ...)` as the tuple of its results, `meshgrid_part(k, indexing, sparse, x, y,
    ...)` for each k (rules/signal.py): each part reads the values of input k only, so its adjoint
    goes to x_k alone; an input that is an expression is computed once, before the call.  The
    options must be constants; copy=False (views of the inputs) is refused."""
    kw = {"indexing": Const("xy"), "sparse": Const(False), "copy": Const(True)}
    for k, v in kwargs:
        if k not in kw:
            raise refuse(f"np.meshgrid: the keyword argument '{k}=' is not supported")
        if not isinstance(v, Const):
            raise refuse(f"np.meshgrid: '{k}' computed at run time (it must be a constant)")
        kw[k] = v
    indexing, sparse, copy = kw["indexing"].value, kw["sparse"].value, kw["copy"].value
    if indexing not in ("xy", "ij"):
        raise refuse(f"np.meshgrid: indexing={indexing!r} (numpy takes 'xy' or 'ij')")
    if not copy:
        raise refuse("np.meshgrid: copy=False is not supported (its results are read-only views of the "
                     "inputs): leave copy out, the copies hold the same values")
    xs = []
    for a in args:
        if isinstance(a, (ListExpr, Tuple)) and _has_value(a):
            a = Call("np.array", (_array_literal(a),))
        if not isinstance(a, (Name, Const, ListExpr, Tuple)):
            a = bind(a, "grid_in")
        xs.append(a)
    head = (Const(indexing), Const(bool(sparse)))
    return Tuple(tuple(Call("meshgrid_part", (Const(k),) + head + tuple(xs)) for k in range(len(xs))))


# functions with several results: op -> (kind, number of results, allowed keywords and values)
_DECOMPOSITIONS = {
    "np.linalg.eigh": ("eigh", 2, {"UPLO": ("L",)}),
    "np.linalg.eigvalsh": ("eigh", 1, {"UPLO": ("L",)}),
    "np.linalg.svd": ("svd", 3, {"full_matrices": (False,), "compute_uv": (True, False), "hermitian": (False,)}),
    "np.linalg.qr": ("qr", 2, {"mode": ("reduced", "r")}),
    "np.linalg.slogdet": ("slogdet", 2, {}),
}


def _decomposition(op, args, kwargs, refuse, bind):
    """`w, V = np.linalg.eigh(A)`: the decomposition is computed once (`eigh = decompose(A, 'eigh')`:
    its results side by side in one array, whose shape is known when compiling), and each
    result read by a `linalg_part(eigh, i, A, kind)` row that sends its cotangent to A
    (rules/linalg.py), so the results unpack as a tuple.  np.linalg.svd must be called with
    full_matrices=False (the thin SVD is the one with a derivative), eigh with the lower triangle."""
    kind, n, allowed = _DECOMPOSITIONS[op]
    if len(args) != 1:
        raise refuse(f"{op} with options given by position (name them)")
    kw = dict(kwargs)
    for k, v in kw.items():
        if k not in allowed or not isinstance(v, Const) or v.value not in allowed[k]:
            raise refuse(f"{op} with {k}={getattr(v, 'value', '...')!r} (differentiated: "
                         + (", ".join(f"{a}={b[0]!r}" for a, b in allowed.items()) or "no options") + ")")
    values_only = kind == "svd" and kw.get("compute_uv") is not None and kw["compute_uv"].value is False
    a = args[0]
    if isinstance(a, (ListExpr, Tuple)) and _has_value(a):  # np.linalg.slogdet([[a, b], [c, d]])
        a = Call("np.array", (_array_literal(a),))
    a = a if isinstance(a, Name) else bind(a, "mat")
    if kind == "slogdet":  # two rows of their own (rules/linalg.py): logdet has second derivatives
        return Tuple((Call("logdet_sign", (a,)), Call("logdet", (a,))))
    if kind == "svd" and kw.get("full_matrices") is None and not values_only:
        # full and thin SVD are one for a square matrix: checked when it runs (runtime_linalg.square_matrix)
        a = bind(Call("square_matrix", (a,)), "mat")
    res = bind(Call("decompose", (a, Const(kind))), kind)
    if op == "np.linalg.eigvalsh":
        return Call("linalg_part", (res, Const(0), a, Const(kind)))
    if kind == "svd" and kw.get("compute_uv") is not None and kw["compute_uv"].value is False:
        return Call("linalg_part", (res, Const(1), a, Const(kind)))
    if kind == "qr" and kw.get("mode") is not None and kw["mode"].value == "r":
        return Call("linalg_part", (res, Const(1), a, Const(kind)))
    return Tuple(tuple(Call("linalg_part", (res, Const(i), a, Const(kind))) for i in range(n)))


# np.split and its relatives: (default axis, whether the division must be equal)
_SPLITS = {"np.split": (0, True), "np.array_split": (0, False), "np.vsplit": (0, True),
           "np.hsplit": (1, True), "np.dsplit": (2, True)}


def _split(op, args, kwargs, refuse, bind):
    """np.split(x, sections, axis) as a tuple of slices of x, `x[b[i]:b[i + 1]]` along the axis,
    with the bounds b from runtime.split_bounds (which raises where numpy raises): each piece is a
    getitem, differentiated as one, and `a, b = np.split(x, 2)` unpacks the tuple.  The number of
    pieces must be known when compiling (a constant count or list of indices).  np.hsplit splits
    axis 1, so it needs an input of two or more dimensions (a 1-D one is refused at run time by
    split_bounds: write np.split(x, n))."""
    kw = dict(kwargs)
    default_axis, even = _SPLITS[op]
    if len(args) < 2:
        raise refuse(f"{op} without its sections")
    x, sections = args[0], args[1]
    if op in ("np.split", "np.array_split"):
        axis = args[2] if len(args) > 2 else kw.pop("axis", Const(default_axis))
    else:
        axis = Const(default_axis)
    if kw or len(args) > 3:
        raise refuse(f"{op} with arguments other than the array, the sections and the axis")
    if not (isinstance(axis, Const) and isinstance(axis.value, int)):
        raise refuse(f"{op}: an axis that is not an integer constant")
    if isinstance(sections, Const) and isinstance(sections.value, int) and not isinstance(sections.value, bool):
        n = sections.value
    elif isinstance(sections, (ListExpr, Tuple)) and not any(
            isinstance(e, Const) and not isinstance(e.value, int) for e in sections.elts):
        # [p] or (p, q) of indices known only when it runs (p = A.shape[0]): the count is the list's
        n = len(sections.elts) + 1
        sections = Tuple(sections.elts)
    else:
        raise refuse(f"{op}: sections that are not a constant count or list of indices (the number of "
                     "pieces must be known when compiling)")
    if n <= 0:
        raise refuse(f"{op}: number sections must be larger than 0")
    x = x if isinstance(x, Name) else bind(x, "split_in")
    b = bind(Call("split_bounds", (Call("@shape", (x,)), sections, axis, Const(even), Const(op == "np.hsplit"))),
             "bounds")
    a = axis.value
    pieces = []
    for i in range(n):
        sl = Slice(Call("getitem", (b, Const(i))), Call("getitem", (b, Const(i + 1))), None)
        if a >= 0:
            idx = Tuple((Slice(None, None, None),) * a + (sl,)) if a else sl
        else:
            idx = Tuple((Const(Ellipsis), sl) + (Slice(None, None, None),) * (-a - 1))
        pieces.append(Call("getitem", (x, idx)))
    return Tuple(tuple(pieces))


# random draws whose parameters s2sgrad differentiates through the standard draw:
# op -> (first parameter that needs the draw, defaults of the two parameters, the draw)
_DRAWS = {"np.random.normal": (1, (Const(0.0), Const(1.0)), "np.random.standard_normal"),
          "np.random.uniform": (0, (Const(0.0), Const(1.0)), "np.random.random")}


def _reparameterised(op, args, kwargs, refuse, bind):
    """normal(loc, scale, size) as `loc + scale * standard_normal(shape)` and uniform(low, high,
    size) as `low + (high - low) * random(shape)`: numpy's global generator gives the same numbers
    (the same draws in the same order, the same arithmetic), and the draw is kept, so the scale
    and the bounds get their gradients (numpy's checks of the arguments made as numpy makes them)."""
    _, defaults, draw = _DRAWS[op]
    kw = dict(kwargs)
    if set(kw) - {"size"} or len(args) > 3:
        raise refuse(f"{op} with arguments other than its two parameters and size")
    a, b = (list(args) + list(defaults[len(args):]))[:2]
    size = args[2] if len(args) > 2 else kw.get("size", Const(None))
    # a value read twice (by the draw's shape, or low by `high - low`) is computed once
    a = a if isinstance(a, (Name, Const)) else bind(a, "draw_arg")
    b = b if isinstance(b, (Name, Const)) else bind(b, "draw_arg")
    # numpy's checks, as it makes them: scale >= 0, a finite range (runtime.draw_scale, draw_span)
    if op == "np.random.normal" and not (isinstance(b, Const) and isinstance(b.value, (int, float)) and b.value >= 0):
        b = bind(Call("draw_scale", (b,)), "draw_arg")
    width = bind(Call("draw_span", (b, a)), "draw_arg") if op == "np.random.uniform" else b
    # the size the parameters' broadcast shape must fit, as numpy checks (runtime.draw_size)
    size = bind(Call("draw_size", (size, a, b)), "draw_size")
    spread = Call("mul", (width, Call(draw, (size,))))
    return spread if isinstance(a, Const) and a.value == 0 else Call("add", (a, spread))


def repeat_as_take(op, args, kwargs, refuse, bind):
    """`np.repeat(x, r, axis)` with repeats other than one integer constant (an array of counts, or
    a count known only when running) as `np.take(x, np.repeat(np.arange(n), r), axis)`: the same
    elements in the same order (numpy's own repeat of the positions, so its checks of r are made as
    it makes them), differentiated as the gather it is; None where r is one integer constant (the
    repeat row's reshape-and-sum adjoint)."""
    kw = dict(kwargs)
    if set(kw) - {"repeats", "axis"} or len(args) > 3:
        return None
    r = args[1] if len(args) > 1 else kw.get("repeats")
    axis = args[2] if len(args) > 2 else kw.get("axis", Const(None))
    if r is None or isinstance(r, Const) and type(r.value) is int or not isinstance(axis, Const):
        return None
    x = args[0]
    if isinstance(x, (ListExpr, Tuple)):  # np.repeat([a, b], r): of the array numpy makes of the list
        x = Call("np.array", (_array_literal(x),))
    x = x if isinstance(x, (Name, Const)) else bind(x, "repeated")
    if axis.value is None:  # (take without an axis reads the flattened array, as repeat does)
        at = Call("np.repeat", (Call("np.arange", (Call("np.size", (x,)),)), r))
        return Call("np.take", (x, bind(at, "at")))
    at = Call("np.repeat", (Call("np.arange", (Call("getitem", (Call("np.shape", (x,)), axis)),)), r))
    return Call("np.take", (x, bind(at, "at")), (("axis", axis),))
