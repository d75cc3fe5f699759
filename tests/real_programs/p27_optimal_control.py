import numpy as np

def rollout_cost(U, x0, A, B, Q, R, Qf, x_goal):
    x = x0
    cost = 0.0
    xs = [x0]
    for t in range(U.shape[0]):
        u = U[t]
        cost += (x - x_goal) @ Q @ (x - x_goal) + u @ R @ u
        x = A @ x + B @ u
        # soft state constraint: keep |velocity| < 1
        cost += 10.0 * np.sum(np.maximum(np.abs(x[1]) - 1.0, 0.0) ** 2)
        xs.append(x)
    cost += (xs[-1] - x_goal) @ Qf @ (xs[-1] - x_goal)
    return cost

rng = np.random.default_rng(26)
dt = 0.1
A = np.array([[1.0, dt], [0.0, 1.0]])
B = np.array([[0.5 * dt ** 2], [dt]])
Q = np.diag([1.0, 0.1]); R = np.array([[0.01]]); Qf = 10 * np.eye(2)
U = rng.standard_normal((20, 1)) * 2
x0 = np.array([0.0, 0.0]); x_goal = np.array([1.0, 0.0])
f = rollout_cost
ARGS = (U, x0, A, B, Q, R, Qf, x_goal)
