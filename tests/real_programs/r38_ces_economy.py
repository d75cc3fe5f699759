"""A two-sector economy: firms with CES production (capital, labour) and a household with CES
utility over the two goods; labour and capital allocations come from softmax shares, and the
planner maximises utility minus a convex adjustment cost. Classes share a base with **kwargs."""
import numpy as np


class Agent:
    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)


class CESFirm(Agent):
    def output(self, K, L):
        return self.tfp * (self.share * K ** self.rho + (1 - self.share) * L ** self.rho) ** (1 / self.rho)


class CESHousehold(Agent):
    def utility(self, consumption):
        return np.sum(self.weights * consumption ** self.sigma) ** (1 / self.sigma)


def shares(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def planner_loss(alloc, firms, household, K_total=10.0, L_total=8.0, adj_cost=0.05):
    k_sh, l_sh = shares(alloc["capital"]), shares(alloc["labour"])
    goods = np.array([firm.output(K_total * ks, L_total * ls)
                      for firm, ks, ls in zip(firms, k_sh, l_sh)])
    welfare = household.utility(goods)
    cost = adj_cost * (np.sum((k_sh - 0.5) ** 2) + np.sum((l_sh - 0.5) ** 2))
    return -welfare + cost


firms = [CESFirm(tfp=1.2, share=0.35, rho=0.5), CESFirm(tfp=0.9, share=0.6, rho=-0.5)]
household = CESHousehold(weights=np.array([0.6, 0.4]), sigma=0.7)
f = planner_loss
ARGS = ({"capital": np.array([0.2, -0.1]), "labour": np.array([-0.3, 0.1])}, firms, household)
