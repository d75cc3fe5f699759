"""A try around one call with a fallback (frontend/trystmt.py), as Newton's method with a damped
step is written: refused before ("try statement is not supported").  The branch is decided by
calling the function once more (`succeeds`), then both sides are differentiated like an if's."""
import numpy as np
import pytest

from s2sgrad import differentiate, jvp
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


def stepped(A, b):
    try:
        x = np.linalg.solve(A, b)
    except np.linalg.LinAlgError:
        x = 0.1 * b
    else:
        x = x * 2.0
    return np.sum(x ** 2)


def newton(k, load, n):
    u = load / k
    for _ in range(n):
        r = k * u + u ** 3 - load
        J = np.diag(k + 3 * u ** 2)
        try:
            du = np.linalg.solve(J, -r)
        except (ValueError, np.linalg.LinAlgError):
            du = -0.1 * r
        u = u + du
    return np.sum(u ** 2)


A = np.array([[2.0, 0.3], [0.1, 1.5]])
B = np.array([1.0, -0.5])


def test_the_call_that_succeeds_is_differentiated():
    check_grads(stepped, (A, B))
    g = differentiate(stepped, wrt="b").grad(A, B)
    x = np.linalg.solve(A, B) * 2.0
    np.testing.assert_allclose(g, np.linalg.solve(A.T, 2 * x) * 2.0)


def test_the_fallback_when_it_raises():
    singular = np.array([[1.0, 2.0], [2.0, 4.0]])
    np.testing.assert_allclose(differentiate(stepped, wrt="b").grad(singular, B), 2 * 0.01 * B)


def test_newton_with_a_fallback():
    args = (np.array([2.0, 3.0]), np.array([1.0, 0.5]), 4)
    check_grads(newton, args, wrt=("k", "load"))
    t = (np.array([0.3, -0.2]), np.array([0.1, 0.4]), None)
    _, dot = jvp(newton, args, t)
    gk, gl = differentiate(newton, wrt=("k", "load")).grad(*args)
    assert dot == pytest.approx(float(gk @ t[0] + gl @ t[1]), rel=1e-10)


def two_handlers(A, b):
    try:
        x = np.linalg.solve(A, b)
    except ValueError:
        x = b
    except np.linalg.LinAlgError:
        x = 0.1 * b
    return np.sum(x)


def two_statements(A, b):
    try:
        y = b * 2.0
        x = np.linalg.solve(A, y)
    except np.linalg.LinAlgError:
        x = b
    return np.sum(x)


def named(A, b):
    try:
        x = np.linalg.solve(A, b)
    except np.linalg.LinAlgError as err:
        x = b
    return np.sum(x)


@pytest.mark.parametrize("f, words", [(two_handlers, "more than one except clause"),
                                      (two_statements, "not one assignment of one call"),
                                      (named, "except ... as name")])
def test_other_tries_are_refused_at_their_line(f, words):
    with pytest.raises(S2SGradError, match=words) as e:
        differentiate(f).grad(A, B)
    assert "test_try_fallback.py:" in str(e.value)


def jitter_retry(k, y):
    # the GP idiom: add jitter until the Cholesky factorisation succeeds
    L = None
    for jitter in (0.0, 1e-8, 1e-2, 1.0):
        try:
            L = np.linalg.cholesky(k + jitter * np.eye(len(y)))
            break
        except np.linalg.LinAlgError:
            continue
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L)))


@pytest.mark.parametrize("shift", [1.0, -0.005], ids=["first_try", "after_jitter"])
def test_a_computed_argument_and_a_break(shift):
    # (shift -0.005: the matrix is indefinite until the third jitter, 1e-2, is added)
    k = np.array([[1.0, 0.5, 0.2], [0.5, 1.0, 0.3], [0.2, 0.3, 1.0]])
    k = k - (np.linalg.eigvalsh(k)[0] - shift) * np.eye(3) if shift < 0 else k
    y = np.array([0.3, -1.2, 0.7])
    check_grads(jitter_retry, (k, y), wrt=("k", "y"))
    value = differentiate(jitter_retry, wrt="y").value_and_grad(k, y)[0]
    assert value == pytest.approx(jitter_retry(k, y), rel=1e-13)


def computed_under_value_error(A, b):
    try:
        x = np.linalg.solve(A + 1.0, b)  # (A + 1.0 may raise a ValueError, which this except catches)
    except ValueError:
        x = b
    return np.sum(x)


def computed_by_linalg(A, b):
    try:
        x = np.linalg.solve(np.linalg.inv(A), b)  # (inv itself may raise the LinAlgError caught)
    except np.linalg.LinAlgError:
        x = b
    return np.sum(x)


def break_and_else(A, b):
    x = b
    for _ in range(2):
        try:
            x = np.linalg.solve(A, x)
            break
        except np.linalg.LinAlgError:
            continue
        else:
            x = 2.0 * x
    return np.sum(x)


@pytest.mark.parametrize("f, words", [(computed_under_value_error, "argument is computed there"),
                                      (computed_by_linalg, "argument is computed there"),
                                      (break_and_else, "drop the else clause")])
def test_computed_arguments_that_may_raise_are_refused(f, words):
    with pytest.raises(S2SGradError, match=words) as e:
        differentiate(f).grad(A, B)
    assert "test_try_fallback.py:" in str(e.value)


def bare_except_computed(A, b, s):
    try:
        x = np.linalg.solve(A, b * (1.0 / s))  # (1.0 / s may raise ZeroDivisionError, which a bare except catches)
    except:  # noqa: E722
        x = b
    return np.sum(x ** 2)


def test_a_bare_except_keeps_computed_arguments_refused():
    with pytest.raises(S2SGradError, match="argument is computed there"):
        differentiate(bare_except_computed, wrt="b").grad(A, B, 2.0)


def stepped_in_b(b, A):
    return stepped(A, b)


def test_second_derivatives_through_a_try():
    # (the probe in the generated tangent code is read again: review 21 found a TypeError there)
    from s2sgrad import hvp
    v = np.array([0.4, -0.9])
    hv = hvp(stepped_in_b, (B, A), v)
    grad = differentiate(stepped, wrt="b").grad
    eps = 1e-5
    np.testing.assert_allclose(hv, (grad(A, B + eps * v) - grad(A, B - eps * v)) / (2 * eps), rtol=1e-6, atol=1e-8)


def retry_until_ok(k, y):
    jitter, ok = 0.0, False
    while not ok:
        try:
            L = np.linalg.cholesky(k + jitter * np.eye(len(y)))
            ok = True
        except np.linalg.LinAlgError:
            jitter = 10.0 * jitter if jitter > 0 else 0.02
    return np.sum(np.linalg.solve(L, y) ** 2) + jitter


def test_a_while_retry_with_a_flag():
    k = np.array([[1.0, 0.5, 0.2], [0.5, 1.0, 0.3], [0.2, 0.3, 1.0]])
    indefinite = k - (np.linalg.eigvalsh(k)[0] + 0.01) * np.eye(3)  # (ok after jitter 0.02)
    y = np.array([0.3, -1.2, 0.7])
    for m in (k, indefinite):
        check_grads(retry_until_ok, (m, y), wrt=("k", "y"))
        assert differentiate(retry_until_ok, wrt="y").value_and_grad(m, y)[0] == pytest.approx(retry_until_ok(m, y))
