"""Rule-table rows without a derivative for integer results and shapes, numpy backend only: builtin
round, np.diag_indices(_from), np.tril_indices(_from), np.triu_indices(_from), np.broadcast_shapes.

Part of THE rule table (rules/__init__.py imports this module; rules/resolve.py maps the builtin
round to its row).  Each result is piecewise constant in its floating arguments (round) or reads
only their shapes and integers (the index constructors, broadcast_shapes), so it is a constant for
differentiation (tests/test_rule_table_soundness.py checks each against finite differences).
np.broadcast_shapes is also what rules/args.py writes for the shape of `np.random.normal(mu,
sigma)`'s draw, which generated tangent code differentiated again (hvp, hessian) reads.
Kept apart from rules/nondiff.py: the Triton backend's host code calls torch's functions of the
names in that module, and torch's index constructors return other things (rules.NUMPY_ONLY).
"""
from __future__ import annotations

from .table import nondiff

nondiff("round", "np.diag_indices", "np.diag_indices_from", "np.tril_indices", "np.triu_indices",
        "np.tril_indices_from", "np.triu_indices_from", "np.broadcast_shapes")
