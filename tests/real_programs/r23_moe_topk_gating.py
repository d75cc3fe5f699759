"""Sparse mixture of experts with top-2 softmax gating (Shazeer et al.): gate logits, the two
largest selected with argsort and take_along_axis, renormalised; experts are a list of small
two-layer MLPs; regression loss plus the load-balancing auxiliary loss."""
import numpy as np

TOP_K = 2


def expert_forward(p, x):
    return np.tanh(x @ p["W1"] + p["b1"]) @ p["W2"]


def moe_forward(params, x):
    logits = x @ params["gate"]                                       # (N, E)
    top = np.argsort(-logits, axis=1)[:, :TOP_K]
    top_logits = np.take_along_axis(logits, top, axis=1)
    g = np.exp(top_logits - top_logits.max(axis=1, keepdims=True))
    g /= g.sum(axis=1, keepdims=True)
    outs = np.stack([expert_forward(p, x) for p in params["experts"]], axis=1)   # (N, E, out)
    chosen = np.take_along_axis(outs, top[:, :, None], axis=1)                    # (N, K, out)
    y = np.sum(g[:, :, None] * chosen, axis=1)
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    return y, probs, top


def loss(params, x, target, aux_weight=0.01):
    y, probs, top = moe_forward(params, x)
    n_experts = probs.shape[1]
    load = np.bincount(top.ravel(), minlength=n_experts) / top.size
    importance = probs.mean(axis=0)
    aux = n_experts * np.sum(load * importance)
    return np.mean((y - target) ** 2) + aux_weight * aux


rng = np.random.default_rng(123)
d, h, out, E = 5, 8, 2, 4
params = {"gate": 0.5 * rng.standard_normal((d, E)),
          "experts": [{"W1": 0.4 * rng.standard_normal((d, h)), "b1": np.zeros(h),
                       "W2": 0.4 * rng.standard_normal((h, out))} for _ in range(E)]}
x = rng.standard_normal((32, d))
target = np.stack([np.sin(x[:, 0]), x[:, 1] * x[:, 2]], axis=1)

f = loss
ARGS = (params, x, target)
