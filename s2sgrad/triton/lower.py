"""Assemble the Triton modules for one compiled signature: the kernels (a module of their own, with
no sizes in it, shared by every batch size), their launchers and the host program (the generated
value-and-gradient code with its tensor work replaced by launches).  A product with nothing fused
after it is not a kernel: its launcher calls torch.matmul (cuBLAS on a GPU).

Each module is written to a file named by the hash of its content (atomically: write, then
rename) and imported, so Triton's JIT can read the kernels' source and cache their binaries.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import sys

import numpy as np

from .. import ir
from ..ir import Assign, Attr, Call, Const, For, If, Name, Return, SetItem, Tuple, While, expr_names
from ..passes.shapes import Arr, PyNum, abstract_of, infer
from ..cachedir import cache_dir as _cache_dir
from ..cachedir import holds, write_atomically
from ..errors import UnsupportedSyntaxError
from . import captured
from .codegen import HELPERS, KernelSource
from .functions import helpers_for
from .gather import fold_shape_constants, one_hot_pairs, row_gather
from .host import host_block, host_expr  # noqa: F401 (host_expr: tests import it from here)
from .launchers import launcher, plain_matmul, runtime_names
from .loops import rewrite_loops
from .plan import KernelGroup, plan
from .promote import operand_value, promote_products
from .rebind import split_rebinds
from .steps import rewrite as negative_steps

def cache_dir():
    """The kernel cache: $S2SGRAD_CACHE or ~/.cache/s2sgrad/kernels (s2sgrad/cachedir.py)."""
    return _cache_dir("kernels", env_is_the_directory=True)


class _Splitter:
    """Hoist matmuls and reductions out of elementwise expressions into statements of their own
    (so each can lead or join a kernel), and fold sizes known from the signature into constants."""

    def __init__(self, shapes, taken):
        self.shapes = shapes
        self.taken = set(taken)
        self.n = 0

    def fresh(self, base):
        while True:
            self.n += 1
            name = f"{base}_{self.n}"
            if name not in self.taken:
                self.taken.add(name)
                return name

    def fresh_or_base(self, base):
        if base not in self.taken:
            self.taken.add(base)
            return base
        return self.fresh(base)

    def fold(self, e):
        if isinstance(e, Attr) and e.attr == "size" and isinstance(e.value, Name):
            v = self.shapes.get(e.value.id)
            if isinstance(v, Arr) and v.shape is not None:
                return Const(int(np.prod(v.shape)))
        if isinstance(e, Call):
            return Call(e.op, tuple(self.fold(a) for a in e.args), tuple((k, self.fold(v)) for k, v in e.kwargs))
        if isinstance(e, Attr):
            return Attr(self.fold(e.value), e.attr)
        return e

    def operand(self, e, out, loc, top=False):
        from .plan import ELEMENTWISE
        if isinstance(e, (Name, Const)):
            return e
        if isinstance(e, Call) and e.op in ELEMENTWISE and not e.kwargs:
            return Call(e.op, tuple(self.operand(a, out, loc) for a in e.args))
        if isinstance(e, Call) and e.op in ("np.sum", ".sum", "np.mean", ".mean", "np.max", ".max", "matmul"):
            inner = self.value(e, out, loc)
            if top:
                return inner
            t = self.fresh("red" if e.op != "matmul" else "prod")
            out.append(Assign((t,), inner, loc))
            return Name(t)
        if isinstance(e, Call) and e.op == "getitem" and row_gather(e, self.shapes) and not top:
            t = self.fresh("picked")  # x[np.arange(M), labels] inside an expression: a row reduction of its own
            out.append(Assign((t,), e, loc))
            return Name(t)
        return e

    def value(self, e, out, loc):
        from .plan import ELEMENTWISE
        if isinstance(e, Call) and e.op in ("np.sum", ".sum", "np.mean", ".mean", "np.max", ".max") and e.args:
            return Call(e.op, (self.operand(e.args[0], out, loc),) + e.args[1:], e.kwargs)
        if isinstance(e, Call) and e.op == "matmul":
            a, b = (x if _mm_leaf(x) else self._hoist(x, out, loc) for x in e.args)
            if self._rank(a) == 2 and isinstance(b, Name) and self._rank(b) == 1:
                # A @ v is v @ A.T: the vector becomes the tile's one row, so the product can take an
                # elementwise epilogue over its (N,) result (the RNN's tanh(W @ h + ...))
                return Call("matmul", (b, _transposed(a)))
            return Call("matmul", (a, b))
        if isinstance(e, Call) and e.op in ELEMENTWISE and not e.kwargs:
            return Call(e.op, tuple(self.operand(a, out, loc) for a in e.args))
        return e

    def _rank(self, e):
        v = operand_value(e, self.shapes)
        return len(v.shape) if v is not None and v.shape is not None else None

    def _hoist(self, e, out, loc):
        t = self.fresh("t")
        out.append(Assign((t,), self.value(e, out, loc), loc))
        return Name(t)

    def block(self, block):
        out = []
        for s in block:
            if isinstance(s, Assign) and len(s.targets) == 1:
                pre = []
                v = self.value(self.fold(s.value), pre, s.loc)
                out += pre + [Assign(s.targets, v, s.loc)]
            elif isinstance(s, If):
                pre = []
                test = self.operand(self.fold(s.test), pre, s.loc)
                out += pre + [If(test, tuple(self.block(s.body)), tuple(self.block(s.orelse)), s.loc)]
            elif isinstance(s, For):
                out.append(For(s.target, s.iter, tuple(self.block(s.body)), s.loc))
            elif isinstance(s, While):
                out.append(While(s.test, tuple(self.block(s.body)), s.loc))
            else:
                out.append(s)
        return out


def _transposed(e):
    if isinstance(e, Name):
        return Call("@T", (e,))
    return e.args[0] if isinstance(e, Call) else e.value


def _mm_leaf(e):
    return isinstance(e, Name) or (isinstance(e, Attr) and e.attr == "T" and isinstance(e.value, Name)) or (
        isinstance(e, Call) and e.op == "@T" and isinstance(e.args[0], Name))


# ------------------------------------------------------------------------------ liveness
def _group_reads_writes(g):
    reads, writes = [], set()
    for s in g.prologue + g.stmts:
        for n in expr_names(s.value):
            if n not in writes:
                reads.append(n)
        writes.add(s.target)
    return reads, writes


def _reads_outside(body, g):
    """Names read anywhere in the program except by group g itself."""
    names = set()
    for s in ir.walk(body):
        if isinstance(s, KernelGroup):
            if s is not g:
                names.update(_group_reads_writes(s)[0])
        else:
            names.update(ir.stmt_reads(s))
    return names


def _kind_of(s, g):
    v = s.value
    if g.kind == "matmul" and (s is g.stmts[0] or s in g.prologue):
        return "tile"  # (a prologue's output: a (K,) vector, stored by the first column block)
    if isinstance(v, Call) and v.op in ("np.sum", ".sum", "np.mean", ".mean", "np.max", ".max"):
        return "full" if v.kw("axis") is None else "row"
    if isinstance(v, Call) and v.op == "getitem":  # x[np.arange(M), labels]: one value per row
        return "row"
    return "tile"


# ------------------------------------------------------------------------------ module
# names of the host module's globals that the host program itself reads, and the kernels' own
# parameters an array's `<name>_ptr` would repeat: a program variable of one of these names is
# refused (kernel locals and launcher parameters are renamed instead: kernelexpr.local_name,
# launchers.params)
_HOST_NAMES = re.compile(r"add_outer|torch|tl|np_device|NO_SCALARS_F(32|64)|partials|scalars|product"
                         r"|launch_\d+|k\d+_\w+|s2sgrad_\w+")


def _refuse_host_names(fn):
    for s in ir.walk(fn.body):
        for t in ir.stmt_writes(s):  # (assignment and loop targets)
            if _HOST_NAMES.fullmatch(t):
                raise UnsupportedSyntaxError(
                    f"backend='triton': the variable name '{t}' is one the generated host code or kernels use "
                    "themselves; rename the variable", s.loc)
    for t in fn.params:
        if _HOST_NAMES.fullmatch(t):
            raise UnsupportedSyntaxError(f"backend='triton': the parameter name '{t}' is one the generated host "
                                         "code or kernels use themselves; rename the parameter", fn.loc)


def build_module(compiled, dtype_names, param_layouts=None):
    """(module source, host function name, notes) for a numpy-compiled signature.  param_layouts:
    parameter name -> (shape, strides) of the tensors the module is planned for (their strides are
    written into the launchers; launchplan.py keys the plan on them)."""
    fn = compiled.value_and_grad_ir
    _refuse_host_names(fn)
    renames = captured.renames(compiled.namespace, fn, _HOST_NAMES.fullmatch)  # a global named `mm`
    fn = captured.renamed(fn, renames)
    sig = dict(compiled.signature)
    seed = fn.defaults[0][0]
    result_val = None
    # the arrays the program reads from its globals, closure or defaults (`captured`) have the shapes
    # they were compiled for (rebinding one recompiles), as the numpy backend's inference has them
    arg_vals = {renames.get(n, n): abstract_of(v) for n, v in (compiled.namespace or {}).items()
                if isinstance(v, np.ndarray)}
    arg_vals.update(sig)

    def shapes_of(f):
        return infer(ir.Function(f.name, f.params, f.body), arg_vals, namespace)
    namespace = {renames.get(n, n): v for n, v in (compiled.namespace or {}).items()}
    # three passes: the seed has the output's shape (a Python float for a scalar output), known after
    # one; then split with the shapes known, and infer the shapes of the split program
    shapes = {}
    for k in range(3):
        if k == 2:
            fn = rewrite_loops(fn, shapes)  # loop-invariant products hoisted, rank-1 updates in place
            fn = fold_shape_constants(fn, shapes)  # `n = x.shape[0]`: the gather's length is known
            sp = _Splitter(shapes, set(ir.all_writes(fn.body)) | set(ir.all_reads(fn.body)) | set(fn.params))
            fn = ir.Function(fn.name, fn.params, tuple(sp.block(fn.body)), fn.defaults, fn.header, fn.loc)
        info = shapes_of(fn)
        if k == 0:
            renamed = split_rebinds(fn, info, _HOST_NAMES.fullmatch)  # one name per shape (rebind.py)
            if renamed is not fn:
                fn, info = renamed, shapes_of(renamed)
        shapes = dict(info.all)
        ret = fn.body[-1]
        if isinstance(ret, Return) and isinstance(ret.value, Tuple) and isinstance(ret.value.elts[0], Name):
            result_val = shapes.get(ret.value.elts[0].id)
        if k == 2:
            promoted = promote_products(fn, shapes, sp.fresh)
            if promoted is not fn:
                fn, shapes = promoted, dict(shapes_of(promoted).all)
            break
        arg_vals[seed] = result_val if isinstance(result_val, Arr) and result_val.shape not in ((), None) \
            else PyNum(float)
    shapes[seed] = arg_vals[seed]
    for name in fn.params:
        shapes.setdefault(name, sig.get(name))
    # zeros_like + add.at with an arange(M) row index: an elementwise one-hot term (gather.py)
    fn = ir.Function(fn.name, fn.params, tuple(one_hot_pairs(fn.body, shapes, sp.fresh_or_base)), fn.defaults,
                     fn.header, fn.loc)
    prog = plan(fn, shapes)
    from .runtime import tf32_enabled  # (runtime imports torch: not at module import, the light route has none)
    tf32 = tf32_enabled()
    kernels, launchers, launches, written = [], [], {}, []
    for g in prog.groups:
        reads, writes = _group_reads_writes(g)
        outside = _reads_outside(prog.fn.body, g)
        outputs = []
        for s in g.prologue + g.stmts:
            t = s.target
            kind = _kind_of(s, g)
            live = t in outside or t in reads
            if live and (t, kind) not in outputs and not (kind == "tile" and any(o[0] == t for o in outputs)):
                outputs = [o for o in outputs if o[0] != t] + [(t, kind)]
        if g.kind == "matmul" and len(g.stmts) == 1 and not g.prologue:  # nothing fused: cuBLAS beats fixed tiles
            launcher_text, args = plain_matmul(g, outputs)
            launchers.append(launcher_text)
            launches[g.index] = ([n for n, _ in outputs], args)
            written.append(None)
            continue
        name = f"k{g.index}_{fn.name}"
        ks = KernelSource(g, [(n, k) for n, k in outputs if k != "full"], shapes, name, tf32=tf32)
        kernels.append((name, ks.source()))
        launcher_text, args = launcher(g, ks, outputs, shapes, name)
        launchers.append(launcher_text)
        launches[g.index] = ([n for n, _ in outputs], args)
        written.append((g, ks, outputs, name))
    from ..passes.optimize import drop_orphan_comments
    # names that may hold one number: all but the known arrays of rank >= 1 (a name of unknown shape,
    # `g = np.copy(t[0])` of an unknown t, was updated in place, and an alias of it changed: 14 off)
    arrays = {n for n, v in shapes.items() if isinstance(v, Arr) and v.shape is not None and len(v.shape) >= 1}
    scalars = (set(ir.all_writes(prog.fn.body)) | set(fn.params)) - arrays
    host = drop_orphan_comments(host_block(prog.fn.body, launches, scalars))
    host = negative_steps(host, shapes)  # torch's slices take positive steps only
    # the launch plan: the launchers again, with the strides known now written in (launchplan.py)
    layouts = known_layouts(host, launches, shapes, fn.params, param_layouts or {})
    launchers = [text if w is None else launcher(*w[:3], shapes, w[3], layouts)[0]
                 for text, w in zip(launchers, written)]
    host_fn = ir.Function(fn.name + "_host", fn.params, tuple(host), fn.defaults,
                          ("host code: control flow and records in Python, tensor work in the kernels above",), fn.loc)
    host_src = ir.to_source(host_fn)
    helpers = _host_helpers(host_src, host_fn)
    notes = _host_notes(host_fn)
    # the kernels are a module of their own, named by the digest of their text: it holds no sizes, so
    # every batch size of a signature imports the same module and Triton compiles each kernel once
    kernel_text = ("# generated by s2sgrad -- Triton kernels for "
                   f"{fn.name} ({', '.join(dtype_names)}); no sizes: they arrive as arguments\n"
                   "import triton\nimport triton.language as tl\n"
                   + HELPERS + helpers_for("\n".join(k for _, k in kernels)) + "\n\n"
                   + "\n\n".join(k for _, k in kernels))
    kernel_module = module_name(kernel_text)
    imports = f"from {kernel_module} import {', '.join(n for n, _ in kernels)}\n" if kernels else ""
    host_text = ("# generated by s2sgrad -- launchers and host code for "
                 f"{fn.name} ({', '.join(dtype_names)})\n"
                 "# np and NO_SCALARS_F32/F64 are set for the plan's device by runtime.bind_device\n"
                 "import torch\nimport triton.language as tl\n\n"
                 f"from s2sgrad.triton.runtime import {runtime_names(launchers + [host_src])}\n"
                 + imports + (f"from s2sgrad.triton.torchnp import {', '.join(helpers)}\n" if helpers else "")
                 # (a name that may be unbound starts as the sentinel: passes/unbound.py)
                 + ("from s2sgrad.markers import UNBOUND\n" if re.search(r"\bUNBOUND\b", host_src) else "")
                 + "\n\n" + "\n\n".join(launchers) + "\n\n" + host_src)
    seed_val = shapes.get(seed)
    seed_shape = tuple(seed_val.shape) if isinstance(seed_val, Arr) and seed_val.shape else None
    return (kernel_text, host_text), host_fn.name, notes, len(kernels), seed_shape


def known_layouts(host, launches, shapes, params, param_layouts):
    """name -> (shape, strides) of the host variables whose layout is the same at every call of the
    plan: a parameter never rebound (its strides are part of the plan's key), and a name every
    assignment of which is a fresh output of a launch (contiguous: runtime.alloc, torch.matmul)."""
    from .launchers import contiguous
    defs = {}
    for s in ir.walk(host):
        for t in ir.stmt_writes(s):
            layout = None
            if isinstance(s, Assign) and isinstance(s.value, Call) and s.value.op.startswith("launch_"):
                v = shapes.get(t)
                shape = getattr(v, "shape", None)
                if shape is not None and t in launches[int(s.value.op[len("launch_"):])][0]:
                    layout = (tuple(shape), contiguous(tuple(shape)))
            defs.setdefault(t, []).append(layout)
    known = {n: lay for n, lay in param_layouts.items() if n in params and n not in defs}
    for n, lays in defs.items():
        if n not in params and lays[0] is not None and all(lay == lays[0] for lay in lays):
            known[n] = lays[0]
    return known


def _host_helpers(host_src, host_fn=None):
    """The run-time helpers (s2sgrad.runtime) host code calls: those with a torch twin are imported;
    any other is refused by name, at the line whose adjoint calls it (it would be a NameError, or
    numpy on a GPU tensor)."""
    import re
    from ..runtime import NAMESPACE
    from .torchnp import HOST_HELPERS
    used = sorted(n for n in NAMESPACE if n != "np" and re.search(rf"(?<![\w.]){n}\(", host_src))  # (not x.copy())
    missing = [n for n in used if n not in HOST_HELPERS]
    if missing:
        site = None if host_fn is None else next((st.loc for st in ir.walk(host_fn.body) if st.loc is not None
                                                  and any(c.op == missing[0] for c in ir.stmt_calls(st))), host_fn.loc)
        raise UnsupportedSyntaxError(f"backend='triton' cannot run the generated helper {missing[0]}() of this line's "
                                     "gradient on the host yet (it is written for numpy arrays): use the numpy "
                                     "backend for this function", site)
    return used


def _host_notes(host_fn):
    notes = []
    for s in ir.walk(host_fn.body):
        if isinstance(s, (Assign, SetItem, ir.ExprStmt)):
            v = s.value
            ops = _ops(v)
            tensorish = [o for o in ops if o.startswith("np.") or o in ("matmul", "getitem")]
            if tensorish and not (isinstance(v, Call) and v.op.startswith("launch_")):
                notes.append(f"runs through torch: {ir.stmt_lines(s)[0].strip()}")
    return notes


def _ops(e, out=None):
    out = [] if out is None else out
    if isinstance(e, Call):
        out.append(e.op)
        for a in e.args:
            _ops(a, out)
    return out


def module_name(text):
    """The importable name of the module holding `text` (a digest of its content)."""
    return f"s2sgrad_kernels_{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def load_module(text):
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    path = os.path.join(cache_dir(), f"s2sgrad_{digest}.py")
    if not holds(path, text):  # missing, truncated or tampered with: written again, atomically
        write_atomically(path, text)
    name = module_name(text)
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
