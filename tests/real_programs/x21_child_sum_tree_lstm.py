"""Child-sum Tree-LSTM (Tai et al. 2015) for sentiment of parsed sentences: each tree comes as a
parent-pointer array (node i's parent, -1 for the root) with word ids at the leaves (-1 for
internal nodes), nodes are numbered so children come after parents and are processed in
`reversed(range(n))`; hidden and cell states live in dicts keyed by node index, a node's children
are found with a list comprehension over the parent array, gates use one weight dict; the root's
hidden state feeds a logistic classifier, binary cross-entropy over a small list of
(parents, words, label) trees, differentiated w.r.t. the parameter dict."""
import numpy as np

H, E = 6, 5


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def node_update(p, x, child_h, child_c):
    h_sum = sum(child_h) if child_h else np.zeros(H)
    i = sigmoid(p["Wi"] @ x + p["Ui"] @ h_sum + p["bi"])
    o = sigmoid(p["Wo"] @ x + p["Uo"] @ h_sum + p["bo"])
    u = np.tanh(p["Wu"] @ x + p["Uu"] @ h_sum + p["bu"])
    c = i * u
    for hk, ck in zip(child_h, child_c):
        fk = sigmoid(p["Wf"] @ x + p["Uf"] @ hk + p["bf"])
        c = c + fk * ck
    return o * np.tanh(c), c


def encode(p, parents, words, emb):
    hs, cs = {}, {}
    for n in reversed(range(len(parents))):
        kids = [k for k in range(len(parents)) if parents[k] == n]
        x = emb[words[n]] if words[n] >= 0 else np.zeros(E)
        hs[n], cs[n] = node_update(p, x, [hs[k] for k in kids], [cs[k] for k in kids])
    return hs[0]


def bce_loss(p, trees, emb):
    total = 0.0
    for parents, words, label in trees:
        h = encode(p, parents, words, emb)
        logit = p["w_out"] @ h + p["b_out"]
        total += np.logaddexp(0.0, logit) - label * logit
    return total / len(trees)


rng = np.random.default_rng(2121)
emb = rng.standard_normal((20, E))
trees = [
    ([-1, 0, 0, 2, 2], [-1, 3, -1, 7, 11], 1.0),
    ([-1, 0, 0, 1, 1, 2, 2], [-1, -1, -1, 1, 5, 9, 2], 0.0),
    ([-1, 0, 0, 0], [-1, 4, 8, 15], 1.0),
]
p = {}
for g in "iouf":
    p[f"W{g}"] = 0.3 * rng.standard_normal((H, E))
    p[f"U{g}"] = 0.3 * rng.standard_normal((H, H))
    p[f"b{g}"] = np.zeros(H) + 0.05
p["w_out"], p["b_out"] = 0.5 * rng.standard_normal(H), 0.0
f = bce_loss
ARGS = (p, trees, emb)
