"""Training objective configured by a frozen dataclass (dropout off, label smoothing, weight decay,
temperature), parameters in a dict; a softmax classifier with label smoothing."""
import numpy as np
from dataclasses import dataclass

@dataclass(frozen=True)
class Config:
    n_classes: int = 4
    label_smoothing: float = 0.1
    weight_decay: float = 1e-3
    temperature: float = 1.5
    use_bias: bool = True

def smooth_labels(y, cfg):
    onehot = np.eye(cfg.n_classes)[y]
    return onehot * (1 - cfg.label_smoothing) + cfg.label_smoothing / cfg.n_classes

def objective(params, X, y, cfg=Config()):
    logits = X @ params["W"]
    if cfg.use_bias:
        logits = logits + params["b"]
    logits = logits / cfg.temperature
    logits = logits - logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    targets = smooth_labels(y, cfg)
    ce = -np.sum(targets * log_probs) / X.shape[0]
    l2 = sum(np.sum(p ** 2) for k, p in params.items() if k.startswith("W"))
    return ce + cfg.weight_decay * l2

rng = np.random.default_rng(25)
X = rng.standard_normal((20, 6))
y = rng.integers(0, 4, 20)
params = {"W": 0.3 * rng.standard_normal((6, 4)), "b": np.zeros(4)}
f = objective
KW = dict(wrt="params")
ARGS = (params, X, y, Config(temperature=2.0))
