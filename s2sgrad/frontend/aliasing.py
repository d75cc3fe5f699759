"""The alias and view fence: numpy's in-place semantics that s2sgrad will not guess about.

numpy lets two names share one array (`w = v`, a loop element `row` of `z`, a slice `v[1:]`, the
caller's argument) and lets `+=`, `*=` and `y[i] = ...` change that array behind every name.  The
IR treats an assignment as binding a new value, so such a program could be differentiated as if the
other names kept their old values: a silent wrong gradient.  This module decides, on the lowered IR
of the whole function (helpers already inlined), which programs are provably free of that, and
refuses the rest at the user's line with the rewrite to use.

Guarantee: a program that passes `check` and the `Deferred` checks of its signature has no
augmented assignment to an array that another name may share, no subscript write into the caller's
array or into an array another name shares, no view of a written array kept under a name, no write
whose index reads the array written, and no write through a constant index that repeats an element.

Decided from the source alone (raised at decoration): the subscript rules.  Decided per signature
(`Deferred`, checked by the compiler once shapes are known): whether a name updated in place or a
kept view really is an array (`s += b` on a Python float or `r = y[i]` on a 1-D `y` is fine).
"""
from __future__ import annotations

import re

from dataclasses import dataclass

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, For, ListExpr, Name, SetItem, Tuple
from ..passes.dataflow import unbinds
from .index_checks import check_indices
from .liveness import later_reads
from .container_shares import ContainerSharing, held_names, stored
from .shares import Share as _Share, dead_after, diag_of as _diag_of, held_by as _held_by, link as _link, \
    unobserved, view_base
from .user_words import quoted, user_name

@dataclass(frozen=True)
class Deferred:
    """A refusal that applies only when `name` holds a mutable array in this signature."""
    name: str
    loc: object
    message: str
    when: str = "before"  # the name's value before the statement (an update) or after (a binding)
    # a kept view no name reads after the write into its base: where its value is known to be an
    # array of one or more dimensions, passes/views.py copies it where it is bound (nothing the
    # program reads can tell) rather than refusing it
    copyable: bool = False
    # where the view is `v = np.diag(a)` (the binding's Loc): where a is a vector there, np.diag made
    # a new matrix, and nothing is shared (np.diag of a matrix is a view of its diagonal)
    vector_ok: object = None


def check(params, body, module_arrays=(), owned=()) -> tuple:
    """Raise for what is unsound from the source alone; return the per-signature `Deferred` checks.
    `module_arrays`: the module-level and closure names holding arrays the function reads (a write
    into one would change the module's array: refused as a write into an argument is).  `owned`:
    parameters that are not the caller's to keep: an inlined method's `self`, whose attribute writes
    passes/objects.py puts back into the caller's variable (passes/confined.py says when it may)."""
    stmts = list(ir.walk(body))
    check_indices(stmts)
    sharing = _Sharing()
    sharing.later = later_reads(body)
    # (a list bound to [] by its own name is followed through aliases that only read it: ad/lists.py;
    # an argument appended to is refused where the container pass can say more)
    sharing.params = set(params)
    sharing.own_lists = {st.target for st in stmts if isinstance(st, Assign) and len(st.targets) == 1
                         and st.value == ListExpr(())}
    sharing.literals.update({p: "object" for p in owned})  # (m = self.m: one of its elements)
    state = {p: frozenset({_Share("the caller's argument", "arg")}) for p in params if p not in owned}
    state.update({g: frozenset({_Share("the module-level array", "arg")}) for g in module_arrays if g not in state})
    sharing.block(body, state)
    return tuple(sharing.deferred.values())


def _aug_symbol(value) -> str:
    if isinstance(value, Call) and value.op == "stop_gradient":
        value = value.args[0]
    sym = ir.INFIX.get(value.op) if isinstance(value, Call) else None
    return sym[0] if sym else "op"


class _Sharing(ContainerSharing):
    """Flow-sensitive: which names may share their array with another name at each point.

    State: name -> frozenset of `_Share` (empty: the name owns its array, or holds an immutable
    value).  Sharing is symmetric (`w = v` lets a write through either change the other) and
    transitive through bindings; branches join by union; loops run to a fixed point.  A write
    (`x op= v`, `x[i] = v`) through a name that shares is refused, or deferred to the signature
    where only the types can tell (a Python float updated with `+=`, a scalar read out of an array)."""

    def __init__(self):
        self.deferred = {}
        self.literals = {}  # name -> "tuple", "list" or "dict": bound to such a literal somewhere (a write holds)
        self.later = {}  # id(statement) -> names some statement after it reads
        self.loops = 0
        self.bound_at = {}  # name -> where it is first bound (user_words.py)

    def block(self, body, state):
        for s in body:
            state = self.stmt(s, state)
        return state

    def stmt(self, s, state):
        for t in ir.stmt_writes(s):  # (where each name is first bound: its user's words for messages)
            self.bound_at.setdefault(t, s.loc)
        if isinstance(s, Assign):
            if s.aug and len(s.targets) == 1:
                self.update(s, state)
                return state  # in place: the sharing stays as it was
            appended = isinstance(s.value, Call) and s.value.op == "list_append" and s.target not in self.params \
                and s.target not in self.own_lists  # (m.append(h) of m = hs or of a loop's item: hs changes too)
            if appended or isinstance(s.value, Call) and s.value.op in ("list_pop", "dict_without"):  # parts.pop(), d.pop(k), del d[k]: in place
                self.write(s, state, views=False)  # (the container changes, no array does: views of its elements stay)
                if appended:  # (and m holds the array appended, as hs.append(h) does)
                    state = dict(state)
                    self._hold_appended(s, state)
                return state
            state = dict(state)
            if len(s.targets) > 1:
                src = s.value.id if isinstance(s.value, Name) else None  # (holder None: not followed)
                for t in s.targets:
                    state[t] = frozenset({_Share("the tuple it was unpacked from", "alias", holder=src)})
                return state
            self.bind(s, state)
            return state
        if isinstance(s, SetItem):
            self.write(s, state)
            if s.target in self.literals:  # cache['h'] = h: the container holds h's array
                v = stored(s.value)
                # (c['n'] = {'x': d}: the literal's names too; obj.m = d likewise)
                srcs = list(held_names(v)) if isinstance(v, (Tuple, ListExpr, ir.DictExpr)) else \
                    [v.id if isinstance(v, Name) else view_base(v)]
                state = dict(state)
                for src in srcs:
                    if src is not None and src != s.target:
                        state[src] = state.get(src, frozenset()) | {
                            _held_by(f"the container '{s.target}' holding it", s.target)}
            return state
        if isinstance(s, ir.If):
            a = self.block(s.body, dict(state))
            b = self.block(s.orelse, dict(state))
            return {n: a.get(n, frozenset()) | b.get(n, frozenset()) for n in set(a) | set(b)}
        if isinstance(s, (For, ir.While)):
            self.loops += 1
            try:
                return self._loop(s, state)
            finally:
                self.loops -= 1
        return state

    def _loop(self, s, state):
        """A loop's body to a fixed point of the sharing (its passes join)."""
        entry = dict(state)
        for _ in range(100):  # (the sharing only grows, over finitely many names: it ends)
            out = self.block(s.body, dict(entry))
            merged = {n: entry.get(n, frozenset()) | out.get(n, frozenset()) for n in set(entry) | set(out)}
            if merged == entry:
                return entry
            entry = merged
        raise UnsupportedSyntaxError("this loop hands arrays on between more names than s2sgrad follows (each "
                                     "pass a step further along b2 = b1, b3 = b2, ...): copy where a name is "
                                     "bound (b2 = b1.copy())", s.loc)

    def bind(self, s, state):
        t = s.target
        if unbinds(s) is not None:  # (no value at all: passes/unbound.py, in generated code read again)
            state[t] = frozenset()
            return
        if self.bind_container(s, state):
            return
        if isinstance(s.value, Name) and s.value.id not in self.later.get(id(s), {s.value.id}) \
                and s.value.id != t:
            # d = forward_cache where nothing reads forward_cache again before binding it anew (a
            # helper's returned dict or array, in a loop too): the object moves to d, with whatever
            # it shares; no second name can see a write through d
            src = s.value.id
            state[t] = state.get(src, frozenset())
            if src in self.literals:
                self.literals[t] = self.literals[src]
            _link(state, src, t, self.literals.get(src, "value"))
            return
        if isinstance(s.value, Name):
            src, kind, site = s.value.id, "alias", None
        else:
            src, kind, site = view_base(s.value), "view", s
        if src is None or src == t:
            state[t] = frozenset() if src is None else state.get(t, frozenset())
            return
        inherited = {sh for sh in state.get(src, frozenset()) if sh.other != f"'{t}'"}
        if kind == "alias" and src in self.literals:  # (m = hs: the same list, changed in place by m += [h])
            self.literals[t] = self.literals[src]
        if kind == "view":  # t is at most a view of whatever src shares with
            inherited = {_Share(sh.other, "link" if sh.kind == "link" else "view", site, sh.holder)
                         for sh in inherited}
        state[t] = frozenset({_Share(f"'{src}'", kind, site, src)} | inherited)
        state[src] = state.get(src, frozenset()) | {_Share(f"'{t}'", kind, site, t)}

    def update(self, s, state):
        x = s.target
        # d |= e, hs += [h]: Python changes the container in place (a list display added to x: x is a
        # list, or an array, both changed in place by +=)
        listed = isinstance(s.value, Call) and s.value.op == "add" and len(s.value.args) == 2 \
            and isinstance(s.value.args[1], ListExpr)
        if self.literals.get(x) in ("list", "dict") or listed:
            self.write(s, state)
        shares = {sh for sh in state.get(x, ()) if sh.kind != "link"}
        if not shares or unobserved(state, self.later.get(id(s)), x):
            return
        sym = _aug_symbol(s.value)
        why = " or ".join(sorted({quoted(sh.other, self.bound_at) for sh in shares}))
        u = user_name(x, s.loc.text if s.loc else None) or x
        diag = {_diag_of(sh) for sh in shares}
        self.deferred[id(s)] = Deferred(x, s.loc, (
            f"'{u} {sym}= ...' updates the array {u} in place, and {u} may share it with {why} (numpy "
            f"semantics), which s2sgrad cannot follow; write '{u} = {u} {sym} ...' for a new array (or "
            f"copy first: {u} = {u}.copy())"), vector_ok=diag.pop() if len(diag) == 1 else None)

    def write(self, s, state, views=True):
        x = s.target
        for sh in sorted(state.get(x, ()), key=lambda sh: (sh.kind, sh.other)):
            if sh.kind == "arg" and getattr(s, "attr", False):  # other.t = 5 of a parameter (a method's)
                raise UnsupportedSyntaxError(
                    f"assignment to the attribute '.{s.index.value}' of '{x}', an object the caller holds: s2sgrad "
                    "changes an object only through a variable of the function that made it, or its own "
                    "method's self; return the new value instead", s.loc)
            if sh.kind == "arg":
                module = sh.other == "the module-level array"
                whose, fix = ("a module-level or closure array", f"{x}_own = {x}.copy()") if module else \
                    ("the caller's array (or container)", f"{x} = {x}.copy()")
                raise UnsupportedSyntaxError(f"assignment into '{x}' would change {whose}; copy it first ({fix})",
                                             s.loc)
            if sh.kind == "alias":
                u, other = user_name(x, s.loc.text if s.loc else None) or x, quoted(sh.other, self.bound_at)
                if x in self.literals:
                    raise UnsupportedSyntaxError(
                        f"this write into '{u}' would also change {other} (the two names share one "
                        f"container, Python semantics); build a new container for one of them "
                        f"({_copy_of(self.literals[x], u)})", s.loc)
                raise UnsupportedSyntaxError(
                    f"this write into '{u}' would also change {other} (the two names share one array or "
                    f"container, Python and numpy semantics); give each name its own with .copy()", s.loc)
        for sh in sorted(state.get(x, ()), key=lambda sh: (sh.kind, sh.other)):  # (a set: one message every run)
            if views and sh.kind == "view" and sh.site is not None:
                v, src = sh.site.target, ir.expr_src(sh.site.value)
                line = s.loc.line if s.loc else "?"
                # a name the user did not write (tuple unpacking's temporaries) is not shown; an
                # inlined helper's (apply_psi for psi) is shown as the user wrote it
                uv = user_name(v, sh.site.loc.text) if sh.site.loc is not None else None
                said = uv is not None
                # (the user's own words where the line is just this binding: not the lowering's pieces)
                own = said and re.fullmatch(rf"{re.escape(uv)}\s*=\s*([^#;]+?)\s*", sh.site.loc.text.strip())
                src = own.group(1) if own else src
                view, fix = (f"{uv} = {src}", f"{uv} = {src}.copy()") if said else (src, f"{src}.copy()")
                # (the view itself may be the name written into: then it shares with its source)
                ux = user_name(x, s.loc.text if s.loc else None) or x
                shared = f"'{ux}', which is assigned into later" if x != v else \
                    f"'{view_base(sh.site.value) or sh.other.strip(chr(39))}', and '{ux}' is assigned into later"
                copyable = x != v and dead_after(state, self.later.get(id(s)), sh.site, x)
                if not copyable or id(sh.site) not in self.deferred:  # (any write it is read after: refused)
                    self.deferred[id(sh.site)] = Deferred(v, sh.site.loc, (
                        f"'{view}' may be a view that shares memory with {shared} (line {line}): numpy would "
                        f"let that write change both, which s2sgrad will not guess; write '{fix}' to keep "
                        "separate values"), "after", copyable, _diag_of(sh))


def _copy_of(kind, x):
    """What gives `x`, a container of `kind`, a container of its own."""
    return {"dict": f"{x} = dict({x})", "object": "construct a new object"}.get(kind, f"{x} = list({x})")
