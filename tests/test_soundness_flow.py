"""Regression tests for issue 9, section C: rebinding, shapes and control flow.

Each function below once gave a wrong value or gradient without an error; each test states the
right numbers (computed by hand or by central finite differences in float64)."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.testing import check_grads


def fd_grad(fn, x, eps=1e-6):
    """Full central-difference gradient of a scalar function of one argument."""
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = eps
        plus = fn(x + e if x.ndim else float(x + e))
        minus = fn(x - e if x.ndim else float(x - e))
        g[i] = (plus - minus) / (2 * eps)
    return g


# C.1: the value returned is the forward sweep's, not one the reverse sweep restored
def sin_loop(x):
    y = x
    for i in range(3):
        y = np.sin(y) + x
    return y


def product_rebound(x):
    v = np.sum(x)
    v = v * np.sum(x * x)
    return v


def early_return_in_loop(x):
    y = x
    for i in range(5):
        y = y * 1.5
        if y > 1:
            return y
    return -y


def test_value_is_the_forward_value_after_a_loop_rebinding_the_result():
    value, g = differentiate(sin_loop).value_and_grad(0.5)
    assert value == pytest.approx(1.4711906314794114, rel=1e-14)
    assert g == pytest.approx(fd_grad(sin_loop, 0.5), rel=1e-7)


def test_value_is_the_forward_value_in_straight_line_code():
    x = np.array([0.3, 0.5, 0.9])
    value, g = differentiate(product_rebound).value_and_grad(x)
    assert value == pytest.approx(1.7 * 1.15, rel=1e-14)  # 1.955
    np.testing.assert_allclose(g, fd_grad(product_rebound, x), rtol=1e-7)


def test_value_after_an_early_return_in_a_loop_is_not_none():
    value, g = differentiate(early_return_in_loop).value_and_grad(0.4)
    assert value == pytest.approx(0.4 * 1.5 ** 3, rel=1e-14)  # 1.35
    assert g == pytest.approx(1.5 ** 3, rel=1e-12)


# C.2: the output's shape is the one it has at the return, not a join over its bindings
def mean_after_rebinding(x1, x2):
    y = x1 ** 2 + x2 ** 2
    y = y.mean()
    return y


def test_output_shape_is_taken_at_the_return():
    x1, x2 = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    value, (g1, g2) = differentiate(mean_after_rebinding, wrt=("x1", "x2")).value_and_grad(x1, x2)
    assert value == pytest.approx(7.5)
    np.testing.assert_allclose(g1, x1)  # d/dx1 mean(x1^2 + x2^2) = 2 x1 / 2
    np.testing.assert_allclose(g2, x2)


# C.3: a name rebound to a larger broadcast result
def rebound_larger(x):
    y = np.ones(4)
    y = y + x
    return np.sum(y * y)


def float_then_array(b):
    s = 1.0
    s += b
    return np.sum(s * np.array([1.8, 0.6, 3.2]))


def larger_inside_if(x, c):
    y = np.ones(4)
    if c > 0:
        y = y + x
    return np.sum(y * y)


def test_rebinding_to_a_broadcast_result():
    x = np.full((3, 4), 0.3)
    g = differentiate(rebound_larger).grad(x)
    np.testing.assert_allclose(g, 2 * (1 + x))  # each element of x reaches one element of y


def test_float_rebound_to_an_array_by_augmented_assignment():
    g = differentiate(float_then_array).grad(np.array([0.3, 0.5, 0.9]))
    np.testing.assert_allclose(g, [1.8, 0.6, 3.2])


def test_rebinding_to_a_broadcast_result_inside_a_branch():
    x = np.full((3, 4), 0.3)
    np.testing.assert_allclose(differentiate(larger_inside_if).grad(x, 1.0), 2 * (1 + x))
    np.testing.assert_allclose(differentiate(larger_inside_if).grad(x, -1.0), np.zeros_like(x))


# C.4: a name bound in one branch only
def bound_in_one_branch(y):
    v = y * 3.0
    if np.sum(y) > 0:
        v = y * 1.0
    return np.sum(v * v)


def test_name_bound_in_one_branch():
    y = np.array([0.3, 0.5, 0.9])
    np.testing.assert_allclose(differentiate(bound_in_one_branch).grad(y), 2 * y)
    np.testing.assert_allclose(differentiate(bound_in_one_branch).grad(-y), 18 * -y)


# C.5: `for r in y:` where the body rebinds y: Python iterates the original object
def iterate_rebound(y):
    s = 0.0
    for r in y:
        y = y * 2
        s = s + np.sum(r * r)
    return s + np.sum(y)


def test_for_iterates_the_object_first_evaluated():
    y = np.ones((2, 3))
    value, g = differentiate(iterate_rebound).value_and_grad(y)
    assert value == pytest.approx(iterate_rebound(y))  # 30.0, not 39.0
    np.testing.assert_allclose(g, 2 * y + 4.0)  # d sum(r*r) = 2y; y doubled twice


# C.6: a parameter rebound to another shape in a loop
def param_changes_shape(p):
    s = 0.0
    for i in range(2):
        s = s + np.sum(p * p)
        p = np.sum(p)
    return s


def test_parameter_rebound_to_another_shape_in_a_loop():
    p = np.array([0.3, 0.5, 0.9])
    g = differentiate(param_changes_shape).grad(p)
    assert g.shape == p.shape
    np.testing.assert_allclose(g, fd_grad(param_changes_shape, p), rtol=1e-7)


# C.7: a subscript read, then the name becomes a scalar
def rank_changes_after_read(x):
    y = x * 1.0
    t = 0.0
    for i in range(1):
        t = t + y[3]
        y = np.mean(y)
    return t + y


def test_rank_change_after_a_subscript_read():
    x = np.array([0.3, -0.2, 0.7, 1.1])
    np.testing.assert_allclose(differentiate(rank_changes_after_read).grad(x), [0.25, 0.25, 0.25, 1.25])


def test_self_update_reads_the_new_adjoint_before_overwriting_it():
    def f(x):
        y = np.ones(4)
        y = x + y
        y = y + x
        return np.sum(y * y)
    x = np.full((3, 4), 0.2)
    check_grads(differentiate(f), [x])


def test_a_seeded_gradient_belongs_to_the_callers_random_draw():
    """grad(seed=...) may run the function once to learn its output's shape; that run must not
    consume the random draws the gradient is computed with (found by the forward-mode rule walk)."""
    def noisy(p):
        return np.random.normal(p, 0.5) * p
    f = differentiate(noisy)
    np.random.seed(1)
    g = f.grad(0.7, seed=2.0)
    np.random.seed(1)
    z = np.random.normal(0.7, 0.5)  # the draw the caller's run makes
    assert g == pytest.approx(2.0 * (0.7 + z), rel=1e-14)



def test_the_pieces_of_a_split_are_written_not_added_and_stay_exact():
    """np.split's adjoint writes each piece into fresh zeros with `=` (they are disjoint); in loops,
    branches and when a piece is read twice it must still add."""
    def f(x, n):
        total = 0.0
        for i in range(n):
            a, b, c = np.split(x * (i + 1), 3, axis=1)
            if np.sum(a) > 0:
                total = total + np.sum(a * b) + np.sum(b)
            else:
                total = total + np.sum(c ** 2)
            total = total + np.sum(np.stack([a, c]))
        return total
    rng = np.random.default_rng(3)
    check_grads(differentiate(f), (rng.standard_normal((2, 6)), 3))
    g = differentiate(f)
    g.grad(rng.standard_normal((2, 6)), 3)
    assert "grad_split_in[:, bounds[0]:bounds[1]] = grad_a" in g.grad_source  # zeroed in each iteration

    def twice(x):
        a, b = np.split(x, 2)
        c, d = np.split(x, 2)   # a second split of the same array: its pieces add to the first's
        return np.sum(a * c) + np.sum(b ** 2) + np.sum(d)
    check_grads(differentiate(twice), (np.arange(1.0, 7.0),))

    def plain(x):
        a, b = np.split(x, 2)
        return np.sum(np.stack([a * 2, b ** 2]))
    h = differentiate(plain)
    h.grad(np.ones(6))
    assert "grad_x[bounds[0]:bounds[1]] = grad_a" in h.grad_source


def test_a_loop_variable_that_held_a_value_before_the_loop_gets_it_back():
    """`i = 3; y = x ** i; for i in range(n): ...`: the reverse loop leaves i at 0, and the adjoint of
    `y = x ** i` read that 0 (a zero gradient); found in review."""
    def idx_reuse(x, n):
        i = 3
        y = x ** i
        for i in range(n):
            y = y * 1.1 + np.sin(y)
        return np.sum(y)

    def target_reuse(x, rs):
        r = 2.0
        y = np.sin(x * r)
        for r in rs:
            y = y + np.sin(y) * r
        return np.sum(y)
    x = np.array([0.37, -0.71, 1.13])
    check_grads(differentiate(idx_reuse), (x, 2))
    check_grads(differentiate(target_reuse), (x, np.array([0.5, 0.7])))
    check_grads(differentiate(target_reuse, checkpoint=True), (x, np.array([0.5, 0.7, 0.2, 0.1])))
