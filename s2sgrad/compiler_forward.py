"""The forward-mode pipeline for one signature: the same front half as reverse mode (compiler.prepare:
parsed IR, normalized, shapes, activity), then the tangent transform (ad/forward.py), the optimizer's
temporary folding and dead-code removal, and exec.

The generated function is `f_jvp(<params>, <dot_params>) -> (value, tangent of the value)`: one
tangent parameter per differentiated parameter (`dot_x`), in the same order.
"""
from __future__ import annotations

import gc
from dataclasses import dataclass

from . import ir
from . import runtime_forward  # noqa: F401  (registers the tangent helpers in the namespace)
from .ad.context import Names
from .ad.batching import BatchedForward
from .ad.forward import ForwardGenerator
from .ad.tangents import Tan
from .annotations import _header
from .compiler import _exec, _temporaries, prepare, shown_source
from .ir import Assign, Call, Const, Function, Name, Return, Tuple
from .passes.optimize import drop_orphan_comments, eliminate_dead, inline_temporaries, single_masks
from .passes.shapes import Arr, PyNum
from .runtime import NAMESPACE


@dataclass
class CompiledJvp:
    jvp: object          # f(*args, *tangents) -> (value, tangent)
    jvp_source: str
    wrt: tuple           # the parameters that take a tangent, in order
    output_shape: object = None
    tangent_only: object = None   # f(*args, *tangents) -> tangent: plain code s2sgrad can differentiate again
    tangent_only_source: str = ""


def compile_jvp(parsed, wrt, arg_abstract: dict, batched=False) -> CompiledJvp:
    """`batched`: every tangent with a leading batch axis (ad/batching.py; raises NotBatchable)."""
    was_enabled = gc.isenabled()
    gc.disable()  # as in compiler.compile_signature: the IR is acyclic, reference counting frees it
    try:
        return _compile_jvp(parsed, wrt, arg_abstract, batched)
    finally:
        if was_enabled:
            gc.enable()


def _compile_jvp(parsed, wrt, arg_abstract, batched=False):
    pp = prepare(parsed, wrt, False, arg_abstract)
    flat = pp.flat
    # an object's tangent is a dict keyed by attribute name (like its gradient), read below by keys
    nf, shapes = pp.nf, pp.shapes
    primal = set(nf.fn.params) | set(ir.all_writes(nf.fn.body)) | set(ir.all_reads(nf.fn.body))
    names = Names(primal | set(NAMESPACE))
    gen = (BatchedForward if batched else ForwardGenerator)(nf, pp.wrt, shapes, pp.act, names)
    if batched:
        gen.batch = names.get(("batch",), "batch")
    leaf_abstract = flat.abstract if flat is not None else arg_abstract
    for p in pp.wrt:  # the tangent parameters come in as dot_<p>
        gen.gvals[gen.dot(p)] = None if batched else leaf_abstract.get(p)
        gen.tan[p] = Tan(leaf_abstract.get(p), False, True)
    tparams = tuple(gen.dot(p) for p in pp.wrt)
    params, prologue = nf.fn.params, []
    if flat is not None:  # containers: tangents of the same structure, unpacked like the values
        tparams = tuple(names.get(("dotparam", p), f"dot_{p}") if p in flat.leaves else gen.dot(p)
                        for p in pp.user_wrt)
        params, prologue = flat.original_params, list(flat.prologue)
        for root, tp in zip(pp.user_wrt, tparams):
            for path, leaf, _ in flat.leaves.get(root, ()):
                if leaf in pp.wrt:
                    e = Name(tp)
                    for k in path:
                        e = Call("getitem", (e, Const(k)))
                    prologue.append(Assign((gen.dot(leaf),), e, None))
    code, out = gen.run()
    code = prologue + code
    if batched:  # the batch size, read from the first tangent (every tangent has it first)
        code = [Assign((gen.batch,), Call("getitem", (ir.Attr(Name(tparams[0]), "shape"), Const(0))), None)] + code
    header = _header(parsed, shapes.signature)
    header = (header[0], "forward mode: each value is followed by its tangent (dot_v: the derivative of v "
                         "along the tangents given)") + tuple(header[1:])
    body = code + [Return(Tuple((Name(nf.result), out)))]
    fn = Function(f"{nf.fn.name}_jvp" + ("_batched" if batched else ""), tuple(params) + tparams, tuple(body), (),
                  header, nf.fn.loc)
    temps = _temporaries(parsed, nf, names)
    temps |= {names.given[("dot", t)] for t in list(temps) if ("dot", t) in names.given}
    fn = single_masks(inline_temporaries(fn, temps))
    fn = eliminate_dead(fn)
    fn = Function(fn.name, fn.params, tuple(drop_orphan_comments(fn.body)), fn.defaults, fn.header, fn.loc)
    ns = dict(NAMESPACE)
    ns.update(parsed.captured)
    fn_shown, src, fn_ns = shown_source(fn, ns)
    # the tangent alone: what second-order derivatives differentiate again (the value's own
    # statements stay only where the tangent reads them)
    only = eliminate_dead(Function(f"{nf.fn.name}_tangent", fn.params, fn.body[:-1] + (Return(fn.body[-1].value.elts[1]),),
                                   (), fn.header, fn.loc))
    only = Function(only.name, only.params, tuple(drop_orphan_comments(only.body)), (), only.header, only.loc)
    only_shown, only_src, only_ns = shown_source(only, ns)
    out_val = shapes.at_exit(nf.result)
    shape = () if isinstance(out_val, PyNum) else (
        tuple(out_val.shape) if isinstance(out_val, Arr) and out_val.shape is not None else None)
    return CompiledJvp(_exec(src, fn_shown, fn_ns, parsed), src, tuple(pp.user_wrt), shape,
                       _exec(only_src, only_shown, only_ns, parsed),
                       only_src)

