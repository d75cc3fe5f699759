"""Phylogenetic likelihood of a DNA alignment on a fixed rooted tree (Felsenstein's pruning
algorithm): the GTR rate matrix is built from exchangeabilities and base frequencies, symmetrised
and diagonalised once with np.linalg.eigh so P(t) = expm(Q t) comes from the eigenpairs; the tree is
a dict of internal node -> (left child, right child) and its branch lengths are looked up by node
name in a dict; conditional likelihoods are computed by a recursive helper (leaves return one-hot
rows from the alignment dict), with per-site log-scaling; the negative log-likelihood is
differentiated w.r.t. the branch-length dict and the log-exchangeabilities."""
import numpy as np

BASES = "ACGT"
TREE = {"root": ("n1", "n2"), "n1": ("human", "chimp"), "n2": ("gorilla", "n3"), "n3": ("orang", "gibbon")}


def gtr_eigen(log_ex, pi):
    ex = np.exp(log_ex)
    R = np.zeros((4, 4))
    R[np.triu_indices(4, 1)] = ex
    R = R + R.T
    Q = R * pi[None, :]
    Q = Q - np.diag(Q.sum(axis=1))
    Q = Q / -np.sum(pi * np.diag(Q))
    d = np.sqrt(pi)
    S = d[:, None] * Q / d[None, :]
    w, U = np.linalg.eigh(S)
    return w, U, d


def transition(t, w, U, d):
    return (U * np.exp(w * t)[None, :]) @ U.T / d[:, None] * d[None, :]


def partial_likelihood(node, branch, alignment, w, U, d):
    if node not in TREE:
        seq = alignment[node]
        return np.array([[1.0 if b == c else 0.0 for c in BASES] for b in seq])
    left, right = TREE[node]
    L = partial_likelihood(left, branch, alignment, w, U, d) @ transition(branch[left], w, U, d).T
    Rr = partial_likelihood(right, branch, alignment, w, U, d) @ transition(branch[right], w, U, d).T
    return L * Rr


def neg_log_likelihood(branch, log_ex, alignment, pi):
    w, U, d = gtr_eigen(log_ex, pi)
    root = partial_likelihood("root", branch, alignment, w, U, d)
    return -np.sum(np.log(root @ pi))


rng = np.random.default_rng(1313)
ancestor = rng.choice(list(BASES), 60)
alignment = {}
for k, name in enumerate(["human", "chimp", "gorilla", "orang", "gibbon"]):
    seq = ancestor.copy()
    flips = rng.random(60) < 0.08 * (k + 1)
    seq[flips] = rng.choice(list(BASES), flips.sum())
    alignment[name] = "".join(seq)
pi = np.array([0.3, 0.2, 0.2, 0.3])
branch = {"n1": 0.05, "n2": 0.08, "human": 0.04, "chimp": 0.05, "gorilla": 0.1, "n3": 0.06, "orang": 0.15, "gibbon": 0.2}
f = neg_log_likelihood
ARGS = (branch, np.log(np.array([1.0, 4.0, 1.0, 1.0, 4.0, 1.0])), alignment, pi)
KW = dict(wrt=("branch", "log_ex"))
