"""Pointer network for the travelling-salesman problem, trained by teacher forcing on a reference
tour: an encoder embeds city coordinates, a GRU-like decoder state is updated with the embedding
of the city just visited, attention logits over cities are masked (-inf) at cities already
visited (the mask is updated in place at the visited index), and the log-probability of the
reference tour is accumulated.  Differentiated w.r.t. the parameter dict."""
import numpy as np

NEG_INF = -np.inf


def log_softmax_masked(logits, mask):
    z = np.where(mask, logits, NEG_INF)
    m = np.max(z)
    return z - m - np.log(np.sum(np.exp(z - m)))


def tour_logprob(params, cities, tour):
    n = len(cities)
    emb = np.tanh(cities @ params["W_emb"] + params["b_emb"])          # (n, H)
    keys = emb @ params["W_ref"]
    h = emb.mean(axis=0)
    available = np.ones(n, dtype=bool)
    logp = 0.0
    cur = emb.mean(axis=0) * 0.0 + params["start"]
    for step, city in enumerate(tour):
        z = 1.0 / (1.0 + np.exp(-(cur @ params["Wz"] + h @ params["Uz"])))
        cand = np.tanh(cur @ params["Wh"] + h @ params["Uh"])
        h = (1.0 - z) * h + z * cand
        q = h @ params["W_q"]
        logits = 10.0 * np.tanh(np.tanh(keys + q) @ params["v"])       # clipped logits (Bello et al.)
        lp = log_softmax_masked(logits, available)
        logp += lp[city]
        available[city] = False
        cur = emb[city]
    return logp


def loss(params, batch):
    return -np.mean([tour_logprob(params, c, t) for c, t in batch])


rng = np.random.default_rng(15)
H = 8
params = {k: rng.standard_normal(s) * 0.3 for k, s in
          {"W_emb": (2, H), "b_emb": (H,), "W_ref": (H, H), "W_q": (H, H), "v": (H,), "start": (H,),
           "Wz": (H, H), "Uz": (H, H), "Wh": (H, H), "Uh": (H, H)}.items()}
batch = []
for _ in range(2):
    c = rng.random((6, 2))
    ang = np.arctan2(c[:, 1] - 0.5, c[:, 0] - 0.5)
    batch.append((c, np.argsort(ang)))
f = loss
ARGS = (params, batch)
