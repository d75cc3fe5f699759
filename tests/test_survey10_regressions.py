"""What the tenth survey of real programs and the work on lists bound again found, besides refusals.

- A branch on a list's truth (`out[-1] if out else y`, an exponential moving average) recorded the
  list itself as the branch's flag: the list grew after the test, so every reverse pass took the
  branch the last forward pass saw (a silent wrong gradient, older than this stop).  The flag now
  keeps `bool(out)` (ad/records.py).
- `max(...)` and `min(...)` of a generator expression were refused; they consume it at once, as
  sum() does, and never stop early (any() and all() do: still refused)."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


def ema(ys, alpha):
    out = []
    for y in ys:
        out.append(alpha * y + (1 - alpha) * (out[-1] if out else y))
    return sum(z ** 2 for z in out)


def test_a_branch_on_a_growing_lists_truth_keeps_the_truth_of_that_pass():
    ys, alpha = [0.3, -0.5, 1.2, 0.7], 0.6
    check_grads(ema, (ys, alpha))
    # by hand: z0 = y0 (the first pass takes the else side), z_k = a y_k + (1 - a) z_(k-1)
    zs = [ys[0]]
    for y in ys[1:]:
        zs.append(alpha * y + (1 - alpha) * zs[-1])
    dz = [0.0]  # dz_k/da = y_k - z_(k-1) + (1 - a) dz_(k-1)/da
    for k in range(1, 4):
        dz.append(ys[k] - zs[k - 1] + (1 - alpha) * dz[-1])
    want = sum(2 * z * d for z, d in zip(zs, dz))
    assert differentiate(ema, wrt="alpha").grad(ys, alpha) == pytest.approx(want, rel=1e-12)


def worst_step(x, tol):
    steps = [np.sin(x * k) for k in range(1, 4)]
    if max(np.max(np.abs(s)) for s in steps) < tol:
        return 0.0
    return min(np.sum(s ** 2) for s in steps) + max(float(np.sum(s)) for s in steps)


def any_step(x):
    steps = [np.sin(x * k) for k in range(1, 4)]
    return np.sum(x) if any(np.max(s) > 0.5 for s in steps) else 0.0


def test_max_and_min_of_a_generator_are_read_as_of_its_list():
    x = np.array([0.3, -0.8, 0.5])
    check_grads(worst_step, (x, 0.1), wrt=["x"])
    assert differentiate(worst_step, wrt="x").value_and_grad(x, 10.0)[0] == 0.0
    with pytest.raises(S2SGradError, match="generator expression"):
        differentiate(any_step).grad(x)


def envelope(x):
    hs = []
    for k in range(3):
        hs.append(np.sin(x * (k + 1)))
    hs.append(hs[0])  # (a tie at every position: the two equal elements share the cotangent)
    return np.sum(np.max(hs, axis=0) * x) + np.min(hs) ** 2


def test_np_max_and_min_of_a_list_of_arrays():
    x = np.array([0.3, -0.8, 0.5, 1.4])
    check_grads(envelope, (x,))
    # by hand, where no two distinct elements tie: the max of each column gets g = x, the global min 2 min
    hs = np.stack([np.sin(x * (k + 1)) for k in range(3)])
    top, low = np.argmax(hs, axis=0), np.unravel_index(np.argmin(hs), hs.shape)
    want = np.max(hs, axis=0).copy()
    for j in range(4):
        want[j] += x[j] * (top[j] + 1) * np.cos(x[j] * (top[j] + 1))
    want[low[1]] += 2 * np.min(hs) * (low[0] + 1) * np.cos(x[low[1]] * (low[0] + 1))
    np.testing.assert_allclose(differentiate(envelope).grad(x), want, rtol=1e-12)
