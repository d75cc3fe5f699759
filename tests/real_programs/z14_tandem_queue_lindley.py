"""Staffing a three-station tandem queue (a clinic: triage, exam, pharmacy) with deterministic
scheduled arrivals every 4 minutes and fixed per-patient workloads: service time = work / rate,
departure times by the max-plus recursion D[k, s] = max(D[k-1, s], D[k, s-1]) + S[k, s] with
Python's max on numbers in double loops; loss = mean sojourn time + mean waiting at each station +
staffing cost linear in the rates.  Differentiated w.r.t. the service-rate vector."""
import numpy as np

COST = np.array([6.0, 10.0, 4.0])


def clinic_cost(rates, work, gap=4.0):
    n, m = work.shape
    arrivals = gap * np.arange(n)
    service = work / rates[None, :]
    D = np.zeros((n, m))
    wait_total = 0.0
    for k in range(n):
        for s in range(m):
            ready = arrivals[k] if s == 0 else D[k, s - 1]
            start = max(ready, D[k - 1, s]) if k > 0 else ready
            wait_total += start - ready
            D[k, s] = start + service[k, s]
    sojourn = np.mean(D[:, -1] - arrivals)
    return sojourn + 0.5 * wait_total / n + COST @ rates


rng = np.random.default_rng(14)
work = rng.gamma(4.0, 1.0, size=(40, 3)) * np.array([0.8, 1.2, 0.6])
f = clinic_cost
ARGS = (np.array([1.3, 1.1, 1.5]), work)
