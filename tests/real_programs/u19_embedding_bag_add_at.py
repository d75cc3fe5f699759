"""fastText-style text classifier: an EmbeddingBag built with offsets (np.repeat of bag lengths),
np.add.at scatter-sum of token embeddings, division by np.bincount counts in place (mode string
flag), linear softmax head and cross-entropy."""
import numpy as np


def embedding_bag(E, tokens, offsets, mode="mean"):
    lengths = np.diff(np.append(offsets, len(tokens)))
    bag_ids = np.repeat(np.arange(len(offsets)), lengths)
    out = np.zeros((len(offsets), E.shape[1]))
    np.add.at(out, bag_ids, E[tokens])
    if mode == "mean":
        counts = np.bincount(bag_ids, minlength=len(offsets))
        out /= np.maximum(counts, 1)[:, None]
    elif mode == "max":
        raise NotImplementedError(f"mode={mode!r}")
    return out


def classifier_loss(params, tokens, offsets, labels):
    h = embedding_bag(params["emb"], tokens, offsets)
    logits = h @ params["W"] + params["b"]
    logits -= logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return -log_probs[np.arange(len(labels)), labels].mean()


rng = np.random.default_rng(619)
V, d, C, n_docs = 30, 6, 3, 10
lengths = rng.integers(2, 7, n_docs)
offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
tokens = rng.integers(0, V, lengths.sum())
labels = rng.integers(0, C, n_docs)
params = {"emb": 0.3 * rng.standard_normal((V, d)), "W": 0.3 * rng.standard_normal((d, C)), "b": np.zeros(C)}

f = classifier_loss
ARGS = (params, tokens, offsets, labels)
