"""The s2sgrad exception family.

Every error raised while differentiating names the user's file:line:col and the construct, and shows
the source line with a caret under the column, the way Python's own SyntaxError does.
"""
from __future__ import annotations


class S2SGradError(Exception):
    """Base class: something s2sgrad cannot (or will not) differentiate, found at a known place."""

    def __init__(self, message: str, loc=None):
        self.message = message
        self.loc = loc
        super().__init__(self._format())

    def _format(self) -> str:
        if self.loc is None:
            return self.message
        loc = self.loc
        raw = loc.text
        stripped = raw.lstrip()
        caret_col = max(0, loc.col - (len(raw) - len(stripped)))
        return (f"{loc.file}:{loc.line}:{loc.col + 1}: {self.message}\n"
                f"    {stripped}\n    {' ' * caret_col}^")


class UnsupportedSyntaxError(S2SGradError):
    """A Python construct s2sgrad does not differentiate (try, class, yield, ...)."""


class UnknownFunctionError(S2SGradError):
    """A call to a function with no differentiation rule (never silently given a zero gradient)."""


class SourceUnavailableError(S2SGradError):
    """The function's source cannot be read (defined in the REPL, by exec/eval, a builtin...)."""


class WrtError(S2SGradError):
    """`wrt` names no parameter, or a wrt argument is not a floating-point value."""


class NonScalarOutputError(S2SGradError):
    """grad of a non-scalar output without a seed (PyTorch refuses this the same way)."""


class ArgumentError(S2SGradError):
    """An argument or seed the generated code cannot be trusted with: an np.matrix, a torch tensor
    on the numpy backend, a seed whose shape is not the output's."""


class StaleSourceError(S2SGradError):
    """The function's source file was edited after Python compiled it: the text s2sgrad would
    differentiate is not the code that runs."""


class NaNError(S2SGradError, FloatingPointError):
    """A NaN or infinity produced by a statement of the generated code, raised when NaN checks are on
    (`differentiate(..., check_nans=True)` or `S2SGRAD_CHECK_NANS=1`).  `sweep` is "forward" (the
    value) or "adjoint" (the gradient); `loc` is the user's line the statement came from."""

    def __init__(self, message: str, loc=None, *, sweep: str = "forward", kind: str = "NaN"):
        self.sweep = sweep
        self.kind = kind
        super().__init__(message, loc)
