"""Regression on a hand-made basis: a list of basis functions built with lambdas in a list
comprehension (default-argument capture of the centre), per-epoch unrolled gradient-descent steps
on the coefficients inside the objective (learning-rate hyper-gradient), and a history dict of lists
(history["train"].append(...)) as training code keeps; the outer loss is the validation error after
the inner steps plus the mean training loss recorded.  Differentiated w.r.t. the log learning rate
and the basis width."""
import numpy as np

CENTRES = np.linspace(-2, 2, 6)


def design(x, width):
    basis = [lambda t, c=c: np.exp(-((t - c) / width) ** 2) for c in CENTRES]
    return np.column_stack([phi(x) for phi in basis] + [np.ones_like(x)])


def outer_loss(log_lr, width, xtr, ytr, xva, yva, steps=15):
    lr = np.exp(log_lr)
    Phi_tr, Phi_va = design(xtr, width), design(xva, width)
    w = np.zeros(Phi_tr.shape[1])
    history = {"train": [], "grad_norm": []}
    for _ in range(steps):
        r = Phi_tr @ w - ytr
        g = Phi_tr.T @ r / len(ytr)
        w = w - lr * g
        history["train"].append(0.5 * np.mean(r ** 2))
        history["grad_norm"].append(np.linalg.norm(g))
    val = 0.5 * np.mean((Phi_va @ w - yva) ** 2)
    return val + 0.1 * np.mean(history["train"])


rng = np.random.default_rng(36)
xtr, xva = rng.uniform(-2, 2, 30), rng.uniform(-2, 2, 15)
ytr, yva = np.sin(2 * xtr) + 0.1 * rng.standard_normal(30), np.sin(2 * xva)
f = outer_loss
ARGS = (np.log(0.5), 0.9, xtr, ytr, xva, yva)
KW = {"wrt": ("log_lr", "width")}
