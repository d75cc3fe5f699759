"""Class-balanced focal loss (Cui et al. 2019) for a long-tailed classifier: per-class weights from the
effective number of samples (1 - beta^n_c)/(1 - beta) using np.bincount on the labels, normalised to
sum to the number of classes; log-softmax by hand (max-subtraction, logsumexp), the true-class
log-probabilities picked with np.take_along_axis, the focal modulating factor (1 - p)^gamma, and a
linear model with an L2 penalty.  Differentiated w.r.t. the weight matrix and bias as a list."""
import numpy as np

C = 5


def class_weights(labels, beta=0.99):
    counts = np.bincount(labels, minlength=C).astype(float)
    effective = (1.0 - np.power(beta, counts)) / (1.0 - beta)
    w = 1.0 / effective
    return w / w.sum() * C


def log_softmax(z):
    m = z.max(axis=1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))


def cb_focal(params, X, y, gamma=2.0, l2=1e-3):
    W, b = params
    logp = log_softmax(X @ W + b)
    logp_true = np.take_along_axis(logp, y[:, None], axis=1)[:, 0]
    p_true = np.exp(logp_true)
    alpha = class_weights(y)[y]
    per_example = -alpha * (1 - p_true) ** gamma * logp_true
    return per_example.mean() + l2 * np.sum(W * W)


rng = np.random.default_rng(5)
probs = np.array([0.5, 0.25, 0.12, 0.08, 0.05])
y = rng.choice(C, size=200, p=probs)
centers = rng.standard_normal((C, 6)) * 1.5
X = centers[y] + rng.standard_normal((200, 6))
f = cb_focal
ARGS = ([0.1 * rng.standard_normal((6, C)), np.zeros(C)], X, y)
