"""Knowledge distillation: a student MLP (list of (W, b) layers) matches temperature-softened
teacher probabilities (scipy.special.softmax / log_softmax, KL scaled by T^2) mixed with a
label-smoothed cross-entropy on the hard labels."""
import numpy as np
from scipy.special import log_softmax, softmax


def student(layers, X):
    h = X
    for W, b in layers[:-1]:
        h = np.maximum(h @ W + b, 0.01 * (h @ W + b))
    W, b = layers[-1]
    return h @ W + b


def distill_loss(layers, X, labels, teacher_logits, T=3.0, alpha=0.7, eps=0.1):
    logits = student(layers, X)
    p_t = softmax(teacher_logits / T, axis=1)
    log_p_s = log_softmax(logits / T, axis=1)
    kl = np.sum(p_t * (np.log(p_t) - log_p_s), axis=1).mean() * T ** 2
    K = logits.shape[1]
    smooth = np.full_like(logits, eps / (K - 1))
    smooth[np.arange(len(labels)), labels] = 1.0 - eps
    ce = -np.sum(smooth * log_softmax(logits, axis=1), axis=1).mean()
    return alpha * kl + (1 - alpha) * ce


rng = np.random.default_rng(540)
X = rng.standard_normal((32, 6))
teacher_logits = X @ rng.standard_normal((6, 4)) * 1.5
labels = np.argmax(teacher_logits + 0.5 * rng.standard_normal((32, 4)), axis=1)
layers = [(rng.standard_normal((6, 12)) * 0.4, 0.05 * rng.standard_normal(12)),
          (rng.standard_normal((12, 4)) * 0.4, np.zeros(4))]

f = distill_loss
ARGS = (layers, X, labels, teacher_logits)
