"""Battery pack discharge simulation, object-oriented as in a BMS prototyping script: a Cell class
(capacity, internal resistance, an OCV(soc) polynomial method, a step method updating state of
charge), a Pack of series strings built from a list of cells, the pack current found from the
power demand by solving the quadratic P = I (V_oc - I R) with the smaller root, and an early
`return` from the simulation loop as soon as any cell hits the cutoff voltage.  The loss trades
delivered energy against the spread of final SOCs, w.r.t. the list of Cell objects (their float
attributes: capacity, resistance, initial SOC)."""
import numpy as np

OCV_COEF = np.array([3.0, 1.6, -1.8, 1.4])


class Cell:
    def __init__(self, capacity_ah, resistance, soc=1.0):
        self.capacity_ah = capacity_ah
        self.resistance = resistance
        self.soc = soc

    def ocv(self):
        return sum(c * self.soc ** k for k, c in enumerate(OCV_COEF))

    def step(self, current, dt_h):
        self.soc = self.soc - current * dt_h / self.capacity_ah
        return self.ocv() - current * self.resistance


class Pack:
    def __init__(self, cells):
        self.cells = cells

    def open_circuit(self):
        return sum(c.ocv() for c in self.cells)

    def resistance(self):
        return sum(c.resistance for c in self.cells)

    def current_for(self, power):
        V, R = self.open_circuit(), self.resistance()
        return (V - np.sqrt(V * V - 4 * R * power)) / (2 * R)


def discharge(cells, power=60.0, dt_h=1 / 60, cutoff=3.1, max_steps=400):
    pack = Pack([Cell(c.capacity_ah, c.resistance, c.soc) for c in cells])
    energy = 0.0
    for _ in range(max_steps):
        current = pack.current_for(power)
        voltages = [cell.step(current, dt_h) for cell in pack.cells]
        energy += power * dt_h
        if min(voltages) < cutoff:
            return energy, np.array([c.soc for c in pack.cells])
    return energy, np.array([c.soc for c in pack.cells])


def pack_loss(cells):
    energy, socs = discharge(cells)
    return -energy / 100.0 + 50.0 * np.var(socs) + 0.01 * sum(c.capacity_ah for c in cells)


cells = [Cell(5.0, 0.020), Cell(4.8, 0.022), Cell(5.1, 0.019), Cell(4.9, 0.021)]
f = pack_loss
ARGS = (cells,)
KINKED = "the cutoff step count is piecewise constant in the capacities"
