"""Connectionist temporal classification loss (Graves et al. 2006) in log space: the label sequence
is extended with blanks, the forward variables alpha[t, s] are filled with nested loops, using
np.logaddexp for the two- or three-way sums and the skip transition allowed only between distinct
non-blank labels."""
import numpy as np

BLANK = 0
NEG_INF = -1e30


def log_softmax(x, axis=-1):
    x = x - x.max(axis=axis, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=axis, keepdims=True))


def ctc_neg_log_lik(logits, labels):
    logp = log_softmax(logits)                    # (T, C)
    T = logp.shape[0]
    ext = [BLANK]
    for l in labels:
        ext += [l, BLANK]
    S = len(ext)
    alpha = np.full((T, S), NEG_INF)
    alpha[0, 0] = logp[0, ext[0]]
    alpha[0, 1] = logp[0, ext[1]]
    for t in range(1, T):
        for s in range(S):
            a = alpha[t - 1, s]
            if s >= 1:
                a = np.logaddexp(a, alpha[t - 1, s - 1])
            if s >= 2 and ext[s] != BLANK and ext[s] != ext[s - 2]:
                a = np.logaddexp(a, alpha[t - 1, s - 2])
            alpha[t, s] = a + logp[t, ext[s]]
    return -np.logaddexp(alpha[T - 1, S - 1], alpha[T - 1, S - 2])


def batch_ctc(W, feats, label_seqs):
    losses = [ctc_neg_log_lik(x @ W, lab) for x, lab in zip(feats, label_seqs)]
    return sum(losses) / len(losses)


rng = np.random.default_rng(16)
C, d = 5, 4
feats = [rng.standard_normal((9, d)), rng.standard_normal((7, d))]
label_seqs = [[1, 2, 2], [3, 1]]
f = batch_ctc
ARGS = (0.5 * rng.standard_normal((d, C)), feats, label_seqs)
