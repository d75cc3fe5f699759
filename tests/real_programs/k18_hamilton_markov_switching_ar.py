"""Hamilton (1989) filter for a two-regime Markov-switching AR(1) model of GDP growth: regime
means and a common AR coefficient, transition probabilities from logits via sigmoid, the ergodic
initial distribution from the transition matrix, a forward recursion over time where predicted
regime probabilities P.T @ xi are multiplied by Gaussian densities, normalised, and the log of the
normaliser accumulated.  Parameters come in a dict; differentiated w.r.t. it."""
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def transition_matrix(p):
    p11, p22 = sigmoid(p["logit_p11"]), sigmoid(p["logit_p22"])
    return np.array([[p11, 1 - p11], [1 - p22, p22]])


def ergodic(P):
    A = np.vstack([np.eye(2) - P.T, np.ones((1, 2))])
    b = np.array([0.0, 0.0, 1.0])
    return np.linalg.solve(A.T @ A, A.T @ b)


def hamilton_nll(p, y):
    P = transition_matrix(p)
    mu = p["mu"]
    phi, sigma = p["phi"], np.exp(p["log_sigma"])
    xi = ergodic(P)
    ll = 0.0
    for t in range(1, len(y)):
        pred = P.T @ xi
        resid = (y[t] - mu) - phi * (y[t - 1] - mu)
        dens = np.exp(-0.5 * (resid / sigma) ** 2) / (np.sqrt(2 * np.pi) * sigma)
        joint = pred * dens
        norm = joint.sum()
        ll += np.log(norm)
        xi = joint / norm
    return -ll


rng = np.random.default_rng(18)
s, y = 0, [0.8]
for t in range(120):
    s = s if rng.random() < (0.92 if s == 0 else 0.75) else 1 - s
    m = (0.9, -0.6)[s]
    y.append(m + 0.3 * (y[-1] - m) + 0.5 * rng.standard_normal())
p = {"mu": np.array([0.7, -0.4]), "phi": 0.2, "log_sigma": np.log(0.6), "logit_p11": 2.0, "logit_p22": 1.0}
f = hamilton_nll
ARGS = (p, np.array(y))
