"""Control flow: a while loop and a branch on array values, differentiated as ordinary Python.

f doubles b until its norm passes 1000, then scales by 100 if the sum is negative; f is linear in a
along the path taken, so its gradient (with the seed of ones) equals f(a) / a.
Run:  python examples/control_flow.py
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _common import parser  # noqa: E402

from s2sgrad import differentiate  # noqa: E402


@differentiate
def f(a):
    b = a * 2
    while np.linalg.norm(b) < 1000:
        b = b * 2
    if np.sum(b) > 0:
        c = b
    else:
        c = 100 * b
    return c


S2SGRAD_EXAMPLES = {"f": lambda: (np.array([0.3, -0.1, 0.2]),)}


def main(argv=None):
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    fn = f if args.backend == "numpy" else differentiate(f.__wrapped_py__, backend=args.backend)
    rng = np.random.default_rng(0)
    for a in (rng.standard_normal(3), -np.abs(rng.standard_normal(3))):
        g = np.asarray(fn.grad(a, seed=np.ones(3)))
        ratio = np.asarray(f(a)) / a
        print(f"a = {np.round(a, 4)}\n  grad     = {g}\n  f(a) / a = {ratio}\n  equal: {np.allclose(g, ratio)}")
    print("\nthe generated gradient (note the trip count and the branch flag):\n")
    print(f.grad_source)


if __name__ == "__main__":
    main()
