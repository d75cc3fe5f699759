"""Bad input gets an s2sgrad error naming file:line:col and the construct, with a caret."""
import re

import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate

HERE = __file__


def line_of(fn, text):
    import inspect
    lines, first = inspect.getsourcelines(fn)
    for i, l in enumerate(lines):
        if text in l:
            return first + i
    raise AssertionError(text)


def expect(fn, cls, construct, marker, **kw):
    with pytest.raises(cls) as info:
        differentiate(fn, **kw)
    msg = str(info.value)
    line = line_of(fn, marker)
    assert re.search(rf"test_errors\.py:{line}:\d+:", msg), msg
    assert construct in msg, msg
    assert "^" in msg.splitlines()[-1], msg
    assert marker.strip() in msg, msg
    return msg


def f_try(x):
    try:
        y = x
    except ValueError:
        y = 0
    return y


def f_with(x):
    with open("f") as fh:
        y = x
    return y


def f_class(x):
    class A:
        pass
    return x


def f_nonlocal(x):
    y = x

    def inner():
        nonlocal y
        y = y * 2
    inner()
    return y


def f_yield(x):
    yield x


def f_lambda(x):
    y = x * (lambda t: t * 2)
    return x


def f_import(x):
    import math
    return x


def f_comprehension(x):
    return np.sum([v for v in x if v > 0])


def f_unknown_numpy(x):
    return np.sum(np.unwrap(x))


def f_discard(x):
    np.sum(x)
    return np.sum(x)


@pytest.mark.parametrize("fn,construct,marker", [
    (f_try, "not one assignment of one call", "y = x"),
    (f_with, "with statement", "with open"),
    (f_class, "class definition", "class A"),
    (f_nonlocal, "nonlocal statement", "nonlocal y"),
    (f_lambda, "lambda", "(lambda t"),
    (f_import, "import statement", "import math"),
    (f_discard, "expression statement", "    np.sum(x)"),
])
def test_unsupported_construct(fn, construct, marker):
    expect(fn, s2sgrad.UnsupportedSyntaxError, construct, marker)


def test_a_filtered_comprehension_given_to_np_sum_is_read_as_an_array():
    # (comprehensions with if are lists built at run time; np.sum of one reads np.array of it, as
    # numpy does: passes/list_arrays.py -- it was refused before)
    from s2sgrad.testing import check_grads
    check_grads(differentiate(f_comprehension), (np.array([1.0, -2.0, 3.0]),))


def test_yield_is_refused():
    with pytest.raises(s2sgrad.UnsupportedSyntaxError, match="yield"):
        differentiate(f_yield)


def test_unknown_function_names_itself():
    # (a numpy function without a rule is kept where no derivative reaches it: refused when compiling
    # for arguments, at the line where one does)
    with pytest.raises(s2sgrad.UnknownFunctionError) as info:
        differentiate(f_unknown_numpy).grad(np.array([0.1, 0.2]))
    msg = str(info.value)
    assert re.search(rf"test_errors\.py:{line_of(f_unknown_numpy, 'np.unwrap(x)')}:\d+:", msg), msg
    assert "np.unwrap" in msg and "never guesses a zero gradient" in msg and "^" in msg.splitlines()[-1], msg


def test_wrt_naming_no_parameter():
    def f(x, y):
        return x * y
    with pytest.raises(s2sgrad.WrtError, match="'z'.*parameters: x, y"):
        differentiate(f, wrt="z")


def test_integer_for_a_wrt_parameter():
    @differentiate
    def f(x):
        return x ** 2
    with pytest.raises(s2sgrad.WrtError, match="'x'.*int"):
        f.grad(3)
    with pytest.raises(s2sgrad.WrtError, match="'x'.*int64"):
        f.grad(np.arange(3))
    with pytest.raises(s2sgrad.WrtError, match="bool"):
        f.grad(True)


def test_source_unavailable():
    ns = {}
    exec("def g(x):\n    return x * 2\n", ns)
    with pytest.raises(s2sgrad.SourceUnavailableError, match="source of g"):
        differentiate(ns["g"])
    lam = eval("lambda x: x * 2")
    with pytest.raises(s2sgrad.SourceUnavailableError):
        differentiate(lam)


def test_lambda_defined_in_a_file_is_read_as_a_def():
    # (it was refused; the generated code is named after the name the lambda is bound to)
    lam = lambda x: np.sum(x ** 2)  # noqa: E731
    x = np.array([1.0, -2.0])
    np.testing.assert_allclose(differentiate(lam).grad(x), 2 * x)
    assert "def lam_value_and_grad(x):" in differentiate(lam).compiled_for(x).value_and_grad_source


def test_primal_errors_reach_the_user_unchanged():
    @differentiate(wrt=("a", "b"))
    def f(a, b):
        return np.sum(a @ b)
    with pytest.raises(ValueError, match="matmul"):
        f.grad(np.ones((2, 3)), np.ones((4, 2)))


def test_errors_are_one_family():
    for cls in (s2sgrad.UnsupportedSyntaxError, s2sgrad.UnknownFunctionError, s2sgrad.WrtError,
                s2sgrad.SourceUnavailableError, s2sgrad.NonScalarOutputError):
        assert issubclass(cls, s2sgrad.S2SGradError)


def test_recursion_is_refused():
    with pytest.raises(s2sgrad.UnsupportedSyntaxError, match="recursive"):
        differentiate(recursive)


def recursive(x):
    return recursive(x) * 2


def f_tuple_var(x):
    pair = (x * 2, x * 3)
    k = int(np.sum(x) > 0)
    return np.sum(pair[k])


def f_norm_ord(x):
    return np.percentile(x, 50, method="lower")


def f_axis_var(x, k):
    j = k + 1  # computed in the function (a parameter passed straight through is compiled per value)
    return np.sum(np.sum(x, axis=j) ** 2)


def f_function_value(x):
    g = np.exp
    return np.sum(g(x))


@pytest.mark.parametrize("fn,args,wrt,construct,marker", [
    (f_tuple_var, (np.ones(3),), "x", "must be known when compiling", "return np.sum(pair[k])"),
    (f_norm_ord, (np.ones(3),), "x", "method='lower'", 'np.percentile(x, 50, method="lower")'),
    (f_axis_var, (np.ones((2, 3)), 0), "x", "'axis' computed at run time", "np.sum(x, axis=j)"),
])
def test_refused_when_the_gradient_is_generated(fn, args, wrt, construct, marker):
    f = differentiate(fn, wrt=wrt)
    with pytest.raises(s2sgrad.S2SGradError) as info:
        f.grad(*args)
    msg = str(info.value)
    assert construct in msg, msg
    assert re.search(rf"test_errors\.py:{line_of(fn, marker)}:\d+:", msg), msg
    assert "^" in msg.splitlines()[-1]


def f_function_returned(x):
    g = np.exp
    return g


def test_a_numpy_function_is_called_where_its_name_is_and_refused_as_a_value():
    x = np.array([0.5, -1.0])
    np.testing.assert_allclose(differentiate(f_function_value).grad(x), np.exp(x))  # (frontend/function_values.py)
    expect(f_function_returned, s2sgrad.UnsupportedSyntaxError, "used as a value", "return g")


def f_write_into_argument(x):
    x[0] = 0.0
    return np.sum(x ** 2)


def f_write_into_copied_argument(x):
    x = x.copy()
    x[0] = 0.0
    return np.sum(x ** 2)


def f_alias_then_write(x):
    y = np.zeros(3)
    a = y
    y[0] = np.sum(x)
    return np.sum(a * x)


def test_subscript_write_into_an_argument_is_refused():
    expect(f_write_into_argument, s2sgrad.UnsupportedSyntaxError, "change the caller's array", "x[0] = 0.0")


def test_subscript_write_into_a_copy_is_fine():
    f = differentiate(f_write_into_copied_argument)
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(f.grad(x), [0.0, 4.0, 6.0])
    np.testing.assert_allclose(x, [1.0, 2.0, 3.0])  # the caller's array is untouched


def test_alias_of_an_array_written_into_is_refused():
    # refused at the write, where numpy would change both names' array
    expect(f_alias_then_write, s2sgrad.UnsupportedSyntaxError, "would also change 'a'", "y[0] = np.sum(x)")


def smooth(out, k):  # a helper whose parameter happens to be named `out`: no numpy out=
    return out * k


def f_helper_parameter_named_out(x):
    return np.sum(smooth(x * 2.0, 3.0)) + np.sum(smooth(out=x, k=1.0))


def test_a_helper_parameter_named_out_is_inlined():
    value, grad = differentiate(f_helper_parameter_named_out).value_and_grad(np.array([1.0, 2.0]))
    assert value == 21.0
    np.testing.assert_allclose(grad, [7.0, 7.0])


def f_full_svd_of_a_wide_matrix(A):
    U, s, Vt = np.linalg.svd(A)
    return np.sum(s ** 2)


def test_a_check_of_the_generated_code_names_the_users_line():
    # (the full SVD of a 3x2 matrix is refused when it runs: the error still points at the user's call)
    with pytest.raises(s2sgrad.errors.ArgumentError) as info:
        differentiate(f_full_svd_of_a_wide_matrix).grad(np.arange(6.0).reshape(3, 2) + np.eye(3, 2))
    msg = str(info.value)
    line = line_of(f_full_svd_of_a_wide_matrix, "np.linalg.svd(A)")
    assert re.search(rf"test_errors\.py:{line}:\d+: np.linalg.svd of a 3x2 matrix without full_matrices=False", msg), msg
    assert "U, s, Vt = np.linalg.svd(A)" in msg and "^" in msg.splitlines()[-1], msg


def f_swap_and_builtins(x):
    y = x * 2.0
    y[0], y[2] = y[2], y[0] * 3  # (every value read first, then each target written in turn)
    z = pow(np.sum(y), 2) + pow(y[1], 3)
    if any([v > 10 for v in x]) or not all(x < 100):  # (of a generator: refused, Python stops early)
        z = z * 0
    return z + y[0]


def test_swapped_elements_pow_any_and_all():
    from finite_differences import central
    x = np.array([0.3, -0.2, 0.5])
    value, grad = differentiate(f_swap_and_builtins).value_and_grad(x)
    assert value == f_swap_and_builtins(x)
    np.testing.assert_allclose(grad, central(f_swap_and_builtins, x), rtol=1e-7)
