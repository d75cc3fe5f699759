"""Regressions found by the twelfth and thirteenth surveys and this stop's reviews: each test failed
(a silent wrong gradient or value, or a crash) before its fix.  Gradients are checked against
central finite differences and forward mode (check_grads), or against numbers worked out by hand."""
import numpy as np
import pytest

from s2sgrad import differentiate, hvp, jvp
from s2sgrad.testing import check_grads

X = np.array([0.5, -1.0, 0.3])


# ---------------------------------------------------------------- a name bound to another's array, then written
def double_buffer(x):
    u = x.copy()
    un = np.zeros_like(x)
    un[:] = u * x          # un = x^2
    u, un = un, u          # the standard swap of explicit time-stepping
    un[:] = u * x          # the old buffer = x^3
    u, un = un, u
    return np.sum(u)


def swap_then_write(x):
    a = x * 1.0
    b = np.zeros_like(x)
    s = np.sin(a)
    a, b = b, a
    b[:] = 5.0             # the buffer sin's adjoint reads (the old a)
    return s.sum() + a.sum()


def rename_then_write(x):
    a = x * 1.0
    s = np.sin(a)
    tmp = a
    a = np.zeros_like(x)
    tmp[:] = 5.0
    return s.sum() + tmp.sum() + a.sum()


def heat_steps(x):
    u = x.copy()
    un = np.zeros_like(u)
    t = 0
    while t < 3:
        un[1:-1] = u[1:-1] + 0.2 * (u[2:] - 2 * u[1:-1] + u[:-2]) + 0.1 * np.sin(u[1:-1])
        un[0], un[-1] = u[0], u[-1]
        u, un = un, u
        t += 1
    for _ in range(2):
        un[:] = np.tanh(u) * x
        u, un = un, u
    return np.sum(u ** 2)


def test_a_name_bound_to_another_names_array_then_written_gets_its_own_copy():
    # (was: the reverse sweep's saved reference to the old array saw the write -- [0.5625 3. 0.1881]
    # where the gradient of sum(x^3) is [0.75 3. 0.27], cos(5) everywhere for swap_then_write)
    np.testing.assert_allclose(differentiate(double_buffer).grad(X), 3 * X ** 2, rtol=1e-15)
    np.testing.assert_allclose(differentiate(swap_then_write).grad(X), np.cos(X), rtol=1e-15)
    np.testing.assert_allclose(differentiate(rename_then_write).grad(X), np.cos(X), rtol=1e-15)
    np.testing.assert_allclose(differentiate(swap_then_write, checkpoint=True).grad(X), np.cos(X), rtol=1e-15)
    x = np.array([0.2, 0.9, -0.4, 1.3, 0.5, -0.8])
    check_grads(heat_steps, (x,))
    assert differentiate(heat_steps).value_and_grad(x)[0] == heat_steps(x)


# ---------------------------------------------------------------- sum() of a list literal starts from 0
def summed_masks(x):
    return np.sum(sum([x > 0, x > 0.5]) * x)   # 0 + m1 + m2 counts; m1 + m2 alone is their logical or


def signed_zero(a):
    return np.copysign(0.3, sum([-0.0 * a, -0.0 * a])) + a


def test_sum_of_a_list_literal_keeps_pythons_zero_start():
    x = np.array([0.3, -0.4, 0.7])
    v, g = differentiate(summed_masks).value_and_grad(x)
    assert v == pytest.approx(summed_masks(x)) == pytest.approx(1.7)
    np.testing.assert_array_equal(g, [1.0, 0.0, 2.0])
    assert differentiate(signed_zero).value_and_grad(1.0)[0] == signed_zero(1.0) == 1.3


# ---------------------------------------------------------------- targets assigned left to right, after the value
def popped_into(y):
    st = []
    for v in y:
        st.append((v, 2.0 * v))
    out = np.zeros(4)
    out[len(st)], b = st.pop()     # len(st) after the pop: Python evaluates the value first
    return np.sum(out * np.arange(1.0, 5.0)) + b


def old_index_first(x):
    out = np.zeros(3)
    i = 2
    t = (x[1], 1)
    out[i], i = t                  # out[2] = x[1] with the old i, then i = 1
    return np.sum(out * np.arange(1.0, 4.0)) + i


def test_unpacking_assigns_each_target_in_turn_after_the_value():
    y = np.array([0.1, 0.5, 0.3])
    assert differentiate(popped_into).value_and_grad(y)[0] == pytest.approx(popped_into(y))
    np.testing.assert_allclose(differentiate(popped_into).grad(y), [0.0, 0.0, 3.0 + 2.0])
    np.testing.assert_allclose(differentiate(old_index_first).grad(X), [0.0, 3.0, 0.0])
    assert differentiate(old_index_first).value_and_grad(X)[0] == old_index_first(X)


# ---------------------------------------------------------------- np.linalg.solve of a masked system, second order
def masked_solve(k):
    K = np.diag(k) + 0.1
    free = k > 2.5                  # a boolean mask known when it runs: lengths unknown, ranks known
    load = np.array([1.0, 2.0, 3.0])
    u = np.zeros(3)
    u[free] = np.linalg.solve(K[np.ix_(free, free)], load[free])
    return u @ load


def test_solve_of_a_masked_system_in_forward_mode_and_hvp():
    # (was refused in forward mode: 'a right-hand side that is neither a vector ...' -- the ranks of
    # K[np.ix_(free, free)] and load[free] were unknown with their lengths)
    k = np.array([2.0, 3.0, 4.0])
    check_grads(masked_solve, (k,))
    v = np.array([0.3, -1.0, 0.5])
    g = differentiate(masked_solve).grad
    eps = 1e-6
    np.testing.assert_allclose(hvp(masked_solve, (k,), v), (g(k + eps * v) - g(k - eps * v)) / (2 * eps),
                               rtol=1e-6, atol=1e-9)
    _, t = jvp(masked_solve, (k,), (v,))
    assert t == pytest.approx(float(g(k) @ v), rel=1e-12)


@pytest.mark.parametrize("name", ["s19_truss_simp_compliance", "x17_blp_contraction_mapping",
                                  "y04_frame2d_fem_ix"])
def test_hvp_of_corpus_programs_with_solve_of_ranks_known_at_compile_time_only(name):
    """(an hvp sweep of the corpus: these were refused -- solve's forward rule needed both shapes)"""
    import os
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "real_programs"))
    import harness
    mod = harness.load(name)
    args = list(mod.ARGS)
    kw = dict(getattr(mod, "KW", {}))
    wrt = kw.get("wrt", 0)
    w = wrt if isinstance(wrt, (str, int)) else wrt[0]
    import inspect
    i = list(inspect.signature(mod.f).parameters).index(w) if isinstance(w, str) else w
    x = args[i]
    v = np.random.default_rng(3).standard_normal(np.shape(x))
    hv = hvp(mod.f, tuple(args), v, wrt=i)
    g = differentiate(mod.f, wrt=i)

    def at(s):
        a = list(args)
        a[i] = x + s * v
        return np.asarray(g.grad(*a))
    errs = []
    for eps in (1e-3, 1e-4, 1e-5, 1e-6):  # (the best of several steps: truncation against rounding)
        fd = (at(eps) - at(-eps)) / (2 * eps)
        errs.append(np.max(np.abs(hv - fd)) / np.max(np.abs(fd)))
    assert min(errs) < 1e-5, errs


# ---------------------------------------------------------------- an index reading only the written array's shape
def cross_entropy_grad_energy(X, labels):
    P = np.exp(X) / np.exp(X).sum(axis=1, keepdims=True)
    P[np.arange(P.shape[0]), labels] -= 1.0      # softmax's gradient, the textbook way
    P[len(P) - 1, P.size // 4] *= 2.0
    return np.sum(P ** 2)


def self_indexed(x):
    y = np.sin(x)
    y[y > 0] = 0.0                               # reads y's values: the mask is bound first
    return np.sum(y)


def test_an_index_reading_only_the_written_arrays_shape():
    X = np.array([[0.1, 0.5, -0.2], [0.3, -0.4, 0.8]])
    check_grads(cross_entropy_grad_energy, (X, np.array([1, 0])), wrt="X")
    np.testing.assert_allclose(differentiate(self_indexed).grad(X[0]), np.cos(X[0]) * (np.sin(X[0]) <= 0),
                               rtol=1e-15)


def squeezed(a, t):
    return t * np.squeeze(a[:1]) + t * a[1:2].reshape(())


def test_a_python_number_cotangent_reshaped_back():
    # (was: AttributeError 'float' object has no attribute 'reshape' in the generated code)
    np.testing.assert_array_equal(differentiate(squeezed).grad(X, 0.5), [0.5, 0.5, 0.0])
