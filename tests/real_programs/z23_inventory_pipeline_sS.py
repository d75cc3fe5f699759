"""Periodic-review inventory with a 3-period replenishment lead time: a smoothed (s, S) policy
(order up to S, scaled by a sigmoid of how far the inventory position is below s), the in-transit
pipeline kept as a Python list (pop(0) what arrives, append what is ordered), lost sales with
np.minimum, holding and shortage costs, fixed ordering cost smoothed by the same sigmoid.  Demand is
a fixed seasonal series.  Differentiated w.r.t. (s, S)."""
import numpy as np

LEAD = 3


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def total_cost(s, S, demand, h=1.0, p=9.0, K=20.0, temp=6.0, start=40.0):
    on_hand = start
    pipeline = [0.0] * LEAD
    cost = 0.0
    for d in demand:
        on_hand += pipeline.pop(0)
        sold = np.minimum(on_hand, d)
        lost = d - sold
        on_hand -= sold
        position = on_hand + sum(pipeline)
        trigger = sigmoid((s - position) / temp)
        order = trigger * np.maximum(S - position, 0.0)
        pipeline.append(order)
        cost += h * on_hand + p * lost + K * trigger
    return cost / len(demand)


demand = 20 + 8 * np.sin(np.arange(52) * 2 * np.pi / 13) + np.random.default_rng(23).normal(0, 3, 52)
f = total_cost
ARGS = (45.0, 110.0, demand)
KW = {"wrt": ("s", "S")}
