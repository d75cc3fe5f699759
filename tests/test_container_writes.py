"""Writes into dicts and lists the function made (`cache = {}; cache['h1'] = h1`), their copies,
`d.update(...)`, and lists or tuples joined when compiling (`a + [h]`, `[x] * 3`).

Before, `d['b'] = v` on a dict literal was refused ('assignment into the container'), `dict(d)` and
`d.update(...)` too; `a + b` of two list literals was refused as arithmetic on a list.  Each case is
checked against finite differences and forward mode (check_grads), and the refusals that keep them
sound (a second name for the dict, an update in place of an element, a write in a loop that runs
at run time) are checked by message and line.
"""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import UnsupportedSyntaxError
from s2sgrad.testing import check_grads

rng = np.random.default_rng(5)
X = rng.standard_normal(4)
W = rng.standard_normal((4, 4))


def cache_dict(x, W):
    cache = {}
    h = np.tanh(W @ x)
    cache['h'] = h
    cache['z'] = np.sin(h) * x
    return np.sum(cache['z'] * cache['h'])


def overwritten(x, W):
    d = {'a': x, 'b': W @ x}
    d['a'] = d['a'] * d['b']
    d['a'] = d['a'] + 1.0
    return np.sum(d['a'] ** 2)


def written_in_branches(x, W):
    d = {'a': x}
    if np.sum(x) > 0:
        d['a'] = np.sin(W @ x)
    else:
        d['a'] = np.cos(x)
    return np.sum(d['a'] * x)


def written_on_one_side(x, W):
    d = {'a': x, 'b': W @ x}
    if np.sum(x) > 0:
        d['a'] = np.sin(x)
    return np.sum(d['a'] * d['b'])


def keys_in_an_unrolled_loop(x, W):
    acts = {}
    for i in range(3):
        acts[i] = np.tanh(W @ x * (i + 1))
    return np.sum(acts[0] * acts[2]) + np.sum(acts[1])


def dict_made_in_each_pass(x, W):
    s = 0.0
    for i in range(3):
        c = {}
        c['h'] = np.sin(W @ x * i)
        s = s + np.sum(c['h'])
    return s


def new_dict_from_params(params, x):
    grads_like = {}
    for k in params:
        grads_like[k] = params[k] * 3.0
    return np.sum(grads_like['W'] @ x + grads_like['b'])


def list_literal_written(x, W):
    parts = [x, W @ x]
    parts[0] = np.sin(parts[1])
    parts[-1] = parts[-1] * 2.0
    return np.sum(parts[0] * parts[1])


def copies(x, W):
    d = {'a': x, 'b': W @ x}
    e = dict(d)
    e['a'] = 2.0 * x
    f = d.copy()
    f['b'] = np.tanh(f['b'])
    return np.sum(d['a'] * e['a'] + f['b'] * d['b'])


def copy_of_an_argument(params, x):
    q = dict(params)
    q['W'] = q['W'] * 0.5
    return np.sum((q['W'] @ x) * (params['W'] @ x)) + np.sum(q['b'])


def updated(x, W):
    d = {'a': x}
    d.update({'b': W @ x, 'c': np.sin(x)})
    d.update(a=d['c'], c=d['a'])  # every value read before the first write: a swap
    d.update(d)
    return np.sum(d['a'] * d['b'] + d['c'] * 3.0)


def updated_from_another(params, x):
    d = {'x': x}
    d.update(params)
    return np.sum(d['W'] @ d['x'] + d['b'])


def joined(x, W):
    a = [x, W @ x]
    b = (np.sin(x),)
    c = a + [np.cos(x)]
    t = tuple(a) + b
    r = [x] * 3
    x = x * 10.0  # r and c hold the x of before
    return np.sum(c[2] * c[1] + t[2] * c[0]) + np.sum(np.stack(r) ** 2) + np.sum(x)


def returned_dict(x, W):
    d = {}
    d['h'] = W @ x
    loss = np.sum(np.tanh(d['h']) ** 2)
    d['loss'] = loss
    return loss, d


@pytest.mark.parametrize("fn", [cache_dict, overwritten, written_in_branches, written_on_one_side,
                                keys_in_an_unrolled_loop, dict_made_in_each_pass, list_literal_written, copies,
                                updated, joined])
def test_writes_match_finite_differences(fn):
    check_grads(differentiate(fn, wrt=("x", "W")), (X, W))
    check_grads(differentiate(fn, wrt=("x", "W")), (-X, W))  # the other branch


@pytest.mark.parametrize("fn", [new_dict_from_params, copy_of_an_argument, updated_from_another])
def test_writes_into_new_dicts_from_arguments(fn):
    params = {'W': W, 'b': rng.standard_normal(4)}
    check_grads(differentiate(fn, wrt=("params", "x")), (params, X))


def test_known_numbers():
    # d['a'] = x * (W @ x) + 1, loss = sum(d['a'] ** 2): at W = I, d/dx = 2 (x^2 + 1) * 2x
    g = differentiate(overwritten, wrt="x").grad(np.array([1.0, 2.0]), np.eye(2))
    np.testing.assert_allclose(g, [2 * 2 * 2 * 1, 2 * 5 * 2 * 2])
    # copy_of_an_argument: the argument's dict keeps its W (0.5 W x . W x)
    p = {'W': np.eye(2), 'b': np.zeros(2)}
    g = differentiate(copy_of_an_argument, wrt="x").grad(p, np.array([1.0, 3.0]))
    np.testing.assert_allclose(g, [1.0, 3.0])


def test_written_in_branches_reads_one_value_after_the_if():
    # each branch binds the dict's variable for 'a' (a dict used key by key is a variable per key:
    # passes/dict_scalars.py); the read after the if is it
    src = differentiate(written_in_branches, wrt="x").compiled_for(X, W).value_and_grad_source
    assert src.count(" d_a = ") == 3 and "out = np.sum(d_a * x)" in src
    for x in (X, -X):
        v, g = differentiate(written_in_branches, wrt="x").value_and_grad(x, W)
        assert np.isclose(v, written_in_branches(x, W))


def test_aux_output_is_the_dict_written():
    loss, d = returned_dict(X, W)
    (v, aux), g = differentiate(returned_dict, has_aux=True).value_and_grad(X, W)
    assert np.isclose(v, loss) and set(aux) == {'h', 'loss'}
    np.testing.assert_allclose(aux['h'], d['h'])


# ---------------------------------------------------------------------------------- refusals
def second_name(x):
    d = {'a': x}
    e = d
    d['a'] = 2.0 * x
    return np.sum(e['a'])


def held_by_another(x):
    d = {'a': x}
    outer = {'d': d}
    d['a'] = 2.0 * x
    return np.sum(outer['d']['a'])


def element_updated_in_place(x):
    h = x * 2.0
    d = {'a': h}
    d['a'] += 1.0
    return np.sum(h * d['a'])


def value_updated_in_place_later(x):
    h = x * 2.0
    d = {}
    d['h'] = h
    h *= 3.0
    return np.sum(d['h'])


def written_in_a_runtime_loop(x):
    d = {'s': x}
    for i in range(3):
        d['s'] = d['s'] * x
    return np.sum(d['s']) + len(d)  # (the dict used whole: not a variable per key)


def written_in_a_while(x):
    d = {'a': x}
    i = 0
    while i < 3:
        d['a'] = d['a'] * 2.0
        i += 1
    return sum(np.sum(v) for v in d.values())


def key_by_key_in_a_runtime_loop(x, n):
    d = {'s': x, 'k': 0}
    for i in range(n):
        d['s'] = d['s'] * x
        d['k'] = d['k'] + 1
    return np.sum(d['s']) * d['k']


def test_a_dict_used_key_by_key_is_written_in_run_time_loops():
    # (a variable per key: passes/dict_scalars.py)
    from s2sgrad.testing import check_grads
    check_grads(differentiate(key_by_key_in_a_runtime_loop), (X, 3))


def tuple_written(x):
    t = (x, 2.0 * x)
    t[0] = x
    return np.sum(t[0])


def argument_written(p, x):
    p['W'] = p['W'] * 2.0
    return np.sum(p['W'] @ x)


def changing_method(x):
    d = {'a': x}
    d.popitem()
    return np.sum(d['a'])


@pytest.mark.parametrize("fn, args, words, line", [
    (second_name, (X,), "would also change 'e' (the two names share one container", "d['a'] = 2.0 * x"),
    (held_by_another, (X,), "the dict 'outer' holding it", "d['a'] = 2.0 * x"),
    (element_updated_in_place, (X,), "an update in place of an element of a dict", "d['a'] += 1.0"),
    (value_updated_in_place_later, (X,), "the container 'd' holding it", "h *= 3.0"),
    (tuple_written, (X,), "assignment into the container 't' (a tuple", "t[0] = x"),
    (argument_written, ({'W': W}, X), "", "p['W'] = p['W'] * 2.0"),
    (changing_method, (X,), "d.popitem() changes the container 'd'", "d.popitem()"),
])
def test_unsound_writes_are_refused_at_their_line(fn, args, words, line):
    with pytest.raises(UnsupportedSyntaxError) as e:
        differentiate(fn).grad(*args)
    assert words in str(e.value)
    assert line in str(e.value)


def joined_with_a_read(p):
    e = {} | p["vecs"]
    f = p["vecs"] | {'a': p["x"] * 3.0}
    return np.sum(e['b'] ** 2) + np.sum(f['a']) + np.sum((dict(p["vecs"]) | p["vecs"])['a'])


def test_dict_or_of_a_value_read_from_a_container():
    """Found by the structure fuzzer: `{} | p["vecs"]` was left to the arithmetic `|` (an operand
    other than a name or a literal), which has no derivative -- gradient [0, 0] for [1.0, 1.4],
    in reverse and forward mode."""
    from s2sgrad.testing import check_grads
    p = {"vecs": {"a": np.array([0.3, -0.2]), "b": np.array([0.5, 0.7])}, "x": np.array([1.0, 2.0])}
    check_grads(differentiate(joined_with_a_read), (p,))
    assert np.allclose(differentiate(joined_with_a_read).grad(p)["vecs"]["b"], [1.0, 1.4])


@pytest.mark.parametrize("fn", [written_in_a_runtime_loop, written_in_a_while])
def test_a_dict_written_in_a_run_time_loop_carries_its_keys(fn):
    # refused before ("a write into the dict 'd' inside a loop that runs at run time"); its keys are
    # the loop's variables now (passes/loop_carry.py)
    check_grads(fn, (X,))
