"""Rust (1987) bus-engine replacement, nested fixed point: the expected value function over a
discretised mileage grid solves EV = P (log(exp(u_keep + b EV) + exp(u_replace + b EV[0]))) by a
contraction iterated in a while loop until the sup-norm change is below tolerance (with a break
and an iteration cap).  The partial log-likelihood of observed (state, decision) pairs uses the
logit choice probabilities.  Differentiated w.r.t. (RC, theta1) -- the replacement cost and the
linear maintenance-cost slope -- packed in one array."""
import numpy as np

N_STATES = 30
BETA = 0.95


def transition_matrix(p):
    """Mileage increases by 0, 1 or 2 bins with probabilities p; the last bin absorbs."""
    n = N_STATES
    P = np.zeros((n, n))
    for i in range(n):
        for j, pj in enumerate(p):
            P[i, min(i + j, n - 1)] += pj
    return P


def solve_ev(params, P, tol=1e-10, max_iter=2000):
    rc, theta1 = params
    x = np.arange(N_STATES)
    cost = 0.001 * theta1 * x
    ev = np.zeros(N_STATES)
    for it in range(max_iter):
        v_keep = -cost + BETA * ev
        v_repl = -rc - cost[0] + BETA * ev[0]
        m = np.maximum(v_keep, v_repl)
        logsum = m + np.log(np.exp(v_keep - m) + np.exp(v_repl - m))
        ev_new = P @ logsum
        if np.max(np.abs(ev_new - ev)) < tol:
            ev = ev_new
            break
        ev = ev_new
    return ev, cost


def neg_loglik(params, states, decisions, P):
    ev, cost = solve_ev(params, P)
    rc = params[0]
    v_keep = -cost[states] + BETA * ev[states]
    v_repl = -rc - cost[0] + BETA * ev[0]
    p_repl = 1.0 / (1.0 + np.exp(v_keep - v_repl))
    ll = np.where(decisions == 1, np.log(p_repl), np.log1p(-p_repl))
    return -np.sum(ll)


rng = np.random.default_rng(10)
P = transition_matrix([0.35, 0.55, 0.10])
states = rng.integers(0, N_STATES, size=300)
decisions = (rng.random(300) < 0.02 + 0.2 * states / N_STATES).astype(int)
f = neg_loglik
ARGS = (np.array([9.0, 2.5]), states, decisions, P)
