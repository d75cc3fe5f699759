"""What the tenth survey of real programs and the work on lists bound again found, besides refusals.

- A branch on a list's truth (`out[-1] if out else y`, an exponential moving average) recorded the
  list itself as the branch's flag: the list grew after the test, so every reverse pass took the
  branch the last forward pass saw (a silent wrong gradient, older than this stop).  The flag now
  keeps `bool(out)` (ad/records.py).
- `max(...)` and `min(...)` of a generator expression were refused; they consume it at once, as
  sum() does, and never stop early (any() and all() do: still refused).
- y30: the guarded entropy `np.where(p > 0, p * np.log(p), 0.0)` of an array whose length is known
  only at run time gave nan: the where's mask was applied to the product's contribution at once
  (aligned_mask) and then dropped, so log's `/ p` came after it (0 / 0).  A contribution masked so
  keeps its mask (ad/accumulate.where_mask), and log's contribution is masked too.
- y31: logaddexp, logaddexp2, logaddexp.reduce and logsumexp gave nan where every term is -inf (a
  left-to-right HMM's log(0) transitions): exp(-inf - -inf).  Their weight is 0 there (the value is
  -inf whatever the terms are; rules/elementwise.lse_weight).
- y30: a list comprehension passed to a helper that rebinds its parameter to an array
  (`rewards = np.asarray(rewards)`) was refused as a list changed other than by append (a name
  bound to other than a list too is no list: ad/list_scopes.list_moves)."""
import numpy as np
import pytest

try:
    from scipy.special import logsumexp
except ImportError:  # (scipy comes with the numba extra)
    logsumexp = None

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


def entropy_of_kept(w, keep):
    x = w[keep]  # (a length known only at run time)
    p = np.where(x > 0.2, x, 0.0)
    p = p / p.sum()
    return -np.sum(np.where(p > 0, p * np.log(p), 0.0))


def test_a_guarded_entropy_of_a_run_time_length_has_no_nan():
    w, keep = np.array([0.3, 0.1, 0.5, 0.7]), np.array([True, True, True, False])
    grad = differentiate(entropy_of_kept, wrt="w").grad(w, keep)
    # by hand: p = (0.3, 0, 0.5) / 0.8, H = -sum p log p; dH/dw_i = -(log p_i + 1 - sum_j p_j (log p_j + 1)) / 0.8
    p = np.array([0.375, 0.625])
    s = np.sum(p * (np.log(p) + 1))
    want = [-(np.log(0.375) + 1 - s) / 0.8, 0.0, -(np.log(0.625) + 1 - s) / 0.8, 0.0]
    np.testing.assert_allclose(grad, want, rtol=1e-12, atol=1e-15)


def from_impossible_states(x):
    c = logsumexp(np.array([-np.inf, -np.inf]) + x[0])  # -inf whatever x[0] is
    d = np.logaddexp.reduce(np.full(3, -np.inf) + x[1])
    e = np.logaddexp2(-np.inf + x[2], -np.inf)
    return np.logaddexp(c, x[1]) + np.logaddexp(np.logaddexp(d, e), x[2])


def test_log_sum_exp_of_terms_all_minus_infinity_gives_them_no_cotangent():
    x = np.array([0.3, -0.2, 0.9])
    pytest.importorskip("scipy")
    grad = differentiate(from_impossible_states).grad(x)
    np.testing.assert_array_equal(grad, [0.0, 1.0, 1.0])


def discounted(rewards, gamma):
    rewards = np.asarray(rewards)
    disc = gamma ** np.arange(len(rewards))
    return np.sum(rewards * disc)


def returns_of(w, steps):
    return discounted([float(s) * 0.5 for s in steps], 0.9) * np.sum(w ** 2)


def test_a_helper_rebinding_its_list_parameter_to_an_array():
    w = np.array([0.3, -0.4])
    check_grads(returns_of, (w, [1, 0, 2]), wrt=["w"])


def chi_recursion(phi, p):
    n = len(phi) + 1
    chi = [1.0] * n
    for t in range(n - 2, -1, -1):
        chi[t] = (1.0 - phi[t]) + phi[t] * (1.0 - p[t]) * chi[t + 1]
    return chi


def never_seen_again(beta, lasts):
    phi = 1.0 / (1.0 + np.exp(-beta[0] - beta[1] * np.linspace(0.0, 1.0, 5)))
    chi = chi_recursion(phi, np.full(5, 0.3))
    total = 0.0
    for last in lasts:
        total = total + np.log(chi[last])
    return total


def test_a_list_of_copies_of_a_float_written_by_element_under_a_callers_name():
    # y07: `[1.0] * n`, written by element in a helper, read at a data index under the caller's name
    # (refused before: "indexing into a tuple or list of differentiable values")
    check_grads(never_seen_again, (np.array([0.4, -0.3]), [1, 3, 5, 0]), wrt=["beta"])


def array_in_a_float_list(x):
    L = [0.0] * 2  # (a count known when compiling: a container, whose element may be an array)
    L[0] = x * 2.0
    return np.sum(L[0]) + L[1]


def test_a_list_of_a_known_length_keeps_any_element():
    check_grads(array_in_a_float_list, (np.array([0.3, -0.5]),))


def named_count_then_an_array(x):
    n = 2
    L = [0.0] * n
    L[0] = x * 2.0  # (a list of numbers kept as an array cannot take an array element)
    return np.sum(L[0]) + L[1]


def test_an_array_written_into_a_list_of_copies_of_a_float_is_refused_when_it_runs():
    with pytest.raises(S2SGradError, match="an element of shape \\(2,\\) written into a list made as \\[c\\] \\* n"):
        differentiate(named_count_then_an_array).grad(np.array([0.3, -0.5]))
