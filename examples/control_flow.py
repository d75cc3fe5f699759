"""Control flow: a while loop and a branch on array values, differentiated as ordinary Python.

f doubles b until its norm passes 1000, then scales by 100 if the sum is negative; f is linear in a
along the path taken, so its gradient (with the seed of ones) equals f(a) / a.
With --plot out.png: sum(f(s * a0)) for s from 0.1 to 4, and its derivative d/ds from s2sgrad's
gradient beside finite differences -- constant on each piece, the value jumping where the loop's trip
count changes (there finite differences spike and no derivative exists).
Run:  python examples/control_flow.py [--plot control_flow.png] [--backend triton]
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _common import parser, progress, save_curves, triton_interpreted  # noqa: E402

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
    triton_interpreted(args.backend)  # chooses Triton's CPU interpreter when there is no GPU
    fn = f if args.backend == "numpy" else differentiate(f.__wrapped_py__, backend=args.backend)
    rng = np.random.default_rng(0)
    for a in (rng.standard_normal(3), -np.abs(rng.standard_normal(3))):
        g = np.asarray(fn.grad(a, seed=np.ones(3)))
        ratio = np.asarray(f(a)) / a
        print(f"a = {np.round(a, 4)}\n  grad     = {g}\n  f(a) / a = {ratio}\n  equal: {np.allclose(g, ratio)}")
    print("\nthe generated gradient (note the trip count and the branch flag):\n")
    print(f.grad_source)
    if args.plot:
        plot_along_a_line(fn, args.plot)


def plot_along_a_line(fn, path, n=120):
    """sum(f(s * a0)) and d/ds = <grad, a0> (s2sgrad) beside central finite differences."""
    a0 = np.array([0.3, -0.1, 0.2])
    ss = np.linspace(0.1, 4.0, n)
    value, derivative, fd = [], [], []
    eps = 1e-6
    for s in progress(ss, desc="along the line"):
        value.append(float(np.sum(f(s * a0))))
        derivative.append(float(np.dot(np.asarray(fn.grad(s * a0, seed=np.ones(3))), a0)))
        fd.append(float(np.sum(f((s + eps) * a0)) - np.sum(f((s - eps) * a0))) / (2 * eps))
    lo, hi = min(derivative + value + [0.0]), max(derivative + value)
    fd = np.clip(fd, lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo))  # the spikes at the jumps, clipped
    save_curves(path, ss, {"sum f(s a0)": (value, "-"), "d/ds, s2sgrad": (derivative, "-"),
                           "d/ds, finite differences (clipped)": (fd, ":")},
                "control flow: piecewise linear, with jumps", "s", "value")
    return ss, value, derivative


if __name__ == "__main__":
    main()
