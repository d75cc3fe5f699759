"""Causal linear attention (Katharopoulos et al.) in a one-layer character LM: feature map elu+1,
prefix sums of phi(k) v^T with np.cumsum over an einsum outer product, normaliser from the cumsum
of phi(k); a distillation term against ordinary causal softmax attention (mask from np.triu) on the
same projections, plus next-token cross-entropy read with np.take_along_axis."""
import numpy as np


def elu_plus_one(x):
    return np.where(x > 0, x + 1.0, np.exp(x))


def linear_attention(Q, K, V, eps=1e-6):
    phi_q, phi_k = elu_plus_one(Q), elu_plus_one(K)
    kv = np.cumsum(np.einsum("td,te->tde", phi_k, V), axis=0)
    z = np.cumsum(phi_k, axis=0)
    num = np.einsum("td,tde->te", phi_q, kv)
    den = np.einsum("td,td->t", phi_q, z)[:, None]
    return num / (den + eps)


def softmax_attention(Q, K, V):
    T, d = Q.shape
    scores = Q @ K.T / np.sqrt(d)
    scores = scores - 1e9 * np.triu(np.ones((T, T)), k=1)
    scores = scores - scores.max(axis=1, keepdims=True)
    w = np.exp(scores)
    w = w / w.sum(axis=1, keepdims=True)
    return w @ V


def lm_loss(p, tokens, distill=0.1):
    x = p["tok_emb"][tokens[:-1]] + p["pos_emb"][: len(tokens) - 1]
    Q, K, V = x @ p["Wq"], x @ p["Wk"], x @ p["Wv"]
    h = x + linear_attention(Q, K, V) @ p["Wo"]
    logits = h @ p["tok_emb"].T          # tied output embedding
    logits = logits - logits.max(axis=-1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    targets = tokens[1:]
    nll = -np.take_along_axis(logp, targets[:, None], axis=1).mean()
    teacher = softmax_attention(Q, K, V)
    student = linear_attention(Q, K, V)
    return nll + distill * np.mean((student - teacher) ** 2)


rng = np.random.default_rng(703)
vocab, d, T = 11, 8, 16
text = "the cat sat on the mat"
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
tokens = np.array([stoi[c] for c in text[:T + 1]])
p = {
    "tok_emb": 0.3 * rng.standard_normal((len(chars), d)),
    "pos_emb": 0.1 * rng.standard_normal((T, d)),
    "Wq": rng.standard_normal((d, d)) / np.sqrt(d),
    "Wk": rng.standard_normal((d, d)) / np.sqrt(d),
    "Wv": rng.standard_normal((d, d)) / np.sqrt(d),
    "Wo": rng.standard_normal((d, d)) / np.sqrt(d),
}

f = lm_loss
ARGS = (p, tokens)
