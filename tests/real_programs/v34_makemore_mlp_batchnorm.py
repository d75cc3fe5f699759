"""Karpathy's makemore MLP exactly as in the 'becoming a backprop ninja' lecture: parameters in a
list unpacked into names, an embedding lookup C[Xb] with a 2-D integer array, a view to concatenate
the context, batch norm with Bessel-corrected variance, tanh, and the cross-entropy spelled out
(logit maxes, counts, counts_sum_inv = ... ** -1, logprobs[range(n), Yb])."""
import numpy as np


def forward_loss(parameters, Xb, Yb, bn_eps=1e-5):
    C, W1, b1, W2, b2, bngain, bnbias = parameters
    n = Xb.shape[0]
    emb = C[Xb]
    embcat = emb.reshape(emb.shape[0], -1)
    hprebn = embcat @ W1 + b1
    bnmeani = 1 / n * hprebn.sum(0, keepdims=True)
    bndiff = hprebn - bnmeani
    bndiff2 = bndiff ** 2
    bnvar = 1 / (n - 1) * bndiff2.sum(0, keepdims=True)
    bnvar_inv = (bnvar + bn_eps) ** -0.5
    bnraw = bndiff * bnvar_inv
    hpreact = bngain * bnraw + bnbias
    h = np.tanh(hpreact)
    logits = h @ W2 + b2
    logit_maxes = logits.max(1, keepdims=True)
    norm_logits = logits - logit_maxes
    counts = np.exp(norm_logits)
    counts_sum = counts.sum(1, keepdims=True)
    counts_sum_inv = counts_sum ** -1
    probs = counts * counts_sum_inv
    logprobs = np.log(probs)
    loss = -logprobs[range(n), Yb].mean()
    return loss


rng = np.random.default_rng(734)
vocab_size, n_embd, block_size, n_hidden, batch = 27, 5, 3, 32, 16
words = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia"]
stoi = {ch: i + 1 for i, ch in enumerate("abcdefghijklmnopqrstuvwxyz")}
stoi["."] = 0
X, Y = [], []
for w in words:
    context = [0] * block_size
    for ch in w + ".":
        X.append(context)
        Y.append(stoi[ch])
        context = context[1:] + [stoi[ch]]
Xb, Yb = np.array(X[:batch]), np.array(Y[:batch])
parameters = [
    rng.standard_normal((vocab_size, n_embd)),
    rng.standard_normal((n_embd * block_size, n_hidden)) * (5 / 3) / (n_embd * block_size) ** 0.5,
    rng.standard_normal(n_hidden) * 0.1,
    rng.standard_normal((n_hidden, vocab_size)) * 0.1,
    rng.standard_normal(vocab_size) * 0.1,
    rng.standard_normal((1, n_hidden)) * 0.1 + 1.0,
    rng.standard_normal((1, n_hidden)) * 0.1,
]
f = forward_loss
ARGS = (parameters, Xb, Yb)
