"""Linear regression: learn y = 3x + 0.8 from 50 noise-free points by gradient descent (3000 epochs).

Run:  python examples/linear_regression.py [--epochs 3000] [--plot linreg.png] [--backend triton]
On Triton's CPU interpreter (no GPU) a step takes about 17 ms, so it trains 1000 epochs by default.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _common import parser, progress, save_plot, shortened  # noqa: E402

from s2sgrad import differentiate  # noqa: E402


@differentiate(wrt=("w", "b"))
def mse(w, b, x, y):
    """Mean squared error of the line w*x + b."""
    y_hat = w * x + b
    return np.mean((y_hat - y) ** 2)


def data():
    x = np.linspace(-1.0, 1.0, 50)
    return x, 3.0 * x + 0.8


S2SGRAD_EXAMPLES = {"mse": lambda: (0.0, 0.0) + data()}


def main(argv=None):
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, help="gradient steps on the whole data set (default 3000; 1000 on "
                                               "Triton's CPU interpreter)")
    args = p.parse_args(argv)
    epochs = args.epochs if args.epochs is not None else shortened("epochs", 3000, 1000, "epochs", args.backend)
    loss = mse if args.backend == "numpy" else differentiate(mse.__wrapped_py__, wrt=("w", "b"), backend=args.backend)
    x, y = data()
    w, b, lr = 0.0, 0.0, 0.1
    losses = []
    for epoch in progress(range(epochs), desc="training"):
        value, (gw, gb) = loss.value_and_grad(w, b, x, y)
        w, b = w - lr * float(gw), b - lr * float(gb)
        losses.append(float(value))
        if epoch % 500 == 0:
            print(f"epoch {epoch:4d}  loss {float(value):.3e}  w {w:.6f}  b {b:.6f}")
    print(f"learned w = {w:.6f} (true 3), b = {b:.6f} (true 0.8)")
    if args.plot:
        save_plot(args.plot, losses, "linear regression")
    return w, b


if __name__ == "__main__":
    main()
