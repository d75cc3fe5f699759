"""Differentiable top-k selection with NeuralSort: the relaxed permutation matrix
P = softmax(((n + 1 - 2i) s - A_s 1) / tau) with A_s the matrix of pairwise |s_i - s_j|; the first
k rows give soft top-k indicators, used for a retrieval loss (soft precision@k against relevance)
plus a soft-sorted regression of the scores to their ideal order.  Scores come from a linear model;
w.r.t. its weights."""
import numpy as np


def neural_sort(s, tau):
    n = len(s)
    A = np.abs(s[:, None] - s[None, :])
    B = A @ np.ones(n)
    scaling = n + 1 - 2 * (np.arange(n) + 1)
    logits = (scaling[:, None] * s[None, :] - B[None, :]) / tau
    logits = logits - logits.max(axis=1, keepdims=True)
    P = np.exp(logits)
    return P / P.sum(axis=1, keepdims=True)


def topk_loss(w, X, relevance, k=4, tau=0.3):
    s = X @ w
    P = neural_sort(s, tau)
    soft_topk = P[:k].sum(axis=0)
    precision = soft_topk @ relevance / k
    sorted_scores = P @ s
    ideal = np.sort(s)[::-1]
    return -precision + 0.1 * np.sum((sorted_scores - ideal) ** 2)


rng = np.random.default_rng(33)
X = rng.standard_normal((12, 5))
relevance = (X @ np.array([1.0, -0.5, 0.3, 0.0, 0.8]) > 0.3).astype(float)
f = topk_loss
ARGS = (0.5 * rng.standard_normal(5), X, relevance)
