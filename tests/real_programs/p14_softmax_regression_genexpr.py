import numpy as np

def softmax_regression_loss(params, X, y, n_classes, weight_decay=1e-2):
    logits = X @ params["W"] + params["b"]
    logits -= logits.max(axis=1, keepdims=True)
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    onehot = np.eye(n_classes)[y]
    nll = -np.sum(onehot * np.log(probs)) / len(y)
    l2 = sum(np.sum(w ** 2) for w in params.values())
    return nll + weight_decay * l2

rng = np.random.default_rng(13)
X = rng.standard_normal((30, 5))
y = rng.integers(0, 3, 30)
params = {"W": rng.standard_normal((5, 3)) * 0.1, "b": rng.standard_normal(3) * 0.1}
f = softmax_regression_loss
ARGS = (params, X, y, 3)
