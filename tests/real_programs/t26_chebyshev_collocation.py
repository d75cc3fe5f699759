"""Physics-informed Chebyshev spectral fit: u(x) = sum c_k T_k(x) on [-1, 1], derivatives with
np.polynomial.chebyshev.chebder, residual of u'' - k(x) u = s(x) at Chebyshev-Gauss-Lobatto
points evaluated with chebval, boundary conditions and a data misfit."""
import numpy as np
from numpy.polynomial import chebyshev as C


def residual_loss(c, x_data, u_data, w_bc=10.0, w_data=1.0):
    n = len(c)
    xc = np.cos(np.pi * np.arange(n) / (n - 1))
    u = C.chebval(xc, c)
    u_xx = C.chebval(xc, C.chebder(c, 2))
    k = 1.0 + 0.5 * xc ** 2
    s = np.exp(xc)
    pde = u_xx - k * u - s
    bc = (C.chebval(-1.0, c) - 0.2) ** 2 + (C.chebval(1.0, c) + 0.1) ** 2
    data = np.mean((C.chebval(x_data, c) - u_data) ** 2)
    return np.mean(pde ** 2) + w_bc * bc + w_data * data


rng = np.random.default_rng(526)
x_data = rng.uniform(-1, 1, 8)
u_data = -0.3 * np.cos(1.2 * x_data) + 0.01 * rng.standard_normal(8)

f = residual_loss
ARGS = (0.1 * rng.standard_normal(10), x_data, u_data)
