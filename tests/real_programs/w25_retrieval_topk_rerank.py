"""Dense retrieval with top-k re-ranking: queries and documents are embedded by a linear map with
L2 normalisation (np.linalg.norm), the k nearest documents per query picked with np.argsort and
gathered with np.take_along_axis, then a listwise softmax cross-entropy over the retrieved set
(the relevant document is forced into the candidate list when it was missed, with np.where); the
query encoder's projection and temperature are differentiated."""
import numpy as np


def encode(W, X):
    Z = X @ W
    return Z / np.linalg.norm(Z, axis=1, keepdims=True)


def retrieve_topk(q, d, k):
    scores = q @ d.T
    idx = np.argsort(-scores, axis=1)[:, :k]
    return idx, np.take_along_axis(scores, idx, axis=1)


def listwise_loss(params, Xq, Xd, relevant, k=5):
    q = encode(params["Wq"], Xq)
    d = encode(params["Wd"], Xd)
    idx, top_scores = retrieve_topk(q, d, k)
    hit = idx == relevant[:, None]
    missed = ~hit.any(axis=1)
    rel_scores = np.sum(q * d[relevant], axis=1)
    # replace the last candidate by the relevant document where retrieval missed it
    top_scores[:, -1] = np.where(missed, rel_scores, top_scores[:, -1])
    hit[:, -1] = hit[:, -1] | missed
    logits = top_scores / params["temperature"]
    logits = logits - logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return -np.mean(np.sum(log_probs * hit, axis=1))


rng = np.random.default_rng(2025)
n_doc, n_q, dim, emb = 30, 8, 10, 6
Xd = rng.standard_normal((n_doc, dim))
relevant = rng.integers(0, n_doc, n_q)
Xq = Xd[relevant] + 0.8 * rng.standard_normal((n_q, dim))
params = {"Wq": rng.standard_normal((dim, emb)) / np.sqrt(dim),
          "Wd": rng.standard_normal((dim, emb)) / np.sqrt(dim), "temperature": 0.2}
f = listwise_loss
ARGS = (params, Xq, Xd, relevant)
