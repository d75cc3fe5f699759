"""Learning a substitution matrix from aligned sequence pairs with a differentiable (soft-max)
Needleman-Wunsch: sequences are strings mapped to indices through a module-level dict, the DP table
is filled cell by cell (D[i, j] = ...) with a smooth maximum built from np.logaddexp of the three
moves, affine-free linear gap; the loss is the soft alignment score of unrelated pairs minus that of
homologous pairs plus a symmetry penalty, differentiated w.r.t. the substitution matrix and the gap."""
import numpy as np

ALPHABET = "ACGT"
INDEX = {c: i for i, c in enumerate(ALPHABET)}


def smooth_max3(a, b, c, temp):
    return temp * np.logaddexp(np.logaddexp(a / temp, b / temp), c / temp)


def soft_nw(S, gap, s1, s2, temp=0.5):
    a = np.array([INDEX[c] for c in s1])
    b = np.array([INDEX[c] for c in s2])
    n, m = len(a), len(b)
    D = np.zeros((n + 1, m + 1))
    D[1:, 0] = -gap * np.arange(1, n + 1)
    D[0, 1:] = -gap * np.arange(1, m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            D[i, j] = smooth_max3(D[i - 1, j - 1] + S[a[i - 1], b[j - 1]],
                                  D[i - 1, j] - gap, D[i, j - 1] - gap, temp)
    return D[n, m]


def contrastive_loss(S, gap, homologous, unrelated, margin=2.0):
    loss = 0.0
    for (x, y), (u, v) in zip(homologous, unrelated):
        pos = soft_nw(S, gap, x, y) / max(len(x), len(y))
        neg = soft_nw(S, gap, u, v) / max(len(u), len(v))
        loss += np.logaddexp(0.0, margin - (pos - neg))
    return loss / len(homologous) + 0.1 * np.sum((S - S.T) ** 2)


homologous = [("ACGTTGCA", "ACGTGCA"), ("GGATCC", "GGTTCC"), ("TTAGC", "TTAGGC")]
unrelated = [("ACGTTGCA", "GTCCAAT"), ("GGATCC", "TATAAT"), ("TTAGC", "CCGGA")]
rng = np.random.default_rng(2029)
S0 = np.eye(4) * 1.5 - 0.5 + 0.1 * rng.standard_normal((4, 4))
f = contrastive_loss
KW = dict(wrt=("S", "gap"))
ARGS = (S0, 1.0, homologous, unrelated)
