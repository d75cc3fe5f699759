"""A name read where no binding of it has run -- bound only in a branch or a loop, a helper's local
on a later inlined call, after `del` -- raises UnboundLocalError in Python, and so must every
generated function, in every mode and variant (passes/unbound.py, passes/dataflow.maybe_unbound).
Before, the reverse sweep's records bound such a name to None, and the gradient silently came out
zero (`for k in range(0): y = ...; np.sum(y)` gave 0.0); an inlined helper's local kept the last
call's value; `del y` was dropped; a comprehension's variable was read after it.

Where the name is bound, the values and gradients are checked against Python and central
differences in float64."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.cli import module_source
from finite_differences import central

W = np.array([0.3, -1.2, 0.7])


def loop_only(w, n):
    for k in range(n):
        y = np.sin(w * (k + 1))
    return np.sum(y * y)


def branch_only(w, c):
    if c > 0:
        y = w * 2.0
    return np.sum(np.exp(y))


def while_only(w, n):
    k = 0
    while k < n:
        y = np.tanh(w * k)
        k += 1
    return np.sum(y)


def read_before_binding(w, n):
    s = 0.0
    for k in range(n):
        if k > 0:
            s = s + np.sum(y * w)
        y = w * k
    return s


def user_none(w, n):
    for k in range(n):
        if k == 0:
            y = None
        else:
            y = w * k
    if y is None:
        return np.sum(w * w)
    return np.sum(y * y)


def other_branch_returns(w, t):
    if t > 0:
        y = w * 3.0
    else:
        return np.sum(w)
    return np.sum(y * w)


CASES = [(loop_only, 3, 0), (branch_only, 1.0, -1.0), (while_only, 2, 0), (read_before_binding, 3, None),
         (user_none, 1, 0), (user_none, 3, None), (other_branch_returns, 1.0, None),
         (other_branch_returns, -1.0, None)]


@pytest.mark.parametrize("fn, bound, unbound", CASES, ids=lambda v: getattr(v, "__name__", repr(v)))
def test_bound_is_exact_and_unbound_raises_like_python(fn, bound, unbound):
    f = differentiate(fn)
    value, grad = f.value_and_grad(W, bound)
    assert np.isclose(value, fn(W, bound), rtol=1e-13)
    np.testing.assert_allclose(grad, central(fn, W, bound), rtol=1e-6, atol=1e-9)
    if unbound is None:
        return
    with pytest.raises(UnboundLocalError):
        fn(W, unbound)
    with pytest.raises(UnboundLocalError, match="local variable 'y' is read at test_unbound_names.py"):
        f.value_and_grad(W, unbound)
    with pytest.raises(UnboundLocalError):
        f.grad(W, unbound)


def test_generated_check_reads_like_python():
    src = differentiate(loop_only).compiled_for(W, 3).value_and_grad_source
    assert "    y = UNBOUND\n" in src
    assert ("    if y is UNBOUND:\n        raise UnboundLocalError(\"local variable 'y' is read at "
            "test_unbound_names.py:24 where no assignment to it has run\")\n    out = np.sum(y * y)") in src


def test_the_generated_file_imports_the_sentinel():
    compiled = differentiate(user_none).compiled_for(W, 3)
    assert "    y = UNBOUND\n" in compiled.value_and_grad_source
    assert "from s2sgrad.runtime import UNBOUND" in module_source(compiled)
    assert repr(s2sgrad.runtime.UNBOUND) == "UNBOUND"


def test_no_check_where_every_path_binds():
    # both branches bind y, or the other branch returns: nothing may be unbound, nothing is checked
    src = differentiate(other_branch_returns).compiled_for(W, 1.0).value_and_grad_source
    assert "UnboundLocalError" not in src
    src = differentiate(read_before_binding).compiled_for(W, 3).value_and_grad_source
    assert src.count("UnboundLocalError") == 1  # the read inside the loop, before the pass binds y


def test_checkpointed_loop_and_hessian_raise_too():
    f = differentiate(loop_only, checkpoint=2)
    np.testing.assert_allclose(f.grad(W, 4), central(loop_only, W, 4), rtol=1e-6, atol=1e-9)
    with pytest.raises(UnboundLocalError):
        f.grad(W, 0)
    with pytest.raises(UnboundLocalError):
        differentiate(read_in_body, checkpoint=2).value_and_grad(W, 2)
    with pytest.raises(UnboundLocalError):
        s2sgrad.hessian(loop_only)(W, 0)
    h = s2sgrad.hessian(loop_only)(W, 2)
    eps = 1e-5
    g = differentiate(loop_only).grad
    fd = np.stack([(g(W + eps * e, 2) - g(W - eps * e, 2)) / (2 * eps) for e in np.eye(3)])
    np.testing.assert_allclose(h, fd, rtol=1e-6, atol=1e-8)


def read_in_body(w, n):
    s = 0.0
    for k in range(n):
        s = s + np.sum(y * w)
        y = w * k
    return s


# ------------------------------------------------------- inlined helpers, dead reads, del, numba
def helper(w, c):
    if c > 0:
        y = w * 2.0
    return y * w


def helper_in_a_loop(w, n):
    s = 0.0
    for i in range(n):
        s = s + np.sum(helper(w, 1.5 - i))
    return s


class Step:
    def __init__(self, scale):
        self.scale = scale

    def apply(self, w, c):
        if c > 0:
            y = w * self.scale
        return np.sum(y * w)


def method_in_a_loop(w, n):
    step = Step(2.0)
    s = 0.0
    for i in range(n):
        s = s + step.apply(w, 1.5 - i)
    return s


def closure_in_a_loop(w, n):
    def part(c):
        if c > 0:
            y = np.sin(w) * c
        return np.sum(y)
    s = 0.0
    for i in range(n):
        s = s + part(1.5 - i)
    return s


@pytest.mark.parametrize("fn", [helper_in_a_loop, method_in_a_loop, closure_in_a_loop])
def test_an_inlined_local_starts_each_call_unbound(fn):
    # two passes bind y on every call; on the third (c = -0.5) Python's y is unbound
    value, grad = differentiate(fn).value_and_grad(W, 2)
    assert np.isclose(value, fn(W, 2), rtol=1e-13)
    np.testing.assert_allclose(grad, central(fn, W, 2), rtol=1e-6, atol=1e-9)
    with pytest.raises(UnboundLocalError):
        fn(W, 3)
    with pytest.raises(UnboundLocalError):
        differentiate(fn).value_and_grad(W, 3)
    with pytest.raises(UnboundLocalError):
        s2sgrad.jvp(fn, (W, 3), (np.ones(3), None))


def constant_in_a_branch(w, c):
    if c > 0:
        b = 3.0
    return np.sum(w * w) + b


def dead_read(w, n):
    for k in range(n):
        y = w * k
    z = y * 2.0
    return np.sum(w * w)


def linear_in_w(w, n):
    for k in range(n):
        s = float(k)
    return np.sum(w) * s


@pytest.mark.parametrize("fn, bad", [(constant_in_a_branch, -1.0), (dead_read, 0), (linear_in_w, 0)])
def test_a_read_no_derivative_needs_still_raises(fn, bad):
    # the gradient-only variant, forward mode and the Hessian drop what they do not need; the
    # check is an effect: it stays, and keeps what binds the name
    with pytest.raises(UnboundLocalError):
        fn(W, bad)
    f = differentiate(fn)
    for run in (lambda: f.grad(W, bad), lambda: f.value_and_grad(W, bad),
                lambda: s2sgrad.jvp(fn, (W, bad), (np.ones(3), None)), lambda: s2sgrad.hessian(fn)(W, bad)):
        with pytest.raises(UnboundLocalError):
            run()
    good = 2.0 if fn is constant_in_a_branch else 3
    np.testing.assert_allclose(f.grad(W, good), central(fn, W, good), rtol=1e-6, atol=1e-9)


def deleted(w, c):
    y = w * 2.0
    z = y * y
    if c > 0:
        del y
    return np.sum(z * w) + np.sum(y)


def deleted_then_bound(w):
    y = w * 2.0
    z = y * y
    del y
    y = z * 3.0
    return np.sum(y * w)


def test_del_unbinds():
    with pytest.raises(UnboundLocalError):
        deleted(W, 1.0)
    with pytest.raises(UnboundLocalError):
        differentiate(deleted).grad(W, 1.0)
    np.testing.assert_allclose(differentiate(deleted).grad(W, -1.0), central(deleted, W, -1.0), rtol=1e-6)
    np.testing.assert_allclose(differentiate(deleted_then_bound).grad(W), central(deleted_then_bound, W), rtol=1e-6)


def comprehension_variable_read_after(w, n):
    ys = [w * k for k in range(n)]
    return np.sum(w * k) + np.sum(ys[0])


def test_a_comprehension_variable_is_not_the_functions():
    with pytest.raises(NameError):
        comprehension_variable_read_after(W, 2)
    with pytest.raises(s2sgrad.S2SGradError, match="name 'k' is not defined"):
        differentiate(comprehension_variable_read_after).grad(W, 2)


def scalar_in_a_loop(w, n):
    for k in range(n):
        s = float(k) * 2.0
    return np.sum(w * s)


def test_numba_checks_too():
    pytest.importorskip("numba")
    f = differentiate(scalar_in_a_loop, backend="numba")
    value, grad = f.value_and_grad(W, 3)
    assert value == pytest.approx(scalar_in_a_loop(W, 3))
    np.testing.assert_allclose(grad, [4.0, 4.0, 4.0])
    with pytest.raises(UnboundLocalError):
        f.value_and_grad(W, 0)


# ------------------------------------------------------------------------ a second review's cases
def deleted_then_returned(w, c):
    s = np.sum(np.sin(w))
    if c > 0:
        del s
    return s


def returned_from_a_branch(w, c):
    if c > 0:
        s = np.sum(w * w)
    return s


def test_the_value_returned_is_checked():
    # (the returned name is read after the body, by normalization's single exit: it was not checked,
    # and `del` then returned the UNBOUND object itself)
    for fn in (deleted_then_returned, returned_from_a_branch):
        with pytest.raises(UnboundLocalError):
            fn(W, 1.0 if fn is deleted_then_returned else -1.0)
        bad = 1.0 if fn is deleted_then_returned else -1.0
        for run in (lambda: differentiate(fn).value_and_grad(W, bad), lambda: differentiate(fn).grad(W, bad),
                    lambda: s2sgrad.jvp(fn, (W, bad), (np.ones(3), None)), lambda: s2sgrad.hessian(fn)(W, bad)):
            with pytest.raises(UnboundLocalError):
                run()
        np.testing.assert_allclose(differentiate(fn).grad(W, -bad), central(fn, W, -bad), rtol=1e-6, atol=1e-9)


def deleted_in_a_while_test(w, n):
    y = w * 1.0
    k = 0
    s = 0.0
    while np.all(y != 0) and k < n:
        s = s + np.sum(w * w) * (k + 1)
        if k == 1:
            del y
        else:
            y = w * (k + 1)
        k += 1
    return s


def test_a_while_test_is_checked_each_time_it_is_read():
    with pytest.raises(UnboundLocalError):
        deleted_in_a_while_test(W, 3)
    with pytest.raises(UnboundLocalError):
        differentiate(deleted_in_a_while_test).grad(W, 3)
    np.testing.assert_allclose(differentiate(deleted_in_a_while_test).grad(W, 1),
                               central(deleted_in_a_while_test, W, 1), rtol=1e-6)


def and_reads_it_only_when_bound(w, n):
    s = 0.0
    for k in range(n):
        if k > 0 and np.sum(h) > 0.0:
            s = s + np.sum(h * w)
        h = np.sin(w * (k + 1))
    return s


def or_reads_it_only_when_bound(w, c):
    if c > 0:
        y = np.sum(w)
    t = c <= 0 or y > 0.5
    return np.sum(w * w) * t


def index_guarded_by_and(w, i):
    ok = i < len(w) and w[i] > 0.0
    return np.sum(w * w) * ok


@pytest.mark.parametrize("fn, arg", [(and_reads_it_only_when_bound, 3), (or_reads_it_only_when_bound, -1.0),
                                     (or_reads_it_only_when_bound, 1.0), (index_guarded_by_and, 3),
                                     (index_guarded_by_and, 2)])
def test_the_right_of_and_or_runs_only_where_python_runs_it(fn, arg):
    # (`y > 0.5` of `c <= 0 or y > 0.5` was computed before the `or`: an UnboundLocalError, or an
    # IndexError for w[i] with i == len(w), where Python never evaluates it)
    value, grad = differentiate(fn).value_and_grad(W, arg)
    assert value == pytest.approx(fn(W, arg), rel=1e-13)
    np.testing.assert_allclose(grad, central(fn, W, arg), rtol=1e-6, atol=1e-9)
    _, tangent = s2sgrad.jvp(fn, (W, arg), (np.ones(3), None))
    assert tangent == pytest.approx(np.sum(grad), rel=1e-10, abs=1e-12)


def written_into_after_a_first_pass(w, n):
    s = 0.0
    for k in range(n):
        if k == 0:
            buf = np.zeros(3)
        buf[k % 3] += w[k % 3] * 2.0
        s = s + np.sum(buf * w)
    return s


def test_the_hessian_of_a_name_that_starts_unbound():
    # (the second pass read the generated `buf = UNBOUND` as an alias of a module-level object)
    H = s2sgrad.hessian(written_into_after_a_first_pass)(W, 5)
    g = differentiate(written_into_after_a_first_pass).grad
    eps = 1e-5
    fd = np.stack([(g(W + eps * e, 5) - g(W - eps * e, 5)) / (2 * eps) for e in np.eye(3)])
    np.testing.assert_allclose(H, fd, rtol=1e-6, atol=1e-8)


def deleted_in_a_loop(w, n):
    s = 0.0
    for k in range(n):
        y = np.sin(w * (k + 1))
        s = s + np.sum(y * y)
        del y
    return s


def test_numba_takes_del_in_a_loop():
    pytest.importorskip("numba")
    value, grad = differentiate(deleted_in_a_loop, backend="numba").value_and_grad(W, 3)
    assert value == pytest.approx(deleted_in_a_loop(W, 3), rel=1e-12)
    np.testing.assert_allclose(grad, central(deleted_in_a_loop, W, 3), rtol=1e-6, atol=1e-9)


def while_reading_it_right_of_and(w, n):
    for k in range(n):
        h = np.sin(w * k)
    while n > 5 and np.sum(h) > -10.0:
        n = n - 1
    return np.sum(w * w) * n


def bound_to_none_on_one_path(w, n):
    for k in range(n):
        if k == 0:
            y = None
        else:
            y = w * k
    if y is None:
        return np.sum(w * w)
    return np.sum(y * y)


def test_what_cannot_be_checked_is_refused_clearly():
    # a name read only on the right of `and`/`or` outside an assignment or an `if` (a while's
    # test): the check cannot sit where Python reads it, so the statement is refused at its line
    with pytest.raises(s2sgrad.UnsupportedSyntaxError, match=r"'h' may be unbound where this reads it") as info:
        differentiate(while_reading_it_right_of_and).grad(W, 2)
    assert "while n > 5 and np.sum(h) > -10.0:" in str(info.value)
    # numba has no sentinel but None: a name the user also binds to None is refused there
    pytest.importorskip("numba")
    with pytest.raises(s2sgrad.S2SGradError, match="may be unbound where it is read and is also bound to None"):
        differentiate(bound_to_none_on_one_path, backend="numba").grad(W, 3)
