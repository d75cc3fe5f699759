"""Gradient descent on f(x) = x**2 from x = 10 with learning rate 0.001.

The first step lands on 9.9800000000 and 5000 steps reach 0.0004494759 -- the numbers of the
PyTorch autograd tutorial this project grew from.  Run:  python examples/gradient_descent.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from _common import parser, progress, save_plot, triton_interpreted  # noqa: E402

from s2sgrad import differentiate  # noqa: E402


@differentiate
def f(x):
    return x ** 2


S2SGRAD_EXAMPLES = {"f": lambda: (10.0,)}


def main(argv=None):
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    triton_interpreted(args.backend)  # chooses Triton's CPU interpreter when there is no GPU (5000 steps: ~0.1 s)
    step = differentiate(f.__wrapped_py__, backend=args.backend) if args.backend != "numpy" else f
    x, lr = 10.0, 0.001
    xs = [x]
    for i in progress(range(5000), desc="gradient descent"):
        x = x - lr * float(step.grad(x))
        xs.append(x)
        if i == 0:
            print(f"after 1 step:     x = {x:.10f}")
    print(f"after 5000 steps: x = {x:.10f}")
    print("\nthe generated gradient:\n")
    print(f.grad_source)
    if args.plot:
        save_plot(args.plot, xs, "gradient descent on x**2", ylabel="x")
    return x


if __name__ == "__main__":
    main()
