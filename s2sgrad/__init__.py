"""s2sgrad: source-to-source automatic differentiation (reverse and forward mode) for numpy functions.

    @differentiate(wrt=("W1", "W2"))
    def loss(W1, W2, X, y): ...
    loss.grad(W1, W2, X, y); loss.value_and_grad(...); print(loss.grad_source)

The pipeline (see docs/architecture.md): frontend/ (libcst -> IR), passes/normalize.py (ANF),
passes/shapes.py + passes/activity.py (analyses), ad/reverse.py (adjoint), ad/forward.py (tangents), passes/optimize.py,
compiler.py (emit + exec); rules/ is the one table of derivative rules.
"""
from .api import Differentiated, detach, differentiate, grad, no_grad, stop_gradient, value_and_grad
from .markers import custom_jvp, custom_vjp
from .higher import hessian, hvp, hvp_source, jacfwd, jacobian, jacrev, jvp, jvp_source
from .errors import (ArgumentError, NaNError, NonScalarOutputError, S2SGradError, SourceUnavailableError,
                     StaleSourceError, UnknownFunctionError, UnsupportedSyntaxError, WrtError)

__version__ = "0.1.0"


def jit(fn=None, *, backend="numba", fallback=False):
    """Compile a function that calls differentiated functions' `.grad` / `.value_and_grad` (a
    training loop) into one numba-compiled function (s2sgrad/backends/numba/jit.py); needs numba."""
    from .backends.numba.jit import jit as _jit
    return _jit(fn, backend=backend, fallback=fallback)


__all__ = ["differentiate", "grad", "value_and_grad", "jvp", "jvp_source", "jacobian", "jacfwd", "jacrev", "hvp",
           "hvp_source", "hessian", "custom_vjp", "custom_jvp", "stop_gradient", "detach", "no_grad", "Differentiated",
           "S2SGradError", "UnsupportedSyntaxError", "UnknownFunctionError", "SourceUnavailableError",
           "WrtError", "NonScalarOutputError", "ArgumentError", "StaleSourceError", "NaNError", "jit", "__version__"]
