"""collections.defaultdict made in the function (frontend/defaultdicts.py): rewritten into the dict
code Python runs -- the default made where a statement reads a key the dict lacks -- so the keys,
their order and the values are Python's.  Values against Python, gradients against central
differences; the uses that cannot be rewritten so are refused at the line."""
import collections
from collections import defaultdict

import numpy as np
import pytest

from s2sgrad import S2SGradError, differentiate
from s2sgrad.testing import check_grads

X = np.linspace(0.1, 1.2, 6)
TAGS = ("u", "v", "u", "w", "v", "u")  # (a tuple of names: static, each value compiles its code)


def sums_by_tag(x, tags):
    totals = defaultdict(float)
    for i, t in enumerate(tags):
        totals[t] += np.sin(x[i])
    s = totals["zz"] + len(totals)  # (a key read first, then len: it counts "zz")
    for j, v in enumerate(totals.values()):  # (the keys' order is the order they were first read)
        s = s + (j + 1.0) * v ** 2
    return s


def counts_and_products(x, tags):
    c = defaultdict(int)
    p = collections.defaultdict(lambda: 1.0)
    for i, t in enumerate(tags):
        c[t] += 1
        p[t] *= x[i]
    out = 0.0
    for k in sorted(c):
        out = out + c[k] * p[k]
    return out


def nested_default(x, tags):
    d = defaultdict(lambda: np.zeros(2))
    for i, t in enumerate(tags):
        d[t] = d[t] + x[i] * np.array([1.0, -2.0])
    return np.sum(d["u"] ** 2) + np.sum(d["v"])


def keys_by_position(x, tags):
    firsts = defaultdict(float)
    for i in range(len(tags)):
        firsts[tags[i]] = firsts[tags[i]] * 0.5 + x[i]  # (a key read through an expression: bound first)
    return sum(v * (j + 1) for j, v in enumerate(firsts.values()))


@pytest.mark.parametrize("fn", [sums_by_tag, counts_and_products, nested_default, keys_by_position])
def test_values_and_gradients(fn):
    value, _ = differentiate(fn, wrt="x").value_and_grad(X, TAGS)
    assert value == fn(X, TAGS)
    check_grads(fn, (X, TAGS), wrt="x")


def passed_on(x, tags):
    d = defaultdict(float)
    d["a"] += np.sum(x)
    return helper(d)


def helper(d):
    return d["a"]


def lists_by_key(x, tags):
    d = defaultdict(list)
    d["loss"].append(np.sum(x))
    return sum(d["loss"])


def read_in_a_comprehension(x, tags):
    c = defaultdict(float)
    return sum(x[i] * c[t] for i, t in enumerate(tags))


def read_maybe(x, tags):
    c = defaultdict(float)
    flag = x[0] > 5.0
    v = flag and c["a"]  # (Python reads c["a"] only when flag holds)
    return np.sum(x) + v + len(c)


def read_after_another_use(x, tags):
    c = defaultdict(float)
    return len(c) + c["a"] + np.sum(x)  # (len(c) is 0 in Python: the default comes after it)


def key_with_a_call(x, tags):
    c = defaultdict(float)
    c[str(len(tags))] += np.sum(x)
    return c["6"]


def list_default_added_to(x, tags):
    d = defaultdict(list)
    d["a"] += [x]
    return np.sum(d["a"][0])


def a_set_factory(x, tags):
    d = defaultdict(set)
    return np.sum(x) + len(d)


def in_a_while_test(x, tags):
    c = defaultdict(float)
    while c["a"] < 2.0:
        c["a"] = c["a"] + np.sum(x)
    return c["a"]


def two_reads_then_len(x, tags):
    d = defaultdict(float)
    return d["a"] + d["b"] + len(d) + np.sum(x)  # (review 26: a crash inside s2sgrad)


def bit_or(x, tags):
    c = defaultdict(int)
    c["m"] |= 2
    c["m"] |= 5
    return c["m"] * np.sum(x)


@pytest.mark.parametrize("fn", [two_reads_then_len, bit_or])
def test_more_forms(fn):
    assert differentiate(fn, wrt="x").value_and_grad(X, TAGS)[0] == fn(X, TAGS)


def array_stored_then_added_to(x, tags):
    d = defaultdict(float)
    base = x * 1.0
    d["a"] = base
    d["a"] += 1.0  # (Python changes base in place)
    return np.sum(base)


def read_between_updates(x, tags):
    d = defaultdict(float)
    d["a"] += x[:2]
    held = d["a"]
    d["a"] += x[2:4]  # (Python changes the array held holds)
    return np.sum(held)


def bound_again(x, tags):
    d = defaultdict(float)
    d["a"] += np.sum(x)
    d = dict(d)
    return d["zz"]  # (Python: KeyError, d is a plain dict now)


def read_while_iterating(x, tags):
    d = defaultdict(float)
    d["a"] = np.sum(x)
    s = 0.0
    for k in d:
        s = s + d[k + "2"]  # (Python: RuntimeError, the dict changed size)
    return s


@pytest.mark.parametrize("fn, said", [
    (array_stored_then_added_to, "whose values are also stored or read before it"),
    (read_between_updates, "whose values are also stored or read before it"),
    (bound_again, "bound to a defaultdict, is bound again"),
    (read_while_iterating, "read while iterating 'd'"),
    (passed_on, "the defaultdict 'd' used here other than by its keys"),
    (lists_by_key, "a list of the defaultdict 'd' appended to by key"),
    (read_in_a_comprehension, "read inside a lambda, a comprehension, a conditional expression"),
    (read_maybe, "read inside a lambda, a comprehension, a conditional expression or the right side"),
    (read_after_another_use, "also uses the dict otherwise"),
    (key_with_a_call, "calls something or reads the dict"),
    (list_default_added_to, "whose default is not a number"),
    (a_set_factory, "whose factory is not list, dict, float, int"),
    (in_a_while_test, "read in a while's test"),
])
def test_refused_with_what_to_write(fn, said):
    with pytest.raises(S2SGradError, match=said):
        differentiate(fn, wrt="x").value_and_grad(X, TAGS)
