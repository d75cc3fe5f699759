"""`break` and `return` in a loop over a container (unrolled when compiling: flatten_stmts.loop).

`for W, b in layers: ...; if np.max(np.abs(h)) < tol: break` becomes the unrolled copies of the
body, each after the first under `if not stopped:`; a `break` sets `stopped`, a `return v` binds
v to the function's result (a name per element of a tuple), sets `returned` and `stopped`, and
after the copies `if returned: return result`; a `return` inside a loop nested in the body
breaks out of it and each loop around it on the same flag (jumps._returns_in_loops, as single
exit does for a function).  The counter is bound to its value at the end of each copy, so after
the loop it holds the pass that ran last, as Python's does.

Guarantee: the copies run exactly the passes Python's loop runs, in order, and stop where it
stops; the function returns what the first return reached returns.
"""
from __future__ import annotations

from ..ir import Assign, Break, Call, Const, If, Name, Return, Tuple, walk
from .jumps import _fresh, _returns_in_loops


class Stops:
    """The flags and result names of one unrolled loop that may stop early."""

    def __init__(self, flat, loop):
        self.flat, self.loop = flat, loop
        returns = [r for r in walk(loop.body) if isinstance(r, Return)]
        self.stopped = _fresh("stopped", flat.taken)
        self.returned = _fresh("returned", flat.taken) if returns else None
        self.result = None
        self.body = loop.body
        if returns:
            arity = {len(r.value.elts) if isinstance(r.value, Tuple) else None for r in returns}
            n = arity.pop() if len(arity) == 1 else None
            # (a tuple returned: a name per element, so no tuple is bound on some paths only)
            self.result = tuple(_fresh(f"result_{i}", flat.taken) for i in range(n)) if n is not None \
                else _fresh("result", flat.taken)
            # each return binds the result, sets `returned` and breaks out of every loop up to this one
            self.body = _returns_in_loops(loop.body, self.result, self.returned, in_loop=True)

    def at_jump(self, s):
        """What a `break` of the loop becomes (a `continue`: nothing)."""
        return [Assign((self.stopped,), Const(True), s.loc)] if isinstance(s, Break) else []

    def start(self):
        loc = self.loop.loc
        flags = [self.stopped] + ([self.returned] if self.returned else [])
        return [Assign((f,), Const(False), loc) for f in flags]

    def copies(self, var, values, body, rebinds):
        """The flattened copies of body for each value of the counter var, and the return after them
        (rebinds: the body binds the counter itself, which then holds what the last pass bound)."""
        flat, loc, out = self.flat, self.loop.loc, []
        for i, k in enumerate(values):
            flat.env[var] = Const(k)
            # (the counter of the pass that ran last, unless the body binds it)
            copy = list(body) + ([] if rebinds else [Assign((var,), Const(k), loc)])
            out += flat.block(copy) if i == 0 else flat.stmt(If(Call("not_", (Name(self.stopped),)), tuple(copy), (),
                                                                    loc))
        flat.env.pop(var, None)
        if self.returned:
            value = Tuple(tuple(Name(r) for r in self.result)) if isinstance(self.result, tuple) else Name(self.result)
            out += flat.stmt(If(Name(self.returned), (Return(value, loc),), (), loc))
        return out
