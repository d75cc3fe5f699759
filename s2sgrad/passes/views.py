"""Views of arrays that are written into: copy the compiler's own temporaries.

ANF names the pieces of `v[:-1] *= s` (`t = v[:-1]`, then `v[:-1] = t * s`).  In numpy `t` is a
view, so the write changes it, and a reverse sweep that reads `t` (the adjoint of `s` needs the old
`v[:-1]`) would read the new values: a silent wrong gradient.  A user's name can be copied
only where nothing reads it after the write (the copy then computes what the view does): the
frontend (frontend/aliasing.py) refuses the others, and this pass copies those it accepted, as it
copies the temporaries the compiler made.

Guarantee: after `copy_views_of_written`, no temporary bound to a possible view (`getitem`, `.T`,
`reshape`...) of an array that may be assigned into after that binding (later in the function, or
anywhere in a loop around it) aliases that array, nor does any user's view the fence kept
(frontend/deferred_checks.py); each holds a copy (`t = v[:-1].copy()`).  Nor does a name bound to
another name (`b = a`, a swap `a, b = b, a`) and written into after that binding: it holds a copy,
so a value the reverse sweep saved by reference (the old `a`) keeps its elements.  Scalars read out of an
array are copies already and stay as they are.
The shape records of rebuilt statements are carried over, so the function needs no new inference.
"""
from __future__ import annotations

from ..frontend.aliasing import view_base
from ..ir import Assign, Call, For, If, Name, SetItem, While, all_writes, walk
from .shapes import UNKNOWN, Arr


def _written_later(body):
    """id(statement) -> names a subscript write may change after that statement runs: the writes
    that follow it, and all writes of each loop around it (the next iteration comes after)."""
    order = list(walk(body))
    out = {}
    later = set()
    for st in reversed(order):
        out[id(st)] = set(later)
        if isinstance(st, SetItem):
            later.add(st.target)
    for st in order:
        if isinstance(st, (For, While)):
            inside = list(walk(st.body))
            loop_writes = {x.target for x in inside if isinstance(x, SetItem)}
            for x in inside:
                out[id(x)] |= loop_writes
    return out


def copy_views_of_written(fn, shapes, user_names, kept=frozenset()):
    """`kept`: the bindings (loc, name) of views the fence accepted because nothing reads them after
    the write into their base (frontend/deferred_checks.refuse_deferred): copied whatever name the write
    goes through."""
    if not any(isinstance(s, SetItem) for s in walk(fn.body)):
        return fn
    written_later = _written_later(fn.body)
    local = set(all_writes(fn.body))  # (not UNBOUND, the sentinel of passes/unbound.py, nor a global)

    def needs_copy(s):
        if not (isinstance(s, Assign) and len(s.targets) == 1):
            return False
        if (s.loc, s.target) in kept and view_base(s.value) is not None:
            return True
        # `u, un = un, u` (double buffering), `tmp = a; a = ...; tmp[:] = ...`: the name written later
        # holds another name's array, whose old value the reverse sweep may still read (saved by
        # reference where that name is bound again): written into, it gets its own copy -- no other
        # name reads that array after the write (the fence refuses those)
        renamed = isinstance(s.value, Name) and s.value.id in local and s.target in written_later.get(id(s), ())
        if not renamed and (s.target in user_names or view_base(s.value) not in written_later.get(id(s), ())):
            return False
        val = shapes.after(s, s.target)
        return val is UNKNOWN or (isinstance(val, Arr) and not val.scalar)

    def block(body):
        out, changed = [], False
        for s in body:
            new = stmt(s)
            changed |= new is not s
            out.append(new)
        return (tuple(out) if changed else body), changed

    def stmt(s):
        if needs_copy(s):
            new = Assign(s.targets, Call(".copy", (s.value,)), s.loc, s.aug)
        elif isinstance(s, If):
            body, c1 = block(s.body)
            orelse, c2 = block(s.orelse)
            new = If(s.test, body, orelse, s.loc) if c1 or c2 else s
        elif isinstance(s, (For, While)):
            body, c = block(s.body)
            if not c:
                return s
            new = For(s.target, s.iter, body, s.loc) if isinstance(s, For) else While(s.test, body, s.loc)
        else:
            return s
        if new is not s:
            shapes.rekey(s, new)
        return new

    body, changed = block(fn.body)
    if not changed:
        return fn
    from dataclasses import replace
    return replace(fn, body=tuple(body))
