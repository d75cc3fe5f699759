"""Path planning with a centripetal Catmull-Rom spline through control points: each segment's
tangent vectors use knot spacing |P_{i+1} - P_i|^0.5, the curve is sampled by the Barry-Goldman
pyramid, its arc length is integrated with Gauss-Legendre nodes (np.polynomial.legendre.leggauss),
and curvature is approximated by finite differences of sampled points.  The loss trades off
length, a curvature penalty and distance to circular obstacles (soft hinge), differentiated
w.r.t. the interior control points."""
import numpy as np

OBSTACLES = [((2.0, 1.0), 0.6), ((4.0, -0.5), 0.8)]
NODES, WEIGHTS = np.polynomial.legendre.leggauss(6)


def segment_point(P0, P1, P2, P3, t, alpha=0.5):
    t0 = 0.0
    t1 = t0 + np.linalg.norm(P1 - P0) ** alpha
    t2 = t1 + np.linalg.norm(P2 - P1) ** alpha
    t3 = t2 + np.linalg.norm(P3 - P2) ** alpha
    tt = t1 + t[:, None] * (t2 - t1)
    A1 = (t1 - tt) / (t1 - t0) * P0 + (tt - t0) / (t1 - t0) * P1
    A2 = (t2 - tt) / (t2 - t1) * P1 + (tt - t1) / (t2 - t1) * P2
    A3 = (t3 - tt) / (t3 - t2) * P2 + (tt - t2) / (t3 - t2) * P3
    B1 = (t2 - tt) / (t2 - t0) * A1 + (tt - t0) / (t2 - t0) * A2
    B2 = (t3 - tt) / (t3 - t1) * A2 + (tt - t1) / (t3 - t1) * A3
    return (t2 - tt) / (t2 - t1) * B1 + (tt - t1) / (t2 - t1) * B2


def path_cost(interior, start, goal, w_len=1.0, w_curv=0.05, w_obs=20.0):
    pts = np.vstack([2 * start - interior[0], start, interior, goal, 2 * goal - interior[-1]])
    length, curv, obs = 0.0, 0.0, 0.0
    for i in range(1, len(pts) - 2):
        P0, P1, P2, P3 = pts[i - 1:i + 3]
        # arc length by Gauss-Legendre on [0, 1], speed by central differences
        tq = 0.5 * (NODES + 1.0)
        h = 1e-4
        d = (segment_point(P0, P1, P2, P3, tq + h) - segment_point(P0, P1, P2, P3, tq - h)) / (2 * h)
        length += 0.5 * np.sum(WEIGHTS * np.linalg.norm(d, axis=1))
        samples = segment_point(P0, P1, P2, P3, np.linspace(0.0, 1.0, 9))
        second = samples[2:] - 2 * samples[1:-1] + samples[:-2]
        curv += np.sum(second ** 2)
        for (cx, cy), r in OBSTACLES:
            dist = np.hypot(samples[:, 0] - cx, samples[:, 1] - cy)
            obs += np.sum(np.maximum(r + 0.2 - dist, 0.0) ** 2)
    return w_len * length + w_curv * curv * 1e2 + w_obs * obs


f = path_cost
KW = dict(wrt="interior")
ARGS = (np.array([[1.0, 0.2], [2.5, 0.4], [3.5, 0.3], [5.0, -0.2]]), np.array([0.0, 0.0]), np.array([6.0, 0.0]))
