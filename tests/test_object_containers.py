"""Containers an object holds, written by element: `self.m[k] = v` (frontend/methods.element_write,
passes/container_writes.with_item, passes/private_attrs.py).

Python changes the dict in place; s2sgrad binds the attribute to a new dict.  Accepted only where the
object is the dict's one holder -- the dict made for it (a literal, a comprehension, dict(...)) and
read only by element, len() or a loop -- and checked here against Python's value and central
differences; every program where a second holder would see Python's change is refused at a line."""
import dataclasses

import numpy as np
import pytest

from s2sgrad import differentiate, no_grad
from test_object_state import W0, X, Y, exact, refused as _refused


def refused(fn, *args, match, line):
    return _refused(fn, *args, match=match, line=line, file="test_object_containers.py")


class Adam:
    """Moments in dicts keyed by parameter name, as PyTorch-style optimisers keep them."""

    def __init__(self, params, lr=0.05, b1=0.9, b2=0.999):
        self.lr, self.b1, self.b2, self.t = lr, b1, b2, 0
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = dict({k: np.zeros_like(params[k]) for k in params})

    def step(self, params, grads):
        self.t += 1
        new = {}
        for k in params:
            self.m[k] = self.b1 * self.m[k] + (1 - self.b1) * grads[k]
            self.v[k] = self.b2 * self.v[k] + (1 - self.b2) * grads[k] ** 2
            m_hat = self.m[k] / (1 - self.b1 ** self.t)
            v_hat = self.v[k] / (1 - self.b2 ** self.t)
            new[k] = params[k] - self.lr * m_hat / (np.sqrt(v_hat) + 1e-8)
        return new

    def moment_norm(self):
        total = 0.0
        for k, m in self.m.items():  # (a loop reading the dict: no write in it)
            total = total + np.sum(m ** 2)
        return total + sum(np.sum(v) for v in self.v.values()) + len(self.m)


def adam_training(w, X, Y, steps=3):
    params = {"w": w, "b": np.zeros(1)}
    opt = Adam(params)
    for _ in range(steps):
        r = X @ params["w"] + params["b"] - Y
        params = opt.step(params, {"w": X.T @ r / len(Y), "b": np.array([r.mean()])})
    return np.sum((X @ params["w"] - Y) ** 2) + opt.moment_norm()


def test_an_optimiser_keeping_its_moments_in_dicts():
    exact(adam_training, W0, X, Y)


def adam_in_a_run_time_loop(w, X, Y, steps):
    params = {"w": w}
    opt = Adam(params)
    i = 0
    while i < steps:  # (a loop at run time: the dicts' entries are carried as its variables)
        params = opt.step(params, {"w": X.T @ (X @ params["w"] - Y) / len(Y)})
        i += 1
    return np.sum(params["w"] ** 2) + np.sum(opt.m["w"])


def test_the_dicts_carried_through_a_loop_at_run_time():
    exact(adam_in_a_run_time_loop, W0, X, Y, 4)
    src = differentiate(adam_in_a_run_time_loop).compiled_for(W0, X, Y, 4).value_and_grad_source
    assert "while i < steps:" in src


class History:
    def __init__(self, w):
        self.h = {0: w, 1: 2 * w, 2: 0.0}  # a dict literal
        self.stats = {}
        for name in ("lo", "hi"):  # written by element in the __init__: a dict of its own
            self.stats[name] = w * (1.0 if name == "hi" else -1.0)

    def push(self, x):
        self.h[2] = self.h[1]
        self.h[1] = self.h[0]
        self.h[0] = x
        self.stats["hi"] = np.maximum(self.stats["hi"], x)


def history_dicts(w):
    hist = History(w)
    hist.push(np.sin(w))
    hist.push(w ** 2)
    hist.h[3] = hist.h[2] + 1.0  # (the function's own write, a new key)
    return np.sum(hist.h[0] * hist.h[1] + hist.h[3]) + np.sum(hist.stats["hi"] * hist.stats["lo"]) + len(hist.h)


def test_dicts_made_in_the_init_and_written_by_element():
    exact(history_dicts, np.array([0.3, 1.7, -0.4]))


class Lists:
    def __init__(self, w):
        self.h = [w, 2 * w]


def list_of_arrays(w):
    o = Lists(w)
    o.h[0] = w * 3  # (a list of arrays is a list at run time: not written by element)
    return np.sum(o.h[0])


class Bumper:
    def __init__(self, w):
        self.m = {"a": w, "b": 2 * w}

    def bump(self):
        self.m["b"] = self.m["b"] * 3
        return np.sum(self.m["b"])


def value_first(w):
    o = Bumper(w)
    o.m["a"] = o.bump() * o.m["a"]  # Python: the value (bump runs), then o.m, then the key
    return np.sum(o.m["a"] + o.m["b"])


def test_the_value_is_computed_before_the_container_is_read():
    with pytest.raises(Exception):  # (reads o again after a method that changes it: refused, never guessed)
        differentiate(value_first).grad(W0)


# ---------------------------------------------------------------- a second holder: refused
class Local:
    def __init__(self, w):
        self.m = {"a": w}

    def run(self, w):
        m = self.m
        self.m["a"] = w * 3
        return np.sum(m["a"])  # Python: 3 * w


def local_alias_in_a_method(w):
    o = Local(w)
    return o.run(w)


class FromArgument:
    def __init__(self, d):
        self.m = d  # the caller's dict

    def set(self, w):
        self.m["a"] = w * 3


def argument_dict(w):
    d = {"a": w}
    o = FromArgument(d)
    o.set(w)
    return np.sum(d["a"])  # Python: 3 * w


class TwoAttributes:
    def __init__(self, w):
        d = {"a": w}
        self.m = d
        self.n = d

    def set(self, w):
        self.m["a"] = w * 3


def two_attributes(w):
    o = TwoAttributes(w)
    o.set(w)
    return np.sum(o.n["a"])  # Python: 3 * w


class Getter(Bumper):
    def get(self):
        return self.m


def returned_then_written(w):
    o = Getter(w)
    held = o.get()
    o.bump()
    return np.sum(held["b"])  # Python: 6 * w


def written_then_returned(w):
    o = Getter(w)
    o.bump()
    held = o.get()  # (after the write: met later, refused all the same)
    return np.sum(held["b"])


def loop_writing_what_it_reads(w):
    o = Bumper(w)
    for k, v in o.m.items():
        o.m["b"] = v * 2  # Python's live view: the next item sees this write
    return np.sum(o.m["b"])


@dataclasses.dataclass
class Box:
    m: dict
    t: float = 0.0


def dataclass_replaced(w):
    a = Bumper(w)
    b = dataclasses.replace(Box({"a": w}), t=1.0)
    b.m["a"] = w * 3
    return np.sum(a.m["a"] + b.m["a"])


def argument_given_to_dataclass(w):
    d = {"a": w}
    b = Box(d)
    b.m["a"] = w * 3
    return np.sum(d["a"])  # Python: 3 * w


def element_kept_and_changed(w):
    o = Bumper(w)
    x = o.m["a"]
    x += 1.0  # Python: changes the array o.m['a'] holds
    return np.sum(o.m["a"])


def value_stored_then_changed(w):
    o = Bumper(w)
    v = w * 2
    o.m["a"] = v
    v += 1.0  # Python: o.m['a'] is v
    return np.sum(o.m["a"])


class Holder:
    def __init__(self, w):
        self.m = w * 1.0


def array_attribute(w):
    o = Holder(w)
    o.m[0] = 5.0
    return np.sum(o.m)


@pytest.mark.parametrize("fn,match,line", [
    (local_alias_in_a_method, r"another name or container may hold too \(line \d+: m = self.m", 'self.m["a"] = w * 3'),
    (argument_dict, r"a container another name may hold", 'self.m["a"] = w * 3'),
    (two_attributes, r"may hold too", 'self.m["a"] = w * 3'),
    (returned_then_written, r"line \d+: held = o.get\(\): returned by a method", "o.bump()"),
    (written_then_returned, r"line \d+: self.m\[\"b\"\] = .* \(line \d+: held = o.get\(\)", "held = o.get()"),
    (list_of_arrays, r"element of 'o.h', which holds an array, a value or a list built at run time", "o.h[0] = w * 3"),
    (loop_writing_what_it_reads, r"may hold too \(line \d+: for k, v in o.m.items", 'o.m["b"] = v * 2'),
    (dataclass_replaced, r"dataclasses.replace", 'b.m["a"] = w * 3'),
    (argument_given_to_dataclass, r"a Box made holding a container", 'b.m["a"] = w * 3'),
    (element_kept_and_changed, r"'x \+= \.\.\.' updates the array x in place", "x += 1.0"),
    (value_stored_then_changed, r"'v \+= \.\.\.' updates the array v in place", "v += 1.0"),
    (array_attribute, r"element of 'o.m', which holds an array", "o.m[0] = 5.0"),
])
def test_a_container_another_name_may_hold_is_refused(fn, match, line):
    refused(fn, W0, match=match, line=line)


# ---------------------------------------------------------------- a review of the feature: each accepted wrong
# before its fix (a chained assignment's one container, a container the caller keeps stored by a method,
# `+=` of a list attribute, an element of a shallow copy, a method called under no_grad)
class E:
    def __init__(self, w):
        self.m = {"a": w}
        self.n = {"a": w}

    def reset(self, w):
        self.m = self.n = {k: w * 2 for k in ("a", "b")}

    def setm(self, w):
        self.m["a"] = w * 3


def chained_comprehension(w):
    o = E(w)
    o.m = x = {k: w for k in ("a",)}  # (one dict, two holders)
    o.m["a"] = w * 3
    return np.sum(x["a"])


def chained_in_a_method(w):
    o = E(w)
    o.reset(w)
    o.setm(w)
    return np.sum(o.n["a"] + o.n["b"])


class InitTwo:
    def __init__(self, w):
        self.m = self.k = {q: w for q in ("a",)}


def chained_in_the_init(w):
    o = InitTwo(w)
    o.m["a"] = w * 3
    return np.sum(o.k["a"])


class Keeper:
    def __init__(self, w):
        self.m = {"a": w}
        self.t = 0.0

    def keep(self, d):
        self.m["a"] = d

    def keep_literal(self, d):
        self.m = {"a": d}

    def keep_attribute(self, d):
        self.n = d


def method_stores_callers_dict(w):
    o = Keeper(w)
    d = {"x": w}
    o.keep(d)
    d["x"] = 3 * w  # Python: o.m['a'] is d
    return np.sum(o.m["a"]["x"])


def method_stores_it_in_a_literal(w):
    o = Keeper(w)
    d = {"x": w}
    o.keep_literal(d)
    d["x"] = 3 * w
    return np.sum(o.m["a"]["x"])


def method_stores_it_as_an_attribute(w):
    o = Keeper(w)
    d = {"x": w}
    o.keep_attribute(d)
    d["x"] = 3 * w
    return np.sum(o.n["x"])


class ListHolder:
    def __init__(self, w):
        self.h = [1.0, 2.0]


def list_attribute_extended(w):
    o = ListHolder(w)
    a = o.h
    o.h += [3.0]  # Python: a is o.h, now of 3 items
    return len(a) * np.sum(w)


def element_of_a_shallow_copy(w):
    h = [{"a": w}, {"a": 2 * w}]
    e = list(h)[0]
    e["a"] = 3 * w  # Python: h[0] is e
    return np.sum(h[0]["a"])


def element_of_a_copy_of_values(w):
    m = {"p": {"a": w}}
    c = list(m.values())
    e = c[0]
    e["a"] = 3 * w
    return np.sum(m["p"]["a"])


@pytest.mark.parametrize("fn,match,line", [
    (chained_comprehension, r"of a container that another name or container may hold too", "o.m = x = {k: w for"),
    (chained_in_a_method, r"of a container that another name or container may hold too", "self.m = self.n = {k:"),
    (chained_in_the_init, r"a InitTwo made holding a container another name may hold", 'o.m["a"] = w * 3'),
    (method_stores_callers_dict, r"a container stored into an element of 'self.m'", 'self.m["a"] = d'),
    (method_stores_it_in_a_literal, r"of a container that another name or container may hold", 'self.m = {"a": d}'),
    (method_stores_it_as_an_attribute, r"of a container that another name or container may hold", "self.n = d"),
    (list_attribute_extended, r"'o.h op= ...' of an attribute holding a list or dict", "o.h += [3.0]"),
    (element_of_a_shallow_copy, r"this write into 'e' would also change an element of 'h'", 'e["a"] = 3 * w'),
    (element_of_a_copy_of_values, r"this write into 'e' would also change an element of 'c'", 'e["a"] = 3 * w'),
])
def test_what_a_review_found_is_refused(fn, match, line):
    refused(fn, W0, match=match, line=line)


class Setter:
    def __init__(self, w):
        self.m = {"a": w, "b": 2 * w}

    def set_a(self, x):
        self.m["a"] = x * 1.0
        return self.m["a"] * 2


def method_under_no_grad(w):
    o = Setter(w)
    with no_grad():
        o.set_a(w * 3)  # (what the method sets is a constant, as an assignment in the block is)
        r = o.set_a(w * 2)
    return np.sum(o.m["a"] * w) + np.sum(r * w)


def test_a_method_called_under_no_grad_sets_constants():
    # d/dw of sum(c1 * w) + sum(c2 * w) with c1 = 2w, c2 = 4w held constant: 2w + 4w
    np.testing.assert_allclose(differentiate(method_under_no_grad).grad(W0), 6 * W0, rtol=1e-12)
