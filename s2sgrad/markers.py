"""The objects users mark code with: `stop_gradient` (alias `detach`) and `no_grad`.

Guarantee: this module imports nothing from s2sgrad, so the frontend (which recognises these
objects by identity when it resolves a callee) and the API (which exports them) both import it
without an import circle.  At run time every marker is inert: `stop_gradient` is the identity and
`no_grad` a context that does nothing; what they mean for differentiation is read from the source.
"""
from __future__ import annotations


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
