"""A name the user binds only in a branch or a loop, read where no binding of it has run: Python raises
UnboundLocalError there, and so must every generated function (ad/records.CheckBound,
passes/dataflow.maybe_unbound).  The reverse sweep's records bind such a name before the code (to
None, or to the UNBOUND sentinel where the user may bind it to None), so without the check the
gradient silently came out zero (`for k in range(0): y = ...; np.sum(y)` gave 0.0).

Where the name is bound, the values and gradients are checked against Python and central
differences in float64."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.cli import module_source

W = np.array([0.3, -1.2, 0.7])


def central(fn, w, *rest, eps=1e-6):
    out = np.zeros_like(w)
    for i in range(w.size):
        e = np.zeros_like(w)
        e[i] = eps
        out[i] = (fn(w + e, *rest) - fn(w - e, *rest)) / (2 * eps)
    return out


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
    assert "    y = None\n" in src
    assert ("    if y is None:\n        raise UnboundLocalError(\"local variable 'y' is read at "
            "test_unbound_names.py:31 where no assignment to it has run\")\n    out = np.sum(y * y)") in src


def test_a_name_the_user_may_bind_to_none_starts_as_the_sentinel():
    compiled = differentiate(user_none).compiled_for(W, 3)
    assert "    y = UNBOUND\n" in compiled.value_and_grad_source
    assert "    if y is UNBOUND:\n" in compiled.value_and_grad_source
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
        s2sgrad.hessian(loop_only)(W, 0)
    h = s2sgrad.hessian(loop_only)(W, 2)
    eps = 1e-5
    g = differentiate(loop_only).grad
    fd = np.stack([(g(W + eps * e, 2) - g(W - eps * e, 2)) / (2 * eps) for e in np.eye(3)])
    np.testing.assert_allclose(h, fd, rtol=1e-6, atol=1e-8)
