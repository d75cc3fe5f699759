"""Fixed-time traffic signal at a four-approach intersection: green splits from softmax logits of
the effective green (cycle minus lost time), degrees of saturation, Webster's uniform + random delay
per approach (with a saturated-approach penalty chosen by np.where), the level-of-service class of
each approach by np.select, and a match statement choosing the weighting of approaches by their
kind.  Approach lanes are expanded with np.repeat.  Loss: flow-weighted average delay + a cycle
length penalty.  Differentiated w.r.t. the logits and the cycle length."""
import numpy as np

APPROACHES = [("N", "arterial"), ("S", "arterial"), ("E", "minor"), ("W", "bus")]
LANES = np.array([2, 2, 1, 1])
FLOW = np.array([520.0, 480.0, 210.0, 180.0]) / 3600.0          # veh/s per approach
SAT = 1800.0 / 3600.0                                            # veh/s per lane
LOST = 12.0


def webster_delay(c, g, q, s):
    lam = g / c
    x = q / (s * lam)
    uniform = c * (1 - lam) ** 2 / (2 * (1 - np.minimum(x, 0.98) * lam))
    random_ = np.where(x < 0.95, x ** 2 / (2 * q * (1 - x)), 100.0 + 400.0 * (x - 0.95))
    return 0.9 * (uniform + random_), x


def signal_cost(logits, cycle):
    green = (cycle - LOST) * np.exp(logits) / np.sum(np.exp(logits))
    lane_flow = np.repeat(FLOW / LANES, LANES)
    lane_green = np.repeat(green, LANES)
    delay, x = webster_delay(cycle, lane_green, lane_flow, SAT)
    los = np.select([delay < 20, delay < 35, delay < 55], [0.0, 1.0, 2.0], 3.0)
    weights = []
    for name, kind in APPROACHES:
        match kind:
            case "arterial":
                weights.append(1.0)
            case "bus":
                weights.append(2.5)
            case _:
                weights.append(0.8)
    w = np.repeat(np.array(weights), LANES)
    avg = np.sum(w * lane_flow * delay) / np.sum(w * lane_flow)
    return avg + 0.5 * np.sum(los) + 0.002 * (cycle - 90.0) ** 2


f = signal_cost
ARGS = (np.array([0.4, 0.3, -0.2, -0.3]), 95.0)
KW = {"wrt": ("logits", "cycle")}
