"""The pipeline, end to end: parsed IR -> normalized -> shapes + activity -> adjoint -> optimized ->
Python source -> a callable.

    source --libcst--> IR --normalize--> ANF IR --analyses--> adjoint IR --optimize--> emit

`compile_signature` is called once per (function, wrt, argument signature) and cached by api.py;
later calls run the generated function directly.
"""
from __future__ import annotations

import enum
import gc
import hashlib
from dataclasses import dataclass, replace

import numpy as np

from . import debug, ir
from .errors import S2SGradError, WrtError
from .ir import Assign, Blank, Call, Const, Function, Name, Return, Tuple, expr_names
from .frontend.deferred_checks import refuse_deferred, refuse_dict_loops
from .frontend.guards import plain_constants
from .passes.activity import analyze
from .passes.containers import flatten
from .passes.given_containers import given_by_signature, given_not_none
from .passes.iterate_marks import drop_iterate_marks
from .passes.trees import Tree
from .passes.unpacking import check_unpack_counts
from .passes.unbound import check_unbound
from .passes.views import copy_views_of_written
from .passes.smooth_squares import smooth_squares
from .rules.custom import local_names
from .passes.normalize import normalize
from .passes.outputs import scalarize, split_aux
from .passes.list_names import rename_rebound_lists
from .passes.list_trips import count_list_loops
from .passes.list_tuples import split_tuple_lists
from .passes.list_arrays import lists_read_as_arrays, marked_as_arrays, rows_as_array
from .frontend.effects import refuse_helper_reads
from .passes.namedtuples import fold_fields
from .passes.dict_scalars import dicts_as_variables
from .passes.list_slices import list_copies_as_slices, rewrite_list_slices
from .passes.list_joins import joins_as_appends
from .passes.masks import simplify_masks
from .passes.optimize import (common_subexpressions, drop_orphan_comments, eliminate_dead, inline_temporaries,
                              reassociate_products)
from .passes.shapes import UNKNOWN, Arr, Known, PyNum, abstract_of, infer
from .annotations import _header, add_grad_comments
from .ad import checkpoint as ckpt
from .ad.context import Names
from .ad.records import PrimalSweep, live_restores, primal_reads, resolve_restores
from .ad.reverse import ReverseGenerator
from . import runtime_custom  # noqa: F401  (registers cotangents_of)
from .runtime import NAMESPACE


@dataclass
class Compiled:
    """The generated code for one signature."""
    value_and_grad: object   # f(*args) -> (value, grads); seed folded to 1.0 for a scalar output
    grad: object             # f(*args) -> grads, seed folded to 1.0 (scalar outputs only)
    value_and_grad_source: str
    grad_source: str
    output_scalar: object    # True / False / None (unknown until run)
    guard: object = None     # an assert line checking the signature, for standalone files
    value_and_grad_ir: object = None  # the IR of the seeded variant (what the Triton backend lowers)
    namespace: dict = None   # names the generated code reads besides numpy (captured globals)
    signature: dict = None   # parameter -> abstract value compiled for
    seeded: object = None    # f(*args, seed) -> (value, grads): the vector-Jacobian product
    seeded_source: str = ""
    output_shape: tuple = None  # the output's shape when known statically (seeds are checked against it)
    later: object = None     # builds (seeded, seeded_source, value_and_grad_ir) on first use
    irs: dict = None         # variant ("value_and_grad", "grad") -> the IR printed (what other backends lower)

    # For a scalar output the seeded variant (explicit seeds, vjp, the Triton backend) is generated
    # on first use: most programs never ask for it, and it is a third of the compile time.
    _LAZY = ("seeded", "seeded_source", "value_and_grad_ir")

    def __post_init__(self):
        for n in self._LAZY:
            if self.__dict__.get(n) is LATER:
                del self.__dict__[n]  # looked up through __getattr__, built then

    def __getattr__(self, name):
        if name in Compiled._LAZY and self.__dict__.get("later") is not None:
            fn, src, fir = self.__dict__["later"]()
            self.seeded, self.seeded_source, self.value_and_grad_ir = fn, src, fir
            return self.__dict__[name]
        raise AttributeError(name)


LATER = object()
for _n in Compiled._LAZY:  # the defaults live in __init__ now; as class attributes they would hide __getattr__
    if _n in Compiled.__dict__:
        delattr(Compiled, _n)


def build_variant(parsed, nf, wrt, single, shapes, act, fold_seed, keep_value=False, seeded_name="value_and_grad",
                  needed=None):
    """One generated function. `needed` (primal names the reverse sweep reads) may come from a
    sibling variant: the variants differ only in the seed, so it is then a fixed point at once."""
    kinds = ("value_and_grad",) if fold_seed and keep_value else ("grad",) if fold_seed else (seeded_name,)
    fns, needed = build_variants(parsed, nf, wrt, single, shapes, act, fold_seed, kinds, needed)
    return fns[0], needed


def build_variants(parsed, nf, wrt, single, shapes, act, fold_seed, kinds, needed=None):
    """The generated functions named by `kinds` ("grad": gradients only; "value_and_grad" or
    "value_and_vjp": the value too), from one reverse sweep: with the same seed they differ only in
    what they return, so the adjoint code is generated once (compile time) and shared."""
    primal = set(nf.fn.params) | set(ir.all_writes(nf.fn.body)) | set(ir.all_reads(nf.fn.body))
    user = frozenset(parsed.ir.params) | frozenset(ir.all_writes(parsed.ir.body))
    for _ in range(4):
        names = Names(primal | set(NAMESPACE))
        gen = ReverseGenerator(nf, wrt, shapes, act, fold_seed, names, needed, user)
        rev, finals = gen.run()
        grads = finals[0] if single else Tuple(tuple(finals))
        reads = primal_reads(rev + [Return(grads)], primal)
        if reads == needed:
            break
        needed = reads
    fb = PrimalSweep(gen, needed, live_restores(rev, set(expr_names(grads))))
    fwd = fb.build(nf.fn.body)
    rev = resolve_restores(rev, fb.saves)
    if gen.plan is not None:  # checkpointed loops: the segments' recorded bodies (ad/checkpoint.py)
        rev = ckpt.resolve(rev, fb.recorded, gen.plan)
    inits = [Assign((n,), Const(None), None) for n in fb.inits]
    inits += [Assign((st,), ir.ListExpr(()), None) for st in fb.stacks]
    result, keep = _keep_result(nf.result, rev, names)
    body = inits + fwd + keep + [Blank()] + add_grad_comments(rev)
    temps = _temporaries(parsed, nf, names)
    adjoints = frozenset(v for k, v in names.given.items() if k[0] == "grad")
    defaults = () if fold_seed else ((gen.seed_name(), Const(1.0)),)
    header = _header(parsed, shapes.signature)
    # the passes run once, on the variant returning the value; the gradient-only variant is the same
    # code returning the gradients alone (the passes never touch a return but to inline a temporary
    # into it, which they do alike in both), then dead code goes
    first = next((k for k in kinds if k != "grad"), "grad")
    aux = getattr(nf, "aux", None)
    value = Name(result) if aux is None else Tuple((Name(result), Name(aux)))  # has_aux: (loss, aux)
    if first == "grad":
        ret = Return(grads if aux is None else Tuple((grads, Name(aux))))
    else:
        ret = Return(Tuple((value, grads)))
    fn = Function(f"{nf.fn.name}_{first}", nf.fn.params, tuple(body + [ret]), defaults, header, nf.fn.loc)
    fn = inline_temporaries(fn, temps)
    fn = simplify_masks(fn, only=adjoints)  # np.where(m, 0.0, 2 * np.where(m, 0.0, g)): one where
    is_scalar, dtype_of, float_leaf = _scalar_oracle(fn, shapes, gen)
    fn = reassociate_products(fn, is_scalar, dtype_of, only=adjoints, float_leaf=float_leaf)
    fn = common_subexpressions(fn, only=adjoints)
    out = []
    for kind in kinds:
        v = fn
        if kind != first:  # the gradient-only variant of a value-returning one
            value_ret = fn.body[-1]
            only = value_ret.value.elts[1]
            if aux is not None:  # grad with has_aux: (grads, aux)
                only = Tuple((only, value_ret.value.elts[0].elts[1]))
            v = Function(f"{nf.fn.name}_{kind}", fn.params, fn.body[:-1] + (Return(only),),
                         fn.defaults, fn.header, fn.loc)
        if fold_seed:
            v = eliminate_dead(v)
        out.append(Function(v.name, v.params, tuple(drop_orphan_comments(v.body)), v.defaults, v.header, v.loc))
    return out, needed


def _keep_result(result, rev, names):
    """The returned value must be the forward sweep's: when the reverse sweep rebinds the result
    variable (restoring an older value for an adjoint), keep the value under a name of its own
    first; when it writes into the result array (restoring a subscript), keep a copy."""
    writes = [s for s in ir.walk(rev) if result in ir.stmt_writes(s)]
    if not writes:
        return result, []
    kept = names.get(("value",), "value")
    value = Name(result)
    if any(isinstance(s, ir.SetItem) for s in writes):
        value = Call(".copy", (value,))
    return kept, [Assign((kept,), value, None)]


def _scalar_oracle(fn, shapes, gen):
    """is_scalar(expr) and dtype_of(expr) for the final function, from what is already known: the
    primal shapes, the adjoints' abstract values, and the seed (scalar when the output is)."""
    from .passes.shapes import evaluate
    env = dict(shapes.all)
    env.update(gen.gvals)
    for name, cur in gen.adj.items():
        if isinstance(cur.expr, Name):
            env.setdefault(cur.expr.id, cur.value)
    for k, _ in fn.defaults:
        out = shapes.at_exit(gen.result)
        env[k] = out if isinstance(out, Arr) and out.shape not in ((), None) else PyNum(float)

    memo = {}  # the same factors are asked about again and again: evaluate each once

    def value(e):
        if isinstance(e, Name):
            v = _name_value(e, env)
            if v is not None:
                return v
        key = ir.expr_src(e)  # not e itself: Const(2) == Const(2.0), but their dtypes differ
        v = memo.get(key, memo)
        if v is memo:
            v = memo[key] = evaluate(e, env, shapes.namespace)
        return v

    def is_scalar(e):
        v = value(e)
        return isinstance(v, (PyNum,)) or (isinstance(v, Arr) and v.shape == ())

    def dtype_of(e):
        v = value(e)
        return v.dtype if isinstance(v, Arr) else (v.type if isinstance(v, PyNum) else None)

    def float_leaf(e):
        """A factor whose order in a product cannot change the product's dtype: a floating array or
        numpy scalar, or a Python int/float (NumPy >= 2: Python numbers never change an array's
        dtype; floating promotion is order-free)."""
        if not _WEAK_SCALARS:
            return False
        v = value(e)
        if isinstance(v, Arr):
            return v.dtype is not None and np.dtype(v.dtype).kind == "f"
        t = v.type if isinstance(v, PyNum) else type(v.value) if isinstance(v, Known) else None
        return t is int or t is float
    return is_scalar, dtype_of, float_leaf


_WEAK_SCALARS = int(np.__version__.split(".")[0]) >= 2


def _name_value(e, env):
    """What `evaluate` gives for a plain name with a settled abstract value, without running numpy
    on a dummy (the common case, and the costly part of compiling long programs); None otherwise."""
    v = env.get(e.id)
    if isinstance(v, Arr) and v.shape is not None and v.dtype is not None:
        return Arr((), np.dtype(v.dtype), True) if v.scalar else Arr(tuple(v.shape), np.dtype(v.dtype))
    if isinstance(v, PyNum) and v.type in (bool, int, float):
        return v
    return None


def _temporaries(parsed, nf, names):
    user = set(parsed.ir.params) | set(ir.all_writes(parsed.ir.body)) | set(ir.all_reads(parsed.ir.body))
    temps = set(ir.all_writes(nf.fn.body)) - user - {nf.result}
    temps |= {names.given[("grad", t)] for t in list(temps) if ("grad", t) in names.given}
    return temps


def compile_signature(parsed, wrt, single, arg_abstract: dict, has_aux=False, cotangent=None,
                      checkpoint=None) -> Compiled:
    """The generated code for one signature.  `cotangent`: the abstract value (a Tree) of the seed of
    a function returning a tuple/list/dict: compiled as the gradient of <seed, output>, the seed an
    extra last argument named `cotangent` (passes/outputs.py)."""
    if cotangent is not None:
        name = "cotangent" if "cotangent" not in parsed.ir.params else "cotangent_of_output"
        parsed = replace(parsed, ir=scalarize(parsed.ir, name))
        arg_abstract = {**arg_abstract, name: cotangent}
    # compilation allocates many small, acyclic IR objects that reference counting frees; the
    # cyclic collector would rescan the whole growing IR again and again (a quarter of the time
    # of a 1600-statement function, and superlinear), so it is paused while compiling
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _compile_signature(parsed, wrt, single, arg_abstract, has_aux, checkpoint)
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class Prepared:
    """A function made ready for a transform: containers flattened, normalized, shapes inferred,
    activity known (what every transform -- reverse, forward -- starts from)."""
    parsed: object
    nf: object
    wrt: tuple
    single: bool
    shapes: object
    act: object
    flat: object = None
    user_wrt: tuple = ()
    user_single: bool = True


def prepare(parsed, wrt, single, arg_abstract: dict, aux=None) -> Prepared:
    # `if cfg is None:`, `cfg or {...}`, `if layers:` of what this signature passes (given_containers.py)
    given = given_by_signature(arg_abstract)
    parsed = replace(parsed, ir=replace(parsed.ir, body=given_not_none(parsed.ir.body, given)))
    # arm.m1 of a named tuple known when compiling: its value (passes/namedtuples.py)
    parsed = replace(parsed, ir=fold_fields(parsed.ir, parsed.captured, arg_abstract))
    # stats = {'ll': ..., 'iters': 0} used key by key: a variable per key (passes/dict_scalars.py)
    parsed = replace(parsed, ir=dicts_as_variables(parsed.ir))
    parsed = replace(parsed, ir=list_copies_as_slices(parsed.ir))  # list(hs[1:]) of a run-time list: hs[1:]
    # season = list(y - level), then season[t % m] = ...: the array's copy (passes/list_arrays.py)
    parsed = replace(parsed, ir=rows_as_array(parsed.ir, {p for p, v in arg_abstract.items() if isinstance(v, Tree)}))
    flat = flatten(parsed.ir, arg_abstract, parsed.captured)
    if flat is not None and flat.deferred:  # obj.t += 1: refused where t holds an array (container_writes.py)
        parsed = replace(parsed, deferred=tuple(parsed.deferred) + tuple(flat.deferred))
    if flat is not None and flat.named:  # named tuple classes the gradients are rebuilt as
        parsed = replace(parsed, captured={**parsed.captured, **flat.named})
    for w in wrt:  # ("x", 0) under an array or a number names no leaf (it is never the whole of x)
        if isinstance(w, tuple) and len(w) > 1 and (flat is None or w[0] not in flat.leaves):
            raise WrtError(f"wrt path {w!r}: '{w[0]}' is not a container or object argument (differentiate with "
                           f"respect to '{w[0]}' and index its gradient)", parsed.ir.loc)
    user_wrt, user_single = wrt, single
    if flat is not None:  # methods of objects inlined, class attributes read (passes/objects.py), and the
        # alias fence over what flattening made of objects and containers (u = np.asarray(obj.v); u[0] = 5)
        parsed = _with_methods(parsed, flat)
    if flat is None:
        parsed = replace(parsed, ir=marked_as_arrays(drop_iterate_marks(parsed.ir)))
    if flat is not None and not flat.trees and not flat.read_objects:  # objects made in the function only
        parsed, flat = replace(parsed, ir=flat.fn), None
    if flat is not None:  # container arguments: their leaves become variables (passes/containers.py)
        leaf_wrt = flat.wrt_leaves(wrt)
        if not leaf_wrt:
            raise WrtError("no floating-point leaf to differentiate in "
                           + ", ".join(".".join(map(str, w)) if isinstance(w, tuple) else w for w in wrt), parsed.ir.loc)
        parsed = replace(parsed, ir=flat.fn)
        wrt, single, arg_abstract = leaf_wrt, False, flat.abstract
    refuse_helper_reads(parsed)  # (objects' methods inlined above read globals too)
    nf = normalize(parsed.ir)
    # for h in hs[1:]: reads of hs (passes/list_slices.py); traj = np.array(traj): a name of its own;
    # a list of tuples: a list per position (passes/list_tuples.py); np.mean(losses): of np.array(losses)
    nf = replace(nf, fn=lists_read_as_arrays(split_tuple_lists(rename_rebound_lists(rewrite_list_slices(
        joins_as_appends(nf.fn))))))  # trial = hs + [h]: a list built by appends (passes/list_joins.py)
    nf = replace(nf, fn=count_list_loops(nf.fn))  # a loop over a list that grows later: its count bound first
    user = frozenset(parsed.ir.params) | frozenset(ir.all_writes(parsed.ir.body))
    # y read where it may be unbound: checked (passes/unbound.py); so is the value returned, where it
    # is the user's name (the name single exit makes is bound at every return)
    nf = replace(nf, fn=check_unbound(nf.fn, [r for r in (nf.result, getattr(nf, "aux", None)) if r in user]))
    nf.aux = aux
    for p in wrt:
        v = arg_abstract.get(p)
        if isinstance(v, PyNum) and v.type is not float or (isinstance(v, Arr) and v.dtype is not None
                                                             and v.dtype.kind not in "fc"):
            kind = v.type.__name__ if isinstance(v, PyNum) else f"array of {v.dtype}"
            raise WrtError(f"argument '{p}' is differentiated (wrt) but is {kind}: pass a float or a "
                           "floating-point array (e.g. 3.0, not 3)", parsed.ir.loc)
    # module-level arrays the function reads are specialised on like arguments (their shapes are
    # part of what the guards check: rebinding one recompiles)
    known = {n: abstract_of(v) for n, v in parsed.captured.items() if isinstance(v, np.ndarray)}
    known.update({n: Known(v) for n, v in parsed.captured.items() if type(v) is dict and plain_constants(v)})
    # (a global or closure string -- mode=MODE, a factory's `kind` -- is known when compiling, and
    # guarded: rule options read it, rules/ad/context.constant)
    known.update({n: Known(v) for n, v in parsed.captured.items() if type(v) is str})
    shapes = infer(nf.fn, {**known, **arg_abstract}, parsed.captured)
    shapes.signature = {p: arg_abstract.get(p) for p in parsed.ir.params}
    kept = refuse_deferred(parsed.deferred, nf.fn, shapes, generic=any(v is UNKNOWN for v in arg_abstract.values()))
    refuse_dict_loops(nf.fn, shapes)
    nf = replace(nf, fn=check_unpack_counts(nf.fn, shapes))  # a, b = v: v's length (passes/unpacking.py)
    nf = replace(nf, fn=copy_views_of_written(nf.fn, shapes, user, kept))
    # norm(x) ** 2 as np.sum(np.square(x)): exact second derivatives at x = 0 (passes/smooth_squares.py)
    nf = replace(nf, fn=smooth_squares(nf.fn, shapes))
    act = analyze(nf.fn, wrt, nf.result)
    return Prepared(parsed, nf, tuple(wrt), single, shapes, act, flat, user_wrt, user_single)


def _with_methods(parsed, flat):
    """parsed with what the methods inlined when flattening read: their globals (captured, and
    guarded through the function's own ParsedFunction), and the alias fence run again over the
    whole flattened program (a method writing into an array the caller shares is refused)."""
    from .frontend import aliasing
    parsed.captured.update(flat.captured)
    known = {(id(c), n) for c, n, _ in parsed.guards}
    for g in flat.guards:  # each once (the flattener may meet a method many times)
        if (id(g[0]), g[1]) not in known:
            known.add((id(g[0]), g[1]))
            parsed.guards.append(g)
    deferred = aliasing.check(flat.fn.params, flat.fn.body)
    return replace(parsed, deferred=tuple(parsed.deferred) + tuple(deferred))


def _compile_signature(parsed, wrt, single, arg_abstract: dict, has_aux=False, checkpoint=None) -> Compiled:
    aux = None
    if has_aux:  # return loss, aux: differentiate the loss, carry aux through (passes/outputs.py)
        loss_only, aux = split_aux(parsed.ir)
        parsed = replace(parsed, ir=loss_only)
    pp = prepare(parsed, wrt, single, arg_abstract, aux)
    parsed, nf, wrt, single, shapes, act, flat = pp.parsed, pp.nf, pp.wrt, pp.single, pp.shapes, pp.act, pp.flat
    nf.checkpoint = checkpoint
    user_wrt, user_single = pp.user_wrt, pp.user_single
    out_val = shapes.at_exit(nf.result)
    scalar = None
    if isinstance(out_val, PyNum) or (isinstance(out_val, Arr) and out_val.shape == ()):
        scalar = True
    elif isinstance(out_val, Arr) and out_val.shape is not None:
        scalar = False
    # a scalar output's seed is 1.0 unless the caller gives one: fold it into value_and_grad and
    # grad, and keep a seeded variant (value_and_vjp) for explicit seeds and vjp
    ns = dict(NAMESPACE)
    ns.update(parsed.captured)

    def back(f):
        return _containers_back(f, flat, wrt, user_wrt, user_single, aux) if flat is not None else f
    if scalar:
        (g, vg), needed = build_variants(parsed, nf, wrt, single, shapes, act, True, ("grad", "value_and_grad"))

        def later():  # the seeded variant, from the same record decisions (a fixed point at once)
            sv = back(build_variant(parsed, nf, wrt, single, shapes, act, fold_seed=False,
                                    seeded_name="value_and_vjp", needed=needed)[0])
            shown, src, sns = shown_source(sv, ns)
            return _exec(src, shown, sns, parsed), src, sv
        seeded = seeded_fn = s_src = LATER
    else:
        seeded, needed = build_variant(parsed, nf, wrt, single, shapes, act, fold_seed=False)
        (g,), _ = build_variants(parsed, nf, wrt, single, shapes, act, True, ("grad",), needed)
        seeded = vg = back(seeded)
        later = None
    g, vg = back(g), (vg if vg is seeded else back(vg))
    (vg_shown, vg_src, vg_ns), (g_shown, g_src, g_ns) = shown_source(vg, ns), shown_source(g, ns)
    guard = _signature_guard(shapes.signature)
    if seeded is not LATER:
        s_src = vg_src
        seeded_fn = _exec(s_src, vg_shown, vg_ns, parsed)
    return Compiled(_exec(vg_src, vg_shown, vg_ns, parsed) if vg is not seeded else seeded_fn,
                    _exec(g_src, g_shown, g_ns, parsed), vg_src, g_src, scalar,
                    guard, seeded, dict(parsed.captured), dict(shapes.signature), seeded_fn, s_src,
                    later=later, irs={"value_and_grad": vg, "grad": g},
                    output_shape=() if isinstance(out_val, PyNum) else (
                        tuple(out_val.shape) if isinstance(out_val, Arr) and out_val.shape is not None else None))


def _containers_back(fn, flat, leaf_wrt, user_wrt, user_single, aux_name=None):
    """A generated function over container leaves, given back its container parameters: the
    prologue unpacks them as the user's code reads them, the gradients are rebuilt with the
    containers' structure."""
    ret = fn.body[-1]
    has_value = fn.name.endswith(("_value_and_grad", "_value_and_vjp"))
    value, grads = ret.value.elts if has_value else (None, ret.value)
    aux = None
    if aux_name is not None and not has_value:
        grads, aux = grads.elts
    finals = dict(zip(leaf_wrt, grads.elts))
    groups = flat.regroup(user_wrt, finals)
    new_grads = groups[0] if user_single else Tuple(tuple(groups))
    if aux is not None:
        new_grads = Tuple((new_grads, aux))
    new_ret = ir.Return(new_grads if value is None else Tuple((value, new_grads)), ret.loc)
    body = tuple(flat.prologue) + tuple(fn.body[:-1]) + (new_ret,)
    return replace(fn, params=flat.original_params, body=body)


def _signature_guard(signature):
    """An assert line for standalone files: the shapes and dtypes the code was generated for
    (in process the cache key guarantees them, so the in-process functions carry no guard)."""
    checks = []
    for name, v in signature.items():
        if isinstance(v, Arr) and v.shape is not None and v.dtype is not None and not v.scalar:
            checks.append(f"np.shape({name}) == {tuple(v.shape)!r}")
        elif isinstance(v, Known) and isinstance(v.value, enum.Enum):  # (compiled for this member only)
            checks.append(f"type({name}).__name__ == {type(v.value).__name__!r} and {name}.name == {v.value.name!r}")
    if not checks:
        return None
    what = "shapes" if all(c.startswith("np.shape(") for c in checks) else "shapes or Enum members"
    return "assert " + " and ".join(checks) + f", \"generated for other {what}: regenerate with s2sgrad emit\""


def shown_source(fn_ir, ns):
    """(IR, text, namespace) of fn_ir as users read it and as _exec runs it: the user's rules called
    by the user's names (rules/custom.local_names)."""
    fn_ir, ns = local_names(fn_ir, ns)
    return fn_ir, ir.to_source(fn_ir), ns


def _exec(src, fn_ir, ns, parsed):
    # the traceback/linecache name: unique per function, variant and signature (two functions named
    # f in different modules, or two signatures of one, never overwrite each other's source) and
    # stable across runs (a digest of the generated text, not id())
    name = fn_ir.name
    fn = parsed.py_function
    where = f"{getattr(fn, '__module__', None) or '?'}.{getattr(fn, '__qualname__', parsed.ir.name)}"
    digest = hashlib.sha1(src.encode()).hexdigest()[:8]
    filename = f"<s2sgrad {where} {name} {digest}>"
    try:
        code = compile(src, filename, "exec")
    except SyntaxError as e:  # a bug in s2sgrad, never the user's: say so with the source
        raise S2SGradError(f"internal error: generated code does not compile ({e}):\n{src}") from None
    import linecache
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    scope = dict(ns)
    exec(code, scope)
    debug.register(filename, fn_ir, src, scope[name])  # the source map: generated line -> the user's line
    return scope[name]
