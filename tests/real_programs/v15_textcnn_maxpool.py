"""Kim's TextCNN sentence classifier: an embedding lookup with an integer array, convolutions of
widths 2/3/4 written as np.stack of windows (a list comprehension) and an einsum, ReLU and max over
time, concatenated features, softmax cross-entropy with fancy indexing, and L2 on the conv filters
picked from the params dict by key prefix; parameter names built with f-strings."""
import numpy as np


def textcnn_loss(params, token_ids, labels, widths=(2, 3, 4), l2=1e-3):
    E = params["embedding"][token_ids]
    T = E.shape[1]
    feats = []
    for w in widths:
        W = params[f"conv{w}_W"]
        b = params[f"conv{w}_b"]
        windows = np.stack([E[:, i:i + w, :] for i in range(T - w + 1)], axis=1)
        conv = np.einsum("btwd,wdf->btf", windows, W) + b
        feats.append(np.max(np.maximum(conv, 0.0), axis=1))
    h = np.concatenate(feats, axis=1)
    logits = h @ params["out_W"] + params["out_b"]
    logits = logits - logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    nll = -np.mean(log_probs[np.arange(len(labels)), labels])
    reg = sum(np.sum(v ** 2) for k, v in params.items() if k.startswith("conv") and k.endswith("_W"))
    return nll + l2 * reg


rng = np.random.default_rng(715)
vocab, D, F, n_cls = 30, 6, 4, 3
params = {"embedding": 0.5 * rng.standard_normal((vocab, D))}
for w in (2, 3, 4):
    params[f"conv{w}_W"] = rng.standard_normal((w, D, F)) / np.sqrt(w * D)
    params[f"conv{w}_b"] = 0.1 * np.ones(F)
params["out_W"] = rng.standard_normal((3 * F, n_cls)) / np.sqrt(3 * F)
params["out_b"] = np.zeros(n_cls)
token_ids = rng.integers(0, vocab, size=(5, 9))
labels = np.array([0, 1, 2, 1, 0])
f = textcnn_loss
ARGS = (params, token_ids, labels)
