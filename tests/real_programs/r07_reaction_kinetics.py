"""Fitting Arrhenius parameters of a small reaction network (A -> B, B -> C, 2A -> D) to
concentration time courses measured at three temperatures; mass-action rates, RK4."""
import numpy as np

R_GAS = 8.314


class Mechanism:
    def __init__(self, stoich, orders):
        self.stoich = np.asarray(stoich, dtype=float)   # (reactions, species)
        self.orders = np.asarray(orders, dtype=float)

    def rates(self, c, k):
        return k * np.prod(c[None, :] ** self.orders, axis=1)

    def rhs(self, c, k):
        return self.stoich.T @ self.rates(c, k)

    def integrate(self, c0, k, t_end, n_steps):
        h = t_end / n_steps
        c = c0
        out = [c0]
        for _ in range(n_steps):
            k1 = self.rhs(c, k)
            k2 = self.rhs(c + 0.5 * h * k1, k)
            k3 = self.rhs(c + 0.5 * h * k2, k)
            k4 = self.rhs(c + h * k3, k)
            c = c + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            out.append(c)
        return np.array(out)


def arrhenius(log_A, Ea, T):
    return np.exp(log_A - Ea / (R_GAS * T))


def fit_loss(params, mech, c0, temps, observations):
    total = 0.0
    for T, obs in zip(temps, observations):
        k = arrhenius(params["log_A"], params["Ea"] * 1e4, T)
        traj = mech.integrate(c0, k, t_end=2.0, n_steps=20)
        total += np.sum((traj[::5] - obs) ** 2)
    return total / len(temps)


mech = Mechanism(stoich=[[-1, 1, 0, 0], [0, -1, 1, 0], [-2, 0, 0, 1]],
                 orders=[[1, 0, 0, 0], [0, 1, 0, 0], [2, 0, 0, 0]])
c0 = np.array([1.0, 0.0, 0.0, 0.0])
temps = [300.0, 320.0, 340.0]
true = {"log_A": np.array([8.0, 7.0, 9.0]), "Ea": np.array([2.2, 2.0, 2.6])}
rng = np.random.default_rng(107)
observations = [mech.integrate(c0, arrhenius(true["log_A"], true["Ea"] * 1e4, T), 2.0, 20)[::5]
                + 0.005 * rng.standard_normal((5, 4)) for T in temps]

f = fit_loss
ARGS = ({"log_A": np.array([7.5, 7.2, 8.6]), "Ea": np.array([2.1, 2.1, 2.5])}, mech, c0, temps, observations)
