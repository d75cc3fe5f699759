"""RotatE knowledge-graph embeddings (Sun et al. 2019) with numpy complex numbers: entities as
re + 1j*im, relations as unit rotations np.exp(1j * phase), distances np.abs(h * r - t) summed over
dimensions; self-adversarial negative sampling weights (a softmax over negative scores), log-sigmoid
losses written with np.logaddexp; triples unpacked with `h, r, t = triples.T`."""
import numpy as np


def scores(emb, h, r, t, gamma=6.0):
    head = emb["re"][h] + 1j * emb["im"][h]
    tail = emb["re"][t] + 1j * emb["im"][t]
    rot = np.exp(1j * emb["phase"][r])
    return gamma - np.sum(np.abs(head * rot - tail), axis=-1)


def rotate_loss(emb, triples, neg_tails, adv_temperature=1.0):
    h, r, t = triples.T
    pos = scores(emb, h, r, t)
    neg = scores(emb, h[:, None], r[:, None], neg_tails)
    w = np.exp(adv_temperature * (neg - neg.max(axis=1, keepdims=True)))
    w = w / w.sum(axis=1, keepdims=True)
    pos_loss = np.logaddexp(0.0, -pos)
    neg_loss = np.sum(w * np.logaddexp(0.0, neg), axis=1)
    return np.mean(pos_loss + neg_loss) / 2


rng = np.random.default_rng(723)
n_ent, n_rel, k = 15, 3, 4
emb = {"re": rng.uniform(-1, 1, (n_ent, k)), "im": rng.uniform(-1, 1, (n_ent, k)),
       "phase": rng.uniform(-np.pi, np.pi, (n_rel, k))}
triples = np.stack([rng.integers(0, n_ent, 10), rng.integers(0, n_rel, 10), rng.integers(0, n_ent, 10)], axis=1)
neg_tails = rng.integers(0, n_ent, (10, 5))
f = rotate_loss
ARGS = (emb, triples, neg_tails)
