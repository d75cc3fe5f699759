"""Learning to rank: linear scores per query-document, documents sorted by true relevance with
np.argsort and scores gathered with np.take_along_axis, ListMLE (Plackett-Luce) loss with a
reversed np.logaddexp.accumulate, plus a pairwise hinge on the sorted scores."""
import numpy as np


def listmle(scores, relevance):
    order = np.argsort(-relevance, axis=1, kind="stable")
    s = np.take_along_axis(scores, order, axis=1)
    log_tail = np.logaddexp.accumulate(s[:, ::-1], axis=1)[:, ::-1]
    return np.mean(np.sum(log_tail - s, axis=1))


def pairwise_hinge(scores, relevance, margin=0.5):
    diff_rel = relevance[:, :, None] - relevance[:, None, :]
    diff_s = scores[:, :, None] - scores[:, None, :]
    mask = diff_rel > 0
    return np.sum(np.maximum(0.0, margin - diff_s)[mask]) / mask.sum()


def ranking_loss(w, feats, relevance, wd=1e-2):
    scores = feats @ w
    return listmle(scores, relevance) + 0.5 * pairwise_hinge(scores, relevance) + wd * w @ w


rng = np.random.default_rng(532)
Q, D, F = 6, 7, 4
feats = rng.standard_normal((Q, D, F))
w_true = np.array([1.0, -0.5, 0.3, 0.0])
relevance = np.clip(np.round(feats @ w_true + 0.3 * rng.standard_normal((Q, D)) + 1.0), 0, 3)

f = ranking_loss
ARGS = (np.array([0.4, -0.1, 0.2, 0.1]), feats, relevance)
