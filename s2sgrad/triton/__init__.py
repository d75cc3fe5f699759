"""The Triton backend: `@differentiate(..., backend="triton")`.

The forward and adjoint program generated for the numpy backend is lowered for one argument
signature: its tensor work becomes fused Triton kernels (plan.py, codegen.py), everything else
stays Python host code running on torch (lower.py, torchnp.py).  torch tensors on a CUDA device
run on the GPU; on a CPU, `TRITON_INTERPRET=1` (set before triton is imported) runs the kernels in
Triton's interpreter.  numpy arguments are accepted (converted with torch.from_numpy, zero-copy;
moved to the GPU when there is one) and results come back as numpy.  Each signature gets one
prepared launch plan (launchplan.py); `options.cuda_graphs` captures a signature's whole step as
a CUDA graph and replays it (graphs.py).
"""
from __future__ import annotations

import os

import numpy as np

from ..errors import S2SGradError


class TritonUnavailableError(S2SGradError):
    """torch or triton is missing, or there is neither a GPU nor TRITON_INTERPRET=1."""


def check_available():
    try:
        import torch
    except ImportError:
        torch = None
    try:
        import triton
    except ImportError:
        triton = None
    missing = []
    if torch is None:
        missing.append("torch (pip install torch==2.13.0, or pip install s2sgrad[triton])")
    if triton is None:
        missing.append("triton (pip install triton, or pip install s2sgrad[triton])")
    if missing:
        raise TritonUnavailableError("backend='triton' needs " + " and ".join(missing))
    if not torch.cuda.is_available() and os.environ.get("TRITON_INTERPRET") != "1":
        raise TritonUnavailableError(
            "backend='triton' needs a CUDA GPU, or TRITON_INTERPRET=1 in the environment (set before triton "
            "is imported) to run the kernels on the CPU in Triton's interpreter")


class _Lowered:
    def __init__(self, module, host, source, notes, kernels, seed_shape):
        self.seed_shape = seed_shape  # the output's shape when it is an array (the seed's shape)
        self.module = module
        self.host = host
        self.source = source
        self.notes = notes
        self.kernels = kernels


class TritonBackend:
    def __init__(self, differentiated):
        check_available()
        self.f = differentiated
        self._cache = {}
        self._last = None

    def _numpy_twin(self, args):
        """numpy-typed stand-ins for the arguments (shape and dtype are all compilation needs)."""
        import torch
        from .torchnp import _DT
        rev = {v: k for k, v in _DT.items()}
        out = []
        for a in args:
            if isinstance(a, torch.Tensor):
                out.append(np.broadcast_to(np.zeros((), rev[a.dtype]), tuple(a.shape)) if a.ndim else
                           rev[a.dtype].type(0))
            else:
                out.append(a)
        return out

    def lowered(self, args, layouts=None):
        """The kernels and host modules for tensors/numbers `args` (layouts: launchplan.param_layouts)."""
        import torch
        from .lower import build_module, load_module
        twin = self._numpy_twin(args)
        compiled = self.f.compiled_for(*twin)
        dtypes = sorted({str(a.dtype).replace("torch.", "") for a in args if isinstance(a, torch.Tensor)})
        (kernel_text, host_text), host_name, notes, nk, seed_shape = build_module(compiled, dtypes, layouts)
        kernels = load_module(kernel_text)  # first: the host module imports its kernels by name
        module = load_module(host_text)
        note_text = "\n".join(f"# {n}" for n in notes) or "# everything tensor-sized runs in the kernels above"
        source = (kernel_text + "\n\n" + host_text + "\n# ---- what stays on the host (torch) ----\n"
                  + note_text + "\n")
        low = _Lowered(module, getattr(module, host_name), source, notes, nk, seed_shape)
        low.kernel_module = kernels
        from . import captured
        from .lower import _HOST_NAMES
        own = module.__dict__.setdefault("s2sgrad_own_names", frozenset(module.__dict__))  # (before any binding)
        fn = compiled.value_and_grad_ir  # (captured.py: by the names lower.build_module gave them)
        names = captured.renames(compiled.namespace, fn, _HOST_NAMES.fullmatch)
        low.captured = captured.bindable(compiled.namespace, names)
        captured.check(low.captured, captured.renamed(fn, names), own)
        return low

    def plan(self, targs, args):
        """The launch plan for this signature (launchplan.py): made once, then looked up."""
        import torch
        from . import runtime
        from .. import static_args
        from .launchplan import LaunchPlan, param_layouts, signature_key
        static = static_args.key_part(self.f, args) if self.f._static else ()
        key = signature_key(targs, runtime.tf32_enabled(), static)
        hit = self._cache.get(key)
        if hit is not None:
            if hit.low.module.np_device != hit.device:  # (modules are shared by plans of one text:
                runtime.bind_device(hit.low.module, hit.device)  # another device's plan rebound it)
            self._last = hit.low
            return hit
        for a, given in zip(targs, args):  # (numpy arrays too, once converted: a uint32 array is refused here)
            if isinstance(a, torch.Tensor) and a.dtype not in _SUPPORTED:
                from ..errors import ArgumentError
                kind = "array" if isinstance(given, np.ndarray) else "tensor"
                raise ArgumentError(f"a {str(a.dtype).replace('torch.', '')} {kind}: the Triton backend computes in "
                                    "float32 or float64 (and reads int32, int64 and bool arrays); cast it, e.g. "
                                    "x.astype(np.float32), labels.astype(np.int64), or t.float()")
        float_dtype = _float_dtype(args)
        low = self.lowered(targs, param_layouts(self.f._params, targs))
        # with no tensor among the arguments (Python numbers only) the plan runs where a GPU is
        device = next((a.device for a in targs if isinstance(a, torch.Tensor)),
                      torch.device("cuda" if _on_gpu() else "cpu"))
        if getattr(low.module, "np_device", None) != device:  # (modules are shared by plans of one text)
            runtime.bind_device(low.module, device)
        plan = self._cache[key] = LaunchPlan(low, device, self.f._params, key, float_dtype)
        self._last = low
        return plan

    def value_and_grad(self, args, kwargs, seed):
        import torch
        from . import runtime
        f = self.f
        if kwargs or f._needs_binding(args):
            args = f._bind(args, kwargs)
        _refuse_objects(f, args)
        numpy_in = any(isinstance(a, np.ndarray) for a in _leaves(args))  # (a dict or list of arrays too)
        # numpy arrays and CPU tensors go to the GPU when there is one (the kernels cannot read host
        # memory there) and the results come back to where the caller's values were; with the
        # interpreter everything stays on the CPU
        gpu = _on_gpu()
        cpu_tensors = gpu and _cpu_tensors_only(args)
        if numpy_in or cpu_tensors:
            target = "cuda" if gpu else "cpu"
            targs = [torch.from_numpy(np.ascontiguousarray(a)).to(target) if isinstance(a, np.ndarray)
                     else a.to(target) if isinstance(a, torch.Tensor) else a for a in args]
        else:
            targs = list(args)
        if isinstance(seed, torch.Tensor) and gpu and seed.device.type == "cpu":
            seed = seed.to("cuda")
        plan = self.plan(targs, args)
        if numpy_in or cpu_tensors:
            # a dict or list of arrays goes along (planned on the caller's values: its arrays are
            # read by the host code's torch ops, which cannot mix host arrays with device tensors)
            targs = [_map_tensors(a, lambda t: t.to(target), lambda v: torch.from_numpy(np.ascontiguousarray(v)).to(target))
                     if isinstance(a, (dict, list, tuple)) else a for a in targs]
        if runtime.OPTIONS.cuda_graphs:
            value, grads = self.replay(plan, targs, seed, bind=not (numpy_in or cpu_tensors))
        else:
            value, grads = plan.run(f, targs, seed)
        grads = _shaped_like(grads, [args[f._params.index(w)] for w in f.wrt], f._single)
        if numpy_in:
            value, grads = _to_numpy(value), _to_numpy(grads)
        elif cpu_tensors:
            value, grads = _to_cpu(value), _to_cpu(grads)
        return value, grads

    def replay(self, plan, targs, seed, bind=True):
        """(value, grads) from the CUDA graph captured for this signature (graphs.py), captured now
        the first time; bind: targs are the caller's own tensors (graphs.GraphStep)."""
        from .graphs import GraphStep, graph_key
        key = graph_key(plan.key, targs, seed)
        step = self._cache.get(key)
        if step is None:
            step = self._cache[key] = GraphStep(plan, targs, None if seed is None else plan.seed(seed, targs))
        value, grads = step(targs, None if seed is None or step.static_seed is None else plan.seed(seed, targs), bind)
        if seed is None and np.ndim(value) != 0:
            self.f._check_scalar(np.zeros(tuple(value.shape)))
        return value, grads

    @property
    def kernels_source(self):
        if self._last is None:
            raise AttributeError("kernels_source: call the function once first (kernels are specialised on "
                                 "the arguments' dtypes and shapes)")
        return self._last.source


_SUPPORTED_SET = []


def _supported():
    if not _SUPPORTED_SET:  # built once: checked for every tensor argument of every call
        import torch
        _SUPPORTED_SET.append(frozenset({torch.float32, torch.float64, torch.int32, torch.int64, torch.bool}))
    return _SUPPORTED_SET[0]


class _Lazy:
    def __contains__(self, dt):
        return dt in _supported()


_SUPPORTED = _Lazy()


def _shaped_like(grads, wrt_args, single):
    """Each gradient with its argument's shape (a 0-d argument's came back as (1,))."""
    def one(g, a):
        if isinstance(a, (dict, list, tuple)):  # (a container's gradient has its structure already)
            return g
        shape = np.shape(a) if not hasattr(a, "shape") else tuple(a.shape)
        if hasattr(g, "reshape") and tuple(np.shape(g)) != shape and int(np.prod(np.shape(g))) == int(np.prod(shape)):
            return g.reshape(shape)
        return g
    if single:
        return one(grads, wrt_args[0])
    return tuple(one(g, a) for g, a in zip(grads, wrt_args))


_CUDA = []


def _on_gpu():
    """Whether kernels run on a GPU: a CUDA device, and not Triton's interpreter (the device count
    is asked once: it does not change while the process runs, and every call reads this)."""
    if not _CUDA:
        import torch
        _CUDA.append(torch.cuda.is_available())
    return _CUDA[0] and os.environ.get("TRITON_INTERPRET") != "1"


def _cpu_tensors_only(args):
    """True when the tensor arguments all live in host memory (they then go to the GPU and the
    results come back); tensors on two devices are refused, as torch refuses them."""
    import torch
    tensors = [a for a in _leaves(args) if isinstance(a, torch.Tensor)]
    # a 0-d CPU tensor beside CUDA ones is a number, as torch takes it; alone, it is moved
    devices = {a.device.type for a in tensors if a.ndim > 0} or {a.device.type for a in tensors}
    if len(devices) > 1:
        from ..errors import ArgumentError
        raise ArgumentError(f"tensor arguments on {' and '.join(sorted(devices))}: the Triton backend computes "
                            "on one device; move them to one first, e.g. t.cuda()")
    return devices == {"cpu"}


def _refuse_objects(f, args):
    """An object argument (or one inside a container) holding arrays: its arrays would reach the host
    code unconverted (numpy arrays among the device's tensors); refused, naming the parameter."""
    import torch

    from ..errors import ArgumentError
    from ..passes.trees import _is_object
    for p, a in zip(f._params, args):
        held = [v for v in _leaves(a) if _is_object(v) and not isinstance(v, torch.Tensor)]
        if held:
            raise ArgumentError(f"backend='triton' takes arrays, tensors, numbers and dicts, lists or tuples of "
                                f"them; '{p}' holds an object of '{type(held[0]).__name__}': pass its arrays in a dict "
                                "(or use backend='numpy', which reads objects)")


def _leaves(x):
    """The values in x, tuples, lists and dicts walked (a dict of parameters, a list of arrays)."""
    if isinstance(x, (tuple, list)):
        for v in x:
            yield from _leaves(v)
    elif isinstance(x, dict):
        for v in x.values():
            yield from _leaves(v)
    else:
        yield x


def _float_dtype(args):
    """The program's float type -- float64 if an array argument (one inside a dict, list or tuple
    too) is float64 or none is floating (numpy's default), else float32 -- once the arrays inside
    containers are checked: of a dtype the backend reads, and of that one float type (their
    products and sums run as torch ops on the host, which refuse what numpy promotes: a float32
    matrix times a float64 one; there a numpy float64 scalar counts too)."""
    import torch
    from ..errors import ArgumentError
    floats, arrays, inside = set(), set(), False
    for a in args:
        nested = isinstance(a, (dict, list, tuple))
        for v in (_leaves(a) if nested else (a,)):
            dt = v.dtype if isinstance(v, (np.ndarray, np.generic, torch.Tensor)) else None
            if dt is None:
                continue
            name = str(dt).replace("torch.", "")
            if nested and name not in ("float32", "float64", "int32", "int64", "bool"):
                raise ArgumentError(f"a {name} array inside a dict, list or tuple argument: the Triton backend "
                                    "computes in float32 or float64 (and reads int32, int64 and bool arrays); "
                                    "cast it, e.g. a.astype(np.float32)")
            if name in ("float32", "float64"):
                floats.add(name)
                inside = inside or nested
                if not isinstance(v, np.generic):  # (a numpy scalar is a number to the program's type)
                    arrays.add(name)
    if len(floats) > 1 and inside:
        raise ArgumentError("float32 and float64 arrays together, some inside a dict, list or tuple argument: "
                            "the Triton backend computes in one float type (numpy would promote to float64); "
                            "cast them to one, e.g. {k: v.astype(np.float32) for k, v in params.items()}")
    return torch.float32 if arrays == {"float32"} else torch.float64


def _rebuilt(x, items):
    """A tuple or list like x holding items: a namedtuple takes them as arguments."""
    if hasattr(x, "_fields"):
        return type(x)(*items)
    try:
        return type(x)(items)
    except TypeError:  # (a subclass whose constructor takes something else: a plain one)
        return tuple(items) if isinstance(x, tuple) else list(items)


def _map_tensors(x, fn, on_array=None):
    """x with fn applied to every tensor in it (and on_array, if given, to every numpy array),
    tuples (namedtuples too), lists and dicts walked: gradients of a dict of parameters, a numpy
    caller's dict of arrays moved to the device with the rest of its arguments."""
    import torch
    if isinstance(x, (tuple, list)):
        return _rebuilt(x, [_map_tensors(v, fn, on_array) for v in x])
    if isinstance(x, dict):
        return {k: _map_tensors(v, fn, on_array) for k, v in x.items()}
    if on_array is not None and isinstance(x, np.ndarray):
        return on_array(x)
    return fn(x) if isinstance(x, torch.Tensor) else x


def _to_cpu(x):
    return _map_tensors(x, lambda t: t.detach().cpu())


def _numpy_of(t):
    a = t.detach().cpu().numpy()
    return a[()] if a.ndim == 0 else a


def _to_numpy(x):
    return _map_tensors(x, _numpy_of)


def __getattr__(name):
    # `s2sgrad.triton.options` (allow_tf32, see runtime.Options), without importing torch before it is asked for
    if name == "options":
        from .runtime import OPTIONS
        return OPTIONS
    raise AttributeError(name)
