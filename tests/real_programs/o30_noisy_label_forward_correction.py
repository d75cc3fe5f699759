"""Learning with noisy labels by forward loss correction: a softmax classifier's clean-class
probabilities are pushed through a learned row-stochastic noise transition matrix T (softmax of a
logit matrix, initialised near the identity) before the cross-entropy against the noisy labels,
picked with np.take_along_axis; a trace penalty keeps T from absorbing the signal.  W.r.t. the
classifier weights and the transition logits."""
import numpy as np


def softmax(z, axis=-1):
    z = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def corrected_loss(W, b, T_logits, X, y_noisy, lam=0.05):
    p_clean = softmax(X @ W + b)
    T = softmax(T_logits, axis=1)
    p_noisy = p_clean @ T
    picked = np.take_along_axis(p_noisy, y_noisy[:, None], axis=1)[:, 0]
    nll = -np.mean(np.log(picked + 1e-12))
    return nll + lam * np.trace(T) / T.shape[0] * -1.0 + 1e-3 * np.sum(W ** 2)


rng = np.random.default_rng(30)
n, d, C = 60, 4, 3
W_true = rng.standard_normal((d, C))
X = rng.standard_normal((n, d))
y = np.argmax(X @ W_true + 0.3 * rng.standard_normal((n, C)), axis=1)
flip = rng.uniform(size=n) < 0.25
y_noisy = np.where(flip, (y + 1) % C, y)
f = corrected_loss
ARGS = (0.1 * rng.standard_normal((d, C)), np.zeros(C), 3.0 * np.eye(C) + 0.1 * rng.standard_normal((C, C)), X, y_noisy)
KW = {"wrt": ("W", "b", "T_logits")}
