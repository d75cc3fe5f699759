"""Who may share an array with whom (`Share`, the state frontend/aliasing.py keeps per name), and
the two questions asked of that state where an array changes in place: whether any name that may
hold or view it is read afterwards (`unobserved`), and whether a view bound at one site is
(`dead_after`).

Guarantee: each answers True only where every chain of aliases, views and containers from the
changed array to another variable of the function is followed and none of the names reached is
read after the change (`later`, frontend/liveness.py); a chain that leaves the function's
variables (the caller's array, a module's, an unnamed container) answers False."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..ir import Call, Const, ListExpr, Name, Tuple
from ..rules.opaque import OPAQUE

# operations whose result may share memory with an argument (numpy returns a view)
VIEW_OPS = frozenset({
    "getitem", "@T", ".reshape", "np.reshape", "np.transpose", ".transpose", "np.broadcast_to",
    "np.expand_dims", "np.squeeze", ".squeeze", "np.ravel", ".ravel", "np.asarray", "np.asanyarray",
    "stop_gradient", "stop_gradient_identity", "np.swapaxes", ".swapaxes", "np.moveaxis", "np.rollaxis",
    "np.diagonal", ".diagonal", "np.flip", "np.flipud", "np.fliplr", "np.rot90", "np.atleast_1d",
    "np.atleast_2d", "np.atleast_3d", ".view", "np.split", "np.array_split", "np.hsplit", "np.vsplit",
    "np.dsplit", "np.real", "np.imag", ".real", ".imag", "@real", "@imag",
    ".get",  # d.get('w'): the array the dict holds
    "np.lib.stride_tricks.sliding_window_view", "np.lib.stride_tricks.as_strided",
    "np.einsum",  # (np.einsum('ij->ji', X) is X.T, a view)
    "np.diag",  # (of a matrix: a view of its diagonal; of a vector, a new matrix: Deferred.vector_ok)
    ".conj", ".conjugate",  # (x.conj() of a real array is x itself)
})


def view_base(value):
    """The name whose memory the value may be a view of (None: a new object, or not a view)."""
    if isinstance(value, Call) and value.op == "stop_gradient" and value.args:
        return view_base(value.args[0])
    if isinstance(value, Call) and value.op == "getitem" and len(value.args) == 2 \
            and isinstance(value.args[0], (Tuple, ListExpr)):
        # np.split(a, 5)[0]: one of the pieces the literal holds (views of a), picked when compiling
        elts, i = value.args[0].elts, value.args[1]
        if isinstance(i, Const) and type(i.value) is int and -len(elts) <= i.value < len(elts):
            return view_base(elts[i.value])
        return next((b for b in map(view_base, elts) if b is not None), None)
    if isinstance(value, Call) and value.op == "getitem" and len(value.args) == 2 and any(
            isinstance(p, ListExpr) for p in (value.args[1].elts if isinstance(value.args[1], Tuple) else (value.args[1],))):
        return None  # y[[2, 3, 4]], y[[0, 1], :]: an integer-list index reads a copy (advanced indexing)
    if isinstance(value, Call) and value.op == "np.einsum":  # one operand ('ij->ji', 'ii->i'): a view of it
        # (the subscripts first, or the sublist form np.einsum(A, [0, 1], [1, 0]): operand, sublist, ...)
        sublists = not (value.args and isinstance(value.args[0], Const) and isinstance(value.args[0].value, str))
        operands = value.args[0:len(value.args) - 1:2] if sublists else value.args[1:]
        if len(operands) != 1:
            return None  # (two or more: a new array)
        return operands[0].id if isinstance(operands[0], Name) else view_base(operands[0])
    if isinstance(value, Call) and value.args and (value.op in VIEW_OPS or value.op in OPAQUE
                                                    or value.kw("copy") in (Const(False), Const(None))):
        # (copy=False or None: x.astype(x.dtype, copy=False), np.array(x, copy=None),
        # np.nan_to_num(x, copy=False) return x itself when they can; a library function without a
        # rule may return its argument or a view of it: np.asfortranarray, np.require)
        if isinstance(value.args[0], Name):
            return value.args[0].id
        return view_base(value.args[0])  # a view of a view (`np.reshape(W, (12,))[:4]`)
    return None


@dataclass(frozen=True)
class Share:
    """One name another may share its array with: `kind` "arg" (the caller's argument), "alias"
    (`w = v`: certainly the same object) or "view" (`r = v[i]`: the same memory when the result
    is an array; `site` is the binding that made the view, checked per signature), or "link": a
    container that came to hold the name's array too (`c = hs + [u]`, `e = list(hs)`, one moved
    to another name), kept only so that `unobserved` finds every holder.  `holder`: the variable
    (or container) on the other side; None where that is not a variable of the function (the
    caller's, a module's, or one this pass does not name).  `held`: the holder holds this name's
    array among others (a list, a dict, an object), so a name held beside it there is not reached."""
    other: str
    kind: str
    site: object = None
    holder: object = None
    held: bool = False  # the holder is a container holding this name's array (not a view or alias of it)


def unobserved(state, later, x):
    """Whether no variable that may hold or view x's array (any name connected to x through a
    chain of aliases, views and containers, `Share.holder`; a container x was read out of
    reaches every array it holds) is read after the update of x (`later`: the names read after
    it; None: unknown): then changing the array in place computes what binding x to a new array
    does (`S, I, R = y` of a helper that has returned, a list `trial = hs + [h]` not read
    again).  False where a chain leaves the function's variables (the caller's array, a
    module's, an unnamed tuple)."""
    holders, sources, grew = {x}, set(), True
    while grew:
        grew = False
        for n, shares in list(state.items()):
            for sh in shares:
                if n in holders and sh.holder is None:
                    return False
                # (a name read out of a holder may be x; so may any array held by a container
                # x may have been read out of (w = d['w'] is d's 'w', an array named a too);
                # another element of a container merely holding x is not x: trial = [h, x0])
                new = {sh.holder} if n in holders else \
                    {n} if sh.holder in holders and not sh.held or sh.holder in sources else set()
                src = {sh.holder} if n in holders and not sh.held and sh.holder not in sources else set()
                if new - holders or src:
                    holders |= new
                    sources |= src
                    grew = True
    return not (holders - {x}) & (holders if later is None else later)


def dead_after(state, later, site, base):
    """Whether no name that may hold the view bound at `site` (the view's own, one it moved to,
    an alias or a view of it) is read after a write into its base (`later` as for unobserved):
    then a copy made where the view is bound computes what the view does."""
    holders, grew = {site.target}, True
    while grew:
        grew = False
        quoted = {f"'{n}'" for n in holders}
        for n, shares in state.items():
            # (a share made where a holder was bound at another site is about another object:
            # `for row in A` then `for row in B`, A shares the first loop's rows, not these)
            if n not in holders and n != base and any(
                    sh.site is site or sh.other in quoted and not (
                        sh.site is not None and sh.site is not site and set(sh.site.targets) & holders)
                    for sh in shares):
                holders.add(n)
                grew = True
    for n in holders:
        for sh in state.get(n, ()):
            if sh.kind != "link" and re.fullmatch(r"'[A-Za-z_][A-Za-z_0-9]*'", sh.other) is None:
                return False  # (held by a list, a dict, an object, the caller: not followed here)
    return not holders & (holders if later is None else later)


def diag_of(sh):
    """The Loc of `v = np.diag(a)` where that binding made the view share sh (else None)."""
    site = sh.site
    if sh.kind == "view" and site is not None and isinstance(site.value, Call) and site.value.op == "np.diag" \
            and site.value.args:
        return site.loc
    return None


def held_by(what, holder):
    """The share of a name whose array the container `holder` holds (`what` says which, for messages)."""
    return Share(what, "alias", holder=holder, held=True)


def link(state, old, new, what):
    """Every array the container (or value) `old` holds is held by `new` too (a join, a shallow
    copy, a move): each such name gets a "link" share naming `new`."""
    for n, shares in list(state.items()):
        if any(sh.holder == old for sh in shares) and n != new:
            state[n] = shares | {Share(f"the {what} '{new}' holding it", "link", holder=new, held=True)}
