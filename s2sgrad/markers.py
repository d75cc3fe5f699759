"""The objects users mark code with: `stop_gradient` (alias `detach`), `no_grad`, and functions
with rules of their own (`custom_vjp`, `custom_jvp`).

Guarantee: this module imports nothing from s2sgrad, so the frontend (which recognises these
objects by identity when it resolves a callee) and the API (which exports them) both import it
without an import circle.  At run time every marker is inert: `stop_gradient` is the identity and
`no_grad` a context that does nothing; what they mean for differentiation is read from the source.
"""
from __future__ import annotations


class _FunctionPassed:
    """What a helper's parameter holds where the call passes it a function (`dense(x, W, np.sin)`,
    `def dense(x, W, act=None)`): the function is called where the helper calls the parameter
    (frontend/function_values.py), and the parameter itself is this marker, so `act is None` is
    False and `if act:` true, as in Python; any other use is refused (passes/normalize.py)."""

    def __bool__(self):
        return True

    def __repr__(self):
        return "<a function passed to a helper>"


FUNCTION_PASSED = _FunctionPassed()


def stop_gradient(x):
    """Identity at run time; a constant for differentiation (s2sgrad reads it from the source)."""
    return x


detach = stop_gradient


class no_grad:
    """`with s2sgrad.no_grad():` inside a differentiated function: values computed in the block
    are constants for differentiation.  At run time it does nothing."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class custom_vjp:
    """A function with a reverse-mode rule of the user's (JAX's convention):

        @s2sgrad.custom_vjp
        def f(x, y): ...
        def f_fwd(x, y): return f(x, y), residuals
        def f_bwd(residuals, g): return (cotangent_x, cotangent_y)
        f.defvjp(f_fwd, f_bwd)

    Called from a differentiated function, the generated forward sweep calls f_fwd (keeping the
    residuals) and the reverse sweep f_bwd, by name.  At run time f is the plain function."""

    def __init__(self, fn):
        self.fn, self.fwd, self.bwd = fn, None, None
        self.__name__ = getattr(fn, "__name__", "custom_vjp")
        self.__qualname__ = getattr(fn, "__qualname__", self.__name__)
        self.__doc__ = getattr(fn, "__doc__", None)

    def defvjp(self, fwd, bwd):
        self.fwd, self.bwd = fwd, bwd
        return self

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)


class custom_jvp:
    """A function with a forward-mode rule of the user's (JAX's convention):

        @s2sgrad.custom_jvp
        def f(x): ...
        @f.defjvp
        def f_jvp(primals, tangents): return f(*primals), tangent_out

    In forward mode (jvp, jacfwd, hessian) the generated code calls f_jvp by name.  Reverse mode
    refuses it (the rule is the user's: s2sgrad cannot transpose it; give a custom_vjp)."""

    def __init__(self, fn):
        self.fn, self.jvp = fn, None
        self.__name__ = getattr(fn, "__name__", "custom_jvp")
        self.__qualname__ = getattr(fn, "__qualname__", self.__name__)
        self.__doc__ = getattr(fn, "__doc__", None)

    def defjvp(self, jvp):
        self.jvp = jvp
        return jvp

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)


class _Unbound:
    """What generated code binds a name to where some read may find it unbound (passes/unbound.py):
    each such read checks for it and raises UnboundLocalError, as Python does."""

    def __repr__(self):
        return "UNBOUND"


UNBOUND = _Unbound()
