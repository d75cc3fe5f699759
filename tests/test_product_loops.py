"""itertools.product and itertools.combinations as loop iterables (survey programs y29, an Ewald sum
over image cells, and y18, LambdaRank over pairs of documents), math.fsum of a list built at run time
(y18), and a helper cached with functools.lru_cache (y26).  The loops are the nested loops they stand
for (frontend/product_loops.py), checked against finite differences and against the tuples Python's
iterators yield; refusals at the user's line."""
import functools
import itertools
import math

import numpy as np
import numpy.random as npr
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

N = 2


def lattice_energy(x, a):
    total = 0.0
    for shift in itertools.product(range(-N, N + 1), repeat=2):
        if shift == (0, 0):
            continue
        d = x + a * np.array(shift)
        total = total + np.exp(-np.sum(d * d))
    for u, v in itertools.product([0.5, 1.5], range(2)):
        total = total + u * v * np.sum(x)
    return total


def pairs(s, labels):
    total = 0.0
    for i, j in itertools.combinations(range(len(labels)), 2):
        if labels[i] == labels[j]:
            continue
        hi, lo = (i, j) if labels[i] > labels[j] else (j, i)
        total += np.logaddexp(0.0, -(s[hi] - s[lo]))
    for a, b, c in itertools.combinations(s, 3):
        total = total + a * b * c
    return total


def test_the_loops_differentiate_as_python_runs_them():
    check_grads(lattice_energy, (np.array([0.3, -0.2]), 1.1))
    check_grads(pairs, (np.array([0.3, -0.2, 1.0, 0.4]), [2, 0, 1, 2]), wrt=["s"])


def order(xs):
    seen = []
    for i, j in itertools.combinations(range(len(xs)), 2):
        seen.append(xs[i] * 10.0 + xs[j])
    for p, q in itertools.product(range(2), range(3)):
        seen.append(xs[p] * 100.0 + xs[q])
    return np.stack(seen)


def test_the_tuples_come_in_pythons_order():
    xs = np.array([1.0, 2.0, 3.0, 4.0])
    value, _ = differentiate(order).value_and_grad(xs, seed=np.ones(12))
    want = [xs[i] * 10 + xs[j] for i, j in itertools.combinations(range(4), 2)] + \
           [xs[p] * 100 + xs[q] for p, q in itertools.product(range(2), range(3))]
    np.testing.assert_array_equal(value, want)


def exact_total(x):
    terms = [t for t in (1e16, float(np.sum(x)), -1e16, x[0] * x[1])]
    return math.fsum(terms) + math.fsum(t * 2.0 for t in terms)


def fixed_length(x):
    terms = [1e16, x[0], -1e16]
    return math.fsum(terms)


def written_out(x):
    return math.fsum([x[1], 2.0])


def test_math_fsum_keeps_pythons_exact_value():
    x = np.array([0.25, 3.0])
    value, grad = differentiate(exact_total).value_and_grad(x)
    # (sum() would give 4.75 + 9.5: 1e16 + 3.25 rounds to a multiple of 2)
    assert value == exact_total(x) == 3 * (3.25 + 0.75)
    np.testing.assert_allclose(grad, 3 * np.array([1 + 3.0, 1 + 0.25]), rtol=1e-15)
    with pytest.raises(S2SGradError, match="math.fsum of a list of a length fixed when compiling") as e:
        differentiate(fixed_length).grad(x)
    assert "return math.fsum(terms)" in str(e.value)
    with pytest.raises(S2SGradError, match="math.fsum of other than one list built at run time") as e:
        differentiate(written_out).grad(x)
    assert "return math.fsum([x[1], 2.0])" in str(e.value)


@functools.lru_cache(maxsize=None)
def norm_const(l, m):
    return math.sqrt((2 * l + 1) / (4 * math.pi) * math.factorial(l - abs(m)) / math.factorial(l + abs(m)))


def shaded(d):
    return np.sum(norm_const(1, 0) * d[:, 2] + norm_const(2, 1) * d[:, 0] * d[:, 2])


def test_a_helper_cached_with_lru_cache_is_inlined():
    d = np.array([[0.1, 0.2, 0.9], [0.5, -0.3, 0.2]])
    check_grads(shaded, (d,))
    grad = differentiate(shaded).grad(d)
    assert grad[0, 2] == pytest.approx(norm_const(1, 0) + norm_const(2, 1) * 0.1, rel=1e-15)


def breaks_out(x):
    for i, j in itertools.product(range(3), range(3)):
        if x[i] > x[j] + 1.0:
            break
        x = x * 1.1
    return np.sum(x)


def changes_its_argument(x, ks):
    for a, b in itertools.combinations(ks, 2):
        ks = ks + [a]
        x = x * b
    return np.sum(x)


def test_loops_that_would_differ_from_pythons_are_refused_at_their_line():
    with pytest.raises(S2SGradError, match=r"a break in a loop over itertools.product") as e:
        differentiate(breaks_out).grad(np.array([0.1, 0.2, 0.3]))
    assert "for i, j in itertools.product(range(3), range(3)):" in str(e.value)
    with pytest.raises(S2SGradError, match=r"itertools.combinations of 'ks', which the loop \(its target or body\) changes"):
        differentiate(changes_its_argument, wrt="x").grad(np.array([0.1, 0.2]), [1.0, 2.0, 3.0])


def target_shadows_an_iterable(x):
    n = 3
    tot = 0.0
    for i, n in itertools.product(range(2), range(n)):
        tot = tot + x[i] * x[n]
    return tot


def target_is_the_sequence(x):
    tot = 0.0
    for i, x in itertools.product(range(2), x):
        tot = tot + i * x
    return tot


@functools.lru_cache(maxsize=None)
def _noise(n):
    return np.random.standard_normal(n)


@functools.lru_cache(maxsize=None)
def _basis(n):
    return np.arange(float(n))


def cached_draw(x):
    return np.sum(x * _noise(2))


def cached_array(x):
    b = _basis(2)
    return np.sum(x * b)


def test_what_would_differ_from_python_is_refused():
    # (a review found: a target rebinding what the iterables read gave -0.28 where Python gives 0.49;
    # a cached draw drew again; a cached array is one object every caller shares)
    with pytest.raises(S2SGradError, match="of 'n', which the loop \\(its target or body\\) changes"):
        differentiate(target_shadows_an_iterable).grad(np.array([0.3, -0.5, 0.9]))
    with pytest.raises(S2SGradError, match="of 'x', which the loop"):
        differentiate(target_is_the_sequence).grad(np.array([0.3, -0.5]))
    with pytest.raises(S2SGradError, match="'_noise' is cached .* and draws random numbers"):
        differentiate(cached_draw).grad(np.ones(2))
    with pytest.raises(S2SGradError, match="'_basis' is cached .* returns a ndarray"):
        differentiate(cached_array).grad(np.ones(2))


SCALE = 1.0


def _reads_scale():
    return SCALE


@functools.lru_cache(maxsize=None)
def _through_a_call(n):
    return _reads_scale() * n


def cached_through_a_call(x):
    return np.sum(x) * _through_a_call(2)


def test_a_cached_function_calling_another_is_refused():
    # (the purity check read only the cached function's own names: a global read by a function it
    # calls changed after caching gave 7.0 where Python's cache gives 1.4)
    with pytest.raises(S2SGradError, match="reads the global '_reads_scale'"):
        differentiate(cached_through_a_call).grad(np.ones(2))


@functools.lru_cache(maxsize=None)
def _aliased_draw(n):
    return float(npr.normal()) * n


def cached_aliased_draw(x):
    return np.sum(x) * _aliased_draw(2)


def test_a_cached_function_drawing_through_an_alias_of_numpy_random_is_refused():
    # (a third review: `import numpy.random as npr` passed the check of the names "random")
    with pytest.raises(S2SGradError, match="'_aliased_draw' is cached .* and draws random numbers"):
        differentiate(cached_aliased_draw).grad(np.ones(2))
