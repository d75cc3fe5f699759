"""Opt-in CUDA-graph capture of a whole value-and-gradient step (`s2sgrad.triton.options.cuda_graphs`).

With `options.cuda_graphs = True`, the first call of a signature copies the arguments into static
buffers (one per tensor argument, with the argument's shape, strides, dtype and device), runs the
step once (the warm-up: compiles and checks), captures the host program's launches into a
`torch.cuda.CUDAGraph`, and replays it; later calls of the same signature only copy their tensors
into the static buffers, replay, and copy the outputs out: no Python per launch.

What a graph holds fixed, and so is part of its key: everything the launch plan's key holds
(dtypes, shapes, strides, device, TF32), the values of the non-tensor arguments (Python numbers
are kernel arguments baked into the captured launches, and may decide host loops' trip counts),
and the seed (its value when a number, its layout when an array).  A new value of any of them
captures a new graph; graphs are kept per key (their memory with them) until the function's
signatures are cleared.

A call that passes the very tensors of the call before it (same addresses: a training loop
updating its parameters in place, a benchmark) captures a second graph that reads those tensors
where they lie, and later calls passing them replay it with no copy in (for 1e8 float32 elements
the copy in was 400 MB a call).  Sound because the graph holds the tensors it reads: their memory
cannot be handed to another tensor while it may replay, so a call whose tensors lie at those
addresses (with the key's layouts) passes that memory.  Tensors s2sgrad made itself (numpy or CPU
arguments moved to the device) are never bound; a signature captures at most MAX_CAPTURES graphs,
so a loop whose fresh tensors land on recycled addresses stays on copies.

Outputs are fresh tensors (a device copy each out of the graph's static outputs), so a result
stays valid after the next call.  The label-range flags of a cross-entropy kernel are static
outputs of the graph: they are read after every replay (one device read), and a label outside
[-N, N) raises gather.LabelIndexError as without graphs -- never a silent 0.

Refused with S2SGradError: a step whose tensors are not on a CUDA device (CUDA graphs need one;
nothing falls back silently), host code that reads device values during capture (control flow
on array values: the capture fails and says so), host code drawing random numbers (a graph would
replay the same draws), arrays read from globals, closures or defaults (a graph would hold them as
they were at capture), non-tensor arguments that are not numbers, strings or None, and
broadcast views (stride 0) as arguments.

`RerunCapture` replaces the CUDA graph for checking this module's planning on a CPU (tests, and
bench/gpu_bench.py --dry-run): its "replay" runs the captured host program again and writes the
results into the captured outputs and flags, as a replay writes them.
"""
from __future__ import annotations

import re

import numpy as np
import torch

from ..errors import S2SGradError


class CudaGraphError(S2SGradError):
    """A step that cannot be captured as a CUDA graph (see the module docstring)."""


class CudaCapture:
    """torch.cuda.CUDAGraph: capture once, replay per call."""

    def __init__(self, device):
        self.graph = torch.cuda.CUDAGraph()
        self.device = device

    def capture(self, fn):
        """Record fn's launches (after a warm-up on a side stream, as torch asks); returns what fn
        returned during the capture (static tensors the replays write)."""
        side = torch.cuda.Stream(device=self.device)
        side.wait_stream(torch.cuda.current_stream(self.device))
        with torch.cuda.stream(side):
            fn()  # warm-up: Triton compiles and torch's allocator settles outside the capture
        torch.cuda.current_stream(self.device).wait_stream(side)
        with torch.cuda.graph(self.graph):
            return fn()

    def replay(self):
        self.graph.replay()


class RerunCapture:
    """A stand-in for CudaCapture on a CPU: replay runs fn again and writes its results into the
    tensors the capture returned (what a CUDA graph's replay does), label flags included."""

    def __init__(self, device):
        self.fn = None
        self.captured = None

    def capture(self, fn):
        self.fn = fn
        self.captured = fn()
        return self.captured

    def replay(self):
        for old, new in zip(_tensors(self.captured), _tensors(self.fn())):
            old.copy_(new)


CAPTURE = {"cls": CudaCapture}  # tests and the bench's dry run put RerunCapture here


def _tensors(x):
    """The tensors of a (value, grads, label flags) structure, in order."""
    if isinstance(x, torch.Tensor):
        return [x]
    if isinstance(x, (tuple, list)):
        return [t for v in x for t in _tensors(v)]
    return []


def graph_key(plan_key, targs, seed):
    """The plan's key, the non-tensor arguments' values and the seed (see the module docstring)."""
    values = []
    for a in targs:
        if isinstance(a, torch.Tensor):
            values.append(None)
        elif a is None or isinstance(a, (bool, int, float, str, np.number)):
            values.append((type(a), a))
        else:
            raise CudaGraphError(f"options.cuda_graphs: a {type(a).__name__} argument cannot be held fixed in a "
                                 "captured graph (only tensors, numbers, strings and None); set "
                                 "s2sgrad.triton.options.cuda_graphs = False for this function")
    if isinstance(seed, (torch.Tensor, np.ndarray)):
        seed_key = ("array", tuple(seed.shape), str(seed.dtype))
    else:
        seed_key = ("number", seed)
    return ("graph", plan_key, tuple(values), seed_key)


class GraphStep:
    """One captured step: static inputs, the graph, its static outputs and label flags."""

    def __init__(self, plan, targs, seed):
        if plan.device.type != "cuda" and CAPTURE["cls"] is CudaCapture:
            raise CudaGraphError(
                "options.cuda_graphs: CUDA graphs need a CUDA device, and this call's tensors are on "
                f"'{plan.device}'; set s2sgrad.triton.options.cuda_graphs = False (or pass CUDA tensors)")
        if re.search(r"\bnp\.random\.", plan.low.source.split("# host code")[-1]):
            raise CudaGraphError("options.cuda_graphs: the host code draws random numbers, and a captured graph "
                                 "would replay the same draws at every call; set "
                                 "s2sgrad.triton.options.cuda_graphs = False for this function")
        from .captured import has_arrays
        if has_arrays(getattr(plan.low, "captured", {})):
            name = next(n for n, v in plan.low.captured.items() if has_arrays({n: v}))
            raise CudaGraphError(f"options.cuda_graphs: the function reads the array '{name}' from its globals, "
                                 "closure or defaults, which a captured graph would hold as it was at capture; "
                                 "pass it as an argument, or set s2sgrad.triton.options.cuda_graphs = False")
        for a in targs:
            if isinstance(a, torch.Tensor) and any(st == 0 and n > 1 for st, n in zip(a.stride(), a.shape)):
                raise CudaGraphError("options.cuda_graphs: an argument is a broadcast view (stride 0): a static "
                                     "buffer of that layout cannot be copied into; pass t.contiguous()")
        self.plan = plan
        # static buffers: the arguments' own layouts (the plan's launchers hold their strides)
        self.static = [torch.empty_strided(tuple(a.shape), a.stride(), dtype=a.dtype, device=a.device)
                       if isinstance(a, torch.Tensor) else a for a in targs]
        self.static_seed = None
        self.has_seed, self.seed_value = seed is not None, seed
        if isinstance(seed, (torch.Tensor, np.ndarray)):
            s = seed if isinstance(seed, torch.Tensor) else torch.from_numpy(np.asarray(seed))
            self.static_seed = torch.empty(tuple(s.shape), dtype=s.dtype, device=plan.device)
        self.copy_in(targs, seed)
        self.graph = self._capture(self.static)
        self.captures = 1
        # the graph bound to the caller's own tensors (no copy in): captured when a call passes the
        # tensors of the call before it (a training loop updating its parameters in place)
        self.bound = None
        self.bound_pointers = None
        self.last_pointers = None

    def _capture(self, tensors):
        """A _Captured step reading `tensors` (and the static seed) where they lie."""
        from . import runtime
        plan = self.plan
        args = list(tensors) + ([] if not self.has_seed else
                                [self.static_seed if self.static_seed is not None else self.seed_value])
        capture = CAPTURE["cls"](plan.device)

        def step():
            runtime.PENDING_CHECKS.clear()
            value, grads = plan.host(*args)
            checks = [(flags, *rest) for flags, *rest in runtime.PENDING_CHECKS]
            runtime.PENDING_CHECKS.clear()
            return value, grads, checks
        try:
            value, grads, checks = capture.capture(step)
        except S2SGradError:
            raise
        except Exception as e:
            runtime.PENDING_CHECKS.clear()
            raise CudaGraphError(
                f"options.cuda_graphs: this step could not be captured as a CUDA graph ({type(e).__name__}: "
                f"{str(e).splitlines()[0] if str(e) else ''}); host code that reads values from the device "
                "(control flow on array values) cannot be captured: set "
                "s2sgrad.triton.options.cuda_graphs = False for this function") from e
        return _Captured(capture, value, grads, checks, args)

    MAX_CAPTURES = 3  # the static graph and two bound ones: a loop passing fresh tensors each call stays on copies

    def copy_in(self, targs, seed):
        for buf, a in zip(self.static, targs):
            if isinstance(buf, torch.Tensor):
                buf.copy_(a)
        if self.static_seed is not None:
            self.static_seed.copy_(seed if isinstance(seed, torch.Tensor) else torch.from_numpy(np.asarray(seed)))

    def __call__(self, targs, seed, bind=True):
        """(value, grads) for these arguments: replay the graph bound to these very tensors if there
        is one (else copy them into the static buffers and replay that graph), check the labels,
        copy the outputs out.  bind=False: the tensors are the call's own conversions (numpy in),
        which die with the call -- never bound."""
        from . import runtime
        pointers = _pointers(targs) if bind else None
        graph = None
        if self.bound is not None and pointers == self.bound_pointers:
            graph = self.bound
        elif bind and pointers == self.last_pointers and self.captures < self.MAX_CAPTURES:
            self.copy_in((), seed)  # (the capture's warm-up reads the seed)
            self.captures += 1
            try:
                self.bound, self.bound_pointers = self._capture(targs), pointers  # (the last one's tensors let go)
                graph = self.bound
            except CudaGraphError:
                # (a second graph needs its own memory pool: out of memory, say) the copy-in graph
                # captured at the first call still serves; no more binding for this signature
                self.captures = self.MAX_CAPTURES
                self.bound, self.bound_pointers = None, None
                runtime.PENDING_CHECKS.clear()
        if graph is None:
            graph = self.graph
        self.copy_in(targs if graph is self.graph else (), seed)
        self.last_pointers = pointers
        graph.capture.replay()
        runtime.PENDING_CHECKS[:] = graph.checks
        runtime.raise_pending_checks()  # one device read after the replay: numpy's IndexError
        return _fresh(graph.value), _fresh(graph.grads)

    @property
    def grads(self):
        """The static gradients the copy-in graph's replays write."""
        return self.graph.grads


class _Captured:
    """A captured graph, the static outputs its replays write, its label checks, and the tensors it
    reads (held: while a graph may replay, the memory it reads stays theirs)."""

    def __init__(self, capture, value, grads, checks, args):
        self.capture, self.value, self.grads, self.checks, self.args = capture, value, grads, checks, args


def _pointers(targs):
    """Where each tensor argument's data lies (the layouts are the plan key's already)."""
    return tuple(a.data_ptr() if isinstance(a, torch.Tensor) else None for a in targs)


def _fresh(x):
    if isinstance(x, torch.Tensor):
        return x.clone()
    if isinstance(x, tuple):
        return tuple(_fresh(v) for v in x)
    return x


__all__ = ["GraphStep", "graph_key", "CudaGraphError", "CudaCapture", "RerunCapture", "CAPTURE"]
