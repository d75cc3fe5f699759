"""Tuning PID gains on a lightly damped second-order plant by simulation: a `while t < t_end` loop
on a float clock, actuator saturation with np.clip, conditional-integration anti-windup (integrate
only when not saturated, an if on abs(u_unsat) < u_max), an early `return` with a large penalty if
the loop goes unstable; the setpoint profile from np.interp; cost = integral of error^2 + effort."""
import numpy as np


def closed_loop_cost(gains, setpoint_knots, dt=0.01, t_end=3.0, u_max=2.0, wn=4.0, zeta=0.2):
    kp, ki, kd = gains
    times, values = setpoint_knots
    y, ydot = 0.0, 0.0
    integ = 0.0
    prev_err = None
    cost = 0.0
    t = 0.0
    while t < t_end:
        r = np.interp(t, times, values)
        err = r - y
        deriv = 0.0 if prev_err is None else (err - prev_err) / dt
        u_unsat = kp * err + ki * integ + kd * deriv
        u = np.clip(u_unsat, -u_max, u_max)
        if abs(u_unsat) < u_max:
            integ += err * dt
        yddot = wn ** 2 * (u - y) - 2 * zeta * wn * ydot
        ydot += dt * yddot
        y += dt * ydot
        if abs(y) > 1e3:
            return 1e6
        cost += dt * (err ** 2 + 0.01 * u ** 2)
        prev_err = err
        t += dt
    return cost


f = closed_loop_cost
ARGS = (np.array([1.2, 0.8, 0.15]), ((0.0, 0.5, 1.5, 3.0), (0.0, 1.0, 1.0, 0.4)))
