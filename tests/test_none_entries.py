"""None among functions (frontend/none_entries.py): `[relu, np.tanh, None]` with `if act is not
None: h = act(h)`, a module-level `(np.tanh, None, relu)`, `None if last else np.tanh`, and lists of
functions passed to a helper.  Gradients against central differences (check_grads, forward mode
too), values against Python; calling the None entry is Python's TypeError."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import S2SGradError, differentiate
from s2sgrad.testing import check_grads

RNG = np.random.default_rng(7)
LAYERS = [(RNG.standard_normal((3, 3)), RNG.standard_normal(3)) for _ in range(3)]
X = RNG.standard_normal((4, 3))
ACTS = (np.tanh, None, np.sin)


def relu(z):
    return np.maximum(z, 0.0)


def mlp(h, layers, acts):
    for (W, b), act in zip(layers, acts):
        h = h @ W + b
        if act is not None:
            h = act(h)
    return h


def list_to_helper(layers, x):
    return np.sum(mlp(x, layers, [relu, np.tanh, None]) ** 2)


def local_lambda_and_none(layers, x):
    r = lambda z: np.maximum(z, 0.0)  # noqa: E731
    return np.sum(mlp(x, layers, (r, None, np.sin)) ** 2)


def module_table(layers, x):
    h = x
    for i, (W, b) in enumerate(layers):
        act = ACTS[i]
        h = h @ W + b
        if act is not None:
            h = act(h)
    return np.sum(h)


def last_layer_plain(layers, x):
    h = x
    n = len(layers)
    for i, (W, b) in enumerate(layers):
        act = None if i == n - 1 else np.tanh
        h = h @ W + b
        if None is not act:
            h = act(h)
    return np.sum(h)


def dict_entry(layers, x):
    acts = {"hidden": np.tanh, "out": None}
    h = x @ layers[0][0]
    f = acts["out"]
    if f is None:
        return np.sum(h)
    return np.sum(f(h))


def key_at_run_time(layers, x, k):
    acts = [np.tanh, None, np.sin]
    act = acts[k]
    h = x @ layers[0][0]
    if act is None:
        return np.sum(h * h)
    return np.sum(act(h))


def calls_the_none(layers, x):
    acts = [np.tanh, None]
    return np.sum(acts[1](x))


@pytest.mark.parametrize("fn", [list_to_helper, local_lambda_and_none, module_table, last_layer_plain, dict_entry])
def test_none_entries_skip_the_call(fn):
    check_grads(fn, (LAYERS, X), wrt=("layers", "x"))
    value, _ = differentiate(fn, wrt="x").value_and_grad(LAYERS, X)
    assert value == fn(LAYERS, X)


@pytest.mark.parametrize("k", [0, 1, 2, -1, -2])
def test_a_key_known_when_running_tests_the_entry_it_picks(k):
    f = differentiate(key_at_run_time, wrt="x")
    value, grad = f.value_and_grad(LAYERS, X, k)  # (one compilation: k is a run-time int)
    assert value == key_at_run_time(LAYERS, X, k)
    check_grads(key_at_run_time, (LAYERS, X, k), wrt=("x",))


def test_a_key_out_of_range_raises_as_python_does():
    with pytest.raises(IndexError):
        differentiate(key_at_run_time, wrt="x").value_and_grad(LAYERS, X, 3)


def test_calling_the_none_entry_is_pythons_type_error():
    with pytest.raises(TypeError, match="'NoneType' object is not callable"):
        differentiate(calls_the_none, wrt="x").value_and_grad(LAYERS, X)


def test_the_generated_code_has_no_test_where_the_loop_is_unrolled():
    f = differentiate(list_to_helper, wrt="x")
    f.value_and_grad(LAYERS, X)
    src = f.grad_source
    assert "np.maximum(" in src and "np.tanh(" in src and " in (" not in src and "raise" not in src


# ---------------------------------------------------------------- review 24's findings
LOCAL_KEYS = ("a", "b", "zz")
ACTS_D = {"h": np.tanh, "o": None}


def local_dict_lookup(x, key):
    acts = {"a": np.tanh, "b": np.sin}
    f = acts[key]
    return np.sum(f(x))


def module_dict_only_tested(x, key):
    f = ACTS_D[key]
    if f is None:
        return np.sum(x)
    return np.sum(x * 2.0)


def local_dict_only_tested(x, key):
    acts = {"a": np.tanh, "b": None}
    f = acts[key]
    if f is None:
        return np.sum(x)
    return np.sum(x * 2.0)


@pytest.mark.parametrize("fn, keys", [(local_dict_lookup, ("a", "b", "zz", "h")),
                                      (module_dict_only_tested, ("h", "o", "zz", "a")),
                                      (local_dict_only_tested, ("a", "b", "zz", "o"))])
def test_a_key_the_dict_lacks_raises_keyerror_where_python_does(fn, keys):
    # (a missing key once picked the last entry: 1.18 for Python's KeyError)
    x = np.linspace(0.1, 1.0, 4)
    for key in keys:
        try:
            expected = fn(x, key)
        except KeyError:
            with pytest.raises(KeyError):
                differentiate(fn, wrt="x").value_and_grad(x, key)
            continue
        assert differentiate(fn, wrt="x").value_and_grad(x, key)[0] == expected


W2 = np.array([[0.5, -0.2], [0.3, 0.8]])
X2 = np.array([[0.3, -0.4], [1.0, 0.2]])


def none_picked_at_run_time(x, k):
    acts = [None, np.tanh]
    f = acts[k]
    h = x @ W2
    if f is not None:
        h = f(h)
    if f is None:
        h = h * 5.0
    return np.sum(h)


def raise_in_one_branch(x, k):
    h = x @ W2
    if k != 1:
        if k == 0:
            y = np.tanh(h)
        else:
            raise TypeError("no")
        h = y
    return np.sum(h)


def none_when_last(x, last):
    act = None if last else np.tanh
    h = x @ W2
    if act is not None:
        h = act(h)
    return np.sum(h ** 2)


@pytest.mark.parametrize("fn, keys", [(none_picked_at_run_time, (0, 1, -1)), (raise_in_one_branch, (0, 1)),
                                      (none_when_last, (True, False))])
def test_a_branch_that_raises_has_no_reverse(fn, keys):
    # (its adjoint once filled in zeros of a value only the other branch binds: UnboundLocalError)
    for k in keys:
        value, _ = differentiate(fn, wrt="x").value_and_grad(X2, k, seed=1.0)
        assert value == fn(X2, k)
        check_grads(fn, (X2, k), wrt="x")
        _, tangent = s2sgrad.jvp(fn, (X2, k), (np.ones_like(X2), None))
        assert np.isclose(tangent, np.sum(differentiate(fn, wrt="x").value_and_grad(X2, k)[1]))


def entry_set_in_place(x):
    acts = [np.tanh, np.cos]
    acts[1] = None
    return np.sum(acts[0](x))


def test_an_entry_set_in_place_is_refused():
    with pytest.raises(S2SGradError, match="an entry of 'acts', a list or dict of functions, set in place"):
        differentiate(entry_set_in_place, wrt="x").value_and_grad(X2)


MODULE_ACTS = (relu, np.tanh, None)


def through_a_module_tuple(layers, x):
    return np.sum(mlp(x, layers, MODULE_ACTS) ** 2)


def test_a_module_tuple_of_functions_passed_to_a_helper(monkeypatch):
    f = differentiate(through_a_module_tuple, wrt="layers")
    assert f.value_and_grad(LAYERS, X)[0] == through_a_module_tuple(LAYERS, X)
    check_grads(through_a_module_tuple, (LAYERS, X), wrt="layers")
    monkeypatch.setitem(globals(), "MODULE_ACTS", (np.sin, None, relu))  # (guarded: compiled again)
    assert f.value_and_grad(LAYERS, X)[0] == through_a_module_tuple(LAYERS, X)


def mlp_by_truth(h, layers, acts):
    for (W, b), act in zip(layers, acts):
        h = h @ W + b
        if act:  # (a function is true, None false)
            h = act(h)
    return h


def truth_of_entries(layers, x):
    return np.sum(mlp_by_truth(x, layers, [relu, np.tanh, None]) ** 2)


def negated_at_run_time(layers, x, k):
    acts = [None, np.tanh, np.sin]
    act = acts[k]
    h = x @ layers[0][0]
    if not act:
        return np.sum(h)
    return np.sum(act(h))


def test_the_truth_of_a_function_or_none():
    assert differentiate(truth_of_entries, wrt="layers").value_and_grad(LAYERS, X)[0] == truth_of_entries(LAYERS, X)
    check_grads(truth_of_entries, (LAYERS, X), wrt="layers")
    for k in (0, 1, 2, -3):
        assert differentiate(negated_at_run_time, wrt="layers").value_and_grad(LAYERS, X, k)[0] == \
            negated_at_run_time(LAYERS, X, k)
        check_grads(negated_at_run_time, (LAYERS, X, k), wrt="layers")
