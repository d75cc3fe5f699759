"""One Baum-Welch (EM) step for a discrete-emission HMM on several sequences, then the
log-likelihood of held-out sequences under the re-estimated model: scaled forward/backward passes
give the state posteriors gamma and pair posteriors xi; expected counts are accumulated over
sequences and the new transition and emission matrices are normalised row by row in place
(`for row in A_new: row /= row.sum()`), as in many textbook implementations.  Differentiated
w.r.t. the initial model's transition logits (a hyper-gradient through one EM step)."""
import numpy as np


def softmax_rows(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def forward_backward(pi, A, B, obs):
    T, K = len(obs), len(pi)
    alpha = np.zeros((T, K))
    c = np.zeros(T)
    a = pi * B[:, obs[0]]
    c[0] = a.sum()
    alpha[0] = a / c[0]
    for t in range(1, T):
        a = (alpha[t - 1] @ A) * B[:, obs[t]]
        c[t] = a.sum()
        alpha[t] = a / c[t]
    beta = np.ones((T, K))
    for t in range(T - 2, -1, -1):
        beta[t] = (A @ (B[:, obs[t + 1]] * beta[t + 1])) / c[t + 1]
    return alpha, beta, c


def em_step(pi, A, B, seqs):
    K, M = B.shape
    A_new = np.zeros((K, K))
    B_new = np.zeros((K, M))
    for obs in seqs:
        alpha, beta, c = forward_backward(pi, A, B, obs)
        gamma = alpha * beta
        for t in range(len(obs) - 1):
            xi = alpha[t][:, None] * A * (B[:, obs[t + 1]] * beta[t + 1])[None, :] / c[t + 1]
            A_new += xi
        for t, o in enumerate(obs):
            B_new[:, o] += gamma[t]
    for row in A_new:
        row /= row.sum()
    for row in B_new:
        row /= row.sum()
    return A_new, B_new


def heldout_loglik(trans_logits, emis_logits, pi, train, test):
    A, B = softmax_rows(trans_logits), softmax_rows(emis_logits)
    A1, B1 = em_step(pi, A, B, train)
    total = 0.0
    for obs in test:
        _, _, c = forward_backward(pi, A1, B1, obs)
        total += np.sum(np.log(c))
    return -total


rng = np.random.default_rng(28)
K, M = 2, 3
A_true = np.array([[0.9, 0.1], [0.2, 0.8]])
B_true = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
def sample(T):
    s, out = 0, []
    for _ in range(T):
        out.append(rng.choice(M, p=B_true[s]))
        s = rng.choice(K, p=A_true[s])
    return np.array(out)
train = [sample(25) for _ in range(3)]
test = [sample(20) for _ in range(2)]
f = heldout_loglik
ARGS = (0.3 * rng.standard_normal((K, K)), 0.3 * rng.standard_normal((K, M)), np.array([0.5, 0.5]), train, test)
