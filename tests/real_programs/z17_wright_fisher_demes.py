"""Population genetics: deterministic allele-frequency dynamics in five demes with genic selection,
island-model migration (a row-stochastic matrix from softmax logits, applied every generation),
symmetric mutation, and frequencies kept in [0, 1] by masked assignment; the trajectory is a list of
arrays turned into an array and read at the sampling generations, and the negative binomial-sampling
log-likelihood of the allele counts is minimised.  A 10-generation jump by matrix_power checks the
long-run migration mixing.  Differentiated w.r.t. (selection coefficients, migration logits)."""
import numpy as np

SAMPLE_GENS = [5, 10, 20, 30]
N_SAMPLED = 40
MU = 1e-3


def migration_matrix(logits, stay=3.0):
    L = logits + stay * np.eye(logits.shape[0])
    E = np.exp(L - L.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def trajectory(s, M, p0, generations):
    p = p0.copy()
    traj = [p]
    for g in range(generations):
        w_bar = p * (1 + s) + (1 - p)
        p = p * (1 + s) / w_bar
        p = M @ p
        p = (1 - MU) * p + MU * (1 - p)
        p[p < 1e-9] = 1e-9
        p[p > 1 - 1e-9] = 1 - 1e-9
        traj.append(p)
    return np.array(traj)


def nll(s, logits, p0, counts):
    M = migration_matrix(logits)
    traj = trajectory(s, M, p0, max(SAMPLE_GENS))
    P = traj[SAMPLE_GENS]
    ll = counts * np.log(P) + (N_SAMPLED - counts) * np.log1p(-P)
    M10 = np.linalg.matrix_power(M, 10)
    mixing = np.sum((M10 - M10.mean(axis=0)) ** 2)
    return -ll.sum() + 0.1 * mixing + 10.0 * np.sum(s ** 2)


rng = np.random.default_rng(17)
d = 5
s_true = np.array([0.05, 0.02, -0.01, 0.0, 0.03])
M_true = migration_matrix(0.5 * rng.standard_normal((d, d)))
p0 = rng.uniform(0.1, 0.4, d)
traj_true = trajectory(s_true, M_true, p0, 30)
counts = rng.binomial(N_SAMPLED, traj_true[SAMPLE_GENS]).astype(float)
f = nll
ARGS = (np.zeros(d), np.zeros((d, d)), p0, counts)
KW = {"wrt": ("s", "logits")}
