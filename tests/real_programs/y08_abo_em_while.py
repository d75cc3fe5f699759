"""ABO blood-group allele frequencies by the gene-counting EM algorithm (Dempster, Laird & Rubin's
classic example): phenotype counts (A, B, AB, O) -> allele frequencies (pA, pB, pO).  The EM runs in
a while loop with a convergence test on the change in frequencies and a hard iteration cap; the
observed-data log-likelihood at the estimate is returned.  Differentiated w.r.t. the phenotype
counts (treated as continuous weights, as in a sensitivity analysis)."""
import math

import numpy as np


def em_abo(counts, tol=1e-12, max_iter=500):
    nA, nB, nAB, nO = counts
    n = nA + nB + nAB + nO
    pA, pB, pO = 1 / 3, 1 / 3, 1 / 3
    it = 0
    delta = math.inf
    while delta > tol and it < max_iter:
        # E-step: expected genotype counts
        nAA = nA * pA ** 2 / (pA ** 2 + 2 * pA * pO)
        nAO = nA - nAA
        nBB = nB * pB ** 2 / (pB ** 2 + 2 * pB * pO)
        nBO = nB - nBB
        # M-step
        newA = (2 * nAA + nAO + nAB) / (2 * n)
        newB = (2 * nBB + nBO + nAB) / (2 * n)
        newO = 1.0 - newA - newB
        delta = max(abs(newA - pA), abs(newB - pB), abs(newO - pO))
        pA, pB, pO = newA, newB, newO
        it += 1
    return pA, pB, pO


def observed_loglik(counts):
    pA, pB, pO = em_abo(counts)
    probs = np.array([pA ** 2 + 2 * pA * pO, pB ** 2 + 2 * pB * pO, 2 * pA * pB, pO ** 2])
    return float(np.dot(counts, np.log(probs)))


f = observed_loglik
ARGS = (np.array([186.0, 38.0, 13.0, 284.0]),)
