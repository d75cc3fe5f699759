"""Credit: bootstrapping a piecewise-constant hazard-rate curve from CDS par spreads quoted at
increasing tenors.  Each tenor's hazard is solved in turn by Newton's method on the premium-leg /
protection-leg balance (quarterly payment dates, accrual on default ignored), holding the earlier,
already bootstrapped hazards fixed; solved hazards and survival probabilities are appended to
lists.  The loss is the 5-year-into-10-year forward default probability, differentiated w.r.t.
the quoted spreads (in basis points) -- the CS01-style sensitivities."""
import math

import numpy as np

RECOVERY = 0.4
RATE = 0.03
TENORS = [1.0, 3.0, 5.0, 7.0, 10.0]


def survival(t, hazards, knots):
    """S(t) for a piecewise-constant hazard with breakpoints knots."""
    integral, prev = 0.0, 0.0
    for h, k in zip(hazards, knots):
        if t <= k:
            return math.exp(-(integral + h * (t - prev)))
        integral += h * (k - prev)
        prev = k
    return math.exp(-(integral + hazards[-1] * (t - prev)))


def legs(spread, hazards, knots, maturity, dt=0.25):
    premium, protection = 0.0, 0.0
    n = int(round(maturity / dt))
    s_prev = 1.0
    for i in range(1, n + 1):
        t = i * dt
        df = math.exp(-RATE * t)
        s = survival(t, hazards, knots)
        premium += spread * dt * df * s
        protection += (1 - RECOVERY) * df * (s_prev - s)
        s_prev = s
    return premium - protection


def bootstrap(spreads_bp):
    hazards, knots = [], []
    for tenor, s_bp in zip(TENORS, spreads_bp):
        spread = s_bp * 1e-4
        h = spread / (1 - RECOVERY)          # credit-triangle initial guess
        for _ in range(30):
            trial = hazards + [h]
            knots_t = knots + [tenor]
            g = legs(spread, trial, knots_t, tenor)
            dh = 1e-7
            g2 = legs(spread, hazards + [h + dh], knots_t, tenor)
            step = g / ((g2 - g) / dh)
            h -= step
            if abs(step) < 1e-12:
                break
        hazards.append(h)
        knots.append(tenor)
    return hazards, knots


def forward_default_prob(spreads_bp):
    hazards, knots = bootstrap(spreads_bp)
    s5, s10 = survival(5.0, hazards, knots), survival(10.0, hazards, knots)
    return 1.0 - s10 / s5


f = forward_default_prob
ARGS = (np.array([60.0, 85.0, 110.0, 125.0, 140.0]),)
