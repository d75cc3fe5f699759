"""Per-task linear regression solved in closed form for a batch of tasks (meta-learning style):
batched @ on 3-d arrays, np.linalg.solve on a stack of matrices, the query loss of each task."""
import numpy as np

def features(X, W_feat):
    return np.tanh(X @ W_feat)                    # (T, n, k)

def meta_loss(W_feat, log_lam, Xs, Ys, Xq, Yq):
    Phi = features(Xs, W_feat)                    # (T, n, k)
    k = Phi.shape[-1]
    PtP = np.swapaxes(Phi, -1, -2) @ Phi          # (T, k, k)
    A = PtP + np.exp(log_lam) * np.eye(k)[None]
    rhs = np.swapaxes(Phi, -1, -2) @ Ys           # (T, k, 1)
    w = np.linalg.solve(A, rhs)                   # (T, k, 1)
    pred = features(Xq, W_feat) @ w               # (T, m, 1)
    return np.mean((pred - Yq) ** 2)

rng = np.random.default_rng(21)
T, n, m, d, k = 4, 10, 6, 3, 5
Xs, Xq = rng.standard_normal((T, n, d)), rng.standard_normal((T, m, d))
true_w = rng.standard_normal((T, d, 1))
Ys, Yq = np.sin(Xs @ true_w), np.sin(Xq @ true_w)
f = meta_loss
KW = dict(wrt=("W_feat", "log_lam"))
ARGS = (rng.standard_normal((d, k)), np.log(0.1), Xs, Ys, Xq, Yq)
