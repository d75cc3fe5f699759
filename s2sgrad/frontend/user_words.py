"""The user's own words for the names the lowering made, in refusals that quote the user's line.

Inlining renames a helper's `buf` to `step_buf`, an `__init__`'s `self.m` to `d_self_m`, and the
container pass names an object's attribute `sgd_bufs`; a refusal saying "'step_buf *= ...' may share
its array with 'sgd_bufs'" names nothing the user wrote.  Guarantee: `user_name` gives a name only
where the line says it -- the name itself, or the dotted name of the line whose underscored form
ends the lowered one (`buf` for `step_buf`, `self.m` for `d_self_m`, `self.bufs` for `sgd_bufs`) --
and None otherwise; `described` then points at the line where the value was made instead.
"""
from __future__ import annotations

import re

_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*")


def user_name(name, text):
    """What the source line `text` calls the lowered `name` (None: nothing it says)."""
    if not text:
        return None
    if re.search(rf"(?<![\w.]){re.escape(name)}\b", text):
        return name
    base = re.sub(r"_\d+$", "", name)
    best = None
    for m in _DOTTED.finditer(text):
        parts = re.sub(r"\s", "", m.group()).split(".")
        for i in range(len(parts)):
            key = "_".join(parts[i:])
            if base == key or base.endswith("_" + key):
                if best is None or len(key) > best[0]:
                    best = (len(key), ".".join(parts))
                break
    return best[1] if best else None


def described(name, loc) -> str:
    """`name` as the user knows it: its own words where the line binding it (loc) says it, else the
    value made at that line."""
    text = getattr(loc, "text", None)
    said = user_name(name, text)
    if said is not None:
        return said
    if loc is not None and text:
        return f"the value made at line {loc.line} ({text.strip()})"
    return name


def quoted(phrase, bound_at) -> str:
    """A phrase with each quoted lowered name ('step_buf') in the user's words."""
    def one(m):
        n = m.group(1)
        loc = bound_at.get(n)
        if loc is None:
            return m.group(0)
        said = described(n, loc)
        return f"'{said}'" if said == user_name(n, getattr(loc, "text", None)) else said
    return re.sub(r"'([A-Za-z_]\w*)'", one, phrase)
