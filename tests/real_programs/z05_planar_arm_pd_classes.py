"""Three-link planar robot arm under PD control: links are objects (Link, and MotorLink which adds
the reflected rotor inertia in a property that calls super()), the Arm computes forward kinematics
(cumulative joint angles), the mass matrix from COM Jacobians built column by column, gravity
torques, and integrates the forward dynamics (np.linalg.solve) with semi-implicit Euler while the PD
controller tracks a reach target.  Loss: final tracking error, a velocity term and control effort.
Differentiated w.r.t. the gains dict (Kp, Kd per joint)."""
import numpy as np

G = 9.81


class Link:
    def __init__(self, mass, length):
        self.mass = mass
        self.length = length

    @property
    def inertia(self):
        return self.mass * self.length ** 2 / 12.0


class MotorLink(Link):
    def __init__(self, mass, length, rotor, gear):
        super().__init__(mass, length)
        self.rotor = rotor
        self.gear = gear

    @property
    def inertia(self):
        return super().inertia + self.gear ** 2 * self.rotor


class Arm:
    def __init__(self, links):
        self.links = links

    def joint_positions(self, q):
        angles = np.cumsum(q)
        lengths = np.array([l.length for l in self.links])
        xs = np.concatenate([[0.0], np.cumsum(lengths * np.cos(angles))])
        ys = np.concatenate([[0.0], np.cumsum(lengths * np.sin(angles))])
        return xs, ys, angles

    def mass_matrix(self, q):
        n = len(self.links)
        xs, ys, angles = self.joint_positions(q)
        M = np.zeros((n, n))
        for i, link in enumerate(self.links):
            cx = xs[i] + 0.5 * link.length * np.cos(angles[i])
            cy = ys[i] + 0.5 * link.length * np.sin(angles[i])
            Jv = np.zeros((2, n))
            for j in range(i + 1):
                Jv[0, j] = -(cy - ys[j])
                Jv[1, j] = cx - xs[j]
            Jw = np.zeros(n)
            Jw[: i + 1] = 1.0
            M += link.mass * Jv.T @ Jv + link.inertia * np.outer(Jw, Jw)
        return M

    def gravity(self, q):
        n = len(self.links)
        xs, ys, angles = self.joint_positions(q)
        tau = np.zeros(n)
        for i, link in enumerate(self.links):
            cx = xs[i] + 0.5 * link.length * np.cos(angles[i])
            for j in range(i + 1):
                tau[j] += link.mass * G * (cx - xs[j])
        return tau


def reach_loss(gains, arm, q0, q_goal, dt=0.01, steps=60):
    q = q0.copy()
    qd = np.zeros_like(q0)
    effort = 0.0
    for _ in range(steps):
        tau = gains["Kp"] * (q_goal - q) - gains["Kd"] * qd + arm.gravity(q)
        M = arm.mass_matrix(q)
        qdd = np.linalg.solve(M, tau - arm.gravity(q) - 0.1 * qd)
        qd = qd + dt * qdd
        q = q + dt * qd
        effort += dt * np.sum(tau ** 2)
    xs, ys, _ = arm.joint_positions(q)
    xg, yg, _ = arm.joint_positions(q_goal)
    tip_err = (xs[-1] - xg[-1]) ** 2 + (ys[-1] - yg[-1]) ** 2
    return 100.0 * tip_err + 0.1 * np.sum(qd ** 2) + 1e-4 * effort


arm = Arm([MotorLink(2.0, 0.5, 0.01, 5.0), MotorLink(1.5, 0.4, 0.01, 4.0), Link(0.5, 0.3)])
f = reach_loss
ARGS = ({"Kp": np.array([40.0, 30.0, 10.0]), "Kd": np.array([8.0, 6.0, 2.0])}, arm,
        np.array([0.1, 0.2, -0.1]), np.array([0.9, -0.4, 0.5]))
