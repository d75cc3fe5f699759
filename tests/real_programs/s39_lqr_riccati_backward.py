"""Finite-horizon discrete LQR: the backward Riccati recursion computes feedback gains with
np.linalg.solve, a reversed list of gains is used in a forward closed-loop rollout from several
initial states; the realised quadratic cost is tuned w.r.t. the diagonal of the design weight Q
(log-parameterised), with the evaluation cost fixed."""
import numpy as np


def riccati_gains(A, B, Q, R, Qf, horizon):
    P = Qf
    gains = []
    for _ in range(horizon):
        BtP = B.T @ P
        K = np.linalg.solve(R + BtP @ B, BtP @ A)
        P = Q + A.T @ P @ (A - B @ K)
        P = 0.5 * (P + P.T)
        gains.append(K)
    return gains[::-1]


def closed_loop_cost(log_q, A, B, x0s, horizon=15, r=0.1):
    Q = np.diag(np.exp(log_q))
    R = r * np.eye(B.shape[1])
    gains = riccati_gains(A, B, Q, R, 10 * Q, horizon)
    Q_eval = np.eye(A.shape[0])
    total = 0.0
    for x0 in x0s:
        x = x0
        for K in gains:
            u = -K @ x
            total += x @ Q_eval @ x + 0.5 * u @ u
            x = A @ x + B @ u
        total += 10 * x @ Q_eval @ x
    return total / len(x0s)


dt = 0.1
A = np.array([[1.0, dt, 0.0], [0.0, 1.0, dt], [0.0, 0.0, 0.9]])
B = np.array([[0.0], [0.0], [dt]])
rng = np.random.default_rng(39)
x0s = rng.standard_normal((4, 3))
f = closed_loop_cost
ARGS = (np.zeros(3), A, B, x0s)
