"""Autoregressive decoding with a key/value cache, the way a from-scratch GPT inference loop is
written: one single-head causal attention layer, the cache is two Python lists that each step
appends its key and value to and np.stack-s for attention over all previous positions, the next
token is chosen greedily with np.argmax and embedded by a row lookup; the score is the sum of the
log-probabilities of the generated tokens (a self-training / sequence-likelihood objective),
differentiated w.r.t. the weight dict.  Uses f-strings for layer names and a @dataclass config."""
from dataclasses import dataclass

import numpy as np


@dataclass
class Config:
    vocab: int = 11
    d_model: int = 8
    steps: int = 6
    bos: int = 0


def log_softmax(z):
    z = z - z.max()
    return z - np.log(np.sum(np.exp(z)))


def layer_norm(x, eps=1e-5):
    mu = x.mean()
    return (x - mu) / np.sqrt(np.mean((x - mu) ** 2) + eps)


def decode_logprob(weights, cfg):
    keys, values = [], []
    token = cfg.bos
    total = 0.0
    for t in range(cfg.steps):
        x = weights["tok_emb"][token] + weights["pos_emb"][t]
        h = layer_norm(x)
        q, k, v = h @ weights["Wq"], h @ weights["Wk"], h @ weights["Wv"]
        keys.append(k)
        values.append(v)
        K, V = np.stack(keys), np.stack(values)
        att = np.exp(log_softmax(K @ q / np.sqrt(cfg.d_model)))
        x = x + (att @ V) @ weights["Wo"]
        x = x + np.tanh(layer_norm(x) @ weights["ff_in"]) @ weights["ff_out"]
        logits = layer_norm(x) @ weights["tok_emb"].T
        logp = log_softmax(logits)
        token = int(np.argmax(logp))
        total = total + logp[token]
    return total


cfg = Config()
rng = np.random.default_rng(2020)
weights = {"tok_emb": rng.standard_normal((cfg.vocab, cfg.d_model)), "pos_emb": 0.5 * rng.standard_normal((cfg.steps, cfg.d_model))}
for name in ("Wq", "Wk", "Wv", "Wo"):
    weights[f"{name}"] = rng.standard_normal((cfg.d_model, cfg.d_model)) / np.sqrt(cfg.d_model)
weights["ff_in"] = rng.standard_normal((cfg.d_model, 16)) / np.sqrt(cfg.d_model)
weights["ff_out"] = rng.standard_normal((16, cfg.d_model)) / 4.0
f = decode_logprob
ARGS = (weights, cfg)
