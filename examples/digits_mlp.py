"""A real learning task: an MLP classifier (64 -> 64 -> 10, tanh, softmax cross-entropy) on
scikit-learn's bundled handwritten digits (1797 8x8 images, no download), trained with minibatch
SGD and momentum.  Reaches >= 95% test accuracy (about 97% here).
Run:  python examples/digits_mlp.py [--epochs 60] [--plot digits.png] [--backend triton]
On Triton's CPU interpreter (no GPU) a step takes 0.7-1 s, so it trains 1 epoch (44 steps) by default.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _common import parser, progress, save_plot, shortened  # noqa: E402

from s2sgrad import differentiate  # noqa: E402


@differentiate(wrt=("W1", "b1", "W2", "b2"))
def cross_entropy(W1, b1, W2, b2, X, labels):
    """Mean softmax cross-entropy of a one-hidden-layer tanh network."""
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    z = logits - logits.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    n = X.shape[0]
    return -np.mean(log_probs[np.arange(n), labels])


def predict(W1, b1, W2, b2, X):
    return np.argmax(np.tanh(X @ W1 + b1) @ W2 + b2, axis=1)


def load(seed=0):
    from sklearn.datasets import load_digits
    digits = load_digits()
    X = digits.data / 16.0
    y = digits.target
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(X))
    X, y = X[order], y[order]
    split = int(0.8 * len(X))
    return (X[:split], y[:split]), (X[split:], y[split:])


def init(seed=0, hidden=64):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((64, hidden)) / 8.0, np.zeros(hidden),
            rng.standard_normal((hidden, 10)) / np.sqrt(hidden), np.zeros(10)]


S2SGRAD_EXAMPLES = {"cross_entropy": lambda: tuple(init()) + (np.zeros((32, 64)), np.zeros(32, dtype=np.int64))}


def train(epochs=60, batch=32, lr=0.1, momentum=0.9, seed=0, verbose=True, backend="numpy"):
    fn = cross_entropy if backend == "numpy" else differentiate(
        cross_entropy.__wrapped_py__, wrt=("W1", "b1", "W2", "b2"), backend=backend)
    (Xtr, ytr), (Xte, yte) = load(seed)
    params = init(seed)
    velocity = [np.zeros_like(p) for p in params]
    rng = np.random.default_rng(seed + 1)
    losses = []
    starts = range(0, len(Xtr) - batch + 1, batch)
    ticks = iter(progress(range(epochs * len(starts)), desc="SGD steps"))  # one tick per step
    for epoch in range(epochs):
        order = rng.permutation(len(Xtr))
        total = 0.0
        for start in starts:
            next(ticks, None)
            idx = order[start:start + batch]
            value, grads = fn.value_and_grad(*params, Xtr[idx], ytr[idx])
            for i, g in enumerate(grads):
                velocity[i] = momentum * velocity[i] - lr * np.asarray(g)
                params[i] = params[i] + velocity[i]
            total += float(value)
        losses.append(total / (len(order) // batch))
        if verbose and (epoch % 10 == 0 or epoch == epochs - 1):
            acc = np.mean(predict(*params, Xte) == yte)
            print(f"epoch {epoch:3d}  train loss {losses[-1]:.4f}  test accuracy {acc:.4f}")
    for _ in ticks:  # the progress display's last line
        pass
    accuracy = float(np.mean(predict(*params, Xte) == yte))
    return params, losses, accuracy


def main(argv=None):
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, help="passes over the training set (default 60; 1 on Triton's CPU "
                                               "interpreter, about 30 s)")
    args = p.parse_args(argv)
    epochs = args.epochs if args.epochs is not None else shortened("epochs", 60, 1, "epoch(s)", args.backend)
    _, losses, accuracy = train(epochs=epochs, backend=args.backend)
    print(f"\ntest accuracy after {epochs} epochs: {accuracy:.4f}")
    if args.plot:
        save_plot(args.plot, losses, "digits MLP, softmax cross-entropy")
    return accuracy


if __name__ == "__main__":
    main()
