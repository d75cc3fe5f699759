import numpy as np

def ridge_fit(X, y, lam):
    n_features = X.shape[1]
    A = X.T @ X + lam * np.eye(n_features)
    return np.linalg.solve(A, X.T @ y)

def validation_loss(log_lam, X_tr, y_tr, X_val, y_val):
    lam = np.exp(log_lam)
    w = ridge_fit(X_tr, y_tr, lam)
    resid = X_val @ w - y_val
    return resid @ resid / len(y_val)

rng = np.random.default_rng(20)
w_true = rng.standard_normal(6)
X_tr = rng.standard_normal((20, 6)); y_tr = X_tr @ w_true + 0.5 * rng.standard_normal(20)
X_val = rng.standard_normal((15, 6)); y_val = X_val @ w_true + 0.5 * rng.standard_normal(15)
f = validation_loss
ARGS = (0.3, X_tr, y_tr, X_val, y_val)
