"""The helper the generated code calls for `np.add.at(a, idx, v)` written as a statement
(frontend/inplace.py, rules/scatter.py).

Guarantee: `scatter_add(a, idx, v)` is a new array equal to `a` after `np.add.at(a, idx, v)` (repeated
indices add up, unbuffered), `a` itself unchanged: the reverse sweep may still read the old value.
Registered in the generated code's namespace by runtime.py.
"""
from __future__ import annotations

import numpy as np


def scatter_add(a, idx, v):
    out = np.array(a, copy=True)
    np.add.at(out, idx, v)
    return out


NAMES = {"scatter_add": scatter_add}
