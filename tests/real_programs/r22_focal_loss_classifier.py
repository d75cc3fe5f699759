"""Softmax classifier trained with a focal loss (Lin et al. 2017) combined with label smoothing;
the loss is a callable class configured by keyword arguments, the parameters a (W, b) tuple, and
the true-class probability gathered with np.take_along_axis."""
import numpy as np
from scipy.special import log_softmax


class FocalLoss:
    def __init__(self, gamma=2.0, alpha=None, smoothing=0.0, reduction="mean"):
        self.gamma = gamma
        self.alpha = alpha
        self.smoothing = smoothing
        self.reduction = reduction

    def __call__(self, logits, targets):
        logp = log_softmax(logits, axis=1)
        logp_t = np.take_along_axis(logp, targets[:, None], axis=1)[:, 0]
        p_t = np.exp(logp_t)
        focal = -((1 - p_t) ** self.gamma) * logp_t
        if self.alpha is not None:
            focal = focal * self.alpha[targets]
        if self.smoothing > 0:
            uniform = -logp.mean(axis=1)
            focal = (1 - self.smoothing) * focal + self.smoothing * uniform
        return focal.mean() if self.reduction == "mean" else focal.sum()


criterion = FocalLoss(gamma=2.0, alpha=np.array([0.25, 0.5, 1.0, 1.0]), smoothing=0.1)


def train_loss(params, X, y, weight_decay=1e-4):
    W, b = params
    return criterion(X @ W + b, y) + weight_decay * np.sum(W * W)


rng = np.random.default_rng(122)
X = rng.standard_normal((48, 7))
y = np.argmax(X[:, :4] + 0.5 * rng.standard_normal((48, 4)), axis=1)
f = train_loss
ARGS = ((0.2 * rng.standard_normal((7, 4)), np.zeros(4)), X, y)
