"""Mixture of experts with a runtime routing decision: experts are (name, W) pairs; each input's
experts are ranked with sorted(key=...) on a score computed from the parameters, and the top two
are averaged with softmax weights of their scores."""
import numpy as np


def expert_out(W, x):
    return np.tanh(W @ x)


def route_loss(gate, experts, X, Y, k=2):
    total = 0.0
    for x, y in zip(X, Y):
        scored = [(float(gate[i] @ x), i) for i in range(len(experts))]
        top = sorted(scored, key=lambda s: s[0], reverse=True)[:k]
        logits = np.array([gate[i] @ x for _, i in top])
        w = np.exp(logits - logits.max())
        w = w / w.sum()
        out = sum(wj * expert_out(experts[i][1], x) for wj, (_, i) in zip(w, top))
        total = total + np.sum((out - y) ** 2)
    return total / len(X)


rng = np.random.default_rng(14)
E, D = 4, 3
gate = rng.standard_normal((E, D))
experts = [(f"e{i}", 0.5 * rng.standard_normal((D, D))) for i in range(E)]
X = rng.standard_normal((6, D))
Y = np.sin(X)

f = route_loss
ARGS = (gate, experts, X, Y)
KW = {"wrt": ("gate", "experts")}
