"""Launchers: the host-side function that starts one kernel (allocates its outputs, passes its
arrays with their strides, its labels and per-row values, its scalars as arguments, chooses blocks
and grid, sums the per-program partials, notes the label checks, counts the launch), and the
plain products that call torch.matmul instead.  Written as text for the host module (lower.py)."""
from __future__ import annotations

import math

import numpy as np

from ..ir import Name
from .gather import ONE_HOT


# names a launcher's own text uses: its locals, the host module's globals, the builtins it calls
_LAUNCHER_NAMES = {"M", "N", "K", "BM", "BN", "BK", "KP", "BLOCK", "ITERS", "grid", "scalars", "partials", "totals",
                   "xchg", "counts", "stage",
                   "product", "launch", "alloc", "record", "mm", "check_labels", "pack_scalars", "strides", "f64_arg",
                   "add_outer", "torch", "tl", "np", "np_device", "NO_SCALARS_F32", "NO_SCALARS_F64", "dict", "float"}


def params(args, outputs=()):
    """{program variable: the launcher's parameter for it}: the name itself, unless it is a name the
    launcher's text uses (its locals, the host module's globals, an output buffer `<o>_out` of this
    launcher), which gets trailing "_" until it is free.  The host passes arguments by position.
    (The launchers' and kernels' own function names, launch_0 and k0_f, are refused as program
    variables before this: lower._refuse_host_names.)"""
    taken = _LAUNCHER_NAMES | {f"{o}_out" for o in outputs}
    out = {}
    for n in args:
        p = n
        while p in taken or p in out.values() or (p != n and p in args):
            p += "_"
        out[n] = p
    return out


def runtime_names(launchers):
    """The runtime helpers the launchers (and the host program: add_outer) call, for the host module's
    import line."""
    names = ["alloc", "launch", "mm", "record"]
    names += [n for n in ("add_outer", "check_labels", "f64_arg", "pack_scalars", "strides")
              if any(f"{n}(" in text for text in launchers)]
    return ", ".join(sorted(names))


def plain_matmul(g, outputs):
    """A launcher for a product with no epilogue: torch.matmul (cuBLAS on a GPU; TF32 as runtime.mm says)."""
    from .codegen import _mm_name
    target, a, b, _ = g.matmul
    an, bn = _mm_name(a), _mm_name(b)
    args = list(dict.fromkeys([an, bn]))
    P = params(args, [target])
    ops = [f"{P[_mm_name(e)]}.T" if not isinstance(e, Name) else P[e.id] for e in (a, b)]
    lines = [f"def launch_{g.index}({', '.join(P.values())}):",
             "    # a plain product, nothing fused after it: torch.matmul (cuBLAS on a GPU)",
             f"    {target}_out = mm({ops[0]}, {ops[1]})",
             f"    record('mm', {_tuple_text(P.values())}, ({target}_out,))"]
    if outputs:
        lines.append(f"    return {target}_out")
    return "\n".join(lines) + "\n", args


def launcher(g, ks, outputs, shapes, kname, layouts=None):
    """(text of launch_<index>, its parameters) for kernel group g written by KernelSource ks.

    The launch plan is written into the text: block sizes and grid (the sizes are the signature's),
    and the strides of every array whose layout is known when the module is made (`layouts`: name ->
    (shape, strides), for the signature's input arrays and for the fresh outputs of earlier
    launches); other arrays' strides are read at the call."""
    layouts = layouts or {}
    M, N = g.space
    dt = "torch.float64" if np.dtype(g.dtype) == np.float64 else "torch.float32"
    arrays = list(ks.mm_operands) + [a for a in ks.arrays if a not in ks.mm_operands]
    scal_names = [k[1] for k in ks.scalars if k[0] == "name"]
    args = list(dict.fromkeys(arrays + scal_names + ks.labels + ks.row_values))
    P = params(args, [o for o, _ in outputs])
    param = P.__getitem__
    lines = [f"def launch_{g.index}({', '.join(P.values())}):"]
    # the outputs go where the kernel's operands are; a kernel reading only per-row values and labels
    # takes theirs, and one reading none the plan's device (np_device, runtime.bind_device) -- never
    # a fixed 'cpu', which on a GPU gave the one-hot kernel a host buffer Triton cannot write
    refs = arrays + ks.labels + ks.row_values
    dev = f"{param(refs[0])}.device" if refs else "np_device"
    lines.append(f"    M, N = {M}, {N}")
    outs = []
    for name, kind in outputs:
        v = shapes.get(name)
        if kind in ("tile", "row"):
            odt = {"b": "torch.bool", "i": "torch.int64"}.get(np.dtype(v.dtype).kind, dt)  # a mask, a count
            lines.append(f"    {name}_out = alloc({tuple(v.shape)!r}, {odt}, {dev})")
        outs.append(f"{name}_out")
    nfull = ks.partial_columns
    packed = [param(k[1]) for k in ks.scalars if not ks.is_argument(k)]  # 0-d tensors: no host read
    if packed:
        lines.append(f"    scalars = pack_scalars([{', '.join(packed)}], {dt}, {dev})")
    else:  # the kernel takes the pointer and reads nothing: one tensor per device (runtime.bind_device)
        lines.append(f"    scalars = NO_SCALARS_{'F64' if dt == 'torch.float64' else 'F32'}")
    from .codegen import _mm_name
    from .runtime import (flat_block, flat_iters, flat_warps, matmul_blocks, product_first, rows_align, rows_blocks,
                          rows_options, rows_programs)
    first, stages = False, None
    if g.kind == "rows" and ks.split:
        BN, grid, consts, stages = _split_plan(lines, ks, M, N, dt, dev)
        BM, blocks = 1, M * -(-N // BN)  # (a partial row per program and row)
    elif g.kind == "flat":
        BLOCK = flat_block(M * N)
        ITERS = flat_iters(M * N, BLOCK) if ks.looped else 1  # (blocks per program: codegen's looped kernels)
        grid = (-(-(M * N) // (BLOCK * ITERS)),)
        if ks.looped:
            lines.append(f"    BLOCK, ITERS, grid = {BLOCK}, {ITERS}, {grid!r}  # runtime.flat_block and flat_iters, "
                         "chosen when the plan was made")
        else:
            lines.append(f"    BLOCK, grid = {BLOCK}, {grid!r}  # runtime.flat_block, chosen when the plan was made")
        consts = ("BLOCK=BLOCK, ITERS=ITERS" if ks.looped else "BLOCK=BLOCK") + (
            f", num_warps={flat_warps()}" if flat_warps() else "")
    elif g.kind == "rows":
        BM, BN = rows_blocks(M, N)
        blocks = -(-M // BM)
        grid = (rows_programs(blocks, N) if ks.persistent else blocks,)
        lines.append(f"    BM, BN, grid = {BM}, {BN}, {grid!r}  # runtime.rows_blocks, chosen when the plan was made"
                     + (f" ({blocks} row blocks: persistent programs)" if grid[0] != blocks else ""))
        consts = "BM=BM, BN=BN" + _options_text(rows_options(N))
        if ks.aligned:
            consts += ", ALIGN={}, HEADS={}".format(*rows_align(_row_layouts(ks, layouts, shapes, g), N, BN))
    else:
        K = g.matmul[3]
        BM, BN, BK = matmul_blocks(M, N, K)
        grid = (-(-M // BM), -(-N // BN))
        lines.append(f"    K = {K}")
        lines.append(f"    BM, BN, BK, grid = {BM}, {BN}, {BK}, {grid!r}  # runtime.matmul_blocks, chosen when the "
                     "plan was made")
        acc = "tl.float64" if np.dtype(g.dtype) == np.float64 else "tl.float32"
        consts = f"BM=BM, BN=BN, BK=BK, ACC={acc}"
        if ks.product_first:
            first = not g.vector_left and product_first(M, N, K)
            if first:
                ops = [f"{param(_mm_name(e))}.T" if not isinstance(e, Name) else param(e.id) for e in g.matmul[1:3]]
                # before the outputs are allocated (a counted launch checks the buffers made before it)
                lines[2:2] = [f"    product = mm({ops[0]}, {ops[1]})  # cuBLAS first (runtime.product_first): "
                              "the kernel is its epilogue",
                              f"    record('mm', {_tuple_text(map(param, dict.fromkeys(ks.mm_operands)))}, (product,))"]
            consts += f", PRODUCT={first}"
    if g.exact:  # a tie's operand: every multiply and add rounded on its own, as elsewhere (ties.py)
        consts += ", enable_fp_fusion=False"
    # (one partial row per row block: a persistent program writes one for each block it walks)
    nprog = blocks if g.kind == "rows" else int(np.prod(grid))
    split = ["xchg", "counts"] if stages else []
    lines.append(f"    partials = alloc(({nprog}, {max(nfull, 1)}), {dt}, {dev})" if nfull else
                 "    partials = scalars")
    call = []
    for n in ks.mm_operands:
        call += [param(n), *_operand_strides(g, n, layouts.get(n), param(n))]
    if ks.product_first:
        call.append("product" if first else param(ks.mm_operands[0]))  # (not read when PRODUCT is False)
    for n in ks.arrays:
        if n not in ks.mm_operands:
            known = layouts.get(n)
            call += [param(n), *map(str, broadcast_strides(*known, M, N))] if known else [param(n),
                                                                                         f"*strides({param(n)}, M, N)"]
    for name, kind in outputs:
        if kind == "tile":
            # a fresh contiguous buffer (runtime.alloc): its strides are known when the launcher is written
            call += [f"{name}_out", *map(str, contiguous_strides(tuple(shapes[name].shape), M, N))]
        elif kind == "row":
            call += [f"{name}_out", f"{name}_out.stride(0)"]
    for n in ks.labels + ks.row_values:
        call += [param(n), f"{param(n)}.stride(0)"]
    call += [_scalar_argument(k, g.dtype, P) for k in ks.scalars if ks.is_argument(k)]
    call += ["scalars", "partials"] + split + ["M", "N"] + (["K"] if g.kind == "matmul" else [])
    if stages and len(stages) > 1:
        lines += [f"    for stage in {stages!r}:  # the interpreter: a launch per exchange round (rowsplit.py)",
                  f"        launch({kname}, grid, ({', '.join(call)}), dict({consts}))"]
    else:
        lines.append(f"    launch({kname}, grid, ({', '.join(call)}), dict({consts}))")
    if ks.labels:  # the sums and the label flags: every column summed over the programs in one op
        lines.append("    totals = partials.sum(0)")
    for k, name in enumerate(ks.full):
        red = next(s for s in g.stmts if s.target == name)
        mean = red.value.op in ("np.mean", ".mean")
        count = M if name in g.row_full else M * N  # a mean of (M,) row results, or of the whole space
        if name in [o for o, _ in outputs]:
            # (one program: its partial is the total, a view -- no reduction launched on the host)
            total = f"totals[{k}]" if ks.labels else f"partials[0, {k}]" if nprog == 1 else f"partials[:, {k}].sum()"
            lines.append(f"    {name}_out = {total}" + (f" / {count}" if mean else ""))
    for j, n in enumerate(ks.labels):
        # read by the host once the call has returned (no synchronisation here): numpy's IndexError
        lines.append(f"    check_labels(totals[{len(ks.full) + j}], {n!r}, N, {_label_site(g, n)!r})")
    read = arrays if not first else ["product"] + [a for a in arrays if a not in ks.mm_operands]
    passes = [ks.passes.get(a, 1) * (grid[-1] if a in ks.prologue_arrays else 1)  # (once per column block)
              for a in read + ks.labels + ks.row_values]
    read_text = ["product"] * first + [param(a) for a in read[first:] + ks.labels + ks.row_values]
    lines.append(f"    record({kname!r}, {_tuple_text(read_text)}, "
                 f"{_tuple_text(o + '_out' for o, k in outputs if k != 'full')}"
                 + (f", passes={tuple(passes)!r}" if any(p != 1 for p in passes) else "") + ")")
    if outs:
        lines.append(f"    return {', '.join(outs)}")
    return "\n".join(lines) + "\n", args


def _split_plan(lines, ks, M, N, dt, dev):
    """A split rows kernel's plan (rowsplit.py): K programs a row, G rows at a time, its exchange
    buffer and counts (zeroed each call), its launch options; (BN, grid, consts, the XCHG of each launch:
    one on a GPU, a launch per exchange round and one more under the interpreter)."""
    from .runtime import INTERPRETED, pow2, rows_options, rows_setting
    from .splitgrid import cooperative_launch, split_groups
    BN = rows_setting("tile", N)
    K = -(-N // BN)
    S, R = ks.split_shape
    G = split_groups(M, N, K)
    lines += [f"    BM, BN, KP, grid = 1, {BN}, {pow2(K)}, ({G * K},)  # {K} programs a row, {G} rows at a time "
              "(splitgrid.split_groups)",
              f"    xchg = torch.empty(({M * S * pow2(K)},), dtype={dt}, device={dev})  # the programs' parts of "
              "their rows' reductions",
              f"    counts = torch.zeros(({M * R},), dtype=torch.int32, device={dev})  # parts stored, a row and round"]
    stages = tuple(range(1, R + 2)) if INTERPRETED else (0,)
    consts = "BM=BM, BN=BN, KP=KP, XCHG=" + ("stage" if len(stages) > 1 else "0") + _options_text(rows_options(N))
    if not INTERPRETED and cooperative_launch():  # (the driver checks that the grid is resident at once)
        consts += ", launch_cooperative_grid=True"
    return BN, (G * K,), consts, stages


def _options_text(options):
    """Launch options as the launcher's text passes them: `, num_warps=16, maxnreg=64`."""
    return "".join(f", {k}={v}" for k, v in options.items())


def contiguous(shape):
    """The strides (in elements) of a fresh contiguous tensor of `shape`."""
    import math
    return tuple(math.prod(shape[i + 1:]) for i in range(len(shape)))


def contiguous_strides(shape, M, N):
    """runtime.strides of a contiguous tensor of `shape`, without the tensor."""
    return broadcast_strides(shape, contiguous(shape), M, N)


def broadcast_strides(shape, st, M, N):
    """runtime.strides of a tensor of `shape` and strides `st` broadcast into an M x N space,
    without the tensor."""
    if len(shape) == 0:
        return 0, 0
    if len(shape) == 1:
        return 0, (st[0] if shape[0] != 1 or N == 1 else 0)
    return (st[0] if shape[0] != 1 or M == 1 else 0), (st[1] if shape[1] != 1 or N == 1 else 0)


def _scalar_argument(key, dtype, P):
    """The launcher's expression passing scalar `key` to the kernel (codegen.KernelSource.scalar_params)."""
    from .runtime import f64_arg
    if np.dtype(dtype) == np.float64:
        return f"*f64_arg({P[key[1]]})" if key[0] == "name" else ", ".join(map(str, f64_arg(key[1])))
    if key[0] == "name":
        return f"float({P[key[1]]})"
    v = float(key[1])  # a constant: inf and nan are written as Python reads them back
    return repr(v) if math.isfinite(v) else f"float('{v}')"


def _label_site(g, n):
    """(file, line, col, text) of the first statement of g that indexes rows by labels n."""
    for s in g.stmts:
        v = s.value
        uses = (v.op == "getitem" and v.args[1].elts[1] == Name(n)) or (v.op == ONE_HOT and v.args[0] == Name(n))
        if uses and s.loc is not None:
            return (s.loc.file, s.loc.line, s.loc.col, s.loc.text)
    return None


def _tuple_text(names):
    """Python text of a tuple of these names: (a, b), (a,), ()."""
    names = list(names)
    return f"({names[0]},)" if len(names) == 1 else f"({', '.join(names)})"


def _row_layouts(ks, layouts, shapes, g):
    """[(row stride, column stride, item size)] of each array a rows kernel's aligned loops address
    (rowalign.aligned_rows), or None where one's layout is known only at the call."""
    M, N = g.space
    out = []
    for n, kind in ks.aligned:
        v = shapes.get(n)
        size = np.dtype(getattr(v, "dtype", None) or g.dtype).itemsize
        if kind == "o":  # a fresh contiguous output
            out.append((*contiguous_strides(tuple(v.shape), M, N), size))
        elif layouts.get(n):
            out.append((*broadcast_strides(*layouts[n], M, N), size))
        else:
            return None
    return out


def _operand_strides(g, n, known, p):
    """Launcher expressions for matmul operand n's (row, col) strides: swapped for a `.T` operand;
    numbers when its layout is known when the module is made (known: (shape, strides))."""
    from .codegen import _mm_name
    transposed = any(not isinstance(e, Name) and _mm_name(e) == n for e in (g.matmul[1], g.matmul[2]))
    if g.vector_left and g.matmul[1] == Name(n):  # v @ B: v is one row of the tile, row stride 0
        return ["0", str(known[1][0]) if known else f"{p}.stride(0)"]
    st = [str(x) for x in known[1]] if known and len(known[1]) == 2 else [f"{p}.stride(0)", f"{p}.stride(1)"]
    return st[::-1] if transposed else st


__all__ = ["launcher", "plain_matmul", "runtime_names", "contiguous_strides", "broadcast_strides", "contiguous"]
